/* bms_console: the RS232 service console (docs/console.md): line assembly,
 * parsing against a command table, row-by-row replies into a bounded buffer,
 * and the firmware's commands, which read struct bms like a debugger would.
 */
#include "bms_console.h"

#include <string.h>

#include "bms_core.h"

#ifndef BMS_FW_VERSION
#define BMS_FW_VERSION "0.1.0"
#endif

#define EOL "\r\n"

/* ---- row helpers ------------------------------------------------------------------ */

void bms_console_put_n(struct bms_console_row *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i] != '\0' && r->len < sizeof r->buf; i++)
        r->buf[r->len++] = s[i];
}

void bms_console_put(struct bms_console_row *r, const char *s)
{
    bms_console_put_n(r, s, sizeof r->buf);
}

void bms_console_pad(struct bms_console_row *r, size_t column)
{
    while (r->len < column && r->len < sizeof r->buf)
        r->buf[r->len++] = ' ';
}

/* Digits of v into tmp (backwards); returns the start. */
static char *utoa_rev(uint32_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    return end;
}

static void put_right(struct bms_console_row *r, const char *s, size_t len, unsigned width)
{
    for (size_t i = len; i < width; i++)
        bms_console_put(r, " ");
    bms_console_put_n(r, s, len);
}

void bms_console_put_u32(struct bms_console_row *r, uint32_t v, unsigned width)
{
    char tmp[12];
    char *s = utoa_rev(v, tmp + sizeof tmp);
    put_right(r, s, (size_t)(tmp + sizeof tmp - s), width);
}

void bms_console_put_i32(struct bms_console_row *r, int32_t v, unsigned width)
{
    bms_console_put_fixed(r, v, 0, width);
}

void bms_console_put_fixed(struct bms_console_row *r, int32_t v, unsigned decimals,
                           unsigned width)
{
    char tmp[16];
    char *end = tmp + sizeof tmp, *s = end;
    uint32_t mag = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    for (unsigned i = 0; i < decimals && i < 9u; i++) {
        *--s = (char)('0' + mag % 10u);
        mag /= 10u;
    }
    if (decimals > 0)
        *--s = '.';
    s = utoa_rev(mag, s);
    if (v < 0)
        *--s = '-';
    put_right(r, s, (size_t)(end - s), width);
}

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

static void reply_error(struct bms_console *con, const struct bms_console_row *msg)
{
    struct bms_console_row r = {.len = 0};
    bms_console_put(&r, "error: ");
    bms_console_put_n(&r, msg->buf, msg->len);
    if (r.len > sizeof r.buf - 2u)
        r.len = sizeof r.buf - 2u;
    bms_console_put(&r, EOL);
    out_put(con, r.buf, r.len);
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
            bms_console_put(err, "out of range ");
            bms_console_put_u32(err, c->arg_min, 0);
            bms_console_put(err, "..");
            bms_console_put_u32(err, c->arg_max, 0);
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
        bms_console_put(out, "  help");
        bms_console_pad(out, 18);
        bms_console_put(out, "this list");
        return true;
    }
    if (row - 2u >= con->table_len)
        return false;
    const struct bms_console_cmd *c = &con->table[row - 2u];
    bms_console_put(out, "  ");
    bms_console_put(out, c->usage);
    bms_console_pad(out, 18);
    bms_console_put(out, c->help);
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
        if (r.len > sizeof r.buf - 2u)
            r.len = sizeof r.buf - 2u;
        bms_console_put(&r, EOL);
        out_put(con, r.buf, r.len);
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
}

/* ---- the firmware's commands ------------------------------------------------------ */

#define LABEL_COL 14u

static void label(struct bms_console_row *r, const char *name)
{
    bms_console_put(r, name);
    bms_console_pad(r, LABEL_COL);
}

static void put_mV_as_V(struct bms_console_row *r, int32_t mV)
{
    bms_console_put_fixed(r, mV, 3, 0);
    bms_console_put(r, " V");
}

