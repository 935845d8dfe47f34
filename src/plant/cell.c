/* cell.c: one LFP cell as a 2RC equivalent circuit (docs/spec/PHYSICS.md "Cell"):
 * OCV(z, T) with the entropic term, taken at the particle surface (solid
 * diffusion), one-state hysteresis, R(z, T), self-discharge and soft-short
 * leakage across the OCV, bounded ends (a side reaction past full, a voltage
 * falling to 0 V past empty; docs/physics.md "The ends"), energy bookkeeping.
 */
#include "gtx/cell.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "cell_diffusion_law.h" /* diffusion_law: the surface gap's constants */

#define CELL_T25_K (25.0 + CELL_KELVIN_OFFSET)
#define CELL_S_PER_MONTH (365.25 / 12.0 * 86400.0)

/* The ends of the SOC range (docs/physics.md "The ends"). Past the table's
 * full end the OCV rises towards ceiling_v over a few % of SOC (the cathode is
 * empty of lithium), and an electrolyte-oxidation side reaction takes the
 * charge: i_side = 1 C · exp((OCV - side_ref_v)/side_b_v), which holds a
 * cell forced on at 0.5 C near 4.55 V and turns the energy into heat. Past the
 * table's empty end the OCV falls exponentially towards 0 V, continuous with
 * the table's end slope (but no slower than low_width_max_soc); every drain
 * (a forced current too) draws from the lithium inventory only in proportion
 * to OCV/OCV(empty), the rest comes from the reversal reaction. */
static const struct {
    double ceiling_v;        /* the OCV past full approaches this, never reaches it */
    double high_width_soc;   /* ... over this much SOC (e-folding) */
    double side_ref_v;       /* the side reaction carries 1 C at this OCV */
    double side_b_v;         /* e-folding voltage of the side reaction (Tafel) */
    double low_width_max_soc; /* past empty: e-folding SOC of the OCV, at most */
    double sd_ref_soc;       /* the self-discharge rate is given at this SOC */
} edge_law = {5.0, 0.02, 4.4, 0.12, 0.035, 0.5};

/* f(z) of docs/spec/PHYSICS.md: resistance rises towards both ends of the SOC range. */
static const struct {
    double low_soc, low_gain;   /* below low_soc: up to +low_gain at z = 0 */
    double high_soc, high_gain; /* above high_soc: up to +high_gain at z = 1 */
} soc_law = {0.15, 0.5, 0.9, 0.2};

/* Index of the segment [x[i], x[i+1]] that holds x (0..n-2; the end segments
 * also hold everything beyond the ends). The first guess assumes a uniform
 * grid, which is exact for the tables we ship; others walk from it. */
static int table_segment(const struct cell_table *t, double x)
{
    int last = t->n - 2;
    double span = t->x[last + 1] - t->x[0];
    double g = (x - t->x[0]) * (double)(last + 1) / span;
    int i = g <= 0.0 ? 0 : g >= (double)last ? last : (int)g;
    while (i > 0 && x < t->x[i])
        i--;
    while (i < last && x >= t->x[i + 1])
        i++;
    return i;
}

double cell_table_lookup(const struct cell_table *t, double x)
{
    if (t->n <= 0)
        return 0.0;
    if (t->n == 1 || x <= t->x[0])
        return t->y[0];
    if (x >= t->x[t->n - 1])
        return t->y[t->n - 1];
    int i = table_segment(t, x);
    double u = (x - t->x[i]) / (t->x[i + 1] - t->x[i]);
    return t->y[i] + u * (t->y[i + 1] - t->y[i]);
}

/* e-folding SOC of the OCV past empty: the table's end slope continued. */
static double low_width_soc(const struct cell_table *t)
{
    double slope = (t->y[1] - t->y[0]) / (t->x[1] - t->x[0]);
    double w = slope > 0.0 && t->y[0] > 0.0 ? t->y[0] / slope : edge_law.low_width_max_soc;
    return w < edge_law.low_width_max_soc ? w : edge_law.low_width_max_soc;
}

/* OCV at 25 °C, extended beyond the table: past full a bounded rise towards
 * the ceiling, past empty an exponential fall towards 0 V. */
