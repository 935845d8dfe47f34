/* scn_expect_run: decides the expectations of one run (scn_expect_run.h).
 * Each expectation reads some sources: the plants and the bus, a pack's
 * status, its dry contacts or the system's status, what the packs said on CAN,
 * a pack's firmware events. After a step, the sources that changed are found
 * once (a generation, a few fields compared, an event cursor), and an
 * expectation is evaluated again only when one of its sources changed or its
 * own instant came; otherwise its last verdict still stands. Verdicts and
 * failure lines are those of evaluating every expectation at every step.
 */
#include "scn_expect_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/scn_match.h"
#include "gtx/sim_view.h"

enum expect_status { EXP_PENDING, EXP_PASSED, EXP_FAILED, EXP_SKIPPED };

/* Sources an expectation reads, as bits of a mask. */
enum {
    SRC_PLANT = 1u << 0,   /* the plants and the bus: sim_view_plant_gen */
    SRC_CAN = 1u << 1,     /* sim_view_can_seen */
    SRC_STATUS0 = 1u << 2, /* << pack: that pack's status; << SIM_MAX_PACKS: the system's */
    SRC_PINS0 = SRC_STATUS0 << (SIM_MAX_PACKS + 1), /* << pack: its dry contacts */
    SRC_EVENTS0 = SRC_PINS0 << SIM_MAX_PACKS,        /* << pack: its events */
};
#define SRC_STATUS(pack) (SRC_STATUS0 << (pack))
#define SRC_SYSTEM SRC_STATUS(SIM_MAX_PACKS)
#define SRC_PINS(pack) (SRC_PINS0 << (pack))
#define SRC_EVENTS(pack) (SRC_EVENTS0 << (pack))
#define SRC_EVENTS_ALL (SRC_EVENTS(SIM_MAX_PACKS) - SRC_EVENTS0)
#define PACK_BITS ((1u << SIM_MAX_PACKS) - 1u)

/* The fields of a status that checks read, compared (memcmp: 28 bytes, no
 * padding) after each step instead of evaluating the checks. */
struct status_key {
    int32_t state;
    uint32_t protect, alarm, fault;
    uint8_t led_mode[8];
    uint8_t soc_shown_pct, pack_id;
    uint8_t unused[2];
};

/* The one event check of an expectation: seq + 1 of the newest event of its
 * pack with a name it wants, 0 while none came. */
struct event_watch {
    int pack;
    const struct scn_check *c;
    uint64_t newest;
};

struct pending {
    unsigned reads;  /* SRC_* */
    bool armed;      /* evaluated within its instants: later only on a change */
    int watch;       /* its event check in watches[], -1: none */
};

struct scn_expect_run {
    const struct scn_scenario *scn;
    const struct sim *sim;
    struct scn_run_result *res;
    FILE *log;
    uint64_t end_ms, t_ms;
    enum expect_status *status;
    struct pending *pend;
    struct event_watch *watches;
    int watch_count;
    unsigned watching; /* the sources looked at after each step (plan) */
    uint64_t next_due_ms;
    /* The sources as last seen. */
    uint64_t plant_gen;
    struct status_key key[SIM_MAX_PACKS + 1]; /* [SIM_MAX_PACKS]: the system */
    uint64_t key_gen[SIM_MAX_PACKS + 1]; /* status_gen when key[] was taken; UINT64_MAX:
                                          * never (no 32-bit count equals it) */
    bool dry[SIM_MAX_PACKS][2];                /* prohibit charge, discharge */
    struct pylon_state can;
    uint64_t can_gen; /* sim_view_can_gen when can was compared; UINT64_MAX: never */
    struct sim_event_cursor cursor[SIM_MAX_PACKS];
    /* What the view publishes in place, fetched once (valid while the sim lives). */
    const sim_fw_status *st[SIM_MAX_PACKS];
    const sim_fw_status *sys_st;
    const uint32_t *status_gen[SIM_MAX_PACKS]; /* sim_view_status_gen */
    const struct pylon_state *can_seen;
    /* sim_view_observe of each pack, taken at most once per plant generation
     * (obs_gen) and only for checks of the plant. */
    struct sim_pack_obs obs[SIM_MAX_PACKS];
    uint64_t obs_gen[SIM_MAX_PACKS];
    bool obs_valid[SIM_MAX_PACKS];
};

