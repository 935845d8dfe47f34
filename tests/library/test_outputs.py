#!/usr/bin/python3
"""The outputs of `gtxsim run` against docs/spec/CLI.md: trace columns and sampling, the
candump log read by python-can and decoded with the project's DBC (canmatrix)
into the values the trace shows, JUnit XML, determinism, exit statuses and the
summary line, and `gtxsim check`."""
import csv
import io
import os
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

GTXSIM, ROOT = sys.argv[1], sys.argv[2]
SCN = os.path.join(ROOT, "scenarios")
COLUMNS = ("t_s,pack,state,leds,lit,soc,true_soc,voltage_v,current_a,cell_v_min,cell_v_max,"
           "temp_min_c,temp_max_c,cvl_v,ccl_a,dcl_a,dry_chg,dry_dsg,protect,fault,alarm,"
           "balancing").split(",")


def run(*args):
    return subprocess.run([GTXSIM, *args], capture_output=True, text=True)


class Outputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.d = cls.tmp.name

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.d, name)

    def test_trace_columns_and_every(self):
        r = run("run", os.path.join(SCN, "default.json"), "-q", "--trace", self.path("t.csv"),
                "--every", "250ms", "--until", "10s")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = list(csv.reader(open(self.path("t.csv"))))
        self.assertEqual(rows[0], COLUMNS)
        times = [float(x[0]) for x in rows[1:]]
        self.assertEqual(times[:5], [0.0, 0.25, 0.5, 0.75, 1.0])
        self.assertEqual(len(times), 41)  # 0 .. 10 s every 250 ms
        self.assertTrue(all(x[1] == "1" for x in rows[1:]))

    def test_trace_cells(self):
        r = run("run", os.path.join(SCN, "default.json"), "-q", "--trace", self.path("c.csv"),
                "--cells", "--until", "3s")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = list(csv.reader(open(self.path("c.csv"))))
        cells = [f"v{i}" for i in range(1, 17)] + [f"t{i}" for i in range(1, 17)]
        self.assertEqual(rows[0], COLUMNS + cells)
        for row in rows[1:]:
            self.assertEqual(len(row), len(COLUMNS) + 32)
            volts = [float(v) for v in row[len(COLUMNS):len(COLUMNS) + 16]]
            self.assertTrue(all(3.2 < v < 3.4 for v in volts), volts)
            self.assertAlmostEqual(min(volts), float(row[COLUMNS.index("cell_v_min")]), 3)

    def test_trace_thermal(self):
        # issue 12 item 5: --thermal adds the case and MOSFET nodes and the six
        # NTCs as the BMS reads them, after the cells; ntc-open opens NTC 2 at 1m.
        r = run("run", os.path.join(SCN, "ntc-open.json"), "-q", "--trace", self.path("t.csv"),
                "--cells", "--thermal", "--every", "10s", "--until", "2m")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = list(csv.reader(open(self.path("t.csv"))))
        cells = [f"v{i}" for i in range(1, 17)] + [f"t{i}" for i in range(1, 17)]
        thermal = ["case_c", "fet_c"] + [f"ntc{i}_c" for i in range(1, 7)]
        self.assertEqual(rows[0], COLUMNS + cells + thermal)
        col = {name: k for k, name in enumerate(rows[0])}
        for row in rows[1:]:
            x = {name: float(row[k]) for name, k in col.items() if name in cells + thermal}
            t_s = float(row[0])
            # NTCs 1-4 sit on cells 2, 6, 11, 15; 5 on the MOSFETs; 6 in the case air
            # (+-0.3 degC of offset and noise, 0.1 degC steps).
            for ntc, truth in ((1, "t2"), (3, "t11"), (4, "t15"), (5, "fet_c"), (6, "case_c")):
                self.assertAlmostEqual(x[f"ntc{ntc}_c"], x[truth], delta=0.45, msg=(t_s, ntc))
            if t_s < 60:
                self.assertAlmostEqual(x["ntc2_c"], x["t6"], delta=0.45)
            else:  # an open NTC reads very cold
                self.assertEqual(row[col["ntc2_c"]], "-55.0")
                self.assertGreater(x["t6"], 20.0)

    def test_candump_decodes_like_trace(self):
        import can
        import canmatrix.formats
        trace, log = self.path("d.csv"), self.path("d.log")
        r = run("run", os.path.join(SCN, "charge-to-full.json"), "-q", "--trace", trace,
                "--candump", log, "--until", "2m")
        self.assertEqual(r.returncode, 0, r.stderr)
        first = open(log).readline()
        self.assertRegex(first, r"^\(\d{10}\.\d{6}\) can0 [0-9A-F]{3}#[0-9A-F]*$")
        dbs = canmatrix.formats.loadp(os.path.join(ROOT, "assets", "can", "gtx2500-pylon.dbc"))
        db = next(iter(dbs.values()))
        decoded = {}
        for msg in can.LogReader(log):
            fr = db.frame_by_id(canmatrix.ArbitrationId(msg.arbitration_id))
            if fr is None:
                continue
            sig = fr.decode(bytes(msg.data))
            decoded.setdefault(round(msg.timestamp), {}).update(
                {k: float(v.phys_value) for k, v in sig.items()})
        rows = {round(float(r["t_s"])): r for r in csv.DictReader(open(trace))}
        checked = 0
        for t, vals in decoded.items():
            if t not in rows or t < 20:
                continue
            row = rows[t]
            if not {"ChargeVoltageLimit", "SOC", "ChargeEnable"} <= set(vals):
                continue
            self.assertAlmostEqual(vals["ChargeVoltageLimit"], float(row["cvl_v"]), 3)
            self.assertAlmostEqual(vals["ChargeCurrentLimit"], float(row["ccl_a"]), 3)
            self.assertAlmostEqual(vals["DischargeCurrentLimit"], float(row["dcl_a"]), 3)
            self.assertEqual(int(vals["SOC"]), int(row["soc"]))
            self.assertEqual(int(vals["ChargeEnable"]), 1 if float(row["ccl_a"]) > 0 else 0)
            self.assertEqual(int(vals["DischargeEnable"]), 1 if float(row["dcl_a"]) > 0 else 0)
            checked += 1
        self.assertGreater(checked, 90)

    def test_junit(self):
        j = self.path("j.xml")
        r = run("run", os.path.join(SCN, "button-start-stop.json"), "-q", "--junit", j)
        self.assertEqual(r.returncode, 0, r.stderr)
        root = ET.parse(j).getroot()
        cases = root.findall(".//testcase")
        self.assertEqual(len(cases), 9)
        self.assertFalse(root.findall(".//failure"))

    def test_determinism(self):
        outs = []
        for k in range(2):
            t, c = self.path(f"det{k}.csv"), self.path(f"det{k}.log")
            r = run("run", os.path.join(SCN, "manual-inverter-overcurrent.json"), "-q",
                    "--trace", t, "--candump", c, "--every", "100ms", "--cells")
            self.assertEqual(r.returncode, 0, r.stderr)
            outs.append((open(t, "rb").read(), open(c, "rb").read()))
        self.assertGreater(len(outs[0][0]), 100000)
        self.assertEqual(outs[0], outs[1])

    def test_exit_status_and_summary(self):
        bad = self.path("fail.json")
        with open(bad, "w") as f:
            f.write('{"format": "gtxsim-scenario/1", "duration": "10s", "packs": [{"soc": 50}],\n'
                    ' "expect": [{"at": "5s", "state": "charging"}, {"at": "5s", "soc": 50}]}\n')
        r = run("run", bad)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout.strip().splitlines()[-1], "1 passed, 1 failed")
        self.assertIn("expect[0] (at 5s, pack 1): state wanted charging, got standby", r.stderr)
        broken = self.path("broken.json")
        with open(broken, "w") as f:
            f.write('{"format": "gtxsim-scenario/1", "duration": "10s", "packs": [{"soc": 500}]}')
        r = run("run", broken)
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"broken\.json:1:\d+: error: ")
        r = run("run", os.path.join(SCN, "default.json"))
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stdout.strip().splitlines()[-1], "3 passed, 0 failed")

    def test_check_runs_nothing(self):
        t = self.path("never.csv")
        r = run("check", os.path.join(SCN, "default.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(t))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
