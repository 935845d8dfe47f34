/* test_console: the RS232 service console against a fake board and a struct
 * bms filled like RAM: each command's reply shape, CR/LF/CRLF line ends, and
 * bad lines (unknown, too long, 10 KB, binary, bad arguments) that get one
 * error, change nothing, and leave the console working.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bms_core.h"
#include "check_main.h"
#include "fake_board.h"
#include "gtx/bms.h"

static struct fake_board fb;
static struct bms bms;
static struct bms_console con;
static char reply[65536];

static void setup(void)
{
    fake_board_init(&fb, NULL);
    memset(&bms, 0, sizeof bms);
    bms.cfg = &bms_config_default;
    bms.board = &fb.board;
    bms_evlog_init(&bms.evlog, &fb.board, 64, 4096);
    bms_soc_init(&bms.soc, &bms.cfg->soc, &fb.board, 0);
    bms.status = (struct bms_status){
        .state = BMS_STATE_DISCHARGING, .pack_id = 1, .pack_count = 1, .is_master = true,
        .soc_pptt = 6653, .soc_shown_pct = 67, .soh_pct = 98, .capacity_mAh = 49000,
        .battery_mV = 52437, .pack_mV = 52430, .current_mA = -24512,
        .cell_min_mV = 3271, .cell_max_mV = 3302, .cell_min_no = 14, .cell_max_no = 2,
        .temp_min_ddegC = -105, .temp_max_ddegC = 312, .temp_fet_ddegC = 350,
        .temp_air_ddegC = 248,
        .cvl_dV = 557, .dvl_dV = 456, .ccl_dA = 250, .dcl_dA = 300,
        .protect_mask = 1u << BMS_PROT_DISCHARGE_OT,
        .alarm_mask = (1u << BMS_ALARM_INVERTER_LINK) | (1u << BMS_ALARM_CELL_UV),
        .balance_mask = (1u << 1) | (1u << 15), .fet_charge_on = true,
    };
    for (int i = 0; i < BOARD_CELLS; i++)
        bms.afe.cell_mV[i] = 3290;
    bms.afe.cell_mV[13] = 3271;
    bms.afe.cell_mV[1] = 3302;
    for (int i = 0; i < BOARD_NTCS; i++)
        bms.afe.temp_ddegC[i] = (int16_t)(200 + i);
    bms_console_init(&con, bms_console_commands, bms_console_command_count);
}

/* Types text into the RS232 port and runs ticks until the console is idle;
 * returns the reply (also in `reply`). */
static const char *type(const void *text, size_t len)
{
    fake_uart_input(&fb, BOARD_UART_RS232, text, len);
    struct fake_uart *ua = &fb.uart[BOARD_UART_RS232];
    for (int i = 0; i < 100000; i++) {
        bms_console_tick(&con, &fb.board, &bms);
        if (ua->rx_pos == ua->rx_len && !con.running && con.out_len == con.out_pos &&
            con.rx_pos >= con.rx_len)
            break;
    }
    fake_uart_take(&fb, BOARD_UART_RS232, reply, sizeof reply);
    return reply;
}