static double ocv25_v(const struct cell_params *p, double z)
{
    const struct cell_table *t = &p->ocv25_v;
    if (t->n < 2)
        return t->n == 1 ? t->y[0] : 0.0;
    double x_end = t->x[t->n - 1], y_end = t->y[t->n - 1];
    if (z > x_end) {
        double room = edge_law.ceiling_v - y_end;
        return room > 0.0 ? y_end + room * -expm1(-(z - x_end) / edge_law.high_width_soc)
                          : y_end;
    }
    if (z < t->x[0])
        return fmax(t->y[0], 0.0) * exp((z - t->x[0]) / low_width_soc(t));
    int i = table_segment(t, z);
    double dx = t->x[i + 1] - t->x[i];
    return t->y[i] + (z - t->x[i]) * (t->y[i + 1] - t->y[i]) / dx;
}

/* Past empty the OCV's other terms (entropy, hysteresis) and every drain
 * shrink with the OCV: OCV(z)/OCV(empty) there, 1 elsewhere. */
static double below_empty_factor(const struct cell_params *p, double z)
{
    const struct cell_table *t = &p->ocv25_v;
    if (t->n < 2 || z >= t->x[0])
        return 1.0;
    return exp((z - t->x[0]) / low_width_soc(t));
}

/* The over-charge side reaction's current at mean SOC z (A, > 0 consumes
 * charge), and its derivative by z. Zero up to the table's full end. */
static double side_a(const struct cell_params *p, double z, double cap_ah, double *d_dz)
{
    const struct cell_table *t = &p->ocv25_v;
    double x_end = t->x[t->n - 1];
    *d_dz = 0.0;
    if (t->n < 2 || z <= x_end)
        return 0.0;
    double room = edge_law.ceiling_v - t->y[t->n - 1];
    double e = exp(-(z - x_end) / edge_law.high_width_soc);
    double i = cap_ah * exp((ocv25_v(p, z) - edge_law.side_ref_v) / edge_law.side_b_v);
    *d_dz = i / edge_law.side_b_v * room * e / edge_law.high_width_soc;
    return i;
}

/* Backward Euler for the SOC past full: z1 = z_pred - dt·i_side(z1)/Q, with
 * z_pred the SOC without the side reaction. Stable for any step: the side
 * reaction's time constant is seconds at 0.5 C. Safeguarded Newton. */
static double solve_over_full(const struct cell_params *p, double z_pred, double cap_ah,
                              double dt_s)
{
    const struct cell_table *t = &p->ocv25_v;
    double lo = t->x[t->n - 1], hi = z_pred;
    double k = dt_s / (3600.0 * cap_ah);
    double z = hi;
    for (int it = 0; it < 100 && hi - lo > 1e-13; it++) {
        double d;
        double g = z - z_pred + k * side_a(p, z, cap_ah, &d);
        if (fabs(g) < 1e-15)
            break;
        if (g > 0.0)
            hi = z;
        else
            lo = z;
        double zn = z - g / (1.0 + k * d);
        z = zn > lo && zn < hi ? zn : 0.5 * (lo + hi);
    }
    return z;
}

/* Segment i of t, remembered for the next lookup. */
static void seg_fill(struct cell_seg *sc, const struct cell_table *t, int i)
{
    sc->x0 = t->x[i];
    sc->x1 = t->x[i + 1];
    sc->y0 = t->y[i];
    sc->slope = (t->y[i + 1] - t->y[i]) / (t->x[i + 1] - t->x[i]);
}

/* A lookup through a remembered segment: successive steps nearly always fall in
 * the segment of the last lookup, which saves the search and the divisions.
 * False outside the table, where the caller's own lookup answers. */
static bool seg_lookup(const struct cell_table *t, double x, struct cell_seg *sc, double *y)
{
    if (!(sc->x0 <= x && x < sc->x1)) {
        if (t->n < 2 || x <= t->x[0] || x >= t->x[t->n - 1])
            return false;
        seg_fill(sc, t, table_segment(t, x));
    }
    *y = sc->y0 + (x - sc->x0) * sc->slope;
    return true;
}

/* cell_table_lookup that way (outside the table: clamped). */
static double lookup_near(const struct cell_table *t, double x, struct cell_seg *sc)
{
    double y;
    return seg_lookup(t, x, sc, &y) ? y : cell_table_lookup(t, x);
}

