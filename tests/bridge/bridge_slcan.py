"""python-can's slcan client on the printed pty
(sleep_after_open=0, bitrate 500000: C, S6, O, O) and over socket:// (--can
slcan:tcp:PORT) receives the BMS frames byte for byte as the candump log has
them; a 0x305 each sends reaches the BMS (its inverter_link alarm clears, once
for each client) and the other client."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import can  # noqa: E402
from bridge_util import (HANG_S, PYLON_IDS, Sim, check, read_candump, read_trace,  # noqa: E402
                         scenario)


def main():
    sim = Sim([scenario("inverter-link-twice.json"), "--speed", "40", "--can", "slcan",
               "--can", "slcan:tcp:0", "--trace", "trace.csv", "--candump", "can.log"],
              ["slcan_pty", "slcan_tcp"])
    pty = can.Bus(interface="slcan", channel=sim.info["slcan_pty"], sleep_after_open=0,
                  bitrate=500000)
    tcp = can.Bus(interface="slcan", channel="socket://127.0.0.1:%d" % sim.info["slcan_tcp"],
                  sleep_after_open=0)
    got = {"pty": [], "tcp": []}
    sent = {}
    data = {"pty": bytes([0xA1] * 8), "tcp": bytes([0xB2] * 8)}
    peer = {"pty": "tcp", "tcp": "pty"}
    # slcan frames carry no time: each 0x351 a client gets is one more simulated
    # second, so counting them bounds the simulated time from below. The pty client
    # answers the first alarm (60 s), the TCP client the second one, 60 s after the
    # pty client's 0x305 reached the bus; the run ends 3 s after the TCP client's,
    # and not before the frames show a second past the scenario's last expectation
    # (that frame went out after the expectation's instant was checked).
    n351 = {"pty": 0, "tcp": 0}
    saw_other = {}  # client: its n351 when the other client's 0x305 reached it
    hang_guard = time.monotonic() + HANG_S  # only against a hang
    while sim.running() and time.monotonic() < hang_guard:
        for name, bus in (("pty", pty), ("tcp", tcp)):
            m = bus.recv(0.01)
            if m is None:
                continue
            got[name].append((m.arbitration_id, bytes(m.data)))
            if m.arbitration_id == 0x351:
                n351[name] += 1
            elif m.arbitration_id == 0x305 and bytes(m.data) == data[peer[name]]:
                saw_other.setdefault(name, n351[name])
        if "pty" not in sent and n351["pty"] >= 67:
            sent["pty"] = data["pty"]
            pty.send(can.Message(arbitration_id=0x305, data=sent["pty"], is_extended_id=False))
        if "tcp" not in sent and n351["tcp"] >= saw_other.get("tcp", 1e9) + 65:
            sent["tcp"] = data["tcp"]
            tcp.send(can.Message(arbitration_id=0x305, data=sent["tcp"], is_extended_id=False))
        if n351["pty"] >= saw_other.get("pty", 1e9) + 3 and n351["pty"] >= sim.decided_s + 2:
            break
    pty.shutdown()
    tcp.shutdown()
    sim.stop()
    check(set(saw_other) == {"pty", "tcp"}, "the clients' 0x305 frames did not go round "
          "(sent %s, seen by %s)" % (sorted(sent), sorted(saw_other)))

    dump = read_candump(sim.path("can.log"))
    on_bus = {(i, d) for _, i, d in dump}
    for name in ("pty", "tcp"):
        bms = [f for f in got[name] if f[0] in PYLON_IDS]
        check(len(bms) >= 6 * 100, "%s client got only %d BMS frames" % (name, len(bms)))
        for f in got[name]:
            check(f in on_bus, "%s client got %s, not on the bus" % (name, f))
        ids = [i for i, _ in bms]
        start = ids.index(0x351)
        whole = ids[start:start + 6 * ((len(ids) - start) // 6)]
        check(whole == PYLON_IDS * (len(whole) // 6), "%s client: frames out of order" % name)
        other = "tcp" if name == "pty" else "pty"
        check((0x305, sent[other]) in got[name], "%s client did not see the %s client's 0x305"
              % (name, other))
        check((0x305, sent[name]) not in got[name], "%s client got its own 0x305" % name)
    t305 = {d: t for t, i, d in dump if i == 0x305}
    check(set(t305) == {sent["pty"], sent["tcp"]}, "0x305 frames on the bus: %s" % t305)
    rows = read_trace(sim.path("trace.csv"))
    alarm = {round(float(r["t_s"])): "inverter_link" in r["alarm"].split("|") for r in rows}
    t1, t2 = t305[sent["pty"]] / 1e6, t305[sent["tcp"]] / 1e6
    check(alarm[62] and alarm[65], "inverter_link should be up at 62-65 s")
    check(not any(alarm[t] for t in alarm if t1 + 0.1 < t < t1 + 59),
          "inverter_link did not clear after the pty client's 0x305 at %.2f s" % t1)
    check(alarm[int(t1) + 62], "inverter_link should rise again 60 s after %.2f s" % t1)
    check(not any(alarm[t] for t in alarm if t2 + 0.1 < t),
          "inverter_link did not clear after the TCP client's 0x305 at %.2f s" % t2)
    print("pty %d, tcp %d frames; 0x305 at %.2f s (pty) and %.2f s (tcp) cleared the alarm"
          % (len(got["pty"]), len(got["tcp"]), t1, t2))
    print("ok")


if __name__ == "__main__":
    main()
