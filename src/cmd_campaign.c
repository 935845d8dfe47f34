/* cmd_campaign: `gtxsim campaign --seeds A:B [options]` runs a random site per
 * seed on worker processes and checks the safety invariants
 * (docs/campaigns.md); `gtxsim merge DIR... --out DIR` joins the results of
 * shards into the outputs one process would have written.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campaign/campaign.h"
#include "cmd.h"
#include "cmd_common.h"
#include "gtx/sim.h"

static void campaign_usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim campaign --seeds A:B [options]\n"
            "Generates a random site (packs, inverter, power steps, ambient ramps, CAN pulls,\n"
            "faults) for each seed from A up to B-1, runs it and checks the safety invariants\n"
            "of docs/spec/SAFETY.md. Prints one line per failing seed, then a summary line.\n\n"
            "  --seeds A:B          the seeds A, A+1, ..., B-1\n"
            "  --config FILE.json   the generator's distribution (docs/campaigns.md; every\n"
            "                       key optional, the rest keeps its default)\n"
            "  -j N                 N worker processes (default: every core)\n"
            "  --shard I/N          only the seeds whose offset from A is I-1 modulo N (1 <= I\n"
            "                       <= N): the N shards together are exactly the whole run\n"
            "  --out DIR            write DIR/results.tsv, DIR/summary.json, DIR/junit.xml,\n"
            "                       and for each failing seed DIR/seed-N.json (the site) and\n"
            "                       DIR/seed-N.min.json (minimised, self-checking)\n"
            "  --no-minimise        do not shrink failing sites\n"
            "  --disable-protection ID\n"
            "                       run the firmware with that protection switched off (as\n"
            "                       gtxsim run does): the invariants must catch it\n"
            "  -q                   no summary line on stderr\n\n"
            "Exit status: 0 no invariant broken, 1 one or more seeds failed, 2 bad usage,\n"
            "3 internal error.\n");
}

struct campaign_args {
    uint64_t from, to;
    const char *config, *out;
    int jobs;
    int shard, shards; /* 1-based shard of shards */
    bool minimise, quiet;
    struct bms_config *cfg; /* NULL: the default table */
};

static int parse_seeds(const char *v, uint64_t *a, uint64_t *b)
{
    char *end;
    errno = 0;
    if (!v || *v < '0' || *v > '9')
        return -1;
    *a = strtoull(v, &end, 10);
    if (*end != ':' || errno || end[1] < '0' || end[1] > '9')
        return -1;
    *b = strtoull(end + 1, &end, 10);
    return *end || errno || *b <= *a ? -1 : 0;
}

static int parse_args(int argc, char **argv, struct campaign_args *a)
{
    memset(a, 0, sizeof *a);
    a->minimise = true;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    a->jobs = cores > 0 ? (int)cores : 1;
    a->shard = a->shards = 1;
    bool seeds = false;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *val = cmd_option_value(argc, argv, i);
        if (cmd_help(o, campaign_usage))
            return 1;
        if (strcmp(o, "--seeds") == 0) {
            if (parse_seeds(val, &a->from, &a->to) != 0)
                return cmd_usage_error("campaign", "--seeds needs A:B with A < B, both "
                                       "whole numbers, e.g. 0:1000 (got '%s')", val ? val : "");
            seeds = true;
            i++;
        } else if (strcmp(o, "--config") == 0 || strcmp(o, "--out") == 0) {
            if (!val)
                return cmd_usage_error("campaign", "%s needs a %s", o,
                                       o[2] == 'c' ? "file name" : "directory");
            *(o[2] == 'c' ? &a->config : &a->out) = val;
            i++;
        } else if (strcmp(o, "-j") == 0 || strcmp(o, "--jobs") == 0) {
            long n;
            if (!cmd_whole_number(val, 1, 4096, &n))
                return cmd_usage_error("campaign", "-j needs a number of workers from 1 to "
                                       "4096 (got '%s')", val ? val : "");
            a->jobs = (int)n;
            i++;
        } else if (strcmp(o, "--shard") == 0) {
            int used = 0;
            if (!val || sscanf(val, "%d/%d%n", &a->shard, &a->shards, &used) != 2 ||
                val[used] || a->shards < 1 || a->shard < 1 || a->shard > a->shards)
                return cmd_usage_error("campaign", "--shard needs I/N with 1 <= I <= N, e.g. "
                                       "2/8 (got '%s')", val ? val : "");
            i++;
        } else if (strcmp(o, "--no-minimise") == 0 || strcmp(o, "--no-minimize") == 0) {
            a->minimise = false;
        } else if (strcmp(o, "-q") == 0 || strcmp(o, "--quiet") == 0) {
            a->quiet = true;
        } else if (strcmp(o, "--disable-protection") == 0) {
            if (cmd_disable_protection("campaign", val, &a->cfg) != 0)
                return -1;
            i++;
        } else {
            return cmd_usage_error("campaign", "unknown %s '%s'",
                                   o[0] == '-' ? "option" : "argument", o);
        }
    }
    if (!seeds)
        return cmd_usage_error("campaign", "--seeds A:B is required (e.g. --seeds 0:1000)");
    return 0;
}

