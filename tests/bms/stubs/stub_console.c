/* stub_console.c: a stand-in for src/bms/bms_console.c while it is not in the tree. */
#include "bms_console.h"

const struct bms_console_cmd bms_console_commands[1];
const size_t bms_console_command_count = 0;

void bms_console_init(struct bms_console *con, const struct bms_console_cmd *table,
                      size_t table_len)
{
    con->table = table;
    con->table_len = (uint8_t)table_len;
}

void bms_console_tick(struct bms_console *con, struct board *board, const void *ctx)
{
    (void)con;
    (void)board;
    (void)ctx;
}
