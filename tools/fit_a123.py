#!/usr/bin/python3
"""fit_a123.py: fits assets/cells/a123.json, one parameter set for the A123
26650 LFP cell, on its dynamic tests at 25 and 45 degC and its C/30
discharges at -25, -5, 5, 25 and 45 degC at once
(tests/data/A123_DYN_50_P25_s1.csv, ..._P45_s1.csv,
a123_c30_discharge_table.csv). Run: /usr/bin/python3 tools/fit_a123.py [--check]
(about 3 minutes).

What is measured and fixed, what is fitted (docs/physics.md says the same):
- OCV(z, T) = OCV0(z) + T*OCVrel(z) from a123_ocv_temperature_fit.csv, i.e.
  OCV25 = OCV0 + 25*OCVrel and dU/dT = OCVrel.             (fixed, measured)
- k0(T) for R0: a123_R0_vs_T_fit.csv normalised to 25 degC. (fixed, measured)
- eta on charge 0.99617 (the OCV tests' coulombic efficiency). (fixed)
- Q: measured, the net Ah of each test (discharged - eta * charged) over
  1 - z_end, z_end from the rested end voltage on the OCV curve; mean of both.
- kq(T), the capacity at T over that at 25 degC: the C/30 table's discharged
  Ah at the 2.0 V cut-off (0.982 at -25 ... 1.003 at 45 degC).
- k(T) of the RC branches: a table at -25, -5, 5, 25 (= 1) and 45 degC,
  fitted (the C/30 table pins the cold end; one Arrhenius law does not fit it:
  17 kJ/mol between 5 and 45 degC, 88 between -25 and -5).
- Branch 1 is charge transfer (Butler-Volmer, alpha 0.5): its steady voltage
  is (2RT/F)*asinh(R1*I/(2RT/F)); R1 (the small-signal resistance) and tau1
  in the outer fit. Branch 3 is slow (tau3 of hours): what relaxes for hours.
- R0, R2, R3 at 25 degC and M(z) at 7 SOC knots: linear least squares inside
  the outer fit (they enter the voltage linearly), within physical bounds; M
  at most the measured half-gap of the C/30 branches at 25 degC
  (a123_ocv_derived_25C.csv, median within +-5 % SOC of each knot).
- Solid diffusion (docs/physics.md "Solid diffusion"): D and its activation
  energy of lfp50 (the BPX LFP electrode, the same material) with the A123
  nano-phosphate's smaller particles, Rp = 50 nm: tau_d = Rp^2/D = 36 s.
  Fitted freely, tau_d runs to any bound given (5000 s) as one more stand-in
  for the OCV error at 20-40 % SOC, and would then ruin cold predictions.
- tau1, tau2, tau3, gamma, R1 and k(T): an outer bounded least-squares fit.
The dynamic tests go into one residual vector restricted to 10..95 % SOC (SOC
counted from the measured Ah, as the validation test does), each test weighted
by 1/sqrt(samples); the C/30 table's points in 10..90 % SOC likewise per
temperature. The C/30 tests ran on a cell of 2.0726 Ah (the OCV tests' Q25,
a123_ocv_derived_25C.csv), the dynamic ones on one of 2.0211 Ah: each is
simulated with its own capacity.

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
C30_WINDOW = (0.10, 0.90)
RC_EA = 45000.0  # written to the file; k(T) comes from the table, which replaces it
DIFF_TAU_S = (50e-9) ** 2 / 6.873e-17
DIFF_EA = 80000.0
GAP_MAX = 0.08   # the surface gap's bound, diffusion_law.gap_max_soc (cell_diffusion_law.h)
FARADAY = 96485.33212
C30_CURRENT_A = -0.0767  # the C/30 tests' current (ocv_data/A123_OCV_*_S1.csv)
C30_Q_AH = 2.0726        # the OCV/C30 test cell's capacity at 25 degC
C30_TEMPS = [-25.0, -5.0, 5.0, 25.0, 45.0]
K_TEMPS = [-25.0, -5.0, 5.0, 25.0, 45.0]  # the RC table's points; 25 degC is 1
# Bounds that keep the fit physical: outer (tau1, tau2, tau3, gamma, R1, k at
# -25, -5, 5, 45 degC), and the linear parameters R0, R2, R3 (ohm) and the M(z)
# knots (V, at most the measured half-gap).
OUTER_LO = [1.0, 30.0, 1800.0, 1.0, 0.001, 1.0, 1.0, 1.0, 0.3]
OUTER_X0 = [10.0, 300.0, 10000.0, 20.0, 0.01, 20.0, 4.0, 2.0, 0.7]
OUTER_HI = [60.0, 1500.0, 40000.0, 300.0, 0.05, 300.0, 60.0, 20.0, 1.0]
R_MAX = [0.05, 0.05, 0.2]
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


def k_table(k_cold_warm):
    """The RC branches' k(T) table from the fitted values at -25, -5, 5, 45."""
    k = list(k_cold_warm)
    return (np.array(K_TEMPS), np.array(k[:3] + [1.0] + k[3:]))