struct campaign {
    const struct campaign_args *a;
    struct cpg_config gen;
    struct cell_params *cell;
    uint64_t *seeds;
    struct cpg_result *results;
    size_t failed;
    bool internal; /* a seed gave no result without dying: exit 3 */
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        fprintf(stderr, "gtxsim campaign: error: cannot write %s\n", path);
}

static void write_site(const struct campaign *c, uint64_t seed)
{
    struct cpg_site site;
    cpg_generate(&c->gen, seed, &site);
    char name[48], path[1100];
    snprintf(name, sizeof name, "campaign-%" PRIu64, seed);
    char *json = cpg_site_json(&site, name, NULL);
    snprintf(path, sizeof path, "%s/seed-%" PRIu64 ".json", c->a->out, seed);
    if (json)
        write_file(path, json);
    free(json);
}

/* The minimised site, with the expectation that states the broken invariant. */
static void write_minimised(const struct campaign *c, uint64_t seed, const struct cpg_verdict *v)
{
    struct cpg_site site;
    cpg_generate(&c->gen, seed, &site);
    struct cpg_verdict m;
    cpg_minimise(&site, &c->gen, c->cell, c->a->cfg, v, &m);
    char expect[512], name[80], path[1100];
    cpg_expectation(&m, expect, sizeof expect);
    snprintf(name, sizeof name, "campaign-%" PRIu64 "-%s", seed, cpg_invariant_name(m.invariant));
    char *json = cpg_site_json(&site, name, expect);
    snprintf(path, sizeof path, "%s/seed-%" PRIu64 ".min.json", c->a->out, seed);
    if (json)
        write_file(path, json);
    free(json);
}

static void run_one(void *ctx, uint64_t item, FILE *out)
{
    struct campaign *c = ctx;
    uint64_t seed = c->seeds[item];
    struct cpg_verdict v;
    char err[SCN_ERR_MAX];
    if (cpg_run_seed(&c->gen, seed, c->cell, c->a->cfg, &v, err, sizeof err) != 0) {
        /* A generator bug: the site did not load. The line is not a result line, and
         * the seed is reported as an internal error with this message. */
        err[strcspn(err, "\n")] = '\0';
        fprintf(out, "error: %s\n", err);
        return;
    }
    struct cpg_result r = {.seed = seed, .invariant = -1};
    if (v.failed) {
        r.invariant = v.invariant;
        r.pack = v.pack;
        r.t_s = v.t_s;
        snprintf(r.detail, sizeof r.detail, "%s", v.detail);
        if (c->a->out) {
            write_site(c, seed);
            /* nan and hang: the site itself is the reproduction */
            if (c->a->minimise && v.invariant != CPG_INV_NAN && v.invariant != CPG_INV_HANG)
                write_minimised(c, seed, &v);
        }
    }
    char line[512];
    cpg_result_format(&r, line, sizeof line);
    fputs(line, out);
}

