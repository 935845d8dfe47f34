/* fuzz_feed.c: the protocol fuzz targets' shared driver (see fuzz_feed.h). */
#include "fuzz_feed.h"

#include <stdlib.h>

void fuzz_feed(const uint8_t *data, size_t size, unsigned max_chunk, fuzz_input_fn input,
               void *session, void (*reply)(void *ctx, const char *text, size_t len),
               bool (*frame)(void *ctx, const struct board_can_frame *f, char *err,
                             size_t err_len))
{
    const struct bridge_proto_io io = {.ctx = NULL, .reply = reply, .frame = frame};
    unsigned seed = size ? data[0] : 0;
    size_t pos = size ? 1 : 0;
    while (pos < size) {
        size_t chunk = 1 + (seed = seed * 1103515245u + 12345u) % max_chunk;
        if (chunk > size - pos)
            chunk = size - pos;
        input(session, data + pos, chunk, &io);
        pos += chunk;
    }
}

void fuzz_check_frame(const struct board_can_frame *f)
{
    if (f->dlc > 8 || f->id > 0x1FFFFFFFu || (!f->extended && f->id > 0x7FFu))
        abort();
}

bool fuzz_take_frame(void *ctx, const struct board_can_frame *f, char *err, size_t err_len)
{
    (void)ctx;
    (void)err;
    (void)err_len;
    fuzz_check_frame(f);
    return true;
}
