/* cell_params_load: reads a cell parameter file (assets/cells/NAME.json, format in
 * docs/physics.md) into struct cell_params, rejecting anything malformed with
 * "FILE:LINE:COL: error: WHAT (expected WHAT)".
 */
#ifndef GTX_CELL_PARAMS_LOAD_H
#define GTX_CELL_PARAMS_LOAD_H

#include <stddef.h>

#include "gtx/cell.h"

/* Returns 0 and fills out, or -1 with a complete one-line message in err
 * (out is then unspecified). */
int cell_params_load(const char *path, struct cell_params *out, char *err, size_t err_len);

/* The same from text in memory; path only names it in messages. */
int cell_params_parse(const char *path, const char *text, size_t len, struct cell_params *out,
                      char *err, size_t err_len);

#endif
