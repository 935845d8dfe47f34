#!/usr/bin/env python3
"""make_replay_examples.py: writes the example field logs of scenarios/replay/
(docs/replay.md): two exports of a small deterministic model of a summer day at a house
with 1.4 kWp of PV and a 2.56 kWh pack: PV as a clear-sky bell with passing
clouds, a house load with a base, meals and a kettle, and the battery taking
PV minus load within +-1 kW and 10-100 % SOC, as a self-consumption inverter
does; and the inverter side of a field candump. The same seed gives the same
files byte for byte.

  tools/make_replay_examples.py [OUT_DIR]   (default scenarios/replay; the field
                                            weeks go to OUT_DIR/../field)
  tools/make_replay_examples.py --year OUT.csv   (a year at 1-minute samples, to measure)
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


# ---- field weeks (scenarios/field/) ----

SEASONS = {
    # sunrise and sunset (local hours), PV peak (W), base load (W), evening extra (W)
    "summer": {"date": (2026, 7, 6), "rise": 5.5, "set": 21.0, "peak_w": 1400.0,
               "base_w": 160.0, "evening_w": 120.0},
    "winter": {"date": (2026, 1, 12), "rise": 8.3, "set": 16.7, "peak_w": 550.0,
               "base_w": 110.0, "evening_w": 260.0},
}
WEATHER = {
    # each day's cloud factor is drawn from this range; it wanders by +-flicker a sample
    "sunny": {"day": (0.85, 1.0), "flicker": 0.03},
    "cloudy": {"day": (0.15, 0.55), "flicker": 0.12},
}
CHARGE_EFF = 0.97  # the field pack stores 97 % of what goes in, gives 97 % of what it draws
LIMIT_W = 1200.0   # the field inverter's battery power, either way


def week_inputs(season, weather, seed, days=7, step_s=300):
    """[t_s, pv_w, load_w] every step_s for days: PV as a bell between sunrise and sunset
    under a wandering cloud factor with 3 % sensor noise, a house load with a noisy base,
    meals, an evening extra and random kettles."""
    rng = random.Random(seed)
    se, we = SEASONS[season], WEATHER[weather]
    rows, cloud = [], 1.0
    for k in range(int(days * 86400 / step_s)):
        t = k * step_s
        h = t % 86400 / 3600.0
        if t % 86400 == 0:
            day_cloud = rng.uniform(*we["day"])
            cloud = day_cloud
        cloud = min(1.0, max(0.05, cloud + rng.uniform(-we["flicker"], we["flicker"])
                             + 0.2 * (day_cloud - cloud)))
        span = se["set"] - se["rise"]
        bell = math.sin(math.pi * (h - se["rise"]) / span) if se["rise"] < h < se["set"] else 0.0
        pv = se["peak_w"] * bell ** 1.5 * cloud * rng.uniform(0.97, 1.03)
        load = se["base_w"] * rng.uniform(0.85, 1.15)
        if 7.0 <= h < 7.5 or 12.0 <= h < 12.75 or 18.5 <= h < 19.5:
            load += rng.uniform(450.0, 750.0)  # meals
        if 17.0 <= h < 22.5:
            load += se["evening_w"]
        if 6.5 <= h < 22.5 and rng.random() < 0.02:
            load += 1800.0  # a kettle
        rows.append([t, pv, load])
    return rows


def field_pack(inputs, soc0, weak_pct=100.0, offset_pct_h=0.0, manual=False, min_soc=10.0):
    """The field pack under a self-consumption inverter: [t, pv, load, battery_w
    charge-positive, shown SOC %] per input row. weak_pct: one cell at that share of the
    capacity (the pack stops when it is empty or full, the SOC goes to 0 when it is
    empty and stays where it is when it is full); offset_pct_h: the BMS's SOC
    climbs this much an hour above the energy (a current sensor offset), held at 100,
    set to 100 when the pack is full and to 0 when it is empty; manual: the inverter
    ignores the shown SOC and runs the pack down until the BMS cuts it off at empty,
    after which the BMS shuts the pack down and nothing flows for the rest of the log."""
    cap_wh = CAPACITY_WH
    e = soc0 / 100.0 * cap_wh                 # the pack's stored energy
    weak_cap = cap_wh * weak_pct / 100.0      # the weak cell's share, as pack energy
    w = soc0 / 100.0 * weak_cap               # its stored energy
    shown = soc0
    dead = False
    out = []
    step_h = (inputs[1][0] - inputs[0][0]) / 3600.0
    for t, pv, load in inputs:
        bat = max(-LIMIT_W, min(LIMIT_W, pv - load))
        if bat > 0.0 and (e >= cap_wh - 1.0 or w >= weak_cap - 0.5):
            bat = 0.0  # full (or the weak cell is)
        if bat < 0.0 and (w <= 0.5 or e <= 1.0 or (not manual and shown <= min_soc)):
            bat = 0.0  # empty (or the inverter's min SOC)
            dead = manual and (w <= 0.5 or e <= 1.0)
        if dead:
            bat = 0.0  # shut down after the cut-off
        out.append([t, pv, load, bat, shown])
        de = (bat * CHARGE_EFF if bat > 0.0 else bat / CHARGE_EFF) * step_h
        de = max(-w, -e, min(weak_cap - w, cap_wh - e, de))  # the pack and its weak cell
        e += de                                               # move together
        w += de
        shown += de / cap_wh * 100.0 + offset_pct_h * step_h
        if e >= cap_wh - 1.0:
            shown = 100.0  # the BMS calibrates to full (a weak cell's cell_ov stop is no full)
        if e <= 1.0 or w <= 0.5:
            shown = 0.0  # and to empty
        shown = max(0.0, min(100.0, shown))
    return out


def week_iso(t_s, date):
    """Local time t_s after midnight of date (y, m, d), within the same month."""
    t = int(t_s)
    y, m, d = date
    return "%04d-%02d-%02d %02d:%02d:%02d" % (y, m, d + t // 86400, t // 3600 % 24,
                                              t // 60 % 60, t % 60)


def write_cloud_week(path, rows, date, gaps=(), blanks=()):
    """An inverter cloud's export of the rows: 5-minute rows, battery power
    discharge-positive, SOC as an integer; rows in gaps ((from_s, to_s)) missing (the
    logger was off), rows at blanks (t_s) with empty battery and SOC cells."""
    with open(path, "w", newline="") as f:
        f.write("Time,PV Power(W),Load Power(W),Battery Power(W),SOC(%)\r\n")
        for t, pv, load, bat, soc in rows:
            if any(a <= t < b for a, b in gaps):
                continue
            if t in blanks:
                f.write("%s,%.0f,%.0f,,\r\n" % (week_iso(t, date), pv, load))
                continue
            f.write("%s,%.0f,%.0f,%.0f,%.0f\r\n" % (week_iso(t, date), pv, load,
                                                     (-bat) or 0.0, soc))


def write_field(out):
    """scenarios/field/: three sites' cloud exports of a week, each with a fault."""
    day = 86400
    # A weak cell (half capacity) in a sunny summer week: the pack is full every
    # afternoon and gives up every night with half of its charge unused.
    rows = field_pack(week_inputs("summer", "sunny", 31), 95.0, weak_pct=50.0)
    write_cloud_week(os.path.join(out, "weak-cell-cutoff.csv"), rows, SEASONS["summer"]["date"],
                     gaps=[(2 * day + 13 * 3600 + 40 * 60, 2 * day + 14 * 3600 + 30 * 60)],
                     blanks=[4 * day + 10 * 3600])
    # A current sensor 0.5 A high in a sunny summer week: the SOC the BMS reports
    # climbs a point an hour above the energy, so before dawn the pack empties while
    # it still says 10-20 % (the inverter's min SOC never comes).
    rows = field_pack(week_inputs("summer", "sunny", 32), 60.0, offset_pct_h=1.0)
    write_cloud_week(os.path.join(out, "current-offset-soc-drift.csv"), rows,
                     SEASONS["summer"]["date"],
                     gaps=[(3 * day + 9 * 3600, 3 * day + 9 * 3600 + 45 * 60)],
                     blanks=[5 * day + 15 * 3600])
    # A manual-mode inverter in a cloudy winter week: one night it runs the pack
    # down until the BMS cuts off at empty, and the pack stays off (the short grey
    # days cannot make up for the house's evenings).
    rows = field_pack(week_inputs("winter", "cloudy", 33), 90.0, manual=True)
    write_cloud_week(os.path.join(out, "manual-overdischarge.csv"), rows,
                     SEASONS["winter"]["date"],
                     gaps=[(1 * day + 16 * 3600, 1 * day + 16 * 3600 + 35 * 60)],
                     blanks=[1 * day + 11 * 3600])


