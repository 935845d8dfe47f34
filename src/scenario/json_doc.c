/* json_doc: strict JSON scanner that checks the syntax with precise messages
 * and records where every key and value starts, then cJSON for the tree. The
 * scanner visits values in the same pre-order as cJSON builds its tree, so
 * the two are zipped together to give each cJSON node its position.
 */
#include "gtx/json_doc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_DOC_MAX_DEPTH 256
#define JSON_DOC_MAX_BYTES (256u * 1024u * 1024u)
#define NO_KEY SIZE_MAX

struct scan {
    const char *s;
    size_t len;
    size_t i;
    struct json_doc_entry *out; /* node left NULL here, filled when zipping */
    size_t count, cap;
    size_t err_offset;
    char msg[256];
};

static int scan_fail(struct scan *sc, size_t at, const char *fmt, const char *what)
{
    sc->err_offset = at;
    snprintf(sc->msg, sizeof sc->msg, fmt, what);
    return -1;
}

static void skip_ws(struct scan *sc)
{
    while (sc->i < sc->len) {
        char c = sc->s[sc->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->i++;
    }
}

/* A short, printable description of the character at i, for messages. */
static const char *describe(const struct scan *sc, size_t i, char buf[16])
{
    if (i >= sc->len)
        return "end of file";
    unsigned char c = (unsigned char)sc->s[i];
    if (c >= 0x20 && c < 0x7f)
        snprintf(buf, 16, "'%c'", c);
    else
        snprintf(buf, 16, "byte 0x%02x", c);
    return buf;
}

static int unexpected(struct scan *sc, const char *expected)
{
    char buf[16];
    char what[200];
    snprintf(what, sizeof what, "unexpected %s (expected %s)", describe(sc, sc->i, buf), expected);
    return scan_fail(sc, sc->i, "%s", what);
}

static int record(struct scan *sc, size_t key_offset, size_t value_offset)
{
    if (sc->count == sc->cap) {
        size_t cap = sc->cap ? sc->cap * 2 : 64;
        struct json_doc_entry *p = realloc(sc->out, cap * sizeof *p);
        if (!p)
            return scan_fail(sc, sc->i, "%s", "out of memory (expected a smaller file)");
        sc->out = p;
        sc->cap = cap;
    }
    sc->out[sc->count].node = NULL;
    sc->out[sc->count].key_offset = key_offset;
    sc->out[sc->count].value_offset = value_offset;
    sc->count++;
    return 0;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int scan_string(struct scan *sc)
{
    size_t start = sc->i;
    sc->i++; /* opening quote */
    while (sc->i < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->i];
        if (c == '"') {
            sc->i++;
            return 0;
        }
        /* A raw newline almost always means a missing closing quote. */
        if (c == '\n' || c == '\r')
            return scan_fail(sc, start, "%s", "unterminated string (expected a closing '\"' "
                                              "on the same line)");
        if (c < 0x20)
            return scan_fail(sc, sc->i, "%s", "control character in string (expected it "
                                              "escaped, such as \\t)");
        if (c == '\\') {
            sc->i++;
            if (sc->i >= sc->len)
                break;
            char e = sc->s[sc->i];
            if (e == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (sc->i + (size_t)k >= sc->len || !is_hex(sc->s[sc->i + (size_t)k]))
                        return scan_fail(sc, sc->i - 1, "%s",
                                         "bad \\u escape in string (expected 4 hex digits)");
                sc->i += 4;
            } else if (!strchr("\"\\/bfnrt", e) || e == '\0') {
                return scan_fail(sc, sc->i - 1, "%s", "bad escape in string (expected one of "
                                 "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
        sc->i++;
    }
    return scan_fail(sc, start, "%s", "unterminated string (expected a closing '\"')");
}

static int scan_digits(struct scan *sc)
{
    size_t from = sc->i;
    while (sc->i < sc->len && sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9')
        sc->i++;
    return sc->i > from ? 0 : -1;
}

static int scan_number(struct scan *sc)
{
    size_t start = sc->i;
    if (sc->s[sc->i] == '-')
        sc->i++;
    if (sc->i < sc->len && sc->s[sc->i] == '0')
        sc->i++;
    else if (scan_digits(sc) < 0)
        return scan_fail(sc, start, "%s", "bad number (expected a digit after '-')");
    if (sc->i < sc->len && sc->s[sc->i] == '.') {
        sc->i++;
        if (scan_digits(sc) < 0)
            return scan_fail(sc, start, "%s", "bad number (expected digits after '.')");
    }
    if (sc->i < sc->len && (sc->s[sc->i] == 'e' || sc->s[sc->i] == 'E')) {
        sc->i++;
        if (sc->i < sc->len && (sc->s[sc->i] == '+' || sc->s[sc->i] == '-'))
            sc->i++;
        if (scan_digits(sc) < 0)
            return scan_fail(sc, start, "%s", "bad number (expected digits in the exponent)");
    }
    if (sc->i < sc->len && (sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9'))
        return scan_fail(sc, start, "%s", "bad number (expected no leading zeros)");
    return 0;
}

static int scan_word(struct scan *sc, const char *word)
{
    size_t n = strlen(word);
    if (sc->len - sc->i < n || memcmp(sc->s + sc->i, word, n) != 0)
        return unexpected(sc, "a value: object, array, string, number, true, false or null");
    sc->i += n;
    return 0;
}

static int scan_value(struct scan *sc, size_t key_offset, int depth);

/* Takes c when it is the next character. */
static bool scan_take(struct scan *sc, char c)
{
    if (sc->i < sc->len && sc->s[sc->i] == c) {
        sc->i++;
        return true;
    }
    return false;
}

/* A member's key and its ':'; *key: where the key starts. */
static int scan_key(struct scan *sc, size_t *key)
{
    skip_ws(sc);
    if (sc->i >= sc->len || sc->s[sc->i] != '"')
        return unexpected(sc, "a key in double quotes");
    *key = sc->i;
    if (scan_string(sc) < 0)
        return -1;
    skip_ws(sc);
    if (!scan_take(sc, ':'))
        return unexpected(sc, "':' after the key");
    return 0;
}

/* An object (close '}': members with keys) or an array (close ']': values), from its
 * opening character. */
static int scan_container(struct scan *sc, int depth, char close)
{
    const char *item = close == '}' ? "member" : "value";
    char what[80];
    sc->i++; /* '{' or '[' */
    skip_ws(sc);
    if (scan_take(sc, close))
        return 0;
    for (;;) {
        size_t key = NO_KEY;
        if (close == '}' && scan_key(sc, &key) < 0)
            return -1;
        if (scan_value(sc, key, depth + 1) < 0)
            return -1;
        skip_ws(sc);
        if (scan_take(sc, close))
            return 0;
        if (!scan_take(sc, ',')) {
            snprintf(what, sizeof what, "',' or '%c'", close);
            return unexpected(sc, what);
        }
        skip_ws(sc);
        if (sc->i < sc->len && sc->s[sc->i] == close) {
            snprintf(what, sizeof what, "trailing ',' before '%c' (expected another %s after "
                     "',')", close, item);
            return scan_fail(sc, sc->i, "%s", what);
        }
    }
}

static int scan_value(struct scan *sc, size_t key_offset, int depth)
{
    skip_ws(sc);
    if (depth > JSON_DOC_MAX_DEPTH)
        return scan_fail(sc, sc->i, "%s", "nested too deeply (expected at most 256 levels)");
    if (sc->i >= sc->len)
        return unexpected(sc, "a value");
    if (record(sc, key_offset, sc->i) < 0)
        return -1;
    switch (sc->s[sc->i]) {
    case '{': return scan_container(sc, depth, '}');
    case '[': return scan_container(sc, depth, ']');
    case '"': return scan_string(sc);
    case 't': return scan_word(sc, "true");
    case 'f': return scan_word(sc, "false");
    case 'n': return scan_word(sc, "null");
    default:
        if (sc->s[sc->i] == '-' || (sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9'))
            return scan_number(sc);
        return unexpected(sc, "a value: object, array, string, number, true, false or null");
    }
}


/* Moves a cursor (offset *at, position *p) forward to offset `to`. */
static void advance_pos(const char *text, size_t *at, struct json_pos *p, size_t to)
{
    if (to < *at) { /* never happens for the scanner's ordered entries; start over */
        *at = 0;
        *p = (struct json_pos){1, 1};
    }
    for (; *at < to && text[*at]; (*at)++) {
        unsigned char c = (unsigned char)text[*at];
        if (c == '\n') {
            p->line++;
            p->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            p->col++;
        }
    }
}

struct json_pos json_doc_offset_pos(const char *text, size_t offset)
{
    size_t at = 0;
    struct json_pos p = {1, 1}; /* columns count code points, not bytes */
    advance_pos(text, &at, &p, offset);
    return p;
}

/* The line:col of every entry in one pass over the text: the scanner records
 * offsets in increasing order (key before its value), so positions found
 * one by one from the file's start would make loading quadratic. */
static void entry_positions(const char *text, struct json_doc_entry *e, size_t n)
{
    size_t at = 0;
    struct json_pos p = {1, 1};
    for (size_t k = 0; k < n; k++) {
        if (e[k].key_offset != NO_KEY) {
            advance_pos(text, &at, &p, e[k].key_offset);
            e[k].key_pos = p;
        }
        advance_pos(text, &at, &p, e[k].value_offset);
        e[k].value_pos = p;
        if (e[k].key_offset == NO_KEY)
            e[k].key_pos = p;
    }
}

/* Pre-order walk of the cJSON tree, zipped with the scanner's entries. */
static void zip(const cJSON *node, struct json_doc_entry *e, size_t n, size_t *k)
{
    if (*k >= n)
        return;
    e[(*k)++].node = node;
    if (cJSON_IsObject(node) || cJSON_IsArray(node))
        for (const cJSON *c = node->child; c; c = c->next)
            zip(c, e, n, k);
}

static int by_node(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct json_doc_entry *)a)->node;
    uintptr_t y = (uintptr_t)((const struct json_doc_entry *)b)->node;
    return (x > y) - (x < y);
}

int json_doc_parse(struct json_doc *doc, const char *path, const char *text, size_t len,
                   char *err, size_t err_len)
{
    memset(doc, 0, sizeof *doc);
    snprintf(doc->path, sizeof doc->path, "%s", path);
    /* Windows editors may save a UTF-8 byte order mark: it is not JSON text and
     * not a column, so the document starts after it. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    doc->text = malloc(len + 1);
    if (!doc->text) {
        snprintf(err, err_len, "%s: error: out of memory", path);
        return -1;
    }
    memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->len = len;

    struct scan sc = {.s = doc->text, .len = len};
    size_t nul = strlen(doc->text);
    if (nul < len) {
        sc.err_offset = nul;
        snprintf(sc.msg, sizeof sc.msg, "NUL byte in the file (expected JSON text)");
        goto fail;
    }
    if (scan_value(&sc, NO_KEY, 0) < 0)
        goto fail;
    skip_ws(&sc);
    if (sc.i < sc.len) {
        char buf[16];
        char what[120];
        snprintf(what, sizeof what,
                 "unexpected %s after the end of the document (expected nothing more)",
                 describe(&sc, sc.i, buf));
        scan_fail(&sc, sc.i, "%s", what);
        goto fail;
    }
    const char *end = NULL;
    doc->root = cJSON_ParseWithLengthOpts(doc->text, len, &end, 0);
    if (!doc->root) {
        sc.err_offset = end ? (size_t)(end - doc->text) : 0;
        snprintf(sc.msg, sizeof sc.msg, "cannot parse JSON here (expected valid JSON)");
        goto fail;
    }
    size_t k = 0;
    zip(doc->root, sc.out, sc.count, &k);
    entry_positions(doc->text, sc.out, k);
    qsort(sc.out, k, sizeof *sc.out, by_node);
    doc->entries = sc.out;
    doc->entry_count = k;
    return 0;

fail: {
        struct json_pos p = json_doc_offset_pos(doc->text, sc.err_offset);
        snprintf(err, err_len, "%s:%d:%d: error: %s", path, p.line, p.col, sc.msg);
        free(sc.out);
        json_doc_free(doc);
        return -1;
    }
}

int json_doc_load(struct json_doc *doc, const char *path, char *err, size_t err_len)
{
    memset(doc, 0, sizeof *doc);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "%s: error: cannot read: %s", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > JSON_DOC_MAX_BYTES) {
                snprintf(err, err_len, "%s: error: file larger than %u bytes", path,
                         JSON_DOC_MAX_BYTES);
                free(buf);
                fclose(f);
                return -1;
            }
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                snprintf(err, err_len, "%s: error: out of memory", path);
                return -1;
            }
            buf = p;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, err_len, "%s: error: read failed", path);
        return -1;
    }
    int rc = json_doc_parse(doc, path, buf ? buf : "", len, err, err_len);
    free(buf);
    return rc;
}

void json_doc_free(struct json_doc *doc)
{
    cJSON_Delete(doc->root);
    free(doc->text);
    free(doc->entries);
    memset(doc, 0, sizeof *doc);
}

struct json_pos json_doc_pos(const struct json_doc *doc, const cJSON *node, int at_key)
{
    struct json_pos none = {0, 0};
    if (!doc || !node || !doc->entries)
        return none;
    struct json_doc_entry key = {.node = node};
    const struct json_doc_entry *e =
        bsearch(&key, doc->entries, doc->entry_count, sizeof key, by_node);
    if (!e)
        return none;
    return at_key ? e->key_pos : e->value_pos;
}

int json_doc_verrorf(const struct json_doc *doc, const cJSON *node, int at_key, char *err,
                     size_t err_len, const char *fmt, va_list ap)
{
    struct json_pos p = json_doc_pos(doc, node, at_key);
    if (p.line == 0) /* the whole document, e.g. a missing top-level key */
        p = (struct json_pos){1, 1};
    int n = snprintf(err, err_len, "%s:%d:%d: error: ", doc->path, p.line, p.col);
    if (n < 0 || (size_t)n >= err_len)
        return n;
    return n + vsnprintf(err + n, err_len - (size_t)n, fmt, ap);
}

int json_doc_errorf(const struct json_doc *doc, const cJSON *node, int at_key, char *err,
                    size_t err_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = json_doc_verrorf(doc, node, at_key, err, err_len, fmt, ap);
    va_end(ap);
    return n;
}
