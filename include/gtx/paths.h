/* gtx/paths.h: where gtxsim finds its assets and scenarios, from any working
 * directory: the source tree of an uninstalled build, else the data directory. */
#ifndef GTX_PATHS_H
#define GTX_PATHS_H

#include <stddef.h>

/* Writes the full path of REL (e.g. "assets/cells/lfp50.json") into out.
 * Returns 0 when the file exists there, -1 when it exists nowhere. */
int gtx_path_find(const char *rel, char *out, size_t out_len);

#endif