/* ocv25_v the same way (beyond the table: ocv25_v's bounded ends). */
static double ocv25_near(const struct cell_params *p, double z, struct cell_seg *sc)
{
    double y;
    return seg_lookup(&p->ocv25_v, z, sc, &y) ? y : ocv25_v(p, z);
}

double cell_soc_factor(double z)
{
    double f = 1.0;
    if (z < soc_law.low_soc)
        f += soc_law.low_gain * (soc_law.low_soc - z) / soc_law.low_soc;
    if (z > soc_law.high_soc)
        f += soc_law.high_gain * (z - soc_law.high_soc) / (1.0 - soc_law.high_soc);
    return f;
}

double cell_hyst_m_v(const struct cell_params *p, double z)
{
    return cell_table_lookup(&p->hyst_v, z) * below_empty_factor(p, z);
}

double cell_docv_dt_v_per_k(const struct cell_params *p, double z)
{
    return cell_table_lookup(&p->docv_dt_v_per_k, z) * below_empty_factor(p, z);
}

double cell_side_reaction_a(const struct cell_params *p, double soc, double capacity_ah)
{
    double d;
    return side_a(p, soc, capacity_ah, &d);
}

/* A temperature factor table: ln k interpolated linearly in 1/T (piecewise
 * Arrhenius), and extrapolated with the end segments' activation energies. */
static double temp_table_factor(const struct cell_table *t, double temp_c)
{
    if (t->n <= 0)
        return 1.0;
    if (t->n == 1)
        return t->y[0];
    double inv_t = 1.0 / (temp_c + CELL_KELVIN_OFFSET);
    int i = table_segment(t, temp_c);
    double a0 = 1.0 / (t->x[i] + CELL_KELVIN_OFFSET);
    double a1 = 1.0 / (t->x[i + 1] + CELL_KELVIN_OFFSET);
    double l0 = log(t->y[i]), l1 = log(t->y[i + 1]);
    return exp(l0 + (inv_t - a0) * (l1 - l0) / (a1 - a0));
}

double cell_r0_temp_factor(const struct cell_params *p, double temp_c)
{
    return temp_table_factor(&p->r0_temp_factor, temp_c);
}

/* k(T) of the RC branches: the table when the file gives one, else Arrhenius. */
double cell_rc_temp_factor(const struct cell_params *p, double temp_c)
{
    if (p->rc_temp_factor.n > 0)
        return temp_table_factor(&p->rc_temp_factor, temp_c);
    double inv_t = 1.0 / (temp_c + CELL_KELVIN_OFFSET);
    return exp(p->rc_ea_j_per_mol / CELL_GAS_CONSTANT_J_PER_MOL_K * (inv_t - 1.0 / CELL_T25_K));
}

/* kq(T), the share of the capacity the cell delivers at T (linear in T,
 * held at the table's ends); 1 without a table. */
double cell_capacity_temp_factor(const struct cell_params *p, double temp_c)
{
    return p->capacity_temp_factor.n > 0 ? cell_table_lookup(&p->capacity_temp_factor, temp_c)
                                         : 1.0;
}

static double arrhenius(double ea_j_per_mol, double temp_c)
{
    double inv_t = 1.0 / (temp_c + CELL_KELVIN_OFFSET);
    return exp(ea_j_per_mol / CELL_GAS_CONSTANT_J_PER_MOL_K * (1.0 / CELL_T25_K - inv_t));
}

/* exp(-dt/tau) with the branch's time constant at temperature; tau scales
 * with R (C does not depend on T), tau <= 0 means an instant branch. */
static double rc_decay(double tau25_s, double k_rc, double dt_s)
{
    double tau = tau25_s * k_rc;
    return tau > 0.0 ? exp(-dt_s / tau) : 0.0;
}

/* tau_d at temperature: D falls with its own activation energy in the cold. */
static double diffusion_tau_s(const struct cell_params *p, double temp_c)
{
    return p->diff_tau_s / arrhenius(p->diff_ea_j_per_mol, temp_c);
}

/* The steady surface gap for the unbounded one x = tau_d/15·dz/dt: bounded by
 * g_max, which adds the stranded share of the capacity to gap_max_soc. */