static uint64_t ms_of(double s)
{
    return (uint64_t)llround(s * 1000.0);
}

static const char *state_name(int st)
{
    const char *n = scn_state_name(st);
    return n ? n : "?";
}

static int obs_pack(const struct scn_expect *e)
{
    return e->pack == SCN_PACK_SYSTEM ? 0 : e->pack - 1; /* the system: what the master reports */
}

/* ---- what each check reads ---- */

static unsigned reads_of(const struct scn_expect *e, const struct scn_check *c)
{
    int pk = obs_pack(e);
    bool sys = e->pack == SCN_PACK_SYSTEM;
    unsigned status = sys ? SRC_SYSTEM : SRC_STATUS(pk);
    switch (c->key) {
    case SCN_CHECK_STATE:
    case SCN_CHECK_LEDS:
    case SCN_CHECK_PROTECT:
    case SCN_CHECK_FAULT:
    case SCN_CHECK_ALARM:
    case SCN_CHECK_ID: return status;
    case SCN_CHECK_SOC: return sys ? SRC_SYSTEM | SRC_CAN : status;
    case SCN_CHECK_DRY_PROHIBIT_CHARGE:
    case SCN_CHECK_DRY_PROHIBIT_DISCHARGE: return SRC_PINS(pk);
    case SCN_CHECK_TRUE_SOC:
    case SCN_CHECK_VOLTAGE_V:
    case SCN_CHECK_CURRENT_A:
    case SCN_CHECK_CELL_V_MIN:
    case SCN_CHECK_CELL_V_MAX:
    case SCN_CHECK_TEMP_MIN_C:
    case SCN_CHECK_TEMP_MAX_C: return SRC_PLANT;
    case SCN_CHECK_EVENT: return SRC_EVENTS(pk);
    case SCN_CHECK_CAN_CVL_V:
    case SCN_CHECK_CAN_CCL_A:
    case SCN_CHECK_CAN_DCL_A:
    case SCN_CHECK_CAN_DVL_V:
    case SCN_CHECK_CAN_SOC:
    case SCN_CHECK_CAN_SOH:
    case SCN_CHECK_CAN_VOLTAGE_V:
    case SCN_CHECK_CAN_CURRENT_A:
    case SCN_CHECK_CAN_TEMP_C:
    case SCN_CHECK_CAN_CHARGE_ENABLE:
    case SCN_CHECK_CAN_DISCHARGE_ENABLE:
    case SCN_CHECK_CAN_FORCE_CHARGE:
    case SCN_CHECK_CAN_FULL_CHARGE_REQUEST:
    case SCN_CHECK_CAN_PROTECT:
    case SCN_CHECK_CAN_ALARM: return SRC_CAN;
    case SCN_CHECK_COUNT: break;
    }
    return 0;
}

static struct status_key key_of(const sim_fw_status *st)
{
    struct status_key k = {.state = (int32_t)st->state, .protect = st->protect_mask,
                           .alarm = st->alarm_mask, .fault = st->fault_mask,
                           .soc_shown_pct = st->soc_shown_pct, .pack_id = st->pack_id};
    memcpy(k.led_mode, st->led_mode, sizeof k.led_mode);
    return k;
}

static bool event_wanted(const struct scn_check *c, const struct sim_event *ev)
{
    return (c->ev_kinds[ev->kind / 64] >> (ev->kind % 64) & 1u) &&
           (c->ev_ids[ev->id / 64] >> (ev->id % 64) & 1u);
}

