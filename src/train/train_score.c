/* train_score: replays an attempt at an exercise on the headless runner and
 * scores it from outcomes (docs/training.md, "Scoring"). Harmful actions are
 * recognised by what they did: a restart whose trouble came back, packs joined
 * far apart in SOC, a healthy pack restarted for nothing.
 */
#include "gtx/train_score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/bms_ids.h"
#include "gtx/sim_view.h"

/* What one pack looked like after a tick: enough to tell changes and trouble. */
struct snap {
    int state;
    uint32_t protect, fault, alarm;
};

/* A pack restarted while in trouble: its trouble (protect and fault bits) is
 * watched for a comeback. */
struct watch {
    bool on;
    int pack;
    double at_s;
    uint32_t protect, fault;
};

struct score_ctx {
    const struct scn_scenario *ex;
    const struct scn_event *acts; /* the trainee's, sorted */
    int act_count, next_act;
    const struct scn_event *evs; /* the merged timeline, to follow the power cables */
    int ev_count, next_ev;
    bool powered[SIM_MAX_PACKS];
    struct snap prev[SIM_MAX_PACKS];
    bool have_prev;
    struct watch watch[SIM_MAX_PACKS];
    struct trn_score *out;
    int line_cap;
};

static double cost_of(const struct score_ctx *cx, enum trn_harm_kind k)
{
    return cx->ex->training->harm_cost[k];
}

#define TRN_REPEAT_S 600.0 /* a change seen again within this is chatter, not news */
#define TRN_REPEAT_LINES 12 /* how far back to look for it (a protection cycle is ~7 lines) */

/* The same system change among the recent lines: counted there, not written again. */
static bool repeated(struct trn_score *o, double at_s, const char *text)
{
    for (int k = o->line_count - 1; k >= 0 && k >= o->line_count - TRN_REPEAT_LINES; k--) {
        struct trn_line *l = &o->lines[k];
        if (l->action)
            return false; /* after a trainee's action, a change is news again */
        if (at_s - l->at_s < TRN_REPEAT_S && strcmp(l->text, text) == 0) {
            l->repeats++;
            return true;
        }
    }
    return false;
}

static void add_line(struct score_ctx *cx, double at_s, bool action, const char *text)
{
    struct trn_score *o = cx->out;
    if (!action && repeated(o, at_s, text))
        return;
    if (o->line_count == cx->line_cap) {
        int cap = cx->line_cap ? 2 * cx->line_cap : 64;
        struct trn_line *l = realloc(o->lines, (size_t)cap * sizeof *l);
        if (!l)
            return; /* the timeline is a report: a short one is better than none */
        o->lines = l;
        cx->line_cap = cap;
    }
    struct trn_line *l = &o->lines[o->line_count++];
    l->at_s = at_s;
    l->action = action;
    l->repeats = 0;
    snprintf(l->text, sizeof l->text, "%s", text);
}

static void add_harm(struct score_ctx *cx, enum trn_harm_kind kind, double at_s, int pack,
                     const char *text)
{
    double cost = cost_of(cx, kind);
    struct trn_score *o = cx->out;
    if (cost <= 0.0 || o->harm_count == TRN_MAX_HARMS)
        return;
    o->harm[o->harm_count++] = (struct trn_harm){kind, at_s, pack, cost, {0}};
    snprintf(o->harm[o->harm_count - 1].text, sizeof o->harm[0].text, "%s", text);
    o->harm_points += cost;
    char line[240];
    snprintf(line, sizeof line, "HARMFUL (%s, -%.0f): %s", trn_harm_name(kind), cost, text);
    add_line(cx, at_s, false, line);
}

static struct snap snap_of(const struct sim *s, int p)
{
    const sim_fw_status *st = sim_view_status(s, p);
    return (struct snap){(int)st->state, st->protect_mask, st->fault_mask, st->alarm_mask};
}

static bool healthy(const struct snap *n)
{
    bool running = n->state == BMS_STATE_STANDBY || n->state == BMS_STATE_CHARGING ||
                   n->state == BMS_STATE_DISCHARGING || n->state == BMS_STATE_FULL;
    return running && !n->protect && !n->fault && !n->alarm;
}

static bool in_trouble(const struct snap *n)
{
    return n->protect || n->fault || n->state == BMS_STATE_UVP || n->state == BMS_STATE_FAULT;
}

/* ---- the trainee's actions, judged by the state just before them ---- */

static void judge_press(struct score_ctx *cx, const struct scn_event *e)
{
    int p = e->u.press.pack - 1;
    const struct snap *before = &cx->prev[p];
    char text[200];
    if (in_trouble(before)) {
        cx->watch[p] = (struct watch){true, p + 1, e->at_s, before->protect, before->fault};
        return;
    }
    double restart_s = 3.0; /* R-BT-1: a shorter press does nothing to a running pack */
    if (healthy(before) && e->u.press.hold_s >= restart_s) {
        snprintf(text, sizeof text, "pack %d shut down while it was healthy (%s, no "
                 "protection, fault or alarm)", p + 1, scn_state_name(before->state));
        add_harm(cx, TRN_HARM_NEEDLESS_RESTART, e->at_s, p + 1, text);
    }
}

