/* thermal.c: the cell/case/ambient heat network, integrated with backward
 * Euler. The matrix is a tridiagonal block (the row of cells) bordered by one
 * case row, so each step is a Thomas sweep plus one scalar equation; the
 * factorisation depends only on dt and is cached. Backward Euler is stable
 * for any dt; its error is small because the fastest time constant (cell to
 * neighbour, C/(2·G_cc) ≈ 175 s) is far above the 0.01-1 s steps used.
 */
#include "gtx/thermal.h"

#include <math.h>

const struct thermal_params thermal_params_default = {
    .cell_c_j_per_k = 1050.0,
    .g_cc_w_per_k = 3.0,
    .g_case_w_per_k = 0.2,
    .case_c_j_per_k = 7.0 * 500.0,
    .ua_w_per_k = 4.0,
    .fet_rth_k_per_w = 1.5,
    .fet_tau_s = 60.0,
};

void thermal_init(struct thermal *th, const struct thermal_params *p, double temp_c)
{
    th->p = *p;
    for (int i = 0; i < THERMAL_CELLS; i++) {
        th->cell_c[i] = temp_c;
    }
    th->case_c = temp_c;
    th->fet_c = temp_c;
    th->cached_dt_s = -1.0;
}

static void factorise(struct thermal *th, double dt_s)
{
    const struct thermal_params *p = &th->p;
    double cdt = p->cell_c_j_per_k / dt_s;
    double g = p->g_cc_w_per_k;
    double cprev = 0.0;
    /* Forward sweep of the tridiagonal (-g, diag, -g) and, in the same pass,
     * the response of the cells to the case temperature (right side g_case). */
    double dprev = 0.0;
    double resp_d[THERMAL_CELLS];
    for (int i = 0; i < THERMAL_CELLS; i++) {
        int neighbours = (i > 0) + (i < THERMAL_CELLS - 1);
        double diag = cdt + p->g_case_w_per_k + g * neighbours;
        double piv = diag - (i > 0 ? -g * cprev : 0.0);
        th->inv_piv[i] = 1.0 / piv;
        cprev = (i < THERMAL_CELLS - 1) ? -g / piv : 0.0;
        th->cprime[i] = cprev;
        dprev = (p->g_case_w_per_k + g * dprev) / piv;
        resp_d[i] = dprev;
    }
    double sum = 0.0;
    double next = 0.0;
    for (int i = THERMAL_CELLS - 1; i >= 0; i--) {
        next = resp_d[i] - th->cprime[i] * next;
        th->case_resp[i] = next;
        sum += next;
    }
    th->case_den = p->case_c_j_per_k / dt_s + p->ua_w_per_k
                   + p->g_case_w_per_k * (THERMAL_CELLS - sum);
    th->fet_decay = exp(-dt_s / p->fet_tau_s);
    th->cached_dt_s = dt_s;
}

void thermal_step(struct thermal *th, const double cell_heat_w[THERMAL_CELLS],
                  double case_heat_w, double fet_heat_w, double ambient_c, double dt_s)
{
    if (dt_s <= 0.0) {
        return;
    }
    if (dt_s != th->cached_dt_s) {
        factorise(th, dt_s);
    }
    const struct thermal_params *p = &th->p;
    double cdt = p->cell_c_j_per_k / dt_s;
    double g = p->g_cc_w_per_k;
    /* Cells with the case held at 0 °C: x; the full solution is x + resp·T_case. */
    double d[THERMAL_CELLS];
    double dprev = 0.0;
    for (int i = 0; i < THERMAL_CELLS; i++) {
        dprev = (cdt * th->cell_c[i] + cell_heat_w[i] + g * dprev) * th->inv_piv[i];
        d[i] = dprev;
    }
    double next = 0.0;
    double sum_x = 0.0;
    for (int i = THERMAL_CELLS - 1; i >= 0; i--) {
        next = d[i] - th->cprime[i] * next;
        d[i] = next;
        sum_x += next;
    }
    double rhs = p->case_c_j_per_k / dt_s * th->case_c + case_heat_w + fet_heat_w
                 + p->ua_w_per_k * ambient_c + p->g_case_w_per_k * sum_x;
    double t_case = rhs / th->case_den;
    for (int i = 0; i < THERMAL_CELLS; i++) {
        th->cell_c[i] = d[i] + th->case_resp[i] * t_case;
    }
    th->case_c = t_case;
    /* The MOSFETs follow the case plus their own rise, with a first-order lag
     * integrated exactly. */
    double target = t_case + p->fet_rth_k_per_w * fet_heat_w;
    th->fet_c = target + (th->fet_c - target) * th->fet_decay;
}

double thermal_stored_j(const struct thermal *th, double ref_c)
{
    double e = th->p.case_c_j_per_k * (th->case_c - ref_c);
    for (int i = 0; i < THERMAL_CELLS; i++) {
        e += th->p.cell_c_j_per_k * (th->cell_c[i] - ref_c);
    }
    return e;
}
