/* gtx_paths: the compiled-in search list for assets and scenarios. */
#include "gtx/paths.h"

#include <stdio.h>
#include <unistd.h>

#include "gtx_config.h"

int gtx_path_find(const char *rel, char *out, size_t out_len)
{
    static const char *const roots[] = {GTX_SOURCE_DIR, GTX_DATA_DIR};
    if (!out || out_len == 0)
        return -1;
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        snprintf(out, out_len, "%s/%s", roots[i], rel);
        if (access(out, R_OK) == 0)
            return 0;
    }
    snprintf(out, out_len, "%s", rel);
    return -1;
}
