"""bridge_util: shared helpers of the tests/bridge Python tests: start gtxsim
with bridges, read the ports and ptys it announces on stderr, end the run when
the test is done (SIGINT), read its candump log and trace, and fail with a clear
message. Paths come from meson (GTXSIM, GTX_SOURCE_ROOT).

No test waits on the wall clock: the scenarios last longer than any test needs
(an hour of simulated time), each test goes on as the frames it reads say simulated
time has passed, and ends the run itself (Sim.stop). A test whose scenario has
expectations goes on until its frames show a simulated time past the last of them
(Sim.decided_s), so every expectation is decided when it stops the run. Every
wall-clock bound (HANG_S) only turns a hang into a failure."""
import atexit
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

GTXSIM = os.environ.get("GTXSIM", "gtxsim")
ROOT = os.environ.get("GTX_SOURCE_ROOT", ".")
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from gtx_cli import wait_signal_caught  # noqa: E402
SCN_DIR = os.path.join(ROOT, "tests", "bridge", "scenarios")
PYLON_IDS = [0x351, 0x355, 0x356, 0x359, 0x35C, 0x35E]
# The bound of every wait in these tests: reached only when something hangs.
HANG_S = 60


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def scenario(name):
    return os.path.join(SCN_DIR, name)


UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def duration_s(v):
    """A scenario duration (docs/spec/SCENARIO.md) in seconds: a number, or a
    string <number><unit>."""
    if isinstance(v, (int, float)):
        return float(v)
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)", v)
    check(m is not None, "bad duration %r" % v)
    return float(m.group(1)) * UNIT_S[m.group(2)]


def expectations(path):
    """(how many expectations a scenario has, the simulated time by which all of
    them are decided): an `at`, `by` or `to` instant, the run's end for one
    without a time (the whole run)."""
    with open(path) as f:
        scn = json.load(f)
    expect = scn.get("expect", [])
    ends = [duration_s(e.get("at", e.get("by", e.get("to", scn["duration"])))) for e in expect]
    return len(expect), max(ends, default=0.0)


def recv_ids(bus, count, seconds, poll_s):
    """The identifiers of the first count frames a python-can bus receives
    (fewer when seconds of wall time, a bound against a hang, run out),
    polling every poll_s."""
    ids = []
    end = time.monotonic() + seconds
    while time.monotonic() < end and len(ids) < count:
        m = bus.recv(poll_s)
        if m is not None:
            ids.append(m.arbitration_id)
    return ids


class Sim:
    """One gtxsim run of the scenario args[0]; stderr is read by a thread so the
    pipe never fills. decided_s: the simulated time after which every expectation
    of the scenario is decided (a test goes past it before it stops the run)."""

    def __init__(self, args, want):
        self.expect_count, self.decided_s = expectations(args[0])
        self.tmp = tempfile.mkdtemp(prefix="gtxbridge")
        self.lines = []
        self.proc = subprocess.Popen([GTXSIM, "run"] + args, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=self.tmp)
        atexit.register(self._kill)  # a failing test leaves no simulator behind
        self.cond = threading.Condition()
        self.drain = threading.Thread(target=self._drain, daemon=True)
        self.drain.start()
        self.info = {}
        deadline = time.monotonic() + HANG_S
        for key in want:
            self.info[key] = self._wait_for(key, deadline)

    def _drain(self):
        for line in self.proc.stderr:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.lines.append(None)
            self.cond.notify_all()

    PATTERNS = {
        "socketcand": r"^gtxsim: socketcand on [0-9.:a-f]+:(\d+), bus can0",
        "slcan_pty": r"^gtxsim: SLCAN on (/dev/\S+) ",
        "slcan_tcp": r"^gtxsim: SLCAN on tcp [0-9.]+:(\d+) ",
        "console": r"^gtxsim: pack \d RS232 console on (/dev/\S+)$",
    }

    def _wait_for(self, key, deadline):
        pat = re.compile(self.PATTERNS[key])
        with self.cond:
            while True:
                for line in self.lines:
                    if line is None:
                        fail("gtxsim ended before announcing %s:\n%s" % (key, self.stderr()))
                    m = pat.search(line)
                    if m:
                        v = m.group(1)
                        return int(v) if v.isdigit() else v
                left = deadline - time.monotonic()
                if left <= 0:
                    fail("gtxsim did not announce %s:\n%s" % (key, self.stderr()))
                self.cond.wait(left)

    def stderr(self):
        return "\n".join(l for l in list(self.lines) if l is not None)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def running(self):
        return self.proc.poll() is None

    def _kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        """Ends the run once the test has what it needs: SIGINT, which gtxsim
        answers by writing its trace and CAN log up to that instant and exiting
        130. Any other status is a failure: a sanitizer's report (ASan, LSan
        and UBSan end the process with their own status). 130 would hide an
        expectation that failed before or one the run had not reached, so
        stdout's count is read too: every expectation of the scenario passed,
        none failed, none left undecided. Returns stdout."""
        self._wait_sigint_caught()
        self.proc.send_signal(signal.SIGINT)
        out = self._wait_end()
        check(self.proc.returncode == 130 and "interrupted by SIGINT" in out,
              "gtxsim exited %d on SIGINT:\n%s\n%s" % (self.proc.returncode, out, self.stderr()))
        want = "%d passed, 0 failed, 0 not decided: " % self.expect_count
        check(out.startswith(want), "the scenario's %d expectations: %r expected, got:\n%s"
              % (self.expect_count, want, out))
        return out

    def _wait_sigint_caught(self):
        """gtxsim announces its ports before it sets its SIGINT handler: a test
        done that quickly waits for the handler."""
        check(wait_signal_caught(self.proc, signal.SIGINT, HANG_S),
              "gtxsim ended or never caught SIGINT before the test stopped it:\n%s"
              % self.stderr())

    def _wait_end(self):
        try:
            out, _ = self.proc.communicate(timeout=HANG_S)
        except subprocess.TimeoutExpired:
            self._kill()
            fail("gtxsim did not end within %d s:\n%s" % (HANG_S, self.stderr()))
        self.drain.join()  # every stderr line is in self.lines
        return out


def read_candump(path):
    """[(t_us, id, bytes)] from a candump -l log."""
    rows = []
    pat = re.compile(r"^\((\d+)\.(\d{6})\) can0 ([0-9A-F]+)#([0-9A-F]*)$")
    with open(path) as f:
        for line in f:
            m = pat.match(line.strip())
            check(m is not None, "bad candump line %r" % line)
            rows.append((int(m.group(1)) * 1000000 + int(m.group(2)), int(m.group(3), 16),
                         bytes.fromhex(m.group(4))))
    return rows


def read_trace(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def t_us(stamp):
    """A python-can timestamp (seconds as float) to integer microseconds."""
    return int(round(stamp * 1e6))
