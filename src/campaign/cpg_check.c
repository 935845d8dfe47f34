/* cpg_check: the safety invariants of docs/spec/SAFETY.md, watched on the
 * running system through gtx/sim_view.h every plant step (100 ms). Each
 * invariant is a condition that must not hold longer than the firmware's own
 * delay (read through the view from the configuration table the run uses, at
 * its start) plus a grace; the
 * first one found broken ends the run. What the firmware cannot see (an open
 * sense line hides its cell, an open NTC its temperature, a current sensor
 * offset shifts every current) widens or lifts the invariant for that pack, as
 * SAFETY.md says; a MOSFET stuck closed replaces the current invariants of its
 * direction by "the fet fault is reported in time". The hang guard counts the
 * runner's advances against the simulated time they made (below).
 */
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign.h"
#include "gtx/scn_run.h"
#include "gtx/sim_view.h"

static const char *const inv_names[CPG_INV_COUNT] = {
#define X(id, name) [CPG_INV_##id] = name,
    CPG_INVARIANT_LIST(X)
#undef X
};

const char *cpg_invariant_name(int inv)
{
    return inv >= 0 && inv < CPG_INV_COUNT ? inv_names[inv] : "?";
}

int cpg_invariant_from_name(const char *name)
{
    for (int i = 0; i < CPG_INV_COUNT; i++)
        if (strcmp(name, inv_names[i]) == 0)
            return i;
    return -1;
}

/* The margins of docs/spec/SAFETY.md ("Margins"): what separates a real
 * violation from measurement error, sensor lag and the plant's 100 ms step. */
static const struct {
    double flow_a;       /* a current at least this flows (R-ST-1's 0.5 A, doubled) */
    double volt_v;       /* cell voltage beyond the trip (ADC error, noise) */
    double temp_c;       /* cell temperature beyond the trip (NTC placement and error) */
    double amps_a;       /* current beyond the over-current and leak trips */
    uint32_t grace_ms;   /* after the delay: the MOSFET settles, the next plant step */
    uint32_t temp_grace_ms; /* after the delay: the NTCs follow the cells */
    uint32_t told_ms;    /* a told limit above the allowed one for this long */
} margin = {1.0, 0.02, 3.0, 2.0, 3000, 30000, 10000};

/* The master learns a slave's limit from its link report and tells the
 * inverter once a second (docs/link-protocol.md, CAN.md): a told limit is
 * compared with the largest one the packs allowed over this many plant steps
 * (3 s), so that a limit slewing down at 1 A/s is not a violation of a report's age. */
#define TOLD_LAG_STEPS 30

#define NEVER UINT64_MAX

/* The hang guard (docs/campaigns.md, "Hangs"). The checker visits every 10 ms
 * tick (the runner's every-tick mode), so a simulator that moves its clock makes
 * one advance per tick: 100 per simulated second, the reference mode's rate.
 * More advances than one a tick, beyond this slack (10 simulated seconds' worth),
 * mean the simulated clock stopped or crawls: the site is a hang, found at the
 * same advance on every machine, whatever its load. */
#define HANG_SLACK_ADVANCES 1000u
/* While it makes progress the worker re-arms its wall-clock backstop (the pool's
 * alarm) every so many advances: only one call that never returns reaches it. */
#define BACKSTOP_REARM_ADVANCES 1000u

enum { T_CELL_OV, T_CELL_UV, T_CHG_TEMP, T_DSG_TEMP, T_OC_CHG, T_OC_DSG, T_DIR_CHG, T_DIR_DSG,
       T_FAULT, T_FET, T_TIMERS };

/* What the campaign injected into one pack and has not cleared. */
struct injected {
    int sense_open, ntc, link_break; /* how many */
    bool stuck[2];       /* SCN_FET_CHARGE, SCN_FET_DISCHARGE */
    double offset_a;
};

struct checker {
    const struct scn_scenario *scn;
    /* The firmware's table, as the system runs it (read at the start). */
    struct sim_trip prot[BMS_PROT_COUNT];
    struct sim_trip fet;  /* the fet fault: leak current, delay */
    uint32_t fet_settle_ms;
    uint32_t link_lost_ms; /* a slave not heard this long is lost */
    int next_event;
    struct injected inj[SIM_MAX_PACKS];
    uint64_t since[SIM_MAX_PACKS][T_TIMERS];
    uint64_t told_since[2];
    double allowed_hist[2][TOLD_LAG_STEPS]; /* ring of the allowed limits, A */
    unsigned hist_at;
    uint64_t calls;       /* advances of the runner so far */
    uint64_t stall_at_ms; /* test only (NEVER: off): the clock seems to stop here */
    unsigned backstop_s;  /* the wall-clock backstop re-armed (0: none) */
    struct cpg_verdict *v;
    atomic_int stop; /* scn_run_opts.stop */
};