static void put_ddegC(struct bms_console_row *r, int32_t ddegC)
{
    bms_console_put_fixed(r, ddegC, 1, 0);
    bms_console_put(r, " C");
}

static void put_mask_names(struct bms_console_row *r, uint32_t mask, unsigned count,
                           const char *(*name)(unsigned id))
{
    if (mask == 0) {
        bms_console_put(r, "none");
        return;
    }
    bool first = true;
    for (unsigned id = 0; id < count; id++) {
        if ((mask & (1u << id)) == 0)
            continue;
        if (!first)
            bms_console_put(r, " ");
        bms_console_put(r, name(id));
        first = false;
    }
}

static const char *protect_name(unsigned id)
{
    return bms_protect_name((enum bms_protect_id)id);
}

static const char *alarm_name(unsigned id)
{
    return bms_alarm_name((enum bms_alarm_id)id);
}

static const char *fault_name(unsigned id)
{
    return bms_fault_name((enum bms_fault_id)id);
}

static bool status_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                       struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    const struct bms_status *st = &bms->status;
    (void)req;
    switch (row) {
    case 0:
        label(r, "state");
        bms_console_put(r, bms_state_name(st->state));
        bms_console_pad(r, 34);
        bms_console_put(r, "pack ");
        bms_console_put_u32(r, st->pack_id, 0);
        bms_console_put(r, " of ");
        bms_console_put_u32(r, st->pack_count, 0);
        bms_console_put(r, st->is_master ? " (master)" : " (slave)");
        return true;
    case 1:
        label(r, "soc");
        bms_console_put_u32(r, st->soc_shown_pct, 0);
        bms_console_put(r, " %, estimate ");
        bms_console_put_fixed(r, st->soc_pptt, 2, 0);
        bms_console_put(r, " %");
        return true;
    case 2:
        label(r, "health");
        bms_console_put(r, "soh ");
        bms_console_put_u32(r, st->soh_pct, 0);
        bms_console_put(r, " %, capacity ");
        bms_console_put_fixed(r, (int32_t)st->capacity_mAh, 3, 0);
        bms_console_put(r, " Ah, ");
        bms_console_put_fixed(r, (int32_t)bms_soc_cycles_x100(&bms->soc), 2, 0);
        bms_console_put(r, " cycles");
        return true;
    case 3:
        label(r, "voltage");
        bms_console_put(r, "battery ");
        put_mV_as_V(r, (int32_t)st->battery_mV);
        bms_console_put(r, ", terminals ");
        put_mV_as_V(r, (int32_t)st->pack_mV);
        return true;
    case 4:
        label(r, "current");
        bms_console_put_fixed(r, st->current_mA, 3, 0);
        bms_console_put(r, " A, power ");
        bms_console_put_i32(r, (int32_t)(st->battery_mV / 10u) * (st->current_mA / 10) / 10000,
                            0);
        bms_console_put(r, " W");
        return true;
    case 5:
        label(r, "cells");
        bms_console_put(r, "min ");
        put_mV_as_V(r, st->cell_min_mV);
        bms_console_put(r, " #");
        bms_console_put_u32(r, st->cell_min_no, 0);
        bms_console_put(r, ", max ");
        put_mV_as_V(r, st->cell_max_mV);
        bms_console_put(r, " #");
        bms_console_put_u32(r, st->cell_max_no, 0);
        bms_console_put(r, ", spread ");
        bms_console_put_i32(r, (int32_t)st->cell_max_mV - st->cell_min_mV, 0);
        bms_console_put(r, " mV");
        return true;
    case 6:
        label(r, "temperature");
        bms_console_put(r, "min ");
        put_ddegC(r, st->temp_min_ddegC);
        bms_console_put(r, ", max ");
        put_ddegC(r, st->temp_max_ddegC);
        bms_console_put(r, ", mosfet ");
        put_ddegC(r, st->temp_fet_ddegC);
        bms_console_put(r, ", air ");
        put_ddegC(r, st->temp_air_ddegC);
        return true;
    case 7:
        label(r, "limits");
        bms_console_put(r, "CVL ");
        bms_console_put_fixed(r, st->cvl_dV, 1, 0);
        bms_console_put(r, " V, CCL ");
        bms_console_put_fixed(r, st->ccl_dA, 1, 0);
        bms_console_put(r, " A, DCL ");
        bms_console_put_fixed(r, st->dcl_dA, 1, 0);
        bms_console_put(r, " A");
        return true;
    case 8:
        label(r, "protections");
        put_mask_names(r, st->protect_mask, BMS_PROT_COUNT, protect_name);
        return true;
    case 9:
        label(r, "alarms");
        put_mask_names(r, st->alarm_mask, BMS_ALARM_COUNT, alarm_name);
        return true;
    case 10:
        label(r, "faults");
        put_mask_names(r, st->fault_mask, BMS_FAULT_COUNT, fault_name);
        if (st->fault_mask & (1u << BMS_FAULT_CODING)) /* R-PA-2 */
            bms_console_put(r, " (link coding failed)");
        return true;
    case 11:
        label(r, "mosfets");
        bms_console_put(r, st->fet_charge_on ? "charge on" : "charge off");
        bms_console_put(r, st->fet_discharge_on ? ", discharge on" : ", discharge off");
        bms_console_put(r, "; dry contacts: ");
        bms_console_put(r, st->prohibit_charge ? "no-charge closed" : "no-charge open");
        bms_console_put(r, st->prohibit_discharge ? ", no-discharge closed"
                                                  : ", no-discharge open");
        return true;
    case 12:
        label(r, "balancing");
        if (st->balance_mask == 0) {
            bms_console_put(r, "none");
            return true;
        }
        bms_console_put(r, "cells");
        for (unsigned i = 0; i < BOARD_CELLS; i++) {
            if (st->balance_mask & (1u << i)) {
                bms_console_put(r, " ");
                bms_console_put_u32(r, i + 1u, 0);
            }
        }
        return true;
    default:
        return false;
    }
}

