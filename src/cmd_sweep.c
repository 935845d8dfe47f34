/* cmd_sweep: `gtxsim sweep TEMPLATE.json --grid KEY=V1,V2,... --random KEY=DIST
 * --samples N` runs a scenario over a parameter grid and/or Monte-Carlo samples
 * and writes one CSV row per run: the parameters, pass/fail per expectation and
 * summary figures (docs/sweeps.md). Each run is the template with the keys set,
 * loaded and run like any scenario; runs go to worker processes (-j) and the
 * rows come out in run order.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "campaign/campaign.h"
#include "cmd.h"
#include "cmd_common.h"
#include "gtx/rng.h"
#include "gtx/scn_run.h"
#include "gtx/sim_view.h"

#define SWEEP_MAX_KEYS 8
#define SWEEP_MAX_VALUES 64
#define SWEEP_RNG_STREAM 0x5EEDu

static void sweep_usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim sweep TEMPLATE.json [--grid KEY=V1,V2,...]... [--random KEY=DIST]...\n"
            "                    [--samples N] [--seed S] [-j N] [--out FILE.csv]\n"
            "Runs the scenario once per grid point (every combination of the --grid values)\n"
            "times --samples random draws of the --random keys, and writes one CSV row per\n"
            "run: the parameters, pass/fail per expectation, the lowest cell voltage, the\n"
            "highest temperature, the energy in and out, and when each state was first\n"
            "entered (docs/sweeps.md).\n\n"
            "  KEY                  a path into the scenario: ambient_c, packs.0.soc,\n"
            "                       packs.*.cable_mohm (every pack), packs.0.cells.soc_spread_pct,\n"
            "                       inverter.charge_current_a, events.0.power_w (missing\n"
            "                       objects and keys are made)\n"
            "  DIST                 uniform:MIN:MAX, loguniform:MIN:MAX or normal:MEAN:SD\n"
            "  --samples N          random draws per grid point (default 1)\n"
            "  --seed S             the draws' seed (default 1): same seed, same rows\n"
            "  -j N                 N worker processes (default: every core)\n"
            "  --out FILE.csv       the CSV (default: standard output)\n\n"
            "Exit status: 0 every run passed its expectations, 1 some run failed one,\n"
            "2 bad usage or template, 3 internal error.\n");
}

enum dist_kind { DIST_UNIFORM, DIST_LOGUNIFORM, DIST_NORMAL };

struct sweep_key {
    char path[128];
    bool random;
    int n_values;                    /* grid */
    char *values[SWEEP_MAX_VALUES];  /* grid: the texts as given */
    enum dist_kind dist;             /* random */
    double a, b;
};

struct sweep {
    const char *template_path;
    char *template_text;
    int n_expect;
    struct sweep_key key[SWEEP_MAX_KEYS];
    int n_keys;
    int samples, jobs;
    uint64_t seed;
    const char *out;
    uint64_t runs;
    struct cell_params *cell;
    int failed_runs;
    bool internal;
    FILE *csv;
};

static int parse_dist(struct sweep_key *k, const char *d)
{
    static const struct {
        const char *name;
        enum dist_kind kind;
    } dists[] = {{"uniform:", DIST_UNIFORM}, {"loguniform:", DIST_LOGUNIFORM},
                 {"normal:", DIST_NORMAL}};
    for (size_t i = 0; i < sizeof dists / sizeof dists[0]; i++) {
        size_t n = strlen(dists[i].name);
        int used = 0;
        if (strncmp(d, dists[i].name, n) != 0 ||
            sscanf(d + n, "%lf:%lf%n", &k->a, &k->b, &used) != 2 || d[n + (size_t)used])
            continue;
        k->dist = dists[i].kind;
        if (k->dist == DIST_LOGUNIFORM && !(k->a > 0 && k->b >= k->a))
            return -1;
        if (k->dist == DIST_UNIFORM && !(k->b >= k->a))
            return -1;
        return k->dist == DIST_NORMAL && !(k->b >= 0) ? -1 : 0;
    }
    return -1;
}

