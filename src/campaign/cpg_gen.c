/* cpg_gen: a seed becomes a site, and a site becomes scenario JSON. Every draw
 * comes from one generator seeded with the site's seed, in a fixed order, so
 * a seed is the same site on every machine and in every shard.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "gtx/rng.h"
#include "gtx/text_buf.h"

#define CPG_RNG_STREAM 0xCA4Bu /* the generator's own stream of the seed */

/* Values are rounded to what a person would write in a scenario file. */
static double round_to(double x, double step)
{
    return round(x / step) * step;
}

static double draw(struct rng *r, struct cpg_range g, double step)
{
    return round_to(g.lo == g.hi ? g.lo : rng_range(r, g.lo, g.hi), step);
}

static int draw_int(struct rng *r, struct cpg_range g)
{
    int lo = (int)ceil(g.lo), hi = (int)floor(g.hi);
    if (hi <= lo)
        return lo;
    return lo + (int)(rng_uniform(r) * (hi - lo + 1));
}

static bool chance(struct rng *r, double p)
{
    return rng_uniform(r) < p;
}

/* A time inside [from, to), whole seconds. */
static double draw_time(struct rng *r, double from, double to)
{
    return floor(from + rng_uniform(r) * (to - from));
}

static struct cpg_event *add(struct cpg_site *s, double at_s, enum cpg_ev_kind kind, int group)
{
    if (s->event_count >= CPG_MAX_EVENTS)
        return NULL;
    struct cpg_event *e = &s->ev[s->event_count++];
    memset(e, 0, sizeof *e);
    e->at_s = at_s;
    e->kind = kind;
    e->group = group;
    return e;
}

static int draw_fault_kind(struct rng *r, unsigned mask, int packs)
{
    if (packs < 2)
        mask &= ~(1u << SCN_FAULT_LINK_BREAK); /* no link cable to break */
    int n = 0;
    for (int k = 0; k < SCN_FAULT_KIND_COUNT; k++)
        n += (mask >> k) & 1u;
    if (n == 0)
        return -1;
    int pick = (int)(rng_uniform(r) * n);
    for (int k = 0; k < SCN_FAULT_KIND_COUNT; k++)
        if (((mask >> k) & 1u) && pick-- == 0)
            return k;
    return -1;
}

/* A fault, maybe its clear, and maybe a restart of the pack after it. */
static void add_fault(struct cpg_site *s, const struct cpg_config *c, struct rng *r, int group)
{
    int kind = draw_fault_kind(r, c->fault_kinds, s->pack_count);
    int pack = 1 + (int)(rng_uniform(r) * s->pack_count);
    double at = draw_time(r, 0, s->duration_s);
    struct cpg_event *e = add(s, at, CPG_EV_FAULT, group);
    if (kind < 0 || !e) {
        if (e)
            s->event_count--;
        return;
    }
    e->pack = pack;
    e->i1 = kind;
    switch (kind) {
    case SCN_FAULT_NTC_OPEN:
    case SCN_FAULT_NTC_SHORT:
        e->i2 = 1 + (int)(rng_uniform(r) * SCN_SENSORS);
        break;
    case SCN_FAULT_SENSE_OPEN:
        e->i2 = 1 + (int)(rng_uniform(r) * SCN_CELLS);
        break;
    case SCN_FAULT_CELL_SHORT:
        e->i2 = 1 + (int)(rng_uniform(r) * SCN_CELLS);
        e->a = round_to(rng_range(r, 0.5, 50), 0.1);
        break;
    case SCN_FAULT_CELL_WEAK:
        e->i2 = 1 + (int)(rng_uniform(r) * SCN_CELLS);
        e->a = round_to(rng_range(r, 30, 90), 1);
        break;
    case SCN_FAULT_CELL_RESISTANCE:
        e->i2 = 1 + (int)(rng_uniform(r) * SCN_CELLS);
        e->a = round_to(rng_range(r, 1.5, 10), 0.1);
        break;
    case SCN_FAULT_CURRENT_OFFSET:
        e->a = round_to(rng_range(r, 0.2, 15), 0.01) * (chance(r, 0.5) ? -1 : 1);
        break;
    case SCN_FAULT_FET_STUCK:
        e->i3 = chance(r, 0.5) ? SCN_FET_DISCHARGE : SCN_FET_CHARGE;
        break;
    default:
        break;
    }
    struct cpg_event f = *e;
    if (!chance(r, c->clear_p) || at + 2 >= s->duration_s)
        return;
    double clear_at = draw_time(r, at + 1, s->duration_s);
    struct cpg_event *cl = add(s, clear_at, CPG_EV_CLEAR, group);
    if (!cl)
        return;
    *cl = f;
    cl->at_s = clear_at;
    cl->kind = CPG_EV_CLEAR;
    /* A latched fault stays until a restart (R-PR-12): hold the button to shut the
     * pack down, then press it again to start it. */
    if (chance(r, c->restart_p) && clear_at + 80 < s->duration_s) {
        struct cpg_event *p1 = add(s, clear_at + 10, CPG_EV_PRESS, group);
        struct cpg_event *p2 = p1 ? add(s, clear_at + 60, CPG_EV_PRESS, group) : NULL;
        if (p1 && p2) {
            p1->pack = p2->pack = pack;
            p1->a = p2->a = 4;
        } else if (p1) {
            s->event_count--;
        }
    }
}

