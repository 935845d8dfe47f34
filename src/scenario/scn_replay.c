/* scn_replay: the runner's one hook for field logs (gtx/scn_replay.h): the
 * profile player and the CAN log player side by side.
 */
#include "gtx/scn_replay.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "gtx/scn_canlog.h"
#include "gtx/scn_profile.h"
#include "gtx/sim_view.h"
#include "scn_limit.h"

/* The profile's quantity each comparison reads. */
static const enum scn_pq compare_pq[SCN_CMP_COUNT] = {
    [SCN_CMP_SOC] = SCN_PQ_SOC_PCT,
    [SCN_CMP_VOLTAGE] = SCN_PQ_VOLTAGE_V,
    [SCN_CMP_CURRENT] = SCN_PQ_CURRENT_A,
};

#define LIMIT_SETTLE_MS 10000u /* a limit is named once it has held this long */

struct scn_replay {
    FILE *log;                /* where the limits are named; NULL: nowhere */
    const struct scn_scenario *scn; /* its path and clock, for those lines */
    enum scn_limit limit_said, limit_seen;
    uint64_t limit_since_ms;
    struct scn_profile *prof; /* NULL: no profile */
    struct scn_canlog *can;   /* NULL: no CAN log */
    FILE *compare_csv;        /* NULL: no comparison file */
    bool comparing;           /* the profile has logged values */
    struct scn_compare_stat stat[SCN_CMP_COUNT];
    int64_t compared_ms[SCN_CMP_COUNT]; /* the logged sample compared last */
    double due[SCN_CMP_COUNT];          /* logged values due at this tick; NAN: none */
};

int scn_replay_open(const struct scn_scenario *scn, FILE *compare, FILE *log,
                    struct scn_replay **out, char *err, size_t err_len)
{
    *out = NULL;
    if (!scn->profile && !scn->can_log)
        return 0;
    struct scn_replay *r = calloc(1, sizeof *r);
    if (!r || (scn->profile && !(r->prof = malloc(sizeof *r->prof))) ||
        (scn->can_log && !(r->can = malloc(sizeof *r->can)))) {
        snprintf(err, err_len, "%s: error: out of memory", scn->path);
        if (r) {
            free(r->prof);
            free(r);
        }
        return -1;
    }
    int bad;
    if (r->prof && scn_profile_open(r->prof, scn->profile, &bad, err, err_len) < 0) {
        free(r->prof);
        r->prof = NULL;
        scn_replay_close(r, NULL);
        return -1;
    }
    if (r->can && scn_canlog_open(r->can, scn->can_log, err, err_len) < 0) {
        free(r->can);
        r->can = NULL;
        scn_replay_close(r, NULL);
        return -1;
    }
    for (int q = 0; q < SCN_CMP_COUNT; q++) {
        r->due[q] = NAN;
        r->compared_ms[q] = INT64_MIN;
        if (scn->profile && scn->profile->map[compare_pq[q]].used) {
            r->stat[q].used = r->comparing = true;
            r->stat[q].tolerance = scn->profile->tolerance[q];
        }
    }
    r->compare_csv = r->comparing ? compare : NULL;
    r->log = log;
    r->scn = scn;
    if (r->compare_csv)
        scn_compare_write_header(r->compare_csv);
    *out = r;
    return 0;
}

/* Logged samples that have come due since the last look (each compared once). */
static bool take_due(struct scn_replay *r)
{
    bool any = false;
    for (int q = 0; q < SCN_CMP_COUNT; q++) {
        const struct scn_prof_chan *c = &r->prof->ch[compare_pq[q]];
        if (!r->stat[q].used || !c->has_a || c->ta_ms == r->compared_ms[q] || c->ta_ms < 0)
            continue;
        r->compared_ms[q] = c->ta_ms;
        if (isnan(c->va))
            continue;
        r->due[q] = c->va;
        any = true;
    }
    return any;
}

/* Names the limit the inverter meets, in the run's log, once it has held
 * LIMIT_SETTLE_MS (a limit at the edge would otherwise fill the log). */
