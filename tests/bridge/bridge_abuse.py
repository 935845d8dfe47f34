"""Malformed input on every listener (broken
socketcand commands, bad SLCAN commands, overlong lines, binary, abrupt
disconnects, 100 connect/disconnect cycles, more clients than the server
takes). Meanwhile a well-behaved python-can client keeps getting every
second's frames; the simulator keeps running until the test stops it and
then exits cleanly (under -Db_sanitize=address that includes the leak check)."""
import os
import random
import socket
import struct
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import can  # noqa: E402
from bridge_util import HANG_S, PYLON_IDS, Sim, check, recv_ids, scenario  # noqa: E402

# the watcher's frames must span this many whole simulated seconds, the abuse within them
WATCH_S = 10


def tcp(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.settimeout(5)
    return s


def read_until(s, token, limit=1 << 20):
    buf = b""
    while token not in buf and len(buf) < limit:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf


def rst_close(s):
    """An abrupt disconnect: RST instead of FIN."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


class Watcher(threading.Thread):
    """The well-behaved client: python-can socketcand, reading all along. It
    sets seen_enough once its frames span WATCH_S + 1 seconds (whole ones
    between the first and the last) and it has been told the abuse is over."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.bus = can.Bus(interface="socketcand", channel="can0", host="127.0.0.1",
                           port=port)
        self.frames = []
        self.stop = False
        self.abuse_over = threading.Event()
        self.seen_enough = threading.Event()
        self.stamps_after = set()  # the seconds seen since the abuse ended

    def run(self):
        stamps = set()
        while not self.stop:
            m = self.bus.recv(0.1)
            if m is None:
                continue
            t = round(m.timestamp * 1e6)
            self.frames.append((t, m.arbitration_id))
            if m.arbitration_id in PYLON_IDS:
                stamps.add(t)
                if self.abuse_over.is_set():
                    self.stamps_after.add(t)
            if len(stamps) > WATCH_S and len(self.stamps_after) >= 2:
                self.seen_enough.set()
        self.bus.shutdown()


def socketcand_abuse(port):
    rnd = random.Random(6)
    bad = [b"< open >", b"< open can9 >", b"< send 305 9 >", b"< send 305 2 1 >",
           b"< send 1234567890 0 >", b"< nonsense >", b"<>", b"<<<<>>>>", b"x" * 1000,
           b"<" + b"y" * 10000 + b">", bytes(rnd.getrandbits(8) for _ in range(65536))]
    for msg in bad:
        s = tcp(port)
        check(read_until(s, b"< hi >") == b"< hi >", "no greeting")
        s.sendall(msg + b"< echo >")
        got = read_until(s, b"< echo >")
        check(b"< error " in got and got.endswith(b"< echo >"),
              "%r... answered %r" % (msg[:20], got[:200]))
        rst_close(s)
    # a client that opens and then sends junk in rawmode still gets frames
    s = tcp(port)
    read_until(s, b"< hi >")
    s.sendall(b"< open can0 >")
    check(read_until(s, b"< ok >") == b"< ok >", "open")
    s.sendall(b"< rawmode >")
    check(read_until(s, b"< ok >") == b"< ok >", "rawmode")
    s.sendall(b"\x00\xff< send 305 >< bogus >")
    got = read_until(s, b"< frame 35E")
    check(b"< frame 351" in got and got.count(b"< error ") == 3, "rawmode junk: %r" % got[:300])
    rst_close(s)
    # 100 connect/disconnect cycles, cut at every stage of the handshake
    for k in range(100):
        s = tcp(port)
        stage = k % 4
        if stage >= 1:
            read_until(s, b"< hi >")
            s.sendall(b"< open can0 >")
        if stage >= 2:
            read_until(s, b"< ok >")
            s.sendall(b"< rawmode >< send 30")
        if stage == 3:
            s.sendall(b"5 0 >")
        (rst_close if k % 2 else socket.socket.close)(s)
    # more clients than the server takes, one after the other (70 at once would test
    # the kernel's listen backlog of 16, whose SYN retries wait a second each): with
    # the watcher's, 32 are served, the next ones refused, and nobody hangs
    many, greetings = [], []
    for _ in range(70):
        many.append(tcp(port))
        greetings.append(read_until(many[-1], b">"))
    served = [g == b"< hi >" for g in greetings]
    refused = [b"too many clients" in g for g in greetings]
    check(served == [True] * 31 + [False] * 39 and refused == [False] * 31 + [True] * 39,
          "of 70 clients, %d served and %d refused (wanted the first 31 and the last 39)"
          % (sum(served), sum(refused)))
    for s in many:
        s.close()


