/* test_wrap.c: the 32-bit millisecond wrap. The same scripted day of a pack (button
 * start, charging, a protection, full, an over-current with its timed release, the
 * inverter-link alarm, UVP and its 10 min shutdown) runs from t = 0 and from times just
 * before the wrap; every tick must show the same status, outputs and CAN bytes.
 * Also the one-table rules: ids and names from the X-macro lists, rows in the table.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "rig.h"

static struct rig A, B;

/* Inputs as a function of the time since the script began. */
static void script(struct rig *r, uint32_t t)
{
    struct fake_board *fb = &r->fb;
    fb->button = t >= 1000 && t < 4000;
    fb->current_mA = 0;
    fake_board_set_cells(fb, 3300);
    fake_board_set_temps(fb, 250);
    if (t >= 10000 && t < 20000)
        fb->current_mA = 20000; /* (a charge current during charge_ot would be a fet fault) */
    if (t >= 20000 && t < 30000)
        fb->afe.temp_ddegC[1] = 551; /* charge_ot 22 s .. 35 s */
    if (t >= 40000 && t < 120000) {
        fake_board_set_cells(fb, 3450); /* full after 60 s at 2 A */
        fb->current_mA = 2000;
    }
    if (t >= 190000 && t < 192000)
        fb->current_mA = -60000; /* overcurrent, released 60 s after the trip */
    if (t >= 300000)
        fb->afe.battery_mV = 45000; /* UVP, shutdown 10 min later */
}

static void compare(uint32_t t)
{
    ck_assert_msg(memcmp(rig_st(&A), rig_st(&B), sizeof(struct bms_status)) == 0,
                  "status differs at t = %u ms", (unsigned)t);
    ck_assert_msg(A.fb.leds == B.fb.leds && A.fb.fet_chg == B.fb.fet_chg &&
                      A.fb.fet_dsg == B.fb.fet_dsg && A.fb.prohibit_chg == B.fb.prohibit_chg &&
                      A.fb.prohibit_dsg == B.fb.prohibit_dsg &&
                      A.fb.power_hold == B.fb.power_hold,
                  "outputs differ at t = %u ms", (unsigned)t);
    ck_assert_msg(A.fb.sent_count == B.fb.sent_count, "CAN count differs at t = %u ms",
                  (unsigned)t);
    if (A.fb.sent_count) {
        const struct fake_can_sent *a = fake_board_sent(&A.fb, A.fb.sent_count - 1);
        const struct fake_can_sent *b = fake_board_sent(&B.fb, B.fb.sent_count - 1);
        ck_assert(memcmp(&a->f, &b->f, sizeof a->f) == 0);
        ck_assert_uint_eq(b->t_ms - a->t_ms, B.now - A.now); /* same instant */
    }
}

/* Offsets before the wrap, each putting it inside a different timer. */
static const uint32_t before_wrap_ms[] = {
    65536,  /* the start: 0xFFFF0000 */
    2500,   /* during the button hold */
    5500,   /* during the start sweep / coding */
    21000,  /* during the charge_ot trip delay */
    33000,  /* during its release delay */
    70000,  /* during the full timer and the inverter-link minute */
    150000, /* during the full exit minute */
    220000, /* during the over-current's 60 s release */
    600000, /* during the UVP 10 min */
};

START_TEST(wrap_lockstep)
{
    uint32_t t0 = 0u - before_wrap_ms[_i];
    bool seen[BMS_STATE_COUNT] = {false};
    rig_init(&A, 0);
    rig_init(&B, t0);
    ck_assert_uint_eq(t0 + before_wrap_ms[_i], 0u);
    for (uint32_t t = 0; t < 1000000; t += TICK_MS) {
        script(&A, t);
        script(&B, t);
        rig_tick(&A);
        rig_tick(&B);
        compare(t);
        seen[rig_st(&A)->state] = true;
    }
    /* the script went through every timer */
    ck_assert(seen[BMS_STATE_CODING] && seen[BMS_STATE_CHARGE_PROTECT] &&
              seen[BMS_STATE_FULL] && seen[BMS_STATE_UVP]);
    ck_assert_int_eq(rig_st(&B)->state, BMS_STATE_SHUTDOWN);
    ck_assert(rig_logged(&B, "protect.overcurrent_discharge"));
    ck_assert(rig_logged(&B, "alarm.inverter_link"));
}
END_TEST

/* CAN cadence: exactly 1000 ms between seconds across the wrap. */
START_TEST(wrap_can_cadence)
{
    rig_running(&A, 0xFFFFF000u, 5000);
    rig_run(&A, 20000);
    unsigned n = A.fb.sent_count;
    ck_assert_uint_eq(n, 6 * 21); /* t0, t0 + 1 s, ... t0 + 20 s */
    for (unsigned i = 6; i < n; i += 6)
        ck_assert_uint_eq(fake_board_sent(&A.fb, i)->t_ms - fake_board_sent(&A.fb, i - 6)->t_ms,
                          1000);
}
END_TEST