static const char ntc_place[BOARD_NTCS][8] = {"cell 2", "cell 6", "cell 11", "cell 15",
                                              "mosfet", "air"};

static bool cells_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                      struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    const struct bms_status *st = &bms->status;
    (void)req;
    if (row == 0) {
        bms_console_put(r, "cell   voltage    to min  bleed");
        return true;
    }
    if (row <= BOARD_CELLS) {
        unsigned i = row - 1u;
        uint16_t mV = bms->afe.cell_mV[i];
        bms_console_put_u32(r, i + 1u, 4);
        bms_console_put_fixed(r, mV, 3, 10);
        bms_console_put(r, " V");
        bms_console_put_i32(r, (int32_t)mV - st->cell_min_mV, 6);
        bms_console_put(r, " mV");
        bms_console_put(r, (st->balance_mask & (1u << i)) ? "  yes" : "  -");
        if (i + 1u == st->cell_min_no)
            bms_console_put(r, "   min");
        if (i + 1u == st->cell_max_no)
            bms_console_put(r, "   max");
        return true;
    }
    if (row == BOARD_CELLS + 1u) {
        bms_console_put(r, "ntc    where        temp");
        return true;
    }
    if (row <= BOARD_CELLS + 1u + BOARD_NTCS) {
        unsigned i = row - BOARD_CELLS - 2u;
        bms_console_put_u32(r, i + 1u, 4);
        bms_console_pad(r, 7);
        bms_console_put(r, ntc_place[i]);
        bms_console_pad(r, 15);
        bms_console_put_fixed(r, bms->afe.temp_ddegC[i], 1, 8);
        bms_console_put(r, " C");
        return true;
    }
    return false;
}

static void put_limit(struct bms_console_row *r, const char *name, uint16_t sent_dA,
                      int32_t now_mA, int32_t target_mA, uint8_t reason)
{
    label(r, name);
    bms_console_put_fixed(r, sent_dA, 1, 6);
    bms_console_put(r, " A   now ");
    bms_console_put_fixed(r, now_mA, 3, 7);
    bms_console_put(r, " A, target ");
    bms_console_put_fixed(r, target_mA, 3, 7);
    bms_console_put(r, " A, by ");
    bms_console_put(r, bms_limit_reason_name((enum bms_limit_reason)reason));
}

