/* scn_run: the headless runner. Steps the simulator tick by tick, plays the
 * timeline, checks every expectation at the instants it names, writes the
 * trace and the CAN log. "At time t" means after the firmware tick at t.
 */
#include "gtx/scn_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gtx/scn_match.h"
#include "gtx/scn_replay.h"
#include "gtx/scn_write.h"
#include "gtx/sim_view.h"

enum expect_status { EXP_PENDING, EXP_PASSED, EXP_FAILED, EXP_SKIPPED };

struct run_ctx {
    const struct scn_scenario *scn;
    const struct scn_run_opts *opts;
    struct sim *sim;
    uint64_t t_ms; /* the instant being observed */
    uint64_t end_ms; /* where this run stops (earlier than the duration with --until) */
    enum expect_status *status;
    struct scn_run_result *res;
    /* sim_view_observe of each pack, taken at most once per tick (obs_tick:
     * sim_view_ticks when taken) and only for checks that need more than the firmware status. */
    struct sim_pack_obs obs[SIM_MAX_PACKS];
    uint64_t obs_tick[SIM_MAX_PACKS];
    /* What the view publishes in place, fetched once: these pointers stay valid
     * while the sim lives, and the checks read them every tick. */
    const sim_fw_status *st[SIM_MAX_PACKS];
    const sim_fw_status *sys_st;
    const struct pylon_state *can_seen;
};

/* ---- observing one check ---- */

static const char *state_name(int st)
{
    const char *n = scn_state_name(st);
    return n ? n : "?";
}

static int obs_pack(const struct scn_expect *e)
{
    return e->pack == SCN_PACK_SYSTEM ? 0 : e->pack - 1; /* the system: what the master reports */
}

static bool event_seen(const struct sim *s, int pack, const char *name, uint64_t t_ms)
{
    char buf[SIM_EVENT_NAME_MAX];
    struct sim_event_cursor cur;
    struct sim_event e;
    sim_view_events_begin(s, pack, &cur);
    while (sim_view_event_next(s, &cur, &e)) {
        if (e.t_ms > t_ms)
            break;
        sim_event_name(&e, buf, sizeof buf);
        if (strcmp(buf, name) == 0)
            return true;
    }
    return false;
}

static uint16_t can_word_of(uint32_t mask, bool alarm)
{
    uint16_t word = 0;
    for (int id = 0; id < 32 && (mask >> id); id++) {
        if (!(mask & (1u << id)))
            continue;
        const char *name = alarm ? scn_alarm_name(id) : scn_protect_name(id);
        uint16_t bit = 0;
        if (name && (alarm ? pylon_alarm_bit_of(name, &bit) : pylon_protect_bit_of(name, &bit)))
            word |= bit;
    }
    return word;
}

/* The observation of pack pk at this tick (see run_ctx.obs). */
static const struct sim_pack_obs *observe(struct run_ctx *cx, int pk)
{
    uint64_t ticks = sim_view_ticks(cx->sim);
    if (cx->obs_tick[pk] != ticks) {
        sim_view_observe(cx->sim, pk, &cx->obs[pk]);
        cx->obs_tick[pk] = ticks;
    }
    return &cx->obs[pk];
}

/* The matchers write the observed value as text only when asked (txt not NULL):
 * a check that holds needs no text, and checks run every tick. */
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

/* Evaluates one check at the present instant; got (unless NULL) receives the
 * observed value. The firmware's status is read directly, the plant's side
 * (sim_view_observe) only for the keys that need it. */
