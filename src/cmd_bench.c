/* cmd_bench: `gtxsim bench [--packs N] [--days D]` (docs/spec/CLI.md): simulates a
 * standard PV/house-load day for 1-4 packs as fast as it can and prints the
 * real-time factor and the cost of one pack-tick (docs/performance.md).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "cmd_common.h"
#include "cmd_signal.h"
#include "gtx/scn_run.h"
#include "gtx/scenario.h"
#include "gtx/sim_view.h"

#define BENCH_DAY_S 86400.0
#define BENCH_MAX_DAYS 400.0 /* the scenario limit of docs/spec/SCENARIO.md */

/* The standard day, per pack (the inverter's power scales with the pack
 * count so every pack sees the same day): a night-time base load, an idle
 * dawn, PV charging that fills the 2.56 kWh pack before noon and then leaves it
 * full and idle, an evening house load. The loads and the inverter's standby
 * draw take about 80 % of a pack, the PV puts it back, so days can repeat.
 * Power > 0 charges the battery. */
static const struct bench_step {
    double at_h;
    double power_w; /* 0: idle */
} bench_day[] = {
    {0.0, -100.0},  /* night: fridge, router, standby */
    {6.0, 0.0},     /* dawn: nothing */
    {7.0, 400.0},   /* morning PV */
    {9.0, 900.0},   /* midday PV, more than the pack takes near full: CC, CV, full */
    {13.0, 400.0},  /* afternoon PV */
    {15.0, 0.0},    /* late afternoon: full and idle */
    {18.0, -300.0}, /* evening: cooking, lights, TV */
    {22.0, -100.0}, /* night again */
};
#define BENCH_START_SOC_PCT 42 /* where the day above leaves the pack at midnight */

struct bench_args {
    int packs;
    double days;
    int soc_pct; /* where the day starts */
    bool print_scenario;
};

static void bench_usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim bench [--packs N] [--days D]\n"
            "Simulates a standard 24 h day (night load, PV charge to full, idle, evening\n"
            "load) for N packs (1-4, default 1) over D days (default 1, fractions allowed)\n"
            "as fast as possible, twice: the simulator alone, then through the scenario\n"
            "runner with the day's expectations. Prints the real-time factor (simulated\n"
            "seconds per wall second), ns per tick and ns per pack-tick.\n\n"
            "  --packs N      packs in parallel on the bus (1-4)\n"
            "  --days D       simulated days (default 1)\n"
            "  --soc PCT      the packs' SOC at midnight (0-100, default 42, where the day\n"
            "                 leaves them; near 0 the night load trips under-voltage)\n"
            "  --scenario     print the day as a scenario file and exit (to run it with\n"
            "                 gtxsim run --trace and look at it)\n\n"
            "Exit status: 0 the day's expectations held, 1 one or more failed, 2 bad\n"
            "usage; 130/143 stopped by SIGINT/SIGTERM (the figures so far are printed).\n");
}

static int parse_args(int argc, char **argv, struct bench_args *a)
{
    memset(a, 0, sizeof *a);
    a->packs = 1;
    a->days = 1.0;
    a->soc_pct = BENCH_START_SOC_PCT;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            bench_usage(stdout);
            return 1;
        } else if (strcmp(o, "--scenario") == 0) {
            a->print_scenario = true;
        } else if (strcmp(o, "--packs") == 0) {
            long n;
            if (!cmd_whole_number(val, 1, SIM_MAX_PACKS, &n))
                return cmd_usage_error("bench", "--packs needs a number from 1 to %d (got '%s')",
                                       SIM_MAX_PACKS, val ? val : "");
            a->packs = (int)n;
            i++;
        } else if (strcmp(o, "--soc") == 0) {
            long n;
            if (!cmd_whole_number(val, 0, 100, &n))
                return cmd_usage_error("bench", "--soc needs a whole percentage from 0 to 100 "
                                       "(got '%s')", val ? val : "");
            a->soc_pct = (int)n;
            i++;
        } else if (strcmp(o, "--days") == 0) {
            double d = val ? strtod(val, &end) : 0.0;
            if (!val || *end || !(d * BENCH_DAY_S >= 1.0) || d > BENCH_MAX_DAYS)
                return cmd_usage_error("bench", "--days needs a number of days from 1 s "
                                       "to %.0f days (got '%s')", BENCH_MAX_DAYS,
                                       val ? val : "");
            a->days = d;
            i++;
        } else {
            return cmd_usage_error("bench", "unknown argument '%s'", o);
        }
    }
    return 0;
}

