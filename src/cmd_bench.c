/* cmd_bench: `gtxsim bench [--packs N] [--days D]` (docs/spec/CLI.md): simulates a
 * standard PV/house-load day for 1-4 packs as fast as it can and prints the
 * real-time factor and the cost of one pack-tick (docs/performance.md).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "cmd_common.h"
#include "cmd_bench_run.h"
#include "cmd_signal.h"
#include "gtx/scn_run.h"
#include "gtx/scenario.h"
#include "gtx/sim_view.h"
#include "gtx/text_buf.h"

#define BENCH_DAY_S 86400.0
#define BENCH_MONTH_DAYS 30.0 /* figure 2 */
#define BENCH_YEAR_DAYS 365.0 /* figure 3 */
#define BENCH_MAX_DAYS 400.0 /* the scenario limit of docs/spec/SCENARIO.md */
#define BENCH_REPEAT 3        /* the five figures' runs of each scenario, by default */
#define BENCH_MAX_REPEAT 100

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
    const char *scenario_of; /* --scenario NAME: day (default), month or year */
    bool day_only;       /* --packs/--days/--soc given: the standard day's two passes */
    bool reference_tick; /* --tick 10ms (the day's two passes) */
    double scale;        /* the five figures: each span times this */
    int repeat;          /* the five figures: runs of each, the fastest counts */
};

static void bench_usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim bench [--scale F] [--repeat N]\n"
            "       gtxsim bench [--packs N] [--days D] [--soc PCT] [--tick 10ms]\n"
            "Without --packs, --days or --soc: five figures, each a ratio measured in one run,\n"
            "tickless and, beside it, in the reference mode (--tick 10ms): the standard day\n"
            "for 1 pack through the runner, a month in standby with CAN running, a shut-down\n"
            "year in storage (real-time factors), 4 packs against 1 (cost ratio), and the\n"
            "CPU time per simulated second (instructions: tests/perf/instructions.sh).\n"
            "The figures are simulated seconds per CPU second of the thread that ran them,\n"
            "figures 1-3 each from the fastest of N runs of its scenario (the figures taking\n"
            "turns; default 3), figure 4 from N pairs of a 1-pack and a 4-pack day run taking\n"
            "turns in one process (docs/performance.md).\n"
            "The reference mode runs a shorter stretch of the long spans.\n\n"
            "With them: the standard 24 h day (night load, PV charge to full, idle, evening\n"
            "load) for N packs (1-4, default 1) over D days (default 1, fractions allowed)\n"
            "as fast as possible, twice: the simulator alone, then through the scenario\n"
            "runner with the day's expectations. Prints the real-time factor (simulated\n"
            "seconds per wall second), ns per instant and ns per pack-instant.\n\n"
            "  --scale F      the five figures: every simulated span times F (0 < F <= 1)\n"
            "  --repeat N     the five figures: runs of each scenario (1-100, default 3)\n"
            "  --packs N      packs in parallel on the bus (1-4)\n"
            "  --days D       simulated days (default 1)\n"
            "  --tick 10ms    the day in the reference mode (every 10 ms tick)\n"
            "  --soc PCT      the packs' SOC at midnight (0-100, default 42, where the day\n"
            "                 leaves them; near 0 the night load trips under-voltage)\n"
            "  --scenario [day|month|year]\n"
            "                 print that figure's scenario file and exit (default the day,\n"
            "                 with --packs/--days/--soc; to run it with gtxsim run --trace\n"
            "                 and look at it, or under a profiler)\n\n"
            "Exit status: 0 the day's expectations held, 1 one or more failed, 2 bad\n"
            "usage; 130/143 stopped by SIGINT/SIGTERM (the figures so far are printed).\n");
}

static const struct bench_figure *figure_of_key(const char *key);