/* Reads pack's events up to t_ms; true when there were new ones. */
static bool take_events(struct scn_expect_run *x, int pack)
{
    struct sim_event_cursor *cur = &x->cursor[pack];
    struct sim_event ev;
    bool any = false;
    for (;;) {
        struct sim_event_cursor before = *cur;
        if (!sim_view_event_next(x->sim, cur, &ev))
            break;
        if (ev.t_ms > x->t_ms) { /* not yet (a step never stamps one later than its end) */
            *cur = before;
            break;
        }
        any = true;
        for (int w = 0; w < x->watch_count; w++)
            if (x->watches[w].pack == pack && event_wanted(x->watches[w].c, &ev))
                x->watches[w].newest = cur->seq; /* the event's seq + 1 */
    }
    return any;
}

/* The sources among w that changed since the last look. */
static unsigned look(struct scn_expect_run *x, unsigned w)
{
    const struct sim *s = x->sim;
    unsigned changed = 0, m;
    if (w & SRC_PLANT) {
        uint64_t gen = sim_view_plant_gen(s);
        if (gen != x->plant_gen)
            changed |= SRC_PLANT;
        x->plant_gen = gen;
    }
    /* No frame decoded since the last comparison: what the packs said stands (at most
     * instants: they send once a second). */
    if ((w & SRC_CAN) && sim_view_can_gen(s) != x->can_gen) {
        x->can_gen = sim_view_can_gen(s);
        if (memcmp(&x->can, x->can_seen, sizeof x->can) != 0) {
            memcpy(&x->can, x->can_seen, sizeof x->can);
            changed |= SRC_CAN;
        }
    }
    m = w / SRC_STATUS0 & (PACK_BITS << 1 | 1u);
    for (int p = 0; m; p++, m >>= 1) {
        if (!(m & 1u))
            continue;
        /* No tick that may change it since the key was taken: the status stands (a
         * look at one word for each pack whose firmware did not run at this instant
         * or only read and relayed link frames). */
        uint64_t gen = *x->status_gen[p == SIM_MAX_PACKS ? 0 : p];
        if (gen == x->key_gen[p])
            continue;
        x->key_gen[p] = gen;
        struct status_key k = key_of(p == SIM_MAX_PACKS ? x->sys_st : x->st[p]);
        if (memcmp(&k, &x->key[p], sizeof k) != 0) {
            x->key[p] = k;
            changed |= SRC_STATUS(p);
        }
    }
    m = w / SRC_PINS0 & PACK_BITS;
    for (int p = 0; m; p++, m >>= 1) {
        if (!(m & 1u))
            continue;
        struct sim_pins pins;
        sim_view_pins(s, p, &pins);
        if (pins.prohibit_charge != x->dry[p][0] || pins.prohibit_discharge != x->dry[p][1]) {
            x->dry[p][0] = pins.prohibit_charge;
            x->dry[p][1] = pins.prohibit_discharge;
            changed |= SRC_PINS(p);
        }
    }
    m = w / SRC_EVENTS0 & PACK_BITS;
    for (int p = 0; m; p++, m >>= 1)
        if ((m & 1u) && take_events(x, p))
            changed |= SRC_EVENTS(p);
    return changed;
}

/* ---- evaluating one check ---- */

/* The observation of pack pk's plant now (see obs_gen). */
static const struct sim_pack_obs *observe(struct scn_expect_run *x, int pk)
{
    uint64_t gen = sim_view_plant_gen(x->sim);
    if (!x->obs_valid[pk] || x->obs_gen[pk] != gen) {
        sim_view_observe(x->sim, pk, &x->obs[pk]);
        x->obs_gen[pk] = gen;
        x->obs_valid[pk] = true;
    }
    return &x->obs[pk];
}

/* A kept event of the pack (the oldest ones are let go) has a wanted name. */
static bool event_seen(const struct scn_expect_run *x, const struct event_watch *w)
{
    struct sim_event_cursor oldest;
    sim_view_events_begin(x->sim, w->pack, &oldest);
    return w->newest > oldest.seq;
}

/* The matchers write the observed value as text only when asked (txt not NULL):
 * a check that holds needs no text. */
static bool match_flag(const struct scn_check *c, bool got, char *txt, size_t n)
{
    if (txt)
        snprintf(txt, n, "%s", got ? "true" : "false");
    return c->flag == got;
}

