/* cell_arg.h: the suites that build a plant take the cell file as their one argument
 * (their meson.build passes assets/cells/lfp50.json). */
#ifndef GTX_TEST_CELL_ARG_H
#define GTX_TEST_CELL_ARG_H

#include <stdbool.h>

#include "gtx/cell.h"

/* Loads argv[1] into out; false, after saying why on stderr, when it is missing or bad. */
bool gtx_cell_arg(int argc, char **argv, struct cell_params *out);

#endif
