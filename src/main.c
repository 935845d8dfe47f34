/* main.c: the gtxsim command line (docs/spec/CLI.md). Finds the
 * subcommand in a table and hands it the remaining arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "gtx_config.h"

struct gtx_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct gtx_command commands[] = {
    {"gui", cmd_gui, "open the window on a scenario (default: scenarios/default.json)"},
    {"run", cmd_run, "run scenarios headless and check their expectations"},
    {"check", cmd_check, "validate scenario files without running them"},
    {"cell", cmd_cell, "run one cell of the physics model on a current profile"},
    {"bench", cmd_bench, "measure simulation speed on a standard 24 h day"},
    {"train", cmd_train, "troubleshooting exercises: trainer mode, --check, --replay, --report"},
    {"campaign", cmd_campaign, "random fault campaigns checked against the safety invariants"},
    {"merge", cmd_merge, "join the results of campaign shards into one summary"},
    {"sweep", cmd_sweep, "run a scenario over a parameter grid or random samples (CSV)"},
    {"compare", cmd_compare, "plot a replay's logged values against the simulation (PNG)"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim [COMMAND] [ARGS...]\n"
            "       gtxsim --help | --version | COMMAND --help\n\n"
            "A simulator of the SOFAR AMASS GTX2500 LFP battery running its BMS firmware.\n"
            "With no command, opens the window on the default scenario.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
}

/* Standard output is an output file too (`gtxsim run ... > /dev/full`): what
 * could not be written there is a usage error, not a silent success. */
static int stdout_written(int status)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gtxsim: error: cannot write the standard output: %s\n",
                errno ? strerror(errno) : "write error");
        return status == GTX_EXIT_OK || status == GTX_EXIT_FAILED ? GTX_EXIT_USAGE : status;
    }
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cmd_gui(1, argv);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return GTX_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("gtxsim %s\n", GTX_VERSION);
        return GTX_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return stdout_written(commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "gtxsim: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return GTX_EXIT_USAGE;
}
