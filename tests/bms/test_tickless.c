/* test_tickless.c: bms_next_wakeup_ms and bms_input_changed (docs/firmware.md, tasks and
 * wakeups). Two packs on fake boards see the same inputs: A is ticked every 10 ms (the
 * reference), B only at the times it asks for (or at once after an interrupt of its
 * board). Both must drive the same outputs and show the same status at every 10 ms step:
 * a button start, an OV trip while charging, an OT trip while discharging, an hour of
 * standby (counting B's wakeups against the design figure) and a shutdown (no wakeup
 * at all for an hour, until the button).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "rig.h"

/* The long stretches: an hour (10 min under the sanitizers, tests/bms/meson.build). */
#ifndef TICKLESS_STRETCH_MS
#define TICKLESS_STRETCH_MS 3600000u
#endif

static struct rig A, B;
static uint32_t wakeups; /* B's ticks */

typedef void (*script_fn)(struct fake_board *fb, uint32_t t);

/* One 10 ms step of the world for both packs: inputs, interrupts, ticks. */
static void step(script_fn script, uint32_t t)
{
    script(&A.fb, t);
    script(&B.fb, t);
    if (fake_board_interrupts(&A.fb, A.now))
        bms_input_changed(&A.bms);
    rig_tick(&A);

    if (fake_board_interrupts(&B.fb, B.now))
        bms_input_changed(&B.bms);
    uint32_t last = B.bms.last_tick_ms;
    uint32_t next = bms_next_wakeup_ms(&B.bms);
    if (wakeups)
        ck_assert_msg((int32_t)(next - last) > 0 && (next - last) % TICK_MS == 0,
                      "wakeup %u after the tick at %u", next, last);
    if ((int32_t)(B.now - next) >= 0) {
        bms_tick(&B.bms, B.now);
        wakeups++;
    }
    B.now += TICK_MS;
}

static void compare(uint32_t t)
{
    const struct bms_status *a = rig_st(&A), *b = rig_st(&B);
    ck_assert_msg(a->state == b->state, "t=%u state %s / %s", t, bms_state_name(a->state),
                  bms_state_name(b->state));
    ck_assert_msg(a->protect_mask == b->protect_mask && a->alarm_mask == b->alarm_mask &&
                      a->fault_mask == b->fault_mask,
                  "t=%u masks %x %x %x / %x %x %x", t, a->protect_mask, a->alarm_mask,
                  a->fault_mask, b->protect_mask, b->alarm_mask, b->fault_mask);
    ck_assert_msg(A.fb.leds == B.fb.leds, "t=%u LEDs %02x / %02x", t, A.fb.leds, B.fb.leds);
    ck_assert_msg(A.fb.fet_chg == B.fb.fet_chg && A.fb.fet_dsg == B.fb.fet_dsg &&
                      A.fb.prohibit_chg == B.fb.prohibit_chg &&
                      A.fb.prohibit_dsg == B.fb.prohibit_dsg &&
                      A.fb.power_hold == B.fb.power_hold && A.fb.balancing == B.fb.balancing,
                  "t=%u outputs differ", t);
    ck_assert_msg(A.fb.sent_count == B.fb.sent_count, "t=%u CAN frames %u / %u", t,
                  A.fb.sent_count, B.fb.sent_count);
    ck_assert_int_eq(a->soc_pptt, b->soc_pptt);
    ck_assert_int_eq(a->ccl_dA, b->ccl_dA);
}

/* Runs the script for ms from t0 on both packs, comparing at every step; B's wakeups. */
static uint32_t run(script_fn script, uint32_t t0, uint32_t ms)
{
    uint32_t before = wakeups;
    for (uint32_t t = t0; t < t0 + ms; t += TICK_MS) {
        step(script, t);
        compare(t);
    }
    return wakeups - before;
}

static void both_running(void)
{
    rig_running(&A, 0, 5000);
    rig_running(&B, 0, 5000);
    wakeups = 0;
}

static void nominal(struct fake_board *fb)
{
    fb->button = false;
    fb->current_mA = 0;
    fake_board_set_cells(fb, 3300);
    fake_board_set_temps(fb, 250);
}

/* R-BT-1: a shut-down pack, the button held 3 s from t = 1 s: sweep, coding, standby. */
static void button_start(struct fake_board *fb, uint32_t t)
{
    nominal(fb);
    fb->button = t >= 1000 && t < 4500;
}

START_TEST(button_start_same)
{
    rig_init(&A, 0);
    rig_init(&B, 0);
    wakeups = 0;
    run(button_start, 0, 20000);
    ck_assert_int_eq(rig_st(&B)->state, BMS_STATE_STANDBY);
    ck_assert(rig_logged(&B, "coded"));
}
END_TEST

/* R-PR-7 while charging at 10 A: a cell at 3.65 V from 5 s to 8 s, back to 3.30 V. */
static void ov_charge(struct fake_board *fb, uint32_t t)
{
    nominal(fb);
    fb->current_mA = t >= 1000 && t < 5000 ? 10000 : 0;
    if (t >= 4000 && t < 8000)
        fb->afe.cell_mV[6] = 3650;
}

