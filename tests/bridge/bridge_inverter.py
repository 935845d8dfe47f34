"""A Python script plays the inverter of a scenario
with "inverter": null. Over socketcand it reads 0x351 (limits) and 0x35C
(enable bits), sends the 0x305 heartbeat, and charges through the bench's
power-stage frame (extended ID 0x1F5E0000, docs/bridges.md) at min(CCL, 20 A)
up to CVL: the pack charges at +20 A and its SOC rises, as the BMS reports
it in 0x355 and as the trace's true SOC shows; turned off, the pack carries
nothing (0x356 and the trace)."""
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import can  # noqa: E402
from bridge_util import HANG_S, Sim, check, read_trace, scenario  # noqa: E402

BENCH_ID = 0x1F5E0000
WANT_A = 20.0


def bench(on, current_a=0.0, v_max=0.0, v_min=0.0):
    data = struct.pack("<hHHBB", round(current_a * 10), round(v_max * 10), round(v_min * 10),
                       1 if on else 0, 0)
    return can.Message(arbitration_id=BENCH_ID, is_extended_id=True, data=data)


def main():
    sim = Sim([scenario("outside-inverter-charge.json"), "--speed", "40",
               "--can", "socketcand:0", "--trace", "trace.csv"], ["socketcand"])
    bus = can.Bus(interface="socketcand", channel="can0", host="127.0.0.1",
                  port=sim.info["socketcand"])
    limits = None
    enable = None
    soc_seen = []
    started_at = None
    off_at = None  # when the script turned the stage off
    idle_after_off = 0  # 0x356 frames since then that report no current
    # only against a hang: the loop follows simulated time
    hang_guard = time.monotonic() + HANG_S
    while sim.running() and time.monotonic() < hang_guard and idle_after_off < 2:
        m = bus.recv(0.2)
        if m is None:
            continue
        if m.arbitration_id == 0x351:
            limits = struct.unpack("<HhhH", bytes(m.data))
        elif m.arbitration_id == 0x355:
            soc_seen.append((m.timestamp, struct.unpack("<HHHH", bytes(m.data))[2] / 100.0))
        elif m.arbitration_id == 0x356 and off_at is not None:
            idle_after_off += abs(struct.unpack("<hhhH", bytes(m.data))[1]) < 5  # 0.5 A
        elif m.arbitration_id == 0x35C and off_at is None:
            enable = m.data[0]
            # once a second, after the BMS's six frames: heartbeat, then the
            # power stage as a Pylontech inverter would set it
            bus.send(can.Message(arbitration_id=0x305, data=[0] * 8, is_extended_id=False))
            cvl, ccl, _, dvl = limits
            amps = min(ccl / 10.0, WANT_A) if enable & 0x80 else 0.0
            bus.send(bench(True, amps, cvl / 10.0, dvl / 10.0))
            if started_at is None and amps > 0:
                started_at = m.timestamp
            if m.timestamp >= 250:
                bus.send(bench(False))
                off_at = m.timestamp
    bus.shutdown()
    sim.stop()
    check(started_at is not None, "the script never got a charge enable and a CCL")
    rows = read_trace(sim.path("trace.csv"))
    at = {round(float(r["t_s"])): r for r in rows}
    # when the first command took effect (it travels in wall time, so in
    # simulated time it lands a little after the script sent it)
    t1 = next(t for t in sorted(at) if float(at[t]["current_a"]) > 1.0) + 1
    check(t1 < 200, "the charge started only at %d s" % t1)
    cur = [float(at[t]["current_a"]) for t in range(t1, 245)]
    check(all(abs(c - WANT_A) < 0.5 for c in cur),
          "the pack should carry +20 A while the script charges: %s" % cur[:10])
    check(all(at[t]["state"] == "charging" for t in range(t1, 245)), "BMS state not charging")
    rise = float(at[245]["true_soc"]) - float(at[t1]["true_soc"])
    expect = WANT_A * (245 - t1) / 3600 / 50 * 100  # 50 Ah pack
    check(abs(rise - expect) < 0.3 * expect, "true SOC rose %.2f %%, wanted ~%.2f %%"
          % (rise, expect))
    bms_rise = soc_seen[-1][1] - min(s for t, s in soc_seen if t >= started_at)
    check(bms_rise > 0.5 * expect, "the BMS's SOC (0x355) rose only %.2f %%" % bms_rise)
    check(idle_after_off == 2, "0x356 never reported the stage off (turned off at %s s)"
          % off_at)
    check(abs(float(rows[-1]["current_a"])) < 0.5, "the power stage should be off at the end")
    print("charged at %.1f A from %.0f s: true SOC +%.2f %% (expected %.2f), BMS +%.2f %%"
          % (WANT_A, started_at, rise, expect, bms_rise))
    print("ok")


if __name__ == "__main__":
    main()
