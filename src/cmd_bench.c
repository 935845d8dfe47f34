/* cmd_bench: placeholder until the subcommand is built. */
#include <stdio.h>

#include "cmd.h"

int cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gtxsim bench: not implemented yet\n");
    return GTX_EXIT_INTERNAL;
}