static double steady_gap(double x)
{
    double ax = fabs(x);
    double g_max = diffusion_law.gap_max_soc;
    if (ax > diffusion_law.strand_min_x) {
        double u = log(ax / diffusion_law.strand_x) / diffusion_law.strand_width;
        g_max += (1.0 - g_max) * 0.5 * erfc(-u / sqrt(2.0));
    }
    return x / sqrt(1.0 + (x / g_max) * (x / g_max));
}

static void cache_fill(struct cell_cache *c, const struct cell_params *p, double temp_c,
                       double dt_s)
{
    bool refresh = !c->valid || c->p != p || !cell_cache_temp_close(c, temp_c);
    if (refresh) {
        c->k0 = cell_r0_temp_factor(p, temp_c);
        c->k_rc = cell_rc_temp_factor(p, temp_c);
        c->sd_per_s = p->self_discharge_per_month / CELL_S_PER_MONTH
                      * arrhenius(p->self_discharge_ea_j_per_mol, temp_c);
        c->tau_d_s = diffusion_tau_s(p, temp_c);
        c->gap_gain_s = c->tau_d_s / diffusion_law.steady_div;
        c->inv_kq = 1.0 / cell_capacity_temp_factor(p, temp_c);
        c->vt2_v = 2.0 * CELL_GAS_CONSTANT_J_PER_MOL_K * (temp_c + CELL_KELVIN_OFFSET)
                   / CELL_FARADAY_C_PER_MOL;
        c->bv_i = 0.0;
        c->bv_ss = 0.0;
        if (c->p != p) {
            double v_ref = ocv25_v(p, edge_law.sd_ref_soc);
            c->sd_inv_ref_v = v_ref > 0.0 ? 1.0 / v_ref : 0.0;
            struct cell_seg none = {0.0, 0.0, 0.0, 0.0};
            c->seg_ocv = c->seg_ocv_surf = c->seg_dudt = c->seg_dudt_surf = c->seg_m = none;
        }
        c->dt_s = -1.0; /* forces the decays below */
        c->z_valid = 0;
        c->hyst_x = 0.0;
        c->hyst_e = 1.0;
    }
    if (refresh)
        c->temp_c = temp_c;
    if (c->dt_s != dt_s || refresh) {
        c->e1 = rc_decay(p->tau1_s, c->k_rc, dt_s);
        c->e2 = rc_decay(p->tau2_s, c->k_rc, dt_s);
        c->e3 = p->r3_ohm > 0.0 ? rc_decay(p->tau3_s, c->k_rc, dt_s) : 0.0;
        c->e_d = rc_decay(c->tau_d_s / diffusion_law.lag_div, 1.0, dt_s);
        c->e_close = -1.0; /* close_decay computes it if a wide gap closes */
    }
    c->valid = 1;
    c->p = p;
    c->dt_s = dt_s;
}

/* The decay of a closing gap wider than gap_max_soc over the step (cache_fill's dt and
 * T): only cells whose lithium was stranded (cold, at a high rate) ever need it. */
static double close_decay(struct cell_cache *c)
{
    if (c->e_close < 0.0)
        c->e_close = rc_decay(c->tau_d_s / diffusion_law.relax_div, 1.0, c->dt_s);
    return c->e_close;
}

void cell_init(struct cell_state *s, const struct cell_params *p, double soc, double temp_c)
{
    memset(s, 0, sizeof *s);
    s->soc = soc;
    s->temp_c = temp_c;
    s->capacity_ah = p->capacity_ah;
    s->r_factor = 1.0;
    s->self_discharge_factor = 1.0;
    s->aging_rate_factor = 1.0;
}

double cell_ocv_v(const struct cell_params *p, double soc, double temp_c)
{
    return ocv25_v(p, soc) + (temp_c - 25.0) * cell_docv_dt_v_per_k(p, soc);
}

/* What depends on z and the surface gap (plus T for the OCV), evaluated once
 * per point: ocv_v is the OCV at the surface SOC, which the terminal shows;
 * ocv_mean_v and dU/dT are at the mean SOC, for the energy books. */
struct soc_terms {
    double ocv_v, dudt_v_per_k, m_v, f, ocv_mean_v;
};