static int parse_args(int argc, char **argv, struct bench_args *a)
{
    memset(a, 0, sizeof *a);
    a->packs = 1;
    a->days = 1.0;
    a->soc_pct = BENCH_START_SOC_PCT;
    a->scale = 1.0;
    a->repeat = BENCH_REPEAT;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *val = cmd_option_value(argc, argv, i);
        if (cmd_help(o, bench_usage))
            return 1;
        if (strcmp(o, "--scenario") == 0) {
            a->print_scenario = true;
            if (val && figure_of_key(val)) {
                a->scenario_of = val;
                i++;
            }
        } else if (strcmp(o, "--repeat") == 0) {
            long n;
            if (!cmd_whole_number(val, 1, BENCH_MAX_REPEAT, &n))
                return cmd_usage_error("bench", "--repeat needs a number from 1 to %d (got '%s')",
                                       BENCH_MAX_REPEAT, val ? val : "");
            a->repeat = (int)n;
            i++;
        } else if (strcmp(o, "--scale") == 0) {
            double f;
            if (!cmd_number(val, &f) || !(f > 0.0 && f <= 1.0))
                return cmd_usage_error("bench", "--scale needs a number above 0, at most 1 "
                                       "(got '%s')", val ? val : "");
            a->scale = f;
            i++;
        } else if (strcmp(o, "--tick") == 0) {
            if (!val || (strcmp(val, "10ms") != 0 && strcmp(val, "auto") != 0))
                return cmd_usage_error("bench", "--tick takes 10ms (the reference mode) or "
                                       "auto (got '%s')", val ? val : "");
            a->reference_tick = strcmp(val, "10ms") == 0;
            a->day_only = true;
            i++;
        } else if (strcmp(o, "--packs") == 0) {
            long n;
            if (!cmd_whole_number(val, 1, SIM_MAX_PACKS, &n))
                return cmd_usage_error("bench", "--packs needs a number from 1 to %d (got '%s')",
                                       SIM_MAX_PACKS, val ? val : "");
            a->packs = (int)n;
            a->day_only = true;
            i++;
        } else if (strcmp(o, "--soc") == 0) {
            long n;
            if (!cmd_whole_number(val, 0, 100, &n))
                return cmd_usage_error("bench", "--soc needs a whole percentage from 0 to 100 "
                                       "(got '%s')", val ? val : "");
            a->soc_pct = (int)n;
            a->day_only = true;
            i++;
        } else if (strcmp(o, "--days") == 0) {
            double d;
            if (!cmd_number(val, &d) || !(d * BENCH_DAY_S >= 1.0) || d > BENCH_MAX_DAYS)
                return cmd_usage_error("bench", "--days needs a number of days from 1 s "
                                       "to %.0f days (got '%s')", BENCH_MAX_DAYS,
                                       val ? val : "");
            a->days = d;
            a->day_only = true;
            i++;
        } else {
            return cmd_usage_error("bench", "unknown argument '%s'", o);
        }
    }
    return 0;
}

/* The day as a scenario: the same text gtxsim run would read from a file. */
static char *bench_scenario_text(int packs, double days, int soc_pct)
{
    struct text_buf t;
    if (!text_buf_init(&t, 4096))
        return NULL;
    double duration_s = days * BENCH_DAY_S;
    text_put(&t, "{\n  \"format\": \"gtxsim-scenario/1\",\n  \"name\": \"bench-day\",\n"
            "  \"description\": \"gtxsim bench: %d pack(s), night load, PV to full, "
            "evening load\",\n  \"start\": \"2026-06-21T00:00:00\",\n"
            "  \"duration\": %.3f,\n  \"packs\": [", packs, duration_s);
    for (int p = 0; p < packs; p++)
        text_put(&t, "%s{\"soc\": %d}", p ? ", " : "", soc_pct);
    text_put(&t, "],\n  \"events\": [");
    const char *sep = "\n";
    size_t steps = sizeof bench_day / sizeof bench_day[0];
    for (int d = 0; d < (int)ceil(days); d++) {
        for (size_t k = 0; k < steps; k++) {
            double at_s = d * BENCH_DAY_S + bench_day[k].at_h * 3600.0;
            if (at_s >= duration_s)
                break;
            if (bench_day[k].power_w == 0.0)
                text_put(&t, "%s    {\"at\": %.0f, \"do\": \"inverter\", \"idle\": true}", sep,
                         at_s);
            else
                text_put(&t, "%s    {\"at\": %.0f, \"do\": \"inverter\", \"power_w\": %.0f}", sep,
                    at_s, bench_day[k].power_w * packs);
            sep = ",\n";
        }
    }
    /* What a healthy day keeps true, checked every tick as a scenario would. */
    text_put(&t, "\n  ],\n  \"expect\": [\n");
    for (int p = 1; p <= packs; p++)
        text_put(&t, "    {\"pack\": %d, \"protect\": \"none\", \"fault\": \"none\", "
                "\"cell_v_max\": [2.5, 3.65]},\n", p);
    text_put(&t, "    {\"pack\": \"system\", \"can\": {\"protect\": []}}\n  ]\n}\n");
    return text_buf_take(&t);
}

