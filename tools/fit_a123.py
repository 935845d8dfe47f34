#!/usr/bin/python3
"""fit_a123.py: fits assets/cells/a123.json, one parameter set for the A123
26650 LFP cell, on its dynamic tests at 25 and 45 degC at once
(tests/data/A123_DYN_50_P25_s1.csv, ..._P45_s1.csv), with the temperature laws
of docs/spec/PHYSICS.md. Run: /usr/bin/python3 tools/fit_a123.py [--check]

What is measured and fixed, what is fitted (docs/physics.md says the same):
- OCV(z, T) = OCV0(z) + T*OCVrel(z) from a123_ocv_temperature_fit.csv, i.e.
  OCV25 = OCV0 + 25*OCVrel and dU/dT = OCVrel.             (fixed, measured)
- k0(T) for R0: a123_R0_vs_T_fit.csv normalised to 25 degC. (fixed, measured)
- eta on charge 0.99617 (the OCV tests' coulombic efficiency). (fixed)
- Q: measured, the net Ah of each test (discharged - eta * charged) over
  1 - z_end, z_end from the rested end voltage on the OCV curve; mean of both.
- Ea of R1, R2: 45 kJ/mol as docs/spec/PHYSICS.md says (two temperatures 20 K apart do
  not pin it down: fitted freely it runs to whichever bound it is given).
- R0, R1, R2 at 25 degC and M(z) at 7 SOC knots: linear least squares inside
  the outer fit (they enter the voltage linearly), within physical bounds.
- Solid diffusion (docs/physics.md "Solid diffusion"): D and its activation
  energy of lfp50 (the BPX LFP electrode, the same material) with the A123
  nano-phosphate's smaller particles, Rp = 50 nm: tau_d = Rp^2/D = 36 s.
  Fitted freely, tau_d runs to any bound given (5000 s) as one more stand-in
  for the OCV error at 20-40 % SOC, and would then ruin cold predictions.
- tau1, tau2, gamma: an outer bounded least-squares fit.
Both temperatures go into one residual vector, restricted to 10..95 % SOC
(SOC counted from the measured Ah, as the validation test does).

The model below mirrors src/plant/cell.c and `gtxsim cell` step by step
(states advanced over each interval with the previous row's current, row k's
voltage with I_k in the R0 term), so the fitted numbers carry over; --check
runs the built gtxsim on the result and prints both RMS figures.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.optimize import least_squares, lsq_linear
from scipy.signal import lfilter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.path.join(ROOT, "tests", "data")
OUT = os.path.join(ROOT, "assets", "cells", "a123.json")

R_GAS = 8.314462618
T25_K = 298.15
ETA_CHARGE = 0.99617
SD_PER_MONTH = 0.015
SD_EA = 50000.0
M_KNOTS = np.array([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
SOC_WINDOW = (0.10, 0.95)
RC_EA = 45000.0
DIFF_TAU_S = (50e-9) ** 2 / 6.873e-17
DIFF_EA = 80000.0
# Bounds that keep the fit physical: outer (tau1, tau2, gamma), and the linear
# parameters R0, R1, R2 (ohm) and the M(z) knots (V).
OUTER_LO, OUTER_X0, OUTER_HI = [2.0, 60.0, 1.0], [20.0, 400.0, 50.0], [60.0, 2000.0, 500.0]
R_MAX = [0.05, 0.03, 0.03]
M_MAX = 0.03
PROFILES = [("A123_DYN_50_P25_s1.csv", 25.0), ("A123_DYN_50_P45_s1.csv", 45.0)]


def load(name, skip):
    return np.loadtxt(os.path.join(DATA, name), delimiter=",", comments="#", skiprows=skip)


def soc_factor(z):
    """f(z) of docs/spec/PHYSICS.md, as cell_soc_factor()."""
    return (1.0 + 0.5 * np.maximum(0.0, 0.15 - z) / 0.15
            + 0.2 * np.maximum(0.0, z - 0.9) / 0.1)


def r0_temp_factor(temp_c, tbl):
    """k0(T): ln k linear in 1/T between the table's points."""
    inv = 1.0 / (np.asarray(tbl[0]) + 273.15)
    lk = np.log(tbl[1])
    x = 1.0 / (temp_c + 273.15)
    i = int(np.clip(np.searchsorted(-inv, -x) - 1, 0, len(inv) - 2))
    return float(np.exp(lk[i] + (x - inv[i]) * (lk[i + 1] - lk[i]) / (inv[i + 1] - inv[i])))


