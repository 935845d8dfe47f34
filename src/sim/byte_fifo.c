/* byte_fifo: a fixed-size byte ring (see byte_fifo.h). */
#include "gtx/byte_fifo.h"

size_t byte_fifo_used(const struct byte_fifo *f)
{
    return (size_t)(f->head - f->tail);
}

size_t byte_fifo_write(struct byte_fifo *f, const uint8_t *src, size_t len)
{
    size_t n = 0;
    while (n < len && byte_fifo_used(f) < BYTE_FIFO_SIZE) {
        f->data[f->head % BYTE_FIFO_SIZE] = src[n++];
        f->head++;
    }
    f->dropped += (uint32_t)(len - n);
    return n;
}

size_t byte_fifo_read(struct byte_fifo *f, uint8_t *dst, size_t cap)
{
    size_t n = 0;
    while (n < cap && f->tail != f->head) {
        dst[n++] = f->data[f->tail % BYTE_FIFO_SIZE];
        f->tail++;
    }
    return n;
}

void byte_fifo_clear(struct byte_fifo *f)
{
    f->tail = f->head;
}