static void watch_limits(struct scn_replay *r, const struct sim *s, uint64_t t_ms)
{
    if (!r->log || !r->prof || r->prof->off_applied)
        return;
    double want_a, allowed_a;
    enum scn_limit now = scn_limit_now(s, &want_a, &allowed_a);
    if (now != r->limit_seen) {
        r->limit_seen = now;
        r->limit_since_ms = t_ms;
    }
    if (now == r->limit_said || t_ms - r->limit_since_ms < LIMIT_SETTLE_MS)
        return;
    r->limit_said = now;
    struct scn_datetime d; /* the site's clock: what the log's rows say */
    scn_local_time(r->scn, (double)(r->limit_since_ms / 1000u), &d);
    fprintf(r->log, "%s: profile at %04d-%02d-%02d %02d:%02d:%02d: the inverter %s",
            r->scn->path, d.year, d.month, d.day, d.hour, d.minute, d.second, scn_limit_text(now));
    if (now >= SCN_LIMIT_CCL && now <= SCN_LIMIT_INV_DCL)
        fprintf(r->log, " %.1f A (the profile asks %.1f A)", fabs(allowed_a), fabs(want_a));
    fputc('\n', r->log);
}

const char *scn_replay_limit(const struct scn_replay *r, const struct sim *s)
{
    if (!r->prof || !r->prof->applied || r->prof->off_applied)
        return "";
    double want_a, allowed_a;
    return scn_limit_name(scn_limit_now(s, &want_a, &allowed_a));
}

void scn_replay_observe(struct scn_replay *r, const struct sim *s, uint64_t t_ms)
{
    watch_limits(r, s, t_ms);
    if (!r->comparing || !take_due(r))
        return;
    double sim[SCN_CMP_COUNT], t_s = (double)t_ms / 1000.0;
    sim[SCN_CMP_SOC] = sim_view_system_status(s)->soc_shown_pct;
    sim[SCN_CMP_VOLTAGE] = sim_view_bus_v(s);
    sim[SCN_CMP_CURRENT] = 0.0;
    for (int i = 0, n = sim_view_pack_count(s); i < n; i++)
        sim[SCN_CMP_CURRENT] += sim_view_current_a(s, i);
    for (int q = 0; q < SCN_CMP_COUNT; q++)
        if (!isnan(r->due[q]))
            scn_compare_add(&r->stat[q], t_s, sim[q], r->due[q]);
    if (r->compare_csv)
        scn_compare_write_row(r->compare_csv, t_s, r->due, sim);
    for (int q = 0; q < SCN_CMP_COUNT; q++)
        r->due[q] = NAN;
}

int scn_replay_apply(struct scn_replay *r, struct sim *s, uint64_t t_ms, char *err,
                     size_t err_len)
{
    if (r->prof && scn_profile_apply(r->prof, s, t_ms, err, err_len) < 0)
        return -1;
    if (r->can && scn_canlog_apply(r->can, s, t_ms, err, err_len) < 0)
        return -1;
    return 0;
}

uint64_t scn_replay_next_change_ms(const struct scn_replay *r)
{
    uint64_t next = UINT64_MAX;
    if (r->prof && scn_profile_next_change_ms(r->prof) < next)
        next = scn_profile_next_change_ms(r->prof);
    if (r->can && scn_canlog_next_change_ms(r->can) < next)
        next = scn_canlog_next_change_ms(r->can);
    return next;
}

void scn_replay_close(struct scn_replay *r, struct scn_replay_stats *stats)
{
    if (!r)
        return;
    if (stats) {
        *stats = (struct scn_replay_stats){0};
        for (int q = 0; r->prof && q < SCN_PQ_COUNT; q++)
            if (r->prof->ch[q].used && r->prof->ch[q].csv.rows > stats->profile_rows)
                stats->profile_rows = r->prof->ch[q].csv.rows;
        if (r->prof)
            stats->profile_samples_peak = r->prof->samples_held_peak;
        if (r->can)
            stats->can_frames = r->can->sent;
        for (int q = 0; q < SCN_CMP_COUNT; q++)
            stats->compare[q] = r->stat[q];
    }
    if (r->prof)
        scn_profile_close(r->prof);
    if (r->can)
        scn_canlog_close(r->can);
    free(r->prof);
    free(r->can);
    free(r);
}
