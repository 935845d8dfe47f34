/* cmd.h: the gtxsim subcommands, one file each; main.c only dispatches. */
#ifndef GTX_CMD_H
#define GTX_CMD_H

/* Exit statuses of docs/spec/CLI.md. */
enum {
    GTX_EXIT_OK = 0,
    GTX_EXIT_FAILED = 1,   /* an expectation failed */
    GTX_EXIT_USAGE = 2,    /* bad usage or a bad input file; nothing run */
    GTX_EXIT_INTERNAL = 3, /* internal error */
};

int cmd_cell(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_gui(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_campaign(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_compare(int argc, char **argv);

#endif
