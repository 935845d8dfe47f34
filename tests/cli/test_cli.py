#!/usr/bin/python3
"""test_cli: the command line contract of docs/spec/CLI.md and its extensions, for what
crosses the subcommands: one duration syntax (bare seconds too), a file that
cannot be written is exit 2 with the path and the OS's reason, a UTF-8 byte
order mark is skipped, many events load, SIGINT/SIGTERM stop every long
command with its files complete and exit 130/143, bench fails when its day
does, cell stops at the cut-off. Usage: test_cli.py GTXSIM SOURCE_ROOT [SECTION...]."""
import os
import re
import signal
import shutil
import subprocess
import sys
import threading
import time
import xml.dom.minidom

GTXSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SECTIONS = sys.argv[3:]
os.chdir(ROOT)
DEFAULT = "scenarios/default.json"
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from gtx_cli import Harness, wait_signal_caught  # noqa: E402

H = Harness(GTXSIM, "gtx_cli_", 120)
run, expect, tmp, failures, TMP = H.run, H.expect, H.tmp, H.failures, H.tmpdir


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
    # --plant: 100ms (the physics' reference) or auto; anything else is refused.
    for text in ("10ms", "1s", ""):
        r = run("run", DEFAULT, "--until", "1", "--plant", text)
        expect(r.returncode == 2 and "--plant takes 100ms" in r.stderr
               and "(got '%s')" % text in r.stderr,
               "run --plant %r: exit %d, %r (expected 2, a usage error)"
               % (text, r.returncode, r.stderr))
    # The fixed plant samples a fresh truth every 100 ms where the default lets its
    # physics lag: the default scenario's first minute differs in the cells' columns;
    # the reference mode (--tick 10ms) keeps the plant's schedule: the same bytes.
    traces = {}
    for args in (("--plant", "100ms"), ("--plant", "auto"), ("--tick", "10ms")):
        path = tmp("plant-%s.csv" % args[1])
        r = run("run", DEFAULT, "--until", "60", "--every", "100ms", "--cells", "--trace",
                path, "-q", *args)
        expect(r.returncode == 0, "run %s: exit %d, %r" % (args, r.returncode, r.stderr))
        traces[args[1]] = open(path, encoding="utf-8").read()
    expect(traces["100ms"] != traces["auto"], "--plant 100ms: the same trace as the default")
    expect(traces["10ms"] == traces["auto"], "--tick 10ms: not the default's trace")
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