static bool match_num(const struct scn_check *c, double got, const char *fmt, char *txt,
                      size_t n)
{
    if (txt)
        snprintf(txt, n, fmt, got);
    return scn_check_match_number(c, got);
}

static bool match_id_name(const struct scn_check *c, uint32_t mask, const char *(*names)(int),
                          char *txt, size_t n)
{
    if (!txt)
        ;
    else if (!mask)
        snprintf(txt, n, "none");
    else
        scn_format_ids(txt, n, mask, names);
    if (c->integer < 0)
        return mask == 0;
    return (mask >> c->integer) & 1u;
}

static bool match_can_word(const struct scn_check *c, uint16_t word, bool alarm, char *txt,
                           size_t n)
{
    if (txt) {
        const char *names[16];
        size_t k = alarm ? pylon_alarm_names(word, names, 16)
                         : pylon_protect_names(word, names, 16);
        size_t used = (size_t)snprintf(txt, n, "0x%04x", word);
        for (size_t i = 0; i < k && i < 16 && used < n; i++)
            used += (size_t)snprintf(txt + used, n - used, "%s%s", i ? "|" : " ", names[i]);
    }
    return word == c->can_word;
}

/* Evaluates one check at the present instant; got (unless NULL) receives the
 * observed value. The firmware's status is read directly, the plant's side
 * (sim_view_observe) only for the keys that need it. */
