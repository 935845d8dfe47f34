/* text_buf.h: a growing text written with printf formats, for the programs that
 * write a scenario as text before loading it (the campaign's sites, gtxsim
 * bench's days). A failed allocation is remembered: the text is then NULL.
 */
#ifndef GTX_TEXT_BUF_H
#define GTX_TEXT_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct text_buf {
    char *buf;   /* NUL-terminated */
    size_t len, cap;
    bool failed; /* an allocation or a format failed: text_buf_take gives NULL */
};

/* An empty text with room for cap bytes (it grows); false when memory is short. */
bool text_buf_init(struct text_buf *t, size_t cap);
void text_put(struct text_buf *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The text, the caller's to free; NULL (and nothing to free) after a failure. */
char *text_buf_take(struct text_buf *t);

#endif