START_TEST(ov_trip_same)
{
    both_running();
    run(ov_charge, 0, 20000);
    ck_assert(rig_logged(&B, "protect.cell_ov"));
    ck_assert(rig_logged(&B, "protect_end.cell_ov"));
}
END_TEST

/* R-PR-3 while discharging at 20 A: the cells warm to 60.1 °C, then cool back. */
static void ot_discharge(struct fake_board *fb, uint32_t t)
{
    nominal(fb);
    fb->current_mA = t >= 1000 && t < 12000 ? -20000 : 0; /* (none through the open FET) */
    if (t >= 2000 && t < 12000)
        fake_board_set_temps(fb, (int16_t)(250 + (t - 2000) / 28)); /* 60.7 °C at 12 s */
    else if (t >= 12000 && t < 20000)
        fake_board_set_temps(fb, 601);
    else if (t >= 20000)
        fake_board_set_temps(fb, 300);
}

START_TEST(ot_trip_same)
{
    both_running();
    run(ot_discharge, 0, 40000);
    ck_assert(rig_logged(&B, "protect.discharge_ot"));
    ck_assert(rig_logged(&B, "protect_end.discharge_ot"));
    ck_assert_int_eq(rig_st(&B)->state, BMS_STATE_STANDBY);
}
END_TEST

static void quiet_standby(struct fake_board *fb, uint32_t t)
{
    (void)t;
    nominal(fb);
}

/* An hour of calm standby: the 1 s task with its CAN frames and LCD pair (one wakeup a
 * second) and L8's flash 1 going out 250 ms after each 4 s period begins (its on edge
 * falls on a second): 5 wakeups in 4 s, 4500 an hour (1 in 800 ms); every 10 ms would
 * be 360000. */
START_TEST(standby_hour_wakeups)
{
    both_running();
    run(quiet_standby, 0, 10000); /* settle (the first seconds are not calm yet) */
    uint32_t n = run(quiet_standby, 10000, TICKLESS_STRETCH_MS);
    uint32_t want = TICKLESS_STRETCH_MS / 800u;
    ck_assert_int_eq(B.bms.watch, BMS_WATCH_QUIET);
    ck_assert_uint_eq(B.fb.afe_watch.scan_period_ms, 1000);
    ck_assert_msg(n >= want - want / 40u && n <= want + want / 40u,
                  "%u wakeups in %u ms of standby, designed for %u", n, TICKLESS_STRETCH_MS,
                  want);
}
END_TEST

/* R-BT-3 and no wakeup once the power is let go: the button held 3 s from 2 s, an hour
 * shut down without input, then the button again. */
static void shutdown_then_start(struct fake_board *fb, uint32_t t)
{
    uint32_t again = 20000u + TICKLESS_STRETCH_MS;
    nominal(fb);
    fb->button = (t >= 2000 && t < 5500) || (t >= again && t < again + 3500u);
}

START_TEST(shutdown_no_wakeups)
{
    both_running();
    run(shutdown_then_start, 0, 20000);
    ck_assert_int_eq(rig_st(&B)->state, BMS_STATE_SHUTDOWN);
    ck_assert(!B.fb.power_hold);
    ck_assert_uint_eq(B.fb.afe_watch.scan_period_ms, 0);
    ck_assert_uint_eq(bms_next_wakeup_ms(&B.bms), B.bms.last_tick_ms + BMS_WAKEUP_FAR_MS);
    ck_assert_uint_eq(run(shutdown_then_start, 20000, TICKLESS_STRETCH_MS), 0);
    uint32_t n = run(shutdown_then_start, 20000u + TICKLESS_STRETCH_MS, 20000);
    ck_assert_int_eq(rig_st(&B)->state, BMS_STATE_STANDBY);
    /* the press (10 ms while held), the sweep, coding and the first seconds */
    ck_assert_msg(n > 350 && n < 2000, "%u wakeups for a start", n);
}
END_TEST

/* An interrupt makes the next 10 ms tick due; a tick with nothing to do changes nothing. */
START_TEST(input_changed_wakes_next_tick)
{
    both_running();
    run(quiet_standby, 0, 10000);
    uint32_t next = bms_next_wakeup_ms(&B.bms);
    ck_assert_uint_gt(next - B.bms.last_tick_ms, TICK_MS);
    struct bms_status before = *rig_st(&B);
    bms_tick(&B.bms, B.now); /* not asked for, nothing changed on the board: harmless */
    ck_assert(memcmp(&before, rig_st(&B), sizeof before) == 0);
    ck_assert_uint_eq(bms_next_wakeup_ms(&B.bms), next);
    bms_input_changed(&B.bms);
    ck_assert_uint_eq(bms_next_wakeup_ms(&B.bms), B.bms.last_tick_ms + TICK_MS);
}
END_TEST

/* R-PA-2 / R-BT-3 over the link: two packs wired Out -> In, each pair (A1-A2 ticked every
 * 10 ms, B1-B2 only when asked) started by pack 1's button, polled, then shut down by it,
 * slave first. The wire moves each step's bytes at once. */
