#!/usr/bin/python3
"""bench_check: how long `gtxsim check` takes on scenarios with many events
(issue: loading was quadratic in the number of events). Writes a scenario with
N inverter events, one every 30 s (1 M events fit in the 400-day limit), and
times `gtxsim check` on it: wall and CPU seconds and peak memory.
Usage: tools/bench_check.py GTXSIM N [N...]   (meson test --benchmark runs it)."""
import os
import resource
import subprocess
import sys
import tempfile
import time

STEP_S = 30


def scenario_text(n, bad_last=False):
    """N events; with bad_last, the last one's power_w is out of range."""
    lines = ['{\n  "format": "gtxsim-scenario/1",\n  "name": "many-events",\n'
             '  "duration": %d,\n  "packs": [ { "soc": 50 } ],\n  "events": [\n'
             % (n * STEP_S + STEP_S)]
    for i in range(n):
        power = 999999 if bad_last and i == n - 1 else (i % 7) * 100 - 300
        lines.append('    {"at": %d, "do": "inverter", "power_w": %d}%s\n'
                     % (i * STEP_S + STEP_S // 2, power, "," if i < n - 1 else ""))
    lines.append("  ]\n}\n")
    return "".join(lines)


def bench(gtxsim, n, folder):
    path = os.path.join(folder, "events-%d.json" % n)
    with open(path, "w", encoding="utf-8") as f:
        f.write(scenario_text(n))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run([gtxsim, "check", path], capture_output=True, text=True)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print("%8d events %7.1f MB: %6.2f s wall, %6.2f s CPU, peak %4.0f MB  (%s)"
          % (n, os.path.getsize(path) / 1e6, wall, cpu, after.ru_maxrss / 1024.0,
             "ok" if r.returncode == 0 else "exit %d: %s" % (r.returncode, r.stderr.strip())))
    os.remove(path)
    return r.returncode


def main():
    gtxsim = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="gtx_bench_check_") as folder:
        rc = 0
        for n in sys.argv[2:]:
            rc |= bench(gtxsim, int(n), folder)
    sys.exit(1 if rc else 0)


if __name__ == "__main__":
    main()
