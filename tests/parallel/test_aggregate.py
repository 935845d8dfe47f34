#!/usr/bin/python3
"""R-PA-3 checked against the per-pack trace (test_aggregate.py GTXSIM SCENARIO).

Runs the scenario with a trace and a candump, then, for every second of steady
operation, compares what the master sent (0x351, 0x355, 0x356, 0x359) with the
packs' own rows of the trace: CCL/DCL the number of packs that allow each
direction times the smallest limit among them (the revised R-PA-3), SOC capacity-weighted (equal packs: the mean), voltage the mean,
current the sum, temperature the mean of the packs' means, protection bits OR-ed,
byte 4 the packs online."""
import csv
import os
import struct
import subprocess
import sys
import tempfile

# docs/spec/CAN.md table A bits of the protection ids in the trace.
TABLE_A = {"cell_ov": 1, "pack_hv": 1, "cell_uv": 2, "pack_lv": 2, "charge_ot": 3,
           "discharge_ot": 3, "mosfet_ot": 3, "charge_ut": 4, "discharge_ut": 4,
           "overcurrent_discharge": 7}


def n_times_min(limits):
    """R-PA-3: packs whose limit is > 0 (enable bit set) times the smallest of them."""
    allowed = [x for x in limits if x > 0]
    return len(allowed) * min(allowed) if allowed else 0.0


def main():
    gtxsim, scenario = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp()
    trace, dump = os.path.join(tmp, "t.csv"), os.path.join(tmp, "c.log")
    r = subprocess.run([gtxsim, "run", "-q", scenario, "--trace", trace, "--cells",
                        "--candump", dump],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr)
        return 1
    rows = {}
    with open(trace) as f:
        for row in csv.DictReader(f):
            rows.setdefault(round(float(row["t_s"])), {})[int(row["pack"])] = row
    frames = {}
    with open(dump) as f:
        for line in f:
            stamp, _, frame = line.split()
            t = float(stamp.strip("()"))
            cid, data = frame.split("#")
            frames.setdefault(int(t), {})[int(cid, 16)] = bytes.fromhex(data)
    checked = 0
    errors = []
    for t in sorted(frames):
        if t < 60 or t - 1 not in rows or t not in rows:
            continue  # limits slew 1 A/s after the start: steady from 60 s
        fr = frames[t]
        if not all(k in fr for k in (0x351, 0x355, 0x356, 0x359)):
            continue
        packs = rows[t - 1]  # the polls of the second before the frames
        n = len(packs)
        cvl, ccl, dcl, dvl = struct.unpack("<HhhH", fr[0x351])
        soc, soh = struct.unpack("<HH", fr[0x355][:4])
        volt, cur, temp = struct.unpack("<hhh", fr[0x356][:6])
        b359 = fr[0x359]

        def near(what, got, want, tol):
            if abs(got - want) > tol:
                errors.append(f"t={t}: {what} sent {got:.2f}, packs give {want:.2f}")

        near("CCL", ccl / 10, n_times_min([float(p["ccl_a"]) for p in packs.values()]), 0.11)
        near("DCL", dcl / 10, n_times_min([float(p["dcl_a"]) for p in packs.values()]), 0.11)
        near("CVL", cvl / 10, 55.7, 0.01)
        near("SOC", soc, sum(int(p["soc"]) for p in packs.values()) / n, 1.0)
        near("current", cur / 10, sum(float(p["current_a"]) for p in packs.values()), 0.35)
        # 0x356 is the battery voltage (B+/B-, the cells' sum; a pack discharging
        # through an open charge MOSFET's diode has its terminals 0.7 V lower)
        battery = [sum(float(p[f"v{k}"]) for k in range(1, 17)) for p in packs.values()]
        near("voltage", volt / 100, sum(battery) / n, 0.05)
        mean_of_means = sum((float(p["temp_min_c"]) + float(p["temp_max_c"])) / 2
                            for p in packs.values()) / n
        near("temperature", temp / 10, mean_of_means, 1.0)
        bits = 0
        for p in packs.values():
            for pid in filter(None, p["protect"].split("|")):
                bits |= 1 << TABLE_A[pid] if pid in TABLE_A else 0
        if b359[0] != bits:
            errors.append(f"t={t}: 0x359 byte 0 {b359[0]:#04x}, packs OR {bits:#04x}")
        if b359[4] != n:
            errors.append(f"t={t}: 0x359 byte 4 {b359[4]}, {n} packs online")
        checked += 1
    # N x min, not a sum: pack 3 (charge_ut) does not count, pack 2's 10 A is the smallest
    last = rows[max(rows)]
    if [float(last[k]["ccl_a"]) for k in (1, 2, 3)] != [25.0, 10.0, 0.0]:
        errors.append(f"unexpected per-pack CCL {[last[k]['ccl_a'] for k in (1, 2, 3)]}")
    if checked < 400:
        errors.append(f"only {checked} seconds checked")
    for e in errors[:20]:
        print(e)
    print(f"{checked} seconds checked, {len(errors)} mismatches")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
