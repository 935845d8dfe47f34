/* cell_arg.c: a suite's cell file argument (cell_arg.h). */
#include "cell_arg.h"

#include <stdio.h>
#include <stdlib.h>

#include "gtx/cell_params_load.h"

bool gtx_cell_arg(int argc, char **argv, struct cell_params *out)
{
    char err[512];
    if (argc < 2) {
        fprintf(stderr, "usage: %s CELL.json\n", argc > 0 ? argv[0] : "test");
        return false;
    }
    if (cell_params_load(argv[1], out, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return false;
    }
    return true;
}

int gtx_check_main_cell(const char *suite, const struct gtx_test *tests, size_t n,
                        double timeout_s, int argc, char **argv, struct cell_params *cell)
{
    if (!gtx_cell_arg(argc, argv, cell))
        return EXIT_FAILURE;
    return gtx_check_main(suite, tests, n, timeout_s, NULL, false);
}
