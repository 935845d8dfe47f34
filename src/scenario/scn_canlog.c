/* scn_canlog: a field CAN log replayed onto the simulated bus (gtx/scn_canlog.h,
 * docs/replay.md). Two line formats, told apart by their first characters:
 * can-utils candump ("(" first) and python-can's printed message
 * ("Timestamp:" first). Timestamps are read as integer microseconds, so
 * replaying one gives the same bus times on every machine.
 */
#include "gtx/scn_canlog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/bridge_proto.h"
#include "gtx/pylon.h"
#include "gtx/sim.h"

/* What the BMS itself sends: not replayed unless "ids" names them. */
static const uint32_t bms_ids[] = {PYLON_ID_LIMITS, PYLON_ID_SOC,   PYLON_ID_MEASURE,
                                   PYLON_ID_ALARMS, PYLON_ID_FLAGS, PYLON_ID_NAME};

static int fail_at(const struct scn_canlog *c, const char *at, char *err, size_t err_len,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int fail_at(const struct scn_canlog *c, const char *at, char *err, size_t err_len,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    scn_lines_vfail(err, err_len, c->spec->path, c->in.line_no,
                    at ? (int)(at - c->line) + 1 : 1, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static const char *token_end(const char *p)
{
    while (*p && *p != ' ' && *p != '\t')
        p++;
    return p;
}

/* Two hex digits at p (not past end) as a byte: true and *out, or false. */
static bool hex_byte(const char *p, const char *end, uint8_t *out)
{
    uint32_t v;
    if (end - p < 2 || !bridge_parse_hex(p, 2, &v))
        return false;
    *out = (uint8_t)v;
    return true;
}

/* SECONDS[.FRACTION] as microseconds (fraction digits past 6 are dropped). */
static const char *parse_time_us(const char *p, int64_t *out)
{
    int64_t sec = 0, frac = 0;
    int nd = 0, nf = 0;
    for (; *p >= '0' && *p <= '9' && nd < 15; p++, nd++)
        sec = sec * 10 + (*p - '0');
    if (nd == 0 || (*p >= '0' && *p <= '9'))
        return NULL;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, nf++)
            if (nf < 6)
                frac = frac * 10 + (*p - '0');
        if (nf == 0)
            return NULL;
        for (int k = nf; k < 6; k++)
            frac *= 10;
    }
    *out = sec * 1000000 + frac;
    return p;
}

/* A hex id of 3 (standard) or 8 (extended) digits, ending at end. */
static bool parse_id(const char *p, const char *end, bool ext_given, bool ext,
                     struct board_can_frame *f)
{
    size_t n = (size_t)(end - p);
    uint32_t id;
    if (!bridge_parse_hex(p, n, &id)) /* 1-8 hex digits */
        return false;
    f->extended = ext_given ? ext : n == 8;
    if (!ext_given && n != 3 && n != 8)
        return false;
    if (id > (f->extended ? 0x1FFFFFFFu : 0x7FFu))
        return false;
    f->id = id;
    return true;
}

static const char *expected_line =
    "a candump line such as '(1782900000.000000) can0 305#0000000000000000' or python-can's "
    "'Timestamp: 1782900000.000000 ID: 0305 S Rx DL: 8 00 00 00 00 00 00 00 00'";

/* "ID#HEX" of candump -l. */
static int parse_compact(struct scn_canlog *c, const char *p, struct board_can_frame *f,
                         char *err, size_t err_len)
{
    const char *hash = strchr(p, '#');
    const char *end = token_end(p);
    if (!parse_id(p, hash, false, false, f))
        return fail_at(c, p, err, err_len, "bad CAN id '%.*s' (expected 3 hex digits up to "
                       "7FF, or 8 up to 1FFFFFFF)", (int)(hash - p), p);
    const char *d = hash + 1;
    if (*d == '#' || *d == 'R' || *d == 'r')
        return fail_at(c, d, err, err_len, "%s frame (expected a classic CAN data frame)",
                       *d == '#' ? "a CAN FD" : "a remote");
    f->dlc = 0;
    while (d < end) {
        if (*d == '.') {
            d++;
            continue;
        }
        uint8_t byte;
        if (!hex_byte(d, end, &byte))
            return fail_at(c, d, err, err_len, "bad data '%.*s' (expected hex bytes, two "
                           "digits each)", (int)(end - d), d);
        if (f->dlc == 8)
            return fail_at(c, d, err, err_len, "more than 8 data bytes (expected at most 8)");
        f->data[f->dlc++] = byte;
        d += 2;
    }
    return *skip_space(end) ? fail_at(c, skip_space(end), err, err_len, "text after the "
                                      "frame (expected the end of the line)") : 0;
}

/* n bytes as separate hex tokens. */
static int parse_bytes(struct scn_canlog *c, const char *p, int n, struct board_can_frame *f,
                       char *err, size_t err_len)
{
    f->dlc = (uint8_t)n;
    for (int i = 0; i < n; i++) {
        p = skip_space(p);
        const char *end = token_end(p);
        if (end - p != 2 || !hex_byte(p, end, &f->data[i]))
            return fail_at(c, p, err, err_len, "bad data byte '%.*s' (expected %d hex bytes)",
                           (int)(end - p), p, n);
        p = end;
    }
    return 0;
}

/* The line in c->line: 1 a frame, 0 a line with none (blank, comment), -1 error. */
static int parse_line(struct scn_canlog *c, int64_t *ts_us, struct board_can_frame *f, char *err,
                      size_t err_len)
{
    memset(f, 0, sizeof *f);
    const char *p = skip_space(c->line);
    if (*p == '\0' || *p == '#')
        return 0;
    if (*p == '(') {
        const char *q = parse_time_us(p + 1, ts_us);
        if (!q || *q != ')')
            return fail_at(c, p + 1, err, err_len, "bad timestamp (expected seconds such as "
                           "1782900000.250000 between the parentheses)");
        p = skip_space(q + 1);
        const char *iface = p;
        p = skip_space(token_end(p));
        if (p == iface || *p == '\0')
            return fail_at(c, p, err, err_len, "no frame after the timestamp (expected %s)",
                           expected_line);
        const char *end = token_end(p);
        if (memchr(p, '#', (size_t)(end - p)))
            return parse_compact(c, p, f, err, err_len) < 0 ? -1 : 1;
        if (!parse_id(p, end, false, false, f))
            return fail_at(c, p, err, err_len, "bad CAN id '%.*s' (expected 3 hex digits up "
                           "to 7FF, or 8 up to 1FFFFFFF)", (int)(end - p), p);
        p = skip_space(end);
        if (p[0] != '[' || p[1] < '0' || p[1] > '8' || p[2] != ']')
            return fail_at(c, p, err, err_len, "bad length (expected [0] to [8] after the id)");
        return parse_bytes(c, p + 3, p[1] - '0', f, err, err_len) < 0 ? -1 : 1;
    }
    if (strncmp(p, "Timestamp:", 10) != 0)
        return fail_at(c, p, err, err_len, "unknown line (expected %s)", expected_line);
    const char *t = skip_space(p + 10);
    p = parse_time_us(t, ts_us);
    if (!p || (*p != ' ' && *p != '\t'))
        return fail_at(c, t, err, err_len, "bad timestamp (expected seconds such as "
                       "1782900000.250000)");
    p = skip_space(p);
    if (strncmp(p, "ID:", 3) != 0)
        return fail_at(c, p, err, err_len, "no 'ID:' (expected %s)", expected_line);
    const char *id = skip_space(p + 3), *id_end = token_end(id);
    bool ext = false, ext_given = false;
    for (p = skip_space(id_end); *p && strncmp(p, "DL:", 3) != 0; p = skip_space(token_end(p))) {
        size_t n = (size_t)(token_end(p) - p);
        if (n == 1 && (*p == 'S' || *p == 'X')) {
            ext_given = true;
            ext = *p == 'X';
        } else if (n == 1 && (*p == 'E' || *p == 'R' || *p == 'F')) {
            return fail_at(c, p, err, err_len, "%s frame (expected a classic CAN data frame)",
                           *p == 'E' ? "an error" : *p == 'R' ? "a remote" : "a CAN FD");
        }
    }
    if (!parse_id(id, id_end, true, ext_given ? ext : id_end - id == 8, f))
        return fail_at(c, id, err, err_len, "bad CAN id '%.*s' (expected hex up to 7FF, or "
                       "1FFFFFFF with X)", (int)(id_end - id), id);
    if (*p == '\0')
        return fail_at(c, p, err, err_len, "no 'DL:' (expected %s)", expected_line);
    const char *dl = skip_space(p + 3);
    if (dl[0] < '0' || dl[0] > '8' || (dl[1] != ' ' && dl[1] != '\t' && dl[1] != '\0'))
        return fail_at(c, dl, err, err_len, "bad length (expected DL: 0 to 8)");
    return parse_bytes(c, dl + 1, dl[0] - '0', f, err, err_len) < 0 ? -1 : 1;
}

static bool wanted(const struct scn_canlog_spec *spec, const struct board_can_frame *f)
{
    if (spec->n_ids > 0) {
        for (int i = 0; i < spec->n_ids; i++)
            if (spec->ids[i] == f->id)
                return true;
        return false;
    }
    for (size_t i = 0; i < sizeof bms_ids / sizeof bms_ids[0]; i++)
        if (!f->extended && f->id == bms_ids[i])
            return false;
    return true;
}

int scn_canlog_open(struct scn_canlog *c, const struct scn_canlog_spec *spec, char *err,
                    size_t err_len)
{
    memset(c, 0, sizeof *c);
    c->spec = spec;
    c->node = -1;
    if (scn_lines_open(&c->in, spec->path) < 0) {
        snprintf(err, err_len, "%s: error: cannot read: %s (expected a candump log)",
                 spec->path, strerror(errno));
        return -1;
    }
    return 0;
}

void scn_canlog_close(struct scn_canlog *c)
{
    scn_lines_close(&c->in);
}

int scn_canlog_next(struct scn_canlog *c, char *err, size_t err_len)
{
    const struct scn_canlog_spec *spec = c->spec;
    size_t n;
    int rc;
    while ((rc = scn_lines_next(&c->in, c->line, SCN_CANLOG_LINE_MAX, &n)) == SCN_LINES_OK) {
        int64_t ts;
        struct board_can_frame f;
        int got = parse_line(c, &ts, &f, err, err_len);
        if (got < 0)
            return -1;
        if (got == 0)
            continue;
        if (c->have_first && ts < c->last_us)
            return fail_at(c, NULL, err, err_len, "time goes backwards (expected lines in "
                           "time order)");
        if (!c->have_first) {
            c->first_us = ts;
            c->have_first = true;
        }
        c->last_us = ts;
        int64_t t = spec->clock ? ts + spec->utc_offset_us - spec->start_epoch_us
                                : ts - c->first_us + spec->at_us;
        if (t < 0 || !wanted(spec, &f))
            continue;
        c->next = f;
        c->next_us = t;
        c->have_next = true;
        return 1;
    }
    if (rc == SCN_LINES_TOO_LONG)
        return fail_at(c, NULL, err, err_len, "line longer than %d bytes (expected a "
                       "candump line)", SCN_CANLOG_LINE_MAX);
    if (rc == SCN_LINES_ERROR) {
        snprintf(err, err_len, "%s: error: cannot read: %s", spec->path, strerror(errno));
        return -1;
    }
    c->have_next = false;
    c->at_end = true;
    return 0;
}

uint64_t scn_canlog_next_change_ms(const struct scn_canlog *c)
{
    if (!c->have_next)
        return c->at_end ? UINT64_MAX : 0;
    return (uint64_t)((c->next_us + 999) / 1000);
}

int scn_canlog_apply(struct scn_canlog *c, struct sim *s, uint64_t t_ms, char *err,
                     size_t err_len)
{
    if (c->node < 0) {
        c->node = sim_can_attach(s);
        if (c->node < 0) {
            snprintf(err, err_len, "%s: error: the simulated CAN bus has no room for the "
                     "log's node", c->spec->path);
            return -1;
        }
    }
    struct board_can_frame in;
    while (sim_can_recv(s, c->node, &in)) {
        /* what the packs send is not this node's business */
    }
    for (;;) {
        if (!c->have_next && !c->at_end && scn_canlog_next(c, err, err_len) < 0)
            return -1;
        if (!c->have_next || (uint64_t)c->next_us > t_ms * 1000u)
            return 0;
        sim_can_send(s, c->node, &c->next);
        c->sent++;
        c->have_next = false;
    }
}

int scn_canlog_scan(struct scn_canlog_spec *spec, char *err, size_t err_len)
{
    struct scn_canlog *c = malloc(sizeof *c);
    if (!c) {
        snprintf(err, err_len, "%s: error: out of memory", spec->path);
        return -1;
    }
    int rc = scn_canlog_open(c, spec, err, err_len);
    spec->frames = 0;
    while (rc == 0 && (rc = scn_canlog_next(c, err, err_len)) == 1) {
        spec->frames++;
        rc = 0;
    }
    scn_canlog_close(c);
    free(c);
    return rc < 0 ? -1 : 0;
}
