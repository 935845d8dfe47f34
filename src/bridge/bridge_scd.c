/* bridge_scd: the socketcand protocol (rawmode subset) as a byte-stream
 * machine: message framing, command parsing, replies and the frame format.
 * The quirks it respects are python-can 4.1.0's (docs/spec/CAN.md, docs/bridges.md).
 */
#include "gtx/bridge_proto.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Commands of real socketcand this server does not offer: a clear refusal. */
static const char *const scd_unsupported[] = {
    "add", "update", "delete", "subscribe", "unsubscribe", "filter", "statistics",
    "controlmode", "isotpmode", "isotpconf", "sendpdu"
};

void bridge_scd_init(struct bridge_scd *s)
{
    memset(s, 0, sizeof *s);
}

/* A hex number of 1..max_digits digits; false on anything else. */
static bool parse_hex(const char *w, size_t n, size_t max_digits, uint32_t *out)
{
    return n <= max_digits && bridge_parse_hex(w, n, out);
}

/* Splits the message into words at spaces; returns how many (at most max). */
struct scd_word {
    const char *p;
    size_t n;
};

static size_t split_words(const char *msg, size_t len, struct scd_word *w, size_t max)
{
    size_t count = 0, i = 0;
    while (i < len) {
        while (i < len && (msg[i] == ' ' || msg[i] == '\t'))
            i++;
        if (i >= len)
            break;
        size_t start = i;
        while (i < len && msg[i] != ' ' && msg[i] != '\t')
            i++;
        if (count < max)
            w[count] = (struct scd_word){msg + start, i - start};
        count++;
    }
    return count;
}

static bool word_is(const struct scd_word *w, const char *s)
{
    return w->n == strlen(s) && memcmp(w->p, s, w->n) == 0;
}

/* Copies a word for a message, cut short and with anything odd replaced. */
static void word_copy(char *dst, size_t cap, const struct scd_word *w)
{
    size_t n = w->n < cap - 1 ? w->n : cap - 1;
    if (n > 24)
        n = 24;
    for (size_t i = 0; i < n; i++) {
        char c = w->p[i];
        dst[i] = (c >= 0x21 && c <= 0x7E && c != '<' && c != '>' && c != '\'') ? c : '?';
    }
    dst[n] = '\0';
}

static bool parse_send(const struct scd_word *w, size_t count, struct board_can_frame *f,
                       char *err, size_t err_len)
{
    uint32_t id, dlc;
    if (count < 3) {
        snprintf(err, err_len, "send needs an ID and a length: < send 305 1 0 >");
        return false;
    }
    if (!parse_hex(w[1].p, w[1].n, 8, &id) || id > 0x1FFFFFFFu) {
        snprintf(err, err_len, "bad CAN ID (1-3 hex digits, or 8 for an extended ID)");
        return false;
    }
    if (!parse_hex(w[2].p, w[2].n, 1, &dlc) || dlc > 8) {
        snprintf(err, err_len, "bad length (0-8)");
        return false;
    }
    if (count - 3 != dlc) {
        snprintf(err, err_len, "length %u but %zu data bytes", (unsigned)dlc, count - 3);
        return false;
    }
    memset(f, 0, sizeof *f);
    f->id = id;
    f->dlc = (uint8_t)dlc;
    /* socketcand's rule: an 8-digit ID is extended; so is any ID above 11 bits. */
    f->extended = w[1].n == 8 || id > 0x7FFu;
    for (uint32_t k = 0; k < dlc; k++) {
        uint32_t b;
        if (!parse_hex(w[3 + k].p, w[3 + k].n, 2, &b)) {
            snprintf(err, err_len, "bad data byte %u (1-2 hex digits)", (unsigned)k);
            return false;
        }
        f->data[k] = (uint8_t)b;
    }
    return true;
}

bool bridge_scd_parse(const char *msg, size_t len, struct bridge_scd_req *req, char *err,
                      size_t err_len)
{
    struct scd_word w[12];
    size_t count = split_words(msg, len, w, 12);
    memset(req, 0, sizeof *req);
    if (count == 0) {
        snprintf(err, err_len, "empty message");
        return false;
    }
    if (count > 11) {
        snprintf(err, err_len, "too many words");
        return false;
    }
    if (word_is(&w[0], "send")) {
        req->cmd = BRIDGE_SCD_SEND;
        return parse_send(w, count, &req->frame, err, err_len);
    }
    struct {
        const char *name;
        enum bridge_scd_cmd cmd;
        size_t words;
    } simple[] = {{"open", BRIDGE_SCD_OPEN, 2}, {"rawmode", BRIDGE_SCD_RAWMODE, 1},
                  {"bcmmode", BRIDGE_SCD_BCMMODE, 1}, {"echo", BRIDGE_SCD_ECHO, 1}};
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
        if (!word_is(&w[0], simple[i].name))
            continue;
        if (count != simple[i].words) {
            snprintf(err, err_len, "%s takes %zu argument%s", simple[i].name,
                     simple[i].words - 1, simple[i].words == 2 ? "" : "s");
            return false;
        }
        req->cmd = simple[i].cmd;
        if (req->cmd == BRIDGE_SCD_OPEN)
            word_copy(req->bus, sizeof req->bus, &w[1]);
        return true;
    }
    char name[32];
    word_copy(name, sizeof name, &w[0]);
    for (size_t i = 0; i < sizeof scd_unsupported / sizeof scd_unsupported[0]; i++) {
        if (word_is(&w[0], scd_unsupported[i])) {
            snprintf(err, err_len, "'%s' is not supported (this server has rawmode only)",
                     name);
            return false;
        }
    }
    snprintf(err, err_len, "unknown command '%s'", name);
    return false;
}