static double wall_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The simulator alone: the timeline and the simulator's own steps (tickless: from
 * one instant with work to the next), nothing observed. */
static int run_sim_only(const struct scn_scenario *scn, const struct cell_params *cell,
                        bool reference, const atomic_int *stop, double *sim_s,
                        double *wall_s, uint64_t *ticks)
{
    struct sim_config cfg;
    scn_sim_config(scn, cell, NULL, &cfg);
    struct sim *s = sim_new(&cfg);
    if (!s)
        return -1;
    sim_set_tick_mode(s, reference ? SIM_TICK_REFERENCE : SIM_TICKLESS);
    struct scn_timeline tl;
    scn_timeline_init(&tl, scn, NULL);
    uint64_t end_ms = (uint64_t)llround(scn->duration_s * 1000.0);
    double t0 = wall_now_s();
    while (sim_view_now_ms(s) < end_ms && !*stop) {
        scn_timeline_apply(&tl, s);
        uint64_t next = scn_timeline_next_ms(&tl, s);
        sim_advance(s, next < end_ms ? next : end_ms);
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
    printf("  ns per instant     %.0f (one instant with work, of the whole system)\n", ns_tick);
    printf("  ns per pack-instant %.0f\n", ns_tick / packs);
    printf("  wall time          %.3f s for %llu instants\n", wall_s,
           (unsigned long long)ticks);
}

/* The figures' other scenarios, per pack. A month in standby: the pack running,
 * the inverter idle in lithium mode (the CAN frames both ways every second) and
 * drawing nothing itself, so the month ends where a real standby would. A year in
 * storage: the pack shut down, nothing connected. */
struct quiet_site {
    const char *name, *description;
    const char *pack, *inverter; /* JSON */
    const char *expect_all;      /* JSON, an expectation over the whole run, or "" */
    const char *end_state;
};

static const struct quiet_site standby_month = {
    "bench-standby-month", "gtxsim bench: a pack in standby, CAN running",
    "{\"soc\": 60}", "{\"standby_w\": 0}",
    "{\"pack\": 1, \"protect\": \"none\", \"fault\": \"none\"},\n            ", "standby"};
static const struct quiet_site storage_year = {
    "bench-storage-year", "gtxsim bench: a pack shut down in storage",
    "{\"soc\": 60, \"on\": false}", "null", "", "shutdown"};

static char *quiet_text(const struct quiet_site *q, double duration_s)
{
    struct text_buf t;
    if (!text_buf_init(&t, 1024))
        return NULL;
    text_put(&t, "{\"format\": \"gtxsim-scenario/1\", \"name\": \"%s\",\n"
            " \"description\": \"%s\",\n"
            " \"duration\": %.3f, \"packs\": [%s], \"inverter\": %s,\n"
            " \"expect\": [%s{\"at\": %.3f, \"state\": \"%s\"}]}\n",
        q->name, q->description, duration_s, q->pack, q->inverter, q->expect_all, duration_s,
        q->end_state);
    return text_buf_take(&t);
}

static void print_load(const char *when)
{
    char line[128] = "unknown";
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (!fgets(line, sizeof line, f))
            snprintf(line, sizeof line, "unknown");
        fclose(f);
        line[strcspn(line, "\n")] = '\0';
    }
    printf("load average %s: %s\n", when, line);
}

/* The five figures of docs/performance.md, one row each for the four that run a
 * scenario (the fifth is the first's CPU time per simulated second). The reference
 * mode runs the long spans' first hours only: its factor does not depend on the span
 * (nothing in it gets cheaper when quiet). */