def surface_gaps(dz_per_s, dt, tau_d, temp_c):
    """Surface SOC minus mean SOC after each interval (0 at the start), as
    cell_step: steady tau_d(T)/15 * dz/dt (bounded by GAP_MAX), reached with
    the lag tau_d(T)/30."""
    tau = tau_d * rc_temp_factor(temp_c, DIFF_EA)
    e = np.exp(-dt * 30.0 / tau)
    x = tau / 15.0 * dz_per_s
    x = x / np.sqrt(1.0 + (x / GAP_MAX) ** 2)
    return np.concatenate([[0.0], lfilter([1.0], [1.0, -e], x * (1.0 - e))])


def rc_branch(u, e):
    """v_k after each interval (0 at the start) of v <- v*e + u*(1 - e)."""
    return np.concatenate([[0.0], lfilter([1.0], [1.0, -e], u * (1.0 - e))])


class Tables:
    def __init__(self):
        t = load("a123_ocv_temperature_fit.csv", 2)
        self.soc = t[:, 0]
        self.ocv25 = t[:, 1] + 25.0 * t[:, 2]
        self.dudt = t[:, 2]
        r = load("a123_R0_vs_T_fit.csv", 4)
        self.k0 = (r[:, 0], r[:, 1] / r[r[:, 0] == 25.0, 1][0])
        self.c30 = load("a123_c30_discharge_table.csv", 3)
        ah_end = [self.c30[self.c30[:, 0] == t][-1, 1] for t in C30_TEMPS]
        self.kq = (np.array(C30_TEMPS), np.array(ah_end) / ah_end[C30_TEMPS.index(25.0)])
        d = load("a123_ocv_derived_25C.csv", 4)
        half = (d[:, 2] - d[:, 1]) / 2.0
        self.m_max = np.array([np.median(half[np.abs(d[:, 0] - z) <= 0.05 + 1e-9])
                               for z in M_KNOTS])

    def ocv(self, z, temp_c):
        """OCV with the entropic term and the bounded ends (as cell_ocv_v)."""
        x, y = self.soc, self.ocv25
        v = np.interp(z, x, y)
        s_lo = (y[1] - y[0]) / (x[1] - x[0])
        w = min(y[0] / s_lo, 0.035)
        k_lo = np.exp(np.minimum(z - x[0], 0.0) / w)  # past empty: towards 0 V
        v = np.where(z < x[0], y[0] * k_lo, v)
        v = np.where(z > x[-1], y[-1] + (5.0 - y[-1]) * -np.expm1(-(z - x[-1]) / 0.02), v)
        return v + (temp_c - 25.0) * np.interp(z, x, self.dudt) * k_lo


