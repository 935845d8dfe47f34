/* thermal.h: the pack's heat network (docs/spec/PHYSICS.md "Heat"): 16 cell nodes in a
 * row with neighbour conduction, each coupled to the case/enclosure node, the
 * case coupled to ambient; plus a quasi-node for the MOSFET temperature.
 */
#ifndef GTX_THERMAL_H
#define GTX_THERMAL_H

#define THERMAL_CELLS 16

struct thermal_params {
    double cell_c_j_per_k;    /* heat capacity of one cell (mass · cp) */
    double g_cc_w_per_k;      /* conduction between neighbouring cells (3) */
    double g_case_w_per_k;    /* each cell to the case/enclosure air (0.2) */
    double case_c_j_per_k;    /* case: 7 kg steel · 500 J/kg·K */
    double ua_w_per_k;        /* case to ambient (4) */
    double fet_rth_k_per_w;   /* MOSFET junction to case */
    double fet_tau_s;         /* MOSFET heat sink time constant */
};

/* The defaults of docs/spec/PHYSICS.md, with cell_c_j_per_k left for the caller (mass · cp). */
extern const struct thermal_params thermal_params_default;

struct thermal {
    struct thermal_params p;
    double cell_c[THERMAL_CELLS]; /* °C */
    double case_c;
    double fet_c;
    /* Factorisation cached for the last dt (backward Euler, see thermal.c). */
    double cached_dt_s;
    double inv_piv[THERMAL_CELLS];  /* 1 / pivot of the tridiagonal forward sweep */
    double cprime[THERMAL_CELLS];   /* modified super-diagonal */
    double case_resp[THERMAL_CELLS]; /* cell temperatures per kelvin of case temperature */
    double case_den;                /* the case row after eliminating the cells */
    double fet_decay;               /* exp(-dt / fet_tau_s) */
};

void thermal_init(struct thermal *th, const struct thermal_params *p, double temp_c);

/* Advances by dt_s. cell_heat_w: heat generated in each cell; case_heat_w: heat
 * released into the case/enclosure air (busbars, balancing, BMS board);
 * fet_heat_w: MOSFET losses, which also end in the case but first warm the
 * MOSFETs. Backward Euler on the cell/case network: stable for any dt_s. */
void thermal_step(struct thermal *th, const double cell_heat_w[THERMAL_CELLS],
                  double case_heat_w, double fet_heat_w, double ambient_c, double dt_s);

/* Total heat stored relative to a uniform reference temperature (J). */
double thermal_stored_j(const struct thermal *th, double ref_c);

#endif