/* A growing text buffer for the scenario. */
struct text {
    char *buf;
    size_t len, cap;
    bool failed;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
    for (;;) {
        if (t->failed)
            return;
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = true;
            return;
        }
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = (t->cap + (size_t)n) * 2;
        char *b = realloc(t->buf, cap);
        if (!b) {
            t->failed = true;
            return;
        }
        t->buf = b;
        t->cap = cap;
    }
}

/* The day as a scenario: the same text gtxsim run would read from a file. */
static char *bench_scenario_text(int packs, double days, int soc_pct)
{
    struct text t = {.cap = 4096};
    if (!(t.buf = malloc(t.cap)))
        return NULL;
    double duration_s = days * BENCH_DAY_S;
    put(&t, "{\n  \"format\": \"gtxsim-scenario/1\",\n  \"name\": \"bench-day\",\n"
            "  \"description\": \"gtxsim bench: %d pack(s), night load, PV to full, "
            "evening load\",\n  \"start\": \"2026-06-21T00:00:00\",\n"
            "  \"duration\": %.3f,\n  \"packs\": [", packs, duration_s);
    for (int p = 0; p < packs; p++)
        put(&t, "%s{\"soc\": %d}", p ? ", " : "", soc_pct);
    put(&t, "],\n  \"events\": [");
    const char *sep = "\n";
    size_t steps = sizeof bench_day / sizeof bench_day[0];
    for (int d = 0; d < (int)ceil(days); d++) {
        for (size_t k = 0; k < steps; k++) {
            double at_s = d * BENCH_DAY_S + bench_day[k].at_h * 3600.0;
            if (at_s >= duration_s)
                break;
            if (bench_day[k].power_w == 0.0)
                put(&t, "%s    {\"at\": %.0f, \"do\": \"inverter\", \"idle\": true}", sep, at_s);
            else
                put(&t, "%s    {\"at\": %.0f, \"do\": \"inverter\", \"power_w\": %.0f}", sep,
                    at_s, bench_day[k].power_w * packs);
            sep = ",\n";
        }
    }
    /* What a healthy day keeps true, checked every tick as a scenario would. */
    put(&t, "\n  ],\n  \"expect\": [\n");
    for (int p = 1; p <= packs; p++)
        put(&t, "    {\"pack\": %d, \"protect\": \"none\", \"fault\": \"none\", "
                "\"cell_v_max\": [2.5, 3.65]},\n", p);
    put(&t, "    {\"pack\": \"system\", \"can\": {\"protect\": []}}\n  ]\n}\n");
    if (t.failed) {
        free(t.buf);
        return NULL;
    }
    return t.buf;
}

static double wall_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The simulator alone: the timeline and sim_step, nothing observed. */
static int run_sim_only(const struct scn_scenario *scn, const struct cell_params *cell,
                        const volatile sig_atomic_t *stop, double *sim_s, double *wall_s,
                        uint64_t *ticks)
{
    struct sim_config cfg;
    scn_sim_config(scn, cell, NULL, &cfg);
    struct sim *s = sim_new(&cfg);
    if (!s)
        return -1;
    struct scn_timeline tl;
    scn_timeline_init(&tl, scn, NULL);
    uint64_t end_ms = (uint64_t)llround(scn->duration_s * 1000.0);
    double t0 = wall_now_s();
    while (sim_view_now_ms(s) < end_ms && !*stop) {
        scn_timeline_apply(&tl, s);
        sim_step(s);
    }
    *wall_s = wall_now_s() - t0;
    *sim_s = sim_time_s(s);
    *ticks = sim_view_ticks(s);
    sim_free(s);
    return 0;
}