static void follow_events(struct checker *c, uint64_t now_ms)
{
    const struct scn_scenario *scn = c->scn;
    for (; c->next_event < scn->event_count; c->next_event++) {
        const struct scn_event *e = &scn->events[c->next_event];
        if ((uint64_t)llround(e->at_s * 1000.0) > now_ms)
            break;
        if (e->action != SCN_DO_FAULT && e->action != SCN_DO_CLEAR)
            continue;
        const struct scn_fault *f = &e->u.fault;
        struct injected *in = &c->inj[f->pack - 1];
        int d = e->action == SCN_DO_FAULT ? 1 : -1;
        switch (f->kind) {
        case SCN_FAULT_SENSE_OPEN:
            in->sense_open += d;
            break;
        case SCN_FAULT_NTC_OPEN:
        case SCN_FAULT_NTC_SHORT:
            in->ntc += d;
            break;
        case SCN_FAULT_LINK_BREAK:
            in->link_break += d;
            break;
        case SCN_FAULT_CURRENT_OFFSET:
            in->offset_a = d > 0 ? f->amps : 0.0;
            break;
        case SCN_FAULT_FET_STUCK:
            if (f->which == SCN_FET_BOTH || f->which == SCN_FET_CHARGE)
                in->stuck[0] = d > 0;
            if (f->which == SCN_FET_BOTH || f->which == SCN_FET_DISCHARGE)
                in->stuck[1] = d > 0;
            break;
        default:
            break;
        }
        if (in->sense_open < 0)
            in->sense_open = 0;
        if (in->ntc < 0)
            in->ntc = 0;
    }
}

static void fail(struct checker *c, int inv, int pack, int dir, uint64_t now_ms,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void fail(struct checker *c, int inv, int pack, int dir, uint64_t now_ms,
                 const char *fmt, ...)
{
    if (c->v->failed)
        return;
    c->v->failed = true;
    c->v->invariant = inv;
    c->v->pack = pack;
    c->v->dir = dir;
    c->v->t_s = (double)now_ms / 1000.0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->v->detail, sizeof c->v->detail, fmt, ap);
    va_end(ap);
    c->stop = 1; /* the run ends after this tick */
}

/* True when cond has held for longer than limit_ms (the timer starts at its first true). */
static bool held(uint64_t *since, bool cond, uint64_t now_ms, uint64_t limit_ms)
{
    if (!cond) {
        *since = NEVER;
        return false;
    }
    if (*since == NEVER)
        *since = now_ms;
    return now_ms - *since > limit_ms;
}