def slcan_abuse(port, pty_path):
    bad = [b"t305\r", b"tXYZ0\r", b"T1\r", b"S9\r", b"r1230\r", b"Q\r",
           b"t1239" + b"0" * 18 + b"\r",
           b"z" * 5000 + b"\r", bytes(range(256)) + b"\r"]
    for k in range(20):
        s = tcp(port)
        s.sendall(b"O\r")
        check(read_until(s, b"\r")[:1] == b"\r", "O not acknowledged")
        for msg in bad:
            s.sendall(msg)
            got = read_until(s, b"\a")
            check(got.endswith(b"\a"), "%r... answered %r" % (msg[:10], got[-40:]))
        (rst_close if k % 2 else socket.socket.close)(s)
    fd = os.open(pty_path, os.O_RDWR | os.O_NOCTTY)
    os.write(fd, b"".join(bad))
    os.write(fd, b"C\r")
    os.close(fd)


def console_abuse(pty_path):
    fd = os.open(pty_path, os.O_RDWR | os.O_NOCTTY)
    os.write(fd, bytes(random.Random(4).getrandbits(8) for _ in range(3000)) + b"\r")
    os.write(fd, b"q" * 10240 + b"\r\n")
    os.close(fd)


def main():
    sim = Sim([scenario("idle.json"), "--speed", "20", "--can", "socketcand:0", "--can",
               "slcan", "--can", "slcan:tcp:0", "--console", "pty"],
              ["socketcand", "slcan_pty", "slcan_tcp", "console"])
    watcher = Watcher(sim.info["socketcand"])
    watcher.start()
    socketcand_abuse(sim.info["socketcand"])
    slcan_abuse(sim.info["slcan_tcp"], sim.info["slcan_pty"])
    console_abuse(sim.info["console"])
    # a new client after all that
    late = can.Bus(interface="socketcand", channel="can0", host="127.0.0.1",
                   port=sim.info["socketcand"])
    # 12 frames are 2 simulated seconds (HANG_S only against a hang)
    late_ids = recv_ids(late, 12, HANG_S, 0.2)
    late.shutdown()
    check(late_ids[:6] == PYLON_IDS or late_ids[6:12] == PYLON_IDS, "late client: %s" % late_ids)
    check(sim.running(), "the simulator stopped during the abuse")
    # the watcher goes on until its frames span WATCH_S seconds and two whole seconds
    # after the abuse, so every second of the abuse lies inside them
    watcher.abuse_over.set()
    watcher.seen_enough.wait(HANG_S)
    watcher.stop = True
    watcher.join()
    sim.stop()
    stamps = sorted({t for t, i in watcher.frames if i in PYLON_IDS})
    check(len(stamps) > WATCH_S and len(watcher.stamps_after) >= 2,
          "the watcher got only %d seconds" % len(stamps))
    check(all(b - a == 1000000 for a, b in zip(stamps, stamps[1:])),
          "the watcher missed seconds: %s" % stamps)
    # The watcher is told to stop at an arbitrary wall-clock moment, which may
    # fall between two frames of one second's batch: its last second may be cut.
    for t in stamps[:-1]:
        check([i for s, i in watcher.frames if s == t and i in PYLON_IDS] == PYLON_IDS,
              "the watcher's frames at %d us are incomplete" % t)
    print("watcher got %d whole seconds during the abuse" % len(stamps))
    print("ok")


if __name__ == "__main__":
    main()