static bool limits_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                       struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    const struct bms_status *st = &bms->status;
    (void)req;
    switch (row) {
    case 0:
        label(r, "CVL");
        bms_console_put_fixed(r, st->cvl_dV, 1, 6);
        bms_console_put(r, " V   charge voltage limit");
        return true;
    case 1:
        label(r, "DVL");
        bms_console_put_fixed(r, st->dvl_dV, 1, 6);
        bms_console_put(r, " V   discharge cut-off");
        return true;
    case 2:
        put_limit(r, "CCL", st->ccl_dA, bms->lim.ccl_mA, bms->lim.ccl_target_mA,
                  st->ccl_reason);
        return true;
    case 3:
        put_limit(r, "DCL", st->dcl_dA, bms->lim.dcl_mA, bms->lim.dcl_target_mA,
                  st->dcl_reason);
        return true;
    case 4:
        label(r, "enable");
        bms_console_put(r, st->charge_enable ? "charge yes" : "charge no");
        bms_console_put(r, st->discharge_enable ? ", discharge yes" : ", discharge no");
        return true;
    case 5:
        label(r, "requests");
        bms_console_put(r, st->force_charge ? "force charge yes" : "force charge no");
        bms_console_put(r, st->full_charge_request ? ", full charge yes"
                                                   : ", full charge no");
        return true;
    default:
        return false;
    }
}

/* "12d 04:13:22.120" */
static void put_uptime(struct bms_console_row *r, uint16_t day, uint32_t ms)
{
    uint32_t s = ms / 1000u;
    bms_console_put_u32(r, day, 4);
    bms_console_put(r, "d ");
    uint32_t parts[3] = {s / 3600u, s / 60u % 60u, s % 60u};
    for (unsigned i = 0; i < 3; i++) {
        if (i > 0)
            bms_console_put(r, ":");
        if (parts[i] < 10u)
            bms_console_put(r, "0");
        bms_console_put_u32(r, parts[i], 0);
    }
    bms_console_put(r, ".");
    uint32_t frac = ms % 1000u;
    bms_console_put(r, frac < 10u ? "00" : frac < 100u ? "0" : "");
    bms_console_put_u32(r, frac, 0);
}

static bool log_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                    struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    uint32_t want = req->argc > 0 ? req->arg[0] : 10u;
    uint32_t count = bms_evlog_count(&bms->evlog);
    uint32_t n = want < count ? want : count;
    if (row == 0) {
        if (count == 0) {
            bms_console_put(r, "(event log empty)");
            return true;
        }
        bms_console_put(r, "     seq boot     uptime          event");
        bms_console_pad(r, 66);
        bms_console_put(r, "value");
        return true;
    }
    if (row > n)
        return false;
    struct bms_evlog_entry e;
    if (!bms_evlog_read(&bms->evlog, n - row, &e)) { /* oldest of the n first */
        bms_console_put(r, "(record unreadable)");
        return true;
    }
    bms_console_put_u32(r, e.seq, 8);
    bms_console_put_u32(r, e.boot, 5);
    bms_console_put(r, " ");
    put_uptime(r, e.day, e.uptime_ms);
    bms_console_put(r, "  ");
    char name[BMS_EVLOG_NAME_MAX];
    bms_evlog_format_name(name, sizeof name, e.kind, e.id);
    bms_console_put(r, name);
    bms_console_pad(r, 60);
    bms_console_put_i32(r, e.value, 11);
    return true;
}