static struct rig A2, B2;

static void wire(struct rig *up, struct rig *down)
{
    struct fake_uart *out = &up->fb.uart[BOARD_UART_LINK_OUT];
    struct fake_uart *in = &down->fb.uart[BOARD_UART_LINK_IN];
    fake_uart_input(&down->fb, BOARD_UART_LINK_IN, out->tx, out->tx_len);
    out->tx_len = 0;
    fake_uart_input(&up->fb, BOARD_UART_LINK_OUT, in->tx, in->tx_len);
    in->tx_len = 0;
}

static void pair_step(struct rig *r1, struct rig *r2, bool asked, uint32_t t, uint32_t *n)
{
    struct rig *r[2] = {r1, r2};
    for (int i = 0; i < 2; i++) {
        nominal(&r[i]->fb);
        if (i == 0)
            r[i]->fb.button = (t >= 1000 && t < 4500) || (t >= 40000 && t < 43500);
        if (fake_board_interrupts(&r[i]->fb, r[i]->now))
            bms_input_changed(&r[i]->bms);
        if (!asked || (int32_t)(r[i]->now - bms_next_wakeup_ms(&r[i]->bms)) >= 0) {
            bms_tick(&r[i]->bms, r[i]->now);
            ++*n;
        }
        r[i]->now += TICK_MS;
    }
    wire(r1, r2);
}

START_TEST(link_pair_same)
{
    uint32_t na = 0, nb = 0;
    rig_init(&A, 0);
    rig_init(&A2, 0);
    rig_init(&B, 0);
    rig_init(&B2, 0);
    for (uint32_t t = 0; t < 60000; t += TICK_MS) {
        pair_step(&A, &A2, false, t, &na);
        pair_step(&B, &B2, true, t, &nb);
        const struct rig *a[2] = {&A, &A2}, *b[2] = {&B, &B2};
        for (int i = 0; i < 2; i++) {
            const struct bms_status *sa = rig_st(a[i]), *sb = rig_st(b[i]);
            ck_assert_msg(sa->state == sb->state && sa->alarm_mask == sb->alarm_mask &&
                              sa->fault_mask == sb->fault_mask &&
                              sa->pack_count == sb->pack_count && a[i]->fb.leds == b[i]->fb.leds &&
                              a[i]->fb.power_hold == b[i]->fb.power_hold,
                          "t=%u pack %d: %s %x %x %u / %s %x %x %u", t, i + 1,
                          bms_state_name(sa->state), sa->alarm_mask, sa->fault_mask,
                          sa->pack_count, bms_state_name(sb->state), sb->alarm_mask,
                          sb->fault_mask, sb->pack_count);
        }
        if (t == 30000) { /* coded and polled: master and slave in standby */
            ck_assert_int_eq(rig_st(&B)->state, BMS_STATE_STANDBY);
            ck_assert_int_eq(rig_st(&B2)->state, BMS_STATE_STANDBY);
            ck_assert(rig_st(&B)->is_master && !rig_st(&B2)->is_master);
            ck_assert_uint_eq(bms_system_status(&B.bms)->pack_count, 2);
            ck_assert_uint_eq(rig_st(&B)->alarm_mask, rig_st(&A)->alarm_mask);
        }
    }
    ck_assert_int_eq(rig_st(&B)->state, BMS_STATE_SHUTDOWN);
    ck_assert_int_eq(rig_st(&B2)->state, BMS_STATE_SHUTDOWN);
    ck_assert(rig_logged(&B2, "shutdown"));
    ck_assert_msg(nb < na / 6, "%u ticks asked for, %u at 10 ms", nb, na); /* 1185 of 12000 */
}
END_TEST

/* An input that leaves no console bytes (the AFE alerting at every scan while current
 * flows) does not read the RS232 UART; bytes that come are read and answered. */
START_TEST(console_read_only_with_bytes)
{
    rig_running(&A, 1000, 5000);
    A.fb.current_mA = -20000; /* discharging: an active watch, every scan alerts */
    struct fake_uart *con = &A.fb.uart[BOARD_UART_RS232];
    rig_run(&A, 10000);
    ck_assert_uint_eq(con->reads, 0);
    ck_assert_uint_eq(con->tx_len, 0);
    fake_uart_input(&A.fb, BOARD_UART_RS232, "status\r", 7);
    rig_run(&A, 500);
    ck_assert_uint_gt(con->reads, 0);
    ck_assert_uint_gt(con->tx_len, 0); /* the console answered */
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("same", button_start_same),
    GTX_TEST(ov_trip_same),
    GTX_TEST(ot_trip_same),
    GTX_TEST(shutdown_no_wakeups),
    GTX_TEST(link_pair_same),
    GTX_CASE("wakeups", standby_hour_wakeups),
    GTX_TEST(input_changed_wakes_next_tick),
    GTX_TEST(console_read_only_with_bytes),
};

int main(void)
{
    return gtx_check_main("bms_tickless", tests, GTX_COUNT(tests), 120.0, NULL, false);
}
