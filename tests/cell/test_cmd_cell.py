#!/usr/bin/python3
"""test_cmd_cell: `gtxsim cell` per docs/spec/CLI.md: bad parameter files and profiles
exit 2 with FILE:LINE:COL (FILE:LINE for CSV), and the row semantics (row k's
voltage with I_k in the R0 term, states advanced with I_(k-1)).
Usage: test_cmd_cell.py GTXSIM SOURCE_ROOT (runs in SOURCE_ROOT)."""
import math
import os
import shutil
import subprocess
import sys
import tempfile

GTXSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.chdir(ROOT)
TMP = tempfile.mkdtemp(prefix="gtx_cell_")
OUT = os.path.join(TMP, "out.csv")
PROFILE = "tests/cell/profile_small.csv"
failures = []

# bad file -> the exact start of the message: FILE:LINE:COL: error: and a word
# that says what is wrong (positions checked by hand against the files).
BAD = [
    ("syntax_trailing_comma.json", 8, 19, "unexpected ','"),
    ("empty.json", 1, 1, "end of file"),
    ("not_an_object.json", 1, 1, "expected an object"),
    ("missing_key.json", 1, 1, 'missing key "r0_ohm"'),
    ("unknown_key.json", 6, 3, 'unknown key "r9_ohm"'),
    ("negative_capacity.json", 3, 18, '"capacity_ah" = -50 is out of range'),
    ("zero_capacity.json", 3, 18, '"capacity_ah" = 0 is out of range'),
    ("wrong_type_string.json", 4, 13, '"r0_ohm" is a string (expected a number)'),
    ("ocv_decreasing.json", 16, 55, '"ocv25_v.v" decreases'),
    ("soc_not_increasing.json", 16, 33, '"ocv25_v.soc" is not increasing'),
    ("table_length_mismatch.json", 16, 44, "has 2 values (expected 3"),
    ("table_not_object.json", 18, 13, '"hyst_v" is an array'),
    ("table_too_long.json", 17, 2573, "too many values (expected at most 256)"),
    ("table_element_type.json", 19, 71, "is null (expected a number)"),
    ("aging_missing_key.json", 20, 12, 'missing key "cyc_exponent" in "aging"'),
    ("eta_out_of_range.json", 11, 17, '"eta_charge" = 1.2 is out of range'),
    ("diff_tau_negative.json", 16, 17, '"diff_tau_s" = -5 is out of range'),
    ("r3_without_tau3.json", 7, 3, '"r3_ohm" without "tau3_s"'),
    ("butler_volmer_not_bool.json", 7, 23, '"r1_butler_volmer" is a number (expected true'),
]


def run(*args):
    r = subprocess.run([GTXSIM, "cell", *args], capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout, r.stderr


def expect(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


for name, line, col, words in BAD:
    path = "tests/cell/bad/" + name
    rc, _, err = run(path, "--profile", PROFILE, "--out", OUT)
    head = "%s:%d:%d: error: " % (path, line, col)
    expect(rc == 2, "%s: exit %d (expected 2)" % (name, rc))
    expect(err.startswith(head) and words in err and err.count("\n") == 1,
           "%s: message %r (expected %r ... %r)" % (name, err, head, words))

# Profile CSV errors: FILE:LINE: error: ...
CSV = [
    ("time,current\n0,1\n", 1, "expected time_s,current_a"),
    ("time_s,current_a\n0,1\n1,abc\n", 3, "current_a 'abc' is not a number"),
    ("time_s,current_a\n0,1\n5,1\n4,1\n", 4, "before the previous row"),
    ("time_s,current_a\n0,1,2\n", 2, "too many columns"),
    ("time_s,current_a\n", 2, "no data rows"),
]
for k, (text, line, words) in enumerate(CSV):
    path = os.path.join(TMP, "p%d.csv" % k)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    rc, _, err = run("tests/cell/good_min.json", "--profile", path, "--out", OUT)
    expect(rc == 2 and err.startswith("%s:%d: error: " % (path, line)) and words in err,
           "profile %d: exit %d, %r" % (k, rc, err))

# Usage errors: exit 2, a message, nothing written.
for args in (["--profile", PROFILE, "--out", OUT],
             ["tests/cell/good_min.json", "--out", OUT],
             ["tests/cell/good_min.json", "--profile", PROFILE],
             ["tests/cell/good_min.json", "--profile", PROFILE, "--out", OUT, "--bogus"],
             ["tests/cell/good_min.json", "--profile", PROFILE, "--out", OUT, "--soc", "x"],
             ["tests/cell/good_min.json", "--profile", PROFILE, "--out", OUT, "--temp-c"],
             ["tests/cell/nonexistent.json", "--profile", PROFILE, "--out", OUT],
             ["tests/cell/good_min.json", "--profile", "tests/cell/none.csv", "--out", OUT]):
    rc, _, err = run(*args)
    expect(rc == 2 and err.strip() != "", "usage %r: exit %d, %r" % (args, rc, err))
rc, _, err = run("tests/cell/nonexistent.json", "--profile", PROFILE, "--out", OUT)
expect("tests/cell/nonexistent.json" in err, "missing file not named: %r" % err)
rc, out, _ = run("--help")
expect(rc == 0 and "--profile" in out and "--temp-c" in out, "--help")

# Row semantics on the minimal cell at 25 degC from 50 %: OCV 2.5/3.3/3.45 V at
# 0/50/100 %, M 15 mV, R0 0.45 mOhm, R1 0.3 mOhm/20 s, R2 0.35 mOhm/400 s,
# gamma 100, 50 Ah, f(z) = 1 mid-SOC.
prof = os.path.join(TMP, "rows.csv")
with open(prof, "w", encoding="utf-8") as f:
    f.write("time_s,current_a\n0,0\n10,-25\n20,-25\n20.5,10\n")
rc, _, err = run("tests/cell/good_min.json", "--profile", prof, "--out", OUT, "--soc", "50")
expect(rc == 0, "rows: exit %d %r" % (rc, err))
rows = [r.split(",") for r in open(OUT, encoding="utf-8").read().splitlines()]
expect(rows[0] == ["time_s", "current_a", "voltage_v", "soc"], "header %r" % rows[0])
expect([r[0] for r in rows[1:]] == ["0", "10", "20", "20.5"], "time_s echoed %r" % rows)
v = [float(r[2]) for r in rows[1:]]
soc = [float(r[3]) for r in rows[1:]]
expect(abs(v[0] - 3.3) < 1e-6, "row 0: %.6f (expected 3.3 V)" % v[0])
expect(abs(v[1] - (3.3 - 25 * 0.00045)) < 2e-6, "row 1 uses I_1 in R0: %.6f" % v[1])
z2 = 0.5 - 250.0 / 180000.0
h2 = -(1.0 - math.exp(-100.0 * 250.0 / 180000.0))
v2 = (3.3 + (z2 - 0.5) * 1.6 + 0.015 * h2 - 25 * 0.00045
      - 25 * 0.0003 * (1 - math.exp(-0.5)) - 25 * 0.00035 * (1 - math.exp(-10 / 400)))
expect(abs(v[2] - v2) < 2e-6, "row 2: %.6f (expected %.6f)" % (v[2], v2))
expect(abs(soc[2] - 100 * z2) < 1e-3, "row 2 soc %.4f (expected %.4f)" % (soc[2], 100 * z2))
expect(abs(v[3] - (v[2] + 35 * 0.00045)) < 1e-3, "row 3 with +10 A: %.6f" % v[3])

print("%d failure(s)" % len(failures))
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if failures else 0)
