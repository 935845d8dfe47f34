/* cell.h: one LFP cell as a 2RC equivalent circuit with OCV(SOC, T), one-state
 * hysteresis, self-discharge and aging (docs/spec/PHYSICS.md). Plain
 * structs, SI units with the unit in the name; current > 0 charges.
 */
#ifndef GTX_CELL_H
#define GTX_CELL_H

#include <stdbool.h>

#define CELL_TABLE_MAX 256

/* A piecewise-linear table y(x), x strictly increasing. */
struct cell_table {
    int n;
    double x[CELL_TABLE_MAX];
    double y[CELL_TABLE_MAX];
};

/* Aging laws (docs/spec/PHYSICS.md "Aging"): capacity fade q_loss = q_cal + q_cyc,
 * resistance growth r_growth = r_cal + r_cyc, each with a virtual-time
 * continuation so that varying stress adds up. */
struct cell_aging_params {
    double cal_k_per_s_pow;     /* calendar fade coefficient at 25 °C, 50 % SOC */
    double cal_exponent;        /* 0.526 */
    double cal_ea_j_per_mol;    /* Arrhenius activation energy of calendar fade */
    double cyc_k_per_efc_pow;   /* cycle fade coefficient at 25 °C, 80 % DOD, 0.5 C */
    double cyc_exponent;        /* 0.828 */
    double cyc_dod_exponent;    /* DOD dependence of the cycle coefficient */
    double res_cal_k;           /* resistance growth, calendar */
    double res_cyc_k;           /* resistance growth, per equivalent full cycle */
    double overdischarge_v;     /* below this the cell is damaged (2.0 V) */
    double overdischarge_loss_per_s; /* capacity fraction lost per second below it */
};

/* What the cell's datasheet allows (the optional "limits" of a parameter
 * file): where a cycler stops and the rated continuous currents. The model
 * itself runs on past them; `gtxsim cell` stops and warns. */
struct cell_limits {
    bool given;            /* false: the file says nothing, all below are 0 */
    double v_min_v;        /* discharge cut-off voltage */
    double v_max_v;        /* charge cut-off voltage */
    double charge_a;       /* rated continuous charge current (> 0) */
    double discharge_a;    /* rated continuous discharge current (> 0) */
};

struct cell_params {
    char name[64];
    double capacity_ah;                 /* nominal Q */
    struct cell_table ocv25_v;          /* SOC (0..1) -> OCV at 25 °C */
    struct cell_table docv_dt_v_per_k;  /* SOC -> entropic coefficient dU/dT */
    struct cell_table hyst_v;           /* SOC -> M(z), half the charge/discharge gap */
    double r0_ohm, r1_ohm, r2_ohm;      /* at 25 °C, 50 % SOC */
    double tau1_s, tau2_s;
    struct cell_table r0_temp_factor;   /* T (°C) -> k0(T), interpolated in 1/T */
    double rc_ea_j_per_mol;             /* Arrhenius for R1, R2 */
    double hyst_gamma;                  /* γ */
    double eta_charge;                  /* coulombic efficiency on charge */
    double mass_kg, cp_j_per_kg_k;
    double self_discharge_per_month;    /* fraction of capacity at 25 °C */
    double self_discharge_ea_j_per_mol;
    struct cell_aging_params aging;
    /* Solid-state diffusion in the particles (docs/physics.md "Solid
     * diffusion"): tau_d = Rp²/D at 25 °C (0: off) and the activation energy
     * of D. The OCV term of the terminal voltage is taken at the particle
     * surface, whose SOC lags the mean one by up to tau_d·I/(15·3600·Q). */
    double diff_tau_s;
    double diff_ea_j_per_mol;
    struct cell_limits limits;
    /* Optional parts (docs/physics.md "The cold model"); absent, each is off:
     * a third, slow RC branch (r3_ohm 0: none); k(T) of the RC branches as a
     * table in 1/T like r0_temp_factor (n = 0: Arrhenius with rc_ea_j_per_mol);
     * the share of the capacity a cell delivers at T, counted from full (n = 0:
     * all of it); branch 1 as charge transfer, its steady voltage
     * (2RT/F)·asinh(R1·I·F/(2RT)) instead of R1·I (Butler-Volmer, α = 0.5). */
    double r3_ohm, tau3_s;
    struct cell_table rc_temp_factor;
    struct cell_table capacity_temp_factor;
    bool r1_butler_volmer;
};

/* One table segment that cell.c remembers for the next lookup near it:
 * y = y0 + (x - x0)·slope for x0 <= x < x1 (empty when x0 = x1). */
struct cell_seg {
    double x0, x1, y0, slope;
};

