/* scn_lines: one physical line at a time through a fixed buffer
 * (gtx/scn_lines.h), for the CSV and CAN-log readers of field-log replay.
 */
#include "gtx/scn_lines.h"

#include <string.h>

int scn_lines_open(struct scn_lines *l, const char *path)
{
    l->buf_len = l->buf_pos = 0; /* the buffer itself needs no clearing */
    l->at_eof = false;
    l->line_no = 0;
    l->peak_line_bytes = 0;
    l->f = fopen(path, "rb");
    return l->f ? 0 : -1;
}

void scn_lines_close(struct scn_lines *l)
{
    if (l->f)
        fclose(l->f);
    l->f = NULL;
}

/* Refills the buffer: bytes read, 0 at the end, -1 on a read error. */
static int fill(struct scn_lines *l)
{
    if (l->at_eof)
        return 0;
    l->buf_len = fread(l->buf, 1, sizeof l->buf, l->f);
    l->buf_pos = 0;
    if (l->buf_len == 0)
        l->at_eof = true;
    return ferror(l->f) ? -1 : (int)l->buf_len;
}

int scn_lines_next(struct scn_lines *l, char *line, size_t max, size_t *len)
{
    size_t n = 0;
    bool any = false, too_long = false;
    for (;;) {
        if (l->buf_pos >= l->buf_len) {
            int got = fill(l);
            if (got < 0)
                return SCN_LINES_ERROR;
            if (got == 0)
                break;
        }
        unsigned char *start = l->buf + l->buf_pos;
        size_t avail = l->buf_len - l->buf_pos;
        unsigned char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        any = true;
        if (!too_long && n + take <= max) {
            memcpy(line + n, start, take);
            n += take;
        } else {
            too_long = true;
        }
        l->buf_pos += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (!any)
        return SCN_LINES_END;
    l->line_no++;
    if (too_long)
        return SCN_LINES_TOO_LONG;
    if (n > 0 && line[n - 1] == '\r')
        n--;
    if (l->line_no == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
        memmove(line, line + 3, n - 3);
        n -= 3;
    }
    line[n] = '\0';
    if (n > l->peak_line_bytes)
        l->peak_line_bytes = n;
    *len = n;
    return SCN_LINES_OK;
}

int scn_lines_vfail(char *err, size_t err_len, const char *path, long line, int col,
                    const char *fmt, va_list ap)
{
    int used = snprintf(err, err_len, "%s:%ld:%d: error: ", path, line, col);
    if (used >= 0 && (size_t)used < err_len)
        vsnprintf(err + used, err_len - (size_t)used, fmt, ap);
    return -1;
}