void cpg_generate(const struct cpg_config *c, uint64_t seed, struct cpg_site *s)
{
    struct rng r;
    rng_seed(&r, seed, CPG_RNG_STREAM);
    memset(s, 0, sizeof *s);
    s->seed = seed;
    s->pack_count = draw_int(&r, c->packs);
    /* Log-uniform: as many sites of an hour as of ten. */
    double lo = c->duration_s.lo, hi = c->duration_s.hi;
    s->duration_s = floor(exp(log(lo) + rng_uniform(&r) * (log(hi) - log(lo))));
    if (s->duration_s < 1)
        s->duration_s = 1;
    s->ambient_c = draw(&r, c->ambient_c, 0.1);
    s->start_hour = (int)(rng_uniform(&r) * 24);
    for (int p = 0; p < s->pack_count; p++) {
        struct cpg_pack *k = &s->pack[p];
        k->soc = draw(&r, c->soc_pct, 0.1);
        k->temperature_c = draw(&r, c->temperature_c, 0.1);
        k->cable_mohm = chance(&r, 0.5) ? draw(&r, c->cable_mohm, 0.1) : 0;
        k->cycles = chance(&r, 0.3) ? draw(&r, c->cycles, 1) : 0;
        const struct cpg_range *sp[4] = {&c->capacity_spread_pct, &c->resistance_spread_pct,
                                         &c->soc_spread_pct, &c->self_discharge_spread_pct};
        bool spread = chance(&r, 0.5);
        for (int i = 0; i < 4; i++)
            k->spread[i] = spread ? draw(&r, *sp[i], 0.01) : -1;
    }
    s->manual = chance(&r, c->manual_p);
    s->inverter_default = !s->manual && chance(&r, 0.5);
    s->charge_voltage_v = draw(&r, c->charge_voltage_v, 0.01);
    s->charge_current_a = draw(&r, c->inverter_current_a, 0.1);
    s->discharge_current_a = draw(&r, c->inverter_current_a, 0.1);
    s->cutoff_voltage_v = draw(&r, c->cutoff_voltage_v, 0.01);
    if (s->inverter_default) {
        s->charge_voltage_v = 58.0;
        s->charge_current_a = s->discharge_current_a = 50;
        s->cutoff_voltage_v = 44.0;
    }

    int group = 0;
    int steps = draw_int(&r, c->power_steps);
    for (int i = 0; i < steps; i++) {
        struct cpg_event *e = add(s, draw_time(&r, 0, s->duration_s), CPG_EV_POWER, ++group);
        if (!e)
            break;
        double u = rng_uniform(&r);
        if (u < 0.1) {
            e->i2 = 1; /* idle */
        } else if (u < 0.1 + 0.9 * c->current_step_p) {
            e->i1 = 1;
            e->a = draw(&r, c->step_current_a, 0.1);
        } else {
            e->a = draw(&r, c->power_w, 1);
        }
    }
    int changes = draw_int(&r, c->setting_changes);
    for (int i = 0; i < changes; i++) {
        struct cpg_event *e = add(s, draw_time(&r, 0, s->duration_s), CPG_EV_SETTINGS, ++group);
        if (!e)
            break;
        e->i1 = chance(&r, c->manual_p);
        e->a = draw(&r, c->charge_voltage_v, 0.01);
        e->b = draw(&r, c->inverter_current_a, 0.1);
        e->c = draw(&r, c->inverter_current_a, 0.1);
        e->d = draw(&r, c->cutoff_voltage_v, 0.01);
    }
    int ramps = draw_int(&r, c->ambient_ramps);
    for (int i = 0; i < ramps; i++) {
        struct cpg_event *e = add(s, draw_time(&r, 0, s->duration_s), CPG_EV_AMBIENT, ++group);
        if (!e)
            break;
        e->a = draw(&r, c->ramp_c, 0.1);
        e->b = floor(rng_uniform(&r) * s->duration_s / 2);
    }
    if (chance(&r, c->charger_p)) {
        double at = draw_time(&r, 0, s->duration_s);
        struct cpg_event *e = add(s, at, CPG_EV_CHARGER, ++group);
        if (e) {
            e->a = draw(&r, c->charger_voltage_v, 0.01);
            e->b = draw(&r, c->charger_current_a, 0.1);
            if (chance(&r, 0.5) && at + 2 < s->duration_s)
                add(s, draw_time(&r, at + 1, s->duration_s), CPG_EV_CHARGER_OFF, group);
        }
    }
    if (chance(&r, c->can_pull_p)) {
        double at = draw_time(&r, 0, s->duration_s);
        if (add(s, at, CPG_EV_CAN, ++group) && chance(&r, 0.6) && at + 2 < s->duration_s) {
            struct cpg_event *e = add(s, draw_time(&r, at + 1, s->duration_s), CPG_EV_CAN, group);
            if (e)
                e->i1 = 1;
        }
    }
    int faults = draw_int(&r, c->faults);
    for (int i = 0; i < faults; i++)
        add_fault(s, c, &r, ++group);
}

