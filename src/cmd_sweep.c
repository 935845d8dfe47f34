/* cmd_sweep: placeholder until the sweep lands. */
#include "cmd.h"
int cmd_sweep(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return GTX_EXIT_USAGE;
}
