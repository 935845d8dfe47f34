#!/usr/bin/python3
"""test_campaign: gtxsim campaign and merge (docs/campaigns.md). The outputs do
not depend on the number of workers or shards (byte for byte), a broken
firmware (cell_ov switched off) is caught and shrunk to a small self-checking
scenario, a bad config names FILE:LINE:COL, a fixed-seed campaign finds no
violation. Usage: test_campaign.py GTXSIM SOURCE_ROOT SECTION..."""
import csv
import filecmp
import os
import sys

GTXSIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SECTIONS = sys.argv[3:]
HERE = os.path.join(ROOT, "tests", "campaign")
OUTPUTS = ("results.tsv", "summary.json", "junit.xml")
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
from gtx_cli import Harness  # noqa: E402

H = Harness(GTXSIM, "gtx_campaign_", 300)
run, expect, tmp, failures, TMP = H.run, H.expect, H.tmp, H.failures, H.tmpdir


def same_outputs(a, b, what):
    for name in OUTPUTS:
        expect(filecmp.cmp(os.path.join(a, name), os.path.join(b, name), shallow=False),
               "%s: %s differs from the single run's" % (what, name))


def workers_and_shards():
    small = os.path.join(HERE, "small.json")
    one = run("campaign", "--seeds", "3:9", "--config", small, "-j", "1", "--out", tmp("one"))
    expect(one.returncode == 0 and one.stdout.endswith("6 runs, 0 failed\n"),
           "single run: exit %d, %r" % (one.returncode, one.stdout))
    two = run("campaign", "--seeds", "3:9", "--config", small, "-j", "2", "--out", tmp("two"))
    expect(two.returncode == 0, "-j 2: exit %d" % two.returncode)
    same_outputs(tmp("one"), tmp("two"), "-j 2")
    for i in (1, 2, 3):
        r = run("campaign", "--seeds", "3:9", "--config", small, "-j", "1", "--shard",
                "%d/3" % i, "--out", tmp("s%d" % i))
        expect(r.stdout.endswith("2 runs, 0 failed\n"), "shard %d/3: %r" % (i, r.stdout))
    m = run("merge", tmp("s3"), tmp("s1"), tmp("s2"), "--out", tmp("merged"))
    expect(m.returncode == 0 and m.stdout == "6 runs, 0 failed\n",
           "merge: exit %d, %r" % (m.returncode, m.stdout))
    same_outputs(tmp("one"), tmp("merged"), "merge of 3 shards")
    seeds = [line.split("\t")[0] for line in open(tmp("merged/results.tsv"))]
    expect(seeds == [str(s) for s in range(3, 9)], "merged seeds %r" % seeds)
    m = run("merge", tmp("s1"), tmp("s1"), "--out", tmp("dup"))
    expect(m.returncode == 2 and "seed 3 is in two inputs" in m.stderr,
           "merge of one shard twice: exit %d, %r" % (m.returncode, m.stderr))


def minimise_cell_ov():
    # The firmware without its cell over-voltage protection (R-PR-7): the campaign
    # must see the cell_ov invariant broken and shrink the site to a small scenario
    # that passes on the real firmware and fails on the broken one.
    r = run("campaign", "--seeds", "1:2", "--config", os.path.join(HERE, "overcharge.json"),
            "-j", "1", "--disable-protection", "cell_ov", "--out", tmp("ov"))
    expect(r.returncode == 1 and r.stdout.startswith("seed 1: cell_ov (pack 1"),
           "broken firmware: exit %d, %r (expected seed 1: cell_ov)" % (r.returncode, r.stdout))
    path = tmp("ov/seed-1.min.json")
    lines = open(path).read().splitlines() if os.path.exists(path) else []
    expect(0 < len(lines) < 20, "minimised scenario has %d lines (expected < 20)" % len(lines))
    expect(any('"current_a": [-1000, 1]' in line for line in lines),
           "minimised scenario states the invariant: %r" % lines)
    good = run("run", path)
    expect(good.returncode == 0, "minimised scenario on the real firmware: exit %d, %r"
           % (good.returncode, good.stderr))
    bad = run("run", path, "--disable-protection", "cell_ov")
    expect(bad.returncode == 1 and "current_a wanted [-1000, 1]" in bad.stderr,
           "minimised scenario without cell_ov: exit %d, %r" % (bad.returncode, bad.stderr))
    summary = open(tmp("ov/summary.json")).read()
    expect('"cell_ov": {"count": 1, "first_seed": 1}' in summary, "summary: %s" % summary)


