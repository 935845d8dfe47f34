#!/usr/bin/env python3
"""make_replay_examples.py: writes the example field logs of scenarios/replay/
(docs/replay.md): two exports of a small deterministic model of a summer day at a house
with 1.4 kWp of PV and a 2.56 kWh pack: PV as a clear-sky bell with passing
clouds, a house load with a base, meals and a kettle, and the battery taking
PV minus load within +-1 kW and 10-100 % SOC, as a self-consumption inverter
does; and the inverter side of a field candump. The same seed gives the same
files byte for byte.

  tools/make_replay_examples.py [OUT_DIR]   (default scenarios/replay)
"""
import math
import os
import random
import sys

CAPACITY_WH = 2560.0


def day_model(step_s, seed):
    """(t_s, pv_w, load_w, battery_w charge-positive, soc_pct) every step_s."""
    rng = random.Random(seed)
    soc = 40.0
    cloud = 1.0
    rows = []
    for k in range(int(86400 / step_s) + 1):
        t = k * step_s
        h = t / 3600.0
        bell = max(0.0, math.sin(math.pi * (h - 6.0) / 14.0)) if 6.0 < h < 20.0 else 0.0
        cloud = min(1.0, max(0.3, cloud + rng.uniform(-0.08, 0.08)))
        pv = 1400.0 * bell ** 1.5 * cloud
        load = 180.0 + rng.uniform(-20.0, 20.0)
        if 7.0 <= h < 7.5 or 12.0 <= h < 12.75 or 18.5 <= h < 19.5:
            load += 700.0  # meals
        if 21.0 <= h < 21.1:
            load += 1800.0  # a kettle
        bat = max(-1000.0, min(1000.0, pv - load))
        if soc >= 100.0 and bat > 0.0 or soc <= 10.0 and bat < 0.0:
            bat = 0.0
        rows.append((t, pv, load, bat, soc))
        soc = max(0.0, min(100.0, soc + bat * step_s / 3600.0 / CAPACITY_WH * 100.0))
    return rows


