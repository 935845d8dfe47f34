#!/usr/bin/python3
"""One scenario in the time modes of the simulator (docs/simulator.md, "Tickless"): the
tickless default against each OTHER reference:

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

Usage: test_two_modes.py GTXSIM SCENARIO OTHER[:UNTIL]... One tickless run serves every
OTHER compared over the same span. UNTIL (a duration) cuts a run that the slower mode
could not finish in the time one test may take.

Against the reference, traces of the same bytes pass the row comparisons by construction:
the rows are read only when the bytes differ, to say how. The physics' reference writes
no CAN log: it is not compared.
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
# What the comparisons read of a trace row, in this order (a row is a tuple).
ROW_COLUMNS = ("pack", "t_s", "state", "protect", "true_soc")
PACK, T_S, TRUE_SOC = 0, 1, 4


def run_mode(gtxsim, scenario, until, tmp, mode, with_candump):
    """(verdicts, energy books, (trace bytes, CAN log bytes or b""))."""
    base = os.path.join(tmp, "%s-%s" % (mode, until or "whole"))
    trace, junit, candump = base + ".csv", base + ".xml", base + ".log"
    args = [gtxsim, "run", scenario, "-q", "--summary", "--trace", trace, "--junit", junit,
            "--every", "%gs" % TRACE_EVERY_S] + MODE_ARGS[mode]
    if with_candump:
        args += ["--candump", candump]
    if until:
        args += ["--until", until]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit("%s mode: exit %d\n%s" % (mode, r.returncode, r.stderr))
    verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        verdicts[case.get("name")] = "skipped" if skipped else ("failed" if failed else "passed")
    with open(trace, "rb") as f:
        raw = (f.read(), b"")
    if with_candump:
        with open(candump, "rb") as f:
            raw = (raw[0], f.read())
    return verdicts, ledgers(r.stdout), raw


def trace_rows(raw):
    """The trace's rows as tuples of ROW_COLUMNS (two days have 172 800 rows)."""
    reader = csv.reader(raw.decode("utf-8").splitlines())
    header = next(reader)
    at = [header.index(c) for c in ROW_COLUMNS]
    return [tuple(row[k] for k in at) for row in reader]


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


def shifted_mismatch(a_rows, b_rows, name):
    """The first row (pack, t, value) of a whose value b shows nowhere within the
    tolerance of it: a change that landed later or earlier than the tolerance, or a
    value b never took. Transients shorter than the tolerance pass."""
    window = int(round((CHANGE_TOL_S + TRACE_EVERY_S) / TRACE_EVERY_S))
    column = ROW_COLUMNS.index(name)
    by_pack_a, by_pack_b = {}, {}
    for r in a_rows:
        by_pack_a.setdefault(r[PACK], []).append(r)
    for r in b_rows:
        by_pack_b.setdefault(r[PACK], []).append(r)
    for pack, ra in by_pack_a.items():
        rb = by_pack_b.get(pack, [])
        for i, r in enumerate(ra):
            if i < len(rb) and rb[i][column] == r[column]:
                continue  # the same row's value: near by any tolerance
            near = {x[column] for x in rb[max(0, i - window):i + window + 1]}
            if r[column] not in near:
                return pack, r[T_S], r[column]
    return None


def compare(other, tickless, theirs):
    """The problems found between the tickless run and OTHER's, and the rows compared."""
    (t_verdicts, t_books, t_raw), (r_verdicts, r_books, r_raw) = tickless, theirs
    problems = []
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

    same_trace = t_raw[0] == r_raw[0]
    t_rows = [] if same_trace else trace_rows(t_raw[0])
    r_rows = [] if same_trace else trace_rows(r_raw[0])
    n_rows = t_raw[0].count(b"\n") - 1 if same_trace else len(r_rows)
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
        d = abs(float(a[TRUE_SOC]) - float(b[TRUE_SOC]))
        if d > worst[0]:
            worst = (d, a[T_S])
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
    return problems, len(r_verdicts), n_rows


def main():
    others = [a.partition(":") for a in sys.argv[3:]]
    if not others or any(mode not in ("reference", "physics") for mode, _, _ in others):
        sys.exit(__doc__)
    gtxsim, scenario = sys.argv[1], sys.argv[2]
    name = os.path.basename(scenario)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        tickless = {}  # UNTIL: the tickless run over that span
        for other, _, until in others:
            until = until or None
            if until not in tickless:
                candump = ("reference", until) in [(m, u or None) for m, _, u in others]
                tickless[until] = run_mode(gtxsim, scenario, until, tmp, "tickless", candump)
            theirs = run_mode(gtxsim, scenario, until, tmp, other, other == "reference")
            problems, n_expect, n_rows = compare(other, tickless[until], theirs)
            span = "to %s" % until if until else "whole"
            if problems:
                print("%s (%s): tickless and %s disagree:\n  %s"
                      % (name, span, other, "\n  ".join(problems)))
                failed = True
            else:
                print("%s (%s): tickless and %s agree (%d expectations, %d trace rows%s)"
                      % (name, span, other, n_expect, n_rows,
                         ", the same bytes" if other == "reference" else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
