"""python-can's socketcand client on gtxsim --realtime
receives the six BMS frames every second for 5 s of simulated time, byte for byte
the candump log's and the trace's values; a second client at the same time
sees the same frames and the 0x305 the first one sends (the sender gets no
echo); a 0x305 from a client clears the BMS's inverter_link alarm."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import can  # noqa: E402
from bridge_util import (HANG_S, PYLON_IDS, Sim, check, read_candump, read_trace,  # noqa: E402
                         scenario, t_us)

SHARED_S = 5  # whole seconds both clients must see before A sends


def connect(port):
    return can.Bus(interface="socketcand", channel="can0", host="127.0.0.1", port=port)


def frames_of(msgs):
    return [(t_us(m.timestamp), m.arbitration_id, bytes(m.data)) for m in msgs]


def seconds(frames):
    """BMS frames grouped by timestamp, in arrival order."""
    groups = {}
    for t, i, d in frames:
        if i in PYLON_IDS:
            groups.setdefault(t, []).append((i, d))
    return groups


def realtime_two_clients():
    sim = Sim([scenario("outside-inverter.json"), "--realtime",
               "--can", "socketcand:0", "--candump", "can.log", "--trace", "trace.csv"],
              ["socketcand"])
    port = sim.info["socketcand"]
    a, b = connect(port), connect(port)
    got = {"a": [], "b": []}
    sent = None
    # Paced by simulated time, not by the wall clock: collect until both clients
    # share SHARED_S whole seconds of frames, send the 0x305, and stop once B has it.
    # The wall-clock bound only guards against a hang.
    hang_guard = time.monotonic() + HANG_S
    while sim.running() and time.monotonic() < hang_guard:
        for name, bus in (("a", a), ("b", b)):
            m = bus.recv(0.02)
            if m is not None:
                got[name].append(m)
        common = set(seconds(frames_of(got["a"]))) & set(seconds(frames_of(got["b"])))
        if sent is None and len(common) >= SHARED_S:
            sent = bytes([1, 2, 3, 4, 5, 6, 7, 8])
            a.send(can.Message(arbitration_id=0x305, data=sent, is_extended_id=False))
        if sent is not None and any(m.arbitration_id == 0x305 for m in got["b"]):
            break
    a.shutdown()
    b.shutdown()
    sim.stop()

    dump = read_candump(sim.path("can.log"))
    dump_set = set(dump)
    trace = {round(float(r["t_s"]) * 1e6): r for r in read_trace(sim.path("trace.csv"))}
    fa, fb = frames_of(got["a"]), frames_of(got["b"])
    ga, gb = seconds(fa), seconds(fb)
    # at least SHARED_S whole seconds of frames each, in order, none missing
    check(len(ga) >= SHARED_S, "client A got frames for only %d seconds: %s"
          % (len(ga), sorted(ga)))
    check(len(gb) >= SHARED_S, "client B got frames for only %d seconds" % len(gb))
    stamps = sorted(ga)
    check(all(s % 1000000 == 0 for s in stamps), "BMS frames off the whole second: %s" % stamps)
    check(all(y - x == 1000000 for x, y in zip(stamps, stamps[1:])),
          "a second is missing: %s" % stamps)
    for t, group in ga.items():
        check([i for i, _ in group] == PYLON_IDS,
              "at %d us client A got %s, wanted the six frames in order"
              % (t, [hex(i) for i, _ in group]))
        row = trace.get(t)
        check(row is not None, "no trace row at %d us" % t)
        d = dict(group)
        cvl = int.from_bytes(d[0x351][0:2], "little") / 10
        ccl = int.from_bytes(d[0x351][2:4], "little") / 10
        dcl = int.from_bytes(d[0x351][4:6], "little") / 10
        soc = int.from_bytes(d[0x355][0:2], "little")
        check(abs(cvl - float(row["cvl_v"])) < 1e-6 and abs(ccl - float(row["ccl_a"])) < 1e-6
              and abs(dcl - float(row["dcl_a"])) < 1e-6,
              "0x351 at %d us says %.1f V %.1f A %.1f A, the trace %s %s %s"
              % (t, cvl, ccl, dcl, row["cvl_v"], row["ccl_a"], row["dcl_a"]))
        check(soc == int(row["soc"]), "0x355 SOC %d, trace %s" % (soc, row["soc"]))
    for f in fa + fb:
        check(f in dump_set, "frame %s not in the candump log (bytes differ?)" % (f,))
    common = set(ga) & set(gb)
    check(len(common) >= SHARED_S, "the two clients overlap in only %d seconds" % len(common))
    for t in common:
        check(ga[t] == gb[t], "at %d us the clients got different frames" % t)
    b305 = [f for f in fb if f[1] == 0x305]
    check(len(b305) == 1 and b305[0][2] == sent, "client B saw %s of A's 0x305" % b305)
    check(not any(f[1] == 0x305 for f in fa), "client A got its own 0x305 echoed")
    check(any(i == 0x305 and d == sent for _, i, d in dump), "0x305 missing in the candump log")
    print("realtime: A %d s, B %d s of frames; 0x305 seen by B only" % (len(ga), len(gb)))


def heartbeat_clears_alarm():
    sim = Sim([scenario("inverter-link.json"), "--speed", "40", "--can", "socketcand:0",
               "--trace", "trace.csv", "--candump", "can.log"], ["socketcand"])
    bus = connect(sim.info["socketcand"])
    sent_at = None
    hang_guard = time.monotonic() + HANG_S
    while sim.running() and time.monotonic() < hang_guard:
        m = bus.recv(0.1)
        if m is None:
            continue
        if sent_at is None and m.timestamp >= 66.0:
            bus.send(can.Message(arbitration_id=0x305, data=[0] * 8, is_extended_id=False))
            sent_at = m.timestamp
        # 14 s to see the alarm stay clear, and past the scenario's expectations
        if sent_at is not None and m.timestamp >= max(80.0, sim.decided_s + 1):
            break
    bus.shutdown()
    sim.stop()  # and the scenario's 2 alarm expectations passed
    check(sent_at is not None, "never saw t >= 66 s")
    rows = read_trace(sim.path("trace.csv"))
    alarm = {round(float(r["t_s"])): "inverter_link" in r["alarm"].split("|") for r in rows}
    check(not alarm[59] and all(alarm[t] for t in range(61, 66)),
          "inverter_link should rise at 60 s without 0x305")
    t305 = [t for t, i, _ in read_candump(sim.path("can.log")) if i == 0x305]
    check(len(t305) == 1 and t305[0] >= 66000000, "the client's 0x305 on the bus: %s" % t305)
    after = [t for t in alarm if t * 1000000 > t305[0] + 20000]
    check(after and not any(alarm[t] for t in after),
          "inverter_link still active after the 0x305 at %d us" % t305[0])
    print("inverter_link up 61-65 s, cleared by the 0x305 at %.2f s" % (t305[0] / 1e6))


if __name__ == "__main__":
    realtime_two_clients()
    heartbeat_clears_alarm()
    print("ok")