def iso(t_s, day="2026-07-01"):
    t = int(t_s)
    if t >= 86400:
        return "2026-07-02 00:00:00"
    return "%s %02d:%02d:%02d" % (day, t // 3600, t // 60 % 60, t % 60)


def write_cloud(path):
    """An inverter cloud's export: 5-minute rows, battery power discharge-positive."""
    with open(path, "w", newline="") as f:
        f.write("Time,PV Power(W),Load Power(W),Battery Power(W),SOC(%)\r\n")
        for t, pv, load, bat, soc in day_model(300, 15):
            f.write("%s,%.0f,%.0f,%.0f,%.0f\r\n" % (iso(t), pv, load, (-bat) or 0.0, soc))


def utc_iso(t_s):
    """Local time on 2026-07-01 at +02:00 as UTC with Z, as Home Assistant writes it."""
    t = int(t_s) - 7200
    day = "2026-07-01" if t >= 0 else "2026-06-30"
    t %= 86400
    return "%sT%02d:%02d:%02d.000Z" % (day, t // 3600, t // 60 % 60, t % 60)


def write_home_assistant(path):
    """A Home Assistant history download: entity_id,state,last_changed, one row
    per change, each entity's rows in a block, a sensor that drops out."""
    rows = day_model(60, 16)
    with open(path, "w", newline="") as f:
        f.write("entity_id,state,last_changed\n")
        last = None
        for t, pv, load, bat, soc in rows:
            state = "%.0f" % bat
            if 14 * 3600 <= t < 14 * 3600 + 600:
                state = "unavailable"  # the inverter's integration dropped out
            if state != last:
                f.write("sensor.battery_power,%s,%s\n" % (state, utc_iso(t)))
                last = state
        last = None
        for t, pv, load, bat, soc in rows:
            state = "%.0f" % soc
            if state != last:
                f.write("sensor.battery_soc,%s,%s\n" % (state, utc_iso(t)))
                last = state
        last = None
        for t, *_ in rows:
            h = t / 3600.0
            temp = "%.1f" % (22.0 + 4.0 * math.sin(math.pi * (h - 9.0) / 12.0))
            if temp != last:
                f.write("sensor.garage_temperature,%s,%s\n" % (temp, utc_iso(t)))
                last = temp


def write_inverter_candump(path):
    """The inverter side of a field candump (can-utils `candump -l`, epoch
    timestamps): 0x305 once a second for two minutes, then the inverter's
    CAN controller hangs; the BMS's own frames in the log are not replayed."""
    t0 = 1782900000  # 2026-07-01T10:00:00Z
    with open(path, "w", newline="") as f:
        for i in range(120):
            f.write("(%d.%06d) can0 305#0000000000000000\n" % (t0 + i, 250000))
            f.write("(%d.%06d) can0 351#2D02FA002C01C801\n" % (t0 + i, 400000))


def winter_day(step_s, seed, soc0):
    """A cloudy winter day: little PV, a long evening load. Rows as day_model's."""
    rng = random.Random(seed)
    soc, rows = soc0, []
    for k in range(int(86400 / step_s) + 1):
        t = k * step_s
        h = t / 3600.0
        bell = max(0.0, math.sin(math.pi * (h - 8.5) / 8.0)) if 8.5 < h < 16.5 else 0.0
        pv = 450.0 * bell * rng.uniform(0.4, 1.0)
        load = 70.0 + rng.uniform(-10.0, 10.0)
        if 7.0 <= h < 8.0 or 12.0 <= h < 13.0 or 17.5 <= h < 20.5:
            load += 400.0
        bat = max(-1000.0, min(1000.0, pv - load))
        if soc >= 100.0 and bat > 0.0 or soc <= 10.0 and bat < 0.0:
            bat = 0.0
        rows.append([t, pv, load, bat, soc])
        soc = max(0.0, min(100.0, soc + bat * step_s / 3600.0 / CAPACITY_WH * 100.0))
    return rows


def write_cloud_rows(path, rows):
    with open(path, "w", newline="") as f:
        f.write("Time,PV Power(W),Load Power(W),Battery Power(W),SOC(%)\r\n")
        for t, pv, load, bat, soc in rows:
            f.write("%s,%.0f,%.0f,%.0f,%.0f\r\n" % (iso(t), pv, load, (-bat) or 0.0, soc))


def write_field(out):
    """scenarios/field/: what three sites' clouds logged on a winter day."""
    # A weak cell: the field pack stopped discharging at 19:00 with 40 % shown.
    rows = winter_day(300, 21, 95.0)
    for r in rows:
        if r[0] >= 19 * 3600:
            r[3] = 0.0
    soc = rows[0][4]
    for r in rows:
        r[4] = soc
        soc = max(0.0, min(100.0, soc + r[3] * 300 / 3600.0 / CAPACITY_WH * 100.0))
    write_cloud_rows(os.path.join(out, "weak-cell-cutoff.csv"), rows)
    # A current sensor 0.5 A high: the field BMS's SOC climbs 1 point an hour
    # above what the energy says.
    rows = winter_day(300, 22, 60.0)
    for r in rows:
        r[4] = min(100.0, r[4] + 0.5 * 51.2 * r[0] / 3600.0 / CAPACITY_WH * 100.0)
    write_cloud_rows(os.path.join(out, "current-offset-soc-drift.csv"), rows)
    # A manual-mode inverter: the house kept drawing after the BMS's SOC said
    # empty; the cloud shows the battery at 0 W after the BMS cut off at 21:10.
    rows = winter_day(300, 23, 45.0)
    for r in rows:
        if r[0] >= 21 * 3600 + 600:
            r[3] = 0.0
    write_cloud_rows(os.path.join(out, "manual-overdischarge.csv"), rows)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("scenarios", "replay")
    write_cloud(os.path.join(out, "cloud-day.csv"))
    write_home_assistant(os.path.join(out, "ha-day.csv"))
    write_inverter_candump(os.path.join(out, "inverter-can-hang.log"))
    field = os.path.join(os.path.dirname(os.path.abspath(out)), "field")
    os.makedirs(field, exist_ok=True)
    write_field(field)


if __name__ == "__main__":
    main()
