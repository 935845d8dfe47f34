/* training.h: troubleshooting exercises (docs/training.md). An exercise is a
 * scenario with a "training" block: what the customer reported, the hidden
 * cause, hints, the success condition as ordinary expectations, a time limit,
 * a recorded reference solution and plausible wrong fixes. An attempt is the
 * list of actions a trainee took (scenario events with their simulated times),
 * the hints used and when the trainee said "done"; trn_score() replays it.
 */
#ifndef GTX_TRAINING_H
#define GTX_TRAINING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gtx/scenario.h"

#define TRN_ATTEMPT_FORMAT "gtxsim-attempt/1"
#define TRN_MAX_HINTS 8
#define TRN_MAX_ACTIONS 512 /* per attempt: far more than a trainee clicks in an hour */

/* Harmful actions, detected from what they did to the system (train_score.c). */
#define TRN_HARM_LIST(X)                                                                    \
    X(RESTART_IN_FAULT, "restart_in_fault", 15.0)                                           \
    X(SOC_GAP_CONNECT, "soc_gap_connect", 20.0)                                             \
    X(NEEDLESS_RESTART, "needless_restart", 10.0)

enum trn_harm_kind {
#define X(id, name, cost) TRN_HARM_##id,
    TRN_HARM_LIST(X)
#undef X
    TRN_HARM_COUNT
};

const char *trn_harm_name(enum trn_harm_kind kind);
double trn_harm_default_cost(enum trn_harm_kind kind);

struct trn_hint {
    char *text;
    double cost; /* score points */
};

/* A named list of trainee actions (the reference solution, a wrong fix). */
struct trn_actions {
    char *name;
    int count;
    struct scn_event *events; /* sorted by time */
};

struct scn_training {
    char *title;
    char *brief;  /* what the customer reported: shown to the trainee */
    char *cause;  /* hidden until the end */
    double time_limit_s;
    int hint_count;
    struct trn_hint hints[TRN_MAX_HINTS];
    int success_count;
    struct scn_expect *success;            /* must all hold (ordinary expectations) */
    double harm_cost[TRN_HARM_COUNT];      /* points per harmful action */
    struct trn_actions solution;
    int wrong_count;
    struct trn_actions *wrong;
};

/* Frees what scn_load made for a training block (NULL is fine). */
void scn_training_free(struct scn_training *t);

/* ---- attempts ---- */

struct trn_attempt {
    char *exercise;  /* the exercise's name, as written in the attempt */
    char *trainee;   /* "" when not given */
    int hint_count;  /* hints revealed */
    double hint_at_s[TRN_MAX_HINTS];
    double done_s;   /* when the trainee said done (the time limit when not given) */
    int action_count;
    struct scn_event *actions; /* sorted by time */
};

/* Loads an attempt file for exercise ex (whose packs, cables and duration its
 * actions are checked against). 0, or -1 with "FILE:LINE:COL: error: ...". */
int trn_attempt_load(const char *path, const struct scn_scenario *ex, struct trn_attempt *out,
                     char *err, size_t err_len);
void trn_attempt_free(struct trn_attempt *a);

/* Writes the attempt as JSON (the format trn_attempt_load reads). 0 or -1. */
int trn_attempt_write(FILE *f, const struct trn_attempt *a);

/* One action as a JSON event object on one line ({"at": "1m", "do": ...}). */
int trn_action_format(char *buf, size_t len, const struct scn_event *ev);

#endif
