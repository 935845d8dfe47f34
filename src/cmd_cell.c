/* cmd_cell: `gtxsim cell PARAMS.json --profile CURRENT.csv --out OUT.csv
 * [--temp-c T] [--soc PCT]` (docs/spec/CLI.md): one cell of the physics model alone,
 * isothermal, driven by a current profile, one output row per profile row.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_common.h"
#include "cmd_signal.h"
#include "gtx/cell.h"
#include "gtx/cell_params_load.h"
#include "gtx/paths.h"

#define CELL_CMD_LINE_MAX 256
#define CELL_CMD_TOKEN_MAX 40

/* One profile row; the time and current are echoed as written, so the output
 * has exactly the input's time_s. */
struct profile_row {
    double time_s, current_a;
    char time_text[CELL_CMD_TOKEN_MAX], current_text[CELL_CMD_TOKEN_MAX];
};

struct profile {
    struct profile_row *rows;
    size_t n, cap;
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim cell PARAMS.json --profile CURRENT.csv --out OUT.csv"
            " [--temp-c T] [--soc PCT] [--cutoff]\n\n"
            "Runs one cell of the physics model alone, isothermal at T (default 25 degC),\n"
            "from an initial SOC in %% (default 100), on a current profile: a CSV with the\n"
            "header time_s,current_a (current > 0 charges, any time step). Writes\n"
            "time_s,current_a,voltage_v,soc (soc in %%), one row per profile row; row k's\n"
            "voltage uses I_k in the R0 term, the states advanced over the previous\n"
            "interval with I_(k-1). It says on stderr which cell it simulates (name,\n"
            "capacity, limits), warns when the profile's current exceeds the cell's\n"
            "rating, and warns at the first row whose voltage leaves the cell's limits\n"
            "(the \"limits\" of the parameter file); --cutoff stops after that row, as a\n"
            "cycler would (docs/spec/CLI.md: by default every profile row is written).\n"
            "SIGINT/SIGTERM stop it with the rows so far written (exit 130/143).\n\n"
            "  --profile FILE  the current profile\n"
            "  --out FILE      where to write the result\n"
            "  --temp-c T      cell temperature in degC (-60..100, default 25)\n"
            "  --soc PCT       initial SOC in %% (0..100, default 100)\n"
            "  --cutoff        stop after the row that crosses a cut-off voltage\n"
            "  --no-cutoff     every profile row (the default; kept for scripts)\n");
}

static int bad_usage(const char *fmt, const char *what)
{
    fprintf(stderr, "gtxsim cell: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n(see gtxsim cell --help)\n");
    return GTX_EXIT_USAGE;
}

/* A whole token as a finite number. */
static int parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static int profile_push(struct profile *pr, const struct profile_row *row)
{
    if (pr->n == pr->cap) {
        size_t cap = pr->cap ? pr->cap * 2 : 4096;
        struct profile_row *r = realloc(pr->rows, cap * sizeof *r);
        if (!r)
            return -1;
        pr->rows = r;
        pr->cap = cap;
    }
    pr->rows[pr->n++] = *row;
    return 0;
}

/* Parses one data line into row; on failure writes what is wrong into why. */
static int parse_row(char *line, struct profile_row *row, const struct profile *pr,
                     char *why, size_t why_len)
{
    char *comma = strchr(line, ',');
    if (!comma) {
        snprintf(why, why_len, "expected two columns time_s,current_a");
        return -1;
    }
    *comma = '\0';
    char *t = trim(line), *i = trim(comma + 1);
    if (strchr(i, ',')) {
        snprintf(why, why_len, "too many columns (expected time_s,current_a)");
        return -1;
    }
    if (strlen(t) >= CELL_CMD_TOKEN_MAX || parse_number(t, &row->time_s) < 0) {
        snprintf(why, why_len, "time_s '%.40s' is not a number (expected seconds)", t);
        return -1;
    }
    if (strlen(i) >= CELL_CMD_TOKEN_MAX || parse_number(i, &row->current_a) < 0) {
        snprintf(why, why_len, "current_a '%.40s' is not a number (expected amperes)", i);
        return -1;
    }
    if (pr->n > 0 && row->time_s < pr->rows[pr->n - 1].time_s) {
        snprintf(why, why_len, "time_s %s is before the previous row's %s (expected "
                 "non-decreasing times)", t, pr->rows[pr->n - 1].time_text);
        return -1;
    }
    memcpy(row->time_text, t, strlen(t) + 1);
    memcpy(row->current_text, i, strlen(i) + 1);
    return 0;
}

