#!/usr/bin/python3
"""Determinism per time mode (docs/simulator.md, "Tickless"): two runs of one scenario in
the same mode, tickless or the reference --tick 10ms, write the same trace (with cells)
and CAN log, byte for byte (over their first 30 minutes). And tickless, the instants an observer adds change nothing:
a trace every 100 ms, taken at whole seconds, is the trace every 1 s.
Usage: test_mode_determinism.py GTXSIM SCENARIO..."""
import os
import subprocess
import sys
import tempfile

UNTIL = "30m"  # each run's first 30 minutes: the test stays well under 60 s under ASan too


def outputs(gtxsim, scenario, tmp, mode, k, every="1s"):
    base = os.path.join(tmp, "%s-%d" % (mode, k))
    args = [gtxsim, "run", scenario, "-q", "--cells", "--trace", base + ".csv",
            "--candump", base + ".log", "--every", every, "--until", UNTIL]
    if mode == "reference":
        args += ["--tick", "10ms"]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit("%s: exit %d\n%s" % (" ".join(args), r.returncode, r.stderr))
    with open(base + ".csv", "rb") as t, open(base + ".log", "rb") as c:
        return t.read(), c.read()


def main():
    gtxsim, scenarios = sys.argv[1], sys.argv[2:]
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in scenarios:
            name = os.path.basename(scenario)
            first = {}
            for mode in ("tickless", "reference"):
                a = first[mode] = outputs(gtxsim, scenario, tmp, mode, 1)
                b = outputs(gtxsim, scenario, tmp, mode, 2)
                same = a == b
                bad += not same
                print("%s, %s: %s (trace %d bytes, CAN log %d bytes)"
                      % (name, mode, "identical" if same else "DIFFERENT", len(a[0]), len(a[1])))
            fine = outputs(gtxsim, scenario, tmp, "tickless", 3, "100ms")
            lines = fine[0].decode().splitlines(True)
            whole = "".join(lines[:1] + [x for x in lines[1:] if x.split(",")[0].endswith(".000")])
            same = whole.encode() == first["tickless"][0] and fine[1] == first["tickless"][1]
            bad += not same
            print("%s, tickless, traced every 100 ms: %s" % (name, "the same rows and CAN log"
                                                          if same else "DIFFERENT"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
