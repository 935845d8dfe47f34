/* scn_csv.h: a streaming CSV reader for field logs (docs/replay.md): one row
 * in memory at a time, a fixed read buffer, so a year of 1-minute samples
 * streams in constant memory. It takes a UTF-8 byte order mark, CRLF or LF,
 * comma, semicolon or tab separators (found from the header), double quotes,
 * and a decimal comma when the separator is not a comma. Messages are
 * "FILE:ROW:COL: error: WHAT (expected WHAT)", COL in characters.
 */
#ifndef GTX_SCN_CSV_H
#define GTX_SCN_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gtx/scn_lines.h"

#define SCN_CSV_LINE_MAX 4096    /* the longest row, in bytes */
#define SCN_CSV_FIELDS_MAX 64    /* the most columns a row may have */

struct scn_csv {
    struct scn_lines in;          /* the file, a line at a time */
    char path[512];               /* as shown in messages */
    char line[SCN_CSV_LINE_MAX + 1];
    long line_no;                 /* 1-based line of the row in line[] */
    char sep;                     /* ',', ';' or '\t' */
    int n_fields;
    char *field[SCN_CSV_FIELDS_MAX]; /* into line[], unquoted and trimmed */
    int col[SCN_CSV_FIELDS_MAX];  /* 1-based character column where each field starts */
    /* The header, kept for looking columns up (names without their unit). */
    int n_header;
    char header[SCN_CSV_LINE_MAX + 1];
    char *head_name[SCN_CSV_FIELDS_MAX];
    char *head_unit[SCN_CSV_FIELDS_MAX]; /* "" when the header gives none */
    int head_col[SCN_CSV_FIELDS_MAX];
    uint64_t rows;                /* data rows read so far */
    size_t peak_line_bytes;       /* the longest row seen */
};

/* Opens path and reads its header (the first non-empty line). sep 0: find it
 * from the header (';' if it has one, else a tab if it has one, else ',').
 * Returns 0, or -1 with the message in err (c is then closed). */
int scn_csv_open(struct scn_csv *c, const char *path, char sep, char *err, size_t err_len);
void scn_csv_close(struct scn_csv *c);

/* The next data row (empty lines are skipped): 1, 0 at the end, -1 with the
 * message in err (a row too long, too many columns, a read error, an open quote). */
int scn_csv_next(struct scn_csv *c, char *err, size_t err_len);

/* The header column named name: its index, or -1. A header cell is "NAME",
 * "NAME [UNIT]" or "NAME (UNIT)"; name may be either NAME or the whole cell. */
int scn_csv_column(const struct scn_csv *c, const char *name);

/* "a, b, c" of the header's cells, for messages. */
void scn_csv_header_list(const struct scn_csv *c, char *buf, size_t len);

/* Field i of the present row ("" when the row is shorter). */
const char *scn_csv_field(const struct scn_csv *c, int i);

/* "FILE:ROW:COL: error: " + message for field i of the present row (i < 0:
 * column 1; the header's cell when header is set). Returns -1. */
int scn_csv_fail(const struct scn_csv *c, int i, bool header, char *err, size_t err_len,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A decimal number: [+-]digits[.digits][e[+-]digits]; a decimal comma is
 * taken instead of the point when sep is not ','. No nan, inf or hex. */
bool scn_csv_number(const char *text, char sep, double *out);

#endif
