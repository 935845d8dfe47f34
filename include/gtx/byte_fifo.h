/* byte_fifo: a fixed-size byte ring, the wire of a simulated UART. Writers
 * that find it full lose the bytes that do not fit, like a real UART overrun. */
#ifndef GTX_SIM_BYTE_FIFO_H
#define GTX_SIM_BYTE_FIFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BYTE_FIFO_SIZE 4096u /* a power of two */

/* The counters first: the scheduler reads them for each port of a firmware that ran,
 * and after the data they sat BYTE_FIFO_SIZE apart, in one cache set for all the ports. */
struct byte_fifo {
    uint32_t head;   /* next write, free-running */
    uint32_t tail;   /* next read, free-running */
    uint32_t staged; /* bytes after head on their way (byte_fifo_stage), not readable yet */
    uint8_t data[BYTE_FIFO_SIZE];
};

size_t byte_fifo_write(struct byte_fifo *f, const uint8_t *src, size_t len);
size_t byte_fifo_read(struct byte_fifo *f, uint8_t *dst, size_t cap);
void byte_fifo_clear(struct byte_fifo *f);

/* A cable's delivery in two steps, one copy: the bytes go into the ring after what it
 * holds and what is on its way already (what does not fit is lost, as with a write),
 * and become readable when they arrive. A FIFO is written either by byte_fifo_write or
 * by byte_fifo_stage, not both. byte_fifo_arrive: true when bytes arrived. */
size_t byte_fifo_stage(struct byte_fifo *f, const uint8_t *src, size_t len);

/* Inline, as byte_fifo_arrive: the scheduler asks them of each port of a firmware that
 * ran. */
static inline size_t byte_fifo_used(const struct byte_fifo *f)
{
    return (size_t)(f->head - f->tail);
}

static inline bool byte_fifo_arrive(struct byte_fifo *f)
{
    if (!f->staged)
        return false;
    f->head += f->staged;
    f->staged = 0;
    return true;
}

#endif
