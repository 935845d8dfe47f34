/* scn_run.h: runs a loaded scenario on the simulator: builds the system,
 * plays the timeline, checks the expectations, writes the trace, the candump
 * log and the JUnit cases. `gtxsim run` and the tests call it; the window uses
 * the same setup and timeline (scn_setup, scn_timeline_*) at its own pace.
 */
#ifndef GTX_SCN_RUN_H
#define GTX_SCN_RUN_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "gtx/cell.h"
#include "gtx/pack.h"
#include "gtx/scenario.h"
#include "gtx/scn_replay.h"
#include "gtx/sim.h"

struct bms_config; /* the firmware's table (gtx/sim.h: sim_table_*), opaque here */

struct scn_run_opts {
    FILE *trace;           /* NULL: no trace */
    double every_s;        /* trace sample period (default 1 s) */
    bool cells;            /* per-cell trace columns */
    bool thermal;          /* case, MOSFET and NTC trace columns */
    FILE *candump;         /* NULL: no CAN log */
    FILE *compare;         /* NULL: no comparison CSV (docs/replay.md, "Comparison") */
    double until_s;        /* stop early (0: the scenario's duration) */
    double speed;          /* 0: as fast as possible; else times real time */
    bool quiet;            /* only failures */
    bool progress;         /* a progress bar on stderr */
    FILE *log;             /* failures and notes (stderr when NULL) */
    const struct bms_config *bms_cfg; /* NULL: the firmware's default table */
    bool reference_tick;   /* every 10 ms tick runs (SIM_TICK_REFERENCE), not tickless */
    bool fixed_plant;      /* every 10 ms tick and the plant every 100 ms, never lagging
                            * (SIM_TICK_FIXED_PLANT, the physics' reference) */
    /* Hooks for the outside ports (src/bridge): called once the simulator is set
     * up, after every tick, and before it is torn down. */
    void (*on_start)(void *ctx, struct sim *s);
    void (*on_tick)(void *ctx, struct sim *s);
    void (*on_end)(void *ctx, struct sim *s);
    void *hook_ctx;
    /* With on_tick: false (the default), every 10 ms tick runs and on_tick follows each
     * (an outside port paces the simulation); true, the run keeps its time mode and
     * on_tick follows each instant it visits (gtxsim bench's runs taking turns). */
    bool on_tick_instants;
    /* Polled every tick when not NULL: once it is non-zero (the signal that
     * asked to stop), the run ends after the present tick and the
     * expectations not yet decided are "interrupted". */
    const atomic_int *stop;
};

/* One expectation's outcome (a JUnit testcase). */
struct scn_outcome {
    char label[160];       /* "expect[3] (at 2h, pack 1)" */
    bool passed;
    bool skipped;          /* --until stopped the run before its instant */
    bool interrupted;      /* undecided when a signal stopped the run (message says when) */
    char message[512];     /* the failure line when it failed, or why it was interrupted */
    uint64_t settled_ms;   /* the simulated instant it passed or failed at */
};

struct scn_run_result {
    int passed, failed;
    int skipped;           /* not reached: the run was stopped early (--until) */
    int interrupted;       /* undecided when a signal stopped the run */
    int stop_signal;       /* that signal (opts.stop's value), 0 when it ran to its end */
    int outcome_count;
    struct scn_outcome *outcomes; /* one per expectation, in file order; free with scn_run_free */
    int pack_count;
    struct pack_energy energy[SIM_MAX_PACKS]; /* each pack's books at the end (J) */
    struct scn_replay_stats replay; /* what the field logs played (docs/replay.md) */
    /* Evaluations of an expectation's checks (one expectation at one instant):
     * each is evaluated only when something it reads changed or its instant came. */
    uint64_t expect_evals;
    double sim_s;          /* simulated seconds run */
    double wall_s;
};

/* Builds the simulator's configuration from a scenario (the same for the runner
 * and the window). cell must outlive the simulation. */
void scn_sim_config(const struct scn_scenario *scn, const struct cell_params *cell,
                    const struct bms_config *bms_cfg, struct sim_config *out);

/* Plays the scenario's events up to and including time t_ms: the part of the
 * timeline the window shares with the runner. */
struct scn_timeline {
    const struct scn_scenario *scn;
    int next_event;
    uint64_t release_ms[SIM_MAX_PACKS]; /* pending button releases; 0: none */
    FILE *log;
};
void scn_timeline_init(struct scn_timeline *tl, const struct scn_scenario *scn, FILE *log);
void scn_timeline_apply(struct scn_timeline *tl, struct sim *s);
/* When the timeline has something to do next (ms; UINT64_MAX: nothing more). */
uint64_t scn_timeline_next_ms(const struct scn_timeline *tl, const struct sim *s);
/* Applies one event now (also used by the window for its own controls). */
void scn_apply_event(struct scn_timeline *tl, struct sim *s, const struct scn_event *ev);

/* Runs one scenario. Returns 0 when it ran (see result for the expectations),
 * -1 on an internal error (message in err). */
int scn_run(const struct scn_scenario *scn, const struct cell_params *cell,
            const struct scn_run_opts *opts, struct scn_run_result *result, char *err,
            size_t err_len);
void scn_run_free(struct scn_run_result *result);

#endif
