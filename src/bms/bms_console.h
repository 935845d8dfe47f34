/* bms_console: the RS232 service console (docs/console.md). Assembles lines
 * from the UART bytes (CR, LF or CRLF), parses them against a table of
 * commands, and lets the chosen command write its reply row by row into a
 * bounded output buffer that drains into the UART without ever blocking.
 */
#ifndef GTX_BMS_CONSOLE_H
#define GTX_BMS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/board.h"

#define BMS_CONSOLE_LINE_MAX 256u /* longer lines are discarded with one error */
#define BMS_CONSOLE_ROW_MAX 128u  /* longest reply row, CRLF included */
#define BMS_CONSOLE_OUT_SIZE 512u /* output buffer */
#define BMS_CONSOLE_RX_CHUNK 64u  /* bytes read from the UART at a time */
#define BMS_CONSOLE_RX_PER_TICK 256u
#define BMS_CONSOLE_ARGS_MAX 2u

/* A parsed command line: which command and its numeric arguments. */
#define BMS_CONSOLE_HELP 0xFFu /* req.cmd of the built-in help */

struct bms_console_req {
    uint8_t cmd;  /* index into the table, or BMS_CONSOLE_HELP */
    uint8_t argc;
    uint32_t arg[BMS_CONSOLE_ARGS_MAX];
};

/* One reply row under construction (the helpers below append and truncate). */
struct bms_console_row {
    char buf[BMS_CONSOLE_ROW_MAX];
    size_t len;
};

struct bms_console_cmd {
    const char *name;   /* lower case; matched case-insensitively */
    const char *usage;  /* "log [N]" */
    const char *help;   /* one line for `help` */
    uint8_t min_args;
    uint8_t max_args;   /* <= BMS_CONSOLE_ARGS_MAX; every argument is a decimal number */
    uint32_t arg_min;   /* its accepted range */
    uint32_t arg_max;
    /* Writes reply row number `row` (without line end) into out; returns false
     * when there is no such row (the reply is complete). ctx is what the
     * console's owner passes to bms_console_tick (the firmware: struct bms). */
    bool (*row)(const void *ctx, const struct bms_console_req *req, uint32_t row,
                struct bms_console_row *out);
};

struct bms_console {
    const struct bms_console_cmd *table;
    uint8_t table_len;
    /* line assembly */
    char line[BMS_CONSOLE_LINE_MAX];
    uint16_t line_len;
    bool too_long;  /* discarding until the end of the line */
    bool binary;    /* a non-printable byte was seen in this line */
    bool after_cr;  /* the previous byte was CR: a LF now ends nothing */
    uint8_t rx[BMS_CONSOLE_RX_CHUNK];
    uint8_t rx_len;
    uint8_t rx_pos;
    /* the running reply */
    bool running;
    struct bms_console_req req;
    uint32_t row;
    /* output */
    char out[BMS_CONSOLE_OUT_SIZE];
    uint16_t out_len;
    uint16_t out_pos;
    /* counters for the service engineer and the tests */
    uint32_t lines;
    uint32_t errors;
};

/* `help` is built in (it lists the table); table_len <= 254. */
void bms_console_init(struct bms_console *con, const struct bms_console_cmd *table,
                      size_t table_len);

/* Reads the UART, runs commands, drains the output. Call every tick. */
void bms_console_tick(struct bms_console *con, struct board *board, const void *ctx);

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
bool bms_console_parse(const struct bms_console_cmd *table, size_t table_len,
                              const char *line, size_t len, struct bms_console_req *req,
                              struct bms_console_row *err);

/* Row helpers: append text, numbers, and pad to a column; all truncate safely. */
void bms_console_put(struct bms_console_row *r, const char *s);
void bms_console_put_n(struct bms_console_row *r, const char *s, size_t n);
void bms_console_put_u32(struct bms_console_row *r, uint32_t v, unsigned width);
void bms_console_put_i32(struct bms_console_row *r, int32_t v, unsigned width);
/* v / 10^decimals with that many decimals, right-aligned in width: 53125, 3 -> "53.125" */
void bms_console_put_fixed(struct bms_console_row *r, int32_t v, unsigned decimals,
                           unsigned width);
void bms_console_pad(struct bms_console_row *r, size_t column);

/* The firmware's command table (status, cells, limits, log, config, version);
 * its ctx is the const struct bms * the firmware passes to bms_console_tick. */
extern const struct bms_console_cmd bms_console_commands[];
extern const size_t bms_console_command_count;

#endif