def bad_input():
    cfg = tmp("bad.json")
    with open(cfg, "w") as f:
        f.write('{\n  "packs": [1, 4],\n  "ambiant_c": [0, 10]\n}\n')
    r = run("campaign", "--seeds", "0:1", "--config", cfg)
    expect(r.returncode == 2 and "%s:3:3: error: unknown key 'ambiant_c'" % cfg in r.stderr,
           "misspelt key: exit %d, %r" % (r.returncode, r.stderr))
    with open(cfg, "w") as f:
        f.write('{"packs": [0, 5]}\n')
    r = run("campaign", "--seeds", "0:1", "--config", cfg)
    expect(r.returncode == 2 and ":1:11: error: packs [0, 5] is not a range inside [1, 4]"
           in r.stderr, "packs out of range: exit %d, %r" % (r.returncode, r.stderr))
    for args, text in ((["--seeds", "5:5"], "--seeds needs A:B with A < B"),
                       (["--seeds", "0:2", "--shard", "3/2"], "--shard needs I/N"),
                       (["--seeds", "0:2", "-j", "0"], "-j needs a number"),
                       ([], "--seeds A:B is required")):
        r = run("campaign", *args)
        expect(r.returncode == 2 and text in r.stderr, "campaign %s: exit %d, %r"
               % (" ".join(args), r.returncode, r.stderr))


def hang_guard():
    # docs/campaigns.md, "Hangs": a site whose simulated clock stops is a hang after
    # 1 000 advances without progress, at the same simulated instant on any machine.
    # test_stall_at_s makes the checker see the clock stop at 30 s; without the guard
    # the site would run to its end and pass.
    cfg = tmp("stall.json")
    with open(cfg, "w") as f:
        f.write('{"packs": 1, "duration_s": 600, "faults": 0, "test_stall_at_s": 30}\n')
    want = ("seed 0: hang (pack 0, t = 30.0 s): 4001 advances of the simulator by t = 30.00 s, "
            "more than one a 10 ms tick + 1000: its simulated clock stopped or crawls\n"
            "1 runs, 1 failed\n")
    for jobs in ("1", "2"):
        r = run("campaign", "--seeds", "0:1", "--config", cfg, "-j", jobs, "--out", tmp("stall"))
        expect(r.returncode == 1 and r.stdout == want,
               "stalled site, -j %s: exit %d, %r (expected %r)" % (jobs, r.returncode,
                                                                  r.stdout, want))
    expect(not os.path.exists(tmp("stall/seed-0.min.json")),
           "a hang is not minimised (the site is the reproduction)")
    summary = open(tmp("stall/summary.json")).read()
    expect('"hang": {"count": 1, "first_seed": 0}' in summary, "summary: %s" % summary)
    # The same site without the stall passes: the guard does not fire on a clock
    # that moves one tick per advance.
    with open(cfg, "w") as f:
        f.write('{"packs": 1, "duration_s": 600, "faults": 0}\n')
    r = run("campaign", "--seeds", "0:1", "--config", cfg, "-j", "1")
    expect(r.returncode == 0 and r.stdout == "1 runs, 0 failed\n",
           "the site without the stall: exit %d, %r" % (r.returncode, r.stdout))
    with open(cfg, "w") as f:
        f.write('{"hang_timeout_s": [1, 2]}\n')
    r = run("campaign", "--seeds", "0:1", "--config", cfg)
    expect(r.returncode == 2 and ":1:20: error: hang_timeout_s must be one number (expected "
           "it from 1 to 86400)" in r.stderr,
           "a range for hang_timeout_s: exit %d, %r" % (r.returncode, r.stderr))