static const char *cmd(const char *line)
{
    return type(line, strlen(line));
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Each of the n texts is in the reply r. */
static void assert_has(const char *r, const char *const *texts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(strstr(r, texts[i]) != NULL, "the reply lacks \"%s\"", texts[i]);
}

/* Every reply line ends in CRLF, is printable and at most 128 bytes. */
static void assert_well_formed(const char *s)
{
    size_t col = 0;
    for (; *s; s++) {
        if (*s == '\r') {
            ck_assert_int_eq(s[1], '\n');
            s++;
            col = 0;
            continue;
        }
        ck_assert_msg(*s >= 0x20 && *s < 0x7F, "unprintable 0x%02x", (unsigned char)*s);
        col++;
        ck_assert_uint_le(col, BMS_CONSOLE_ROW_MAX - 2u);
    }
    ck_assert_uint_eq(col, 0);
}

START_TEST(help_lists_every_command)
{
    const char *r = cmd("help\r\n");
    assert_well_formed(r);
    ck_assert_int_eq(count_lines(r), 2 + 6);
    ck_assert_ptr_nonnull(strstr(r, "\r\n  help            this list\r\n"));
    ck_assert_ptr_nonnull(strstr(r, "\r\n  log [N]         the last N events"));
    const char *names[] = {"status", "cells", "limits", "config", "version"};
    for (int i = 0; i < 5; i++)
        ck_assert_ptr_nonnull(strstr(r, names[i]));
}
END_TEST

START_TEST(status_reply)
{
    const char *r = cmd("status\n");
    assert_well_formed(r);
    ck_assert_int_eq(count_lines(r), 13);
    static const char *const lines[] = {
        "state         discharging         pack 1 of 1 (master)\r\n",
        "soc           67 %, estimate 66.53 %\r\n",
        "voltage       battery 52.437 V, terminals 52.430 V\r\n",
        "current       -24.512 A, power -1285 W\r\n",
        "cells         min 3.271 V #14, max 3.302 V #2, spread 31 mV\r\n",
        "temperature   min -10.5 C, max 31.2 C, mosfet 35.0 C, air 24.8 C\r\n",
        "limits        CVL 55.7 V, CCL 25.0 A, DCL 30.0 A\r\n",
        "protections   discharge_ot\r\n",
        "alarms        cell_uv inverter_link\r\n",
        "faults        none\r\n",
        "balancing     cells 2 16\r\n",
    };
    assert_has(r, lines, sizeof lines / sizeof lines[0]);
}
END_TEST

START_TEST(cells_reply)
{
    const char *r = cmd("cells\r");
    assert_well_formed(r);
    ck_assert_int_eq(count_lines(r), 1 + 16 + 1 + 6);
    static const char *const lines[] = {
        "cell   voltage    to min  bleed\r\n",
        "\r\n   2     3.302 V    31 mV  yes   max\r\n",
        "\r\n  14     3.271 V     0 mV  -   min\r\n",
        "\r\n   1     3.290 V    19 mV  -\r\n",
        "\r\n   5   mosfet      20.4 C\r\n",
        "\r\n   6   air         20.5 C\r\n",
    };
    assert_has(r, lines, sizeof lines / sizeof lines[0]);
}
END_TEST

START_TEST(limits_reply)
{
    bms.lim.ccl_mA = 24000;
    bms.lim.ccl_target_mA = 25000;
    const char *r = cmd("limits\n");
    assert_well_formed(r);
    ck_assert_int_eq(count_lines(r), 6);
    ck_assert_ptr_nonnull(strstr(r, "CVL             55.7 V   charge voltage limit\r\n"));
    ck_assert_ptr_nonnull(strstr(r, "DVL             45.6 V   discharge cut-off\r\n"));
    ck_assert_ptr_nonnull(
        strstr(r, "CCL             25.0 A   now  24.000 A, target  25.000 A, by nominal\r\n"));
}
END_TEST

START_TEST(log_reply_and_its_argument)
{
    ck_assert_str_eq(cmd("log\n"), "(event log empty)\r\n");
    for (int i = 0; i < 15; i++)
        bms_evlog_append(&bms.evlog, 1000u * (uint32_t)i, BMS_EV_ALARM, BMS_ALARM_INVERTER_LINK,
                         i);
    bms_evlog_append(&bms.evlog, 3723004u, BMS_EV_PROTECT, BMS_PROT_CHARGE_OT, 561);
    const char *r = cmd("log\n");
    assert_well_formed(r);
    ck_assert_int_eq(count_lines(r), 11);
    ck_assert_ptr_nonnull(strstr(r, "     seq boot     uptime          event"));
    /* the newest last, with its uptime since the first event */
    ck_assert_ptr_nonnull(strstr(
        r, "      16    0    0d 01:02:03.004  protect.charge_ot                 561\r\n"));
    ck_assert_ptr_nonnull(strstr(r, "       7    0    0d 00:00:06.000  alarm.inverter_link"));
    ck_assert_ptr_null(strstr(r, "       6    0"));
    ck_assert_int_eq(count_lines(cmd("log 3\n")), 4);
    ck_assert_int_eq(count_lines(cmd("LOG   1000\n")), 17);
}
END_TEST

START_TEST(config_reply)
{
    const char *r = cmd("config\n");
    assert_well_formed(r);
    ck_assert_int_eq(count_lines(r), 1 + BMS_DIAG_ROW_COUNT + 6);
    ck_assert_ptr_nonnull(strstr(r, "\r\nprotect charge_ot             temp_max"));
    ck_assert_ptr_nonnull(strstr(r, "55.0 C for 2.0 s"));
    ck_assert_ptr_nonnull(strstr(r, "<= 50.0 C for 5.0 s\r\n"));
    ck_assert_ptr_nonnull(strstr(r, "\r\nbalancing     max cell >= 3.400 V, start > 30 mV, "
                                    "bleed > min + 10 mV, stop <= 10 mV\r\n"));
}
END_TEST

START_TEST(version_reply)
{
    const char *r = cmd("version\n");
    assert_well_formed(r);
    ck_assert_int_eq(count_lines(r), 4);
    ck_assert_ptr_nonnull(strstr(r, "firmware      GTX2500 BMS "));
    ck_assert_ptr_nonnull(strstr(r, "battery       16S LFP, 50.000 Ah rated\r\n"));
}
END_TEST

START_TEST(line_ends_cr_lf_crlf)
{
    const char *r = cmd("version\rversion\nversion\r\nversion\n\r");
    ck_assert_int_eq(count_lines(r), 4 * 4);
    ck_assert_uint_eq(con.errors, 0);
    /* empty and blank lines answer nothing */
    ck_assert_str_eq(cmd("\r\n\n   \t \r\n"), "");
    /* a backspace edits the line */
    ck_assert_int_eq(count_lines(cmd("versiom\bn\n")), 4);
}
END_TEST

/* A bad line gets exactly one error line and changes nothing in the firmware. */
static void assert_refused(const void *line, size_t len, const char *error)
{
    static struct bms before;
    static uint8_t nvm_before[FAKE_NVM_SIZE];
    memcpy(&before, &bms, sizeof bms);
    memcpy(nvm_before, fb.nvm, sizeof nvm_before);
    uint32_t errors = con.errors;
    const char *r = type(line, len);
    ck_assert_str_eq(r, error);
    ck_assert_uint_eq(con.errors, errors + 1u);
    ck_assert_int_eq(memcmp(&before, &bms, sizeof bms), 0);
    ck_assert_int_eq(memcmp(nvm_before, fb.nvm, sizeof nvm_before), 0);
    /* and the console still answers */
    ck_assert_int_eq(count_lines(cmd("version\n")), 4);
}

static void refused(const char *line, const char *error)
{
    assert_refused(line, strlen(line), error);
}

START_TEST(bad_lines_get_one_error_and_change_nothing)
{
    refused("foo\n", "error: unknown command 'foo' (try help)\r\n");
    refused("statusx\r\n", "error: unknown command 'statusx' (try help)\r\n");
    refused("status 1\n", "error: too many arguments, usage: status\r\n");
    refused("help me\n", "error: help takes no arguments\r\n");
    refused("log 0\n", "error: out of range 1..1000, usage: log [N]\r\n");
    refused("log 1001\n", "error: out of range 1..1000, usage: log [N]\r\n");
    refused("log abc\n", "error: not a number, usage: log [N]\r\n");
    refused("log -1\n", "error: not a number, usage: log [N]\r\n");
    refused("log 4294967296\n", "error: not a number, usage: log [N]\r\n");
    refused("log 99999999999\n", "error: not a number, usage: log [N]\r\n");
    refused("log 1 2\n", "error: too many arguments, usage: log [N]\r\n");
    refused("log 1 2 3 4 5 6\n", "error: too many arguments, usage: log [N]\r\n");
    refused("sta\x01tus\n", "error: binary data in line\r\n");
    assert_refused("sta\0tus\n", 8, "error: binary data in line\r\n");
    refused("\xff\xfe\xfd\n", "error: binary data in line\r\n");
    refused("\x1b[A\n", "error: binary data in line\r\n");
}
END_TEST

START_TEST(long_lines)
{
    static char line[10 * 1024 + 2];
    /* 256 bytes is a line (an unknown command), 257 is too long */
    memset(line, 'a', 256);
    line[256] = '\n';
    const char *want =
        "error: unknown command 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' (try help)\r\n";
    assert_refused(line, 257, want);
    memset(line, 'a', 257);
    line[257] = '\n';
    assert_refused(line, 258, "error: line too long (max 256 bytes)\r\n");
    /* a command padded past 256 bytes is too long too */
    memset(line, ' ', 300);
    memcpy(line, "status", 6);
    line[300] = '\n';
    assert_refused(line, 301, "error: line too long (max 256 bytes)\r\n");
    /* 10 KB with binary inside: one error for the whole line */
    for (size_t i = 0; i < 10 * 1024; i++)
        line[i] = (char)(i * 7);
    for (size_t i = 0; i < 10 * 1024; i++)
        if (line[i] == '\r' || line[i] == '\n')
            line[i] = 'x';
    line[10 * 1024] = '\r';
    line[10 * 1024 + 1] = '\n';
    assert_refused(line, sizeof line, "error: line too long (max 256 bytes)\r\n");
}
END_TEST

START_TEST(slow_uart_gets_the_whole_reply)
{
    char fast[8192];
    strcpy(fast, cmd("config\nversion\n"));
    ck_assert_uint_gt(strlen(fast), BMS_CONSOLE_OUT_SIZE); /* more than the buffer */
    fb.uart[BOARD_UART_RS232].tx_room = 7;                 /* 7 bytes per write */
    fake_uart_input(&fb, BOARD_UART_RS232, "config\nversion\n", 15);
    size_t got = 0;
    static char slow[8192];
    for (int tick = 0; tick < 5000; tick++) {
        bms_console_tick(&con, &fb.board, &bms);
        ck_assert_uint_le(con.out_len, BMS_CONSOLE_OUT_SIZE);
        got += fake_uart_take(&fb, BOARD_UART_RS232, slow + got, sizeof slow - got);
    }
    ck_assert_str_eq(slow, fast);
    /* a UART that takes nothing: the console neither blocks nor loses the reply */
    fb.uart[BOARD_UART_RS232].tx_room = 0;
    fake_uart_input(&fb, BOARD_UART_RS232, "cells\n", 6);
    for (int tick = 0; tick < 100; tick++)
        bms_console_tick(&con, &fb.board, &bms);
    ck_assert_uint_eq(fb.uart[BOARD_UART_RS232].tx_len, 0);
    fb.uart[BOARD_UART_RS232].tx_room = SIZE_MAX;
    ck_assert_int_eq(count_lines(type("", 0)), 24);
}
END_TEST

/* The console asks its UART (uart_waiting) whether it has input: after an input notice,
 * and after each tick it ran; it does not guess from a full read. */
START_TEST(console_asks_its_uart)
{
    ck_assert(!bms_console_due(&con, &fb.board, true)); /* nothing waits */
    char part[300];
    memset(part, 'x', sizeof part); /* a line not ended yet: no reply runs */
    fake_uart_input(&fb, BOARD_UART_RS232, part, BMS_CONSOLE_RX_PER_TICK);
    ck_assert(!bms_console_due(&con, &fb.board, false)); /* the bytes come with an input */
    ck_assert(bms_console_due(&con, &fb.board, true));
    bms_console_tick(&con, &fb.board, &bms);
    /* A tick's worth read in whole chunks, the UART empty: no work left (the guess from
     * the last chunk read full said "maybe more", a tick for nothing). */
    ck_assert(!bms_console_busy(&con));
    ck_assert(!bms_console_due(&con, &fb.board, false));
    ck_assert_uint_eq(con.line_len, BMS_CONSOLE_RX_PER_TICK);
    /* More than a tick reads: the rest waits, and the next tick takes it unasked. */
    fake_uart_input(&fb, BOARD_UART_RS232, part, sizeof part);
    struct fake_uart *ua = &fb.uart[BOARD_UART_RS232];
    bms_console_tick(&con, &fb.board, &bms);
    ck_assert_uint_eq(ua->rx_len - ua->rx_pos, sizeof part - BMS_CONSOLE_RX_PER_TICK);
    ck_assert(bms_console_busy(&con));
    ck_assert(bms_console_due(&con, &fb.board, false));
    bms_console_tick(&con, &fb.board, &bms);
    ck_assert(!bms_console_busy(&con));
    ck_assert_uint_eq(ua->rx_pos, ua->rx_len);
    ck_assert_str_eq(cmd("\r\n"), "error: line too long (max 256 bytes)\r\n");
}
END_TEST

START_TEST(random_bytes_never_break_it)
{
    /* the fuzz entry: feed, pump and drain, with bytes of every value */
    unsigned seed = 99;
    uint8_t chunk[97];
    for (int round = 0; round < 3000; round++) {
        for (size_t i = 0; i < sizeof chunk; i++) {
            seed = seed * 1103515245u + 12345u;
            chunk[i] = (uint8_t)(seed >> 16);
            if (round % 7 == 0 && i % 13 == 0)
                chunk[i] = '\n';
        }
        size_t done = 0;
        while (done < sizeof chunk) {
            done += bms_console_feed(&con, chunk + done, sizeof chunk - done, &bms);
            bms_console_pump(&con, &bms);
            con.out_pos = con.out_len = 0; /* the UART took it all */
        }
    }
    ck_assert_uint_gt(con.errors, 100);
    ck_assert_int_eq(count_lines(cmd("\nversion\n")), 4);
}
END_TEST

START_TEST(parser_direct)
{
    struct bms_console_req req;
    struct bms_console_row err;
    ck_assert(bms_console_parse(bms_console_commands, bms_console_command_count, "  Log\t42 ",
                                9, &req, &err));
    ck_assert_str_eq(bms_console_commands[req.cmd].name, "log");
    ck_assert_uint_eq(req.argc, 1);
    ck_assert_uint_eq(req.arg[0], 42);
    ck_assert(!bms_console_parse(bms_console_commands, bms_console_command_count, "  ", 2, &req,
                                 &err));
    ck_assert_uint_eq(err.len, 0);
    ck_assert(bms_console_parse(bms_console_commands, bms_console_command_count, "help", 4,
                                &req, &err));
    ck_assert_uint_eq(req.cmd, BMS_CONSOLE_HELP);
}
END_TEST

START_TEST(row_helpers)
{
    struct bms_console_row r = {.len = 0};
    bms_console_put_fixed(&r, -5, 3, 0);
    bms_console_put(&r, "|");
    bms_console_put_fixed(&r, 53125, 3, 8);
    bms_console_put(&r, "|");
    bms_console_put_i32(&r, INT32_MIN, 0);
    bms_console_put(&r, "|");
    bms_console_put_u32(&r, 4294967295u, 12);
    r.buf[r.len] = '\0';
    ck_assert_str_eq(r.buf, "-0.005|  53.125|-2147483648|  4294967295");
    /* overflow truncates */
    for (int i = 0; i < 100; i++)
        bms_console_put(&r, "0123456789");
    ck_assert_uint_eq(r.len, BMS_CONSOLE_ROW_MAX);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("R-PT-2", help_lists_every_command),
    GTX_TEST(status_reply),
    GTX_TEST(cells_reply),
    GTX_TEST(limits_reply),
    GTX_TEST(log_reply_and_its_argument),
    GTX_TEST(config_reply),
    GTX_TEST(version_reply),
    GTX_TEST(line_ends_cr_lf_crlf),
    GTX_TEST(bad_lines_get_one_error_and_change_nothing),
    GTX_TEST(long_lines),
    GTX_TEST(slow_uart_gets_the_whole_reply),
    GTX_TEST(console_asks_its_uart),
    GTX_TEST(random_bytes_never_break_it),
    GTX_TEST(parser_direct),
    GTX_TEST(row_helpers),
};

int main(void)
{
    return gtx_check_main("bms_console", tests, GTX_COUNT(tests), 120, setup, false);
}
