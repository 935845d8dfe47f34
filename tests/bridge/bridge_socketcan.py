"""--can socketcan:IFACE. Everywhere: a missing
interface (or a kernel without AF_CAN) is refused at start with a clear
message and exit status 2. Where the kernel has SocketCAN and a vcan
interface is up: python-can's socketcan interface receives the BMS frames and
its 0x305 reaches the bus. Otherwise that part is skipped (exit 77) saying why."""
import glob
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridge_util import (GTXSIM, HANG_S, PYLON_IDS, Sim, check, read_candump,  # noqa: E402
                         recv_ids, scenario)


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


def refused_cleanly():
    r = subprocess.run([GTXSIM, "run", scenario("idle.json"), "--can",
                        "socketcan:gtxnone0"], capture_output=True, text=True, timeout=60)
    check(r.returncode == 2, "a missing interface should exit 2, got %d" % r.returncode)
    check("this kernel has no SocketCAN (AF_CAN)" in r.stderr
          or "no CAN interface 'gtxnone0'" in r.stderr, "message: %r" % r.stderr)
    check("0 passed" not in r.stdout, "it ran anyway: %r" % r.stdout)


def vcan_up():
    for d in glob.glob("/sys/class/net/*"):
        try:
            with open(d + "/type") as f:
                kind = int(f.read())
            with open(d + "/flags") as f:
                up = int(f.read(), 16) & 1
        except OSError:
            continue
        if kind == 280 and up:  # ARPHRD_CAN
            return os.path.basename(d)
    return None


def main():
    refused_cleanly()
    try:
        socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW).close()
    except (OSError, AttributeError) as e:
        skip("this kernel has no SocketCAN (AF_CAN): %s" % e)
    iface = vcan_up()
    if not iface:
        skip("no CAN interface is up (sudo ip link add dev vcan0 type vcan && "
             "sudo ip link set up vcan0)")
    import can
    sim = Sim([scenario("idle.json"), "--speed", "4", "--can", "socketcan:" + iface,
               "--candump", "can.log"], [])
    bus = can.Bus(interface="socketcan", channel=iface)
    ids = recv_ids(bus, 18, HANG_S, 0.5)
    bus.send(can.Message(arbitration_id=0x305, data=[7] * 8, is_extended_id=False))
    # the simulator has polled the interface (and taken the 0x305) once a second's
    # frames came after it
    check(len(recv_ids(bus, 6, HANG_S, 0.5)) == 6, "no frames after the 0x305")
    bus.shutdown()
    sim.stop()
    start = ids.index(0x351)
    check(ids[start:start + 6] == PYLON_IDS, "frames on %s: %s" % (iface, ids))
    check(any(i == 0x305 and d == bytes([7] * 8) for _, i, d in read_candump(sim.path("can.log"))),
          "the 0x305 from %s did not reach the simulated bus" % iface)
    print("ok")


if __name__ == "__main__":
    main()
