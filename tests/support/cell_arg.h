/* cell_arg.h: the suites that build a plant take the cell file as their one argument
 * (their meson.build passes assets/cells/lfp50.json). */
#ifndef GTX_TEST_CELL_ARG_H
#define GTX_TEST_CELL_ARG_H

#include <stdbool.h>
#include <stddef.h>

#include "check_main.h"
#include "gtx/cell.h"

/* Loads argv[1] into out; false, after saying why on stderr, when it is missing or bad. */
bool gtx_cell_arg(int argc, char **argv, struct cell_params *out);

/* The whole main() of such a suite: the cell file into *cell, then gtx_check_main. */
int gtx_check_main_cell(const char *suite, const struct gtx_test *tests, size_t n,
                        double timeout_s, int argc, char **argv, struct cell_params *cell);

#endif
