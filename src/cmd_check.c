/* cmd_check: `gtxsim check SCENARIO...` (docs/spec/CLI.md): loads and validates each
 * scenario file without running it; "FILE: ok" on stdout per valid file, the
 * positioned error on stderr per bad one; exit 0 when all are valid, else 2.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "cmd_common.h"
#include "gtx/scenario.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: gtxsim check SCENARIO...\n\n"
                 "Validates scenario files (keys, types, ranges, times) without running them.\n"
                 "Prints \"FILE: ok\" for each valid file and \"FILE:LINE:COL: error: ...\" on\n"
                 "stderr for each bad one. Exit status 0 when all are valid, 2 otherwise.\n");
}

int cmd_check(int argc, char **argv)
{
    int files = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            files += argc - i - 1;
            break;
        }
        if (cmd_help(a, usage))
            return GTX_EXIT_OK;
        if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "gtxsim check: unknown option '%s'\n", a);
            usage(stderr);
            return GTX_EXIT_USAGE;
        }
        files++;
    }
    if (files == 0) {
        fprintf(stderr, "gtxsim check: no scenario file given\n");
        usage(stderr);
        return GTX_EXIT_USAGE;
    }
    int status = GTX_EXIT_OK;
    bool after_dashes = false;
    for (int i = 1; i < argc; i++) {
        if (!after_dashes && strcmp(argv[i], "--") == 0) {
            after_dashes = true;
            continue;
        }
        struct scn_scenario scn;
        char err[SCN_ERR_MAX];
        if (scn_load(argv[i], &scn, err, sizeof err) < 0) {
            fprintf(stderr, "%s\n", err);
            status = GTX_EXIT_USAGE;
            continue;
        }
        printf("%s: ok\n", argv[i]);
        scn_free(&scn);
    }
    return status; /* main flushes stdout and reports a write error */
}