static const struct bench_figure {
    const char *key;                /* --scenario KEY prints it (NULL: the day's --packs) */
    const char *file;               /* the name its messages give it */
    const char *what;               /* the figure's line */
    const struct quiet_site *quiet; /* NULL: the standard day */
    int packs;
    double days;
    bool reference_shortened; /* the reference mode runs BENCH_REF_SPAN_S of it */
} bench_figure[] = {
    {"day", "bench-day.json", "1 standard day, 1 pack, through the runner  ", NULL, 1, 1.0,
     false},
    {"month", "bench-standby-month.json", "2 a month in standby, CAN running           ",
     &standby_month, 1, BENCH_MONTH_DAYS, true},
    {"year", "bench-storage-year.json", "3 a shut-down year in storage               ",
     &storage_year, 1, BENCH_YEAR_DAYS, true},
    {NULL, "bench-day-4.json", "4 4 packs against 1 pack, the standard day", NULL, 4, 1.0,
     false},
};
#define BENCH_FIGURES (sizeof bench_figure / sizeof bench_figure[0])
#define BENCH_REF_SPAN_S (6.0 * 3600.0)
#define BENCH_FOUR_PACKS 3 /* the row of figure 4; figure 1's row is its one pack */
#define BENCH_REAL_TIME_FIGURES 3 /* figures 1-3 are real-time factors */
/* Figure 4's two days hand over every this many simulated seconds (times --scale):
 * 96 turns a day, each a few tens of ms of CPU, short beside the spells in which
 * this VM's speed drifts (docs/performance.md). */
#define BENCH_TURN_S 900.0

/* The figure `gtxsim bench --scenario KEY` prints, or NULL. */
static const struct bench_figure *figure_of_key(const char *key)
{
    for (size_t k = 0; k < BENCH_FIGURES; k++)
        if (bench_figure[k].key && strcmp(key, bench_figure[k].key) == 0)
            return &bench_figure[k];
    return NULL;
}

static char *figure_text(const struct bench_figure *f, double scale, int soc_pct)
{
    if (f->quiet)
        return quiet_text(f->quiet, f->days * BENCH_DAY_S * scale);
    return bench_scenario_text(f->packs, f->days * scale, soc_pct);
}

/* Each figure's runs in one mode: the fastest (the least disturbed by the other
 * processes of a shared machine: a run can only be slowed by them, never sped up)
 * and the slowest, as real-time factors. */
struct figure_runs {
    double fastest_rtf, slowest_rtf, sim_s;
    int failed;
};

static void figure_add(struct figure_runs *fr, const struct bench_run *r)
{
    double rtf = bench_rtf(r);
    if (fr->sim_s == 0.0 || rtf > fr->fastest_rtf)
        fr->fastest_rtf = rtf;
    if (fr->sim_s == 0.0 || rtf < fr->slowest_rtf)
        fr->slowest_rtf = rtf;
    fr->sim_s = r->sim_s;
    fr->failed += r->failed;
}

static struct bench_job figure_job(const struct bench_figure *f, const struct bench_args *a,
                                   bool reference)
{
    double until_s = reference && f->reference_shortened ? BENCH_REF_SPAN_S * a->scale : 0.0;
    return (struct bench_job){.name = f->file, .text = figure_text(f, a->scale, a->soc_pct),
                              .reference = reference, .until_s = until_s};
}

/* Figure 4 in one mode. The 1-pack day's turns are one part each and the 4-pack day's
 * four (a quarter of the simulated time each), so that every part costs about the same
 * CPU time and is as exposed to the machine's spells as any other. Each part does the
 * same work in every pair (the parts end at the same instants), so its least CPU time
 * over the pairs is its least disturbed reading, as the fastest run is for a whole run;
 * the figure is the sum of the 4-pack day's over the 1-pack day's. The pairs' own
 * ratios give the spread. */
#define BENCH_PARTS_MAX 512 /* a day: 96 turns of 1 or 4 parts, and the last, short one */
struct four_turns {
    double least_s[2][BENCH_PARTS_MAX]; /* [0: 1 pack, 1: 4 packs][part] */
    int parts[2];                       /* 0: no pair yet */
    double lowest, highest;             /* the pairs' ratios */
    int pairs;
    bool parts_lost;                    /* a day had more parts than BENCH_PARTS_MAX */
};

static void four_add(struct four_turns *f, const struct bench_job pair[2])
{
    for (int side = 0; side < 2; side++) {
        const struct bench_job *j = &pair[side];
        for (int t = 0; t < j->parts; t++)
            if (!f->pairs || t >= f->parts[side] || j->part_cpu_s[t] < f->least_s[side][t])
                f->least_s[side][t] = j->part_cpu_s[t];
        if (j->parts > f->parts[side])
            f->parts[side] = j->parts;
        f->parts_lost = f->parts_lost || j->parts_lost > 0;
    }
    double one = bench_rtf(&pair[0].out), many = bench_rtf(&pair[1].out);
    double ratio = many > 0.0 ? one / many : 0.0;
    if (!f->pairs || ratio < f->lowest)
        f->lowest = ratio;
    if (!f->pairs || ratio > f->highest)
        f->highest = ratio;
    f->pairs++;
}