/* The SOC the terminal's OCV is taken at: the particles' surface z + gap, and
 * of the capacity only the share kq(T) counted from full (inv_kq = 1/kq). */
static double surface_soc(double z, double gap, double inv_kq)
{
    double zs = z + gap;
    return inv_kq == 1.0 ? zs : 1.0 - (1.0 - zs) * inv_kq;
}

static void soc_terms(const struct cell_params *p, double z, double gap, double inv_kq,
                      double temp_c, struct soc_terms *o)
{
    o->dudt_v_per_k = cell_docv_dt_v_per_k(p, z);
    o->ocv_mean_v = ocv25_v(p, z) + (temp_c - 25.0) * o->dudt_v_per_k;
    /* gap is 0 exactly when the cell has no diffusion term (tau_d = 0). */
    o->ocv_v = gap == 0.0 && inv_kq == 1.0 ? o->ocv_mean_v
                                           : cell_ocv_v(p, surface_soc(z, gap, inv_kq), temp_c);
    o->m_v = cell_hyst_m_v(p, z);
    o->f = cell_soc_factor(z);
}

/* soc_terms through the cell's remembered segments (the stepping path); gap 0
 * with inv_kq 1 skips the surface OCV. */
static void soc_terms_near(const struct cell_params *p, double z, double gap, double inv_kq,
                           double temp_c, struct cell_cache *c, struct soc_terms *o)
{
    double dt_k = temp_c - 25.0;
    bool surface = gap != 0.0 || inv_kq != 1.0;
    double zs = surface ? surface_soc(z, gap, inv_kq) : z;
    o->dudt_v_per_k = lookup_near(&p->docv_dt_v_per_k, z, &c->seg_dudt);
    o->ocv_mean_v = ocv25_near(p, z, &c->seg_ocv) + dt_k * o->dudt_v_per_k;
    if (!surface) {
        o->ocv_v = o->ocv_mean_v;
    } else {
        o->ocv_v = ocv25_near(p, zs, &c->seg_ocv_surf)
                   + dt_k * lookup_near(&p->docv_dt_v_per_k, zs, &c->seg_dudt_surf);
    }
    o->m_v = lookup_near(&p->hyst_v, z, &c->seg_m);
    o->f = cell_soc_factor(z);
    if (z < p->ocv25_v.x[0]) { /* past empty: entropy and hysteresis fade with the OCV */
        double k = below_empty_factor(p, z);
        o->m_v *= k;
        o->ocv_mean_v += dt_k * o->dudt_v_per_k * (k - 1.0);
        o->dudt_v_per_k *= k;
    }
    if (surface && zs < p->ocv25_v.x[0])
        o->ocv_v = cell_ocv_v(p, zs, temp_c);
}

static double terminal_v(const struct cell_params *p, const struct cell_state *s,
                         const struct soc_terms *a, double k0, double current_a)
{
    double r0 = p->r0_ohm * a->f * k0 * s->r_factor;
    return a->ocv_v + a->m_v * s->h + r0 * current_a + s->v1_v + s->v2_v + s->v3_v;
}

/* A destroyed cell (an internal short) is a resistor: R0 at its last state. */
static double destroyed_r_ohm(const struct cell_params *p, const struct cell_state *s, double k0)
{
    return p->r0_ohm * cell_soc_factor(s->soc) * k0 * s->r_factor;
}

double cell_voltage_v(const struct cell_params *p, const struct cell_state *s, double current_a)
{
    struct soc_terms a;
    if (s->destroyed)
        return destroyed_r_ohm(p, s, cell_r0_temp_factor(p, s->temp_c)) * current_a;
    soc_terms(p, s->soc, s->soc_surf_gap, 1.0 / cell_capacity_temp_factor(p, s->temp_c),
              s->temp_c, &a);
    const struct cell_cache *c = &s->cache;
    double k0 = c->valid && c->p == p && cell_cache_temp_close(c, s->temp_c)
                    ? c->k0 : cell_r0_temp_factor(p, s->temp_c);
    return terminal_v(p, s, &a, k0, current_a);
}