class C30Profile:
    """The C/30 discharge at temp_c as a profile of 60 s rows from full."""
    def __init__(self, temp_c, dt_s=60.0):
        self.name, self.temp_c = "C/30 at %g degC" % temp_c, temp_c
        n = int(2.1 * 3600.0 / -C30_CURRENT_A / dt_s) + 2
        self.t = np.arange(n) * dt_s
        self.i = np.full(n, C30_CURRENT_A)
        self.i[0] = 0.0


def c30_points(tab, temp_c):
    """The table's rows at temp_c within C30_WINDOW: (row index of a 60 s
    C30Profile, measured V)."""
    r = tab.c30[tab.c30[:, 0] == temp_c]
    z = 1.0 - r[:, 1] / C30_Q_AH
    w = (z >= C30_WINDOW[0]) & (z <= C30_WINDOW[1])
    idx = np.rint(r[w, 1] * 3600.0 / -C30_CURRENT_A / 60.0).astype(int)
    return idx, r[w, 2]


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


def simulate_parts(p, tab, q_ah, th):
    """Voltage = base + A @ [R0, R2, R3, m_knots...] for the outer parameters
    th = (tau1, tau2, tau3, gamma, R1, k at -25, -5, 5, 45 degC); returns base,
    A, soc. base holds the OCV at the surface SOC of the share kq(T) and the
    charge-transfer branch."""
    tau1, tau2, tau3, gamma, r1 = th[:5]
    dt = np.diff(p.t)
    q_as = 3600.0 * q_ah
    krc = r0_temp_factor(p.temp_c, k_table(th[5:9]))
    sd = SD_PER_MONTH / (365.25 / 12 * 86400) * np.exp(
        SD_EA / R_GAS * (1.0 / T25_K - 1.0 / (p.temp_c + 273.15)))
    eta = np.where(p.i[:-1] > 0, ETA_CHARGE, 1.0)
    dz_per_s = (eta * p.i[:-1] - sd * q_as) / q_as
    z = np.concatenate([[1.0], 1.0 + np.cumsum(dz_per_s * dt)])
    f = soc_factor(z)
    h = hyst_states(p.i, dt, gamma, q_as)
    cols = [f * r0_temp_factor(p.temp_c, tab.k0) * p.i]
    assert np.allclose(dt, dt[0]), "the fit assumes a constant time step"
    gap = surface_gaps(dz_per_s, dt[0], DIFF_TAU_S, p.temp_c)
    rr = f[:-1] * krc * p.i[:-1]
    vt2 = 2.0 * R_GAS * (p.temp_c + 273.15) / FARADAY
    v1 = rc_branch(vt2 * np.arcsinh(r1 * rr / vt2), np.exp(-dt[0] / (tau1 * krc)))
    for tau in (tau2, tau3):
        cols.append(rc_branch(rr, np.exp(-dt[0] / (tau * krc))))
    for j in range(len(M_KNOTS)):
        basis = np.zeros(len(M_KNOTS))
        basis[j] = 1.0
        cols.append(np.interp(z, M_KNOTS, basis) * h)
    kq = float(np.interp(p.temp_c, *tab.kq))
    z_seen = 1.0 - (1.0 - (z + gap)) / kq
    return tab.ocv(z_seen, p.temp_c) + v1, np.column_stack(cols), z


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


def residual_blocks(profiles, c30s, tab, q_ah, th):
    """(A, b, name) per test: the rows of the linear system within its window."""
    out = []
    for p in profiles:
        base, a, _ = simulate_parts(p, tab, q_ah, th)
        w = window(p, q_ah)
        out.append((a[w], (p.v - base)[w], "%g degC dynamic" % p.temp_c))
    for p in c30s:
        base, a, _ = simulate_parts(p, tab, C30_Q_AH, th)
        idx, v = c30_points(tab, p.temp_c)
        out.append((a[idx], v - base[idx], p.name))
    return out