def rc_temp_factor(temp_c, ea):
    return float(np.exp(ea / R_GAS * (1.0 / (temp_c + 273.15) - 1.0 / T25_K)))


def surface_gaps(dz_per_s, dt, tau_d, temp_c):
    """Surface SOC minus mean SOC after each interval (0 at the start), as
    cell_step: steady tau_d(T)/15 * dz/dt, reached with the lag tau_d(T)/30."""
    tau = tau_d * rc_temp_factor(temp_c, DIFF_EA)
    e = np.exp(-dt * 30.0 / tau)
    return np.concatenate([[0.0], lfilter([1.0], [1.0, -e], tau / 15.0 * dz_per_s * (1.0 - e))])


class Tables:
    def __init__(self):
        t = load("a123_ocv_temperature_fit.csv", 2)
        self.soc = t[:, 0]
        self.ocv25 = t[:, 1] + 25.0 * t[:, 2]
        self.dudt = t[:, 2]
        r = load("a123_R0_vs_T_fit.csv", 4)
        self.k0 = (r[:, 0], r[:, 1] / r[r[:, 0] == 25.0, 1][0])

    def ocv(self, z, temp_c):
        """OCV with the entropic term and the wall (as cell_ocv_v)."""
        x, y = self.soc, self.ocv25
        v = np.interp(z, x, y)
        hi = z > x[-1]
        lo = z < x[0]
        s_hi = (y[-1] - y[-2]) / (x[-1] - x[-2])
        s_lo = (y[1] - y[0]) / (x[1] - x[0])
        v = np.where(hi, y[-1] + (z - x[-1]) * (s_hi + 100.0), v)
        v = np.where(lo, y[0] + (z - x[0]) * (s_lo + 100.0), v)
        return v + (temp_c - 25.0) * np.interp(z, x, self.dudt)


class Profile:
    def __init__(self, name, temp_c):
        d = load(name, 1)
        self.name, self.temp_c = name, temp_c
        self.t = d[:, 0]
        self.i = -d[:, 2]  # the data's current is > 0 on discharge
        self.v = d[:, 3]
        self.dis_ah, self.chg_ah = d[:, 5], d[:, 4]

    def soc_measured(self, q_ah):
        """SOC from the measured Ah (full at the start), for the window."""
        return 1.0 - (self.dis_ah - ETA_CHARGE * self.chg_ah) / q_ah


def hyst_states(i, dt, gamma, q_as):
    """h_k after each interval (h_0 = 0), as cell_step."""
    h = np.zeros(len(i))
    e = np.exp(-np.abs(gamma * i[:-1] * dt / q_as))
    s = np.sign(i[:-1])
    hk = 0.0
    for k in range(len(e)):
        if s[k] != 0.0:
            hk = e[k] * hk + (1.0 - e[k]) * s[k]
        h[k + 1] = hk
    return h


def simulate_parts(p, tab, q_ah, tau1, tau2, gamma, tau_d, ea):
    """Voltage = base + A @ [R0, R1, R2, m_knots...]; returns base, A, soc."""
    dt = np.diff(p.t)
    q_as = 3600.0 * q_ah
    krc = rc_temp_factor(p.temp_c, ea)
    sd = SD_PER_MONTH / (365.25 / 12 * 86400) * np.exp(
        SD_EA / R_GAS * (1.0 / T25_K - 1.0 / (p.temp_c + 273.15)))
    eta = np.where(p.i[:-1] > 0, ETA_CHARGE, 1.0)
    dz_per_s = (eta * p.i[:-1] - sd * q_as) / q_as
    z = np.concatenate([[1.0], 1.0 + np.cumsum(dz_per_s * dt)])
    f = soc_factor(z)
    h = hyst_states(p.i, dt, gamma, q_as)
    cols = [f * r0_temp_factor(p.temp_c, tab.k0) * p.i]
    assert np.allclose(dt, dt[0]), "the fit assumes a constant time step"
    gap = surface_gaps(dz_per_s, dt[0], tau_d, p.temp_c)
    for tau in (tau1, tau2):
        e = np.exp(-dt[0] / (tau * krc))
        u = f[:-1] * krc * p.i[:-1] * (1.0 - e)
        v = lfilter([1.0], [1.0, -e], u)
        cols.append(np.concatenate([[0.0], v]))
    for j in range(len(M_KNOTS)):
        basis = np.zeros(len(M_KNOTS))
        basis[j] = 1.0
        cols.append(np.interp(z, M_KNOTS, basis) * h)
    return tab.ocv(z + gap, p.temp_c), np.column_stack(cols), z


