/* test_evlog: the event log ring survives a power cut at every byte of every
 * write, keeps sequence order across restarts, wraps, counts uptime days across
 * the 32-bit ms wrap, and formats the names the scenario files use.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bms_evlog.h"
#include "check_main.h"
#include "fake_board.h"

#define SLOTS 10u
#define LOG_SIZE (SLOTS * BMS_EVLOG_RECORD_SIZE + 5u) /* a partial slot at the end is unused */
#define LOG_BASE 100u

static struct fake_board fb;

START_TEST(names_match_the_scenario_format)
{
    static const struct {
        int kind, id;
        const char *name;
    } rows[] = {
        {BMS_EV_START, 0, "start"},
        {BMS_EV_SHUTDOWN, 0, "shutdown"},
        {BMS_EV_PROTECT, BMS_PROT_CHARGE_OT, "protect.charge_ot"},
        {BMS_EV_PROTECT_END, BMS_PROT_CHARGE_OT, "protect_end.charge_ot"},
        {BMS_EV_FAULT, BMS_FAULT_CODING, "fault.coding"},
        {BMS_EV_ALARM, BMS_ALARM_INVERTER_LINK, "alarm.inverter_link"},
        {BMS_EV_ALARM, BMS_ALARM_CELL_UV, "alarm.cell_uv"},
        {BMS_EV_STATE, BMS_STATE_CHARGING, "state.charging"},
        {BMS_EV_SOC_CAL, BMS_SOC_CAL_FULL, "soc_cal.full"},
        {BMS_EV_STATE, 200, "state.?"},
        {250, 0, "?"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char buf[BMS_EVLOG_NAME_MAX];
        bms_evlog_format_name(buf, sizeof buf, (uint8_t)rows[i].kind, (uint8_t)rows[i].id);
        ck_assert_str_eq(buf, rows[i].name);
    }
    /* truncation keeps a terminated string */
    char small[6];
    ck_assert_uint_eq(bms_evlog_format_name(small, sizeof small, BMS_EV_PROTECT, 0), 5);
    ck_assert_str_eq(small, "prote");
}
END_TEST

START_TEST(append_read_newest_first_and_wrap)
{
    struct bms_evlog log;
    fake_board_init(&fb, NULL);
    bms_evlog_init(&log, &fb.board, LOG_BASE, LOG_SIZE);
    ck_assert_uint_eq(bms_evlog_count(&log), 0);
    for (int i = 0; i < 25; i++)
        ck_assert(bms_evlog_append(&log, (uint32_t)i * 10u, BMS_EV_ALARM, (uint8_t)(i % 5), i));
    ck_assert_uint_eq(bms_evlog_count(&log), SLOTS);
    struct bms_evlog_entry e;
    for (uint32_t i = 0; i < SLOTS; i++) {
        ck_assert(bms_evlog_read(&log, i, &e));
        ck_assert_int_eq(e.value, 24 - (int)i);
        ck_assert_uint_eq(e.seq, 25u - i);
        ck_assert_uint_eq(e.id, (24 - i) % 5);
        ck_assert_uint_eq(e.uptime_ms, (24 - i) * 10u);
    }
    ck_assert(!bms_evlog_read(&log, SLOTS, &e));
    /* nothing outside the log's area was touched */
    for (uint32_t a = 0; a < LOG_BASE; a++)
        ck_assert_uint_eq(fb.nvm[a], 0xFF);
    for (uint32_t a = LOG_BASE + SLOTS * BMS_EVLOG_RECORD_SIZE; a < FAKE_NVM_SIZE; a++)
        ck_assert_uint_eq(fb.nvm[a], 0xFF);
    /* a restart continues the ring with the next sequence and boot number */
    bms_evlog_init(&log, &fb.board, LOG_BASE, LOG_SIZE);
    ck_assert_uint_eq(bms_evlog_count(&log), SLOTS);
    ck_assert(bms_evlog_append(&log, 5, BMS_EV_START, 0, 0));
    ck_assert(bms_evlog_read(&log, 0, &e));
    ck_assert_uint_eq(e.seq, 26);
    ck_assert_uint_eq(e.boot, 1);
    ck_assert_uint_eq(e.kind, BMS_EV_START);
    ck_assert(bms_evlog_read(&log, 1, &e));
    ck_assert_uint_eq(e.seq, 25);
    ck_assert_uint_eq(e.boot, 0);
}
END_TEST

struct collect {
    int32_t values[64];
    int n;
    int stop_after;
};

static bool collect_fn(void *ctx, const struct bms_evlog_entry *e)
{
    struct collect *c = ctx;
    c->values[c->n++] = e->value;
    return c->n < c->stop_after;
}

/* A log at address 0 on a fresh board holding n fault records with values 0..n-1. */
static void log_of_faults(struct bms_evlog *log, int n)
{
    fake_board_init(&fb, NULL);
    bms_evlog_init(log, &fb.board, 0, LOG_SIZE);
    for (int i = 0; i < n; i++)
        bms_evlog_append(log, 0, BMS_EV_FAULT, 0, i);
}

START_TEST(foreach_both_directions)
{
    struct bms_evlog log;
    log_of_faults(&log, 4);
    struct collect c = {.stop_after = 64};
    ck_assert_uint_eq(bms_evlog_foreach(&log, false, collect_fn, &c), 4);
    ck_assert_int_eq(c.values[0], 0);
    ck_assert_int_eq(c.values[3], 3);
    c = (struct collect){.stop_after = 2};
    ck_assert_uint_eq(bms_evlog_foreach(&log, true, collect_fn, &c), 2);
    ck_assert_int_eq(c.values[0], 3);
    ck_assert_int_eq(c.values[1], 2);
}
END_TEST

/* Appends `total` records, losing power at write `cut_write` after `cut_bytes`
 * bytes; returns how many appends completed. */
static int run_until_cut(long cut_write, size_t cut_bytes, int first_value, int total)
{
    struct bms_evlog log;
    fb.cut_write = cut_write;
    fb.cut_bytes = cut_bytes;
    fb.nvm_writes = 0;
    fb.dead = false;
    bms_evlog_init(&log, &fb.board, LOG_BASE, LOG_SIZE);
    int done = 0;
    for (int i = 0; i < total; i++) {
        if (!bms_evlog_append(&log, 1000u + (uint32_t)i, BMS_EV_PROTECT, (uint8_t)(i % 11),
                              first_value + i))
            break;
        done++;
    }
    return done;
}

/* After a restart the records read back in order, uncorrupted, ending with the
 * last one completed, and the log goes on from there. */
static void check_after_restart(int completed_total)
{
    struct bms_evlog log;
    fb.cut_write = -1;
    fb.dead = false;
    bms_evlog_init(&log, &fb.board, LOG_BASE, LOG_SIZE);
    ck_assert_uint_le(bms_evlog_count(&log), SLOTS);
    for (uint32_t i = 0; i < bms_evlog_count(&log); i++) {
        struct bms_evlog_entry e;
        ck_assert_msg(bms_evlog_read(&log, i, &e), "record %u unreadable", i);
        ck_assert_int_eq(e.value, completed_total - 1 - (int)i);
        ck_assert_uint_eq(e.seq, (uint32_t)completed_total - i);
        ck_assert_uint_eq(e.kind, BMS_EV_PROTECT);
        ck_assert_uint_eq(e.id, (uint32_t)(completed_total - 1 - (int)i) % 11u);
    }
    /* and the log goes on from there */
    ck_assert(bms_evlog_append(&log, 0, BMS_EV_START, 0, completed_total));
    struct bms_evlog_entry e;
    ck_assert(bms_evlog_read(&log, 0, &e));
    ck_assert_uint_eq(e.seq, (uint32_t)completed_total + 1u);
    ck_assert_int_eq(e.value, completed_total);
}

START_TEST(power_cut_at_every_byte_of_every_write)
{
    /* Count the writes (and their lengths) of an uncut run first. */
    const int total = 2 * (int)SLOTS + 3; /* goes round the ring twice */
    fake_board_init(&fb, NULL);
    ck_assert_int_eq(run_until_cut(-1, 0, 0, total), total);
    uint32_t writes = fb.nvm_writes;
    ck_assert_uint_eq(writes, (uint32_t)total * 4u);
    static const size_t write_len[4] = {1, BMS_EVLOG_BODY_SIZE, 2, 1};
    int cut_points = 0;
    for (uint32_t w = 0; w < writes; w++) {
        for (size_t b = 0; b < write_len[w % 4u]; b++) {
            fake_board_init(&fb, NULL);
            int done = run_until_cut((long)w, b, 0, total);
            ck_assert_int_eq(done, (int)(w / 4u));
            ck_assert(fb.dead);
            /* the power comes back; exactly the completed records are there */
            struct bms_evlog log;
            fb.dead = false;
            fb.cut_write = -1;
            bms_evlog_init(&log, &fb.board, LOG_BASE, LOG_SIZE);
            /* the oldest record survives when not even the first byte of the
             * write that invalidates its slot landed */
            uint32_t expect = (uint32_t)done < SLOTS ? (uint32_t)done : SLOTS - 1u;
            if ((uint32_t)done >= SLOTS && w % 4u == 0 && b == 0)
                expect = SLOTS;
            ck_assert_msg(bms_evlog_count(&log) == expect, "cut %u/%zu: count %u want %u", w,
                          b, bms_evlog_count(&log), expect);
            check_after_restart(done);
            cut_points++;
        }
    }
    ck_assert_int_ge(cut_points, 300);
}
END_TEST

START_TEST(repeated_cuts_then_restarts_keep_history)
{
    /* Cut, restart, write more, cut again, many times over one NVM. */
    fake_board_init(&fb, NULL);
    int completed = 0;
    for (int round = 0; round < 150; round++) {
        long cut = (long)(round * 7 % 13);
        int done = run_until_cut(cut, (size_t)(round % 3), completed, 50);
        struct bms_evlog log;
        fb.cut_write = -1;
        fb.dead = false;
        bms_evlog_init(&log, &fb.board, LOG_BASE, LOG_SIZE);
        /* a cut after the whole commit byte landed completed one more record */
        struct bms_evlog_entry newest;
        if (bms_evlog_read(&log, 0, &newest) && newest.value == completed + done)
            done++;
        completed += done;
        ck_assert_uint_ge(bms_evlog_count(&log), completed < (int)SLOTS - 1 ? (uint32_t)completed
                                                                           : SLOTS - 1u);
        for (uint32_t i = 0; i < bms_evlog_count(&log); i++) {
            struct bms_evlog_entry e;
            ck_assert(bms_evlog_read(&log, i, &e));
            ck_assert_int_eq(e.value, completed - 1 - (int)i);
        }
    }
    ck_assert_int_gt(completed, 150);
}
END_TEST

START_TEST(corrupted_record_is_not_read)
{
    struct bms_evlog log;
    log_of_faults(&log, 5);
    fb.nvm[2 * BMS_EVLOG_RECORD_SIZE + 15] ^= 0x10; /* a bit flip in record value 2 */
    struct bms_evlog_entry e;
    ck_assert(!bms_evlog_read(&log, 2, &e));
    bms_evlog_init(&log, &fb.board, 0, LOG_SIZE);
    ck_assert_uint_eq(bms_evlog_count(&log), 2); /* values 4, 3: the history stops at the hole */
    ck_assert(bms_evlog_read(&log, 1, &e));
    ck_assert_int_eq(e.value, 3);
}
END_TEST

START_TEST(uptime_days_across_the_ms_wrap)
{
    struct bms_evlog log;
    fake_board_init(&fb, NULL);
    bms_evlog_init(&log, &fb.board, 0, LOG_SIZE);
    uint32_t t0 = 0xFFFF0000u;
    bms_evlog_append(&log, t0, BMS_EV_START, 0, 0);
    /* tick every hour for 60 days: the ms clock wraps after 49.7 days */
    uint32_t t = t0;
    for (int h = 0; h < 60 * 24; h++) {
        t += 3600000u;
        bms_evlog_tick(&log, t);
    }
    bms_evlog_append(&log, t + 1234u, BMS_EV_SHUTDOWN, 0, 0);
    struct bms_evlog_entry e;
    ck_assert(bms_evlog_read(&log, 1, &e));
    ck_assert_uint_eq(e.day, 0);
    ck_assert_uint_eq(e.uptime_ms, 0);
    ck_assert(bms_evlog_read(&log, 0, &e));
    ck_assert_uint_eq(e.day, 60);
    ck_assert_uint_eq(e.uptime_ms, 1234);
    /* 65 536 ms across the wrap */
    bms_evlog_init(&log, &fb.board, 0, LOG_SIZE);
    bms_evlog_append(&log, 0xFFFFFF00u, BMS_EV_START, 0, 0);
    bms_evlog_append(&log, 0x00000100u, BMS_EV_SHUTDOWN, 0, 0);
    ck_assert(bms_evlog_read(&log, 0, &e));
    ck_assert_uint_eq(e.uptime_ms, 0x200u);
}
END_TEST

START_TEST(too_small_area_logs_nothing)
{
    struct bms_evlog log;
    fake_board_init(&fb, NULL);
    bms_evlog_init(&log, &fb.board, 0, BMS_EVLOG_RECORD_SIZE + 1u);
    ck_assert(!bms_evlog_append(&log, 0, BMS_EV_START, 0, 0));
    ck_assert_uint_eq(bms_evlog_count(&log), 0);
    ck_assert_uint_eq(fb.nvm_writes, 0);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("evlog", names_match_the_scenario_format),
    GTX_TEST(append_read_newest_first_and_wrap),
    GTX_TEST(foreach_both_directions),
    GTX_TEST(power_cut_at_every_byte_of_every_write),
    GTX_TEST(repeated_cuts_then_restarts_keep_history),
    GTX_TEST(corrupted_record_is_not_read),
    GTX_TEST(uptime_days_across_the_ms_wrap),
    GTX_TEST(too_small_area_logs_nothing),
};

int main(void)
{
    return gtx_check_main("bms_evlog", tests, GTX_COUNT(tests), 120, NULL, false);
}
