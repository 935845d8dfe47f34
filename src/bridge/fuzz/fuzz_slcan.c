/* fuzz_slcan: libFuzzer target for the SLCAN protocol machine. The input is
 * fed in chunks to one session; replies must be CR, BEL or a CR-terminated
 * printable line, never LF; frames must be valid. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_feed.h"

/* The session's input as fuzz_feed calls it (the session as void *). */
static void input(void *s, const uint8_t *data, size_t len, const struct bridge_proto_io *io)
{
    bridge_slcan_input(s, data, len, io);
}

static void on_reply(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    if (len == 1 && (text[0] == '\r' || text[0] == '\a'))
        return;
    if (len < 2 || len > BRIDGE_SLCAN_FRAME_MAX || text[len - 1] != '\r')
        abort();
    for (size_t i = 0; i + 1 < len; i++)
        if (text[i] < 0x20 || text[i] > 0x7E)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bridge_slcan s;
    bridge_slcan_init(&s);
    fuzz_feed(data, size, 32u, input, &s, on_reply, fuzz_take_frame);
    struct board_can_frame f;
    if (bridge_slcan_parse_frame((const char *)data, size, &f)) {
        char buf[BRIDGE_SLCAN_FRAME_MAX];
        s.timestamps = size & 1;
        size_t n = bridge_slcan_format_frame(&s, buf, sizeof buf, size * 1000u, &f);
        if (n == 0 || memchr(buf, '\n', n))
            abort();
    }
    return 0;
}
