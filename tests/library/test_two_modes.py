#!/usr/bin/python3
"""One scenario in both time modes of the simulator (docs/simulator.md, "Tickless"): the
tickless default and the reference `--tick 10ms`. They must agree (issue 11, item 4):

- the same expectations pass (JUnit, testcase by testcase);
- every change of a pack's state and of its protection word lands within 1 s (the trace
  is sampled every TRACE_EVERY_S, so a change shows at the first row at or after it: the
  rows of the two modes may differ by 1 s plus one sample): every row's value shows in the
  other mode within that much of it;
- the true SOC within 0.1 percentage point at every trace row;
- every line of each pack's energy books (--summary) within 0.1 % of the energy the pack
  moved (delivered in + out + stored, at least 0.01 Wh: the printed resolution is 1 mWh).

Usage: test_two_modes.py GTXSIM SCENARIO [UNTIL]. UNTIL (a duration) cuts a run that the
reference mode could not finish in the time one test may take (the month-long scenario).
"""
import csv
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TRACE_EVERY_S = 1.0
CHANGE_TOL_S = 1.0
SOC_TOL_PP = 0.1
ENERGY_TOL = 0.001
ENERGY_FLOOR_WH = 0.01


def run_mode(gtxsim, scenario, until, tmp, mode):
    trace = os.path.join(tmp, mode + ".csv")
    junit = os.path.join(tmp, mode + ".xml")
    args = [gtxsim, "run", scenario, "-q", "--summary", "--trace", trace, "--junit", junit,
            "--every", "%gs" % TRACE_EVERY_S]
    if mode == "reference":
        args += ["--tick", "10ms"]
    if until:
        args += ["--until", until]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit("%s mode: exit %d\n%s" % (mode, r.returncode, r.stderr))
    rows = list(csv.DictReader(open(trace, encoding="utf-8")))
    verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        verdicts[case.get("name")] = "skipped" if skipped else ("failed" if failed else "passed")
    return rows, verdicts, ledgers(r.stdout)


def ledgers(stdout):
    """{(pack, line): Wh} from the --summary blocks."""
    out, pack = {}, None
    for line in stdout.splitlines():
        if line.startswith("energy "):
            pack = line.split()[-1]
        elif pack and line.startswith("  ") and line.endswith(" Wh"):
            what, value = line[2:-3].rsplit(None, 1)
            out[(pack, what.strip())] = float(value)
    return out


def shifted_mismatch(a_rows, b_rows, column):
    """The first row (pack, t, value) of a whose value b shows nowhere within the
    tolerance of it: a change that landed later or earlier than the tolerance, or a
    value b never took. Transients shorter than the tolerance pass."""
    window = int(round((CHANGE_TOL_S + TRACE_EVERY_S) / TRACE_EVERY_S))
    by_pack_a, by_pack_b = {}, {}
    for r in a_rows:
        by_pack_a.setdefault(r["pack"], []).append(r)
    for r in b_rows:
        by_pack_b.setdefault(r["pack"], []).append(r)
    for pack, ra in by_pack_a.items():
        rb = by_pack_b.get(pack, [])
        for i, r in enumerate(ra):
            near = {x[column] for x in rb[max(0, i - window):i + window + 1]}
            if r[column] not in near:
                return pack, r["t_s"], r[column]
    return None


def main():
    gtxsim, scenario = sys.argv[1], sys.argv[2]
    until = sys.argv[3] if len(sys.argv) > 3 else None
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        t_rows, t_verdicts, t_books = run_mode(gtxsim, scenario, until, tmp, "tickless")
        r_rows, r_verdicts, r_books = run_mode(gtxsim, scenario, until, tmp, "reference")

    if t_verdicts != r_verdicts:
        for name in sorted(set(t_verdicts) | set(r_verdicts)):
            if t_verdicts.get(name) != r_verdicts.get(name):
                problems.append("%s: %s tickless, %s in the reference mode"
                                % (name, t_verdicts.get(name), r_verdicts.get(name)))

    for column in ("state", "protect"):
        for a, b, which in ((t_rows, r_rows, "tickless"), (r_rows, t_rows, "reference")):
            bad = shifted_mismatch(a, b, column)
            if bad:
                problems.append("pack %s: %s '%s' at %s s in the %s mode, not within %g s "
                                "in the other" % (bad[0], column, bad[2], bad[1], which,
                                                  CHANGE_TOL_S + TRACE_EVERY_S))

    if len(t_rows) != len(r_rows):
        problems.append("trace rows: %d tickless, %d reference" % (len(t_rows), len(r_rows)))
    worst = (0.0, None)
    for a, b in zip(t_rows, r_rows):
        d = abs(float(a["true_soc"]) - float(b["true_soc"]))
        if d > worst[0]:
            worst = (d, a["t_s"])
    if worst[0] > SOC_TOL_PP:
        problems.append("true SOC differs by %.2f points at %s s" % worst)

    for pack in sorted({p for p, _ in r_books}):
        moved = (abs(r_books.get((pack, "delivered in"), 0.0))
                 + abs(r_books.get((pack, "delivered out"), 0.0))
                 + abs(r_books.get((pack, "stored (chemical)"), 0.0)))
        tol = max(ENERGY_TOL * moved, ENERGY_FLOOR_WH)
        for (p, what), ref in sorted(r_books.items()):
            if p != pack or what == "residual":
                continue
            got = t_books.get((p, what))
            if got is None or abs(got - ref) > tol:
                problems.append("pack %s %s: %s Wh tickless, %.3f Wh reference (tolerance "
                                "%.3f Wh)" % (pack, what, got, ref, tol))

    name = os.path.basename(scenario)
    if problems:
        print("%s: the two modes disagree:\n  %s" % (name, "\n  ".join(problems)))
        return 1
    print("%s: both modes agree (%d expectations, %d trace rows)"
          % (name, len(r_verdicts), len(r_rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