static bool eval_check(struct run_ctx *cx, const struct scn_expect *e,
                       const struct scn_check *c, char *got, size_t n)
{
    struct sim *s = cx->sim;
    int pk = obs_pack(e);
    /* "system": the master's aggregate (R-PA-3: protections, alarms, faults OR-ed) */
    const sim_fw_status *st = e->pack == SCN_PACK_SYSTEM ? cx->sys_st : cx->st[pk];
    const struct pylon_state *cs = cx->can_seen;
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
            sum += observe(cx, e->pack == SCN_PACK_SYSTEM ? i : pk)->true_soc_pct;
        return match_num(c, sum / count, "%.2f", got, n);
    }
    case SCN_CHECK_VOLTAGE_V:
        return match_num(c,
                         e->pack == SCN_PACK_SYSTEM ? sim_view_bus_v(s)
                                                    : observe(cx, pk)->terminal_v,
                         "%.3f", got, n);
    case SCN_CHECK_CURRENT_A: {
        double a;
        if (e->pack != SCN_PACK_SYSTEM) {
            a = observe(cx, pk)->current_a;
        } else {
            a = 0.0;
            for (int i = 0, np = sim_view_pack_count(s); i < np; i++)
                a += sim_view_current_a(s, i);
        }
        return match_num(c, a, "%.2f", got, n);
    }
    case SCN_CHECK_CELL_V_MIN: return match_num(c, observe(cx, pk)->cell_v_min, "%.3f", got, n);
    case SCN_CHECK_CELL_V_MAX: return match_num(c, observe(cx, pk)->cell_v_max, "%.3f", got, n);
    case SCN_CHECK_TEMP_MIN_C: return match_num(c, observe(cx, pk)->temp_min_c, "%.1f", got, n);
    case SCN_CHECK_TEMP_MAX_C: return match_num(c, observe(cx, pk)->temp_max_c, "%.1f", got, n);
    case SCN_CHECK_DRY_PROHIBIT_CHARGE:
        return match_flag(c, observe(cx, pk)->prohibit_charge, got, n);
    case SCN_CHECK_DRY_PROHIBIT_DISCHARGE:
        return match_flag(c, observe(cx, pk)->prohibit_discharge, got, n);
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
    case SCN_CHECK_CAN_PROTECT:
    case SCN_CHECK_CAN_ALARM: {
        bool alarm = c->key == SCN_CHECK_CAN_ALARM;
        uint16_t word = alarm ? pylon_alarm_word(cs) : pylon_protect_word(cs);
        if (!got)
            return word == can_word_of(c->mask, alarm);
        const char *names[16];
        size_t k = alarm ? pylon_alarm_names(word, names, 16) : pylon_protect_names(word, names, 16);
        size_t used = (size_t)snprintf(got, n, "0x%04x", word);
        for (size_t i = 0; i < k && i < 16 && used < n; i++)
            used += (size_t)snprintf(got + used, n - used, "%s%s", i ? "|" : " ", names[i]);
        return word == can_word_of(c->mask, alarm);
    }
    case SCN_CHECK_ID:
        if (got)
            snprintf(got, n, "%u", st->pack_id);
        return c->integer == (int)st->pack_id;
    case SCN_CHECK_EVENT: {
        bool seen = event_seen(s, pk, c->text ? c->text : "", cx->t_ms);
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

/* All checks of one expectation at the present instant; on failure the message
 * of the first failing check. */
/* msg == NULL: only the verdict. A 'by' expectation fails tick after tick
 * until it holds, so its text is made only when the deadline settles it. */
static bool eval_expect(struct run_ctx *cx, const struct scn_expect *e, char *msg, size_t n)
{
    for (int k = 0; k < e->check_count; k++) {
        const struct scn_check *c = &e->checks[k];
        char got[256];
        if (eval_check(cx, e, c, NULL, 0))
            continue;
        if (!msg)
            return false;
        eval_check(cx, e, c, got, sizeof got); /* again, for the text of what it saw */
        char context[96] = "";
        const sim_fw_status *st = cx->st[obs_pack(e)];
        if (c->key != SCN_CHECK_STATE)
            snprintf(context, sizeof context, "state %s", state_name((int)st->state));
        if (e->when == SCN_WHEN_WINDOW || e->when == SCN_WHEN_RUN) {
            char when[32];
            scn_duration_format((double)cx->t_ms / 1000.0, when, sizeof when);
            size_t used = strlen(context);
            snprintf(context + used, sizeof context - used, "%sat %s", used ? ", " : "", when);
        }
        scn_format_failure(msg, n, cx->scn->path, e, c, got, context);
        return false;
    }
    return true;
}

static uint64_t ms_of(double s)
{
    return (uint64_t)llround(s * 1000.0);
}

static void settle(struct run_ctx *cx, int i, bool passed, const char *msg)
{
    struct scn_outcome *o = &cx->res->outcomes[i];
    cx->status[i] = passed ? EXP_PASSED : EXP_FAILED;
    o->passed = passed;
    if (passed) {
        cx->res->passed++;
        return;
    }
    cx->res->failed++;
    snprintf(o->message, sizeof o->message, "%s", msg);
    FILE *log = cx->opts->log ? cx->opts->log : stderr;
    fprintf(log, "%s\n", msg);
}

/* Checks every pending expectation that looks at instant t (after its tick). */
static void check_expectations(struct run_ctx *cx, bool last)
{
    const struct scn_scenario *scn = cx->scn;
    char msg[512];
    for (int i = 0; i < scn->expect_count; i++) {
        if (cx->status[i] != EXP_PENDING)
            continue;
        const struct scn_expect *e = &scn->expects[i];
        if (last && e->when != SCN_WHEN_RUN &&
            ms_of(e->when == SCN_WHEN_WINDOW ? e->to_s : e->t_s) > cx->end_ms) {
            /* --until stopped the run before the instant this one names */
            cx->status[i] = EXP_SKIPPED;
            cx->res->outcomes[i].skipped = true;
            cx->res->skipped++;
            continue;
        }
        switch (e->when) {
        case SCN_WHEN_AT:
            if (cx->t_ms >= ms_of(e->t_s) || last)
                settle(cx, i, eval_expect(cx, e, msg, sizeof msg), msg);
            break;
        case SCN_WHEN_BY:
            if (eval_expect(cx, e, NULL, 0))
                settle(cx, i, true, msg);
            else if (cx->t_ms >= ms_of(e->t_s) || last)
                settle(cx, i, eval_expect(cx, e, msg, sizeof msg), msg);
            break;
        case SCN_WHEN_WINDOW:
            if (cx->t_ms < ms_of(e->from_s) && !last)
                break; /* the window begins at the first tick at or after from */
            if (!eval_expect(cx, e, msg, sizeof msg))
                settle(cx, i, false, msg);
            else if (cx->t_ms >= ms_of(e->to_s) || last)
                settle(cx, i, true, msg);
            break;
        case SCN_WHEN_RUN:
            if (!eval_expect(cx, e, msg, sizeof msg))
                settle(cx, i, false, msg);
            else if (last)
                settle(cx, i, true, msg);
            break;
        }
    }
}

/* A signal stopped the run at cx->t_ms: what is still pending was neither
 * passed nor failed. */
static void mark_interrupted(struct run_ctx *cx)
{
    char when[32];
    scn_duration_format((double)cx->t_ms / 1000.0, when, sizeof when);
    for (int i = 0; i < cx->scn->expect_count; i++) {
        if (cx->status[i] != EXP_PENDING)
            continue;
        struct scn_outcome *o = &cx->res->outcomes[i];
        o->interrupted = true;
        snprintf(o->message, sizeof o->message, "not decided: the run was interrupted at "
                 "simulated time %s", when);
        cx->res->interrupted++;
    }
}

/* ---- trace and CAN log ---- */

static void trace_rows(struct run_ctx *cx)
{
    struct sim *s = cx->sim;
    for (int i = 0, n = sim_view_pack_count(s); i < n; i++) {
        struct sim_pack_obs o;
        sim_view_observe(s, i, &o);
        const sim_fw_status *st = o.st;
        struct scn_trace_row r;
        memset(&r, 0, sizeof r);
        r.t_s = (double)cx->t_ms / 1000.0;
        r.pack = i + 1;
        r.state = (int)st->state;
        sim_led_word(st, r.leds);
        sim_lit_word(o.leds_lit, r.lit);
        r.soc = st->soc_shown_pct;
        r.true_soc = o.true_soc_pct;
        r.voltage_v = o.terminal_v;
        r.current_a = o.current_a;
        r.cell_v_min = o.cell_v_min;
        r.cell_v_max = o.cell_v_max;
        r.temp_min_c = o.temp_min_c;
        r.temp_max_c = o.temp_max_c;
        r.cvl_v = st->cvl_dV / 10.0;
        r.ccl_a = st->ccl_dA / 10.0;
        r.dcl_a = st->dcl_dA / 10.0;
        r.dry_chg = o.prohibit_charge;
        r.dry_dsg = o.prohibit_discharge;
        r.protect = st->protect_mask;
        r.fault = st->fault_mask;
        r.alarm = st->alarm_mask;
        r.balancing = o.balance_mask;
        if (cx->opts->cells) {
            struct sim_cells cells;
            sim_view_cells(s, i, &cells);
            for (int c = 0; c < PACK_CELLS; c++) {
                r.cell_v[c] = cells.v[c];
                r.cell_temp_c[c] = cells.temp_c[c];
            }
        }
        scn_trace_write_row(cx->opts->trace, &r, cx->opts->cells);
    }
}

static void candump_listener(void *ctx, int from, uint64_t t_us, const struct board_can_frame *f)
{
    (void)from;
    scn_candump_write((FILE *)ctx, t_us, f);
}

/* ---- pacing and progress ---- */

static double wall_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void pace(double speed, double wall0, double sim_s)
{
    double ahead = sim_s / speed - (wall_now_s() - wall0);
    if (ahead > 0.002) {
        struct timespec ts = {(time_t)ahead, (long)((ahead - floor(ahead)) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static void progress(const char *name, double frac)
{
    int width = 30, done = (int)(frac * width);
    fprintf(stderr, "\r%-24.24s [", name);
    for (int i = 0; i < width; i++)
        fputc(i < done ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%%", (int)(frac * 100.0));
    if (frac >= 1.0)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

int scn_run(const struct scn_scenario *scn, const struct cell_params *cell,
            const struct scn_run_opts *opts, struct scn_run_result *res, char *err,
            size_t err_len)
{
    memset(res, 0, sizeof *res);
    enum expect_status *status = calloc((size_t)scn->expect_count + 1, sizeof *status);
    res->outcomes = calloc((size_t)scn->expect_count + 1, sizeof *res->outcomes);
    if (!status || !res->outcomes) {
        free(status);
        snprintf(err, err_len, "%s: error: out of memory", scn->path);
        return -1;
    }
    res->outcome_count = scn->expect_count;
    for (int i = 0; i < scn->expect_count; i++)
        scn_format_expect_label(res->outcomes[i].label, sizeof res->outcomes[i].label,
                                &scn->expects[i]);

    struct sim_config cfg;
    scn_sim_config(scn, cell, opts->bms_cfg, &cfg);
    struct sim *s = sim_new(&cfg);
    if (!s) {
        snprintf(err, err_len, "%s: error: the simulator could not be set up", scn->path);
        free(status);
        return -1;
    }
    if (opts->candump)
        sim_can_listen(s, candump_listener, opts->candump);
    if (opts->trace)
        scn_trace_write_header(opts->trace, opts->cells);
    if (opts->on_start)
        opts->on_start(opts->hook_ctx, s);

    struct scn_replay *replay; /* the field logs (docs/replay.md); NULL: none */
    if (scn_replay_open(scn, opts->compare, &replay, err, err_len) < 0) {
        sim_free(s);
        free(status);
        return -1;
    }

    struct scn_timeline tl;
    scn_timeline_init(&tl, scn, opts->quiet ? NULL : (opts->log ? opts->log : stderr));
    struct run_ctx cx = {.scn = scn, .opts = opts, .sim = s, .status = status, .res = res};
    for (int i = 0; i < SIM_MAX_PACKS; i++)
        cx.obs_tick[i] = UINT64_MAX; /* none taken yet */
    for (int i = 0; i < sim_view_pack_count(s); i++)
        cx.st[i] = sim_view_status(s, i);
    cx.sys_st = sim_view_system_status(s);
    cx.can_seen = sim_view_can_seen(s);

    double end_s = scn->duration_s;
    if (opts->until_s > 0.0 && opts->until_s < end_s)
        end_s = opts->until_s;
    uint64_t end_ms = ms_of(end_s);
    uint64_t every_ms = ms_of(opts->every_s > 0.0 ? opts->every_s : 1.0);
    if (every_ms < SIM_TICK_MS)
        every_ms = SIM_TICK_MS;
    cx.end_ms = end_ms;
    uint64_t next_trace_ms = 0;
    double wall0 = wall_now_s(), last_progress = wall0;

    for (;;) {
        cx.t_ms = sim_view_now_ms(s);
        /* the logs first: an event at the same instant has the last word */
        if (replay && scn_replay_apply(replay, s, cx.t_ms, err, err_len) < 0) {
            scn_replay_close(replay, NULL);
            sim_free(s);
            free(status);
            return -1;
        }
        scn_timeline_apply(&tl, s);
        sim_step(s);
        if (replay)
            scn_replay_observe(replay, s, cx.t_ms);
        if (opts->on_tick)
            opts->on_tick(opts->hook_ctx, s);
        bool last = cx.t_ms + SIM_TICK_MS > end_ms;
        check_expectations(&cx, last);
        if (opts->trace && cx.t_ms >= next_trace_ms) {
            trace_rows(&cx);
            next_trace_ms += every_ms;
        }
        if (last)
            break;
        if (opts->stop && *opts->stop) {
            res->stop_signal = *opts->stop;
            break;
        }
        if (opts->speed <= 0.0 && !opts->progress)
            continue;
        uint64_t ticks = sim_view_ticks(s);
        if (opts->speed > 0.0 && (ticks & 7u) == 0)
            pace(opts->speed, wall0, sim_time_s(s));
        if (opts->progress && (ticks & 1023u) == 0) {
            double now = wall_now_s();
            if (now - last_progress > 0.2) {
                progress(scn->name, (double)cx.t_ms / (double)(end_ms ? end_ms : 1));
                last_progress = now;
            }
        }
    }
    if (opts->progress)
        progress(scn->name, 1.0);
    if (res->stop_signal)
        mark_interrupted(&cx);
    res->sim_s = (double)cx.t_ms / 1000.0;
    res->wall_s = wall_now_s() - wall0;
    res->pack_count = sim_view_pack_count(s);
    for (int p = 0; p < res->pack_count && p < SIM_MAX_PACKS; p++)
        sim_view_energy(s, p, &res->energy[p]);
    scn_replay_close(replay, &res->replay);
    if (opts->on_end)
        opts->on_end(opts->hook_ctx, s);
    sim_free(s);
    free(status);
    return 0;
}

void scn_run_free(struct scn_run_result *res)
{
    free(res->outcomes);
    res->outcomes = NULL;
}