static int add_key(struct sweep *w, const char *opt, const char *val)
{
    const char *eq = val ? strchr(val, '=') : NULL;
    if (!eq || eq == val || (size_t)(eq - val) >= sizeof w->key[0].path)
        return cmd_usage_error("sweep", "%s needs KEY=%s (got '%s')", opt,
                               opt[2] == 'g' ? "V1,V2,..." : "DIST", val ? val : "");
    if (w->n_keys == SWEEP_MAX_KEYS)
        return cmd_usage_error("sweep", "at most %d keys", SWEEP_MAX_KEYS);
    struct sweep_key *k = &w->key[w->n_keys++];
    snprintf(k->path, sizeof k->path, "%.*s", (int)(eq - val), val);
    if (opt[2] == 'r') {
        k->random = true;
        if (parse_dist(k, eq + 1) != 0)
            return cmd_usage_error("sweep", "--random %s: the distribution must be "
                                   "uniform:MIN:MAX, loguniform:MIN:MAX (0 < MIN <= MAX) or "
                                   "normal:MEAN:SD (got '%s')", k->path, eq + 1);
        return 0;
    }
    char *copy = strdup(eq + 1), *save = NULL;
    for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save)) {
        if (k->n_values == SWEEP_MAX_VALUES) {
            free(copy);
            return cmd_usage_error("sweep", "--grid %s: at most %d values", k->path,
                                   SWEEP_MAX_VALUES);
        }
        k->values[k->n_values++] = strdup(t);
    }
    free(copy);
    if (k->n_values == 0)
        return cmd_usage_error("sweep", "--grid %s: no values (expected V1,V2,...)", k->path);
    return 0;
}

static int parse_args(int argc, char **argv, struct sweep *w)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    w->jobs = cores > 0 ? (int)cores : 1;
    w->samples = 1;
    w->seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *val = cmd_option_value(argc, argv, i);
        if (cmd_help(o, sweep_usage))
            return 1;
        if (strcmp(o, "--grid") == 0 || strcmp(o, "--random") == 0) {
            int rc = add_key(w, o, val);
            if (rc != 0)
                return rc;
            i++;
        } else if (strcmp(o, "--samples") == 0 || strcmp(o, "-j") == 0) {
            long n;
            if (!cmd_whole_number(val, 1, 1000000, &n))
                return cmd_usage_error("sweep", "%s needs a whole number from 1 (got '%s')", o,
                                       val ? val : "");
            *(o[1] == 'j' ? &w->jobs : &w->samples) = (int)n;
            i++;
        } else if (strcmp(o, "--seed") == 0) {
            char *end = NULL;
            unsigned long long s = val ? strtoull(val, &end, 10) : 0;
            if (!val || *end || val[0] < '0' || val[0] > '9')
                return cmd_usage_error("sweep", "--seed needs a whole number (got '%s')",
                                       val ? val : "");
            w->seed = s;
            i++;
        } else if (strcmp(o, "--out") == 0) {
            if (!val)
                return cmd_usage_error("sweep", "--out needs a file name");
            w->out = val;
            i++;
        } else if (o[0] == '-' && o[1]) {
            return cmd_usage_error("sweep", "unknown option '%s'", o);
        } else if (w->template_path) {
            return cmd_usage_error("sweep", "one template only (got '%s' and '%s')",
                                   w->template_path, o);
        } else {
            w->template_path = o;
        }
    }
    if (!w->template_path)
        return cmd_usage_error("sweep", "no template scenario given");
    return 0;
}

/* ---- setting a key in the template ---- */

static cJSON *value_of(const char *text)
{
    char *end;
    double v = strtod(text, &end);
    if (*text && !*end)
        return cJSON_CreateNumber(v);
    if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
        return cJSON_CreateBool(text[0] == 't');
    return cJSON_CreateString(text);
}

/* Sets path (dots; '*' every element of an array) under node to a copy of v.
 * -1 when the path leads through something that is neither object nor array. */
