/* dcbus.c: the DC bus solve. Every element (pack, CC/CV source, load) draws a
 * current clamp(s * (V - v0), lo, hi) from the bus node; the sum is monotone
 * piecewise linear in V, so the bus voltage is found exactly between two of
 * its breakpoints. Fixed-size arrays, no allocation, deterministic.
 */
#include "gtx/dcbus.h"

#include <math.h>
#include <string.h>

#define MAX_ELEMS (DCBUS_MAX_PACKS + 2 * DCBUS_MAX_PORTS)
#define MAX_BREAKS (2 * MAX_ELEMS)
#define MIN_OHM 1e-6          /* guards a zero resistance */
#define POWER_MIN_V 1.0       /* a constant-power draw never divides by less */

/* One element's draw from the bus node (> 0 leaves the node). */
struct elem {
    double s;      /* slope, siemens, > 0 */
    double v0;     /* where the linear part crosses 0 */
    double lo, hi; /* clamps, -INFINITY / INFINITY when unbounded */
    double power_w; /* > 0: a constant-power draw, hi = power_w / V */
    int owner;     /* pack index, or DCBUS_MAX_PACKS + port index */
};

struct elems {
    int n;
    struct elem e[MAX_ELEMS];
};

static double elem_draw(const struct elem *e, double v)
{
    double i = e->s * (v - e->v0);
    if (i < e->lo)
        return e->lo;
    if (i > e->hi)
        return e->hi;
    return i;
}

static bool elem_linear_at(const struct elem *e, double v)
{
    double i = e->s * (v - e->v0);
    return i > e->lo && i < e->hi;
}

static void add_elem(struct elems *es, double s, double v0, double lo, double hi, int owner)
{
    if (es->n >= MAX_ELEMS || !(hi > lo))
        return;
    es->e[es->n++] = (struct elem){.s = s, .v0 = v0, .lo = lo, .hi = hi, .owner = owner};
}

/* Where v lies on an element's law: -1 at lo, 0 linear, 1 at hi. */
static int elem_side(const struct elem *e, double v)
{
    double i = e->s * (v - e->v0);
    return i <= e->lo ? -1 : i >= e->hi ? 1 : 0;
}

void dcbus_pack_default(struct dcbus_pack *p, double emf_v, double r_ohm)
{
    *p = (struct dcbus_pack){.connected = true, .charge_on = true, .discharge_on = true,
                             .emf_v = emf_v, .r_ohm = r_ohm, .cable_ohm = 0.0,
                             .diode_v = DCBUS_DIODE_V};
}

/* The pack's law as an element: both FETs closed it is a plain Thevenin
 * source; one FET open leaves the other direction through that FET's body
 * diode (shifted by the diode drop); both open, nothing. */
static bool pack_elem(const struct dcbus_pack *p, int owner, struct elem *out)
{
    if (!p->connected || (!p->charge_on && !p->discharge_on))
        return false;
    double r = p->r_ohm + p->cable_ohm;
    out->s = 1.0 / (r > MIN_OHM ? r : MIN_OHM);
    out->owner = owner;
    if (p->charge_on && p->discharge_on) {
        out->v0 = p->emf_v;
        out->lo = -INFINITY;
        out->hi = INFINITY;
    } else if (p->charge_on) { /* discharge FET open: charge through its diode only */
        out->v0 = p->emf_v + p->diode_v;
        out->lo = 0.0;
        out->hi = INFINITY;
    } else { /* charge FET open: discharge through its diode only */
        out->v0 = p->emf_v - p->diode_v;
        out->lo = -INFINITY;
        out->hi = 0.0;
    }
    return true;
}

double dcbus_pack_current(const struct dcbus_pack *p, double v)
{
    struct elem e;
    return pack_elem(p, 0, &e) ? elem_draw(&e, v) : 0.0;
}

static double total_draw(const struct elems *es, double v)
{
    double sum = 0.0;
    for (int k = 0; k < es->n; k++)
        sum += elem_draw(&es->e[k], v);
    return sum;
}

static void sort_doubles(double *x, int n)
{
    for (int i = 1; i < n; i++) {
        double key = x[i];
        int j = i - 1;
        while (j >= 0 && x[j] > key) {
            x[j + 1] = x[j];
            j--;
        }
        x[j + 1] = key;
    }
}

/* The V where the total draw is 0. When it is 0 on a whole interval the bus
 * floats: at 0 V if the interval holds 0 (nothing feeds the bus: a load or
 * leakage empties it), else at the bottom of one open above (a source with
 * no taker sits at its CV voltage), else at the middle of a closed one. */
