/* cmd_compare: `gtxsim compare COMPARE.csv --plot OUT.png` (docs/replay.md,
 * "Comparison"): draws the pairs `gtxsim run --compare` wrote, logged against
 * simulated, as a PNG in the window's plot style.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "cmd_common.h"
#include "gtx/ui.h"

static void compare_usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim compare COMPARE.csv --plot OUT.png\n"
            "Draws a replay's logged SOC, voltage and current against the simulated ones\n"
            "(the CSV of `gtxsim run SCENARIO --compare COMPARE.csv`, docs/replay.md) as a\n"
            "1280x800 PNG in the window's plot style; no display needed.\n\n"
            "  --plot FILE.png      the picture to write (required)\n\n"
            "Exit status: 0 written, 2 bad usage or a bad CSV (FILE:ROW:COL: error: ...)\n"
            "or a PNG that cannot be written, 3 internal error.\n");
}

/* The message of cmd_usage_error (one string argument), and the status. */
static int usage_error(const char *fmt, const char *arg)
{
    cmd_usage_error("compare", fmt, arg);
    return GTX_EXIT_USAGE;
}

int cmd_compare(int argc, char **argv)
{
    const char *csv = NULL, *png = NULL;
    for (int i = 1; i < argc; i++) {
        if (cmd_help(argv[i], compare_usage))
            return GTX_EXIT_OK;
        if (strcmp(argv[i], "--plot") == 0) {
            if (i + 1 >= argc)
                return usage_error("--plot needs a file name", "");
            png = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error("unknown option '%s'", argv[i]);
        } else if (!csv) {
            csv = argv[i];
        } else {
            return usage_error("one CSV only ('%s' is a second)", argv[i]);
        }
    }
    if (!csv || !png)
        return usage_error("%s", !csv ? "no CSV given (expected the file of gtxsim run "
                                        "--compare)" : "no --plot OUT.png given");
    char err[1024];
    int rc = ui_compare_plot(csv, png, csv, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        return GTX_EXIT_USAGE;
    }
    return GTX_EXIT_OK;
}