/* One X-macro list gives the ids and the names used everywhere. */
START_TEST(one_list_names)
{
    static const char *const prot[] = {"charge_ot", "charge_ut", "discharge_ot",
                                       "discharge_ut", "overcurrent_charge",
                                       "overcurrent_discharge", "pack_hv", "cell_ov",
                                       "pack_lv", "cell_uv", "mosfet_ot"};
    static const char *const extra[] = {"inverter_link", "link_comm", "storage_temp",
                                        "storage_time"};
    static const char *const fault[] = {"ntc", "sense", "fet", "overdischarge", "coding"};
    static const char *const state[] = {"shutdown", "startup", "coding", "standby",
                                        "charging", "full", "discharging", "charge_protect",
                                        "discharge_protect", "uvp", "fault"};
    char buf[BMS_EVLOG_NAME_MAX], want[BMS_EVLOG_NAME_MAX];
    ck_assert_int_eq(BMS_PROT_COUNT, 11);
    ck_assert_int_eq(BMS_ALARM_COUNT, 15);
    for (int i = 0; i < BMS_PROT_COUNT; i++) {
        ck_assert_str_eq(bms_protect_name((enum bms_protect_id)i), prot[i]);
        ck_assert_str_eq(bms_alarm_name((enum bms_alarm_id)i), prot[i]);
        bms_evlog_format_name(buf, sizeof buf, BMS_EV_PROTECT, (uint8_t)i);
        strcpy(want, "protect.");
        strcat(want, prot[i]);
        ck_assert_str_eq(buf, want);
    }
    for (int i = 0; i < 4; i++)
        ck_assert_str_eq(bms_alarm_name((enum bms_alarm_id)(BMS_PROT_COUNT + i)), extra[i]);
    for (int i = 0; i < BMS_FAULT_COUNT; i++)
        ck_assert_str_eq(bms_fault_name((enum bms_fault_id)i), fault[i]);
    for (int i = 0; i < BMS_STATE_COUNT; i++)
        ck_assert_str_eq(bms_state_name((enum bms_state)i), state[i]);
    ck_assert_str_eq(bms_state_name(BMS_STATE_COUNT), "?");
}
END_TEST

/* One table: every protection and its alarm is a row (with a delay), every fault but
 * coding (set by the link) is a row, and the rows hold docs/spec/PRODUCT.md's numbers. */
START_TEST(one_table_rows)
{
    const struct bms_config *c = &bms_config_default;
    bool prot[BMS_PROT_COUNT] = {false}, alarm[BMS_ALARM_COUNT] = {false};
    bool fault[BMS_FAULT_COUNT] = {false};
    for (int i = 0; i < BMS_DIAG_ROW_COUNT; i++) {
        const struct bms_diag_row *r = &c->diag[i];
        ck_assert_msg(r->enabled, "row %d disabled", i);
        ck_assert_int_lt(r->qty, BMS_QTY_COUNT);
        ck_assert_uint_gt(r->trip_ms, 0);
        if (r->kind == BMS_DIAG_PROTECT)
            prot[r->id] = true;
        else if (r->kind == BMS_DIAG_ALARM)
            alarm[r->id] = true;
        else
            fault[r->id] = true;
    }
    for (int i = 0; i < BMS_PROT_COUNT; i++)
        ck_assert_msg(prot[i] && alarm[i], "protection %d without a row", i);
    ck_assert(alarm[BMS_ALARM_STORAGE_TEMP]);
    for (int i = 0; i < BMS_FAULT_COUNT; i++)
        ck_assert(fault[i] || i == BMS_FAULT_CODING);
    /* a sample of docs/spec/PRODUCT.md's numbers, as rows */
    ck_assert_int_eq(c->diag[BMS_ROW_P_CHARGE_OT].trip, 550);
    ck_assert_int_eq(c->diag[BMS_ROW_P_CHARGE_OT].release, 500);
    ck_assert_uint_eq(c->diag[BMS_ROW_P_OC_DISCHARGE].release_ms, 60000);
    ck_assert_int_eq(c->diag[BMS_ROW_P_PACK_LV].release2, 48000);
    ck_assert_uint_eq(c->uvp_shutdown_ms, 600000);
    ck_assert_uint_eq(c->cvl_mV, 55700);
    ck_assert_uint_eq(c->dvl_mV, 45600);
    ck_assert_uint_eq(c->button_hold_ms, 3000);
    ck_assert_uint_eq(c->flash_on_ms[0], 250);
    ck_assert_uint_eq(c->flash_off_ms[0], 3750);
    /* A steady round's REPLYs are taken reply_ms after its POLL (docs/link-protocol.md,
     * the REPLYs of a pipelined round): the round begins steady_lead_ms before the 1 s
     * task, so the sums its CAN frames carry are this round's only while the lead is the
     * longer (200 > 100 ms). */
    ck_assert_uint_gt(c->link.steady_lead_ms, c->link.reply_ms);
}
END_TEST

static const struct gtx_test tests[] = {
    /* Three test cases of three offsets each, run as three meson tests (CK_RUN_CASE,
     * tests/bms/meson.build): 1.8 M rig ticks in one took 54 s under the sanitizers. */
    GTX_CASE_LOOP("time-wrap-1", wrap_lockstep, 0, 3),
    GTX_CASE_LOOP("time-wrap-2", wrap_lockstep, 3, 6),
    GTX_CASE_LOOP("time-wrap-3", wrap_lockstep, 6, GTX_COUNT(before_wrap_ms)),
    GTX_TEST(wrap_can_cadence),
    GTX_CASE("one-table", one_list_names),
    GTX_TEST(one_table_rows),
};

_Static_assert(GTX_COUNT(before_wrap_ms) == 9, "three test cases of three offsets");

int main(void)
{
    return gtx_check_main("bms_wrap", tests, GTX_COUNT(tests), 300, NULL, false);
}
