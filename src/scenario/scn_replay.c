/* scn_replay: the runner's one hook for field logs (gtx/scn_replay.h): the
 * profile player and the CAN log player side by side.
 */
#include "gtx/scn_replay.h"

#include <stdio.h>
#include <stdlib.h>

#include "gtx/scn_canlog.h"
#include "gtx/scn_profile.h"

struct scn_replay {
    struct scn_profile *prof; /* NULL: no profile */
    struct scn_canlog *can;   /* NULL: no CAN log */
};

int scn_replay_open(const struct scn_scenario *scn, struct scn_replay **out, char *err,
                    size_t err_len)
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
    *out = r;
    return 0;
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
    }
    if (r->prof)
        scn_profile_close(r->prof);
    if (r->can)
        scn_canlog_close(r->can);
    free(r->prof);
    free(r->can);
    free(r);
}