static bool eval_check(struct scn_expect_run *x, const struct scn_expect *e,
                       const struct pending *p, const struct scn_check *c, char *got, size_t n)
{
    const struct sim *s = x->sim;
    int pk = obs_pack(e);
    /* "system": the master's aggregate (R-PA-3: protections, alarms, faults OR-ed) */
    const sim_fw_status *st = e->pack == SCN_PACK_SYSTEM ? x->sys_st : x->st[pk];
    const struct pylon_state *cs = x->can_seen;
    switch (c->key) {
    case SCN_CHECK_STATE:
        if (got)
            snprintf(got, n, "%s", state_name((int)st->state));
        return c->integer == (int)st->state;
    case SCN_CHECK_LEDS: {
        char word[9];
        sim_led_word(st, word);
        if (got)
            snprintf(got, n, "%s", word);
        return scn_match_leds(c->leds, word);
    }
    case SCN_CHECK_PROTECT: return match_id_name(c, st->protect_mask, scn_protect_name, got, n);
    case SCN_CHECK_FAULT: return match_id_name(c, st->fault_mask, scn_fault_name, got, n);
    case SCN_CHECK_ALARM: return match_id_name(c, st->alarm_mask, scn_alarm_name, got, n);
    case SCN_CHECK_SOC:
        if (e->pack == SCN_PACK_SYSTEM && (cs->seen & PYLON_SEEN_SOC))
            return match_num(c, cs->soc_pct, "%.0f", got, n);
        return match_num(c, st->soc_shown_pct, "%.0f", got, n);
    case SCN_CHECK_TRUE_SOC: {
        double sum = 0.0;
        int count = e->pack == SCN_PACK_SYSTEM ? sim_view_pack_count(s) : 1;
        for (int i = 0; i < count; i++)
            sum += observe(x, e->pack == SCN_PACK_SYSTEM ? i : pk)->true_soc_pct;
        return match_num(c, sum / count, "%.2f", got, n);
    }
    case SCN_CHECK_VOLTAGE_V:
        return match_num(c,
                         e->pack == SCN_PACK_SYSTEM ? sim_view_bus_v(s)
                                                    : observe(x, pk)->terminal_v,
                         "%.3f", got, n);
    case SCN_CHECK_CURRENT_A: {
        double a; /* what sim_view_observe reports as current_a, without the rest */
        if (e->pack != SCN_PACK_SYSTEM) {
            a = sim_view_current_a(s, pk);
        } else {
            a = 0.0;
            for (int i = 0, np = sim_view_pack_count(s); i < np; i++)
                a += sim_view_current_a(s, i);
        }
        return match_num(c, a, "%.2f", got, n);
    }
    case SCN_CHECK_CELL_V_MIN: return match_num(c, observe(x, pk)->cell_v_min, "%.3f", got, n);
    case SCN_CHECK_CELL_V_MAX: return match_num(c, observe(x, pk)->cell_v_max, "%.3f", got, n);
    case SCN_CHECK_TEMP_MIN_C: return match_num(c, observe(x, pk)->temp_min_c, "%.1f", got, n);
    case SCN_CHECK_TEMP_MAX_C: return match_num(c, observe(x, pk)->temp_max_c, "%.1f", got, n);
    case SCN_CHECK_DRY_PROHIBIT_CHARGE:
    case SCN_CHECK_DRY_PROHIBIT_DISCHARGE: {
        struct sim_pins pins; /* the contacts as the firmware drives them */
        sim_view_pins(s, pk, &pins);
        return match_flag(c, c->key == SCN_CHECK_DRY_PROHIBIT_CHARGE ? pins.prohibit_charge
                                                                     : pins.prohibit_discharge,
                          got, n);
    }
    case SCN_CHECK_CAN_CVL_V: return match_num(c, cs->cvl_v, "%.1f", got, n);
    case SCN_CHECK_CAN_CCL_A: return match_num(c, cs->ccl_a, "%.1f", got, n);
    case SCN_CHECK_CAN_DCL_A: return match_num(c, cs->dcl_a, "%.1f", got, n);
    case SCN_CHECK_CAN_DVL_V: return match_num(c, cs->dvl_v, "%.1f", got, n);
    case SCN_CHECK_CAN_SOC: return match_num(c, cs->soc_pct, "%.0f", got, n);
    case SCN_CHECK_CAN_SOH: return match_num(c, cs->soh_pct, "%.0f", got, n);
    case SCN_CHECK_CAN_VOLTAGE_V: return match_num(c, cs->voltage_v, "%.2f", got, n);
    case SCN_CHECK_CAN_CURRENT_A: return match_num(c, cs->current_a, "%.1f", got, n);
    case SCN_CHECK_CAN_TEMP_C: return match_num(c, cs->temp_c, "%.1f", got, n);
    case SCN_CHECK_CAN_CHARGE_ENABLE: return match_flag(c, cs->charge_enable, got, n);
    case SCN_CHECK_CAN_DISCHARGE_ENABLE: return match_flag(c, cs->discharge_enable, got, n);
    case SCN_CHECK_CAN_FORCE_CHARGE: return match_flag(c, cs->force_charge, got, n);
    case SCN_CHECK_CAN_FULL_CHARGE_REQUEST:
        return match_flag(c, cs->full_charge_request, got, n);
    case SCN_CHECK_CAN_PROTECT: return match_can_word(c, pylon_protect_word(cs), false, got, n);
    case SCN_CHECK_CAN_ALARM: return match_can_word(c, pylon_alarm_word(cs), true, got, n);
    case SCN_CHECK_ID:
        if (got)
            snprintf(got, n, "%u", st->pack_id);
        return c->integer == (int)st->pack_id;
    case SCN_CHECK_EVENT: {
        bool seen = p->watch >= 0 && event_seen(x, &x->watches[p->watch]);
        if (got)
            snprintf(got, n, "%s", seen ? c->text : "no such event");
        return seen;
    }
    case SCN_CHECK_COUNT:
        break;
    }
    if (got)
        snprintf(got, n, "?");
    return false;
}

/* All checks of one expectation at the present instant; msg == NULL: only the
 * verdict, else on failure the line of the first failing check (made only
 * then: a 'by' expectation fails until it holds). */
