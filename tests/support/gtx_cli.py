"""gtx_cli: what the Python suites that run gtxsim share instead of copying it: running
the program with a timeout, recording a failed expectation (the suite goes on and
fails at its end), a temporary folder, and waiting until a running gtxsim answers a
signal. A suite imports it with
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "support"))."""
import os
import subprocess
import tempfile
import time


def wait_signal_caught(proc, sig, bound_s):
    """Waits until the running proc has set its handler for sig (Linux: the SigCgt mask in
    /proc/PID/status), the moment from which a signal is the program's to answer however
    slow the machine: gtxsim sets it once its files are open, before its long work.
    False when proc ended first, or when bound_s of wall time (only against a hang) ran
    out."""
    deadline = time.monotonic() + bound_s
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with open("/proc/%d/status" % proc.pid, encoding="ascii") as f:
                caught = next(int(l.split()[1], 16) for l in f if l.startswith("SigCgt:"))
        except (OSError, StopIteration):
            return False  # gone meanwhile
        if caught & (1 << (sig - 1)):
            return True
        time.sleep(0.005)  # a poll's interval: the verdict never depends on it
    return False


class Harness:
    def __init__(self, gtxsim, prefix, timeout):
        self.gtxsim = gtxsim
        self.timeout = timeout
        self.tmpdir = tempfile.mkdtemp(prefix=prefix)
        self.failures = []

    def run(self, *args, timeout=None):
        return subprocess.run([self.gtxsim, *args], capture_output=True, text=True,
                              timeout=timeout or self.timeout)

    def expect(self, cond, what):
        if not cond:
            self.failures.append(what)
            print("FAIL:", what)

    def tmp(self, name):
        return os.path.join(self.tmpdir, name)