static void judge_connect(struct score_ctx *cx, const struct sim *s, const struct scn_event *e)
{
    int p = e->u.power.pack - 1;
    struct sim_pack_obs me, other;
    sim_view_observe(s, p, &me);
    for (int q = 0; q < sim_view_pack_count(s); q++) {
        if (q == p || !cx->powered[q])
            continue;
        sim_view_observe(s, q, &other);
        double gap = fabs(me.true_soc_pct - other.true_soc_pct);
        if (gap > TRN_SOC_GAP_PCT) {
            char text[200];
            snprintf(text, sizeof text, "pack %d (%.0f %%) joined to pack %d (%.0f %%): a "
                     "%.0f-point SOC gap, unprepared (manual 9.1 item 3c: 45-50 %% first)",
                     p + 1, me.true_soc_pct, q + 1, other.true_soc_pct, gap);
            add_harm(cx, TRN_HARM_SOC_GAP_CONNECT, e->at_s, p + 1, text);
            return;
        }
    }
}

/* ---- the system's changes ---- */

static void mask_changes(struct score_ctx *cx, double t_s, int p, const char *what,
                         uint32_t was, uint32_t now, const char *(*names)(int))
{
    for (int id = 0; id < 32; id++) {
        uint32_t bit = 1u << id;
        if ((was ^ now) & bit) {
            char line[200];
            const char *n = names(id);
            snprintf(line, sizeof line, "pack %d %s %s %s", p + 1, what, n ? n : "?",
                     now & bit ? "on" : "off");
            add_line(cx, t_s, false, line);
        }
    }
}

static void system_changes(struct score_ctx *cx, const struct sim *s, double t_s)
{
    for (int p = 0; p < sim_view_pack_count(s); p++) {
        struct snap n = snap_of(s, p);
        const struct snap *o = &cx->prev[p];
        if (cx->have_prev && n.state != o->state) {
            char line[200];
            snprintf(line, sizeof line, "pack %d %s", p + 1, scn_state_name(n.state));
            add_line(cx, t_s, false, line);
        }
        if (cx->have_prev) {
            mask_changes(cx, t_s, p, "protection", o->protect, n.protect, scn_protect_name);
            mask_changes(cx, t_s, p, "fault", o->fault, n.fault, scn_fault_name);
            mask_changes(cx, t_s, p, "alarm", o->alarm, n.alarm, scn_alarm_name);
        }
        struct watch *w = &cx->watch[p];
        if (w->on && t_s - w->at_s > TRN_RESTART_WATCH_S)
            w->on = false;
        uint32_t back_p = n.protect & w->protect & ~o->protect;
        uint32_t back_f = n.fault & w->fault & ~o->fault;
        if (w->on && cx->have_prev && (back_p || back_f)) {
            char text[200], ids[120];
            if (back_f)
                scn_format_ids(ids, sizeof ids, back_f, scn_fault_name);
            else
                scn_format_ids(ids, sizeof ids, back_p, scn_protect_name);
            snprintf(text, sizeof text, "pack %d restarted at %.0f s in %s without removing "
                     "the cause: it came back", p + 1, w->at_s, ids);
            add_harm(cx, TRN_HARM_RESTART_IN_FAULT, t_s, p + 1, text);
            w->on = false;
        }
        cx->prev[p] = n;
    }
    cx->have_prev = true;
}

static void on_tick(void *ctx, struct sim *s)
{
    struct score_ctx *cx = ctx;
    /* After the tick at t, the clock reads t + 1 tick; events at or before t were played
     * before it, and prev still holds the state from just before them. */
    uint64_t now_ms = sim_view_now_ms(s);
    double t_s = (double)(now_ms - SIM_TICK_MS) / 1000.0;
    while (cx->next_act < cx->act_count &&
           (uint64_t)llround(cx->acts[cx->next_act].at_s * 1000.0) < now_ms) {
        const struct scn_event *e = &cx->acts[cx->next_act++];
        char line[200];
        trn_action_format(line, sizeof line, e);
        add_line(cx, e->at_s, true, line);
        if (e->action == SCN_DO_PRESS && cx->have_prev)
            judge_press(cx, e);
        if (e->action == SCN_DO_POWER && e->u.power.connected)
            judge_connect(cx, s, e);
    }
    while (cx->next_ev < cx->ev_count &&
           (uint64_t)llround(cx->evs[cx->next_ev].at_s * 1000.0) < now_ms) {
        const struct scn_event *e = &cx->evs[cx->next_ev++];
        if (e->action == SCN_DO_POWER)
            cx->powered[e->u.power.pack - 1] = e->u.power.connected;
    }
    system_changes(cx, s, t_s);
}

/* ---- the run ---- */