static void take_result(void *ctx, uint64_t item, const char *text, int sig)
{
    struct campaign *c = ctx;
    struct cpg_result *r = &c->results[item];
    uint64_t seed = c->seeds[item];
    if (sig || cpg_result_parse(text, r) != 0 || r->seed != seed) {
        memset(r, 0, sizeof *r);
        r->seed = seed;
        r->invariant = sig == SIGALRM ? CPG_INV_HANG : CPG_INV_CRASH;
        if (sig == SIGALRM)
            snprintf(r->detail, sizeof r->detail, "the wall-clock backstop: no progress "
                     "for %.0f s of wall time (a call into the simulator that did not return)",
                     c->gen.hang_timeout_s);
        else if (sig)
            snprintf(r->detail, sizeof r->detail, "the run died of signal %d (%s)", sig,
                     strsignal(sig));
        else { /* a site that did not load: the generator's bug, not the firmware's */
            snprintf(r->detail, sizeof r->detail, "no result: %.150s", text);
            c->internal = true;
        }
        r->detail[strcspn(r->detail, "\t\n")] = '\0';
        if (c->a->out)
            write_site(c, seed);
    }
    if (r->invariant < 0)
        return;
    c->failed++;
    printf("seed %" PRIu64 ": %s (pack %d, t = %.1f s): %s\n", r->seed,
           cpg_invariant_name(r->invariant), r->pack, r->t_s, r->detail);
    fflush(stdout);
}

static double cpu_s(void)
{
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    return (double)(self.ru_utime.tv_sec + kids.ru_utime.tv_sec + self.ru_stime.tv_sec +
                    kids.ru_stime.tv_sec) +
           (self.ru_utime.tv_usec + kids.ru_utime.tv_usec + self.ru_stime.tv_usec +
            kids.ru_stime.tv_usec) / 1e6;
}

static double wall_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int cmd_campaign(int argc, char **argv)
{
    struct campaign_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) {
        sim_table_free(a.cfg);
        return rc > 0 ? GTX_EXIT_OK : GTX_EXIT_USAGE;
    }
    struct campaign c = {.a = &a};
    cpg_config_defaults(&c.gen);
    char err[SCN_ERR_MAX];
    int status = GTX_EXIT_OK;
    if (a.config && cpg_config_load(&c.gen, a.config, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        sim_table_free(a.cfg);
        return GTX_EXIT_USAGE;
    }
    if (a.out && cpg_mkdirs(a.out) != 0) { /* with its parents, as mkdir -p */
        fprintf(stderr, "gtxsim campaign: error: cannot create %s: %s\n", a.out,
                strerror(errno));
        sim_table_free(a.cfg);
        return GTX_EXIT_USAGE;
    }
    uint64_t n = 0;
    for (uint64_t s = a.from + (uint64_t)(a.shard - 1); s < a.to; s += (uint64_t)a.shards)
        n++;
    c.cell = calloc(1, sizeof *c.cell);
    c.seeds = calloc(n + 1, sizeof *c.seeds);
    c.results = calloc(n + 1, sizeof *c.results);
    if (!c.cell || !c.seeds || !c.results) {
        status = GTX_EXIT_INTERNAL;
        goto out;
    }
    for (uint64_t i = 0; i < n; i++)
        c.seeds[i] = a.from + (uint64_t)(a.shard - 1) + i * (uint64_t)a.shards;
    if (cmd_load_default_cell(c.cell, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        status = GTX_EXIT_INTERNAL;
        goto out;
    }
    double w0 = wall_s(), c0 = cpu_s();
    if (cpg_pool_run(n, a.jobs, c.gen.hang_timeout_s, run_one, take_result, &c) != 0) {
        fprintf(stderr, "gtxsim campaign: error: cannot start worker processes: %s\n",
                strerror(errno));
        status = GTX_EXIT_INTERNAL;
        goto out;
    }
    double wall = wall_s() - w0, cpu = cpu_s() - c0;
    if (a.out && cpg_report_write("campaign", a.out, c.results, n) != 0)
        status = GTX_EXIT_USAGE;
    printf("%" PRIu64 " runs, %zu failed\n", n, c.failed);
    if (!a.quiet)
        fprintf(stderr, "gtxsim campaign: %" PRIu64 " runs in %.1f s wall, %.1f s CPU: "
                "%.2f runs/s, %.2f runs/s per CPU second\n", n, wall, cpu,
                wall > 0 ? n / wall : 0.0, cpu > 0 ? n / cpu : 0.0);
    if (status == GTX_EXIT_OK && c.internal)
        status = GTX_EXIT_INTERNAL;
    if (status == GTX_EXIT_OK && c.failed)
        status = GTX_EXIT_FAILED;
out:
    free(c.cell);
    free(c.seeds);
    free(c.results);
    sim_table_free(a.cfg);
    return status;
}

/* ---- gtxsim merge ---- */

static void merge_usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim merge DIR... --out DIR\n"
            "Joins the results.tsv of campaign shards (gtxsim campaign --shard I/N --out DIR)\n"
            "into one results.tsv, summary.json and junit.xml, the same bytes as one\n"
            "process running every seed. A seed found twice is an error. Exit status: 0\n"
            "no seed failed, 1 one or more did, 2 bad usage or input.\n");
}

