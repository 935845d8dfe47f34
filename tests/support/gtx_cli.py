"""gtx_cli: what the Python suites that run gtxsim share instead of copying it: running
the program with a timeout, recording a failed expectation (the suite goes on and
fails at its end), and a temporary folder. A suite imports it with
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "support"))."""
import os
import subprocess
import tempfile


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
