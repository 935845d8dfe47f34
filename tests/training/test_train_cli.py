#!/usr/bin/python3
"""test_train_cli: `gtxsim train` headless (docs/training.md): an attempt replays
to its score (time, hints and harmful actions taken off), twice the same bytes;
--junit and --report write what they say; bad exercise and attempt files are
exit 2 with FILE:LINE:COL naming the problem. Usage: test_train_cli.py GTXSIM ROOT."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

GTXSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.chdir(ROOT)
TMP = tempfile.mkdtemp(prefix="gtx_train_")
CAN = "scenarios/training/can-cable-unplugged.json"
OC = "scenarios/training/manual-inverter-overcurrent.json"
failures = []


def run(*args):
    return subprocess.run([GTXSIM, *args], capture_output=True, text=True, timeout=240)


def expect(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def write(name, text):
    path = os.path.join(TMP, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def attempt(name, exercise, actions, hints=(), done=None, trainee="anna"):
    a = {"format": "gtxsim-attempt/1", "exercise": exercise, "trainee": trainee,
         "hints": list(hints), "actions": actions}
    if done is not None:
        a["done"] = done
    return write(name, json.dumps(a, indent=2) + "\n")


# --- replay: 3 min of a 20 min limit (-3), hint 1 (-10): 87
good = attempt("good.json", "can-cable-unplugged",
               [{"at": "2m", "do": "can", "connected": True}], hints=["1m"], done="3m")
r1, r2 = run("train", CAN, "--replay", good), run("train", CAN, "--replay", good)
expect(r1.returncode == 0, f"a fixing attempt exits 0 (got {r1.returncode}: {r1.stderr})")
expect(r1.stdout.startswith("can-cable-unplugged: PASS, score 87/100\n"),
       f"score 87 for 3m of 20m and one 10-point hint: {r1.stdout!r}")
expect("  time 3m of 20m: -3.0\n" in r1.stdout and "  hints 1 of 2: -10.0\n" in r1.stdout,
       f"the deductions are listed: {r1.stdout!r}")
expect(r1.stdout == r2.stdout, "two replays print the same bytes")

# --- no actions: fails, exit 1
none = attempt("none.json", "can-cable-unplugged", [])
r = run("train", CAN, "--replay", none)
expect(r.returncode == 1 and "can-cable-unplugged: FAIL, score 0/100" in r.stdout,
       f"an empty attempt fails with exit 1: {r.returncode} {r.stdout!r}")
expect("not working: success[0]" in r.stdout, f"the failed success expectation is named: {r.stdout!r}")

# --- a restart of a pack in protection with the cause still there: harmful (-15), and it fails
restart = attempt("restart.json", "manual-inverter-overcurrent",
                  [{"at": "1m", "do": "press", "pack": 1, "hold": "3.5s"},
                   {"at": "2m", "do": "press", "pack": 1, "hold": "3.5s"}], done="2m")
r = run("train", OC, "--replay", restart, "--timeline")
expect(r.returncode == 1, f"restarting without a fix fails: {r.returncode}")
expect(re.search(r"harmful actions 1: -15\.0\n    at [0-9.]+ s: restart_in_fault: pack 1 "
                 r"restarted at 120 s in overcurrent_discharge", r.stdout) is not None,
       f"the restart is a harmful action: {r.stdout!r}")
expect("  timeline:\n" in r.stdout and '> {"at": 60.00, "do": "press", "pack": 1' in r.stdout,
       f"the timeline shows the trainee's actions: {r.stdout!r}")

# --- the right fix after that restart passes, still -15
fixed = attempt("fixed.json", "manual-inverter-overcurrent",
                [{"at": "1m", "do": "press", "pack": 1, "hold": "3.5s"},
                 {"at": "2m", "do": "press", "pack": 1, "hold": "3.5s"},
                 {"at": "5m", "do": "inverter", "mode": "lithium"}], done="5m")
r = run("train", OC, "--replay", fixed)
# 100 - 20 * 5/30 (3.3) - 15 = 81.7
expect(r.returncode == 0 and "manual-inverter-overcurrent: PASS, score 82/100" in r.stdout,
       f"the fix passes with the harmful restart taken off: {r.stdout!r}")

# --- JUnit: one testcase per success expectation
junit = os.path.join(TMP, "out.xml")
r = run("train", CAN, "--replay", good, "--junit", junit)
xml = open(junit).read() if os.path.exists(junit) else ""
expect(r.returncode == 0 and xml.count("<testcase") == 1 and "<failure" not in xml,
       f"--junit writes one passing testcase: {xml!r}")

# --- report: a folder of attempts, one CSV row each, in file-name order
cls = os.path.join(TMP, "class")
os.makedirs(cls)
shutil.copy(good, os.path.join(cls, "anna-can.json"))
attempt("class/ben-can.json", "can-cable-unplugged", [], trainee="ben")
r = run("train", "--report", cls)
expect(r.returncode == 0, f"--report exits 0: {r.returncode} {r.stderr}")
expect(r.stdout == "trainee,exercise,file,passed,score,time_s,hints,harmful\n"
       "anna,can-cable-unplugged,anna-can.json,1,87,180.00,1,0\n"
       "ben,can-cable-unplugged,ben-can.json,0,0,1200.00,0,0\n",
       f"--report CSV: {r.stdout!r}")

# --- bad exercises: exit 2, FILE:LINE:COL, nothing run
base = json.load(open(CAN))


def bad_exercise(name, mutate, pattern):
    d = json.loads(json.dumps(base))
    mutate(d["training"])
    path = write("bad/" + name + ".json", json.dumps(d, indent=2) + "\n")
    for args in (("check", path), ("train", path, "--check")):
        r = run(*args)
        ok = r.returncode == 2 and re.search(re.escape(path) + r":\d+:\d+: error: " + pattern,
                                             r.stderr)
        expect(ok, f"{name}: {' '.join(args[:1])} exit 2 with /{pattern}/: "
                   f"{r.returncode} {r.stderr!r}")


bad_exercise("no-success", lambda t: t.pop("success"), r"missing key 'success' in 'training'")
bad_exercise("misspelt", lambda t: t.update(hint=t.pop("hints")),
             r"unknown key 'hint' in 'training'.*did you mean 'hints'")
bad_exercise("hint-cost", lambda t: t["hints"][0].update(cost=150),
             r"'cost' is 150 \(expected a number from 0 to 100\)")
bad_exercise("late-solution", lambda t: t["solution"][0].update(at="25m"),
             r"solution\[0\] is after the time limit 20m")
bad_exercise("limit-too-long", lambda t: t.update(time_limit="2h"),
             r"'time_limit' is \"2h\"")
bad_exercise("bad-action", lambda t: t["solution"][0].update(do="unplug"),
             r"unknown action 'unplug'")

# --- bad attempts: exit 2, FILE:LINE:COL
def bad_attempt(name, text, pattern):
    path = write("bad/" + name + ".json", text)
    r = run("train", CAN, "--replay", path)
    ok = r.returncode == 2 and re.search(re.escape(path) + r":\d+:\d+: error: " + pattern,
                                         r.stderr)
    expect(ok, f"attempt {name}: exit 2 with /{pattern}/: {r.returncode} {r.stderr!r}")


bad_attempt("format", '{"format": "gtxsim-attempt/9", "exercise": "x"}\n',
            r"'format' is \"gtxsim-attempt/9\"")
bad_attempt("pack", '{"format": "gtxsim-attempt/1", "exercise": "x",\n'
            ' "actions": [{"at": 5, "do": "press", "pack": 3}]}\n', r"'pack' is 3")
bad_attempt("done", '{"format": "gtxsim-attempt/1", "exercise": "x", "done": "25m"}\n',
            r"'done' is after the time limit 20m")
bad_attempt("hints", '{"format": "gtxsim-attempt/1", "exercise": "x",\n'
            '  "hints": [1, 2, 3]}\n', r"'hints' is an array \(expected a list of the times at most 2 hints")
bad_attempt("syntax", '{"format": "gtxsim-attempt/1", "exercise": "x",,}\n', r"")
bad_attempt("after-done", '{"format": "gtxsim-attempt/1", "exercise": "x", "done": 60,\n'
            ' "actions": [{"at": 90, "do": "can", "connected": true}]}\n',
            r"actions\[0\] is after the time limit 1m")

# --- the window's options are checked before any window opens
r = run("train", CAN, "--console", "bogus")
expect(r.returncode == 2 and "console" in r.stderr, f"a bad --console is exit 2: {r.stderr!r}")
r = run("train", "no-such-exercise")
expect(r.returncode == 2 and "no-such-exercise" in r.stderr, f"an unknown exercise: {r.stderr!r}")

# --- not an exercise
r = run("train", "scenarios/default.json", "--check")
expect(r.returncode == 2 and "not an exercise" in r.stderr, f"a plain scenario: {r.stderr!r}")

shutil.rmtree(TMP)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