static int read_results(const char *dir, struct cpg_result **rs, size_t *n, size_t *cap)
{
    char path[1100], line[1024];
    snprintf(path, sizeof path, "%s/results.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "gtxsim merge: error: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    int no = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 1024;
            struct cpg_result *p = realloc(*rs, *cap * sizeof **rs);
            if (!p) {
                rc = -1;
                break;
            }
            *rs = p;
        }
        if (cpg_result_parse(line, &(*rs)[*n]) != 0) {
            fprintf(stderr, "%s:%d:1: error: not a result line (expected SEED<TAB>pass or "
                    "SEED<TAB>INVARIANT<TAB>PACK<TAB>T<TAB>DETAIL)\n", path, no);
            rc = -1;
            break;
        }
        (*n)++;
    }
    fclose(f);
    return rc;
}

int cmd_merge(int argc, char **argv)
{
    const char *out = NULL;
    struct cpg_result *rs = NULL;
    size_t n = 0, cap = 0;
    int dirs = 0, status = GTX_EXIT_OK;
    for (int i = 1; i < argc && status == GTX_EXIT_OK; i++) {
        if (cmd_help(argv[i], merge_usage)) {
            free(rs);
            return GTX_EXIT_OK;
        }
        if (strcmp(argv[i], "--out") == 0) {
            if (i + 1 >= argc) {
                free(rs);
                cmd_usage_error("merge", "--out needs a directory");
                return GTX_EXIT_USAGE;
            }
            out = argv[++i];
        } else if (argv[i][0] == '-') {
            free(rs);
            cmd_usage_error("merge", "unknown option '%s'", argv[i]);
            return GTX_EXIT_USAGE;
        } else {
            dirs++;
            if (read_results(argv[i], &rs, &n, &cap) != 0)
                status = GTX_EXIT_USAGE;
        }
    }
    if (status == GTX_EXIT_OK && (!out || dirs == 0)) {
        cmd_usage_error("merge", "%s", !out ? "--out DIR is required" : "no directory given");
        status = GTX_EXIT_USAGE;
    }
    uint64_t dup = 0;
    if (status == GTX_EXIT_OK && cpg_results_sort(rs, n, &dup) != 0) {
        fprintf(stderr, "gtxsim merge: error: seed %" PRIu64 " is in two inputs (expected "
                "shards that do not overlap)\n", dup);
        status = GTX_EXIT_USAGE;
    }
    if (status == GTX_EXIT_OK && cpg_report_write("merge", out, rs, n) != 0)
        status = GTX_EXIT_USAGE;
    size_t failed = 0;
    for (size_t i = 0; status == GTX_EXIT_OK && i < n; i++)
        failed += rs[i].invariant >= 0;
    if (status == GTX_EXIT_OK) {
        printf("%zu runs, %zu failed\n", n, failed);
        if (failed)
            status = GTX_EXIT_FAILED;
    }
    free(rs);
    return status;
}
