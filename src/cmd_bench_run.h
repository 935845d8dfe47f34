/* cmd_bench_run: gtxsim bench's measured runs of a scenario text through the runner,
 * one at a time or two taking turns (docs/performance.md, "Figure 4: two runs taking
 * turns"). The CPU time counted is the running thread's.
 */
#ifndef GTX_CMD_BENCH_RUN_H
#define GTX_CMD_BENCH_RUN_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "gtx/cell.h"

struct bench_run {
    double sim_s, cpu_s;
    int failed;
    int stop_signal;
};

/* A scenario run, measured. */
struct bench_job {
    const char *name; /* the file name its messages give it */
    char *text;       /* the scenario (JSON); the run frees it */
    bool reference;   /* --tick 10ms */
    double until_s;   /* 0: the whole scenario */
    struct bench_run out;
    int rc;           /* 0, or -1 when it could not run (the message is printed) */
    /* Taking turns (bench_run_turns): each turn is parts_per_turn parts of equal
     * simulated time (0 or 1: one), and when part_cpu_s is not NULL the CPU time of
     * each part is kept there in order (the first also sets up, the last also ends),
     * up to part_cap of them; parts says how many, parts_lost how many more there were.
     * The parts end at the same instants in every run of one scenario, so each part's
     * work is the same every time. */
    int parts_per_turn;
    double *part_cpu_s;
    int part_cap, parts, parts_lost;
};

/* Runs job through the runner on this thread: 0, or -1 after its message. */
int bench_run_job(struct bench_job *job, const struct cell_params *cell,
                  const atomic_int *stop);

/* Runs two jobs taking turns: each on its own thread, one at a time, handing over
 * after every turn_s simulated seconds of its own, so that both see the same spells
 * of a machine whose speed drifts; each job's cpu_s is its own thread's. 0, or -1
 * when the threads could not be started (or either job's rc). */
int bench_run_turns(struct bench_job jobs[2], const struct cell_params *cell, double turn_s,
                    const atomic_int *stop);

/* Simulated seconds per CPU second. */
double bench_rtf(const struct bench_run *r);

#endif