/* ---- JSON ---- */

static void put_pack(struct text_buf *b, const struct cpg_pack *k, double ambient_c)
{
    text_put(b, "{\"soc\": %.10g", k->soc);
    if (k->temperature_c != ambient_c)
        text_put(b, ", \"temperature_c\": %.10g", k->temperature_c);
    if (k->cable_mohm > 0)
        text_put(b, ", \"cable_mohm\": %.10g", k->cable_mohm);
    if (k->cycles > 0)
        text_put(b, ", \"cycles\": %.10g", k->cycles);
    if (k->spread[0] >= 0)
        text_put(b, ", \"cells\": {\"capacity_spread_pct\": %.10g, "
            "\"resistance_spread_pct\": %.10g, "
            "\"soc_spread_pct\": %.10g, \"self_discharge_spread_pct\": %.10g}",
            k->spread[0], k->spread[1], k->spread[2], k->spread[3]);
    text_put(b, "}");
}

static void put_event(struct text_buf *b, const struct cpg_event *e)
{
    text_put(b, "{\"at\": %.10g, ", e->at_s);
    switch (e->kind) {
    case CPG_EV_POWER:
        if (e->i2)
            text_put(b, "\"do\": \"inverter\", \"idle\": true}");
        else
            text_put(b, "\"do\": \"inverter\", \"%s\": %.10g}", e->i1 ? "current_a" : "power_w",
                e->a);
        break;
    case CPG_EV_SETTINGS:
        text_put(b, "\"do\": \"inverter\", \"mode\": \"%s\", \"charge_voltage_v\": %.10g, "
            "\"charge_current_a\": %.10g, \"discharge_current_a\": %.10g, "
            "\"cutoff_voltage_v\": %.10g}", e->i1 ? "manual" : "lithium", e->a, e->b, e->c,
            e->d);
        break;
    case CPG_EV_AMBIENT:
        text_put(b, "\"do\": \"ambient\", \"temperature_c\": %.10g", e->a);
        if (e->b > 0) /* 0: at once (a scenario's ramp is > 0 or left out) */
            text_put(b, ", \"ramp\": %.10g", e->b);
        text_put(b, "}");
        break;
    case CPG_EV_CHARGER:
        text_put(b, "\"do\": \"charger\", \"voltage_v\": %.10g, \"current_a\": %.10g}", e->a, e->b);
        break;
    case CPG_EV_CHARGER_OFF:
        text_put(b, "\"do\": \"charger\", \"off\": true}");
        break;
    case CPG_EV_CAN:
        text_put(b, "\"do\": \"can\", \"connected\": %s}", e->i1 ? "true" : "false");
        break;
    case CPG_EV_PRESS:
        text_put(b, "\"do\": \"press\", \"pack\": %d, \"hold\": %.10g}", e->pack, e->a);
        break;
    case CPG_EV_FAULT:
    case CPG_EV_CLEAR:
        text_put(b, "\"do\": \"%s\", \"kind\": \"%s\", \"pack\": %d",
            e->kind == CPG_EV_FAULT ? "fault" : "clear", scn_fault_kind_name(e->i1), e->pack);
        if (e->i1 == SCN_FAULT_NTC_OPEN || e->i1 == SCN_FAULT_NTC_SHORT)
            text_put(b, ", \"sensor\": %d", e->i2);
        else if (e->i2)
            text_put(b, ", \"cell\": %d", e->i2);
        if (e->i1 == SCN_FAULT_FET_STUCK)
            text_put(b, ", \"which\": \"%s\"", e->i3 == SCN_FET_DISCHARGE ? "discharge" : "charge");
        if (e->kind == CPG_EV_FAULT) {
            static const char *const arg[SCN_FAULT_KIND_COUNT] = {
                [SCN_FAULT_CELL_SHORT] = "resistance_ohm",
                [SCN_FAULT_CELL_WEAK] = "capacity_pct",
                [SCN_FAULT_CELL_RESISTANCE] = "factor",
                [SCN_FAULT_CURRENT_OFFSET] = "amps",
            };
            if (arg[e->i1])
                text_put(b, ", \"%s\": %.10g", arg[e->i1], e->a);
        }
        text_put(b, "}");
        break;
    }
}

