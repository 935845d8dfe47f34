/* cmd_common: helpers shared by the subcommands (see cmd_common.h). */
#include "cmd_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "gtx/cell_params_load.h"
#include "gtx/scn_write.h"
#include "gtx_paths.h"

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
    return scn_duration_parse(text, seconds);
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

int cmd_write_junit(const char *path, const struct scn_scenario *scns, int n,
                    struct scn_outcome *const *outcomes, const int *counts)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
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
            for (int j = 0; j < counts[i]; j++, k++) {
                cases[k].name = outcomes[i][j].label;
                cases[k].skipped = outcomes[i][j].skipped;
                cases[k].failure = outcomes[i][j].passed || outcomes[i][j].skipped
                                       ? NULL
                                       : outcomes[i][j].message;
            }
        }
        rc = scn_junit_write(f, suites, n);
    }
    free(suites);
    free(cases);
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}
