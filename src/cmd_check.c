/* cmd_check: placeholder until the subcommand is built. */
#include <stdio.h>

#include "cmd.h"

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gtxsim check: not implemented yet\n");
    return GTX_EXIT_INTERNAL;
}
