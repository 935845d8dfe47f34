"""Pack 1's RS232 service console on the printed pty,
driven with pyserial: status, cells and log give the tables of
docs/console.md; binary garbage, an unknown command and a 10 KB line each get
their one error line, and the console keeps answering."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serial  # noqa: E402
from bridge_util import HANG_S, Sim, check, scenario  # noqa: E402

STATUS_ROWS = ["state", "soc", "health", "voltage", "current", "cells", "temperature",
               "limits", "protections", "alarms", "faults", "mosfets", "balancing"]


def ask(ser, line, last, timeout=HANG_S):
    """Sends one line; returns the reply's lines up to the one starting with last
    (timeout, in wall seconds, only against a hang)."""
    ser.write(line + b"\r\n")
    rows = []
    buf = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        buf += ser.read(ser.in_waiting or 1)
        while b"\r\n" in buf:
            row, buf = buf.split(b"\r\n", 1)
            rows.append(row.decode("ascii"))
            if row.decode("ascii").startswith(last):
                check(buf == b"", "bytes after the reply: %r" % buf)
                return rows
    check(False, "no reply ending in %r to %r within %.0f s: %r" % (last, line[:40], timeout,
                                                                      rows))


def main():
    sim = Sim([scenario("idle.json"), "--speed", "4", "--console", "pty"], ["console"])
    ser = serial.Serial(sim.info["console"], 115200, timeout=0.2)
    ser.reset_input_buffer()

    rows = ask(ser, b"status", "balancing")
    check([r.split()[0] for r in rows] == STATUS_ROWS, "status rows: %s" % rows)
    check(rows[0].split()[1] == "standby" and "pack 1 of 1 (master)" in rows[0],
          "status state row: %r" % rows[0])
    check(all(len(r) <= 126 for r in rows), "a reply line is longer than 126 characters")

    rows = ask(ser, b"cells", "   6   air")
    check(rows[0] == "cell   voltage    to min  bleed", "cells header: %r" % rows[0])
    cells = rows[1:17]
    check([int(r.split()[0]) for r in cells] == list(range(1, 17)), "16 cell rows: %s" % cells)
    check(all(3.0 < float(r.split()[1]) < 3.5 and r.split()[2] == "V" for r in cells),
          "cell voltages: %s" % cells)
    check(rows[17] == "ntc    where        temp", "ntc header: %r" % rows[17])
    check(len(rows) == 24, "cells reply has %d rows, wanted 24" % len(rows))

    # log's length varies: type version right behind it (answered in order)
    rows = ask(ser, b"log 5\r\nversion", "uptime")
    check(rows[0].split() == ["seq", "boot", "uptime", "event", "value"],
          "log header: %r" % rows[0])
    log = rows[1:rows.index(next(r for r in rows if r.startswith("firmware")))]
    check(1 <= len(log) <= 5, "log 5 gave %d entries" % len(log))
    check(all(r.split()[0].isdigit() and r.split()[2] == "0d" for r in log), "log rows: %s" % log)
    check(any(r.split()[4] == "state.standby" for r in log), "log has no state.standby: %s" % log)
    check(rows[-1].startswith("uptime"), "version's last row: %r" % rows[-1])
    for junk, err in ((b"\x01\x02\xfe\xff garbage \x1b[A", "error: binary data in line"),
                      (b"foo", "error: unknown command 'foo' (try help)"),
                      (b"x" * 10240, "error: line too long (max 256 bytes)"),
                      (b"log 0", "error: out of range 1..1000, usage: log [N]")):
        rows = ask(ser, junk, "error: ")
        check(rows == [err], "%r... got %r, wanted %r" % (junk[:12], rows, err))
    rows = ask(ser, b"STATUS", "balancing")
    check([r.split()[0] for r in rows] == STATUS_ROWS, "status after the garbage: %s" % rows)
    ser.close()
    sim.stop()
    print("status %d rows, cells 24 rows, log and errors as documented" % len(STATUS_ROWS))
    print("ok")


if __name__ == "__main__":
    main()