/* The figure, or 0 when there is none (no pair ended, or a day's parts did not fit). */
static double four_ratio(const struct four_turns *f)
{
    if (!f->pairs || f->parts_lost)
        return 0.0;
    double sum[2] = {0.0, 0.0};
    for (int side = 0; side < 2; side++)
        for (int t = 0; t < f->parts[side]; t++)
            sum[side] += f->least_s[side][t];
    return sum[0] > 0.0 ? sum[1] / sum[0] : 0.0;
}

/* One round of the figures in one mode: the 1-pack day and the 4-pack day taking
 * turns (figures 1 and 4), then the month and the year. */
static int figures_round(const struct bench_args *a, const struct cell_params *cell,
                         int ref, struct figure_runs fr[BENCH_FIGURES][2],
                         struct four_turns *four, const atomic_int *stop)
{
    double part_s[2][BENCH_PARTS_MAX];
    struct bench_job pair[2] = {figure_job(&bench_figure[0], a, ref == 1),
                                figure_job(&bench_figure[BENCH_FOUR_PACKS], a, ref == 1)};
    for (int side = 0; side < 2; side++) {
        pair[side].parts_per_turn = side ? bench_figure[BENCH_FOUR_PACKS].packs : 1;
        pair[side].part_cpu_s = part_s[side];
        pair[side].part_cap = BENCH_PARTS_MAX;
    }
    if (bench_run_turns(pair, cell, BENCH_TURN_S * a->scale, stop) != 0)
        return -1;
    figure_add(&fr[0][ref], &pair[0].out);
    figure_add(&fr[BENCH_FOUR_PACKS][ref], &pair[1].out);
    if (!*stop)
        four_add(four, pair);
    for (size_t k = 1; k < BENCH_FOUR_PACKS && !*stop; k++) {
        struct bench_job job = figure_job(&bench_figure[k], a, ref == 1);
        if (bench_run_job(&job, cell, stop) != 0)
            return -1;
        figure_add(&fr[k][ref], &job.out);
    }
    return 0;
}

/* The five figures, tickless and in the reference mode. Every scenario runs
 * `repeat` times, the figures taking turns (so a busy spell of the machine falls on
 * all of them alike), and figures 1-3 are each their fastest run, the slowest printed
 * beside it so the spread is seen. Figure 4 comes from the pairs of days run taking
 * turns (four_turns, docs/performance.md). */
