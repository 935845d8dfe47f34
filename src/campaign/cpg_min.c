/* cpg_min: shrinks a failing site by delta debugging. A candidate is kept when
 * it still breaks the same invariant. In turn: the run is cut just after the
 * violation, packs go (their events with them, the later packs renumbered),
 * event groups go (a fault with its clear and restart), then single events,
 * then each pack's and the inverter's details fall back to the defaults; the
 * rounds repeat until nothing more can go (a 1-minimal site).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"

struct shrink {
    const struct cpg_config *cc;
    const struct cell_params *cell;
    const struct bms_config *cfg;
    int invariant;
    struct cpg_verdict last; /* of the site kept */
    int runs;
};

/* The run ends a second after the violation: nothing later matters. */
static void cut_after(struct cpg_site *s, double t_s)
{
    double end = ceil(t_s) + 1.0;
    if (end >= s->duration_s)
        return;
    s->duration_s = end;
    int k = 0;
    for (int i = 0; i < s->event_count; i++)
        if (s->ev[i].at_s < end)
            s->ev[k++] = s->ev[i];
    s->event_count = k;
}

static bool still_fails(struct shrink *m, const struct cpg_site *s)
{
    char *json = cpg_site_json(s, "candidate", NULL);
    if (!json)
        return false;
    struct cpg_verdict v;
    char err[SCN_ERR_MAX];
    m->runs++;
    int rc = cpg_run_text(json, m->cc, m->cell, m->cfg, &v, err, sizeof err);
    free(json);
    if (rc != 0 || !v.failed || v.invariant != m->invariant)
        return false;
    m->last = v;
    return true;
}

/* Tries cand; on success it becomes the site (and is cut after its violation). */
static bool try_keep(struct shrink *m, struct cpg_site *site, struct cpg_site *cand)
{
    if (!still_fails(m, cand))
        return false;
    cut_after(cand, m->last.t_s);
    *site = *cand;
    return true;
}

static void drop_events(struct cpg_site *s, bool (*gone)(const struct cpg_event *, int), int arg)
{
    int k = 0;
    for (int i = 0; i < s->event_count; i++)
        if (!gone(&s->ev[i], arg))
            s->ev[k++] = s->ev[i];
    s->event_count = k;
}

static bool in_group(const struct cpg_event *e, int g)
{
    return e->group == g;
}

static bool without_pack(struct cpg_site *s, int p)
{
    /* Every group that touches pack p goes with it. */
    for (int i = 0; i < s->event_count; i++)
        if (s->ev[i].pack == p)
            drop_events(s, in_group, s->ev[i--].group);
    for (int i = 0; i < s->event_count; i++)
        if (s->ev[i].pack > p)
            s->ev[i].pack--;
    for (int q = p; q < s->pack_count; q++)
        s->pack[q - 1] = s->pack[q];
    s->pack_count--;
    return true;
}

static bool shrink_packs(struct shrink *m, struct cpg_site *site)
{
    bool any = false;
    for (int p = site->pack_count; p >= 1 && site->pack_count > 1; p--) {
        struct cpg_site cand = *site;
        without_pack(&cand, p);
        any |= try_keep(m, site, &cand);
    }
    return any;
}

static bool shrink_groups(struct shrink *m, struct cpg_site *site)
{
    bool any = false;
    for (int i = site->event_count - 1; i >= 0; i--) {
        if (i >= site->event_count)
            continue;
        struct cpg_site cand = *site;
        drop_events(&cand, in_group, site->ev[i].group);
        if (cand.event_count < site->event_count)
            any |= try_keep(m, site, &cand);
    }
    for (int i = site->event_count - 1; i >= 0; i--) { /* single events (a clear, a press) */
        if (i >= site->event_count)
            continue;
        struct cpg_site cand = *site;
        memmove(&cand.ev[i], &cand.ev[i + 1],
                (size_t)(cand.event_count - i - 1) * sizeof cand.ev[0]);
        cand.event_count--;
        any |= try_keep(m, site, &cand);
    }
    return any;
}

/* Each detail back to what a scenario writes by default. */
static bool shrink_details(struct shrink *m, struct cpg_site *site)
{
    bool any = false;
    for (int p = 0; p < site->pack_count; p++) {
        for (int what = 0; what < 4; what++) {
            struct cpg_site cand = *site;
            struct cpg_pack *k = &cand.pack[p];
            if (what == 0 && k->spread[0] >= 0)
                k->spread[0] = k->spread[1] = k->spread[2] = k->spread[3] = -1;
            else if (what == 1 && k->cycles > 0)
                k->cycles = 0;
            else if (what == 2 && k->cable_mohm > 0)
                k->cable_mohm = 0;
            else if (what == 3 && k->temperature_c != cand.ambient_c)
                k->temperature_c = cand.ambient_c;
            else
                continue;
            any |= try_keep(m, site, &cand);
        }
    }
    if (!site->manual && !site->inverter_default) {
        struct cpg_site cand = *site;
        cand.inverter_default = true;
        cand.charge_voltage_v = 58.0;
        cand.charge_current_a = cand.discharge_current_a = 50;
        cand.cutoff_voltage_v = 44.0;
        any |= try_keep(m, site, &cand);
    }
    if (site->start_hour != 0) {
        struct cpg_site cand = *site;
        cand.start_hour = 0;
        any |= try_keep(m, site, &cand);
    }
    return any;
}

int cpg_minimise(struct cpg_site *site, const struct cpg_config *cc,
                 const struct cell_params *cell, const struct bms_config *cfg,
                 const struct cpg_verdict *v, struct cpg_verdict *out)
{
    struct shrink m = {.cc = cc, .cell = cell, .cfg = cfg, .invariant = v->invariant, .last = *v};
    struct cpg_site cand = *site;
    cut_after(&cand, v->t_s);
    try_keep(&m, site, &cand);
    for (int round = 0; round < 4; round++) {
        bool any = shrink_packs(&m, site);
        any |= shrink_groups(&m, site);
        any |= shrink_details(&m, site);
        if (!any)
            break;
    }
    *out = m.last;
    return m.runs;
}

void cpg_expectation(const struct cpg_verdict *v, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!v->failed)
        return;
    char at[64];
    snprintf(at, sizeof at, "{\"at\": %.10g, \"pack\": %d, ", v->t_s, v->pack ? v->pack : 1);
    switch (v->invariant) {
    case CPG_INV_CELL_OV:
    case CPG_INV_CHARGE_TEMP:
    case CPG_INV_CELL_UV:
    case CPG_INV_DISCHARGE_TEMP:
    case CPG_INV_DIRECTION:
        /* At that instant the pack no longer carries current in that direction. */
        snprintf(buf, len, "%s\"current_a\": %s}", at,
                 v->dir > 0 ? "[-1000, 1]" : "[-1, 1000]");
        break;
    case CPG_INV_OVERCURRENT:
        snprintf(buf, len, "%s\"current_a\": [-52, 52]}", at);
        break;
    case CPG_INV_FAULT_OPENS:
        snprintf(buf, len, "%s\"current_a\": [-1, 1]}", at);
        break;
    case CPG_INV_FET_REPORTED:
        snprintf(buf, len, "%s\"fault\": \"fet\"}", at);
        break;
    case CPG_INV_LIMIT_TOLD:
        snprintf(buf, len, "{\"at\": %.10g, \"pack\": \"system\", \"can\": {\"%s\": [0, %.1f]}}",
                 v->t_s, v->dir > 0 ? "ccl_a" : "dcl_a", v->bound + 1.0);
        break;
    default: /* nan, crash, hang: the run itself shows it */
        break;
    }
}
