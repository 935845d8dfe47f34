/* scn_replay.h: what the runner plays from field logs, behind one small hook:
 * the scenario's "profile" (gtx/scn_profile.h) and "can_log"
 * (gtx/scn_canlog.h). The runner opens it once, calls it before each tick's
 * events, and may jump to scn_replay_next_change_ms: nothing it plays
 * changes in between.
 */
#ifndef GTX_SCN_REPLAY_H
#define GTX_SCN_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gtx/scenario.h"
#include "gtx/scn_compare.h"

struct sim;
struct scn_replay;

/* Counters for the run's result (docs/replay.md, "Streaming and memory"). */
struct scn_replay_stats {
    uint64_t profile_rows;         /* CSV rows the profile read */
    uint64_t profile_samples_peak; /* the most samples it held at once */
    uint64_t can_frames;           /* frames the CAN log put on the bus */
    struct scn_compare_stat compare[SCN_CMP_COUNT]; /* the logged SOC, V, I against the run */
};

/* *out is NULL when the scenario has neither key. compare (NULL: none) gets
 * the comparison's CSV when the profile has logged values; log (NULL: none)
 * a line each time the inverter meets a limit that keeps it from following
 * the profile, and when it follows again. 0, or -1 with the message. */
int scn_replay_open(const struct scn_scenario *scn, FILE *compare, FILE *log,
                    struct scn_replay **out, char *err, size_t err_len);
/* Sets what is due at t_ms (the inverter's set-point, the room, CAN frames). */
int scn_replay_apply(struct scn_replay *r, struct sim *s, uint64_t t_ms, char *err,
                     size_t err_len);
/* After the tick at t_ms: the simulation against each logged sample that
 * came due at this tick, and the inverter's limits. */
void scn_replay_observe(struct scn_replay *r, const struct sim *s, uint64_t t_ms);
/* The trace's `limit` column (docs/replay.md, "When a limit intervenes"): the
 * name of the limit that keeps the inverter from the profile's set-point
 * after the last step ("ccl", "min_soc", ...), "" when it follows it, when
 * the profile says nothing (a gap) or when there is no profile. */
const char *scn_replay_limit(const struct scn_replay *r, const struct sim *s);
/* The next instant something it plays changes (UINT64_MAX: never). */
uint64_t scn_replay_next_change_ms(const struct scn_replay *r);
/* Closes it (NULL is fine), with its counters into stats when not NULL. */
void scn_replay_close(struct scn_replay *r, struct scn_replay_stats *stats);

#endif