def fixed_seeds():
    # A fixed-seed campaign of short sites (docs/campaigns.md, "In the test suite").
    r = run("campaign", "--seeds", "0:24", "--config", os.path.join(HERE, "small.json"),
            "--out", tmp("fixed"), timeout=600)
    expect(r.returncode == 0 and r.stdout.endswith("24 runs, 0 failed\n"),
           "fixed seeds 0:24: exit %d, %r" % (r.returncode, r.stdout))


def thousand():
    # 1 000 fixed seeds of short sites (5-15 min, 1-2 packs) on every core: about
    # 37 s of CPU (docs/campaigns.md, "In the test suite").
    r = run("campaign", "--seeds", "0:1000", "--config", os.path.join(HERE, "thousand.json"),
            "--out", tmp("thousand"), timeout=600)
    expect(r.returncode == 0 and r.stdout.endswith("1000 runs, 0 failed\n"),
           "seeds 0:1000: exit %d, %r" % (r.returncode, r.stdout[-500:]))
    summary = open(tmp("thousand/summary.json")).read()
    expect('"runs": 1000,' in summary and '"failed": 0,' in summary, "summary %s" % summary)


def sweep():
    # docs/sweeps.md's example on two grid points: no spread stops on pack_hv, a 3 %
    # spread on cell_ov first; the rows do not depend on -j.
    template = os.path.join(ROOT, "docs", "sweeps", "spread-charge.json")
    args = ["sweep", template, "--grid", "packs.0.cells.soc_spread_pct=0,3", "--grid",
            "ambient_c=25", "--samples", "1"]
    one = run(*args, "-j", "1", "--out", tmp("one.csv"))
    two = run(*args, "-j", "2", "--out", tmp("two.csv"))
    expect(one.returncode == 1 and two.returncode == 1,
           "sweep: exit %d and %d (expected 1: run 0 fails expect1)" % (one.returncode,
                                                                       two.returncode))
    expect(filecmp.cmp(tmp("one.csv"), tmp("two.csv"), shallow=False), "sweep -j 2 differs")
    rows = list(csv.DictReader(open(tmp("one.csv"))))
    got = [(r["packs.0.cells.soc_spread_pct"], r["first_protect"], r["expect1"], r["pass"])
           for r in rows]
    expect(got == [("0", "pack_hv", "fail", "fail"), ("3", "cell_ov", "pass", "pass")],
           "sweep rows %r" % got)
    # Charging from the inverter's step at 10 s (R-ST-1 debounce), on any firmware rate.
    expect(all(10 <= float(r["t_charging_s"]) < 12 and 3.2 < float(r["min_cell_v"]) < 3.4
               for r in rows), "sweep figures %r" % rows)
    # Random draws: the seed decides them, the run's index too.
    r1 = run("sweep", template, "--random", "ambient_c=uniform:5:35", "--samples", "2",
             "--seed", "7")
    r2 = run("sweep", template, "--random", "ambient_c=uniform:5:35", "--samples", "2",
             "--seed", "7", "-j", "1")
    temps = [line.split(",")[1] for line in r1.stdout.splitlines()[1:]]
    expect(r1.stdout == r2.stdout and len(temps) == 2 and temps[0] != temps[1]
           and all(5 <= float(t) <= 35 for t in temps), "sweep --random: %r" % r1.stdout)
    bad = run("sweep", template, "--grid", "packs.3.soc=10")
    expect(bad.returncode == 2 and "the key 'packs.3.soc' does not fit the template"
           in bad.stderr, "sweep with a bad key: exit %d, %r" % (bad.returncode, bad.stderr))
    bad = run("sweep", template, "--grid", "ambient_c=500")
    expect(bad.returncode == 2 and "the first run is not a valid scenario" in bad.stderr,
           "sweep with an invalid value: exit %d, %r" % (bad.returncode, bad.stderr))


for section in SECTIONS:
    globals()[section]()
if failures:
    sys.exit(1)
print("ok:", " ".join(SECTIONS))
