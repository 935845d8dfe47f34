"""bridge_util: shared helpers of the tests/bridge Python tests: start gtxsim
with bridges, read the ports and ptys it announces on stderr, read its candump
log and trace, and fail with a clear message. Paths come from meson (GTXSIM,
GTX_SOURCE_ROOT)."""
import csv
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

GTXSIM = os.environ.get("GTXSIM", "gtxsim")
ROOT = os.environ.get("GTX_SOURCE_ROOT", ".")
SCN_DIR = os.path.join(ROOT, "tests", "bridge", "scenarios")
PYLON_IDS = [0x351, 0x355, 0x356, 0x359, 0x35C, 0x35E]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def scenario(name):
    return os.path.join(SCN_DIR, name)


def recv_ids(bus, count, seconds, poll_s):
    """The identifiers of the first count frames a python-can bus receives
    within seconds (fewer when the time runs out), polling every poll_s."""
    ids = []
    end = time.monotonic() + seconds
    while time.monotonic() < end and len(ids) < count:
        m = bus.recv(poll_s)
        if m is not None:
            ids.append(m.arbitration_id)
    return ids


class Sim:
    """One gtxsim run; stderr is read by a thread so the pipe never fills."""

    def __init__(self, args, want):
        self.tmp = tempfile.mkdtemp(prefix="gtxbridge")
        self.lines = []
        self.proc = subprocess.Popen([GTXSIM, "run"] + args, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=self.tmp)
        self.cond = threading.Condition()
        threading.Thread(target=self._drain, daemon=True).start()
        self.info = {}
        deadline = time.monotonic() + 20
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

    def finish(self, timeout=120):
        """Waits for the end of the run; it must exit 0 (no expectation
        failed, no sanitizer report)."""
        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            fail("gtxsim did not finish within %d s:\n%s" % (timeout, self.stderr()))
        time.sleep(0.1)
        check(self.proc.returncode == 0, "gtxsim exited %d:\n%s\n%s"
              % (self.proc.returncode, out, self.stderr()))
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
