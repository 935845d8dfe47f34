/* byte_fifo: a fixed-size byte ring, the wire of a simulated UART. Writers
 * that find it full lose the bytes that do not fit, like a real UART overrun. */
#ifndef GTX_SIM_BYTE_FIFO_H
#define GTX_SIM_BYTE_FIFO_H

#include <stddef.h>
#include <stdint.h>

#define BYTE_FIFO_SIZE 4096u /* a power of two */

/* The counters first: the scheduler reads them for every port at every instant, and
 * after the data they sat BYTE_FIFO_SIZE apart, in one cache set for all the ports. */
struct byte_fifo {
    uint32_t head; /* next write, free-running */
    uint32_t tail; /* next read, free-running */
    uint32_t dropped;
    uint8_t data[BYTE_FIFO_SIZE];
};

size_t byte_fifo_write(struct byte_fifo *f, const uint8_t *src, size_t len);
size_t byte_fifo_read(struct byte_fifo *f, uint8_t *dst, size_t cap);
/* Everything src holds into dst (what does not fit is lost, as with a write);
 * src is empty after. */
void byte_fifo_move(struct byte_fifo *dst, struct byte_fifo *src);
void byte_fifo_clear(struct byte_fifo *f);

/* Inline: the scheduler asks it of every port at every instant. */
static inline size_t byte_fifo_used(const struct byte_fifo *f)
{
    return (size_t)(f->head - f->tail);
}

#endif