static int set_path(cJSON *node, const char *path, const cJSON *v)
{
    const char *dot = strchr(path, '.');
    char part[128];
    snprintf(part, sizeof part, "%.*s", (int)(dot ? (size_t)(dot - path) : strlen(path)), path);
    if (cJSON_IsArray(node)) {
        int n = cJSON_GetArraySize(node);
        if (strcmp(part, "*") == 0) {
            for (int i = 0; i < n; i++)
                if (dot ? set_path(cJSON_GetArrayItem(node, i), dot + 1, v) != 0
                        : !cJSON_ReplaceItemInArray(node, i, cJSON_Duplicate(v, 1)))
                    return -1;
            return 0;
        }
        char *end;
        long i = strtol(part, &end, 10);
        if (*end || i < 0 || i >= n)
            return -1;
        if (!dot)
            return cJSON_ReplaceItemInArray(node, (int)i, cJSON_Duplicate(v, 1)) ? 0 : -1;
        return set_path(cJSON_GetArrayItem(node, (int)i), dot + 1, v);
    }
    if (!cJSON_IsObject(node))
        return -1;
    cJSON *child = cJSON_GetObjectItemCaseSensitive(node, part);
    if (!dot) {
        cJSON_DeleteItemFromObjectCaseSensitive(node, part);
        cJSON_AddItemToObject(node, part, cJSON_Duplicate(v, 1));
        return 0;
    }
    if (!child)
        child = cJSON_AddObjectToObject(node, part);
    return child ? set_path(child, dot + 1, v) : -1;
}

/* The parameter values of run r, as text, and the scenario with them. */
static char *run_text(const struct sweep *w, uint64_t r, char values[][32])
{
    struct rng g;
    rng_seed(&g, w->seed, SWEEP_RNG_STREAM + r);
    uint64_t grid = r / (uint64_t)w->samples;
    cJSON *root = cJSON_Parse(w->template_text);
    int rc = root ? 0 : -1;
    for (int i = w->n_keys - 1; i >= 0 && rc == 0; i--) { /* the last grid key varies fastest */
        const struct sweep_key *k = &w->key[i];
        if (k->random) {
            double u = rng_uniform(&g), x;
            if (k->dist == DIST_UNIFORM)
                x = k->a + u * (k->b - k->a);
            else if (k->dist == DIST_LOGUNIFORM)
                x = exp(log(k->a) + u * (log(k->b) - log(k->a)));
            else
                x = k->a + k->b * rng_normal3(&g);
            snprintf(values[i], 32, "%.4g", x);
        } else {
            snprintf(values[i], 32, "%s", k->values[grid % (uint64_t)k->n_values]);
            grid /= (uint64_t)k->n_values;
        }
        cJSON *v = value_of(values[i]);
        rc = v ? set_path(root, k->path, v) : -1;
        cJSON_Delete(v);
    }
    char *text = rc == 0 ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    return text;
}

/* ---- the figures of one run ---- */

struct figures {
    double min_cell_v, max_temp_c;
    double first_state_s[BMS_STATE_COUNT]; /* < 0: never */
    int first_protect;     /* the first protection any pack raised, -1: none */
    double first_protect_s;
    unsigned calls;
};

static void watch(void *ctx, struct sim *s)
{
    struct figures *f = ctx;
    if (++f->calls % (SIM_PLANT_STEP_MS / SIM_TICK_MS) != 0)
        return;
    double t = sim_view_now_ms(s) / 1000.0;
    for (int p = 0; p < sim_view_pack_count(s); p++) {
        struct sim_pack_obs o;
        sim_view_observe(s, p, &o);
        if (o.cell_v_min < f->min_cell_v)
            f->min_cell_v = o.cell_v_min;
        if (o.temp_max_c > f->max_temp_c)
            f->max_temp_c = o.temp_max_c;
        for (int id = 0; f->first_protect < 0 && id < 32; id++)
            if (o.st->protect_mask & (1u << id)) {
                f->first_protect = id;
                f->first_protect_s = t;
            }
        int st = (int)o.st->state;
        if (st >= 0 && st < BMS_STATE_COUNT && f->first_state_s[st] < 0)
            f->first_state_s[st] = t;
    }
}

