/* json_doc: a JSON file parsed with cJSON plus the position of every key and
 * value in the source text, so that loaders can report FILE:LINE:COL for
 * schema errors as well as for syntax errors (cJSON itself keeps no positions).
 */
#ifndef GTX_JSON_DOC_H
#define GTX_JSON_DOC_H

#include <stdarg.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct json_pos {
    int line; /* 1-based */
    int col;  /* 1-based, in characters (UTF-8 code points) */
};

struct json_doc_entry {
    const cJSON *node;
    size_t key_offset;   /* offset of the member's key string (objects only) */
    size_t value_offset; /* offset of the value's first character */
    struct json_pos key_pos, value_pos; /* the same as line:col, found in one pass */
};

struct json_doc {
    char path[512];              /* as given, used in messages */
    char *text;                  /* the file's bytes, NUL-terminated */
    size_t len;
    cJSON *root;                 /* NULL until parsed */
    struct json_doc_entry *entries; /* sorted by node address */
    size_t entry_count;
};

/* Reads and parses PATH (a leading UTF-8 byte order mark is skipped and is
 * not counted in columns). Returns 0, or -1 with a complete message
 * "PATH:LINE:COL: error: WHAT" (or "PATH: error: cannot read ...") in err. */
int json_doc_load(struct json_doc *doc, const char *path, char *err, size_t err_len);

/* The same from text already in memory (copied); path names it in messages. */
int json_doc_parse(struct json_doc *doc, const char *path, const char *text, size_t len,
                   char *err, size_t err_len);

void json_doc_free(struct json_doc *doc);

/* Position of a node's value, or of its key when it is an object member and
 * at_key is set. A node not from this document gives line 0. */
struct json_pos json_doc_pos(const struct json_doc *doc, const cJSON *node, int at_key);

/* Position of a byte offset in the text. */
struct json_pos json_doc_offset_pos(const char *text, size_t offset);

/* Formats "PATH:LINE:COL: error: " followed by the printf-style message, into
 * err. Returns the number of characters written (as snprintf). */
int json_doc_errorf(const struct json_doc *doc, const cJSON *node, int at_key,
                    char *err, size_t err_len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
int json_doc_verrorf(const struct json_doc *doc, const cJSON *node, int at_key,
                     char *err, size_t err_len, const char *fmt, va_list ap);

#endif