def measured_capacity_ah(profiles, tab):
    qs = []
    for p in profiles:
        net = p.dis_ah[-1] - ETA_CHARGE * p.chg_ah[-1]
        zs = np.linspace(0.0, 0.2, 2001)
        z_end = np.interp(p.v[-1], tab.ocv(zs, p.temp_c), zs)
        qs.append(net / (1.0 - z_end))
    return float(np.mean(qs))


def window(p, q_ah):
    zm = p.soc_measured(q_ah)
    return (zm >= SOC_WINDOW[0]) & (zm <= SOC_WINDOW[1])


def solve_linear(profiles, tab, x):
    q_ah = x[0]
    rows, rhs = [], []
    for p in profiles:
        base, a, _ = simulate_parts(p, tab, *x)
        w = window(p, q_ah)
        rows.append(a[w] / np.sqrt(w.sum()))
        rhs.append((p.v - base)[w] / np.sqrt(w.sum()))
    a, b = np.vstack(rows), np.concatenate(rhs)
    lo = np.full(a.shape[1], 0.0)
    lo[:3] = 1e-5
    hi = np.full(a.shape[1], M_MAX)
    hi[:3] = R_MAX
    sol = lsq_linear(a, b, bounds=(lo, hi), method="bvls")
    return sol.x, a @ sol.x - b


def fit(profiles, tab):
    q_ah = measured_capacity_ah(profiles, tab)
    lo, x0, hi = np.array(OUTER_LO), np.array(OUTER_X0), np.array(OUTER_HI)

    def full(y):  # bounded through a logistic map
        return [q_ah, *(lo + (hi - lo) / (1 + np.exp(-y))), DIFF_TAU_S, RC_EA]

    def resid(y):
        return solve_linear(profiles, tab, full(y))[1]

    y0 = -np.log((hi - lo) / (x0 - lo) - 1)
    sol = least_squares(resid, y0, diff_step=1e-3, max_nfev=100)
    x = full(sol.x)
    lin, _ = solve_linear(profiles, tab, x)
    return x, lin


def rms_report(profiles, tab, x, lin):
    out = []
    for p in profiles:
        base, a, _ = simulate_parts(p, tab, *x)
        w = window(p, x[0])
        err = (base + a @ lin - p.v)[w]
        out.append((p.temp_c, float(np.sqrt(np.mean(err ** 2)))))
    return out


# The datasheet limits of the A123 ANR26650M1 (docs/physics.md "Cell limits"):
# charge to 3.6 V, discharge cut-off 2.0 V, fast charge 10 A, 70 A continuous
# discharge. Not fitted: `gtxsim cell` stops and warns at them.
LIMITS = {"v_min_v": 2.0, "v_max_v": 3.6, "charge_a": 10.0, "discharge_a": 70.0}