/* Per-cell state (and the cell's own deviations from the nominal params). */
struct cell_state {
    double soc;            /* true SOC z, 0..1 (may leave it when pushed) */
    double v1_v, v2_v;     /* RC branch voltages */
    double v3_v;           /* the slow third branch's voltage (0 without it) */
    double h;              /* hysteresis state -1..1 */
    double temp_c;
    double capacity_ah;    /* present capacity (spread and fade applied) */
    double r_factor;       /* resistance multiplier (spread, growth, faults) */
    double self_discharge_factor; /* spread multiplier */
    double aging_rate_factor;     /* per-cell variation of the aging rates */
    double q_loss_cal, q_loss_cyc; /* capacity fractions lost */
    double efc;            /* equivalent full cycles done */
    double soft_short_ohm; /* 0: none; else an internal leakage path */
    double soc_surf_gap;   /* surface SOC minus mean SOC (solid diffusion), 0 at rest */
    bool destroyed;        /* an internal short: a resistor at 0 V from now on */
    /* Cache of the factors that depend only on temperature and dt (cell.c fills
     * it; cell_init clears it). Saves the exp() calls on most steps. */
    struct cell_cache {
        int valid;
        int z_valid;             /* z and the SOC terms below hold (the last step's end) */
        const struct cell_params *p;
        double temp_c, dt_s;     /* temp_c: the temperature the factors are for */
        double k0, k_rc;         /* R0 and RC temperature factors */
        double e1, e2;           /* exp(-dt/tau) of both branches */
        double sd_per_s;         /* self-discharge, SOC fraction per second */
        double sd_inv_ref_v;     /* 1/OCV where sd_per_s is given (50 % SOC) */
        double z, ocv_v, dudt_v_per_k, m_v, f;
        double hyst_x, hyst_e;   /* exp(-hyst_x) of the last hysteresis step */
        /* Added with solid diffusion. ocv_v above is the OCV the terminal
         * shows: at the surface SOC z + gap (the same as at z when the gap is
         * 0); ocv_mean_v is the OCV at the mean SOC z (the energy books). */
        double gap, ocv_mean_v;
        double e_d;              /* exp(-dt/tau_gap), tau_gap = tau_d(T)/30 (opening) */
        double tau_d_s;          /* tau_d(T), the solid diffusion's time constant */
        double gap_gain_s;       /* tau_d(T)/15: steady gap = gap_gain_s·dz/dt */
        /* Added with the cold model: the third branch's decay; the capacity
         * share at T as 1/kq (the surface SOC seen is 1 - (1 - z - gap)/kq);
         * 2RT/F at T for the charge-transfer branch and the last current's
         * steady branch-1 voltage per ohm-ampere of R1·k (bv_i: that current). */
        double e3, inv_kq, vt2_v, bv_i, bv_ss;
        /* The segments of the last lookups (a step moves z by little); cleared
         * when the parameter set changes. */
        struct cell_seg seg_ocv, seg_ocv_surf, seg_dudt, seg_dudt_surf, seg_m;
        /* Added with the stranded share: exp(-dt/tau) of a closing gap wider
         * than the comfortable bound, tau = tau_d(T)/10; computed at the first
         * step of a dt and T that needs it (< 0: not yet), since most cells never
         * have such a gap. */
        double e_close;
    } cache;
};

/* The cache's temperature factors (R0, RC, self-discharge, diffusion) serve within
 * this much of the temperature they were computed at: 1 mK moves R0 by 4e-5 of
 * itself, and the heat network moves a resting cell's temperature by less than that
 * in most steps, so long quiet runs do not recompute them every step. */
#define CELL_CACHE_TEMP_TOL_K 1e-3
static inline int cell_cache_temp_close(const struct cell_cache *c, double temp_c)
{
    double d = c->temp_c - temp_c;
    return d <= CELL_CACHE_TEMP_TOL_K && d >= -CELL_CACHE_TEMP_TOL_K;
}

/* What one step did, for heat and energy bookkeeping (averages over the step). */
struct cell_step_out {
    double joule_w;        /* I²R0 + I·(v1+v2) + hysteresis loss: I·(V - OCV) */
    double reversible_w;   /* I·T·dU/dT (T in K), > 0 releases heat */
    double self_discharge_w; /* heat of self-discharge and soft short */
    double side_a;         /* charge rate the side (> 0) or reversal (< 0) reaction took */
    double side_reaction_w; /* heat of the side reaction past full (and the
                             * reversal reaction past empty, < 0: it gives) */
    double chem_energy_j;  /* change of stored chemical energy: ∫ I·(OCV - T·dU/dT) dt */
    /* Added by cell.c: electrical energy that entered the terminals over the
     * step, I·v_avg·dt. Exactly elec_energy_j = chem_energy_j
     * + (joule_w + reversible_w + self_discharge_w + side_reaction_w)·dt
     * (to rounding). */
    double elec_energy_j;
    double v_avg_v;        /* mean terminal voltage over the step (trapezoid) */
    double ocv_avg_v;      /* mean OCV over the step (trapezoid) */
};

void cell_init(struct cell_state *s, const struct cell_params *p, double soc, double temp_c);

/* Open-circuit voltage with the entropic term; beyond the table it rises
 * towards 5 V past full and falls towards 0 V past empty (never below). */
double cell_ocv_v(const struct cell_params *p, double soc, double temp_c);

/* Terminal voltage for current I with the present states. */
double cell_voltage_v(const struct cell_params *p, const struct cell_state *s, double current_a);

/* Advances the states over dt_s with constant current (exact RC update). */
void cell_step(const struct cell_params *p, struct cell_state *s, double current_a, double dt_s,
               struct cell_step_out *out);

/* Table lookup with linear interpolation, clamped at the ends. */
double cell_table_lookup(const struct cell_table *t, double x);

/* The parts of the model, for tests and the loader (T in °C). */
double cell_r0_temp_factor(const struct cell_params *p, double temp_c); /* k0(T) */
double cell_rc_temp_factor(const struct cell_params *p, double temp_c); /* table or Arrhenius */
double cell_capacity_temp_factor(const struct cell_params *p, double temp_c); /* kq(T) */
double cell_soc_factor(double soc);                                     /* f(z) */
double cell_hyst_m_v(const struct cell_params *p, double soc);          /* M(z) */
double cell_docv_dt_v_per_k(const struct cell_params *p, double soc);   /* dU/dT(z) */

/* The over-charge side reaction's current (A) at mean SOC z for a cell of
 * capacity_ah: 0 up to the OCV table's full end (docs/physics.md "The ends"). */
double cell_side_reaction_a(const struct cell_params *p, double soc, double capacity_ah);

#define CELL_KELVIN_OFFSET 273.15
#define CELL_FARADAY_C_PER_MOL 96485.33212
#define CELL_GAS_CONSTANT_J_PER_MOL_K 8.314462618

#endif
