#!/usr/bin/python3
"""test_regressions.py GTXSIM ROOT: every scenario in scenarios/regressions/ passes its own
expectations (the regression scenarios of fixed defects; a new file there is run without
editing the build)."""
import glob
import os
import subprocess
import sys


def main():
    gtxsim, root = sys.argv[1], sys.argv[2]
    files = sorted(glob.glob(os.path.join(root, "scenarios", "regressions", "*.json")))
    if not files:
        print("no scenario in scenarios/regressions/")
        return 1
    failed = 0
    for f in files:
        r = subprocess.run([gtxsim, "run", "-q", f], capture_output=True, text=True)
        name = os.path.relpath(f, root)
        print(f"{'ok  ' if r.returncode == 0 else 'FAIL'} {name}")
        if r.returncode != 0:
            print(r.stdout, r.stderr)
            failed += 1
    print(f"{len(files) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
