#!/usr/bin/python3
"""traceability: writes docs/spec/TRACEABILITY.md, each rule id of docs/spec/*.md
with the tests that check it, from the names and lead comments of the tests.
`--check` writes nothing: it fails (exit 1) when the file is stale, a rule has no
test, or a test names a rule that does not exist. Python 3 standard library only.

Run: python3 tools/traceability.py [--check] [--root SOURCE_ROOT]"""
import argparse
import json
import os
import re
import sys

OUT = "docs/spec/TRACEABILITY.md"

# Rules that are not behaviour, so no test can check them: id -> reason. Every entry
# is printed in TRACEABILITY.md. Today every rule is behaviour and has a test.
EXEMPT = {}

RULE = r"R-[A-Z]+-\d+"
# A rule defined in a spec: a list item or a table row that begins with its id.
DEF_ITEM = re.compile(r"^- (" + RULE + r") (.*)$")
DEF_ROW = re.compile(r"^\| (" + RULE + r") \|(.*)$")
# Rule ids at the start of a text, "R-PR-1", "R-LM-1..4", joined by , / "and" or spaces.
LEAD = re.compile(r"^(" + RULE + r"(?:\.\.\d+)?(?:\s*(?:,|/|and)?\s*" + RULE
                  + r"(?:\.\.\d+)?)*)")
ONE = re.compile(r"(R-[A-Z]+-)(\d+)(?:\.\.(\d+))?")
# A test function named after a rule: r_pr_5, r_lm_2_bands (Check), test_r_pa_3_x (Python).
NAMED = re.compile(r"^(?:test_)?r_([a-z]+)_(\d+)(?:_|$)")
# A Check test case named after a rule: tcase_create("R-PT-3"), {"R-PR-1", ...} rows.
CASE = re.compile(r'"(' + RULE + r')(?:-[a-z0-9-]+)?"')
START = re.compile(r"^\s*START_TEST\((\w+)\)")
PYDEF = re.compile(r"^\s*def (test_\w+)\(")
CONVENTIONS = """\
A test checks a rule when one of these names it (the script reads nothing else):
- a Check test function named after it: `START_TEST(r_pr_5)`, `r_lm_2_bands`;
- a Check test case named after it: `tcase_create("R-PT-3")`, or a row name of a
  table-driven test, `{"R-PR-1", ...}`, `{"R-PR-10-storage-temp", ...}`;
- the comment directly above a `START_TEST`, or a Python test's docstring
  (module or `def test_...`), that begins with rule ids: `/* R-SOC-1: ...`,
  `/* R-LM-1..4 ...`, `\"\"\"R-PA-3 checked ...`; a Python `def test_r_pa_3...`;
- a scenario under `scenarios/` that a meson test runs, whose `description`
  names it (its expectations assert what the rule specifies)."""


def expand(text):
    """Rule ids of a text such as "R-LM-1..4, R-ST-1": ranges expanded."""
    ids = []
    for m in ONE.finditer(text):
        first = int(m.group(2))
        last = int(m.group(3)) if m.group(3) else first
        ids += [m.group(1) + str(n) for n in range(first, last + 1)]
    return ids


def lead_ids(text):
    m = LEAD.match(text.strip())
    return expand(m.group(1)) if m else []


def md_cell(text):
    return text.replace("|", "\\|").replace("\\\\|", "\\|")


def summary(text, width=72):
    text = re.sub(r"\s*\*\*\[[^\]]*\]\*\*", "", text).strip()
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[:cut if cut > 0 else width].rstrip(",;:") + " …"


def read_rules(root):
    """{spec file: [(id, summary)]} in the order of the files."""
    specs = {}
    folder = os.path.join(root, "docs", "spec")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".md") or name in ("TRACEABILITY.md", "README.md"):
            continue
        rules = []
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                m = DEF_ITEM.match(line)
                if m:
                    rules.append((m.group(1), summary(m.group(2))))
                    continue
                m = DEF_ROW.match(line)
                if m:
                    cells = [c.strip() for c in re.split(r"(?<!\\)\|", m.group(2))]
                    rules.append((m.group(1), summary(": ".join(c for c in cells[:2] if c))))
        if rules:
            specs["docs/spec/" + name] = rules
    return specs


def comment_above(lines, i):
    """The text of the /* ... */ block that ends on the line just above line i."""
    j = i - 1
    if j < 0 or not lines[j].rstrip().endswith("*/"):
        return ""
    block = []
    while j >= 0:
        block.insert(0, lines[j])
        if "/*" in lines[j]:
            break
        j -= 1
    text = " ".join(block)
    text = text[text.find("/*") + 2:]
    text = text[:text.rfind("*/")]
    return re.sub(r"\s*\*\s+", " ", " " + text).strip()


def scan_c(path, rel, found):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    named = set()
    for i, line in enumerate(lines):
        m = START.match(line)
        if m:
            fn = m.group(1)
            ids = []
            n = NAMED.match(fn)
            if n:
                ids.append("R-%s-%s" % (n.group(1).upper(), n.group(2)))
            ids += lead_ids(comment_above(lines, i))
            for rid in ids:
                found.setdefault(rid, []).append((rel, fn))
                named.add(rid)
    for line in lines:
        for m in CASE.finditer(line):
            rid = m.group(1)
            if rid not in named:
                found.setdefault(rid, []).append((rel, 'case "%s"' % m.group(0)[1:-1]))


