/* gtx/bms/console.h: the RS232 service console's instance struct (struct bms embeds
 * it), its command rows and reply rows (docs/console.md). The line engine, the row
 * printer and the command table are the firmware's own (src/bms/bms_console.h).
 */
#ifndef GTX_BMS_PUB_CONSOLE_H
#define GTX_BMS_PUB_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
    bool rx_left;        /* the UART still held bytes after the last tick (uart_waiting) */
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

#endif
