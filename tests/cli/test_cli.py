#!/usr/bin/python3
"""test_cli: the command line contract of docs/spec/CLI.md and its extensions, for what
crosses the subcommands: one duration syntax (bare seconds too), a file that
cannot be written is exit 2 with the path and the OS's reason, a UTF-8 byte
order mark is skipped. Usage: test_cli.py GTXSIM SOURCE_ROOT [SECTION...]."""
import os
import shutil
import subprocess
import sys
import tempfile

GTXSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SECTIONS = sys.argv[3:]
os.chdir(ROOT)
TMP = tempfile.mkdtemp(prefix="gtx_cli_")
DEFAULT = "scenarios/default.json"
failures = []


def run(*args, timeout=120):
    return subprocess.run([GTXSIM, *args], capture_output=True, text=True, timeout=timeout)


def expect(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def tmp(name):
    return os.path.join(TMP, name)


def durations():
    # --until and --every: bare seconds, and every unit; the value is what was run.
    for text, seconds in (("300", 300), ("300s", 300), ("5m", 300), ("0.1h", 360),
                          ("2", 2)):
        r = run("run", DEFAULT, "--until", text)
        expect(r.returncode == 0 and "(%g s simulated" % seconds in r.stderr,
               "run --until %s: exit %d, %r (expected %g s simulated)"
               % (text, r.returncode, r.stderr, seconds))
    r = run("run", DEFAULT, "--until", "250", "--every", "100", "--trace", tmp("e.csv"))
    times = [line.split(",")[0] for line in open(tmp("e.csv"), encoding="utf-8")][1:]
    expect(r.returncode == 0 and times == ["0.000", "100.000", "200.000"],
           "--every 100: trace times %r (expected 0, 100, 200 s)" % times)
    for every in ("0.5", "500ms"):
        r = run("run", DEFAULT, "--until", "1.2", "--every", every, "--trace", tmp("e.csv"))
        times = [line.split(",")[0] for line in open(tmp("e.csv"), encoding="utf-8")][1:]
        expect(r.returncode == 0 and times == ["0.000", "0.500", "1.000"],
               "--until 1.2 --every %s: trace times %r (expected 0, 0.5, 1 s)" % (every, times))
    # Refused: with the reason and the forms that work.
    for opt, text in (("--until", "0"), ("--until", "0s"), ("--until", "-5"),
                      ("--until", "1e3"), ("--until", "5x"), ("--every", "0"),
                      ("--until", "1 s"), ("--until", ".5")):
        r = run("run", DEFAULT, opt, text)
        expect(r.returncode == 2 and ("%s needs a duration greater than 0" % opt) in r.stderr
               and "(got '%s')" % text in r.stderr,
               "run %s %s: exit %d, %r (expected 2, a usage error)"
               % (opt, text, r.returncode, r.stderr))
    # --at: 0 is an instant like 0s; bare seconds too.
    for text in ("0", "0s", "300", "5m", "1.5"):
        png = tmp("at.png")
        if os.path.exists(png):
            os.remove(png)
        r = run("gui", DEFAULT, "--screenshot", png, "--at", text)
        expect(r.returncode == 0 and os.path.getsize(png) > 0,
               "gui --at %s: exit %d, %r" % (text, r.returncode, r.stderr))
    for text in ("-1", "1e2", "x", ""):
        r = run("gui", DEFAULT, "--screenshot", tmp("no.png"), "--at", text)
        expect(r.returncode == 2 and "--at needs a duration of 0 or more" in r.stderr,
               "gui --at %r: exit %d, %r" % (text, r.returncode, r.stderr))


def unwritable():
    # Every output: exit 2, "gtxsim CMD: error: cannot write PATH: REASON".
    missing = "/nonexistent-gtx-dir/x"
    cases = [
        ("run", ["run", DEFAULT, "--until", "1s", "--trace", missing + ".csv"],
         missing + ".csv", "No such file or directory"),
        ("run", ["run", DEFAULT, "--until", "1s", "--candump", missing + ".log"],
         missing + ".log", "No such file or directory"),
        ("run", ["run", DEFAULT, "--until", "1s", "--junit", missing + ".xml"],
         missing + ".xml", "No such file or directory"),
        ("run", ["run", DEFAULT, "--until", "1s", "--junit", TMP],
         TMP, "Is a directory"),
        ("gui", ["gui", DEFAULT, "--screenshot", missing + ".png", "--at", "1s"],
         missing + ".png", "No such file or directory"),
        ("gui", ["gui", DEFAULT, "--screenshot", TMP, "--at", "1s"], TMP, "Is a directory"),
        ("gui", ["gui", DEFAULT, "--screenshot", "/dev/full", "--at", "1s"], "/dev/full",
         "No space left on device"),
        ("run", ["run", DEFAULT, "--until", "1s", "--junit", "/dev/full"], "/dev/full",
         "No space left on device"),
        ("cell", ["cell", "assets/cells/a123.json", "--profile", "tests/cell/profile_small.csv",
                  "--out", missing + ".csv"], missing + ".csv", "No such file or directory"),
    ]
    for cmd, args, path, reason in cases:
        r = run(*args)
        line = "gtxsim %s: error: cannot write %s: %s" % (cmd, path, reason)
        expect(r.returncode == 2 and line in r.stderr,
               "%r: exit %d, %r (expected 2 and %r)" % (args, r.returncode, r.stderr, line))
    # The JUnit path is tried before the run, not after it: nothing simulated.
    r = run("run", DEFAULT, "--junit", missing + ".xml")
    expect("simulated" not in r.stderr, "junit checked before the run: %r" % r.stderr)
    # Standard output is an output too.
    for args in (["bench", "--days", "0.0005"], ["check", DEFAULT],
                 ["run", DEFAULT, "--until", "1s"]):
        with open("/dev/full", "w", encoding="utf-8") as full:
            r = subprocess.run([GTXSIM, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                               timeout=120)
        expect(r.returncode == 2 and "cannot write the standard output: No space left on device"
               in r.stderr, "%r > /dev/full: exit %d, %r" % (args, r.returncode, r.stderr))


def bom():
    # A scenario saved with a byte order mark: valid, and positions as an editor shows them.
    text = open(DEFAULT, encoding="utf-8").read()
    path = tmp("bom.json")
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))
    r = run("check", path)
    expect(r.returncode == 0 and r.stdout == path + ": ok\n",
           "check BOM scenario: exit %d, %r %r" % (r.returncode, r.stdout, r.stderr))
    r = run("run", path, "--until", "10", "-q")
    expect(r.returncode == 0, "run BOM scenario: exit %d %r" % (r.returncode, r.stderr))
    bad = tmp("bom_bad.json")
    with open(bad, "wb") as f:
        f.write(b"\xef\xbb\xbf" + text.replace('"soc": 60', '"soc": 160').encode("utf-8"))
    r = run("check", bad)
    expect(r.returncode == 2 and r.stderr.startswith(bad + ":6:23: error: 'soc' is 160"),
           "BOM scenario error at line 6 col 23, where it is without the BOM: %r" % r.stderr)
    # A cell parameter file with a byte order mark.
    cell = tmp("a123_bom.json")
    with open(cell, "wb") as f:
        f.write(b"\xef\xbb\xbf" + open("assets/cells/a123.json", "rb").read())
    r = run("cell", cell, "--profile", "tests/cell/profile_small.csv", "--out", tmp("o.csv"),
            "--soc", "50")
    expect(r.returncode == 0, "cell with a BOM parameter file: exit %d %r"
           % (r.returncode, r.stderr))


def many_events():
    # 100 000 events load (loading was quadratic: 40 000 took 65 s), and an error
    # in the very last one still names its own line and column. No timing here:
    # tools/bench_check.py gives the figures (meson test --benchmark).
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import bench_check  # pylint: disable=import-outside-toplevel
    n = 100000
    path = tmp("many.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(bench_check.scenario_text(n))
    r = run("check", path)
    expect(r.returncode == 0 and r.stdout == path + ": ok\n",
           "check %d events: exit %d %r" % (n, r.returncode, r.stderr))
    text = bench_check.scenario_text(n, bad_last=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines) if "999999" in l)
    head = "%s:%d:%d: error: 'power_w' is 999999" % (path, line + 1,
                                                      lines[line].index("999999") + 1)
    r = run("check", path)
    expect(r.returncode == 2 and r.stderr.startswith(head),
           "the last of %d events: %r (expected %r)" % (n, r.stderr, head))


ALL = {"durations": durations, "unwritable": unwritable, "bom": bom,
       "many_events": many_events}
for name in SECTIONS or ALL:
    ALL[name]()
print("%d failure(s)" % len(failures))
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if failures else 0)
