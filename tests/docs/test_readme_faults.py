#!/usr/bin/python3
"""test_readme_faults.py GTXSIM SOURCE_ROOT: the README's fault table against the
scenario loader. The loader is asked (through `gtxsim check` and its error
messages) which fault kinds it accepts and which arguments each takes; the
README's "Fault kinds" table must list exactly those kinds with exactly those
arguments, each row's example must pass `gtxsim check`, and the fault paragraph
of docs/spec/SCENARIO.md must name every kind and argument."""
import json
import os
import re
import subprocess
import sys
import tempfile

FIXED = {"at", "do", "kind", "pack"}  # keys of every fault event, not arguments
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def check(gtxsim, tmp, events):
    """Runs `gtxsim check` on a two-pack scenario with these events."""
    path = os.path.join(tmp, "s.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "gtxsim-scenario/1", "duration": "10m", "packs": [{}, {}],
                   "events": events}, f)
    r = subprocess.run([gtxsim, "check", path], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def expected_list(text):
    m = re.search(r"\(expected one of ([^)]*)\)", text)
    return [w.strip() for w in m.group(1).split(",")] if m else None


def loader_schema(gtxsim, tmp):
    """{kind: set of argument names} as the loader's messages state them."""
    rc, out = check(gtxsim, tmp, [{"at": "1s", "do": "fault", "kind": "no_such_kind"}])
    kinds = expected_list(out)
    if rc != 2 or not kinds:
        sys.exit("cannot read the fault kinds from gtxsim check (status %d): %s" % (rc, out))
    schema = {}
    for kind in kinds:
        rc, out = check(gtxsim, tmp, [{"at": "1s", "do": "fault", "kind": kind,
                                        "not_an_argument": 1}])
        keys = expected_list(out)
        if rc != 2 or not keys or "unknown key 'not_an_argument'" not in out:
            sys.exit("cannot read the arguments of %s (status %d): %s" % (kind, rc, out))
        schema[kind] = set(keys) - FIXED
    return schema


def readme_table(root):
    """[(kind, [arguments], example text)] of the README's fault table."""
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    rows, inside = [], False
    for line in lines:
        if line.startswith("| kind | arguments |"):
            inside = True
            continue
        if inside and line.startswith("|---"):
            continue
        if inside and not line.startswith("|"):
            break
        if inside:
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            args = re.findall(r"`([a-z_]+)`", cells[1])
            rows.append((cells[0].strip("`"), args, cells[-1].strip("`")))
    return rows


def main():
    gtxsim, root = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        run(gtxsim, root, tmp)


def run(gtxsim, root, tmp):
    schema = loader_schema(gtxsim, tmp)
    rows = readme_table(root)
    if not rows:
        fail("README.md has no table headed '| kind | arguments |'")
    listed = [kind for kind, _, _ in rows]
    for kind in schema:
        if kind not in listed:
            fail("README.md fault table: kind %s (accepted by the loader) is missing" % kind)
    for kind, args, example in rows:
        if kind not in schema:
            fail("README.md fault table: %s is not a fault kind of the loader" % kind)
            continue
        if set(args) != schema[kind]:
            fail("README.md fault table: %s lists arguments %s, the loader takes %s"
                 % (kind, sorted(args), sorted(schema[kind])))
        try:
            event = json.loads(example)
        except ValueError as e:
            fail("README.md fault table: the example of %s is not JSON: %s" % (kind, e))
            continue
        if event.get("do") != "fault" or event.get("kind") != kind:
            fail("README.md fault table: the example of %s is not a %s fault" % (kind, kind))
        if set(event) - FIXED != schema[kind]:
            fail("README.md fault table: the example of %s has arguments %s"
                 % (kind, sorted(set(event) - FIXED)))
        rc, out = check(gtxsim, tmp, [event])
        if rc != 0:
            fail("README.md fault table: the example of %s fails gtxsim check: %s"
                 % (kind, out.strip()))
    with open(os.path.join(root, "docs", "spec", "SCENARIO.md"), encoding="utf-8") as f:
        spec = f.read()
    para = spec[spec.find("Fault kinds:"):]
    para = para[:para.find("\n\n")]
    for kind, args in schema.items():
        for word in [kind] + sorted(args):
            if word not in para:
                fail("docs/spec/SCENARIO.md 'Fault kinds' does not name %s (of %s)"
                     % (word, kind))
    if failures:
        sys.exit(1)
    print("README fault table: %d kinds, %d arguments, as the loader takes them"
          % (len(schema), sum(len(a) for a in schema.values())))


if __name__ == "__main__":
    main()
