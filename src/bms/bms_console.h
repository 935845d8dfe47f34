/* bms_console: the RS232 service console (docs/console.md). The line engine
 * (bms_console.c) assembles lines from the UART bytes (CR, LF or CRLF), parses them
 * against a table of commands, and lets the chosen command write its reply row by row
 * into a bounded output buffer that drains into the UART without ever blocking. The
 * row printer (bms_console_row.c) formats without stdio; the firmware's commands are
 * bms_console_cmds.c. Private to src/bms/.
 */
#ifndef GTX_BMS_CONSOLE_H
#define GTX_BMS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/bms/console.h"
#include "gtx/board.h"

/* `help` is built in (it lists the table); table_len <= 254. */
void bms_console_init(struct bms_console *con, const struct bms_console_cmd *table,
                      size_t table_len);

/* Reads the UART, runs commands, drains the output. Call every tick. */
void bms_console_tick(struct bms_console *con, struct board *board, const void *ctx);
/* Work left for the next tick: a reply running or going out, input read but not taken,
 * or bytes the last tick left in the UART. Inline: the firmware asks at every tick. */
static inline bool bms_console_busy(const struct bms_console *con)
{
    return con->running || con->out_pos < con->out_len || con->rx_pos < con->rx_len ||
           con->rx_left;
}
/* Whether this tick has work for the console: bms_console_busy, or after an input (the
 * HAL's notice that bytes arrived) bytes waiting in its UART, which it asks then only. */
static inline bool bms_console_due(const struct bms_console *con, struct board *board,
                                   bool input)
{
    return bms_console_busy(con) ||
           (input && board->ops->uart_waiting(board, BOARD_UART_RS232) > 0);
}

/* The byte path without a UART (fuzzing, tests): takes bytes until a command
 * starts, returns how many it took. Replies collect in con->out (call
 * bms_console_tick or bms_console_pump to continue a reply). */
size_t bms_console_feed(struct bms_console *con, const uint8_t *data, size_t len,
                        const void *ctx);

/* Writes reply rows while the output buffer has room for one. */
void bms_console_pump(struct bms_console *con, const void *ctx);

/* Parses one line (no line end, no NUL needed). Returns true and fills req,
 * or false with the reason (without "error: ") in err; an empty or blank line
 * gives false with an empty err. */
bool bms_console_parse(const struct bms_console_cmd *table, size_t table_len, const char *line,
                       size_t len, struct bms_console_req *req, struct bms_console_row *err);

/* Row helpers: append text, numbers, and pad to a column; all truncate safely. */
void bms_console_put(struct bms_console_row *r, const char *s);
void bms_console_put_n(struct bms_console_row *r, const char *s, size_t n);
void bms_console_put_u32(struct bms_console_row *r, uint32_t v, unsigned width);
void bms_console_put_i32(struct bms_console_row *r, int32_t v, unsigned width);
/* v / 10^decimals with that many decimals, right-aligned in width: 53125, 3 -> "53.125" */
void bms_console_put_fixed(struct bms_console_row *r, int32_t v, unsigned decimals,
                           unsigned width);
void bms_console_pad(struct bms_console_row *r, size_t column);

/* The row printer: appends fmt to r. Text is copied; %s takes the next of str, %u the
 * next of num as unsigned, %d as signed; %Wu and %Wd right-align in W columns (%0Wu
 * with zeros); %W.Dd is num / 10^D with D decimals ("%.3d" of 53125: "53.125");
 * %Ct pads with spaces to column C; %% is a '%'. All truncates at the row's end. */
void bms_console_print(struct bms_console_row *r, const char *fmt, const int32_t *num,
                       const char *const *str);
/* The argument lists of one bms_console_print call. */
#define BMS_CON_NUM(...) ((const int32_t[]){__VA_ARGS__})
#define BMS_CON_STR(...) ((const char *const[]){__VA_ARGS__})

/* The firmware's renderers (bms_console_show.c), one per command of the table in
 * bms_console_cmds.c (see struct bms_console_cmd's row); ctx is the const struct bms *. */
typedef bool bms_console_renderer(const void *ctx, const struct bms_console_req *req,
                                  uint32_t row, struct bms_console_row *out);
bms_console_renderer bms_console_status_row, bms_console_cells_row, bms_console_limits_row,
    bms_console_log_row, bms_console_config_row, bms_console_version_row;

/* The firmware's command table (status, cells, limits, log, config, version);
 * its ctx is the const struct bms * the firmware passes to bms_console_tick. */
extern const struct bms_console_cmd bms_console_commands[];
extern const size_t bms_console_command_count;

#endif
