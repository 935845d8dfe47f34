/* cmd_common: small pieces the subcommands share: usage errors, durations on
 * the command line, the default cell parameters, the JUnit report. */
#ifndef GTX_CMD_COMMON_H
#define GTX_CMD_COMMON_H

#include <stddef.h>

#include "gtx/cell.h"
#include "gtx/scenario.h"
#include "gtx/scn_run.h"

/* Prints "gtxsim CMD: error: ..." and a hint to --help; returns -1. */
int cmd_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A duration as docs/spec/SCENARIO.md writes it ("10ms", "1s", "2h", or bare seconds). */
int cmd_parse_duration(const char *text, double *seconds);

/* assets/cells/lfp50.json, found through gtx_path_find. */
int cmd_load_default_cell(struct cell_params *cell, char *err, size_t err_len);

/* One <testsuite> per scenario, one <testcase> per expectation. */
int cmd_write_junit(const char *path, const struct scn_scenario *scns, int n,
                    struct scn_outcome *const *outcomes, const int *counts);

#endif