static void reply(const struct bridge_proto_io *io, const char *text)
{
    io->reply(io->ctx, text, strlen(text));
}

/* Error replies start with a space: python-can skips one byte after each
 * message it has parsed (docs/spec/CAN.md). */
static void reply_error(struct bridge_scd *s, const struct bridge_proto_io *io,
                        const char *why)
{
    char buf[BRIDGE_ERR_MAX + 16];
    snprintf(buf, sizeof buf, " < error %s >", why);
    s->errors++;
    reply(io, buf);
}

static void run_message(struct bridge_scd *s, const struct bridge_proto_io *io)
{
    struct bridge_scd_req req;
    char err[BRIDGE_ERR_MAX];
    s->messages++;
    if (!bridge_scd_parse(s->msg, s->len, &req, err, sizeof err)) {
        reply_error(s, io, err);
        return;
    }
    switch (req.cmd) {
    case BRIDGE_SCD_OPEN:
        if (s->state != BRIDGE_SCD_NO_BUS)
            reply_error(s, io, "a bus is open already");
        else if (strcmp(req.bus, BRIDGE_SCD_BUS) != 0)
            reply_error(s, io, "no such bus (this server has can0)");
        else {
            s->state = BRIDGE_SCD_BCM;
            reply(io, "< ok >"); /* alone and exact: the client compares it whole */
        }
        break;
    case BRIDGE_SCD_RAWMODE:
    case BRIDGE_SCD_BCMMODE:
        if (s->state == BRIDGE_SCD_NO_BUS) {
            reply_error(s, io, "open a bus first: < open can0 >");
        } else {
            s->state = req.cmd == BRIDGE_SCD_RAWMODE ? BRIDGE_SCD_RAW : BRIDGE_SCD_BCM;
            reply(io, "< ok >");
        }
        break;
    case BRIDGE_SCD_ECHO:
        reply(io, " < echo >");
        break;
    case BRIDGE_SCD_SEND:
        if (s->state == BRIDGE_SCD_NO_BUS)
            reply_error(s, io, "open a bus first: < open can0 >");
        else if ((err[0] = '\0', !io->frame(io->ctx, &req.frame, err, sizeof err)))
            reply_error(s, io, err[0] ? err : "frame refused");
        break;
    }
}

void bridge_scd_input(struct bridge_scd *s, const uint8_t *data, size_t len,
                      const struct bridge_proto_io *io)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = data[i];
        if (!s->in_msg) {
            if (c == '<') {
                s->in_msg = true;
                s->len = 0;
                s->overlong = false;
                s->junk = false;
            } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && !s->junk) {
                s->junk = true; /* one error per run of stray bytes */
                reply_error(s, io, "expected '<'");
            }
            continue;
        }
        if (c == '>') {
            s->in_msg = false;
            if (s->overlong) {
                char why[64];
                snprintf(why, sizeof why, "message too long (max %u bytes)",
                         BRIDGE_SCD_MSG_MAX);
                reply_error(s, io, why);
            } else {
                run_message(s, io);
            }
            continue;
        }
        if (c == '<') { /* a new message starts before this one ended: drop it */
            reply_error(s, io, "unterminated message");
            s->len = 0;
            s->overlong = false;
            continue;
        }
        if (s->len + 2 >= BRIDGE_SCD_MSG_MAX)
            s->overlong = true;
        else
            s->msg[s->len++] = (c >= 0x20 && c < 0x7F) ? (char)c : '\x01';
    }
}

size_t bridge_scd_format_frame(char *buf, size_t cap, uint64_t t_us,
                               const struct board_can_frame *f)
{
    char hex[17];
    uint8_t dlc = f->dlc <= 8 ? f->dlc : 8;
    for (uint8_t k = 0; k < dlc; k++)
        snprintf(hex + 2 * k, 3, "%02X", f->data[k]);
    hex[2 * dlc] = '\0';
    int n = snprintf(buf, cap, f->extended ? " < frame %08" PRIX32 " %" PRIu64 ".%06u %s >"
                                           : " < frame %03" PRIX32 " %" PRIu64 ".%06u %s >",
                     f->id, t_us / 1000000u, (unsigned)(t_us % 1000000u), hex);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}