static void sweep_one(void *ctx, uint64_t r, FILE *out)
{
    const struct sweep *w = ctx;
    char values[SWEEP_MAX_KEYS][32];
    char *text = run_text(w, r, values);
    struct scn_scenario scn;
    char err[SCN_ERR_MAX], name[48];
    snprintf(name, sizeof name, "sweep-run-%llu.json", (unsigned long long)r);
    if (!text || scn_load_text(name, text, strlen(text), &scn, err, sizeof err) != 0) {
        err[strcspn(err, "\n")] = '\0';
        fprintf(out, "error: run %llu: %s\n", (unsigned long long)r,
                text ? err : "a key's path does not fit the template");
        free(text);
        return;
    }
    struct figures f = {.min_cell_v = INFINITY, .max_temp_c = -INFINITY, .first_protect = -1};
    for (int i = 0; i < BMS_STATE_COUNT; i++)
        f.first_state_s[i] = -1;
    /* The failures are in the row; their text would come out of order. */
    FILE *sink = fopen("/dev/null", "w");
    struct scn_run_opts o = {.every_s = 1.0, .quiet = true, .log = sink, .on_tick = watch,
                             .hook_ctx = &f};
    struct scn_run_result res;
    int ran = scn_run(&scn, w->cell, &o, &res, err, sizeof err);
    if (sink)
        fclose(sink);
    if (ran != 0) {
        fprintf(out, "error: run %llu: %s\n", (unsigned long long)r, err);
        scn_free(&scn);
        free(text);
        return;
    }
    fprintf(out, "%llu", (unsigned long long)r);
    for (int i = 0; i < w->n_keys; i++)
        fprintf(out, ",%s", values[i]);
    fprintf(out, ",%s", res.failed ? "fail" : "pass");
    for (int i = 0; i < res.outcome_count; i++)
        fprintf(out, ",%s", res.outcomes[i].passed ? "pass" : "fail");
    double in_j = 0, net_j = 0;
    for (int p = 0; p < res.pack_count; p++) {
        in_j += res.energy[p].terminal_in_j;
        net_j += res.energy[p].terminal_j;
    }
    fprintf(out, ",%.3f,%.1f,%.1f,%.1f,%s,", f.min_cell_v, f.max_temp_c, in_j / 3600.0,
            (in_j - net_j) / 3600.0, f.first_protect < 0 ? "" : scn_protect_name(f.first_protect));
    if (f.first_protect >= 0)
        fprintf(out, "%.1f", f.first_protect_s);
    for (int i = 0; i < BMS_STATE_COUNT; i++) {
        if (f.first_state_s[i] >= 0)
            fprintf(out, ",%.1f", f.first_state_s[i]);
        else
            fprintf(out, ",");
    }
    fprintf(out, "\n");
    scn_run_free(&res);
    scn_free(&scn);
    free(text);
}

static void take_row(void *ctx, uint64_t r, const char *text, int sig)
{
    struct sweep *w = ctx;
    if (sig || strncmp(text, "error:", 6) == 0 || !*text) {
        if (sig)
            fprintf(stderr, "gtxsim sweep: error: run %llu died of signal %d\n",
                    (unsigned long long)r, sig);
        else
            fprintf(stderr, "gtxsim sweep: %s", *text ? text : "error: a run gave no row\n");
        w->internal = true;
        return;
    }
    fputs(text, w->csv);
    /* The overall verdict is the column after the parameters. */
    const char *p = text;
    for (int i = 0; i <= w->n_keys && p; i++)
        p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
    if (p && strncmp(p, "fail", 4) == 0)
        w->failed_runs++;
}