void cell_step(const struct cell_params *p, struct cell_state *s, double current_a, double dt_s,
               struct cell_step_out *out)
{
    struct cell_cache *c = &s->cache;
    cache_fill(c, p, s->temp_c, dt_s);
    if (s->destroyed) { /* the charge flows through the short: all of it is heat */
        s->v1_v = s->v2_v = s->v3_v = s->h = s->soc_surf_gap = 0.0;
        c->z_valid = 0;
        if (out) {
            double v = destroyed_r_ohm(p, s, c->k0) * current_a;
            memset(out, 0, sizeof *out);
            out->v_avg_v = v;
            out->joule_w = current_a * v;
            out->elec_energy_j = out->joule_w * dt_s;
        }
        return;
    }
    double q_as = 3600.0 * s->capacity_ah;
    double z0 = s->soc;
    struct soc_terms a0, a1;
    if (c->z_valid && c->z == z0 && c->gap == s->soc_surf_gap) {
        a0 = (struct soc_terms){c->ocv_v, c->dudt_v_per_k, c->m_v, c->f, c->ocv_mean_v};
    } else {
        /* Without the books the surface OCV is not needed (a gap of 0 skips it). */
        soc_terms_near(p, z0, out ? s->soc_surf_gap : 0.0, out ? c->inv_kq : 1.0, s->temp_c,
                       c, &a0);
    }
    double v_start = out ? terminal_v(p, s, &a0, c->k0, current_a) : 0.0;

    /* RC branches, exact for constant current over dt (resistances at the
     * step's starting SOC). */
    double rr = a0.f * c->k_rc * s->r_factor * current_a;
    double v1_ss = p->r1_ohm * rr;
    if (p->r1_butler_volmer && v1_ss != 0.0) {
        /* Charge transfer: (2RT/F)·asinh(R1·I/(2RT/F)), R1 the small-signal
         * resistance; the same current again reuses the last value. */
        if (v1_ss != c->bv_i) {
            c->bv_i = v1_ss;
            c->bv_ss = c->vt2_v * asinh(v1_ss / c->vt2_v);
        }
        v1_ss = c->bv_ss;
    }
    s->v1_v = s->v1_v * c->e1 + v1_ss * (1.0 - c->e1);
    s->v2_v = s->v2_v * c->e2 + p->r2_ohm * rr * (1.0 - c->e2);
    if (p->r3_ohm > 0.0)
        s->v3_v = s->v3_v * c->e3 + p->r3_ohm * rr * (1.0 - c->e3);

    /* Hysteresis moves towards sign(I) with the charge passed; at rest it stays. */
    if (current_a != 0.0) {
        double x = fabs(p->hyst_gamma * current_a * dt_s / q_as);
        if (x != c->hyst_x) { /* constant current: the same factor again */
            c->hyst_x = x;
            c->hyst_e = exp(-x);
        }
        double eh = c->hyst_e;
        s->h = eh * s->h + (1.0 - eh) * (current_a > 0.0 ? 1.0 : -1.0);
    }

    /* SOC: coulombic efficiency on charge; self-discharge and a soft short are
     * leaks across the OCV (they stop as it falls to 0 V). */
    double eta = current_a > 0.0 ? p->eta_charge : 1.0;
    double i_in_a = eta * current_a;
    double i_sd_a = c->sd_per_s * s->self_discharge_factor * q_as
                    * fmax(a0.ocv_mean_v, 0.0) * c->sd_inv_ref_v;
    double i_short_a = s->soft_short_ohm > 0.0
                           ? fmax(a0.ocv_mean_v, 0.0) / s->soft_short_ohm : 0.0;
    double z_pred = z0 + (i_in_a - i_sd_a - i_short_a) / q_as * dt_s;
    double z1 = z_pred;
    const struct cell_table *ot = &p->ocv25_v;
    bool edge = true;
    if (ot->n >= 2 && (z_pred > ot->x[ot->n - 1])) {
        z1 = solve_over_full(p, z_pred, s->capacity_ah, dt_s);
    } else if (ot->n >= 2 && z_pred < ot->x[0] && z_pred < z0) {
        /* Past empty every drain is proportional to OCV ∝ exp(z/w): exact
         * for a constant drain rate (the one at the empty end, rate0). */
        double w = low_width_soc(ot);
        double k0 = below_empty_factor(p, z0);
        /* The leaks are already proportional to OCV(z0); a forced current is not. */
        double forced_a = i_in_a < 0.0 ? -i_in_a : 0.0;
        double rate0 = ((z0 - z_pred) * q_as / dt_s - forced_a) / k0 / q_as + forced_a / q_as;
        double t_above = z0 > ot->x[0] ? (z0 - ot->x[0]) / (rate0 * k0) : 0.0;
        double z_start = z0 > ot->x[0] ? ot->x[0] : z0;
        double u = exp(-(z_start - ot->x[0]) / w) + rate0 * (dt_s - t_above) / w;
        z1 = ot->x[0] - w * log(u);
    } else {
        edge = false;
    }
    s->soc = z1;
    /* What the drains actually took (scaled alike past empty), and the charge
     * that passed but did not change the inventory: the side reaction past full
     * (> 0) or the reversal reaction past empty (< 0). */
    double drawn = z_pred < z0 && z1 > z_pred ? (z1 - z0) / (z_pred - z0) : 1.0;
    i_sd_a *= drawn;
    i_short_a *= drawn;
    double i_side_a = edge ? i_in_a - i_sd_a - i_short_a - (z1 - z0) * q_as / dt_s : 0.0;
    double dz_per_s = (z1 - z0) / dt_s;

