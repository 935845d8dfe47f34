#!/usr/bin/python3
"""make_lfp50.py: builds assets/cells/lfp50.json, the default 50 Ah LFP cell of
docs/spec/PHYSICS.md, from the measured tables in tests/data/ (run from anywhere:
/usr/bin/python3 tools/make_lfp50.py). Keeps an existing file's "aging" object,
which the pack model owns.
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.path.join(ROOT, "tests", "data")
OUT = os.path.join(ROOT, "assets", "cells", "lfp50.json")

# docs/spec/PHYSICS.md "Default 50 Ah cell".
CELL = {
    "name": "lfp50",
    "capacity_ah": 50.0,
    "r0_ohm": 0.45e-3,
    "r1_ohm": 0.30e-3,
    "r2_ohm": 0.8e-3,
    "tau1_s": 20.0,
    "tau2_s": 400.0,
    "rc_ea_j_per_mol": 45000.0,
    "hyst_gamma": 100.0,
    "eta_charge": 0.999,
    "mass_kg": 1.05,
    "cp_j_per_kg_k": 1000.0,
    "self_discharge_per_month": 0.015,
    "self_discharge_ea_j_per_mol": 50000.0,
    # Solid diffusion (docs/physics.md "Solid diffusion"): the LFP electrode of
    # the BPX LFP 18650 set (bpx_lfp_18650_cell_BPX.json of the measured-data
    # folder, FaradayInstitution/BPX, MIT; About:Energy 2022): particle
    # radius 0.5 um, D = 6.873e-17 m^2/s at 25 degC, so tau_d = Rp^2/D = 3637 s,
    # and D's activation energy 80 kJ/mol.
    "diff_tau_s": 3637.0,
    "diff_ea_j_per_mol": 80000.0,
}

# Placeholder aging laws until the pack model calibrates them (it owns them).
AGING = {
    "cal_k_per_s_pow": 3.4e-6,
    "cal_exponent": 0.526,
    "cal_ea_j_per_mol": 50000.0,
    "cyc_k_per_efc_pow": 3.2e-4,
    "cyc_exponent": 0.828,
    "cyc_dod_exponent": 1.0,
    "res_cal_k": 1.0e-6,
    "res_cyc_k": 5.0e-5,
    "overdischarge_v": 2.0,
    "overdischarge_loss_per_s": 3.0e-8,  # at 0 V, weighted by depth: docs/physics.md
}

# The cell's limits (docs/physics.md "Cell limits", a decision): charge to
# 3.65 V (the product's cell over-voltage protection), discharge to the usual
# LFP cut-off 2.5 V (the product protects earlier, at 2.70 V), 1 C both ways.
LIMITS = {"v_min_v": 2.5, "v_max_v": 3.65, "charge_a": 50.0, "discharge_a": 50.0}

# The product's full charge: CC/CV at 3.48 V per cell ending at 0.05 C.
FULL_CV_V = 3.48
FULL_END_A = 0.05 * 50.0


def soc_factor(z):
    """f(z) of docs/spec/PHYSICS.md (the same as cell.c)."""
    return 1.0 + 0.5 * max(0.0, 0.15 - z) / 0.15 + 0.2 * max(0.0, z - 0.9) / 0.1


def load_csv(name, skip):
    return np.loadtxt(os.path.join(DATA, name), delimiter=",", comments="#", skiprows=skip)


def dump_params(params):
    """JSON with one line per scalar and arrays wrapped at 10 numbers a line."""
    def value(v, ind):
        if isinstance(v, dict):
            rows = ['%s  "%s": %s' % (ind, k, value(x, ind + "  ")) for k, x in v.items()]
            return "{\n" + ",\n".join(rows) + "\n" + ind + "}"
        if isinstance(v, list):
            chunks = [", ".join(json.dumps(x) for x in v[i:i + 10]) for i in range(0, len(v), 10)]
            return "[\n" + ",\n".join(ind + "    " + c for c in chunks) + "\n" + ind + "  ]"
        return json.dumps(v)
    return value(params, "") + "\n"


def main():
    ocv = load_csv("a123_ocv_derived_25C.csv", 4)
    z_a123, v_avg = ocv[:, 0], ocv[:, 3]
    # The averaged C/30 branches wiggle by < 0.1 mV in the flat part; the model
    # needs a non-decreasing curve.
    v_avg = np.maximum.accumulate(v_avg)

    hyst = load_csv("simses_CLFP_Sony_US26650_HystV.csv", 1)
    m_v = hyst[:, 1] / 2.0  # M(z): half the full charge/discharge gap
    ent = load_csv("simses_CLFP_Sony_US26650_entropy.csv", 1)
    r0t = load_csv("a123_R0_vs_T_fit.csv", 4)

    # 100 % is where the CV phase ends: OCV(surface) + M + I*(R0 + R1 + R2)*f(1)
    # = 3.48 V after a full charge (h = +1, RC branches and the surface SOC gap
    # settled at the end current; the gap is tau_d/15*dz/dt in units of the
    # final axis, here of the A123 table's, which differ by z_full: negligible).
    drop_v = m_v[-1] + FULL_END_A * (CELL["r0_ohm"] + CELL["r1_ohm"] + CELL["r2_ohm"]) * \
        soc_factor(1.0)
    gap = CELL["diff_tau_s"] / 15.0 * FULL_END_A / (3600.0 * CELL["capacity_ah"])
    z_full = float(np.interp(FULL_CV_V - drop_v, v_avg, z_a123)) - gap
    soc = z_a123 / z_full  # the A123 table's last ~1 % lands above 100 %

    params = dict(CELL)
    params["notes"] = (
        "Default 50 Ah prismatic LFP cell (docs/spec/PHYSICS.md). OCV: A123 C/30 averaged branches "
        "(esctoolbox-python, MIT), SOC axis scaled so that 100 %% is the end of CC/CV at "
        "3.48 V / 0.05 C (A123 SOC %.4f); M(z): half of Sony US26650 HystV; dU/dT: Sony "
        "entropy (simses, BSD-3); k0(T): A123 R0(T)/R0(25 C). Made by tools/make_lfp50.py."
        % z_full)
    params["ocv25_v"] = {"soc": [round(x, 6) for x in soc], "v": [round(v, 5) for v in v_avg]}
    params["docv_dt_v_per_k"] = {"soc": [round(x, 4) for x in ent[:, 0]],
                                 "v_per_k": [float("%.5g" % s) for s in ent[:, 1]]}
    params["hyst_v"] = {"soc": [round(x, 4) for x in hyst[:, 0]],
                        "v": [round(m, 6) for m in m_v]}
    params["r0_temp_factor"] = {"temp_c": [float(t) for t in r0t[:, 0]],
                                "factor": [round(r / r0t[5, 1], 4) for r in r0t[:, 1]]}
    aging = AGING
    if os.path.exists(OUT):
        with open(OUT, encoding="utf-8") as f:
            aging = json.load(f).get("aging", AGING)
    params["aging"] = aging
    params["limits"] = LIMITS
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(dump_params(params))
    ocv_full = float(np.interp(z_full, z_a123, v_avg))
    print("lfp50: 100 %% = A123 SOC %.4f, OCV %.4f V, rested full pack %.2f V (with M %.2f V)"
          % (z_full, ocv_full, 16 * ocv_full, 16 * (ocv_full + m_v[-1])), file=sys.stderr)


if __name__ == "__main__":
    main()
