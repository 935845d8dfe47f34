/* cmd_common: small pieces the subcommands share: usage errors, durations on
 * the command line, the default cell parameters, the JUnit report. */
#ifndef GTX_CMD_COMMON_H
#define GTX_CMD_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gtx/cell.h"
#include "gtx/scenario.h"
#include "gtx/scn_run.h"

struct bms_config;

/* Prints "gtxsim CMD: error: ..." and a hint to --help; returns -1. */
int cmd_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A duration as docs/spec/SCENARIO.md writes it ("10ms", "1s", "2h"), or a bare
 * number of seconds ("300", "0.5") as a scenario's JSON number does. */
int cmd_parse_duration(const char *text, double *seconds);

/* Output files: a file that cannot be written is a usage error (exit 2), named
 * with the OS's reason: "gtxsim CMD: error: cannot write PATH: REASON".
 * cmd_open_output opens (NULL after the message); cmd_close_output flushes and
 * closes, -1 after the message when anything was lost; cmd_probe_output says
 * before a long run whether PATH can be created or overwritten (0 or -1). */
FILE *cmd_open_output(const char *cmd, const char *path);
int cmd_close_output(const char *cmd, const char *path, FILE *f);
int cmd_probe_output(const char *cmd, const char *path);
void cmd_write_error(const char *cmd, const char *path, int err);

/* The option loops' shared steps. cmd_help: when arg is --help or -h, prints the
 * command's usage on stdout and returns true. cmd_option_value: the value an
 * option at argv[i] takes, argv[i + 1], or NULL when it is the last argument. */
bool cmd_help(const char *arg, void (*usage)(FILE *out));
const char *cmd_option_value(int argc, char **argv, int i);

/* An option's value as a number (strtod, nothing after it): true and *out, or
 * false (val NULL or not a number); the caller checks the range. */
bool cmd_number(const char *val, double *out);

/* An option's value as a whole number from lo to hi (digits only, an optional
 * sign): true and *out, or false (val NULL, not a number, out of range). */
bool cmd_whole_number(const char *val, long lo, long hi, long *out);

/* --disable-protection VAL of command cmd: switches that protection (an id such as
 * charge_ot) off in *table, made from the default at the first use (sim_table_new;
 * the caller frees it with sim_table_free). 0, or -1 after a usage error or when
 * memory is short. */
int cmd_disable_protection(const char *cmd, const char *val, struct bms_config **table);

/* assets/cells/lfp50.json, found through gtx_path_find. */
int cmd_load_default_cell(struct cell_params *cell, char *err, size_t err_len);

/* One <testsuite> per scenario, one <testcase> per expectation, into f (left
 * open); interrupted (NULL, or one entry per scenario, NULL when it ran to its
 * end) says how a signal cut a run short. 0, or -1 on a write error. */
int cmd_write_junit(FILE *f, const struct scn_scenario *scns, int n,
                    struct scn_outcome *const *outcomes, const int *counts,
                    const char *const *interrupted);

#endif
