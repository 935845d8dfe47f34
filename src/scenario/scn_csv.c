/* scn_csv: the streaming CSV reader of field logs (gtx/scn_csv.h). Reads
 * through a fixed buffer, splits one row at a time in place, and keeps the
 * header for looking columns up by name.
 */
#include "gtx/scn_csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One physical line into c->line: 1, 0 at the end, -1 too long or
 * unreadable (err says which). */
static int read_line(struct scn_csv *c, char *err, size_t err_len)
{
    size_t n;
    int rc = scn_lines_next(&c->in, c->line, SCN_CSV_LINE_MAX, &n);
    c->line_no = c->in.line_no;
    c->peak_line_bytes = c->in.peak_line_bytes;
    if (rc == SCN_LINES_ERROR)
        snprintf(err, err_len, "%s:%ld:1: error: cannot read: %s", c->path, c->line_no + 1,
                 strerror(errno));
    else if (rc == SCN_LINES_TOO_LONG)
        snprintf(err, err_len, "%s:%ld:1: error: row longer than %d bytes (expected a CSV "
                 "row of a field log)", c->path, c->line_no, SCN_CSV_LINE_MAX);
    return rc < 0 ? -1 : rc;
}

static int chars_between(const char *from, const char *to)
{
    int n = 0;
    for (const char *p = from; p < to; p++)
        n += ((unsigned char)*p & 0xc0u) != 0x80u;
    return n;
}

static char *trim_end(char *s, char *end)
{
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *end = '\0';
    return s;
}

/* Splits line in place into fields. Returns the count, or -1 with err. */
static int split(struct scn_csv *c, char *line, char **field, int *col, char *err,
                 size_t err_len)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || (*p == '\t' && c->sep != '\t'))
            p++;
        if (n == SCN_CSV_FIELDS_MAX) {
            snprintf(err, err_len, "%s:%ld:%d: error: more than %d columns (expected at most "
                     "%d)", c->path, c->line_no, chars_between(line, p) + 1, SCN_CSV_FIELDS_MAX,
                     SCN_CSV_FIELDS_MAX);
            return -1;
        }
        col[n] = chars_between(line, p) + 1;
        char *end;
        if (*p == '"') {
            char *w = p, *r = p + 1;
            for (;;) {
                if (*r == '\0') {
                    snprintf(err, err_len, "%s:%ld:%d: error: quote not closed (expected a "
                             "closing '\"' on the same row)", c->path, c->line_no, col[n]);
                    return -1;
                }
                if (*r == '"' && r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else {
                    *w++ = *r++;
                }
            }
            field[n] = p;
            end = w;
            while (*r == ' ' || (*r == '\t' && c->sep != '\t'))
                r++;
            if (*r != '\0' && *r != c->sep) {
                snprintf(err, err_len, "%s:%ld:%d: error: text after a closing quote (expected "
                         "'%c' or the end of the row)", c->path, c->line_no,
                         chars_between(line, r) + 1, c->sep);
                return -1;
            }
            p = r;
        } else {
            field[n] = p;
            while (*p != '\0' && *p != c->sep)
                p++;
            end = p;
        }
        bool more = *p == c->sep;
        trim_end(field[n], end);
        n++;
        if (!more)
            break;
        p++;
    }
    return n;
}

/* Splits a header cell "NAME [UNIT]" / "NAME (UNIT)" into name and unit (in place). */
static void name_and_unit(char *cell, char **name, char **unit)
{
    size_t len = strlen(cell);
    *name = cell;
    *unit = cell + len;
    if (len < 3 || (cell[len - 1] != ']' && cell[len - 1] != ')'))
        return;
    char open = cell[len - 1] == ']' ? '[' : '(';
    char *o = strrchr(cell, open);
    if (!o || o == cell)
        return;
    cell[len - 1] = '\0';
    *unit = o + 1;
    while (**unit == ' ')
        (*unit)++;
    trim_end(*unit, *unit + strlen(*unit));
    *o = '\0';
    trim_end(cell, o);
}

int scn_csv_open(struct scn_csv *c, const char *path, char sep, char *err, size_t err_len)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", path);
    if (scn_lines_open(&c->in, path) < 0) {
        snprintf(err, err_len, "%s: error: cannot read: %s (expected a CSV file)", path,
                 strerror(errno));
        return -1;
    }
    int rc;
    while ((rc = read_line(c, err, err_len)) == 1)
        if (c->line[strspn(c->line, " \t")] != '\0')
            break;
    if (rc <= 0) {
        if (rc == 0)
            snprintf(err, err_len, "%s:1:1: error: the file is empty (expected a header row "
                     "naming the columns)", path);
        scn_csv_close(c);
        return -1;
    }
    c->sep = sep ? sep : strchr(c->line, ';') ? ';' : strchr(c->line, '\t') ? '\t' : ',';
    memcpy(c->header, c->line, sizeof c->header);
    char *cells[SCN_CSV_FIELDS_MAX];
    int n = split(c, c->header, cells, c->head_col, err, err_len);
    if (n < 0) {
        scn_csv_close(c);
        return -1;
    }
    c->n_header = n;
    for (int i = 0; i < n; i++)
        name_and_unit(cells[i], &c->head_name[i], &c->head_unit[i]);
    return 0;
}