def write_year(path):
    """A year at 1-minute samples (525 600 rows) of the same site's cloud export, for
    measuring (docs/replay.md, "Streaming and memory"): a summer or winter week by the
    date, sunny or cloudy at random, from 2026-01-01."""
    rng = random.Random(40)
    shown = 50.0
    with open(path, "w", newline="") as f:
        f.write("Time,PV Power(W),Load Power(W),Battery Power(W),SOC(%)\r\n")
        for week in range(53):
            summer = 0.5 - 0.5 * math.cos(2.0 * math.pi * (week - 2) / 52.0)
            season = "summer" if summer >= 0.5 else "winter"
            inputs = week_inputs(season, rng.choice(["sunny", "cloudy"]), 100 + week,
                                 step_s=60)
            rows = field_pack(inputs, shown)
            for t, pv, load, bat, soc in rows:
                t_year = week * 7 * 86400 + t
                if t_year >= 365 * 86400:
                    return
                day_of_year = t_year // 86400
                m, d = month_day(day_of_year)
                f.write("2026-%02d-%02d %02d:%02d:%02d,%.0f,%.0f,%.0f,%.0f\r\n"
                        % (m, d, t // 3600 % 24, t // 60 % 60, t % 60, pv, load,
                           (-bat) or 0.0, soc))
                shown = soc


def month_day(day_of_year):
    """(month, day) of 2026's day 0..364."""
    lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    m = 0
    while day_of_year >= lengths[m]:
        day_of_year -= lengths[m]
        m += 1
    return m + 1, day_of_year + 1


def main():
    args = sys.argv[1:]
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
        return
    if len(args) == 2 and args[0] == "--year":
        write_year(args[1])
        return
    if len(args) > 1 or (args and args[0].startswith("-")):
        sys.exit("make_replay_examples.py: unexpected arguments %s (try --help)"
                 % " ".join(args))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("scenarios", "replay")
    write_cloud(os.path.join(out, "cloud-day.csv"))
    write_home_assistant(os.path.join(out, "ha-day.csv"))
    write_inverter_candump(os.path.join(out, "inverter-can-hang.log"))
    field = os.path.join(os.path.dirname(os.path.abspath(out)), "field")
    os.makedirs(field, exist_ok=True)
    write_field(field)


if __name__ == "__main__":
    main()