static int by_time(const void *a, const void *b)
{
    const struct cpg_event *x = *(const struct cpg_event *const *)a;
    const struct cpg_event *y = *(const struct cpg_event *const *)b;
    if (x->at_s != y->at_s)
        return x->at_s < y->at_s ? -1 : 1;
    return x < y ? -1 : x > y; /* generation order at equal times */
}

char *cpg_site_json(const struct cpg_site *s, const char *name, const char *expect_json)
{
    struct text_buf b;
    if (!text_buf_init(&b, 4096))
        return NULL;
    text_put(&b, "{\"format\": \"%s\", \"name\": \"%s\", \"seed\": %llu,\n", SCN_FORMAT, name,
        (unsigned long long)s->seed);
    text_put(&b, " \"start\": \"2026-06-01T%02d:00:00\", \"duration\": %.10g, "
             "\"ambient_c\": %.10g,\n",
        s->start_hour, s->duration_s, s->ambient_c);
    text_put(&b, " \"packs\": [");
    for (int p = 0; p < s->pack_count; p++) {
        text_put(&b, "%s", p ? ",\n   " : "");
        put_pack(&b, &s->pack[p], s->ambient_c);
    }
    text_put(&b, "],\n");
    if (s->manual || !s->inverter_default)
        text_put(&b, " \"inverter\": {\"mode\": \"%s\", \"charge_voltage_v\": %.10g, "
            "\"charge_current_a\": %.10g, \"discharge_current_a\": %.10g, "
            "\"cutoff_voltage_v\": %.10g},\n", s->manual ? "manual" : "lithium",
            s->charge_voltage_v, s->charge_current_a, s->discharge_current_a,
            s->cutoff_voltage_v);
    const struct cpg_event *order[CPG_MAX_EVENTS];
    for (int i = 0; i < s->event_count; i++)
        order[i] = &s->ev[i];
    qsort(order, (size_t)s->event_count, sizeof order[0], by_time);
    text_put(&b, " \"events\": [");
    for (int i = 0; i < s->event_count; i++) {
        text_put(&b, "%s", i ? ",\n  " : "\n  ");
        put_event(&b, order[i]);
    }
    text_put(&b, "]");
    if (expect_json && expect_json[0])
        text_put(&b, ",\n \"expect\": [%s]", expect_json);
    text_put(&b, "\n}\n");
    return text_buf_take(&b);
}