void scn_csv_close(struct scn_csv *c)
{
    scn_lines_close(&c->in);
}

int scn_csv_next(struct scn_csv *c, char *err, size_t err_len)
{
    int rc;
    while ((rc = read_line(c, err, err_len)) == 1) {
        if (c->line[strspn(c->line, " \t")] == '\0')
            continue;
        int n = split(c, c->line, c->field, c->col, err, err_len);
        if (n < 0)
            return -1;
        c->n_fields = n;
        c->rows++;
        return 1;
    }
    return rc;
}

int scn_csv_column(const struct scn_csv *c, const char *name)
{
    for (int i = 0; i < c->n_header; i++) {
        if (strcmp(c->head_name[i], name) == 0)
            return i;
        /* the whole cell as written: "P_bat [kW]" */
        if (c->head_unit[i][0] != '\0') {
            char whole[SCN_CSV_LINE_MAX + 8];
            size_t nl = strlen(c->head_name[i]);
            if (strncmp(name, c->head_name[i], nl) == 0) {
                snprintf(whole, sizeof whole, "%s", name + nl);
                const char *u = whole + strspn(whole, " ");
                if ((u[0] == '[' || u[0] == '(') && strncmp(u + 1, c->head_unit[i],
                                                            strlen(c->head_unit[i])) == 0)
                    return i;
            }
        }
    }
    return -1;
}

void scn_csv_header_list(const struct scn_csv *c, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < c->n_header && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", c->head_name[i]);
}

const char *scn_csv_field(const struct scn_csv *c, int i)
{
    return i >= 0 && i < c->n_fields ? c->field[i] : "";
}

int scn_csv_fail(const struct scn_csv *c, int i, bool header, char *err, size_t err_len,
                 const char *fmt, ...)
{
    long row = header ? 1 : c->line_no;
    int col = 1;
    if (header && i >= 0 && i < c->n_header)
        col = c->head_col[i];
    else if (!header && i >= 0 && i < c->n_fields)
        col = c->col[i];
    else if (!header && i >= c->n_fields && c->n_fields > 0)
        col = chars_between(c->line, c->line + strlen(c->line)) + 1; /* past the short row */
    va_list ap;
    va_start(ap, fmt);
    scn_lines_vfail(err, err_len, c->path, row, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* Exact powers of ten a double holds (Clinger's fast path). */
static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool scn_csv_number(const char *text, char sep, double *out)
{
    while (*text == ' ')
        text++;
    const char *p = text;
    bool neg = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    /* Digits with at most one point, kept as an integer mantissa and a count
     * of fraction digits: a log's numbers are short, and m / 10^k of an exact
     * m and 10^k is the correctly rounded value strtod would give. */
    uint64_t m = 0;
    int digits = 0, frac = -1;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (m < (1ull << 53) / 10)
                m = m * 10 + (uint64_t)(*p - '0');
            else
                digits = 100; /* too many for the fast path */
            digits++;
            if (frac >= 0)
                frac++;
        } else if ((*p == '.' || (*p == ',' && sep != ',')) && frac < 0) {
            frac = 0;
        } else {
            break;
        }
    }
    const char *end = p;
    while (*end == ' ')
        end++;
    if (digits == 0 || (*p != '\0' && *p != 'e' && *p != 'E' && *p != ' ') ||
        (*p == ' ' && *end != '\0'))
        return false;
    if (*p == '\0' || *p == ' ') {
        if (digits < 100 && (frac < 0 || frac <= 22)) {
            double v = (double)m / pow10_exact[frac < 0 ? 0 : frac];
            *out = neg ? -v : v;
            return true;
        }
    }
    /* The exponent, or too many digits: strtod on a copy with a point. */
    char buf[64];
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == ' ')
        n--;
    if (n >= sizeof buf)
        return false;
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        buf[w++] = text[i] == ',' ? '.' : text[i];
    buf[w] = '\0';
    const char *e = strpbrk(buf, "eE");
    if (!e || !((e[1] >= '0' && e[1] <= '9') ||
                ((e[1] == '+' || e[1] == '-') && e[2] >= '0' && e[2] <= '9')))
        return false;
    for (const char *q = e + 1 + (e[1] == '+' || e[1] == '-'); *q; q++)
        if (*q < '0' || *q > '9')
            return false;
    char *stop;
    errno = 0;
    double v = strtod(buf, &stop);
    if (errno == ERANGE || *stop != '\0')
        return false;
    *out = v;
    return true;
}
