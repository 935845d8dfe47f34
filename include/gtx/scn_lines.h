/* scn_lines.h: the line reader under the field-log readers (the profile's
 * CSV, gtx/scn_csv.h, and the CAN log, gtx/scn_canlog.h): a file read
 * through a fixed buffer, one physical line at a time, so a year of samples
 * streams in constant memory. Each line comes without its CR LF; a UTF-8
 * byte order mark at the start of the file is dropped (it is no character
 * of the first line, so columns in messages do not count it).
 */
#ifndef GTX_SCN_LINES_H
#define GTX_SCN_LINES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SCN_LINES_BUF_BYTES 65536 /* the read buffer */

struct scn_lines {
    FILE *f;
    unsigned char buf[SCN_LINES_BUF_BYTES];
    size_t buf_len, buf_pos;
    bool at_eof;
    long line_no;           /* 1-based number of the line read last */
    size_t peak_line_bytes; /* the longest line read */
};

/* Opens path for reading: 0, or -1 with errno set (nothing to close). */
int scn_lines_open(struct scn_lines *l, const char *path);
void scn_lines_close(struct scn_lines *l);

enum {
    SCN_LINES_END = 0,       /* no more lines */
    SCN_LINES_OK = 1,        /* a line in line[], NUL-terminated, *len bytes */
    SCN_LINES_TOO_LONG = -1, /* over max bytes, a CR before the LF counted (line_no counts it) */
    SCN_LINES_ERROR = -2,    /* a read error, errno set (line_no is the last good line) */
};
/* The next line into line (room for max bytes and a NUL). */
int scn_lines_next(struct scn_lines *l, char *line, size_t max, size_t *len);

/* "PATH:LINE:COL: error: " and the message (fmt, ap) into err: the place of a
 * mistake in a line-oriented file. Returns -1, for the callers' error paths. */
int scn_lines_vfail(char *err, size_t err_len, const char *path, long line, int col,
                    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

#endif
