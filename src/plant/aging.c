/* aging.c: cell aging after NREL BLAST-Lite's large-format LFP-Gr model
 * (calendar q = kcal·t^0.526, cycle q = kcyc·EFC^0.828) with Naumann-style
 * linear resistance growth. Each law is advanced by the virtual-time
 * continuation: the present loss is mapped back to the time (or EFC) that
 * would give it under the present stress, advanced, and mapped forward.
 */
#include "gtx/aging.h"

#include <math.h>

#define GAS_R 8.314462618
#define FARADAY 96485.33212
#define KELVIN 273.15

/* Fixed shape constants of the laws (the rates are in struct cell_aging_params). */
static const struct {
    double ref_c;              /* rates are given at this temperature */
    double anode_x0, anode_x100; /* graphite lithiation at 0 % and 100 % SOC (BLAST-Lite) */
    double anode_alpha;        /* transfer coefficient of the SOC (anode potential) law */
    double ref_dod;            /* the cycle rate is given at this DOD */
    double min_dod;            /* shallower cycles are treated as this deep */
    /* Over-charge: capacity fraction lost per capacity's worth of charge
     * through the side reaction past full (docs/physics.md "Damage at the
     * ends": ~2 % per overcharge to 120 % SOC, Ouyang et al. 2015). */
    double overcharge_loss_per_q;
} aging_k = {25.0, 8.5e-3, 0.78, 0.5, 0.8, 0.05, 0.1};

/* Cycle-fade temperature factor (°C → ×): cold cycling plates lithium, hot
 * cycling grows SEI. An estimate with BLAST-Lite's bathtub shape. */
static const struct {
    double temp_c;
    double factor;
} cyc_temp_table[] = {
    {-20.0, 6.0}, {-10.0, 3.0}, {0.0, 2.0}, {10.0, 1.3}, {25.0, 1.0},
    {35.0, 1.2}, {45.0, 1.6}, {55.0, 2.5}, {70.0, 4.0},
};

#define N_CYC_TEMP ((int)(sizeof cyc_temp_table / sizeof cyc_temp_table[0]))

static double cyc_temp_factor(double temp_c)
{
    if (temp_c <= cyc_temp_table[0].temp_c) {
        return cyc_temp_table[0].factor;
    }
    for (int i = 1; i < N_CYC_TEMP; i++) {
        if (temp_c <= cyc_temp_table[i].temp_c) {
            double x0 = cyc_temp_table[i - 1].temp_c;
            double y0 = cyc_temp_table[i - 1].factor;
            double f = (temp_c - x0) / (cyc_temp_table[i].temp_c - x0);
            return y0 + f * (cyc_temp_table[i].factor - y0);
        }
    }
    return cyc_temp_table[N_CYC_TEMP - 1].factor;
}

/* Graphite open-circuit potential (Safari & Delacourt 2011, as in BLAST-Lite). */
static double anode_potential_v(double soc)
{
    double x = aging_k.anode_x0 + soc * (aging_k.anode_x100 - aging_k.anode_x0);
    return 0.6379 + 0.5416 * exp(-305.5309 * x) + 0.044 * tanh(-(x - 0.1958) / 0.1088)
           - 0.1978 * tanh((x - 1.0571) / 0.0854) - 0.6875 * tanh((x + 0.0117) / 0.0529)
           - 0.0175 * tanh((x - 0.5692) / 0.0875);
}

/* anode_potential_v(AGING_REF_SOC), written out: it is a constant of every cell's
 * calendar step, and its exp and five tanh were a fifth of a storage step. The pack
 * test checks that aging_soc_factor(AGING_REF_SOC, 25 °C) is exactly 1, which holds
 * only while this is that potential to the last bit (one bit off gives 1 + 2.2e-16
 * or 1 - 3.3e-16). */
static const double ua_ref_v = 0x1.f90d46b1636bp-4;

double aging_soc_factor(double soc, double temp_c)
{
    if (soc < 0.0) {
        soc = 0.0;
    } else if (soc > 1.0) {
        soc = 1.0;
    }
    double t_k = temp_c + KELVIN;
    double t_ref = aging_k.ref_c + KELVIN;
    /* A lower anode potential (high SOC) speeds up SEI growth. */
    return exp(aging_k.anode_alpha * FARADAY / GAS_R
               * (ua_ref_v / t_ref - anode_potential_v(soc) / t_k));
}

