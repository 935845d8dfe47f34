"""Listeners bind 127.0.0.1 unless --listen names
another address; a bad address is refused at start (exit 2); a non-loopback
address is warned about (checked in the Check suite, not opened here: the
tests stay on loopback)."""
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridge_util import GTXSIM, Sim, check, scenario  # noqa: E402


def hello(addr, port):
    try:
        s = socket.create_connection((addr, port), timeout=3)
    except OSError:
        return None
    data = s.recv(64)
    s.close()
    return data


def main():
    # --realtime: the runs last an hour unless stopped (they are, once checked)
    sim = Sim([scenario("idle.json"), "--realtime", "--can", "socketcand:0"],
              ["socketcand"])
    check("socketcand on 127.0.0.1:" in sim.stderr(), "default address: %s" % sim.stderr())
    sim.stop()
    sim = Sim([scenario("idle.json"), "--realtime", "--listen", "127.0.0.2",
               "--can", "socketcand:0", "--can", "slcan:tcp:0"], ["socketcand", "slcan_tcp"])
    port = sim.info["socketcand"]
    check("socketcand on 127.0.0.2:%d" % port in sim.stderr(), sim.stderr())
    check("SLCAN on tcp 127.0.0.2:" in sim.stderr(), sim.stderr())
    check("warning" not in sim.stderr(), "a loopback address needs no warning")
    check(hello("127.0.0.2", port) == b"< hi >", "no greeting on 127.0.0.2")
    check(hello("127.0.0.1", port) is None, "127.0.0.1 should not be listened on")
    sim.stop()
    r = subprocess.run([GTXSIM, "run", scenario("idle.json"), "--listen", "localhost:80",
                        "--can", "socketcand:0"], capture_output=True, text=True, timeout=60)
    check(r.returncode == 2 and "not a numeric IPv4 or IPv6 address" in r.stderr,
          "bad --listen: %d %r" % (r.returncode, r.stderr))
    print("ok")


if __name__ == "__main__":
    main()
