/* cmd_run: placeholder until the subcommand is built. */
#include <stdio.h>

#include "cmd.h"

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gtxsim run: not implemented yet\n");
    return GTX_EXIT_INTERNAL;
}
