/* bms_console: the console's line engine (docs/console.md): line assembly from
 * the UART bytes, parsing against a command table, the built-in help, and dispatch
 * of row-by-row replies into a bounded buffer that drains without blocking. The
 * rows are printed by bms_console_row.c; the firmware's commands are
 * bms_console_cmds.c.
 */
#include "bms_console.h"

#include <string.h>

#define EOL "\r\n"

/* ---- output buffer ---------------------------------------------------------------- */

static size_t out_free(struct bms_console *con)
{
    if (con->out_pos > 0) {
        memmove(con->out, con->out + con->out_pos, (size_t)(con->out_len - con->out_pos));
        con->out_len = (uint16_t)(con->out_len - con->out_pos);
        con->out_pos = 0;
    }
    return sizeof con->out - con->out_len;
}

static void out_put(struct bms_console *con, const char *s, size_t n)
{
    size_t room = out_free(con);
    if (n > room)
        n = room;
    memcpy(con->out + con->out_len, s, n);
    con->out_len = (uint16_t)(con->out_len + n);
}

/* One reply row out, with its line end (kept even when the row is full). */
static void out_row(struct bms_console *con, struct bms_console_row *r)
{
    if (r->len > sizeof r->buf - 2u)
        r->len = sizeof r->buf - 2u;
    bms_console_put(r, EOL);
    out_put(con, r->buf, r->len);
}

static void reply_error(struct bms_console *con, const struct bms_console_row *msg)
{
    struct bms_console_row r = {.len = 0};
    bms_console_put(&r, "error: ");
    bms_console_put_n(&r, msg->buf, msg->len);
    out_row(con, &r);
    con->errors++;
}

static void reply_error_str(struct bms_console *con, const char *msg)
{
    struct bms_console_row r = {.len = 0};
    bms_console_put(&r, msg);
    reply_error(con, &r);
}

