/* text_buf: the growing printf text of gtx/text_buf.h. */
#include "gtx/text_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

bool text_buf_init(struct text_buf *t, size_t cap)
{
    *t = (struct text_buf){.buf = malloc(cap), .cap = cap};
    if (!t->buf)
        t->failed = true;
    else
        t->buf[0] = '\0';
    return !t->failed;
}

void text_put(struct text_buf *t, const char *fmt, ...)
{
    for (;;) {
        if (t->failed)
            return;
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = true;
            return;
        }
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = (t->cap + (size_t)n) * 2;
        char *b = realloc(t->buf, cap);
        if (!b) {
            t->failed = true;
            return;
        }
        t->buf = b;
        t->cap = cap;
    }
}

char *text_buf_take(struct text_buf *t)
{
    char *text = t->failed ? NULL : t->buf;
    if (t->failed)
        free(t->buf);
    *t = (struct text_buf){.failed = true};
    return text;
}
