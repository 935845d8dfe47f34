/* aging.h: capacity fade and resistance growth of one cell (docs/spec/PHYSICS.md
 * "Aging"): calendar kcal·t^0.526 with Arrhenius and anode-potential SOC
 * dependence, cycle kcyc·EFC^0.828, linear resistance growth, over-discharge
 * damage. Stress is integrated with the virtual-time continuation.
 */
#ifndef GTX_AGING_H
#define GTX_AGING_H

#include "gtx/cell.h"

/* The aging memory of a cell beyond what struct cell_state holds
 * (q_loss_cal, q_loss_cyc, efc and aging_rate_factor live there). */
struct aging_cell {
    double q_loss_od;       /* capacity fraction lost by over-discharge */
    double q_loss_oc;       /* capacity fraction lost by over-charge */
    double r_growth_cal;    /* resistance growth fractions */
    double r_growth_cyc;
};

/* Mean conditions over an interval of dt_s. */
struct aging_stress {
    double dt_s;
    double temp_c;      /* mean cell temperature */
    double soc;         /* mean SOC, 0..1 */
    double d_efc;       /* equivalent full cycles done in the interval */
    double dod;         /* depth of discharge of the cycles being done, 0..1 */
    double below_od_s;  /* time below the over-discharge voltage, weighted by
                         * depth: (V_od - V)/V_od per second (1 at 0 V) */
    double side_q;      /* charge the over-charge side reaction took, in capacities */
};

/* One repeated cycle for the fast path. */
struct aging_cycle_profile {
    double dod;         /* 0.8 */
    double c_rate;      /* 0.5: charge and discharge at this rate */
    double temp_c;      /* cell temperature */
    double mean_soc;    /* middle of the cycled window, 0..1 */
    double rest_s;      /* rest per cycle */
};

/* A cell with this little capacity left has an internal short (copper
 * dendrites after over-discharge, a separator breach after over-charge):
 * docs/physics.md "Damage at the ends". */
#define AGING_DESTROYED_FRACTION 0.05

void aging_cell_init(struct aging_cell *a);

/* Applies one interval of stress (virtual-time continuation: exact for any
 * interval length when the stress is constant). */
void aging_apply(const struct cell_aging_params *p, struct cell_state *s, struct aging_cell *a,
                 const struct aging_stress *st);

/* The aging-only fast path: advances n_cycles of a repeated cycle analytically
 * (one aging_apply per cycle), without stepping the electrical model. */
void aging_fast_cycles(const struct cell_aging_params *p, struct cell_state *s,
                       struct aging_cell *a, const struct aging_cycle_profile *prof,
                       double n_cycles);

/* Remaining capacity as a fraction of the cell's fresh capacity (0..1; at
 * AGING_DESTROYED_FRACTION or less the cell is destroyed, see pack.c). */
double aging_capacity_fraction(const struct cell_state *s, const struct aging_cell *a);

/* Resistance multiplier from aging (1 when fresh). */
double aging_resistance_factor(const struct aging_cell *a);

/* The calendar rate is given at this SOC: the SOC stress factor is 1 there. */
#define AGING_REF_SOC 0.5

/* The calendar SOC stress factor (1 at AGING_REF_SOC and 25 °C), exposed for tests. */
double aging_soc_factor(double soc, double temp_c);

#endif