/* Thresholds in the unit of their quantity. */
static void put_qty(struct bms_console_row *r, uint8_t qty, int32_t v)
{
    switch (qty) {
    case BMS_QTY_TEMP_MAX:
    case BMS_QTY_TEMP_MIN:
    case BMS_QTY_TEMP_FET:
    case BMS_QTY_NTC_MAX:
    case BMS_QTY_NTC_MIN:
        put_ddegC(r, v);
        break;
    case BMS_QTY_CHG_CURRENT:
    case BMS_QTY_DSG_CURRENT:
    case BMS_QTY_FET_LEAK:
        bms_console_put_fixed(r, v, 3, 0);
        bms_console_put(r, " A");
        break;
    case BMS_QTY_BATTERY:
    case BMS_QTY_CELL_MAX:
    case BMS_QTY_CELL_MIN:
        put_mV_as_V(r, v);
        break;
    default:
        bms_console_put_i32(r, v, 0);
        break;
    }
}

static void put_seconds(struct bms_console_row *r, uint32_t ms)
{
    bms_console_put_fixed(r, (int32_t)(ms / 100u), 1, 0);
    bms_console_put(r, " s");
}

static const char qty_names[BMS_QTY_COUNT][12] = {
#define X(id, name) name,
    BMS_QTY_LIST(X)
#undef X
};

static void diag_row(struct bms_console_row *r, const struct bms_diag_row *d)
{
    const char *kind = d->kind == BMS_DIAG_PROTECT ? "protect" :
                       d->kind == BMS_DIAG_ALARM   ? "alarm"   : "fault";
    const char *name = d->kind == BMS_DIAG_PROTECT ? protect_name(d->id) :
                       d->kind == BMS_DIAG_ALARM   ? alarm_name(d->id)   : fault_name(d->id);
    bms_console_put(r, kind);
    bms_console_put(r, " ");
    bms_console_put(r, name);
    if (!d->enabled) {
        bms_console_pad(r, 30);
        bms_console_put(r, "disabled");
        return;
    }
    bms_console_pad(r, 30);
    bms_console_put(r, d->qty < BMS_QTY_COUNT ? qty_names[d->qty] : "?");
    bms_console_put(r, d->high ? (d->inclusive ? " >= " : " > ") : (d->inclusive ? " <= " : " < "));
    put_qty(r, d->qty, d->trip);
    bms_console_put(r, " for ");
    put_seconds(r, d->trip_ms);
    bms_console_pad(r, 70);
    switch (d->release_mode) {
    case BMS_REL_HYST:
        bms_console_put(r, d->high ? "<= " : ">= ");
        put_qty(r, d->qty, d->release);
        bms_console_put(r, " for ");
        put_seconds(r, d->release_ms);
        break;
    case BMS_REL_TIMED:
        put_seconds(r, d->release_ms);
        bms_console_put(r, " after the trip");
        break;
    case BMS_REL_CHARGE:
        bms_console_put(r, "charge >= ");
        bms_console_put_fixed(r, d->release, 3, 0);
        bms_console_put(r, " A or battery >= ");
        put_mV_as_V(r, d->release2);
        break;
    default:
        bms_console_put(r, "restart");
        break;
    }
}