static double arrhenius(double ea_j_per_mol, double temp_c)
{
    return exp(-ea_j_per_mol / GAS_R * (1.0 / (temp_c + KELVIN) - 1.0 / (aging_k.ref_c + KELVIN)));
}

void aging_cell_init(struct aging_cell *a)
{
    a->q_loss_od = 0.0;
    a->q_loss_oc = 0.0;
    a->r_growth_cal = 0.0;
    a->r_growth_cyc = 0.0;
}

/* q = k·x^n: advance x by dx from the x that gives the present q under k. */
static double continue_power_law(double q, double k, double n, double dx)
{
    if (k <= 0.0 || dx <= 0.0) {
        return q;
    }
    double x_virtual = q > 0.0 ? pow(q / k, 1.0 / n) : 0.0;
    return k * pow(x_virtual + dx, n);
}

void aging_apply(const struct cell_aging_params *p, struct cell_state *s, struct aging_cell *a,
                 const struct aging_stress *st)
{
    double rate = s->aging_rate_factor;
    double temp_c = st->temp_c;

    /* Calendar: Arrhenius times the anode-potential SOC factor. */
    double cal_stress = arrhenius(p->cal_ea_j_per_mol, temp_c) * aging_soc_factor(st->soc, temp_c);
    double k_cal = rate * p->cal_k_per_s_pow * cal_stress;
    s->q_loss_cal = continue_power_law(s->q_loss_cal, k_cal, p->cal_exponent, st->dt_s);
    a->r_growth_cal += rate * p->res_cal_k * cal_stress * st->dt_s;

    /* Cycle: per equivalent full cycle, scaled by DOD and temperature. */
    if (st->d_efc > 0.0) {
        double dod = st->dod > aging_k.min_dod ? st->dod : aging_k.min_dod;
        double dod_factor = pow(dod / aging_k.ref_dod, p->cyc_dod_exponent);
        double cyc_stress = dod_factor * cyc_temp_factor(temp_c);
        double k_cyc = rate * p->cyc_k_per_efc_pow * cyc_stress;
        s->q_loss_cyc = continue_power_law(s->q_loss_cyc, k_cyc, p->cyc_exponent, st->d_efc);
        a->r_growth_cyc += rate * p->res_cyc_k * cyc_stress * st->d_efc;
        s->efc += st->d_efc;
    }

    /* Over-discharge: copper dissolution and cathode damage, linear in the
     * time below overdischarge_v weighted by the depth (pack.c). */
    if (st->below_od_s > 0.0) {
        a->q_loss_od += p->overdischarge_loss_per_s * st->below_od_s;
    }
    /* Over-charge: electrolyte oxidation and lithium plating, linear in the
     * charge the side reaction took. */
    if (st->side_q > 0.0) {
        a->q_loss_oc += aging_k.overcharge_loss_per_q * st->side_q;
    }
}

void aging_fast_cycles(const struct cell_aging_params *p, struct cell_state *s,
                       struct aging_cell *a, const struct aging_cycle_profile *prof,
                       double n_cycles)
{
    /* One cycle: charge and discharge through dod at c_rate, then rest. The
     * mean SOC and temperature of a cycle stand for the whole cycle. */
    double cycle_s = 2.0 * prof->dod / prof->c_rate * 3600.0 + prof->rest_s;
    struct aging_stress st = {
        .dt_s = cycle_s,
        .temp_c = prof->temp_c,
        .soc = prof->mean_soc,
        .d_efc = prof->dod,
        .dod = prof->dod,
        .below_od_s = 0.0,
        .side_q = 0.0,
    };
    double done = 0.0;
    while (done + 1.0 <= n_cycles) {
        aging_apply(p, s, a, &st);
        done += 1.0;
    }
    double rest = n_cycles - done;
    if (rest > 0.0) {
        st.dt_s *= rest;
        st.d_efc *= rest;
        aging_apply(p, s, a, &st);
    }
}

double aging_capacity_fraction(const struct cell_state *s, const struct aging_cell *a)
{
    double f = 1.0 - s->q_loss_cal - s->q_loss_cyc - a->q_loss_od - a->q_loss_oc;
    return f > 0.0 ? f : 0.0;
}

double aging_resistance_factor(const struct aging_cell *a)
{
    return 1.0 + a->r_growth_cal + a->r_growth_cyc;
}
