/* cmd_gui: placeholder until the subcommand is built. */
#include <stdio.h>

#include "cmd.h"

int cmd_gui(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gtxsim gui: not implemented yet\n");
    return GTX_EXIT_INTERNAL;
}
