/* fuzz_socketcand: libFuzzer target for the socketcand protocol machine.
 * The input is split into chunks (its first byte seeds the chunk sizes) and
 * fed to one session; every reply must be a whole message and every frame
 * valid. Build: CC=clang meson setup -Dfuzz=true (docs/bridges.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_feed.h"

/* The session's input as fuzz_feed calls it (the session as void *). */
static void input(void *s, const uint8_t *data, size_t len, const struct bridge_proto_io *io)
{
    bridge_scd_input(s, data, len, io);
}

static void on_reply(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    /* "< ... >" or " < ... >", printable, at most one message's worth */
    size_t lead = len > 0 && text[0] == ' ' ? 1 : 0;
    if (len < lead + 4 || text[lead] != '<' || text[len - 1] != '>' || len > 300)
        abort();
    for (size_t i = 0; i < len; i++)
        if (text[i] < 0x20 || text[i] > 0x7E)
            abort();
}

static bool on_frame(void *ctx, const struct board_can_frame *f, char *err, size_t err_len)
{
    (void)ctx;
    fuzz_check_frame(f);
    if (f->id & 1u) { /* refuse some, as the bench does; some without a reason */
        if (f->id & 2u)
            snprintf(err, err_len, "refused %u", (unsigned)f->dlc);
        return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bridge_scd s;
    bridge_scd_init(&s);
    fuzz_feed(data, size, 64u, input, &s, on_reply, on_frame);
    /* the parser alone on the whole input, as one message */
    char err[BRIDGE_ERR_MAX];
    struct bridge_scd_req req;
    bridge_scd_parse((const char *)data, size, &req, err, sizeof err);
    if (size >= 12) {
        struct board_can_frame f = {.id = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
                                          (uint32_t)data[2] << 8 | data[3],
                                    .dlc = data[4], .extended = data[5] & 1};
        memcpy(f.data, data + 4, 8);
        char buf[BRIDGE_SCD_FRAME_MAX];
        uint64_t t_us;
        memcpy(&t_us, data + 4, sizeof t_us);
        if (bridge_scd_format_frame(buf, sizeof buf, t_us, &f) >= sizeof buf)
            abort();
    }
    return 0;
}