static void check_pack(struct checker *c, const struct sim *s, int p, uint64_t now)
{
    struct sim_pack_obs o;
    sim_view_observe(s, p, &o);
    struct sim_pins pins;
    sim_view_pins(s, p, &pins);
    const struct injected *in = &c->inj[p];
    uint64_t *t = c->since[p];
    int pk = p + 1;
    double i = o.current_a, off = fabs(in->offset_a);
    double vals[] = {o.current_a, o.terminal_v, o.battery_v, o.cell_v_min, o.cell_v_max,
                     o.temp_min_c, o.temp_max_c, o.true_soc_pct};
    for (size_t k = 0; k < sizeof vals / sizeof vals[0]; k++)
        if (!isfinite(vals[k]))
            fail(c, CPG_INV_NAN, pk, 0, now, "pack %d: a value of the plant is %g", pk, vals[k]);
    bool chg = i > margin.flow_a, dsg = i < -margin.flow_a;
    bool free_chg = !in->stuck[0], free_dsg = !in->stuck[1];

    const struct sim_trip *r = &c->prot[BMS_PROT_CELL_OV];
    double ov = r->trip + margin.volt_v;
    if (held(&t[T_CELL_OV], chg && free_chg && !in->sense_open && o.cell_v_max >= ov, now,
             r->delay_ms + margin.grace_ms))
        fail(c, CPG_INV_CELL_OV, pk, 1, now, "pack %d: a cell at %.3f V (>= %.3f V) while "
             "charging %.1f A for more than %.1f s", pk, o.cell_v_max, ov, i,
             (r->delay_ms + margin.grace_ms) / 1000.0);
    r = &c->prot[BMS_PROT_CELL_UV];
    double uv = r->trip - margin.volt_v;
    if (held(&t[T_CELL_UV], dsg && free_dsg && !in->sense_open && o.cell_v_min <= uv, now,
             r->delay_ms + margin.grace_ms))
        fail(c, CPG_INV_CELL_UV, pk, -1, now, "pack %d: a cell at %.3f V (<= %.3f V) while "
             "discharging %.1f A for more than %.1f s", pk, o.cell_v_min, uv, -i,
             (r->delay_ms + margin.grace_ms) / 1000.0);

    const struct sim_trip *hot = &c->prot[BMS_PROT_CHARGE_OT];
    const struct sim_trip *cold = &c->prot[BMS_PROT_CHARGE_UT];
    bool out = o.temp_max_c > hot->trip + margin.temp_c ||
               o.temp_min_c < cold->trip - margin.temp_c;
    if (held(&t[T_CHG_TEMP], chg && free_chg && !in->ntc && out, now,
             hot->delay_ms + margin.temp_grace_ms))
        fail(c, CPG_INV_CHARGE_TEMP, pk, 1, now, "pack %d: charging %.1f A with cells at "
             "%.1f..%.1f °C (window %.1f..%.1f °C) for more than %.0f s", pk, i, o.temp_min_c,
             o.temp_max_c, cold->trip, hot->trip,
             (hot->delay_ms + margin.temp_grace_ms) / 1000.0);
    hot = &c->prot[BMS_PROT_DISCHARGE_OT];
    cold = &c->prot[BMS_PROT_DISCHARGE_UT];
    out = o.temp_max_c > hot->trip + margin.temp_c ||
          o.temp_min_c < cold->trip - margin.temp_c;
    if (held(&t[T_DSG_TEMP], dsg && free_dsg && !in->ntc && out, now,
             hot->delay_ms + margin.temp_grace_ms))
        fail(c, CPG_INV_DISCHARGE_TEMP, pk, -1, now, "pack %d: discharging %.1f A with cells at "
             "%.1f..%.1f °C (window %.1f..%.1f °C) for more than %.0f s", pk, -i,
             o.temp_min_c, o.temp_max_c, cold->trip, hot->trip,
             (hot->delay_ms + margin.temp_grace_ms) / 1000.0);

    r = &c->prot[BMS_PROT_OVERCURRENT_CHARGE];
    double oc = r->trip + margin.amps_a + off;
    if (held(&t[T_OC_CHG], free_chg && i > oc, now, r->delay_ms + margin.grace_ms))
        fail(c, CPG_INV_OVERCURRENT, pk, 1, now, "pack %d: charging %.1f A (> %.1f A) for more "
             "than %.1f s", pk, i, oc, (r->delay_ms + margin.grace_ms) / 1000.0);
    r = &c->prot[BMS_PROT_OVERCURRENT_DISCHARGE];
    oc = r->trip + margin.amps_a + off;
    if (held(&t[T_OC_DSG], free_dsg && -i > oc, now, r->delay_ms + margin.grace_ms))
        fail(c, CPG_INV_OVERCURRENT, pk, -1, now, "pack %d: discharging %.1f A (> %.1f A) for "
             "more than %.1f s", pk, -i, oc, (r->delay_ms + margin.grace_ms) / 1000.0);

    bool stops_chg = false, stops_dsg = false;
    for (int id = 0; id < BMS_PROT_COUNT; id++)
        if (o.st->protect_mask & (1u << id)) {
            stops_chg |= c->prot[id].stops_charge;
            stops_dsg |= c->prot[id].stops_discharge;
        }
    uint64_t settle = c->fet_settle_ms + margin.grace_ms;
    if (held(&t[T_DIR_CHG], stops_chg && chg && free_chg, now, settle))
        fail(c, CPG_INV_DIRECTION, pk, 1, now, "pack %d: charging %.1f A with a protection that "
             "stops charging (protect mask 0x%x) for more than %.1f s", pk, i,
             (unsigned)o.st->protect_mask, settle / 1000.0);
    if (held(&t[T_DIR_DSG], stops_dsg && dsg && free_dsg, now, settle))
        fail(c, CPG_INV_DIRECTION, pk, -1, now, "pack %d: discharging %.1f A with a protection "
             "that stops discharging (protect mask 0x%x) for more than %.1f s", pk, -i,
             (unsigned)o.st->protect_mask, settle / 1000.0);

    bool flows = (chg && free_chg) || (dsg && free_dsg);
    if (held(&t[T_FAULT], o.st->fault_mask && (flows || pins.fet_charge || pins.fet_discharge),
             now, settle))
        fail(c, CPG_INV_FAULT_OPENS, pk, 0, now, "pack %d: fault mask 0x%x and still %.1f A, "
             "MOSFETs charge %s discharge %s, for more than %.1f s", pk,
             (unsigned)o.st->fault_mask, i, pins.fet_charge ? "on" : "off",
             pins.fet_discharge ? "on" : "off", settle / 1000.0);

    /* A MOSFET stuck closed: the current through it once it is commanded off is
     * the leak the firmware must report as the fet fault (R-PR-12). */
    r = &c->fet;
    double leak = r->trip + margin.amps_a + off;
    bool leaking = (in->stuck[0] && !pins.fet_charge && i > leak) ||
                   (in->stuck[1] && !pins.fet_discharge && -i > leak);
    bool running = o.st->state != BMS_STATE_SHUTDOWN;
    uint64_t fet_ms = c->fet_settle_ms + r->delay_ms + margin.grace_ms;
    if (held(&t[T_FET], leaking && running && !(o.st->fault_mask & (1u << BMS_FAULT_FET)), now,
             fet_ms))
        fail(c, CPG_INV_FET_REPORTED, pk, 0, now, "pack %d: %.1f A through a MOSFET commanded "
             "off (stuck closed) and no fet fault after %.1f s", pk, i, fet_ms / 1000.0);
}