static bool eval_expect(struct scn_expect_run *x, int i, char *msg, size_t n)
{
    const struct scn_expect *e = &x->scn->expects[i];
    const struct pending *p = &x->pend[i];
    x->res->expect_evals++;
    for (int k = 0; k < e->check_count; k++) {
        const struct scn_check *c = &e->checks[k];
        char got[256];
        if (eval_check(x, e, p, c, NULL, 0))
            continue;
        if (!msg)
            return false;
        eval_check(x, e, p, c, got, sizeof got); /* again, for the text of what it saw */
        char context[96] = "";
        const sim_fw_status *st = x->st[obs_pack(e)];
        if (c->key != SCN_CHECK_STATE)
            snprintf(context, sizeof context, "state %s", state_name((int)st->state));
        if (e->when == SCN_WHEN_WINDOW || e->when == SCN_WHEN_RUN) {
            char when[32];
            scn_duration_format((double)x->t_ms / 1000.0, when, sizeof when);
            size_t used = strlen(context);
            snprintf(context + used, sizeof context - used, "%sat %s", used ? ", " : "", when);
        }
        scn_format_failure(msg, n, x->scn->path, e, c, got, context);
        return false;
    }
    return true;
}

/* ---- deciding ---- */

static void settle(struct scn_expect_run *x, int i, bool passed, const char *msg)
{
    struct scn_outcome *o = &x->res->outcomes[i];
    x->status[i] = passed ? EXP_PASSED : EXP_FAILED;
    o->passed = passed;
    o->settled_ms = x->t_ms;
    if (passed) {
        x->res->passed++;
        return;
    }
    x->res->failed++;
    snprintf(o->message, sizeof o->message, "%s", msg);
    fprintf(x->log, "%s\n", msg);
}

/* One pending expectation after a step; changed: the sources that changed in it. */
static void decide(struct scn_expect_run *x, int i, unsigned changed, bool last)
{
    const struct scn_expect *e = &x->scn->expects[i];
    struct pending *p = &x->pend[i];
    char msg[512];
    uint64_t t = x->t_ms;
    if (last && e->when != SCN_WHEN_RUN &&
        ms_of(e->when == SCN_WHEN_WINDOW ? e->to_s : e->t_s) > x->end_ms) {
        /* --until stopped the run before the instant this one names */
        x->status[i] = EXP_SKIPPED;
        x->res->outcomes[i].skipped = true;
        x->res->skipped++;
        return;
    }
    /* Unchanged since the last evaluation: that verdict stands (for 'by' it
     * was false, for a window or the whole run true). */
    bool fresh = !p->armed || (p->reads & changed);
    switch (e->when) {
    case SCN_WHEN_AT:
        if (t >= ms_of(e->t_s) || last)
            settle(x, i, eval_expect(x, i, msg, sizeof msg), msg);
        break;
    case SCN_WHEN_BY:
        if (fresh) {
            p->armed = true;
            if (eval_expect(x, i, NULL, 0)) {
                settle(x, i, true, msg);
                break;
            }
        }
        if (t >= ms_of(e->t_s) || last)
            settle(x, i, eval_expect(x, i, msg, sizeof msg), msg);
        break;
    case SCN_WHEN_WINDOW:
    case SCN_WHEN_RUN:
        if (e->when == SCN_WHEN_WINDOW && t < ms_of(e->from_s) && !last)
            break; /* the window begins at the first step at or after from */
        if (fresh) {
            p->armed = true;
            if (!eval_expect(x, i, msg, sizeof msg)) {
                settle(x, i, false, msg);
                break;
            }
        }
        if (last || (e->when == SCN_WHEN_WINDOW && t >= ms_of(e->to_s)))
            settle(x, i, true, msg);
        break;
    }
}

/* When the pending expectation i must be looked at even if nothing changed. */
static uint64_t due_ms(const struct scn_expect_run *x, int i)
{
    const struct scn_expect *e = &x->scn->expects[i];
    bool armed = x->pend[i].armed;
    switch (e->when) {
    case SCN_WHEN_AT: return ms_of(e->t_s);
    case SCN_WHEN_BY: return armed ? ms_of(e->t_s) : 0;
    case SCN_WHEN_WINDOW: return ms_of(armed ? e->to_s : e->from_s);
    case SCN_WHEN_RUN: return armed ? UINT64_MAX : 0;
    }
    return 0;
}

/* next_due_ms and watching from what is still pending: the sources of the
 * armed ones (the others are evaluated when their instant comes), and every
 * pending event check's events, which are read as they come. */
