/* scn_schema: the generic half of the scenario loader. Every JSON object of a
 * scenario is checked against a table of its keys, so that a misspelt key is
 * an error with a suggestion and every value gets the same type and range
 * checks and the same message shape: "'KEY' is VALUE (expected WHAT)".
 */
#include "scn_schema.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int scn_ld_fail(struct scn_ld *ld, const cJSON *node, int at_key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_doc_verrorf(&ld->doc, node, at_key, ld->err, ld->err_len, fmt, ap);
    va_end(ap);
    /* Keys and values are quoted in messages: a "\n" in one must not break
     * the one-line format. */
    for (char *c = ld->err; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    return -1;
}

char *scn_ld_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

const cJSON *scn_ld_member(const cJSON *obj, const char *key)
{
    for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next)
        if (c->string && strcmp(c->string, key) == 0)
            return c;
    return NULL;
}

/* Copies s into buf for a message, replacing control characters and cutting
 * long text, so a message stays on one line. */
static void printable(char *buf, size_t len, const char *s, size_t max)
{
    size_t n = 0;
    for (; *s && n + 1 < len && n < max; s++)
        buf[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
    if (*s && n + 4 < len) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
}

void scn_ld_describe(const cJSON *v, char *buf, size_t len)
{
    if (cJSON_IsNumber(v)) {
        snprintf(buf, len, "%.15g", v->valuedouble);
    } else if (cJSON_IsString(v)) {
        char text[64];
        printable(text, sizeof text, v->valuestring, 40);
        snprintf(buf, len, "\"%s\"", text);
    } else if (cJSON_IsTrue(v)) {
        snprintf(buf, len, "true");
    } else if (cJSON_IsFalse(v)) {
        snprintf(buf, len, "false");
    } else if (cJSON_IsNull(v)) {
        snprintf(buf, len, "null");
    } else if (cJSON_IsObject(v)) {
        snprintf(buf, len, "an object");
    } else if (cJSON_IsArray(v)) {
        snprintf(buf, len, "an array");
    } else {
        snprintf(buf, len, "a value");
    }
}

/* Optimal string alignment distance (edits and swaps of neighbours), ignoring
 * case, for did-you-mean suggestions. Words longer than 63 are not compared. */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63)
        return 99;
    int d[64][64];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            int cost = ca != cb;
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

const char *scn_ld_nearest(const char *word, const char *const *known, int count)
{
    const char *best = NULL;
    int best_d = 99;
    for (int i = 0; i < count; i++) {
        int d = distance(word, known[i]);
        /* Short words need a closer match, or everything suggests everything. */
        int limit = strlen(known[i]) >= 5 ? 2 : 1;
        if (d <= limit && d < best_d) {
            best = known[i];
            best_d = d;
        }
    }
    return best;
}