# ---- signals ----
# The command is held by its own output: a FIFO that this test reads, so it
# cannot finish before the signal whatever the machine's speed; a command with
# no file to hold it (bench, gui) gets the signal once it has set its handler,
# its work being far longer than any test. No wall-time assertion but a generous
# bound on the exit after the signal (and on the wait for the handler).
EXIT_BOUND_S = 30
SIGNALS = ((signal.SIGINT, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM"))


def long_scenario():
    """The default scenario over 30 days."""
    path = tmp("long.json")
    text = open(DEFAULT, encoding="utf-8").read().replace('"duration": "10m"',
                                                          '"duration": "30d"')
    text = text.replace('"name": "default"', '"name": "long"')
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def finish(proc):
    """Waits for the exit after the signal; one that does not come is a failure."""
    try:
        return proc.communicate(timeout=EXIT_BOUND_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        expect(False, "%r still running %d s after the signal" % (proc.args, EXIT_BOUND_S))
        return out, err


def stop_via_fifo(args, fifo, sig, env=None):
    """Starts args, reads the FIFO's first line, signals, drains it; returns
    (exit status, the FIFO's text, stdout, stderr, seconds from signal to exit)."""
    if os.path.exists(fifo):
        os.remove(fifo)
    os.mkfifo(fifo)
    proc = subprocess.Popen([GTXSIM, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)

    def unblock():  # a command that exits without opening the FIFO must not hang us
        proc.wait()
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
    threading.Thread(target=unblock, daemon=True).start()
    with open(fifo, encoding="utf-8", newline="") as f:
        text = f.readline()
        proc.send_signal(sig)
        t0 = time.monotonic()
        text += f.read()
    out, err = finish(proc)
    return proc.returncode, text, out, err, time.monotonic() - t0


def stop_when_caught(args, sig, env=None):
    """Starts args, signals once it has set its handler for sig; returns
    (exit status, stdout, stderr, seconds from signal to exit)."""
    proc = subprocess.Popen([GTXSIM, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    # communicate() reads what it printed; a command that ended first fails below
    expect(wait_signal_caught(proc, sig, EXIT_BOUND_S),
           "%r never set its handler for signal %d" % (args, sig))
    proc.send_signal(sig)
    t0 = time.monotonic()
    out, err = finish(proc)
    return proc.returncode, out, err, time.monotonic() - t0


def whole_lines(text, fields, what):
    lines = text.split("\n")
    expect(text.endswith("\n") and all(len(l.split(",")) == fields for l in lines[:-1]),
           "%s: whole CSV lines of %d fields (last %r)" % (what, fields, lines[-2:]))


def signals_run():
    scn = long_scenario()
    for sig, status, name in SIGNALS:
        junit, candump = tmp("j.xml"), tmp("c.log")
        # A row every tick: the FIFO holds the run within its first seconds, so
        # of the 3 expectations (at 5s, at 10m, 0s to 10m) at most the first
        # is decided when the signal comes.
        rc, trace, out, err, secs = stop_via_fifo(
            ["run", scn, "--every", "10ms", "--trace", tmp("fifo"), "--candump", candump,
             "--junit", junit], tmp("fifo"), sig)
        expect(rc == status, "run %s: exit %d (expected %d) %r" % (name, rc, status, err))
        expect(secs < EXIT_BOUND_S, "run %s: %.1f s to exit" % (name, secs))
        whole_lines(trace, 22, "run %s: trace" % name)
        expect(trace.startswith("t_s,pack,state,") and len(trace.split("\n")) > 3,
               "run %s: trace has its header and rows" % name)
        whole_lines(open(candump, encoding="utf-8").read().replace(" ", ","), 3,
                    "run %s: candump" % name)
        last = out.strip().split("\n")[-1]
        m = re.match(r"(\d) passed, 0 failed, (\d) not decided: interrupted by %s at "
                     r"simulated time \S+$" % name, last)
        expect(m and int(m.group(1)) + int(m.group(2)) == 3 and int(m.group(2)) >= 2,
               "run %s: last line %r" % (name, last))
        undecided = int(m.group(2)) if m else -1
        try:
            doc = xml.dom.minidom.parse(junit)
            errors = doc.getElementsByTagName("error")
            prop = doc.getElementsByTagName("property")
            expect(len(errors) == undecided and all(e.getAttribute("type") == "interrupted"
                                                    for e in errors),
                   "run %s: junit has %d <error type=interrupted>" % (name, undecided))
            expect(len(prop) == 1 and prop[0].getAttribute("name") == "interrupted" and
                   prop[0].getAttribute("value").startswith(name + " at simulated time "),
                   "run %s: junit property interrupted" % name)
        except Exception as e:  # pylint: disable=broad-except
            expect(False, "run %s: junit not well-formed: %s" % (name, e))
    # Several scenarios: those after the interrupted one are not run, their
    # expectations undecided in the JUnit.
    junit = tmp("j2.xml")
    # (several scenarios: the trace of long.json is FILE-long)
    rc, _, out, _, _ = stop_via_fifo(["run", scn, DEFAULT, "--every", "10ms", "--trace",
                                      tmp("fifo"), "--junit", junit], tmp("fifo-long"),
                                     signal.SIGINT)
    doc = xml.dom.minidom.parse(junit)
    suites = doc.getElementsByTagName("testsuite")
    expect(rc == 130 and len(suites) == 2 and suites[1].getAttribute("errors") == "3",
           "two scenarios, interrupted in the first: exit %d, %r" % (rc, out))


def signals_gui():
    scn = long_scenario()
    for sig, status, name in SIGNALS:
        png = tmp("never.png")
        rc, _, err, secs = stop_when_caught(["gui", scn, "--screenshot", png, "--at", "30d"],
                                            sig)
        # stopped on its way to --at, not once there (30 days take seconds of CPU)
        m = re.search(r"interrupted at simulated time ([0-9.]+) s of ([0-9.]+) s", err)
        expect(rc == status and m and float(m.group(1)) < float(m.group(2)) and
               not os.path.exists(png),
               "gui --screenshot %s: exit %d (expected %d), %r" % (name, rc, status, err))
        expect(secs < EXIT_BOUND_S, "gui --screenshot %s: %.1f s to exit" % (name, secs))
    # The window itself (offscreen video driver: no display needed). Under ASan
    # its video and GL libraries leak inside modules SDL unloads before exit
    # (no symbols to suppress by, as for tests/ui's X11 test): no leak check.
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
    env["ASAN_OPTIONS"] = ":".join(x for x in (os.environ.get("ASAN_OPTIONS"),
                                               "detect_leaks=0") if x)
    rc, _, err, _ = stop_when_caught(["gui", scn], signal.SIGTERM, env=env)
    expect(rc == 143 and "interrupted at simulated time" in err,
           "the window on SIGTERM: exit %d, %r" % (rc, err))


def signals_bench():
    for sig, status, name in SIGNALS:
        rc, out, err, secs = stop_when_caught(["bench", "--days", "100"], sig)
        # stopped within its first pass of 100 days (8 640 000 s), not at its end
        m = re.search(r"interrupted by %s at simulated time ([0-9.]+) s of the first pass"
                      % name, out)
        expect(rc == status and m and float(m.group(1)) < 100 * 86400 and
               "real-time factor" in out,
               "bench %s: exit %d (expected %d), %r %r" % (name, rc, status, out, err))
        expect(secs < EXIT_BOUND_S, "bench %s: %.1f s to exit" % (name, secs))


def signals_cell():
    prof = tmp("long.csv")
    with open(prof, "w", encoding="utf-8") as f:
        f.write("time_s,current_a\n")
        f.write("".join("%d,%s\n" % (i, "0.5" if i % 2 else "-0.5") for i in range(200000)))
    for sig, status, name in SIGNALS:
        rc, text, _, err, secs = stop_via_fifo(["cell", "assets/cells/a123.json", "--profile",
                                                prof, "--out", tmp("fifo"), "--soc", "50"],
                                               tmp("fifo"), sig)
        expect(rc == status and "interrupted by %s at time_s" % name in err,
               "cell %s: exit %d (expected %d) %r" % (name, rc, status, err))
        whole_lines(text, 4, "cell %s: output" % name)
        rows = len(text.split("\n")) - 2
        expect(0 < rows < 200000, "cell %s: %d rows, fewer than the profile's" % (name, rows))
        expect(secs < EXIT_BOUND_S, "cell %s: %.1f s to exit" % (name, secs))


def bench_status():
    # The day's expectations decide the exit status: started empty, the night
    # load trips under-voltage at once ("protect": "none" fails).
    r = run("bench", "--days", "0.001", "--soc", "0")
    expect(r.returncode == 1 and re.search(r"expectations +0 passed, 2 failed", r.stdout),
           "bench --soc 0: exit %d (expected 1), %r" % (r.returncode, r.stdout))
    r = run("bench", "--days", "0.001")
    expect(r.returncode == 0 and re.search(r"expectations +2 passed, 0 failed", r.stdout),
           "bench: exit %d (expected 0), %r" % (r.returncode, r.stdout))
    r = run("bench", "--scenario", "--soc", "77")
    expect(r.returncode == 0 and '"packs": [{"soc": 77}]' in r.stdout, "bench --scenario --soc")
    # Figures 2 and 3's scenarios (tests/perf/instructions.sh --quiet reads them): 30 and
    # 365 days.
    for which, name, duration in (("month", "bench-standby-month", "2592000.000"),
                                  ("year", "bench-storage-year", "31536000.000")):
        r = run("bench", "--scenario", which)
        expect(r.returncode == 0 and '"name": "%s"' % name in r.stdout
               and '"duration": %s' % duration in r.stdout,
               "bench --scenario %s: exit %d %r" % (which, r.returncode, r.stdout[:200]))
    for bad in ("101", "-1", "x", "5.5"):
        r = run("bench", "--soc", bad)
        expect(r.returncode == 2 and "--soc needs a whole percentage" in r.stderr,
               "bench --soc %s: exit %d %r" % (bad, r.returncode, r.stderr))


def profile(name, rows):
    path = tmp(name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("time_s,current_a\n" + "".join("%g,%g\n" % r for r in rows))
    return path


def cell_rows(*args):
    r = run("cell", "assets/cells/a123.json", "--out", tmp("cell.csv"), *args)
    rows = [l.split(",") for l in open(tmp("cell.csv"), encoding="utf-8").read().split()[1:]]
    return r, rows


def cell_limits():
    # 5 A from full: the 2.02 Ah cell is empty after about 24 minutes of 2 h.
    dis = profile("dis.csv", [(t, -5) for t in range(0, 7200, 10)])
    r, rows = cell_rows("--profile", dis, "--cutoff")
    expect(r.returncode == 0 and "gtxsim cell: a123 (assets/cells/a123.json), 2.021 Ah, "
           "2.00-3.60 V, rated 10 A charge / 70 A discharge; at 25 degC from 100 % SOC; stops at "
           "the cut-off\n"
           in r.stderr, "cell: says which cell: %r" % r.stderr)
    v = [float(x[2]) for x in rows]
    expect(r.returncode == 0 and 60 < len(rows) < 720 and v[-1] < 2.0 <= v[-2] and
           "stopped at time_s %s (row %d of 720): " % (rows[-1][0], len(rows)) in r.stderr and
           "below the discharge cut-off 2.00 V of a123" in r.stderr,
           "cell: stops at the row crossing 2.0 V: %d rows, last %r, %r"
           % (len(rows), rows[-1:], r.stderr))
    # CLI.md's contract: by default one row per profile row, the crossing only said.
    r, rows = cell_rows("--profile", dis)
    crossing = [i for i, x in enumerate(rows) if float(x[2]) < 2.0][0]
    expect(r.returncode == 0 and len(rows) == 720 and float(rows[-1][2]) < 2.0 and
           "warning: at time_s %s (row %d of 720): " % (rows[crossing][0], crossing + 1)
           in r.stderr and "stopped" not in r.stderr,
           "cell: every row by default (%d), %r" % (len(rows), r.stderr))
    r, rows = cell_rows("--profile", dis, "--no-cutoff")
    expect(r.returncode == 0 and len(rows) == 720, "cell --no-cutoff: every row (%d)" % len(rows))
    chg = profile("chg.csv", [(t, 5) for t in range(0, 7200, 10)])
    r, rows = cell_rows("--profile", chg, "--soc", "50", "--cutoff")
    expect(r.returncode == 0 and len(rows) < 720 and float(rows[-1][2]) > 3.6 and
           "above the charge cut-off 3.60 V of a123" in r.stderr,
           "cell: stops at the charge cut-off: %d rows, %r" % (len(rows), r.stderr))
    # More current than the cell's rating: a warning each way, with the row.
    hard = profile("hard.csv", [(0, 0), (1, -100), (2, 20), (3, 0)])
    r, rows = cell_rows("--profile", hard, "--soc", "50", "--no-cutoff")
    expect(r.returncode == 0 and len(rows) == 4 and
           "warning: the profile charges at up to 20 A (time_s 2), more than the 10 A a123 "
           "is rated for" in r.stderr and
           "warning: the profile discharges at up to 100 A (time_s 1), more than the 70 A "
           "a123 is rated for" in r.stderr, "cell: rating warnings %r" % r.stderr)
    r, _ = cell_rows("--profile", dis, "--soc", "50", "--cutoff")
    expect("warning" not in r.stderr, "cell: no warning within the rating %r" % r.stderr)
    # A file without limits: said, and no cut-off.
    r = run("cell", "tests/cell/good_min.json", "--profile", dis, "--out", tmp("cell.csv"))
    expect(r.returncode == 0 and "the file gives no limits: no cut-off" in r.stderr,
           "cell without limits: %r" % r.stderr)
    # Bad limits: positioned errors.
    text = open("assets/cells/a123.json", encoding="utf-8").read()
    for old, new, words in (('"v_max_v": 3.6', '"v_max_v": 1.5',
                             '"v_max_v" = 1.5 is not above "v_min_v" = 2'),
                            ('"charge_a": 10.0,', '', 'missing key "charge_a" in "limits"'),
                            ('"discharge_a": 70.0', '"discharge_a": 0',
                             '"discharge_a" = 0 is out of range')):
        bad = tmp("bad_limits.json")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new).replace(",\n  }\n}", "\n  }\n}"))
        r = run("cell", bad, "--profile", dis, "--out", tmp("cell.csv"))
        expect(r.returncode == 2 and r.stderr.startswith(bad + ":") and words in r.stderr,
               "bad limits %r: exit %d %r" % (words, r.returncode, r.stderr))


# ---- run --summary: each pack's energy books (docs/spec/CLI.md, an extension) ----
LEDGER_ROWS = ["delivered", "delivered in", "delivered out", "stored (chemical)", "joule heat",
               "reversible heat", "side-reaction heat", "series heat", "diode heat",
               "balancing", "bms supply", "self-discharge", "residual"]


def summary_ledger():
    args = ("run", "scenarios/charge-to-full.json", "--until", "30m")
    plain, r = run(*args), run(*args, "--summary")
    lines = r.stdout.splitlines()
    expect(plain.returncode == 0 and plain.stdout == "2 passed, 0 failed\n",
           "run without --summary: only the summary line %r" % plain.stdout)
    expect(r.returncode == 0 and lines[-1] == "2 passed, 0 failed" and
           lines[0] == "energy charge-to-full pack 1" and len(lines) == 2 + len(LEDGER_ROWS),
           "run --summary: one block, then the summary last %r" % r.stdout)
    wh = {}
    for line in lines[1:-1]:
        m = re.fullmatch(r"  (.{20}) +(-?\d+\.\d{3}) Wh", line)
        expect(m is not None, "run --summary: row format %r" % line)
        if m:
            wh[m.group(1).strip()] = float(m.group(2))
    expect(list(wh) == LEDGER_ROWS, "run --summary: the rows in order %r" % list(wh))
    if list(wh) != LEDGER_ROWS:
        return
    # 30 min of charging at 25 A from the scenario's start: hundreds of Wh in.
    expect(wh["delivered"] > 100 and wh["delivered in"] >= wh["delivered"],
           "run --summary: delivered energy positive while charging %r" % wh)
    expect(abs(wh["delivered in"] - wh["delivered out"] - wh["delivered"]) <= 0.0015,
           "run --summary: in - out = delivered %r" % wh)
    spent = sum(wh[k] for k in LEDGER_ROWS[3:-1])
    throughput = wh["delivered in"] + wh["delivered out"]
    expect(abs(wh["residual"]) <= 0.001 * throughput and
           abs(wh["delivered"] - spent - wh["residual"]) <= 0.01,
           "run --summary: the books close within 0.1 %% of %.3f Wh %r" % (throughput, wh))
    again = run(*args, "--summary")
    expect(again.stdout == r.stdout, "run --summary: deterministic")


ALL = {"durations": durations, "unwritable": unwritable, "bom": bom,
       "many_events": many_events, "signals_run": signals_run, "signals_gui": signals_gui,
       "signals_bench": signals_bench, "signals_cell": signals_cell,
       "bench_status": bench_status, "cell_limits": cell_limits,
       "summary_ledger": summary_ledger}
for name in SECTIONS or ALL:
    ALL[name]()
print("%d failure(s)" % len(failures))
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if failures else 0)
