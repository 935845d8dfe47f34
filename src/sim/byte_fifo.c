/* byte_fifo: a fixed-size byte ring (see byte_fifo.h). */
#include "gtx/byte_fifo.h"

#include <string.h>

/* Copies in at most two runs (the ring's end, then its start): the link
 * cables move every byte twice per tick. */
size_t byte_fifo_write(struct byte_fifo *f, const uint8_t *src, size_t len)
{
    size_t room = BYTE_FIFO_SIZE - byte_fifo_used(f);
    size_t n = len < room ? len : room;
    f->dropped += (uint32_t)(len - n);
    if (n == 0)
        return 0;
    size_t at = f->head % BYTE_FIFO_SIZE;
    size_t first = n < BYTE_FIFO_SIZE - at ? n : BYTE_FIFO_SIZE - at;
    memcpy(f->data + at, src, first);
    if (n > first) /* the ring wrapped: rare, and a call saved on every frame */
        memcpy(f->data, src + first, n - first);
    f->head += (uint32_t)n;
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

void byte_fifo_move(struct byte_fifo *dst, struct byte_fifo *src)
{
    size_t n = byte_fifo_used(src);
    if (n == 0)
        return;
    size_t at = src->tail % BYTE_FIFO_SIZE;
    size_t first = n < BYTE_FIFO_SIZE - at ? n : BYTE_FIFO_SIZE - at;
    byte_fifo_write(dst, src->data + at, first); /* the ring's end, then its start */
    if (n > first)
        byte_fifo_write(dst, src->data, n - first);
    src->tail += (uint32_t)n;
}

void byte_fifo_clear(struct byte_fifo *f)
{
    f->tail = f->head;
}
