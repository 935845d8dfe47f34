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
#include "scn_expect_run.h"

struct run_ctx {
    const struct scn_scenario *scn;
    const struct scn_run_opts *opts;
    struct sim *sim;
    uint64_t t_ms; /* the instant being observed */
    struct scn_run_result *res;
    struct scn_expect_run *expects;
    struct scn_replay *replay; /* the field logs (docs/replay.md); NULL: none */
    unsigned trace_groups;     /* SCN_TRACE_* */
};

static uint64_t ms_of(double s)
{
    return (uint64_t)llround(s * 1000.0);
}

/* ---- expectations (scn_expect_run.c) ---- */

/* Decides what the step that ended at cx->t_ms lets decide. */
static void check_expectations(struct run_ctx *cx, bool last)
{
    scn_expect_after_step(cx->expects, cx->t_ms, last);
}

/* A signal stopped the run at cx->t_ms. */
static void mark_interrupted(struct run_ctx *cx)
{
    scn_expect_interrupted(cx->expects, cx->t_ms);
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
        r.limit = cx->replay ? scn_replay_limit(cx->replay, s) : "";
        if (cx->opts->cells) {
            struct sim_cells cells;
            sim_view_cells(s, i, &cells);
            for (int c = 0; c < PACK_CELLS; c++) {
                r.cell_v[c] = cells.v[c];
                r.cell_temp_c[c] = cells.temp_c[c];
            }
        }
        if (cx->opts->thermal) {
            struct sim_thermal th;
            sim_view_thermal(s, i, &th);
            r.case_c = th.case_c;
            r.fet_c = th.fet_c;
            for (int k = 0; k < SCN_SENSORS; k++)
                r.ntc_c[k] = th.ntc_c[k];
        }
        scn_trace_write_row(cx->opts->trace, &r, cx->trace_groups);
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
    res->outcomes = calloc((size_t)scn->expect_count + 1, sizeof *res->outcomes);
    if (!res->outcomes) {
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
        return -1;
    }
    if (opts->candump)
        sim_can_listen(s, candump_listener, opts->candump);
    /* a profile adds the limit that keeps the inverter from it (docs/replay.md) */
    unsigned trace_groups = (opts->cells ? SCN_TRACE_CELLS : 0u) |
                            (opts->thermal ? SCN_TRACE_THERMAL : 0u) |
                            (scn->profile ? SCN_TRACE_LIMIT : 0u);
    if (opts->trace)
        scn_trace_write_header(opts->trace, trace_groups);
    if (opts->on_start)
        opts->on_start(opts->hook_ctx, s);

    struct scn_replay *replay;
    if (scn_replay_open(scn, opts->compare, opts->quiet ? NULL : opts->log ? opts->log : stderr,
                        &replay, err, err_len) < 0) {
        sim_free(s);
        return -1;
    }

    struct scn_timeline tl;
    scn_timeline_init(&tl, scn, opts->quiet ? NULL : (opts->log ? opts->log : stderr));
    struct run_ctx cx = {.scn = scn, .opts = opts, .sim = s, .res = res, .replay = replay,
                         .trace_groups = trace_groups};

    double end_s = scn->duration_s;
    if (opts->until_s > 0.0 && opts->until_s < end_s)
        end_s = opts->until_s;
    uint64_t end_ms = ms_of(end_s);
    uint64_t every_ms = ms_of(opts->every_s > 0.0 ? opts->every_s : 1.0);
    if (every_ms < SIM_TICK_MS)
        every_ms = SIM_TICK_MS;
    cx.expects = scn_expect_run_new(scn, s, res, opts->log ? opts->log : stderr, end_ms);
    if (!cx.expects) {
        snprintf(err, err_len, "%s: error: out of memory", scn->path);
        scn_replay_close(replay, NULL);
        sim_free(s);
        return -1;
    }
    uint64_t next_trace_ms = 0;
    /* The timeline's next instant (a button's release, an event): before it there is
     * nothing to apply, and most instants of a parallel system are a link frame's hop. */
    uint64_t timeline_ms = 0;
    double wall0 = wall_now_s(), last_progress = wall0;

    sim_set_tick_mode(s, opts->fixed_plant      ? SIM_TICK_FIXED_PLANT
                         : opts->reference_tick ? SIM_TICK_REFERENCE
                                                : SIM_TICKLESS);
    /* Outside ports and pacing follow the simulation tick by tick. */
    bool every_tick = (opts->on_tick && !opts->on_tick_instants) || opts->speed > 0.0;
    uint64_t last_ms = end_ms / SIM_TICK_MS * SIM_TICK_MS;
    for (;;) {
        cx.t_ms = sim_view_now_ms(s);
        /* the logs first: an event at the same instant has the last word */
        if (replay && scn_replay_apply(replay, s, cx.t_ms, err, err_len) < 0) {
            scn_replay_close(replay, NULL);
            scn_expect_run_free(cx.expects);
            sim_free(s);
            return -1;
        }
        if (cx.t_ms >= timeline_ms) {
            scn_timeline_apply(&tl, s);
            timeline_ms = scn_timeline_next_ms(&tl, s);
        }
        uint64_t limit = every_tick ? cx.t_ms + SIM_TICK_MS : last_ms;
        /* a trace row due now is written after this instant: the next one after it */
        uint64_t trace_ms = next_trace_ms > cx.t_ms ? next_trace_ms : next_trace_ms + every_ms;
        uint64_t due[] = {timeline_ms, scn_expect_next_due_ms(cx.expects),
                          opts->trace ? trace_ms : UINT64_MAX,
                          replay ? scn_replay_next_change_ms(replay) : UINT64_MAX};
        for (size_t k = 0; k < sizeof due / sizeof due[0]; k++)
            if (due[k] > cx.t_ms && due[k] < limit)
                limit = due[k];
        sim_advance(s, limit);
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
    sim_physics_sync(s); /* the books of the last scan, not of a lagging physics */
    for (int p = 0; p < res->pack_count && p < SIM_MAX_PACKS; p++)
        sim_view_energy(s, p, &res->energy[p]);
    scn_replay_close(replay, &res->replay);
    if (opts->on_end)
        opts->on_end(opts->hook_ctx, s);
    scn_expect_run_free(cx.expects);
    sim_free(s);
    return 0;
}

void scn_run_free(struct scn_run_result *res)
{
    free(res->outcomes);
    res->outcomes = NULL;
}