static double find_root(const struct elems *es, bool *floating)
{
    double b[MAX_BREAKS] = {0}; /* zeroed only to quiet -Wmaybe-uninitialized */
    double d[MAX_BREAKS] = {0};
    int m = 0;
    double slope_left = 0.0, slope_right = 0.0;
    *floating = false;
    for (int k = 0; k < es->n; k++) {
        const struct elem *e = &es->e[k];
        if (isfinite(e->lo))
            b[m++] = e->v0 + e->lo / e->s;
        else
            slope_left += e->s;
        if (isfinite(e->hi))
            b[m++] = e->v0 + e->hi / e->s;
        else
            slope_right += e->s;
    }
    if (m == 0) {
        if (slope_left <= 0.0) {
            *floating = true;
            return 0.0;
        }
        /* Only unbounded lines: sum s_k (V - v0_k) = 0. */
        double num = 0.0;
        for (int k = 0; k < es->n; k++)
            num += es->e[k].s * es->e[k].v0;
        return num / slope_left;
    }
    sort_doubles(b, m);
    for (int i = 0; i < m; i++)
        d[i] = total_draw(es, b[i]);

    int i = 0;
    while (i < m && d[i] < 0.0)
        i++;
    if (i == m) /* still drawing less than fed at the top breakpoint */
        return slope_right > 0.0 ? b[m - 1] - d[m - 1] / slope_right : b[m - 1];
    if (d[i] > 0.0) {
        if (i == 0)
            return slope_left > 0.0 ? b[0] - d[0] / slope_left : b[0];
        /* Linear between b[i-1] and b[i]: interpolate exactly. */
        double v = b[i - 1] - d[i - 1] * (b[i] - b[i - 1]) / (d[i] - d[i - 1]);
        return v < b[i - 1] ? b[i - 1] : v > b[i] ? b[i] : v;
    }
    /* d[i] == 0: a zero point or the start of a zero interval. */
    int j = i;
    while (j + 1 < m && d[j + 1] == 0.0)
        j++;
    bool open_below = (i == 0 && slope_left == 0.0);
    bool open_above = (j == m - 1 && slope_right == 0.0);
    if (!open_below && !open_above && !(b[j] > b[i]))
        return b[i]; /* a single root */
    *floating = true;
    if ((open_below || b[i] <= 0.0) && (open_above || b[j] >= 0.0))
        return 0.0; /* nothing drives the bus: it discharges to 0 V */
    if (open_above)
        return b[i]; /* a source with no taker: its CV voltage */
    if (open_below)
        return b[j];
    return 0.5 * (b[i] + b[j]);
}

static void build(const struct dcbus_input *in, const double *power_hi, struct elems *es)
{
    double reg = in->reg_ohm > 0.0 ? in->reg_ohm : DCBUS_REG_OHM;
    double s_reg = 1.0 / reg;
    es->n = 0;
    int np = in->n_packs < DCBUS_MAX_PACKS ? in->n_packs : DCBUS_MAX_PACKS;
    for (int k = 0; k < np; k++) {
        struct elem e;
        if (pack_elem(&in->pack[k], k, &e))
            add_elem(es, e.s, e.v0, e.lo, e.hi, e.owner);
    }
    int nq = in->n_ports < DCBUS_MAX_PORTS ? in->n_ports : DCBUS_MAX_PORTS;
    for (int k = 0; k < nq; k++) {
        const struct dcbus_port *p = &in->port[k];
        int owner = DCBUS_MAX_PACKS + k;
        if (!p->on)
            continue;
        if (p->current_a > 0.0) /* feeds up to current_a, less as V nears v_max */
            add_elem(es, s_reg, p->v_max_v, -p->current_a, 0.0, owner);
        else if (p->current_a < 0.0) /* draws up to -current_a, less as V nears v_min */
            add_elem(es, s_reg, p->v_min_v, 0.0, -p->current_a, owner);
        if (power_hi[k] > 0.0) {
            add_elem(es, s_reg, p->v_min_v, 0.0, power_hi[k], owner);
            es->e[es->n - 1].power_w = p->power_w;
        }
    }
}