def solve_linear(profiles, c30s, tab, q_ah, th):
    blocks = residual_blocks(profiles, c30s, tab, q_ah, th)
    a = np.vstack([blk[0] / np.sqrt(len(blk[1])) for blk in blocks])
    b = np.concatenate([blk[1] / np.sqrt(len(blk[1])) for blk in blocks])
    lo = np.full(a.shape[1], 0.0)
    lo[:2] = 1e-5
    hi = np.concatenate([R_MAX, np.maximum(tab.m_max, 1e-4)])
    sol = lsq_linear(a, b, bounds=(lo, hi), method="bvls")
    return sol.x, a @ sol.x - b


def fit(profiles, c30s, tab):
    q_ah = measured_capacity_ah(profiles, tab)
    lo, x0, hi = np.array(OUTER_LO), np.array(OUTER_X0), np.array(OUTER_HI)

    def full(y):  # bounded through a logistic map
        return lo + (hi - lo) / (1 + np.exp(-y))

    def resid(y):
        return solve_linear(profiles, c30s, tab, q_ah, full(y))[1]

    y0 = -np.log((hi - lo) / (x0 - lo) - 1)
    sol = least_squares(resid, y0, diff_step=1e-3, max_nfev=40)
    th = full(sol.x)
    lin, _ = solve_linear(profiles, c30s, tab, q_ah, th)
    return q_ah, th, lin


def rms_report(profiles, c30s, tab, q_ah, th, lin):
    return [(name, float(np.sqrt(np.mean((a @ lin - b) ** 2))))
            for a, b, name in residual_blocks(profiles, c30s, tab, q_ah, th)]


# The datasheet limits of the A123 ANR26650M1 (docs/physics.md "Cell limits"):
# charge to 3.6 V, discharge cut-off 2.0 V, fast charge 10 A, 70 A continuous
# discharge. Not fitted: `gtxsim cell` stops and warns at them.
LIMITS = {"v_min_v": 2.0, "v_max_v": 3.6, "charge_a": 10.0, "discharge_a": 70.0}


