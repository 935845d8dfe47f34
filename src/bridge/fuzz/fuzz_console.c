/* fuzz_console: libFuzzer target for the firmware's RS232 console line parser
 * (bms_console_parse) and its line assembler (bms_console_feed) with the
 * firmware's real command table. An accepted line must name a command with
 * arguments in range; a refused one gives a bounded error text. */
#include <stdlib.h>
#include <string.h>

#include "bms_console.h"
#include "gtx/bms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool no_rows(const void *ctx, const struct bms_console_req *req, uint32_t row,
                    struct bms_console_row *out)
{
    (void)ctx;
    (void)req;
    (void)out;
    return row > 1000000u; /* never: the reply ends at once */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bms_console_req req;
    struct bms_console_row err;
    memset(&err, 0, sizeof err);
    if (bms_console_parse(bms_console_commands, bms_console_command_count, (const char *)data,
                          size, &req, &err)) {
        if (req.cmd != BMS_CONSOLE_HELP) {
            if (req.cmd >= bms_console_command_count)
                abort();
            const struct bms_console_cmd *c = &bms_console_commands[req.cmd];
            if (req.argc < c->min_args || req.argc > c->max_args)
                abort();
            for (unsigned k = 0; k < req.argc; k++)
                if (req.arg[k] < c->arg_min || req.arg[k] > c->arg_max)
                    abort();
        }
    } else if (err.len >= BMS_CONSOLE_ROW_MAX) {
        abort();
    }
    /* the byte path: the same bytes through the line assembler, with the
     * firmware's names and argument ranges but rows that end at once (the
     * rows read a running firmware; the parser and assembler are the target) */
    struct bms_console_cmd table[64]; /* locals: no state survives a run */
    size_t n = bms_console_command_count < 64 ? bms_console_command_count : 64;
    for (size_t i = 0; i < n; i++) {
        table[i] = bms_console_commands[i];
        table[i].row = no_rows;
    }
    struct bms_console con;
    bms_console_init(&con, table, n);
    size_t pos = 0;
    for (int guard = 0; pos < size && guard < 100000; guard++) {
        pos += bms_console_feed(&con, data + pos, size - pos, NULL);
        bms_console_pump(&con, NULL);
        con.out_len = con.out_pos = 0; /* nobody reads: drop what was written */
    }
    return 0;
}