static void distribute(const struct dcbus_input *in, const struct elems *es, double v,
                       struct dcbus_result *out)
{
    double sum = 0.0;
    double draw[MAX_ELEMS];
    int stiff = -1;
    for (int k = 0; k < es->n; k++) {
        draw[k] = elem_draw(&es->e[k], v);
        sum += draw[k];
        if (elem_linear_at(&es->e[k], v) && (stiff < 0 || es->e[k].s > es->e[stiff].s))
            stiff = k;
    }
    /* Rounding leaves ~1e-12 A; the stiffest element in its linear range
     * takes it, so the currents add up exactly. */
    if (stiff >= 0)
        draw[stiff] -= sum;
    for (int k = 0; k < es->n; k++) {
        int o = es->e[k].owner;
        if (o < DCBUS_MAX_PACKS)
            out->pack_a[o] += draw[k];
        else
            out->port_a[o - DCBUS_MAX_PACKS] -= draw[k];
    }
    int np = in->n_packs < DCBUS_MAX_PACKS ? in->n_packs : DCBUS_MAX_PACKS;
    for (int k = 0; k < np; k++) {
        const struct dcbus_pack *p = &in->pack[k];
        if (p->connected) {
            out->pack_terminal_v[k] = v - out->pack_a[k] * p->cable_ohm;
        } else if (p->charge_on && p->discharge_on) {
            out->pack_terminal_v[k] = p->emf_v;
        } else if (p->discharge_on) {
            out->pack_terminal_v[k] = p->emf_v - p->diode_v;
        } else {
            out->pack_terminal_v[k] = 0.0; /* nothing drives its open terminals */
        }
    }
}

/* A constant-power draw takes P / V. Near the solution every other element is
 * linear or clamped, a + b V, so a + b V + P / V = 0 gives V exactly (the
 * larger root of b V^2 + a V + P = 0). False, leaving *v, when a draw is not
 * at its full power (the bus near its floor) or an element would change side. */
static bool exact_power_root(const struct elems *es, double *v)
{
    double a = 0.0, b = 0.0, p = 0.0;
    for (int k = 0; k < es->n; k++) {
        const struct elem *e = &es->e[k];
        int side = elem_side(e, *v);
        if (e->power_w > 0.0) {
            if (side != 1)
                return false;
            p += e->power_w;
        } else if (side == 0) {
            a -= e->s * e->v0;
            b += e->s;
        } else {
            a += side < 0 ? e->lo : e->hi;
        }
    }
    double disc = a * a - 4.0 * b * p;
    if (!(b > 0.0) || !(p > 0.0) || disc < 0.0)
        return false;
    double root = (-a + sqrt(disc)) / (2.0 * b);
    for (int k = 0; k < es->n; k++) {
        const struct elem *e = &es->e[k];
        if (e->power_w > 0.0 ? e->s * (root - e->v0) < e->power_w / root
                             : elem_side(e, root) != elem_side(e, *v))
            return false;
    }
    *v = root;
    return true;
}

static void set_power_hi(const struct dcbus_input *in, int nq, double v, double *power_hi)
{
    for (int k = 0; k < nq; k++) {
        const struct dcbus_port *p = &in->port[k];
        double at_v = fmax(fmax(v, p->v_min_v), POWER_MIN_V);
        power_hi[k] = (p->on && p->power_w > 0.0) ? p->power_w / at_v : 0.0;
    }
}

void dcbus_solve(const struct dcbus_input *in, struct dcbus_result *out)
{
    struct elems es;
    double power_hi[DCBUS_MAX_PORTS] = {0};
    bool any_power = false;
    int nq = in->n_ports < DCBUS_MAX_PORTS ? in->n_ports : DCBUS_MAX_PORTS;
    for (int k = 0; k < nq; k++)
        any_power = any_power || (in->port[k].on && in->port[k].power_w > 0.0);

    bool floating = false;
    double v = in->v_hint_v;
    if (!(any_power && v > 0.0)) {
        build(in, power_hi, &es);
        v = find_root(&es, &floating);
    }
    if (any_power) {
        /* Exactly, on the segment the voltage known so far lies on; if the
         * answer leaves that segment, solve once as a constant current at that
         * voltage to find the right one and try again. Each draw then carries
         * P / V. */
        set_power_hi(in, nq, v, power_hi);
        build(in, power_hi, &es);
        double v_exact = v;
        if (exact_power_root(&es, &v_exact)) {
            v = v_exact;
            floating = false;
        } else {
            v = find_root(&es, &floating);
            if (!exact_power_root(&es, &v)) {
                set_power_hi(in, nq, v, power_hi);
                build(in, power_hi, &es);
                v = find_root(&es, &floating);
            }
        }
        set_power_hi(in, nq, v, power_hi);
        build(in, power_hi, &es);
    }
    memset(out, 0, sizeof *out);
    out->bus_v = v;
    out->floating = floating;
    distribute(in, &es, v, out);
}