/* ---- parsing ---------------------------------------------------------------------- */

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool word_is(const char *w, size_t n, const char *name)
{
    size_t i = 0;
    for (; i < n; i++) {
        if (name[i] == '\0' || lower(w[i]) != name[i])
            return false;
    }
    return name[i] == '\0';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static void usage_error(struct bms_console_row *err, const char *what,
                        const struct bms_console_cmd *c)
{
    bms_console_put(err, what);
    bms_console_put(err, ", usage: ");
    bms_console_put(err, c->usage);
}

bool bms_console_parse(const struct bms_console_cmd *table, size_t table_len, const char *line,
                       size_t len, struct bms_console_req *req, struct bms_console_row *err)
{
    const char *word[1 + BMS_CONSOLE_ARGS_MAX];
    size_t wlen[1 + BMS_CONSOLE_ARGS_MAX];
    size_t words = 0, i = 0;
    err->len = 0;
    memset(req, 0, sizeof *req);
    while (i < len) {
        while (i < len && is_space(line[i]))
            i++;
        if (i == len)
            break;
        size_t start = i;
        while (i < len && !is_space(line[i]))
            i++;
        if (words == 1 + BMS_CONSOLE_ARGS_MAX) {
            words++; /* one too many is enough to refuse */
            break;
        }
        word[words] = line + start;
        wlen[words] = i - start;
        words++;
    }
    if (words == 0)
        return false;
    const struct bms_console_cmd *c = NULL;
    if (word_is(word[0], wlen[0], "help")) {
        req->cmd = BMS_CONSOLE_HELP;
        if (words > 1) {
            bms_console_put(err, "help takes no arguments");
            return false;
        }
        return true;
    }
    for (size_t k = 0; k < table_len && c == NULL; k++) {
        if (word_is(word[0], wlen[0], table[k].name)) {
            c = &table[k];
            req->cmd = (uint8_t)k;
        }
    }
    if (c == NULL) {
        bms_console_put(err, "unknown command '");
        bms_console_put_n(err, word[0], wlen[0] < 32u ? wlen[0] : 32u);
        bms_console_put(err, wlen[0] > 32u ? "...' (try help)" : "' (try help)");
        return false;
    }
    size_t argc = words - 1u;
    if (argc < c->min_args || argc > c->max_args) {
        usage_error(err, argc > c->max_args ? "too many arguments" : "missing argument", c);
        return false;
    }
    for (size_t a = 0; a < argc; a++) {
        const char *w = word[a + 1u];
        uint32_t v = 0;
        bool ok = wlen[a + 1u] <= 10u;
        for (size_t k = 0; ok && k < wlen[a + 1u]; k++) {
            uint32_t d = (uint32_t)(w[k] - '0');
            if (w[k] < '0' || w[k] > '9' || v > (0xFFFFFFFFu - d) / 10u)
                ok = false;
            else
                v = v * 10u + d;
        }
        if (!ok) {
            usage_error(err, "not a number", c);
            return false;
        }
        if (v < c->arg_min || v > c->arg_max) {
            bms_console_print(err, "out of range %u..%u",
                              BMS_CON_NUM((int32_t)c->arg_min, (int32_t)c->arg_max), NULL);
            usage_error(err, "", c);
            return false;
        }
        req->arg[a] = v;
    }
    req->argc = (uint8_t)argc;
    return true;
}

/* ---- the console ------------------------------------------------------------------ */

void bms_console_init(struct bms_console *con, const struct bms_console_cmd *table,
                      size_t table_len)
{
    memset(con, 0, sizeof *con);
    con->table = table;
    con->table_len = (uint8_t)(table_len < 254u ? table_len : 254u);
}

static bool help_row(const struct bms_console *con, uint32_t row, struct bms_console_row *out)
{
    if (row == 0) {
        bms_console_put(out, "commands (end a line with CR, LF or CRLF):");
        return true;
    }
    if (row == 1) {
        bms_console_print(out, "  help%18tthis list", NULL, NULL);
        return true;
    }
    if (row - 2u >= con->table_len)
        return false;
    const struct bms_console_cmd *c = &con->table[row - 2u];
    bms_console_print(out, "  %s%18t%s", NULL, BMS_CON_STR(c->usage, c->help));
    return true;
}

void bms_console_pump(struct bms_console *con, const void *ctx)
{
    while (con->running && out_free(con) >= BMS_CONSOLE_ROW_MAX) {
        struct bms_console_row r = {.len = 0};
        bool more;
        if (con->req.cmd == BMS_CONSOLE_HELP)
            more = help_row(con, con->row, &r);
        else
            more = con->table[con->req.cmd].row(ctx, &con->req, con->row, &r);
        if (!more) {
            con->running = false;
            break;
        }
        out_row(con, &r);
        con->row++;
    }
}

static void end_line(struct bms_console *con, const void *ctx)
{
    con->lines++;
    if (con->too_long) {
        reply_error_str(con, "line too long (max 256 bytes)");
    } else if (con->binary) {
        reply_error_str(con, "binary data in line");
    } else {
        struct bms_console_row err;
        if (bms_console_parse(con->table, con->table_len, con->line, con->line_len, &con->req,
                              &err)) {
            con->running = true;
            con->row = 0;
            bms_console_pump(con, ctx);
        } else if (err.len > 0) {
            reply_error(con, &err);
        }
    }
    con->line_len = 0;
    con->too_long = false;
    con->binary = false;
}

static void on_byte(struct bms_console *con, uint8_t b, const void *ctx)
{
    if (b == '\r' || b == '\n') {
        bool lf_after_cr = b == '\n' && con->after_cr;
        con->after_cr = b == '\r';
        if (!lf_after_cr)
            end_line(con, ctx);
        return;
    }
    con->after_cr = false;
    if (con->too_long)
        return;
    if ((b == 0x08u || b == 0x7Fu) && !con->binary) {
        if (con->line_len > 0) /* backspace or DEL from a terminal */
            con->line_len--;
        return;
    }
    if (con->line_len >= BMS_CONSOLE_LINE_MAX) {
        con->too_long = true; /* discard the rest, answer once at its end */
        return;
    }
    if ((b < 0x20u && b != '\t') || b >= 0x7Fu)
        con->binary = true;
    con->line[con->line_len++] = (char)b;
}

/* Input is taken only while no reply is running and an error reply would fit,
 * so nothing is ever lost: the bytes wait in the UART. */
static bool can_take_input(struct bms_console *con)
{
    return !con->running && out_free(con) >= BMS_CONSOLE_ROW_MAX;
}

size_t bms_console_feed(struct bms_console *con, const uint8_t *data, size_t len,
                        const void *ctx)
{
    size_t n = 0;
    while (n < len && can_take_input(con))
        on_byte(con, data[n++], ctx);
    return n;
}

static void flush(struct bms_console *con, struct board *board)
{
    if (con->out_pos >= con->out_len)
        return;
    size_t n = board->ops->uart_write(board, BOARD_UART_RS232, (const uint8_t *)con->out +
                                      con->out_pos, (size_t)(con->out_len - con->out_pos));
    con->out_pos = (uint16_t)(con->out_pos + n);
    if (con->out_pos >= con->out_len)
        con->out_pos = con->out_len = 0;
}

void bms_console_tick(struct bms_console *con, struct board *board, const void *ctx)
{
    flush(con, board);
    bms_console_pump(con, ctx);
    uint32_t budget = BMS_CONSOLE_RX_PER_TICK;
    while (budget > 0 && can_take_input(con)) {
        if (con->rx_pos >= con->rx_len) {
            con->rx_pos = 0;
            con->rx_len = (uint8_t)board->ops->uart_read(board, BOARD_UART_RS232, con->rx,
                                                         sizeof con->rx);
            if (con->rx_len == 0)
                break;
        }
        on_byte(con, con->rx[con->rx_pos++], ctx);
        budget--;
    }
    bms_console_pump(con, ctx);
    flush(con, board);
    /* Bytes no input will announce again (the budget ran out, or a reply holds them). */
    con->rx_left = board->ops->uart_waiting(board, BOARD_UART_RS232) > 0;
}