static void plan(struct scn_expect_run *x)
{
    unsigned before = x->watching;
    x->next_due_ms = UINT64_MAX;
    x->watching = 0;
    for (int i = 0; i < x->scn->expect_count; i++) {
        if (x->status[i] != EXP_PENDING)
            continue;
        uint64_t due = due_ms(x, i);
        if (due < x->next_due_ms)
            x->next_due_ms = due;
        unsigned reads = x->pend[i].reads;
        x->watching |= x->pend[i].armed ? reads : reads & SRC_EVENTS_ALL;
    }
    /* A source not watched until now: its last look is stale, take it now. */
    look(x, x->watching & ~before);
}

void scn_expect_after_step(struct scn_expect_run *x, uint64_t t_ms, bool last)
{
    x->t_ms = t_ms;
    unsigned changed = x->watching ? look(x, x->watching) : 0;
    if (!changed && !last && t_ms < x->next_due_ms)
        return;
    for (int i = 0; i < x->scn->expect_count; i++)
        if (x->status[i] == EXP_PENDING)
            decide(x, i, changed, last);
    plan(x);
}

uint64_t scn_expect_next_due_ms(const struct scn_expect_run *x)
{
    return x->next_due_ms;
}

void scn_expect_interrupted(struct scn_expect_run *x, uint64_t t_ms)
{
    char when[32];
    scn_duration_format((double)t_ms / 1000.0, when, sizeof when);
    for (int i = 0; i < x->scn->expect_count; i++) {
        if (x->status[i] != EXP_PENDING)
            continue;
        struct scn_outcome *o = &x->res->outcomes[i];
        o->interrupted = true;
        snprintf(o->message, sizeof o->message, "not decided: the run was interrupted at "
                 "simulated time %s", when);
        x->res->interrupted++;
    }
}

/* ---- setting up ---- */

struct scn_expect_run *scn_expect_run_new(const struct scn_scenario *scn, const struct sim *s,
                                          struct scn_run_result *res, FILE *log,
                                          uint64_t end_ms)
{
    size_t n = (size_t)scn->expect_count + 1;
    struct scn_expect_run *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->status = calloc(n, sizeof *x->status);
    x->pend = calloc(n, sizeof *x->pend);
    x->watches = calloc(n, sizeof *x->watches);
    if (!x->status || !x->pend || !x->watches) {
        scn_expect_run_free(x);
        return NULL;
    }
    *x = (struct scn_expect_run){.scn = scn, .sim = s, .res = res, .log = log,
                                 .end_ms = end_ms, .status = x->status, .pend = x->pend,
                                 .watches = x->watches};
    int packs = sim_view_pack_count(s);
    for (int p = 0; p <= SIM_MAX_PACKS; p++)
        x->key_gen[p] = UINT64_MAX; /* no key taken yet */
    x->can_gen = UINT64_MAX;
    for (int p = 0; p < packs; p++) {
        x->st[p] = sim_view_status(s, p);
        x->status_gen[p] = sim_view_status_gen(s, p);
        sim_view_events_begin(s, p, &x->cursor[p]);
    }
    x->sys_st = sim_view_system_status(s);
    x->can_seen = sim_view_can_seen(s);
    for (int i = 0; i < scn->expect_count; i++) {
        const struct scn_expect *e = &scn->expects[i];
        struct pending *p = &x->pend[i];
        p->watch = -1;
        for (int k = 0; k < e->check_count; k++) {
            const struct scn_check *c = &e->checks[k];
            p->reads |= reads_of(e, c);
            if (c->key == SCN_CHECK_EVENT) { /* at most one per expectation */
                p->watch = x->watch_count;
                x->watches[x->watch_count++] = (struct event_watch){obs_pack(e), c, 0};
            }
        }
    }
    plan(x);
    return x;
}

void scn_expect_run_free(struct scn_expect_run *x)
{
    if (!x)
        return;
    free(x->status);
    free(x->pend);
    free(x->watches);
    free(x);
}