static bool config_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                       struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    const struct bms_config *cfg = bms->cfg;
    (void)req;
    if (row == 0) {
        bms_console_put(r, "diagnosis row");
        bms_console_pad(r, 30);
        bms_console_put(r, "trips when");
        bms_console_pad(r, 70);
        bms_console_put(r, "releases when");
        return true;
    }
    if (row <= BMS_DIAG_ROW_COUNT) {
        diag_row(r, &cfg->diag[row - 1u]);
        return true;
    }
    switch (row - BMS_DIAG_ROW_COUNT - 1u) {
    case 0:
        label(r, "standby");
        bms_console_put(r, "|I| < ");
        bms_console_put_fixed(r, cfg->standby_current_mA, 3, 0);
        bms_console_put(r, " A; button hold ");
        put_seconds(r, cfg->button_hold_ms);
        return true;
    case 1:
        label(r, "voltage");
        bms_console_put(r, "CVL ");
        put_mV_as_V(r, (int32_t)cfg->cvl_mV);
        bms_console_put(r, ", DVL ");
        put_mV_as_V(r, (int32_t)cfg->dvl_mV);
        bms_console_put(r, ", slew ");
        bms_console_put_fixed(r, cfg->slew_mA_per_s, 3, 0);
        bms_console_put(r, " A/s");
        return true;
    case 2:
        label(r, "full");
        bms_console_put(r, "battery >= ");
        put_mV_as_V(r, (int32_t)cfg->full_battery_mV);
        bms_console_put(r, ", ");
        bms_console_put_fixed(r, cfg->full_current_min_mA, 3, 0);
        bms_console_put(r, " A <= I < ");
        bms_console_put_fixed(r, cfg->full_current_max_mA, 3, 0);
        bms_console_put(r, " A for ");
        put_seconds(r, cfg->full_hold_ms);
        return true;
    case 3:
        label(r, "soc");
        bms_console_put(r, "rated ");
        bms_console_put_fixed(r, (int32_t)cfg->soc.rated_capacity_mAh, 3, 0);
        bms_console_put(r, " Ah, OCV after ");
        put_seconds(r, cfg->soc.rest_time_ms);
        bms_console_put(r, " below ");
        bms_console_put_fixed(r, cfg->soc.ocv_low_pptt, 2, 0);
        bms_console_put(r, " % or above ");
        bms_console_put_fixed(r, cfg->soc.ocv_high_pptt, 2, 0);
        bms_console_put(r, " %");
        return true;
    case 4:
        label(r, "balancing");
        bms_console_put(r, "max cell >= ");
        put_mV_as_V(r, cfg->balance.start_max_cell_mV);
        bms_console_put(r, ", start > ");
        bms_console_put_u32(r, cfg->balance.start_spread_mV, 0);
        bms_console_put(r, " mV, bleed > min + ");
        bms_console_put_u32(r, cfg->balance.bleed_above_mV, 0);
        bms_console_put(r, " mV, stop <= ");
        bms_console_put_u32(r, cfg->balance.stop_spread_mV, 0);
        bms_console_put(r, " mV");
        return true;
    case 5:
        label(r, "force charge");
        bms_console_put(r, "on below ");
        bms_console_put_u32(r, cfg->force_on_below_pct, 0);
        bms_console_put(r, " %, off at ");
        bms_console_put_u32(r, cfg->force_off_at_pct, 0);
        bms_console_put(r, " %");
        return true;
    default:
        return false;
    }
}

static bool version_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                        struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    (void)req;
    switch (row) {
    case 0:
        label(r, "firmware");
        bms_console_put(r, "GTX2500 BMS " BMS_FW_VERSION);
        return true;
    case 1:
        label(r, "battery");
        bms_console_put_u32(r, BOARD_CELLS, 0);
        bms_console_put(r, "S LFP, ");
        bms_console_put_fixed(r, (int32_t)bms->cfg->soc.rated_capacity_mAh, 3, 0);
        bms_console_put(r, " Ah rated");
        return true;
    case 2:
        label(r, "event log");
        bms_console_put_u32(r, bms_evlog_count(&bms->evlog), 0);
        bms_console_put(r, " of ");
        bms_console_put_u32(r, bms->evlog.slots, 0);
        bms_console_put(r, " records, boot ");
        bms_console_put_u32(r, bms->evlog.boot, 0);
        return true;
    case 3:
        label(r, "uptime");
        put_uptime(r, bms->evlog.day, bms->evlog.day_ms);
        return true;
    default:
        return false;
    }
}

const struct bms_console_cmd bms_console_commands[] = {
    {"status", "status", "state, SOC, voltages, current, alarms", 0, 0, 0, 0, status_row},
    {"cells", "cells", "cell voltages and temperatures", 0, 0, 0, 0, cells_row},
    {"limits", "limits", "CVL, CCL, DCL, DVL and why", 0, 0, 0, 0, limits_row},
    {"log", "log [N]", "the last N events (10; at most 1000)", 0, 1, 1, 1000, log_row},
    {"config", "config", "thresholds, delays and hysteresis", 0, 0, 0, 0, config_row},
    {"version", "version", "firmware and battery", 0, 0, 0, 0, version_row},
};

const size_t bms_console_command_count =
    sizeof bms_console_commands / sizeof bms_console_commands[0];