static void write_header(const struct sweep *w)
{
    fprintf(w->csv, "run");
    for (int i = 0; i < w->n_keys; i++)
        fprintf(w->csv, ",%s", w->key[i].path);
    fprintf(w->csv, ",pass");
    for (int i = 0; i < w->n_expect; i++)
        fprintf(w->csv, ",expect%d", i);
    fprintf(w->csv, ",min_cell_v,max_temp_c,energy_in_wh,energy_out_wh,first_protect,"
            "t_first_protect_s");
    for (int i = 0; i < BMS_STATE_COUNT; i++)
        fprintf(w->csv, ",t_%s_s", scn_state_name(i));
    fprintf(w->csv, "\n");
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p)
                free(buf);
            buf = p;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

int cmd_sweep(int argc, char **argv)
{
    struct sweep w;
    memset(&w, 0, sizeof w);
    int rc = parse_args(argc, argv, &w), status = GTX_EXIT_OK;
    if (rc != 0) {
        status = rc > 0 ? GTX_EXIT_OK : GTX_EXIT_USAGE;
        goto out;
    }
    char err[SCN_ERR_MAX];
    struct scn_scenario scn;
    if (scn_load(w.template_path, &scn, err, sizeof err) != 0) { /* FILE:LINE:COL */
        fprintf(stderr, "%s\n", err);
        status = GTX_EXIT_USAGE;
        goto out;
    }
    w.n_expect = scn.expect_count;
    scn_free(&scn);
    w.template_text = read_file(w.template_path);
    w.runs = (uint64_t)w.samples;
    for (int i = 0; i < w.n_keys; i++)
        w.runs *= w.key[i].random ? 1u : (uint64_t)w.key[i].n_values;
    w.cell = calloc(1, sizeof *w.cell);
    if (!w.template_text || !w.cell) {
        status = GTX_EXIT_INTERNAL;
        goto out;
    }
    /* Every path must fit the template before anything runs. */
    char values[SWEEP_MAX_KEYS][32];
    for (int i = 0; i < w.n_keys; i++) {
        cJSON *root = cJSON_Parse(w.template_text), *v = cJSON_CreateNumber(0);
        int bad = set_path(root, w.key[i].path, v);
        cJSON_Delete(root);
        cJSON_Delete(v);
        if (bad) {
            cmd_usage_error("sweep", "%s: the key '%s' does not fit the template (expected a "
                            "path of objects and array indexes such as packs.0.soc)",
                            w.template_path, w.key[i].path);
            status = GTX_EXIT_USAGE;
            goto out;
        }
    }
    char *first = run_text(&w, 0, values);
    struct scn_scenario probe;
    if (!first || scn_load_text("sweep run 0", first, strlen(first), &probe, err, sizeof err)) {
        fprintf(stderr, "gtxsim sweep: error: the first run is not a valid scenario: %s\n",
                first ? err : "?");
        free(first);
        status = GTX_EXIT_USAGE;
        goto out;
    }
    scn_free(&probe);
    free(first);
    if (cmd_load_default_cell(w.cell, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        status = GTX_EXIT_INTERNAL;
        goto out;
    }
    w.csv = w.out ? cmd_open_output("sweep", w.out) : stdout;
    if (!w.csv) {
        status = GTX_EXIT_USAGE;
        goto out;
    }
    write_header(&w);
    if (cpg_pool_run(w.runs, w.jobs, 0, sweep_one, take_row, &w) != 0)
        w.internal = true;
    if (w.out && cmd_close_output("sweep", w.out, w.csv) != 0)
        status = GTX_EXIT_USAGE;
    if (status == GTX_EXIT_OK)
        status = w.internal ? GTX_EXIT_INTERNAL : w.failed_runs ? GTX_EXIT_FAILED : GTX_EXIT_OK;
    fprintf(stderr, "gtxsim sweep: %llu runs, %d failed an expectation\n",
            (unsigned long long)w.runs, w.failed_runs);
out:
    for (int i = 0; i < w.n_keys; i++)
        for (int j = 0; j < w.key[i].n_values; j++)
            free(w.key[i].values[j]);
    free(w.template_text);
    free(w.cell);
    return status;
}
