/* scn_junit: the JUnit XML report of `gtxsim run --junit`: one <testsuite>
 * per scenario, one <testcase> per expectation, a <failure> carrying the
 * one-line message (an <error> when a signal stopped the run first). Text is
 * escaped so that any file name or message gives well-formed XML (invalid
 * bytes and control characters become '?').
 */
#include <stdio.h>
#include <string.h>

#include "gtx/scn_write.h"

typedef void (*emit_fn)(void *ctx, const char *s, size_t n);

/* Length of the well-formed UTF-8 sequence at s, or 0 when it is not one
 * (overlong forms, surrogates and code points above U+10FFFF are not). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

static size_t escape(const char *text, emit_fn emit, void *ctx)
{
    size_t total = 0;
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        case '\n': rep = "&#10;"; break; /* kept inside attribute values */
        case '\r': rep = "&#13;"; break;
        case '\t': rep = "&#9;"; break;
        default: break;
        }
        size_t n = 1;
        if (!rep) {
            n = utf8_len(s);
            if (n == 0 || *s < 0x20 || *s == 0x7F) {
                rep = "?";
                n = 1;
            }
        }
        if (rep) {
            emit(ctx, rep, strlen(rep));
            total += strlen(rep);
        } else {
            emit(ctx, (const char *)s, n);
            total += n;
        }
        s += n;
    }
    return total;
}

struct sink {
    char *buf;
    size_t len, n;
};

static void to_buffer(void *ctx, const char *s, size_t n)
{
    struct sink *k = ctx;
    for (size_t i = 0; i < n; i++, k->n++)
        if (k->n + 1 < k->len)
            k->buf[k->n] = s[i];
}

size_t scn_xml_escape(char *buf, size_t len, const char *text)
{
    struct sink k = {buf, len, 0};
    size_t total = escape(text ? text : "", to_buffer, &k);
    if (len)
        buf[k.n < len ? k.n : len - 1] = '\0';
    return total;
}

static void to_file(void *ctx, const char *s, size_t n)
{
    fwrite(s, 1, n, (FILE *)ctx);
}

static void put_escaped(FILE *f, const char *text)
{
    escape(text ? text : "", to_file, f);
}

int scn_junit_write(FILE *f, const struct scn_junit_suite *suites, int suite_count)
{
    int tests = 0, failures = 0, errors = 0;
    for (int i = 0; i < suite_count; i++) {
        tests += suites[i].case_count;
        for (int k = 0; k < suites[i].case_count; k++) {
            failures += suites[i].cases[k].failure != NULL && !suites[i].cases[k].error;
            errors += suites[i].cases[k].error != NULL;
        }
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites name=\"gtxsim\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n",
            tests, failures, errors);
    for (int i = 0; i < suite_count; i++) {
        const struct scn_junit_suite *s = &suites[i];
        int failed = 0, skipped = 0, errored = 0;
        for (int k = 0; k < s->case_count; k++) {
            failed += s->cases[k].failure != NULL && !s->cases[k].error;
            skipped += s->cases[k].skipped;
            errored += s->cases[k].error != NULL;
        }
        fprintf(f, "  <testsuite name=\"");
        put_escaped(f, s->name);
        fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\"",
                s->case_count, failed, errored, skipped);
        if (s->file) {
            fprintf(f, " file=\"");
            put_escaped(f, s->file);
            fprintf(f, "\"");
        }
        fprintf(f, ">\n");
        if (s->interrupted) {
            fprintf(f, "    <properties>\n      <property name=\"interrupted\" value=\"");
            put_escaped(f, s->interrupted);
            fprintf(f, "\"/>\n    </properties>\n");
        }
        for (int k = 0; k < s->case_count; k++) {
            const struct scn_junit_case *c = &s->cases[k];
            fprintf(f, "    <testcase name=\"");
            put_escaped(f, c->name);
            fprintf(f, "\" classname=\"");
            put_escaped(f, s->name);
            if (c->error) { /* a signal stopped the run before it was decided */
                fprintf(f, "\">\n      <error type=\"interrupted\" message=\"");
                put_escaped(f, c->error);
                fprintf(f, "\"/>\n    </testcase>\n");
                continue;
            }
            if (c->skipped) { /* the run stopped (--until) before its instant */
                fprintf(f, "\">\n      <skipped message=\"not reached before --until\"/>\n"
                           "    </testcase>\n");
                continue;
            }
            if (!c->failure) {
                fprintf(f, "\"/>\n");
                continue;
            }
            fprintf(f, "\">\n      <failure type=\"expectation\" message=\"");
            put_escaped(f, c->failure);
            fprintf(f, "\">");
            put_escaped(f, c->failure);
            fprintf(f, "</failure>\n    </testcase>\n");
        }
        fprintf(f, "  </testsuite>\n");
    }
    fprintf(f, "</testsuites>\n");
    return ferror(f) ? -1 : 0;
}