    /* The surface SOC runs ahead of the mean (behind it on discharge). The gap
     * opens towards the unbounded tau_d/15·dz/dt with the lag tau_d/30 until
     * it reaches the steady gap; it closes towards a smaller steady gap (0 at
     * rest) with the same lag, but with tau_d/10 while it is wider than
     * gap_max_soc. Exact for constant current within either regime. */
    double x = c->gap_gain_s * dz_per_s;
    double b = steady_gap(x);
    double g = s->soc_surf_gap;
    bool opening = b > 0.0 ? g < b : b < 0.0 ? g > b : false;
    if (opening) {
        double g_open = g * c->e_d + x * (1.0 - c->e_d);
        s->soc_surf_gap = b > 0.0 ? fmin(g_open, b) : fmax(g_open, b);
    } else {
        /* Beyond gap_max_soc the gap is stranded lithium: it comes back slowly. */
        double e = fabs(g) > diffusion_law.gap_max_soc ? close_decay(c) : c->e_d;
        s->soc_surf_gap = g * e + b * (1.0 - e);
    }

    if (!out) {
        c->z_valid = 0;
        return;
    }
    soc_terms_near(p, s->soc, s->soc_surf_gap, c->inv_kq, s->temp_c, c, &a1);
    c->z_valid = 1;
    c->z = s->soc;
    c->gap = s->soc_surf_gap;
    c->ocv_v = a1.ocv_v;
    c->ocv_mean_v = a1.ocv_mean_v;
    c->dudt_v_per_k = a1.dudt_v_per_k;
    c->m_v = a1.m_v;
    c->f = a1.f;
    double v_end = terminal_v(p, s, &a1, c->k0, current_a);
    double temp_k = s->temp_c + CELL_KELVIN_OFFSET;
    double dudt = 0.5 * (a0.dudt_v_per_k + a1.dudt_v_per_k);
    /* The books use the mean SOC's OCV: what the surface gap costs is heat. */
    double ocv = 0.5 * (a0.ocv_mean_v + a1.ocv_mean_v);
    double uh = ocv - temp_k * dudt; /* enthalpy potential: what the charge stores */
    out->v_avg_v = 0.5 * (v_start + v_end);
    out->ocv_avg_v = ocv;
    out->elec_energy_j = current_a * out->v_avg_v * dt_s;
    out->joule_w = current_a * (out->v_avg_v - ocv);
    out->reversible_w = current_a * temp_k * dudt;
    out->chem_energy_j = q_as * (s->soc - z0) * uh;
    /* Charge that entered but is not stored (coulombic loss) and charge lost
     * internally (self-discharge, soft short) turn their enthalpy into heat. */
    out->self_discharge_w = uh * ((1.0 - eta) * current_a + i_sd_a + i_short_a);
    /* Charge taken by the side or reversal reaction: its enthalpy is heat. */
    out->side_a = i_side_a;
    out->side_reaction_w = uh * i_side_a;
}