static void print_pass(const char *what, double sim_s, double wall_s, uint64_t ticks,
                       int packs)
{
    double ns_tick = ticks ? wall_s * 1e9 / (double)ticks : 0.0;
    printf("%s\n", what);
    printf("  real-time factor   %.0fx (simulated seconds per wall second)\n",
           wall_s > 0.0 ? sim_s / wall_s : 0.0);
    printf("  ns per tick        %.0f (one 10 ms tick of the whole system)\n", ns_tick);
    printf("  ns per pack-tick   %.0f\n", ns_tick / packs);
    printf("  wall time          %.3f s for %llu ticks\n", wall_s, (unsigned long long)ticks);
}

int cmd_bench(int argc, char **argv)
{
    struct bench_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0)
        return rc > 0 ? GTX_EXIT_OK : GTX_EXIT_USAGE;

    char err[SCN_ERR_MAX];
    char *text = bench_scenario_text(a.packs, a.days, a.soc_pct);
    struct cell_params *cell = calloc(1, sizeof *cell);
    struct scn_scenario scn;
    bool loaded = false;
    int status = GTX_EXIT_INTERNAL;
    if (!text || !cell)
        goto out;
    if (a.print_scenario) {
        fputs(text, stdout);
        status = GTX_EXIT_OK;
        goto out;
    }
    if (scn_load_text("bench-day.json", text, strlen(text), &scn, err, sizeof err) != 0 ||
        cmd_load_default_cell(cell, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    loaded = true;

    double sim_s = scn.duration_s, wall_sim = 0.0;
    uint64_t ticks = 0;
    printf("gtxsim bench: %d pack%s, %g day%s (%.0f s simulated), firmware tick %u ms\n",
           a.packs, a.packs > 1 ? "s" : "", a.days, a.days == 1.0 ? "" : "s", sim_s,
           SIM_TICK_MS);
    const volatile sig_atomic_t *stop = cmd_stop_signals();
    double sim_only_s = 0.0;
    if (run_sim_only(&scn, cell, stop, &sim_only_s, &wall_sim, &ticks) != 0) {
        fprintf(stderr, "gtxsim bench: error: the simulator could not be set up\n");
        goto out;
    }
    print_pass("simulator (timeline and sim_step):", sim_only_s, wall_sim, ticks, a.packs);
    if (*stop) {
        printf("interrupted by %s at simulated time %.2f s of the first pass\n",
               cmd_stop_name(*stop), sim_only_s);
        status = cmd_stop_status(*stop);
        goto out;
    }

    struct scn_run_opts o = {.every_s = 1.0, .quiet = true, .stop = stop};
    struct scn_run_result res;
    if (scn_run(&scn, cell, &o, &res, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    uint64_t run_ticks = (uint64_t)llround(res.sim_s * 1000.0) / SIM_TICK_MS + 1;
    if (run_ticks > ticks)
        run_ticks = ticks;
    print_pass("runner (gtxsim run: the same, with the day's expectations every tick):",
               res.sim_s, res.wall_s, run_ticks, a.packs);
    printf("  expectations       %d passed, %d failed (%.0f ns per tick)\n", res.passed,
           res.failed, ticks ? (res.wall_s - wall_sim) * 1e9 / (double)ticks : 0.0);
    /* A benchmark of a day that went wrong measures the wrong thing: say so. */
    status = res.failed ? GTX_EXIT_FAILED : GTX_EXIT_OK;
    if (res.stop_signal) {
        printf("interrupted by %s at simulated time %.2f s of the second pass (%d not "
               "decided)\n", cmd_stop_name(res.stop_signal), res.sim_s, res.interrupted);
        status = cmd_stop_status(res.stop_signal);
    }
    scn_run_free(&res);
out:
    if (loaded)
        scn_free(&scn);
    free(cell);
    free(text);
    return status;
}
