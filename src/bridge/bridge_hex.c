/* bridge_hex: hex digits as the text protocols write them (socketcand, SLCAN, candump):
 * one parser for all of them. */
#include "gtx/bridge_proto.h"

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool bridge_parse_hex(const char *p, size_t n, uint32_t *out)
{
    if (n == 0 || n > 8)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hex_digit(p[i]);
        if (d < 0)
            return false;
        v = v * 16u + (uint32_t)d;
    }
    *out = v;
    return true;
}
