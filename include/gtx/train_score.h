/* train_score.h: scores an attempt at an exercise (docs/training.md, "Scoring").
 * The attempt's actions are played on the exercise's scenario through the
 * headless runner to the scenario's end; it passes when every success
 * expectation holds, whatever the actions were. The score then loses points
 * for the simulated time taken, the hints revealed and harmful actions, which
 * are found from what they did to the system. No window, no wall clock.
 */
#ifndef GTX_TRAIN_SCORE_H
#define GTX_TRAIN_SCORE_H

#include <stdbool.h>
#include <stdio.h>

#include "gtx/cell.h"
#include "gtx/scn_run.h"
#include "gtx/training.h"

#define TRN_TIME_POINTS 20.0 /* taking the whole time limit costs this much */
#define TRN_MAX_HARMS 32
#define TRN_RESTART_WATCH_S 1800.0 /* a restarted pack's old trouble back within this: harmful */
#define TRN_SOC_GAP_PCT 15.0       /* joining packs further apart than this is unprepared */

struct trn_harm {
    enum trn_harm_kind kind;
    double at_s;
    int pack; /* 1-4 */
    double cost;
    char text[200];
};

/* One line of the timeline: a trainee action or a change of the system. */
struct trn_line {
    double at_s;
    bool action; /* the trainee did it; else the system changed */
    int repeats; /* the same change again within minutes (chatter), not listed */
    char text[200];
};

struct trn_score {
    bool passed;
    double score;          /* 0-100; 0 when it did not pass */
    double taken_s;        /* when the trainee was done */
    double time_points, hint_points, harm_points; /* what was taken off */
    int harm_count;
    struct trn_harm harm[TRN_MAX_HARMS];
    struct scn_run_result run; /* one outcome per success expectation */
    int line_count;
    struct trn_line *lines; /* the timeline, in time order */
};

/* Replays attempt a on exercise ex (loaded with its training block). 0, or -1
 * with the message in err. */
int trn_score(const struct scn_scenario *ex, const struct cell_params *cell,
              const struct trn_attempt *a, struct trn_score *out, char *err, size_t err_len);
void trn_score_free(struct trn_score *s);

/* An attempt made of a list of actions (the solution, a wrong fix, none),
 * done at the last action: for checking an exercise. The actions are borrowed. */
void trn_attempt_of(const struct scn_scenario *ex, const struct trn_actions *acts,
                    struct trn_attempt *out);

/* The result as text: the pass/fail line, the score and its deductions, the
 * failed success expectations, the harmful actions; with timeline, every line. */
void trn_score_print(FILE *f, const struct scn_scenario *ex, const struct trn_attempt *a,
                     const struct trn_score *s, bool timeline);

#endif
