/* cmd_bench_run: one measured run, and two taking turns on two threads (only one of
 * them runs at any time: a baton under a mutex says whose turn it is).
 */
#include "cmd_bench_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#include "gtx/scn_run.h"
#include "gtx/scenario.h"
#include "gtx/sim.h"

/* This thread's CPU time: the other processes of a shared machine do not count, and
 * neither does the other run while this one waits for its turn. */
static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_rtf(const struct bench_run *r)
{
    return r->cpu_s > 0.0 ? r->sim_s / r->cpu_s : 0.0;
}

static int run_job(struct bench_job *job, const struct cell_params *cell,
                   const atomic_int *stop, void (*on_instant)(void *, struct sim *),
                   void *ctx)
{
    char err[SCN_ERR_MAX];
    struct scn_scenario scn;
    memset(&job->out, 0, sizeof job->out);
    job->rc = -1;
    if (!job->text || scn_load_text(job->name, job->text, strlen(job->text), &scn, err,
                                    sizeof err) != 0) {
        fprintf(stderr, "%s\n", job->text ? err : "gtxsim bench: error: out of memory");
        free(job->text);
        job->text = NULL;
        return -1;
    }
    struct scn_run_opts o = {.every_s = 1.0, .quiet = true, .stop = stop,
                             .reference_tick = job->reference, .until_s = job->until_s,
                             .on_tick = on_instant, .on_tick_instants = true, .hook_ctx = ctx};
    struct scn_run_result res;
    double cpu0 = thread_cpu_s();
    int rc = scn_run(&scn, cell, &o, &res, err, sizeof err);
    double cpu_s = thread_cpu_s() - cpu0;
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
    } else {
        job->out = (struct bench_run){res.sim_s, cpu_s, res.failed, res.stop_signal};
        scn_run_free(&res);
        job->rc = 0;
    }
    scn_free(&scn);
    free(job->text);
    job->text = NULL;
    return job->rc;
}

int bench_run_job(struct bench_job *job, const struct cell_params *cell,
                  const atomic_int *stop)
{
    return run_job(job, cell, stop, NULL, NULL);
}

/* ---- two runs taking turns ---------------------------------------------------------- */

struct baton {
    mtx_t lock;
    cnd_t passed;
    int turn;     /* the job whose turn it is */
    bool done[2]; /* a job that ended keeps the turn from coming back to it */
};

struct side {
    struct baton *baton;
    int me;
    double part_s, next_s; /* its present part ends once its simulated time reaches next_s */
    int part;              /* parts ended */
    double part_cpu0_s;    /* the thread's CPU time when its present part began */
    struct bench_job *job;
    const struct cell_params *cell;
    const atomic_int *stop;
};

static void wait_turn(struct baton *b, int me)
{
    mtx_lock(&b->lock);
    while (b->turn != me)
        cnd_wait(&b->passed, &b->lock);
    mtx_unlock(&b->lock);
}

static void hand_over(struct baton *b, int me, bool done)
{
    mtx_lock(&b->lock);
    if (done)
        b->done[me] = true;
    if (!b->done[1 - me])
        b->turn = 1 - me;
    cnd_broadcast(&b->passed);
    mtx_unlock(&b->lock);
}

static void turn_begins(struct side *sd)
{
    wait_turn(sd->baton, sd->me);
    sd->part_cpu0_s = thread_cpu_s();
}

/* A part ends: its CPU time is kept; the next one begins at once. */
static void part_ends(struct side *sd)
{
    struct bench_job *job = sd->job;
    double now_s = thread_cpu_s();
    if (job->part_cpu_s && job->parts < job->part_cap)
        job->part_cpu_s[job->parts++] = now_s - sd->part_cpu0_s;
    else if (job->part_cpu_s)
        job->parts_lost++;
    sd->part++;
    sd->part_cpu0_s = now_s;
}

/* The runner's hook after each instant: at the end of a part, its CPU time; at the end
 * of a turn's last part, the other job's turn. */
static void at_instant(void *ctx, struct sim *s)
{
    struct side *sd = ctx;
    if (sim_time_s(s) < sd->next_s)
        return;
    while (sd->next_s <= sim_time_s(s))
        sd->next_s += sd->part_s;
    part_ends(sd);
    int per_turn = sd->job->parts_per_turn > 1 ? sd->job->parts_per_turn : 1;
    if (sd->part % per_turn == 0) {
        hand_over(sd->baton, sd->me, false);
        turn_begins(sd);
    }
}

static int side_main(void *arg)
{
    struct side *sd = arg;
    sd->job->parts = sd->job->parts_lost = 0;
    turn_begins(sd);
    run_job(sd->job, sd->cell, sd->stop, at_instant, sd);
    part_ends(sd);
    hand_over(sd->baton, sd->me, true);
    return 0;
}

int bench_run_turns(struct bench_job jobs[2], const struct cell_params *cell, double turn_s,
                    const atomic_int *stop)
{
    struct baton b = {.turn = 0};
    if (mtx_init(&b.lock, mtx_plain) != thrd_success)
        return -1;
    if (cnd_init(&b.passed) != thrd_success) {
        mtx_destroy(&b.lock);
        return -1;
    }
    struct side sides[2];
    thrd_t th[2];
    int started = 0;
    for (int k = 0; k < 2; k++) {
        int parts = jobs[k].parts_per_turn > 1 ? jobs[k].parts_per_turn : 1;
        sides[k] = (struct side){.baton = &b, .me = k, .part_s = turn_s / parts,
                                 .next_s = turn_s / parts, .job = &jobs[k], .cell = cell,
                                 .stop = stop};
        if (thrd_create(&th[k], side_main, &sides[k]) != thrd_success)
            break;
        started++;
    }
    if (started < 2) { /* the one started runs alone: the other's turn never comes */
        hand_over(&b, 1, true);
        for (int k = started; k < 2; k++) {
            free(jobs[k].text);
            jobs[k].text = NULL;
            jobs[k].rc = -1;
        }
    }
    for (int k = 0; k < started; k++)
        thrd_join(th[k], NULL);
    cnd_destroy(&b.passed);
    mtx_destroy(&b.lock);
    if (started < 2) {
        fprintf(stderr, "gtxsim bench: error: could not start a thread for %s\n",
                jobs[started].name);
        return -1;
    }
    return jobs[0].rc == 0 && jobs[1].rc == 0 ? 0 : -1;
}