def docstring_after(lines, i):
    """The first line of the docstring that starts on line i (or the next one)."""
    for line in lines[i:i + 2]:
        s = line.strip()
        if s.startswith('"""'):
            return s[3:]
    return ""


def scan_py(path, rel, found):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    start = 1 if lines and lines[0].startswith("#!") else 0
    for rid in lead_ids(docstring_after(lines, start)):
        found.setdefault(rid, []).append((rel, ""))
    for i, line in enumerate(lines):
        m = PYDEF.match(line)
        if m:
            ids = []
            n = NAMED.match(m.group(1))
            if n:
                ids.append("R-%s-%s" % (n.group(1).upper(), n.group(2)))
            ids += lead_ids(docstring_after(lines, i + 1))
            for rid in ids:
                found.setdefault(rid, []).append((rel, m.group(1)))


def run_by_meson(root):
    """The quoted names in tests/*/meson.build: the scenarios the suites run."""
    names = set()
    for folder, _, files in os.walk(os.path.join(root, "tests")):
        if "meson.build" in files:
            with open(os.path.join(folder, "meson.build"), encoding="utf-8") as f:
                names.update(re.findall(r"'([\w.-]+)'", f.read()))
    return names


def scan_scenarios(root, found, problems):
    run = run_by_meson(root)
    folder = os.path.join(root, "scenarios")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8-sig") as f:
            desc = json.load(f).get("description", "")
        ids = sorted(set(expand(desc)))
        if not ids:
            continue
        stem = name[:-5]
        if stem not in run and stem.split("-", 1)[-1] not in run:
            problems.append("scenarios/%s names %s but no tests/*/meson.build runs it"
                            % (name, ", ".join(ids)))
            continue
        for rid in ids:
            found.setdefault(rid, []).append(("scenarios/" + name, ""))


def collect(root):
    found, problems = {}, []
    tests = os.path.join(root, "tests")
    for folder, dirs, files in os.walk(tests):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if name.endswith(".c"):
                scan_c(path, rel, found)
            elif name.endswith(".py") and name.startswith("test_"):
                scan_py(path, rel, found)
    scan_scenarios(root, found, problems)
    return found, problems


def render(specs, found):
    out = ["# Traceability: each rule and the tests that check it", "",
           "Generated by `tools/traceability.py` from the test sources and the scenario",
           "library: do not edit. After changing a rule or a test, run",
           "`python3 tools/traceability.py`; `meson test --suite docs` fails when this",
           "file is stale, when a rule has no test, or when a test names a rule that",
           "does not exist.", "", CONVENTIONS, ""]
    for spec, rules in specs.items():
        out += ["## `%s`" % spec, "", "| rule | says | checked by |", "|---|---|---|"]
        for rid, text in rules:
            by_file = {}
            for rel, what in found.get(rid, []):
                names = by_file.setdefault(rel, [])
                if what and "`%s`" % what not in names:
                    names.append("`%s`" % what)
            refs = ["`%s`" % rel + (" " + ", ".join(names) if names else "")
                    for rel, names in by_file.items()]
            if rid in EXEMPT:
                refs.append("exempt: " + EXEMPT[rid])
            out.append("| %s | %s | %s |" % (rid, md_cell(text), "<br>".join(refs) or "**none**"))
        out.append("")
    out += ["## Exempt rules", ""]
    if EXEMPT:
        out += ["| rule | why no test |", "|---|---|"]
        out += ["| %s | %s |" % (rid, md_cell(why)) for rid, why in sorted(EXEMPT.items())]
    else:
        out.append("None: every rule is behaviour and has a test.")
    total = sum(len(r) for r in specs.values())
    out += ["", "%d rules, %d test references." % (total, sum(
        len(found.get(rid, [])) for rules in specs.values() for rid, _ in rules)), ""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if the file is stale or a rule has no test")
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."),
                    help="the source tree (default: this script's checkout)")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    specs = read_rules(root)
    found, problems = collect(root)
    defined = {rid for rules in specs.values() for rid, _ in rules}
    for rid in sorted(defined):
        if rid not in found and rid not in EXEMPT:
            problems.append("%s has no test (name a test after it, see %s)" % (rid, OUT))
    for rid in sorted(set(found) - defined):
        where = ", ".join(sorted({rel for rel, _ in found[rid]}))
        problems.append("%s is named by %s but no spec defines it" % (rid, where))
    for rid in sorted(set(EXEMPT) - defined):
        problems.append("%s is exempt but no spec defines it" % rid)
    text = render(specs, found)
    path = os.path.join(root, OUT)
    if args.check:
        try:
            with open(path, encoding="utf-8") as f:
                old = f.read()
        except OSError as e:
            old = None
            problems.append("%s: cannot read: %s" % (OUT, e.strerror))
        if old is not None and old != text:
            problems.append("%s is stale: run python3 tools/traceability.py" % OUT)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    for p in problems:
        print("traceability: error: " + p, file=sys.stderr)
    if not problems:
        print("traceability: %d rules, each with a test" % len(defined))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
