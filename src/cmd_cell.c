/* cmd_cell: placeholder until the subcommand is built. */
#include <stdio.h>

#include "cmd.h"

int cmd_cell(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gtxsim cell: not implemented yet\n");
    return GTX_EXIT_INTERNAL;
}