static int bench_figures(const struct bench_args *a, const struct cell_params *cell,
                         const atomic_int *stop)
{
    struct figure_runs fr[BENCH_FIGURES][2]; /* [figure][0 tickless, 1 reference] */
    struct four_turns four[2];
    memset(four, 0, sizeof four);
    memset(fr, 0, sizeof fr);
    printf("gtxsim bench: five figures, tickless | reference (--tick 10ms), per CPU second "
           "of the thread that ran them, the fastest of %d run%s each (figure 4: from %d "
           "pair%s of days taking turns)%s\n", a->repeat, a->repeat > 1 ? "s" : "", a->repeat,
           a->repeat > 1 ? "s" : "", a->scale < 1.0 ? " (spans scaled)" : "");
    print_load("at the start");
    fflush(stdout);
    for (int rep = 0; rep < a->repeat && !*stop; rep++)
        for (int ref = 0; ref < 2 && !*stop; ref++)
            if (figures_round(a, cell, ref, fr, &four[ref], stop) != 0)
                return GTX_EXIT_INTERNAL;
    for (size_t k = 0; k < BENCH_REAL_TIME_FIGURES; k++)
        printf("%s %12.0fx | %9.0fx  (real-time factor; %.0f | %.0f s simulated; slowest "
               "run %.0fx | %.0fx)\n", bench_figure[k].what, fr[k][0].fastest_rtf,
               fr[k][1].fastest_rtf, fr[k][0].sim_s, fr[k][1].sim_s, fr[k][0].slowest_rtf,
               fr[k][1].slowest_rtf);
    char ratio[2][16], spread[2][32];
    for (int m = 0; m < 2; m++) {
        double x = four_ratio(&four[m]);
        if (x > 0.0)
            snprintf(ratio[m], sizeof ratio[m], "%.2fx", x);
        else
            snprintf(ratio[m], sizeof ratio[m], "n/a");
        if (four[m].pairs)
            snprintf(spread[m], sizeof spread[m], "%.2f-%.2fx", four[m].lowest, four[m].highest);
        else
            snprintf(spread[m], sizeof spread[m], "n/a");
    }
    printf("%s %13s | %10s  (cost ratio: each part's least CPU time over %d pair%s of "
           "days run taking turns; the pairs' own %s | %s; parts %d and %d)\n",
           bench_figure[BENCH_FOUR_PACKS].what, ratio[0], ratio[1], four[0].pairs,
           four[0].pairs == 1 ? "" : "s", spread[0], spread[1], four[0].parts[0],
           four[0].parts[1]);
    printf("5 CPU time per simulated second, the day    %10.0f ns | %7.0f ns  "
           "(instructions: tests/perf/instructions.sh)\n",
           fr[0][0].fastest_rtf > 0.0 ? 1e9 / fr[0][0].fastest_rtf : 0.0,
           fr[0][1].fastest_rtf > 0.0 ? 1e9 / fr[0][1].fastest_rtf : 0.0);
    print_load("at the end");
    int failed = 0;
    for (size_t k = 0; k < BENCH_FIGURES; k++)
        failed += fr[k][0].failed + fr[k][1].failed;
    if (failed)
        printf("expectations: %d failed (a benchmark of a run that went wrong measures the "
               "wrong thing)\n", failed);
    if (*stop) {
        printf("interrupted by %s\n", cmd_stop_name(*stop));
        return cmd_stop_status(*stop);
    }
    return failed ? GTX_EXIT_FAILED : GTX_EXIT_OK;
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
        /* figures 2 and 3 (a script's callgrind count reads them); the day as --packs,
         * --days and --soc say */
        const struct bench_figure *f = a.scenario_of ? figure_of_key(a.scenario_of) : NULL;
        char *quiet = NULL;
        if (f && f->quiet && !(quiet = figure_text(f, 1.0, a.soc_pct)))
            goto out;
        fputs(quiet ? quiet : text, stdout);
        free(quiet);
        status = GTX_EXIT_OK;
        goto out;
    }
    if (scn_load_text("bench-day.json", text, strlen(text), &scn, err, sizeof err) != 0 ||
        cmd_load_default_cell(cell, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    loaded = true;
    const atomic_int *stop = cmd_stop_signals();
    if (!a.day_only) {
        status = bench_figures(&a, cell, stop);
        goto out;
    }

    double sim_s = scn.duration_s, wall_sim = 0.0;
    uint64_t ticks = 0;
    printf("gtxsim bench: %d pack%s, %g day%s (%.0f s simulated), %s\n", a.packs,
           a.packs > 1 ? "s" : "", a.days, a.days == 1.0 ? "" : "s", sim_s,
           a.reference_tick ? "reference mode (every 10 ms tick)" : "tickless");
    double sim_only_s = 0.0;
    if (run_sim_only(&scn, cell, a.reference_tick, stop, &sim_only_s, &wall_sim, &ticks) != 0) {
        fprintf(stderr, "gtxsim bench: error: the simulator could not be set up\n");
        goto out;
    }
    print_pass("simulator (timeline and sim_advance):", sim_only_s, wall_sim, ticks, a.packs);
    if (*stop) {
        printf("interrupted by %s at simulated time %.2f s of the first pass\n",
               cmd_stop_name(*stop), sim_only_s);
        status = cmd_stop_status(*stop);
        goto out;
    }

    struct scn_run_opts o = {.every_s = 1.0, .quiet = true, .stop = stop,
                             .reference_tick = a.reference_tick};
    struct scn_run_result res;
    if (scn_run(&scn, cell, &o, &res, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    print_pass("runner (gtxsim run: the same, with the day's expectations):",
               res.sim_s, res.wall_s, ticks, a.packs);
    printf("  expectations       %d passed, %d failed (%.0f ns per instant)\n", res.passed,
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