def write_params(tab, x, lin):
    q_ah, tau1, tau2, gamma, tau_d, ea = x
    r0, r1, r2 = lin[:3]
    m = lin[3:]
    params = {
        "name": "a123",
        "notes": ("A123 26650 LFP cell, fitted by tools/fit_a123.py on the dynamic tests at "
                  "25 and 45 degC at once (batterysim/esctoolbox-python data, MIT); OCV(z,T) "
                  "and k0(T) measured, see docs/physics.md."),
        "capacity_ah": round(float(q_ah), 5),
        "r0_ohm": float("%.5g" % r0),
        "r1_ohm": float("%.5g" % r1),
        "r2_ohm": float("%.5g" % r2),
        "tau1_s": float("%.5g" % tau1),
        "tau2_s": float("%.5g" % tau2),
        "rc_ea_j_per_mol": round(float(ea), 0),
        "hyst_gamma": float("%.5g" % gamma),
        "eta_charge": ETA_CHARGE,
        "mass_kg": 0.07,
        "cp_j_per_kg_k": 1100.0,
        "self_discharge_per_month": SD_PER_MONTH,
        "self_discharge_ea_j_per_mol": SD_EA,
        "diff_tau_s": round(float(tau_d), 1),
        "diff_ea_j_per_mol": DIFF_EA,
        "ocv25_v": {"soc": [round(float(z), 4) for z in tab.soc],
                    "v": [round(float(v), 6) for v in tab.ocv25]},
        "docv_dt_v_per_k": {"soc": [round(float(z), 4) for z in tab.soc],
                            "v_per_k": [float("%.5g" % d) for d in tab.dudt]},
        "hyst_v": {"soc": [float(k) for k in M_KNOTS],
                   "v": [round(float(v), 6) for v in m]},
        "r0_temp_factor": {"temp_c": [float(t) for t in tab.k0[0]],
                           "factor": [round(float(k), 4) for k in tab.k0[1]]},
    }
    aging = None
    if os.path.exists(OUT):
        with open(OUT, encoding="utf-8") as f:
            aging = json.load(f).get("aging")
    if aging is None:
        with open(os.path.join(ROOT, "assets", "cells", "lfp50.json"), encoding="utf-8") as f:
            aging = json.load(f)["aging"]
    params["aging"] = aging
    params["limits"] = LIMITS
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from make_lfp50 import dump_params  # the same layout as lfp50.json
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(dump_params(params))


def check_with_gtxsim(gtxsim, profiles, q_ah):
    """Runs the built gtxsim on each profile and prints the RMS it gives."""
    with tempfile.TemporaryDirectory() as tmp:
        for p in profiles:
            prof = os.path.join(tmp, "profile.csv")
            out = os.path.join(tmp, "out.csv")
            with open(prof, "w", encoding="utf-8") as f:
                f.write("time_s,current_a\n")
                for t, i in zip(p.t, p.i):
                    f.write("%.4f,%.4f\n" % (t, i))
            subprocess.run([gtxsim, "cell", OUT, "--profile", prof, "--out", out,
                            "--temp-c", str(p.temp_c)], check=True)
            v = np.loadtxt(out, delimiter=",", skiprows=1)[:, 2]
            w = window(p, q_ah)
            print("gtxsim cell at %g degC: %.2f mV RMS in 10..95 %% SOC"
                  % (p.temp_c, 1000 * np.sqrt(np.mean((v - p.v)[w] ** 2))))


def main():
    profiles = [Profile(n, t) for n, t in PROFILES]
    tab = Tables()
    if "--check" not in sys.argv:
        x, lin = fit(profiles, tab)
        print("Q %.4f Ah, tau1 %.1f s, tau2 %.0f s, gamma %.1f, tau_d %.0f s, Ea %.0f J/mol"
              % tuple(x))
        print("R0 %.3f mOhm, R1 %.3f mOhm, R2 %.3f mOhm; M(z) knots %s mV"
              % (lin[0] * 1e3, lin[1] * 1e3, lin[2] * 1e3,
                 np.array2string(lin[3:] * 1e3, precision=1)))
        for temp_c, rms in rms_report(profiles, tab, x, lin):
            print("model at %g degC: %.2f mV RMS in 10..95 %% SOC" % (temp_c, rms * 1e3))
        write_params(tab, x, lin)
    gtxsim = os.environ.get("GTXSIM", os.path.join(ROOT, "build", "gtxsim"))
    if os.path.exists(gtxsim):
        with open(OUT, encoding="utf-8") as f:
            q_ah = json.load(f)["capacity_ah"]
        check_with_gtxsim(gtxsim, profiles, q_ah)


if __name__ == "__main__":
    main()
