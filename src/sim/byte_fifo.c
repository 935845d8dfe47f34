/* byte_fifo: a fixed-size byte ring (see byte_fifo.h). */
#include "gtx/byte_fifo.h"

#include <assert.h>
#include <string.h>

/* Copies what fits of src into the ring from the free-running position end, with held
 * bytes taken; in at most two runs (the ring's end, then its start). */
static size_t put(struct byte_fifo *f, uint32_t end, size_t held, const uint8_t *src,
                  size_t len)
{
    size_t room = BYTE_FIFO_SIZE - held;
    size_t n = len < room ? len : room;
    if (n == 0)
        return 0;
    size_t at = end % BYTE_FIFO_SIZE;
    size_t first = n < BYTE_FIFO_SIZE - at ? n : BYTE_FIFO_SIZE - at;
    memcpy(f->data + at, src, first);
    if (n > first) /* the ring wrapped: rare, and a call saved on every frame */
        memcpy(f->data, src + first, n - first);
    return n;
}

size_t byte_fifo_write(struct byte_fifo *f, const uint8_t *src, size_t len)
{
    assert(f->staged == 0); /* a write would land on the bytes on their way */
    size_t n = put(f, f->head, byte_fifo_used(f), src, len);
    f->head += (uint32_t)n;
    return n;
}

size_t byte_fifo_stage(struct byte_fifo *f, const uint8_t *src, size_t len)
{
    size_t n = put(f, f->head + f->staged, byte_fifo_used(f) + f->staged, src, len);
    f->staged += (uint32_t)n;
    return n;
}

size_t byte_fifo_read(struct byte_fifo *f, uint8_t *dst, size_t cap)
{
    size_t used = byte_fifo_used(f);
    size_t n = cap < used ? cap : used;
    if (n == 0)
        return 0;
    size_t at = f->tail % BYTE_FIFO_SIZE;
    size_t first = n < BYTE_FIFO_SIZE - at ? n : BYTE_FIFO_SIZE - at;
    memcpy(dst, f->data + at, first);
    if (n > first)
        memcpy(dst + first, f->data, n - first);
    f->tail += (uint32_t)n;
    return n;
}

void byte_fifo_clear(struct byte_fifo *f)
{
    f->tail = f->head;
}