/* How long a told limit may stay above the allowed one: the margin, or what the link
 * needs to notice a pack it cannot account for (R-PA-3 decision: it then tells 0 A),
 * whichever is longer: a lost slave is lost after lost_ms, a running pack the master
 * did not code announces itself every lost_ms, and the next 0x351 follows within the
 * 1 s CAN period; twice lost_ms covers a report on its way when the link broke. */
static uint64_t told_grace_ms(const struct checker *c)
{
    uint64_t link_ms = 2u * (uint64_t)c->link_lost_ms + 1000u + margin.grace_ms;
    return link_ms > margin.told_ms ? link_ms : margin.told_ms;
}

/* R-PA-3: what the inverter is told may not let the packs that allow a direction
 * exceed the smallest limit among them when it is shared equally. */
static void check_told(struct checker *c, const struct sim *s, uint64_t now)
{
    const struct pylon_state *seen = sim_view_can_seen(s);
    /* Only while the master sends (a shut-down master leaves the last frame decoded
     * and the inverter times out). A pack the master coded and no longer hears, or
     * hears and did not code, counts as 0 A (R-PA-3 decision), so a lost slave is
     * checked; what the master cannot see is not: a pack behind a broken link cable
     * that it never coded (it restarted with fewer packs while the cable was broken). */
    bool live = sim_view_can_connected(s) && (seen->seen & PYLON_SEEN_LIMITS) &&
                sim_view_status(s, 0)->can_on;
    bool broken = false;
    for (int p = 0; p < sim_view_pack_count(s); p++)
        broken = broken || c->inj[p].link_break > 0;
    if (broken && sim_view_status(s, 0)->pack_count < sim_view_pack_count(s))
        live = false;
    uint64_t grace_ms = told_grace_ms(c);
    for (int dir = 0; dir < 2; dir++) {
        int n = 0;
        double min_a = 1e9;
        for (int p = 0; p < sim_view_pack_count(s); p++) {
            const sim_fw_status *st = sim_view_status(s, p);
            bool en = dir ? st->discharge_enable : st->charge_enable;
            double lim = (dir ? st->dcl_dA : st->ccl_dA) / 10.0;
            if (en && lim > 0) {
                n++;
                min_a = lim < min_a ? lim : min_a;
            }
        }
        double now_allowed = n ? n * min_a : 0.0, allowed = now_allowed;
        c->allowed_hist[dir][c->hist_at % TOLD_LAG_STEPS] = now_allowed;
        for (int k = 0; k < TOLD_LAG_STEPS && k <= (int)c->hist_at; k++)
            if (c->allowed_hist[dir][k] > allowed)
                allowed = c->allowed_hist[dir][k];
        double told = dir ? seen->dcl_a : seen->ccl_a;
        if (held(&c->told_since[dir], live && told > allowed + margin.flow_a, now,
                 grace_ms)) {
            c->v->bound = allowed;
            fail(c, CPG_INV_LIMIT_TOLD, 0, dir ? -1 : 1, now, "the inverter is told %s %.1f A "
                 "while %d pack(s) allow it with at least %.1f A each (%.1f A, at most %.1f A "
                 "in the last 3 s) for more than %.0f s", dir ? "DCL" : "CCL", told, n,
                 n ? min_a : 0.0, now_allowed, allowed, grace_ms / 1000.0);
        }
    }
    c->hist_at++;
}