void scn_ld_join(char *buf, size_t len, const char *const *words, int count)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && n < len; i++) {
        int w = snprintf(buf + n, len - n, "%s%s", i ? ", " : "", words[i]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
}

int scn_ld_fail_unknown(struct scn_ld *ld, const cJSON *node, int at_key, const char *head,
                        const char *word, const char *const *names, int count)
{
    char list[600];
    scn_ld_join(list, sizeof list, names, count);
    const char *near = scn_ld_nearest(word, names, count);
    if (near)
        return scn_ld_fail(ld, node, at_key, "%s (expected one of %s; did you mean '%s'?)",
                           head, list, near);
    return scn_ld_fail(ld, node, at_key, "%s (expected one of %s)", head, list);
}

/* ---- what each field type expects, for messages ---- */

static void range_text(char *buf, size_t len, const char *noun, const struct scn_field *f)
{
    if (f->min <= -1e299 && f->max >= 1e299)
        snprintf(buf, len, "%s", noun);
    else if (f->max >= 1e299)
        snprintf(buf, len, "%s %s %.16g", noun,
                 (f->flags & SCN_F_MIN_EXCLUSIVE) ? "greater than" : "of at least", f->min);
    else if (f->flags & SCN_F_MIN_EXCLUSIVE)
        snprintf(buf, len, "%s greater than %.16g and at most %.16g", noun, f->min, f->max);
    else
        snprintf(buf, len, "%s from %.16g to %.16g", noun, f->min, f->max);
}

#define DURATION_SYNTAX                                                                     \
    "a number of seconds or a string with a unit ms, s, m, h or d, such as \"250ms\", "     \
    "\"10m\" or \"2h\""

static void expected_text(const struct scn_ld *ld, const struct scn_field *f, char *buf,
                          size_t len)
{
    switch (f->type) {
    case SCN_F_NUM: range_text(buf, len, "a number", f); break;
    case SCN_F_INT:
    case SCN_F_U64: range_text(buf, len, "an integer", f); break;
    case SCN_F_BOOL: snprintf(buf, len, "true or false"); break;
    case SCN_F_TRUE: snprintf(buf, len, "true"); break;
    case SCN_F_TEXT: snprintf(buf, len, "a string"); break;
    case SCN_F_DUR:
        snprintf(buf, len, "a duration greater than 0 and at most 400d: " DURATION_SYNTAX);
        break;
    case SCN_F_TIME:
        snprintf(buf, len, "a time from 0 to the scenario's duration %s: " DURATION_SYNTAX,
                 ld->scn->duration_text);
        break;
    case SCN_F_PACK:
        if (ld->scn->pack_count == 1)
            snprintf(buf, len, "pack 1, the only pack of this scenario");
        else
            snprintf(buf, len, "a pack number from 1 to %d", ld->scn->pack_count);
        break;
    case SCN_F_CELL: snprintf(buf, len, "a cell number from 1 to %d", SCN_CELLS); break;
    case SCN_F_SENSOR:
        snprintf(buf, len, "a temperature sensor number from 1 to %d", SCN_SENSORS);
        break;
    case SCN_F_ENUM:
        snprintf(buf, len, "one of ");
        scn_ld_join(buf + strlen(buf), len - strlen(buf), f->names, f->name_count);
        break;
    case SCN_F_CABLE:
        snprintf(buf, len, "two port names such as [\"1.out\", \"2.in\"]");
        break;
    case SCN_F_WINDOW:
        snprintf(buf, len, "two different times of day such as [\"03:00\", \"06:00\"]");
        break;
    case SCN_F_DATETIME:
        snprintf(buf, len, "a local date and time such as \"2026-07-01T12:00:00\"");
        break;
    case SCN_F_SKIP: snprintf(buf, len, "a value"); break;
    }
}

int scn_ld_fail_is(struct scn_ld *ld, const cJSON *node, const char *key, const char *expected)
{
    char got[80];
    scn_ld_describe(node, got, sizeof got);
    return scn_ld_fail(ld, node, 0, "'%s' is %s (expected %s)", key, got, expected);
}

int scn_ld_list(struct scn_ld *ld, const cJSON *list, const char *key, const char *expected,
                size_t size, int (*load)(struct scn_ld *ld, const cJSON *o, int index, void *slot),
                void **array, int *count)
{
    *array = NULL;
    *count = 0;
    if (!cJSON_IsArray(list))
        return scn_ld_fail_is(ld, list, key, expected);
    int n = cJSON_GetArraySize(list);
    if (n == 0)
        return 0;
    char *a = calloc((size_t)n, size);
    *array = a;
    if (!a)
        return scn_ld_fail(ld, list, 0, "out of memory (expected a smaller file)");
    int i = 0;
    for (const cJSON *o = list->child; o; o = o->next, i++) {
        *count = i + 1;
        if (load(ld, o, i, a + (size_t)i * size) < 0)
            return -1;
    }
    return 0;
}

static int fail_value(struct scn_ld *ld, const cJSON *v, const struct scn_field *f)
{
    char want[400];
    expected_text(ld, f, want, sizeof want);
    return scn_ld_fail_is(ld, v, f->key, want);
}

/* ---- value parsers ---- */

static int number_in_range(const cJSON *v, const struct scn_field *f, double *out)
{
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return -1;
    double x = v->valuedouble;
    if ((f->flags & SCN_F_MIN_EXCLUSIVE) ? !(x > f->min) : !(x >= f->min))
        return -1;
    if (!(x <= f->max))
        return -1;
    *out = x;
    return 0;
}

static int integer_in_range(const cJSON *v, double min, double max, long long *out)
{
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return -1;
    double x = v->valuedouble;
    if (x != floor(x) || x < min || x > max)
        return -1;
    *out = (long long)x;
    return 0;
}

/* Seconds of a duration or time value, or -1 when it is not one. */
static int seconds_of(const cJSON *v, double *out)
{
    if (cJSON_IsNumber(v)) {
        if (!isfinite(v->valuedouble))
            return -1;
        *out = v->valuedouble;
        return 0;
    }
    if (cJSON_IsString(v))
        return scn_duration_parse(v->valuestring, out);
    return -1;
}

static int time_value(struct scn_ld *ld, const cJSON *v, const struct scn_field *f, double *out)
{
    double s;
    if (seconds_of(v, &s) < 0)
        return fail_value(ld, v, f);
    if (f->type == SCN_F_DUR ? !(s > 0 && s <= SCN_MAX_DURATION_S)
                             : !(s >= 0 && s <= ld->scn->duration_s))
        return fail_value(ld, v, f);
    *out = s;
    return 0;
}

int scn_ld_time(struct scn_ld *ld, const cJSON *v, const char *key, double *out_s)
{
    struct scn_field f = {.key = key, .type = SCN_F_TIME};
    return time_value(ld, v, &f, out_s);
}

/* "PACK.in" / "PACK.out" with a pack of this scenario. */
static int port_value(struct scn_ld *ld, const cJSON *v, struct scn_port *out)
{
    char got[80];
    scn_ld_describe(v, got, sizeof got);
    if (!cJSON_IsString(v))
        return scn_ld_fail(ld, v, 0, "port %s is not a port name (expected \"PACK.in\" or "
                                     "\"PACK.out\", such as \"1.out\")", got);
    const char *s = v->valuestring;
    char *end;
    long pack = strtol(s, &end, 10);
    bool digits = s[0] >= '0' && s[0] <= '9';
    if (!digits || (strcmp(end, ".in") != 0 && strcmp(end, ".out") != 0))
        return scn_ld_fail(ld, v, 0, "unknown port %s (expected \"PACK.in\" or \"PACK.out\" "
                                     "for Link Port In / Out, such as \"1.out\")", got);
    if (pack < 1 || pack > ld->scn->pack_count)
        return scn_ld_fail(ld, v, 0, "port %s names a pack that does not exist (expected a "
                                     "pack number from 1 to %d)", got, ld->scn->pack_count);
    out->pack = (int)pack;
    out->side = strcmp(end, ".in") == 0 ? SCN_PORT_IN : SCN_PORT_OUT;
    return 0;
}

int scn_ld_cable(struct scn_ld *ld, const cJSON *v, const char *key, struct scn_cable *out)
{
    struct scn_field f = {.key = key, .type = SCN_F_CABLE};
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
        return fail_value(ld, v, &f);
    const cJSON *a = v->child, *b = a->next;
    if (port_value(ld, a, &out->a) < 0 || port_value(ld, b, &out->b) < 0)
        return -1;
    if (out->a.pack == out->b.pack && out->a.side == out->b.side)
        return scn_ld_fail(ld, b, 0, "the cable joins port %s to itself (expected two "
                                     "different ports)", b->valuestring);
    return 0;
}

static int hhmm(const char *s, int *minutes)
{
    if (strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && !isdigit((unsigned char)s[i]))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

static int window_value(struct scn_ld *ld, const cJSON *v, const struct scn_field *f, int *out)
{
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
        return fail_value(ld, v, f);
    int k = 0;
    for (const cJSON *c = v->child; c; c = c->next, k++) {
        if (!cJSON_IsString(c) || hhmm(c->valuestring, &out[k]) < 0) {
            char got[80];
            scn_ld_describe(c, got, sizeof got);
            return scn_ld_fail(ld, c, 0, "time of day %s (expected \"HH:MM\" from \"00:00\" "
                                         "to \"23:59\")", got);
        }
    }
    if (out[0] == out[1])
        return scn_ld_fail(ld, v->child->next, 0, "the window ends when it starts (expected "
                                                  "two different times of day)");
    return 0;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int datetime_value(struct scn_ld *ld, const cJSON *v, const struct scn_field *f,
                          struct scn_datetime *out)
{
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    if (!cJSON_IsString(v) || strlen(v->valuestring) != sizeof shape - 1)
        return fail_value(ld, v, f);
    const char *s = v->valuestring;
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
            return fail_value(ld, v, f);
    struct scn_datetime t;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &t.year, &t.month, &t.day, &t.hour, &t.minute,
               &t.second) != 6)
        return fail_value(ld, v, f);
    bool ok = t.year >= 1970 && t.month >= 1 && t.month <= 12 && t.day >= 1 && t.hour <= 23 &&
              t.minute <= 59 && t.second <= 59;
    if (ok)
        ok = t.day <= month_days[t.month - 1] + (t.month == 2 && leap(t.year));
    if (!ok)
        return fail_value(ld, v, f);
    *out = t;
    return 0;
}

int scn_ld_value(struct scn_ld *ld, const cJSON *v, const struct scn_field *f, void *target)
{
    char *at = (char *)target + f->offset;
    long long n = 0;
    double x = 0;
    switch (f->type) {
    case SCN_F_SKIP:
        return 0;
    case SCN_F_NUM:
        if (number_in_range(v, f, &x) < 0)
            return fail_value(ld, v, f);
        memcpy(at, &x, sizeof x);
        return 0;
    case SCN_F_INT:
    case SCN_F_PACK:
    case SCN_F_CELL:
    case SCN_F_SENSOR: {
        double min = f->min, max = f->max;
        if (f->type == SCN_F_PACK) {
            min = 1;
            max = ld->scn->pack_count;
        } else if (f->type == SCN_F_CELL) {
            min = 1;
            max = SCN_CELLS;
        } else if (f->type == SCN_F_SENSOR) {
            min = 1;
            max = SCN_SENSORS;
        }
        if (integer_in_range(v, min, max, &n) < 0)
            return fail_value(ld, v, f);
        int i = (int)n;
        memcpy(at, &i, sizeof i);
        return 0;
    }
    case SCN_F_U64: {
        if (integer_in_range(v, f->min, f->max, &n) < 0)
            return fail_value(ld, v, f);
        uint64_t u = (uint64_t)n;
        memcpy(at, &u, sizeof u);
        return 0;
    }
    case SCN_F_BOOL:
    case SCN_F_TRUE: {
        if (f->type == SCN_F_BOOL ? !cJSON_IsBool(v) : !cJSON_IsTrue(v))
            return fail_value(ld, v, f);
        bool b = cJSON_IsTrue(v);
        memcpy(at, &b, sizeof b);
        return 0;
    }
    case SCN_F_TEXT: {
        if (!cJSON_IsString(v))
            return fail_value(ld, v, f);
        char *s = scn_ld_strdup(v->valuestring);
        if (!s)
            return scn_ld_fail(ld, v, 0, "out of memory (expected a smaller file)");
        memcpy(at, &s, sizeof s);
        return 0;
    }
    case SCN_F_DUR:
    case SCN_F_TIME:
        if (time_value(ld, v, f, &x) < 0)
            return -1;
        memcpy(at, &x, sizeof x);
        return 0;
    case SCN_F_ENUM: {
        for (int i = 0; cJSON_IsString(v) && i < f->name_count; i++) {
            if (strcmp(v->valuestring, f->names[i]) == 0) {
                memcpy(at, &i, sizeof i);
                return 0;
            }
        }
        if (!cJSON_IsString(v))
            return fail_value(ld, v, f);
        char got[80], head[160];
        scn_ld_describe(v, got, sizeof got);
        snprintf(head, sizeof head, "'%s' is %s", f->key, got);
        return scn_ld_fail_unknown(ld, v, 0, head, v->valuestring, f->names, f->name_count);
    }
    case SCN_F_CABLE: {
        struct scn_cable c;
        if (scn_ld_cable(ld, v, f->key, &c) < 0)
            return -1;
        memcpy(at, &c, sizeof c);
        return 0;
    }
    case SCN_F_WINDOW: {
        int w[2];
        if (window_value(ld, v, f, w) < 0)
            return -1;
        memcpy(at, w, sizeof w);
        return 0;
    }
    case SCN_F_DATETIME: {
        struct scn_datetime t;
        if (datetime_value(ld, v, f, &t) < 0)
            return -1;
        memcpy(at, &t, sizeof t);
        return 0;
    }
    }
    return fail_value(ld, v, f);
}

int scn_ld_fields(struct scn_ld *ld, const cJSON *obj, const char *what,
                  const struct scn_field *fields, int count, void *target, unsigned *set)
{
    if (!cJSON_IsObject(obj)) {
        char got[80];
        scn_ld_describe(obj, got, sizeof got);
        return scn_ld_fail(ld, obj, 0, "%s is %s (expected an object)", what, got);
    }
    const char *keys[40];
    int nkeys = count < 40 ? count : 40;
    for (int i = 0; i < nkeys; i++)
        keys[i] = fields[i].key;

    for (const cJSON *m = obj->child; m; m = m->next) {
        int found = -1;
        for (int i = 0; i < count && found < 0; i++)
            if (strcmp(m->string, fields[i].key) == 0)
                found = i;
        if (found < 0) {
            char head[200], key[64];
            printable(key, sizeof key, m->string, 40);
            snprintf(head, sizeof head, "unknown key '%s' in %s", key, what);
            return scn_ld_fail_unknown(ld, m, 1, head, m->string, keys, nkeys);
        }
        for (const cJSON *p = obj->child; p != m; p = p->next)
            if (strcmp(p->string, m->string) == 0)
                return scn_ld_fail(ld, m, 1, "duplicate key '%.40s' in %s (expected each key "
                                             "once)", m->string, what);
        if (scn_ld_value(ld, m, &fields[found], target) < 0)
            return -1;
        if (set)
            *set |= fields[found].set_bit;
    }
    for (int i = 0; i < count; i++) {
        if ((fields[i].flags & SCN_F_REQUIRED) && !scn_ld_member(obj, fields[i].key)) {
            char want[400];
            expected_text(ld, &fields[i], want, sizeof want);
            return scn_ld_fail(ld, obj, 0, "missing key '%s' in %s (expected %s)",
                               fields[i].key, what, want);
        }
    }
    return 0;
}