static int by_time(const void *pa, const void *pb)
{
    const struct scn_event *a = pa, *b = pb;
    if (a->at_s != b->at_s)
        return a->at_s < b->at_s ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* The scenario's own events, then the trainee's at equal times. */
static struct scn_event *merge(const struct scn_scenario *ex, const struct trn_attempt *a,
                               int *count)
{
    int n = ex->event_count + a->action_count;
    struct scn_event *m = malloc((size_t)(n ? n : 1) * sizeof *m);
    if (!m)
        return NULL;
    int idx_base = 0;
    for (int i = 0; i < ex->event_count; i++) {
        m[i] = ex->events[i];
        if (m[i].index >= idx_base)
            idx_base = m[i].index + 1;
    }
    for (int k = 0; k < a->action_count; k++) {
        m[ex->event_count + k] = a->actions[k];
        m[ex->event_count + k].index = idx_base + k;
    }
    qsort(m, (size_t)n, sizeof *m, by_time);
    *count = n;
    return m;
}

void trn_attempt_of(const struct scn_scenario *ex, const struct trn_actions *acts,
                    struct trn_attempt *out)
{
    memset(out, 0, sizeof *out);
    out->action_count = acts ? acts->count : 0;
    out->actions = acts ? acts->events : NULL;
    out->done_s = out->action_count ? acts->events[out->action_count - 1].at_s : 0.0;
    (void)ex;
}

int trn_score(const struct scn_scenario *ex, const struct cell_params *cell,
              const struct trn_attempt *a, struct trn_score *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    const struct scn_training *t = ex->training;
    if (!t) {
        snprintf(err, err_len, "%s: error: not an exercise (expected a scenario with a "
                               "'training' block, docs/training.md)", ex->path);
        return -1;
    }
    struct scn_scenario run = *ex; /* shallow: the arrays stay the exercise's */
    run.events = merge(ex, a, &run.event_count);
    run.expects = t->success;
    run.expect_count = t->success_count;
    run.training = NULL;
    if (!run.events) {
        snprintf(err, err_len, "%s: error: out of memory", ex->path);
        return -1;
    }
    struct score_ctx cx = {.ex = ex, .acts = a->actions, .act_count = a->action_count,
                           .evs = run.events, .ev_count = run.event_count, .out = out};
    for (int p = 0; p < SIM_MAX_PACKS; p++)
        cx.powered[p] = true;
    /* The runner's notes and failure lines are not the trainee's business here. */
    char *log_text = NULL;
    size_t log_len = 0;
    FILE *log = open_memstream(&log_text, &log_len);
    struct scn_run_opts opts = {.quiet = true, .log = log, .on_tick = on_tick, .hook_ctx = &cx};
    int rc = scn_run(&run, cell, &opts, &out->run, err, err_len);
    if (log)
        fclose(log);
    free(log_text);
    free(run.events);
    if (rc < 0) {
        trn_score_free(out);
        return -1;
    }
    out->passed = out->run.failed == 0 && out->run.passed == t->success_count;
    out->taken_s = a->done_s;
    double frac = t->time_limit_s > 0 ? a->done_s / t->time_limit_s : 1.0;
    out->time_points = TRN_TIME_POINTS * (frac < 1.0 ? frac : 1.0);
    for (int k = 0; k < a->hint_count && k < t->hint_count; k++)
        out->hint_points += t->hints[k].cost;
    double score = 100.0 - out->time_points - out->hint_points - out->harm_points;
    out->score = out->passed ? (score > 0.0 ? score : 0.0) : 0.0;
    return 0;
}

void trn_score_free(struct trn_score *s)
{
    scn_run_free(&s->run);
    free(s->lines);
    s->lines = NULL;
    s->line_count = 0;
}

void trn_score_print(FILE *f, const struct scn_scenario *ex, const struct trn_attempt *a,
                     const struct trn_score *s, bool timeline)
{
    const struct scn_training *t = ex->training;
    char taken[32], limit[32];
    scn_duration_format(s->taken_s, taken, sizeof taken);
    scn_duration_format(t->time_limit_s, limit, sizeof limit);
    fprintf(f, "%s: %s, score %.0f/100\n", ex->name, s->passed ? "PASS" : "FAIL", s->score);
    fprintf(f, "  time %s of %s: -%.1f\n", taken, limit, s->time_points);
    fprintf(f, "  hints %d of %d: -%.1f\n", a->hint_count, t->hint_count, s->hint_points);
    fprintf(f, "  harmful actions %d: -%.1f\n", s->harm_count, s->harm_points);
    for (int k = 0; k < s->harm_count; k++)
        fprintf(f, "    at %.1f s: %s: %s\n", s->harm[k].at_s, trn_harm_name(s->harm[k].kind),
                s->harm[k].text);
    for (int k = 0; k < s->run.outcome_count; k++)
        if (!s->run.outcomes[k].passed)
            fprintf(f, "  not working: success[%d]: %s\n", k, s->run.outcomes[k].message);
    if (!timeline)
        return;
    fprintf(f, "  cause: %s\n  timeline:\n", t->cause);
    for (int k = 0; k < s->line_count; k++)
    {
        const struct trn_line *l = &s->lines[k];
        fprintf(f, "    %10.2f s %s %s", l->at_s, l->action ? ">" : " ", l->text);
        if (l->repeats)
            fprintf(f, " (%d more times in the next 10 min)", l->repeats);
        fputc('\n', f);
    }
}