def write_params(tab, q_ah, th, lin):
    tau1, tau2, tau3, gamma, r1 = th[:5]
    r0, r2, r3 = lin[:3]
    m = lin[3:]
    kt, kf = k_table(th[5:9])
    params = {
        "name": "a123",
        "notes": ("A123 26650 LFP cell, fitted by tools/fit_a123.py on the dynamic tests at "
                  "25 and 45 degC and its C/30 discharges at -25..45 degC at once "
                  "(batterysim/esctoolbox-python data, MIT); OCV(z,T), k0(T) and kq(T) "
                  "measured, see docs/physics.md."),
        "capacity_ah": round(float(q_ah), 5),
        "r0_ohm": float("%.5g" % r0),
        "r1_ohm": float("%.5g" % r1),
        "r2_ohm": float("%.5g" % r2),
        "tau1_s": float("%.5g" % tau1),
        "tau2_s": float("%.5g" % tau2),
        "rc_ea_j_per_mol": RC_EA,
        "hyst_gamma": float("%.5g" % gamma),
        "eta_charge": ETA_CHARGE,
        "mass_kg": 0.07,
        "cp_j_per_kg_k": 1100.0,
        "self_discharge_per_month": SD_PER_MONTH,
        "self_discharge_ea_j_per_mol": SD_EA,
        "diff_tau_s": round(float(DIFF_TAU_S), 1),
        "diff_ea_j_per_mol": DIFF_EA,
        "ocv25_v": {"soc": [round(float(z), 4) for z in tab.soc],
                    "v": [round(float(v), 6) for v in tab.ocv25]},
        "docv_dt_v_per_k": {"soc": [round(float(z), 4) for z in tab.soc],
                            "v_per_k": [float("%.5g" % d) for d in tab.dudt]},
        "hyst_v": {"soc": [float(k) for k in M_KNOTS],
                   "v": [round(float(v), 6) for v in m]},
        "r0_temp_factor": {"temp_c": [float(t) for t in tab.k0[0]],
                           "factor": [round(float(k), 4) for k in tab.k0[1]]},
        "r3_ohm": float("%.5g" % r3),
        "tau3_s": float("%.5g" % tau3),
        "r1_butler_volmer": True,
        "rc_temp_factor": {"temp_c": [float(t) for t in kt],
                           "factor": [float("%.5g" % k) for k in kf]},
        "capacity_temp_factor": {"temp_c": [float(t) for t in tab.kq[0]],
                                 "factor": [round(float(k), 4) for k in tab.kq[1]]},
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


def check_with_gtxsim(gtxsim, profiles, c30s, tab, q_ah):
    """Runs the built gtxsim on each profile and prints the RMS it gives (the
    C/30 ones with the C/30 test cell's capacity)."""
    with open(OUT, encoding="utf-8") as f:
        c30_params = json.load(f)
    c30_params["capacity_ah"] = C30_Q_AH
    with tempfile.TemporaryDirectory() as tmp:
        c30_file = os.path.join(tmp, "a123_c30.json")
        with open(c30_file, "w", encoding="utf-8") as f:
            json.dump(c30_params, f)

        def run(params, p):
            prof = os.path.join(tmp, "profile.csv")
            out = os.path.join(tmp, "out.csv")
            with open(prof, "w", encoding="utf-8") as f:
                f.write("time_s,current_a\n")
                for t, i in zip(p.t, p.i):
                    f.write("%.4f,%.4f\n" % (t, i))
            subprocess.run([gtxsim, "cell", params, "--profile", prof, "--out", out,
                            "--temp-c", str(p.temp_c)], check=True, stderr=subprocess.DEVNULL)
            return np.loadtxt(out, delimiter=",", skiprows=1)[:, 2]

        for p in profiles:
            v = run(OUT, p)
            w = window(p, q_ah)
            print("gtxsim cell at %g degC: %.2f mV RMS in 10..95 %% SOC"
                  % (p.temp_c, 1000 * np.sqrt(np.mean((v - p.v)[w] ** 2))))
        for p in c30s:
            v = run(c30_file, p)
            idx, vm = c30_points(tab, p.temp_c)
            print("gtxsim cell, %s: %.2f mV RMS in 10..90 %% SOC"
                  % (p.name, 1000 * np.sqrt(np.mean((v[idx] - vm) ** 2))))


def main():
    profiles = [Profile(n, t) for n, t in PROFILES]
    c30s = [C30Profile(t) for t in C30_TEMPS]
    tab = Tables()
    if "--check" not in sys.argv:
        q_ah, th, lin = fit(profiles, c30s, tab)
        print("Q %.4f Ah, tau1 %.1f s, tau2 %.0f s, tau3 %.0f s, gamma %.1f, R1 %.3f mOhm "
              "(charge transfer); k(T) at -25/-5/5/45 degC %s"
              % (q_ah, *th[:4], th[4] * 1e3, np.array2string(th[5:9], precision=3)))
        print("R0 %.3f mOhm, R2 %.3f mOhm, R3 %.3f mOhm; M(z) knots %s mV (at most %s)"
              % (lin[0] * 1e3, lin[1] * 1e3, lin[2] * 1e3,
                 np.array2string(lin[3:] * 1e3, precision=1),
                 np.array2string(tab.m_max * 1e3, precision=1)))
        for name, rms in rms_report(profiles, c30s, tab, q_ah, th, lin):
            print("model, %s: %.2f mV RMS" % (name, rms * 1e3))
        write_params(tab, q_ah, th, lin)
    gtxsim = os.environ.get("GTXSIM", os.path.join(ROOT, "build", "gtxsim"))
    if os.path.exists(gtxsim):
        with open(OUT, encoding="utf-8") as f:
            q_ah = json.load(f)["capacity_ah"]
        check_with_gtxsim(gtxsim, profiles, c30s, tab, q_ah)


if __name__ == "__main__":
    main()