static int read_profile(const char *path, struct profile *pr)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: error: cannot read the profile: %s\n", path, strerror(errno));
        return -1;
    }
    char line[CELL_CMD_LINE_MAX];
    char why[160];
    int line_no = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        line_no++;
        if (!strchr(line, '\n') && !feof(f)) {
            fprintf(stderr, "%s:%d: error: line too long (expected at most %d characters)\n",
                    path, line_no, CELL_CMD_LINE_MAX - 2);
            rc = -1;
            break;
        }
        char *s = trim(line);
        if (line_no == 1) {
            if (strcmp(s, "time_s,current_a") != 0) {
                fprintf(stderr, "%s:1: error: header '%.60s' (expected time_s,current_a)\n",
                        path, s);
                rc = -1;
                break;
            }
            continue;
        }
        if (*s == '\0')
            continue;
        struct profile_row row;
        if (parse_row(s, &row, pr, why, sizeof why) < 0) {
            fprintf(stderr, "%s:%d: error: %s\n", path, line_no, why);
            rc = -1;
            break;
        }
        if (profile_push(pr, &row) < 0) {
            fprintf(stderr, "%s: error: out of memory\n", path);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "%s: error: cannot read the profile\n", path);
        rc = -1;
    }
    if (rc == 0 && line_no == 0) {
        fprintf(stderr, "%s:1: error: empty file (expected the header time_s,current_a)\n",
                path);
        rc = -1;
    } else if (rc == 0 && pr->n == 0) {
        fprintf(stderr, "%s:%d: error: no data rows (expected time_s,current_a rows)\n",
                path, line_no + 1);
        rc = -1;
    }
    fclose(f);
    return rc;
}

/* The parameter file as the user wrote it, relative to the working directory;
 * a relative path that is not there is also looked up among gtxsim's assets. */
static const char *params_path(const char *given, char *buf, size_t len)
{
    if (access(given, F_OK) == 0 || given[0] == '/')
        return given;
    return gtx_path_find(given, buf, len) == 0 ? buf : given;
}

struct cell_run {
    double temp_c, soc_pct;
    bool cutoff;
    const char *params_path, *out_path;
};

/* Says which cell is simulated, and warns when the profile asks more current
 * than the cell is rated for (a pack's profile on one small cell). */
static void describe(const struct cell_params *p, const struct profile *pr,
                     const struct cell_run *c)
{
    const struct cell_limits *l = &p->limits;
    fprintf(stderr, "gtxsim cell: %s (%s), %.4g Ah", p->name, c->params_path, p->capacity_ah);
    if (l->given)
        fprintf(stderr, ", %.2f-%.2f V, rated %.4g A charge / %.4g A discharge", l->v_min_v,
                l->v_max_v, l->charge_a, l->discharge_a);
    fprintf(stderr, "; at %g degC from %g %% SOC%s\n", c->temp_c, c->soc_pct,
            !l->given ? "; the file gives no limits: no cut-off"
            : c->cutoff ? "; stops at the cut-off" : "");
    if (!l->given)
        return;
    size_t hi = 0, lo = 0;
    for (size_t k = 1; k < pr->n; k++) {
        if (pr->rows[k].current_a > pr->rows[hi].current_a)
            hi = k;
        if (pr->rows[k].current_a < pr->rows[lo].current_a)
            lo = k;
    }
    if (pr->rows[hi].current_a > l->charge_a)
        fprintf(stderr, "gtxsim cell: warning: the profile charges at up to %s A (time_s %s), "
                "more than the %.4g A %s is rated for\n", pr->rows[hi].current_text,
                pr->rows[hi].time_text, l->charge_a, p->name);
    if (-pr->rows[lo].current_a > l->discharge_a)
        fprintf(stderr, "gtxsim cell: warning: the profile discharges at up to %.6g A (time_s "
                "%s), more than the %.4g A %s is rated for\n", -pr->rows[lo].current_a,
                pr->rows[lo].time_text, l->discharge_a, p->name);
}

