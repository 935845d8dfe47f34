#!/usr/bin/python3
"""One scenario in two time modes of the simulator (docs/simulator.md, "Tickless"), the
tickless default against OTHER:

- `reference` (`--tick 10ms`): every firmware ticks every 10 ms, the plant keeps its
  own schedule. The two differ only in the firmware instants tickless skips, which must
  change nothing: the trace and the CAN log are the same bytes, and the comparisons
  below hold (issue 11, item 4);
- `physics` (`--plant 100ms`): every tick, and the plant steps its physics and scans
  every 100 ms, never lagging. The two differ by the lagging physics' approximation,
  which must stay within these tolerances:

- the same expectations pass (JUnit, testcase by testcase);
- every change of a pack's state and of its protection word lands within 1 s (the trace
  is sampled every TRACE_EVERY_S, so a change shows at the first row at or after it: the
  rows of the two modes may differ by 1 s plus one sample): every row's value shows in the
  other mode within that much of it;
- the true SOC within 0.1 percentage point at every trace row;
- every line of each pack's energy books (--summary) within 0.1 % of the energy the pack
  moved (delivered in + out + stored, at least 0.01 Wh: the printed resolution is 1 mWh).

Usage: test_two_modes.py GTXSIM SCENARIO OTHER [UNTIL]. UNTIL (a duration) cuts a run
that the slower mode could not finish in the time one test may take.
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
MODE_ARGS = {"tickless": [], "reference": ["--tick", "10ms"], "physics": ["--plant", "100ms"]}


def run_mode(gtxsim, scenario, until, tmp, mode):
    trace = os.path.join(tmp, mode + ".csv")
    junit = os.path.join(tmp, mode + ".xml")
    candump = os.path.join(tmp, mode + ".log")
    args = [gtxsim, "run", scenario, "-q", "--summary", "--trace", trace, "--junit", junit,
            "--candump", candump, "--every", "%gs" % TRACE_EVERY_S] + MODE_ARGS[mode]
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
    with open(trace, "rb") as f, open(candump, "rb") as g:
        raw = (f.read(), g.read())
    return rows, verdicts, ledgers(r.stdout), raw


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
    if len(sys.argv) < 4 or sys.argv[3] not in ("reference", "physics"):
        sys.exit(__doc__)
    gtxsim, scenario, other = sys.argv[1], sys.argv[2], sys.argv[3]
    until = sys.argv[4] if len(sys.argv) > 4 else None
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        t_rows, t_verdicts, t_books, t_raw = run_mode(gtxsim, scenario, until, tmp, "tickless")
        r_rows, r_verdicts, r_books, r_raw = run_mode(gtxsim, scenario, until, tmp, other)

    if other == "reference":
        for what, a, b in (("trace", t_raw[0], r_raw[0]), ("CAN log", t_raw[1], r_raw[1])):
            if a != b:
                la, lb = a.split(b"\n"), b.split(b"\n")
                i = next((k for k in range(min(len(la), len(lb))) if la[k] != lb[k]),
                         min(len(la), len(lb)))
                problems.append("%s line %d differs: tickless %r, reference %r"
                                % (what, i + 1, la[i][:120] if i < len(la) else b"(end)",
                                   lb[i][:120] if i < len(lb) else b"(end)"))

    if t_verdicts != r_verdicts:
        for name in sorted(set(t_verdicts) | set(r_verdicts)):
            if t_verdicts.get(name) != r_verdicts.get(name):
                problems.append("%s: %s tickless, %s in the %s mode"
                                % (name, t_verdicts.get(name), r_verdicts.get(name), other))

    for column in ("state", "protect"):
        for a, b, which in ((t_rows, r_rows, "tickless"), (r_rows, t_rows, other)):
            bad = shifted_mismatch(a, b, column)
            if bad:
                problems.append("pack %s: %s '%s' at %s s in the %s mode, not within %g s "
                                "in the other" % (bad[0], column, bad[2], bad[1], which,
                                                  CHANGE_TOL_S + TRACE_EVERY_S))

    if len(t_rows) != len(r_rows):
        problems.append("trace rows: %d tickless, %d %s" % (len(t_rows), len(r_rows), other))
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
                problems.append("pack %s %s: %s Wh tickless, %.3f Wh %s (tolerance "
                                "%.3f Wh)" % (pack, what, got, ref, other, tol))

    name = os.path.basename(scenario)
    if problems:
        print("%s: tickless and %s disagree:\n  %s" % (name, other, "\n  ".join(problems)))
        return 1
    print("%s: tickless and %s agree (%d expectations, %d trace rows%s)"
          % (name, other, len(r_verdicts), len(r_rows),
             ", the same bytes" if other == "reference" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