/* The trips and delays of the table the system runs, read once (they do not change). */
static void on_start(void *ctx, struct sim *s)
{
    struct checker *c = ctx;
    for (int id = 0; id < BMS_PROT_COUNT; id++)
        sim_view_protect_trip(s, id, &c->prot[id]);
    sim_view_fault_trip(s, BMS_FAULT_FET, &c->fet);
    c->fet_settle_ms = sim_view_fet_settle_ms(s);
    c->link_lost_ms = sim_view_link_lost_ms(s);
}

/* Re-arms the pool's wall-clock backstop, when one is armed (a campaign worker). */
static void backstop_rearm(const struct checker *c)
{
    if (c->backstop_s && alarm(0) > 0)
        alarm(c->backstop_s);
}

static void on_tick(void *ctx, struct sim *s)
{
    struct checker *c = ctx;
    if (c->v->failed)
        return;
    uint64_t now = sim_view_now_ms(s);
    if (now > c->stall_at_ms)
        now = c->stall_at_ms;
    if (++c->calls > now / SIM_TICK_MS + HANG_SLACK_ADVANCES) {
        fail(c, CPG_INV_HANG, 0, 0, now, "%" PRIu64 " advances of the simulator by t = %.2f "
             "s, more than one a %u ms tick + %u: its simulated clock stopped or crawls",
             c->calls, (double)now / 1000.0, (unsigned)SIM_TICK_MS, HANG_SLACK_ADVANCES);
        return;
    }
    if (c->calls % BACKSTOP_REARM_ADVANCES == 0)
        backstop_rearm(c);
    if (c->calls % (SIM_PLANT_STEP_MS / SIM_TICK_MS) != 0)
        return;
    follow_events(c, now);
    for (int p = 0; p < sim_view_pack_count(s); p++)
        check_pack(c, s, p, now);
    check_told(c, s, now);
}

int cpg_run_text(const char *json, const struct cpg_config *cc, const struct cell_params *cell,
                 const struct bms_config *cfg, struct cpg_verdict *out, char *err,
                 size_t err_len)
{
    memset(out, 0, sizeof *out);
    struct scn_scenario scn;
    if (scn_load_text("campaign-site.json", json, strlen(json), &scn, err, err_len) != 0)
        return -1;
    struct checker *c = calloc(1, sizeof *c);
    if (!c) {
        scn_free(&scn);
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    c->scn = &scn;
    c->v = out;
    for (int p = 0; p < SIM_MAX_PACKS; p++)
        for (int k = 0; k < T_TIMERS; k++)
            c->since[p][k] = NEVER;
    c->told_since[0] = c->told_since[1] = NEVER;
    c->stall_at_ms = NEVER;
    if (cc && cc->test_stall_at_s > 0)
        c->stall_at_ms = (uint64_t)llround(cc->test_stall_at_s * 1000.0);
    c->backstop_s = cc ? (unsigned)(cc->hang_timeout_s + 0.5) : 0;
    backstop_rearm(c);
    struct scn_run_opts o = {.every_s = 1.0, .quiet = true, .bms_cfg = cfg,
                             .on_start = on_start, .on_tick = on_tick, .hook_ctx = c,
                             .stop = &c->stop};
    struct scn_run_result res;
    int rc = scn_run(&scn, cell, &o, &res, err, err_len);
    if (rc == 0)
        scn_run_free(&res);
    free(c);
    scn_free(&scn);
    return rc;
}

int cpg_run_seed(const struct cpg_config *cc, uint64_t seed, const struct cell_params *cell,
                 const struct bms_config *cfg, struct cpg_verdict *out, char *err,
                 size_t err_len)
{
    struct cpg_site site;
    cpg_generate(cc, seed, &site);
    char name[48];
    snprintf(name, sizeof name, "campaign-%llu", (unsigned long long)seed);
    char *json = cpg_site_json(&site, name, NULL);
    if (!json) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    int rc = cpg_run_text(json, cc, cell, cfg, out, err, err_len);
    free(json);
    return rc;
}
