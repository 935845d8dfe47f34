#!/usr/bin/python3
"""Mutation check: SCENARIO passes as written and fails (exit 1, with a failed
expectation) when PROTECTION is switched off in the firmware's table, so the
scenario really tests that protection."""
import subprocess
import sys

gtxsim, scenario, protection = sys.argv[1:4]
ok = subprocess.run([gtxsim, "run", scenario, "-q"], capture_output=True, text=True)
assert ok.returncode == 0, f"the scenario itself fails:\n{ok.stdout}{ok.stderr}"
mut = subprocess.run([gtxsim, "run", scenario, "-q", "--disable-protection", protection],
                     capture_output=True, text=True)
assert mut.returncode == 1, f"exit {mut.returncode} without {protection}:\n{mut.stderr}"
last = mut.stdout.strip().splitlines()[-1]
assert last.endswith("failed") and not last.endswith(" 0 failed"), last
assert "wanted" in mut.stderr, mut.stderr
print(f"{scenario}: without {protection}: {last}")
