/* cmd_common: helpers shared by the subcommands (see cmd_common.h). */
#include "cmd_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gtx/cell_params_load.h"
#include "gtx/scn_write.h"
#include "gtx/sim.h"
#include "gtx/paths.h"

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gtxsim %s: error: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see 'gtxsim %s --help')\n", cmd);
    va_end(ap);
    return -1;
}

int cmd_parse_duration(const char *text, double *seconds)
{
    return scn_duration_parse_arg(text, seconds);
}

void cmd_write_error(const char *cmd, const char *path, int err)
{
    fprintf(stderr, "gtxsim %s: error: cannot write %s: %s\n", cmd, path,
            err ? strerror(err) : "write error");
}

FILE *cmd_open_output(const char *cmd, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        cmd_write_error(cmd, path, errno);
    return f;
}

int cmd_close_output(const char *cmd, const char *path, FILE *f)
{
    errno = 0;
    int bad = fflush(f) != 0 || ferror(f);
    int err = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (bad)
        cmd_write_error(cmd, path, err);
    return bad ? -1 : 0;
}

int cmd_probe_output(const char *cmd, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            cmd_write_error(cmd, path, EISDIR);
            return -1;
        }
        if (access(path, W_OK) != 0) {
            cmd_write_error(cmd, path, errno);
            return -1;
        }
        return 0;
    }
    if (errno != ENOENT) {
        cmd_write_error(cmd, path, errno);
        return -1;
    }
    /* A new file: its folder must exist and take it. */
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    if (stat(dir, &st) != 0) {
        cmd_write_error(cmd, path, errno);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        cmd_write_error(cmd, path, ENOTDIR);
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        cmd_write_error(cmd, path, errno);
        return -1;
    }
    return 0;
}

bool cmd_help(const char *arg, void (*usage)(FILE *out))
{
    if (strcmp(arg, "--help") != 0 && strcmp(arg, "-h") != 0)
        return false;
    usage(stdout);
    return true;
}

const char *cmd_option_value(int argc, char **argv, int i)
{
    return i + 1 < argc ? argv[i + 1] : NULL;
}

bool cmd_number(const char *val, double *out)
{
    char *end = NULL;
    *out = val ? strtod(val, &end) : 0.0;
    return val && *end == '\0';
}

bool cmd_whole_number(const char *val, long lo, long hi, long *out)
{
    char *end = NULL;
    long n = val ? strtol(val, &end, 10) : 0;
    if (!val || end == val || *end || n < lo || n > hi)
        return false;
    *out = n;
    return true;
}

int cmd_disable_protection(const char *cmd, const char *val, struct bms_config **table)
{
    int id = val ? scn_protect_from_name(val) : -1;
    if (id < 0)
        return cmd_usage_error(cmd, "--disable-protection needs a protection id such as "
                               "charge_ot (got '%s')", val ? val : "");
    if (!*table && !(*table = sim_table_new()))
        return -1;
    sim_table_disable_protection(*table, id);
    return 0;
}

int cmd_load_default_cell(struct cell_params *cell, char *err, size_t err_len)
{
    char path[1024];
    if (gtx_path_find("assets/cells/lfp50.json", path, sizeof path) != 0) {
        snprintf(err, err_len, "gtxsim: error: cannot find assets/cells/lfp50.json");
        return -1;
    }
    return cell_params_load(path, cell, err, err_len);
}

int cmd_write_junit(FILE *f, const struct scn_scenario *scns, int n,
                    struct scn_outcome *const *outcomes, const int *counts,
                    const char *const *interrupted)
{
    struct scn_junit_suite *suites = calloc((size_t)n + 1, sizeof *suites);
    int total = 0;
    for (int i = 0; i < n; i++)
        total += counts[i];
    struct scn_junit_case *cases = calloc((size_t)total + 1, sizeof *cases);
    int rc = -1;
    if (suites && cases) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            suites[i].name = scns[i].name;
            suites[i].file = scns[i].path;
            suites[i].cases = cases + k;
            suites[i].case_count = counts[i];
            suites[i].interrupted = interrupted ? interrupted[i] : NULL;
            for (int j = 0; j < counts[i]; j++, k++) {
                cases[k].name = outcomes[i][j].label;
                cases[k].skipped = outcomes[i][j].skipped;
                cases[k].error = outcomes[i][j].interrupted ? outcomes[i][j].message : NULL;
                cases[k].failure = outcomes[i][j].passed || outcomes[i][j].skipped
                                       ? NULL
                                       : outcomes[i][j].message;
            }
        }
        rc = scn_junit_write(f, suites, n);
    }
    free(suites);
    free(cases);
    return rc;
}