static int run(const struct cell_params *p, const struct profile *pr, const struct cell_run *c)
{
    FILE *out = cmd_open_output("cell", c->out_path);
    if (!out)
        return GTX_EXIT_USAGE;
    describe(p, pr, c);
    const atomic_int *stop = cmd_stop_signals();
    bool warned = !p->limits.given;
    struct cell_state s;
    cell_init(&s, p, c->soc_pct / 100.0, c->temp_c);
    fprintf(out, "time_s,current_a,voltage_v,soc\n");
    int status = GTX_EXIT_OK;
    for (size_t k = 0; k < pr->n; k++) {
        const struct profile_row *r = &pr->rows[k];
        if (k > 0) {
            const struct profile_row *prev = &pr->rows[k - 1];
            cell_step(p, &s, prev->current_a, r->time_s - prev->time_s, NULL);
        }
        double v = cell_voltage_v(p, &s, r->current_a);
        fprintf(out, "%s,%s,%.6f,%.4f\n", r->time_text, r->current_text, v, 100.0 * s.soc);
        /* docs/spec/CLI.md's contract is one row per profile row: by default the first
         * crossing is only said; --cutoff stops there and keeps the row, as a
         * cycler does. */
        if (!warned && (v < p->limits.v_min_v || v > p->limits.v_max_v)) {
            bool low = v < p->limits.v_min_v;
            fprintf(stderr, "gtxsim cell: %s time_s %s (row %zu of %zu): %.4f V is %s "
                    "the %s cut-off %.2f V of %s%s\n", c->cutoff ? "stopped at" : "warning: at",
                    r->time_text, k + 1, pr->n, v, low ? "below" : "above",
                    low ? "discharge" : "charge", low ? p->limits.v_min_v : p->limits.v_max_v,
                    p->name, c->cutoff ? "" : " (--cutoff stops there)");
            if (c->cutoff)
                break;
            warned = true;
        }
        if (*stop && k + 1 < pr->n) {
            fprintf(stderr, "gtxsim cell: interrupted by %s at time_s %s (row %zu of %zu)\n",
                    cmd_stop_name(*stop), r->time_text, k + 1, pr->n);
            status = cmd_stop_status(*stop);
            break;
        }
    }
    if (cmd_close_output("cell", c->out_path, out) != 0 && status == GTX_EXIT_OK)
        status = GTX_EXIT_USAGE;
    return status;
}

int cmd_cell(int argc, char **argv)
{
    const char *params_arg = NULL, *profile_arg = NULL, *out_arg = NULL;
    double temp_c = 25.0, soc_pct = 100.0;
    bool cutoff = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cmd_help(a, usage))
            return GTX_EXIT_OK;
        int has_value = i + 1 < argc;
        if (strcmp(a, "--cutoff") == 0 || strcmp(a, "--no-cutoff") == 0) {
            cutoff = a[2] == 'c';
        } else if (strcmp(a, "--profile") == 0 || strcmp(a, "--out") == 0) {
            if (!has_value)
                return bad_usage("%s needs a file name", a);
            *(a[2] == 'p' ? &profile_arg : &out_arg) = argv[++i];
        } else if (strcmp(a, "--temp-c") == 0) {
            if (!has_value)
                return bad_usage("%s needs a temperature in degC", a);
            if (parse_number(argv[++i], &temp_c) < 0 || temp_c < -60.0 || temp_c > 100.0)
                return bad_usage("--temp-c '%s' is not a temperature (expected -60..100)",
                                 argv[i]);
        } else if (strcmp(a, "--soc") == 0) {
            if (!has_value)
                return bad_usage("%s needs a SOC in %%", a);
            if (parse_number(argv[++i], &soc_pct) < 0 || soc_pct < 0.0 || soc_pct > 100.0)
                return bad_usage("--soc '%s' is not a SOC (expected 0..100)", argv[i]);
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad_usage("unknown option '%s'", a);
        } else if (!params_arg) {
            params_arg = a;
        } else {
            return bad_usage("unexpected argument '%s' (one parameter file only)", a);
        }
    }
    if (!params_arg)
        return bad_usage("%s", "missing the parameter file PARAMS.json");
    if (!profile_arg)
        return bad_usage("%s", "missing --profile CURRENT.csv");
    if (!out_arg)
        return bad_usage("%s", "missing --out OUT.csv");

    struct cell_params params;
    char path[1024], err[1024];
    if (cell_params_load(params_path(params_arg, path, sizeof path), &params, err,
                         sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return GTX_EXIT_USAGE;
    }
    struct profile pr = {0};
    int rc = GTX_EXIT_USAGE;
    struct cell_run c = {.temp_c = temp_c, .soc_pct = soc_pct, .cutoff = cutoff,
                         .params_path = params_arg, .out_path = out_arg};
    if (read_profile(profile_arg, &pr) == 0)
        rc = run(&params, &pr, &c);
    free(pr.rows);
    return rc;
}
