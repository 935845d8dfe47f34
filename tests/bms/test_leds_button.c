/* test_leds_button.c: docs/spec/PRODUCT.md §3 (start button, sweeps, coding) and §4 (every LED
 * row, the flash phases starting lit, the SOC band edges) against a fake board. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "rig.h"

static struct rig R;

static const char *leds(void)
{
    static char buf[9];
    return rig_leds(&R, buf);
}

/* Steady LEDs: the firmware's word (L8 first) and what the board drives (bit 0 = L1). */
static void assert_steady(const char *word, uint8_t lit)
{
    ck_assert_str_eq(leds(), word);
    ck_assert_uint_eq(R.fb.leds, lit);
}

/* R-LED-1: shutdown, all off. */
START_TEST(r_led_1)
{
    rig_init(&R, 0);
    ck_assert_int_eq(rig_run_state(&R, 5000), BMS_STATE_SHUTDOWN);
    assert_steady("00000000", 0);
}
END_TEST

/* R-LED-2: standby, L8 flash 1 (0.25 s on from the start of the pattern, 3.75 s off). */
START_TEST(r_led_2)
{
    rig_running(&R, 0, 5000); /* tick at 0: standby begins */
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_STANDBY);
    ck_assert_str_eq(leds(), "a0000111");
    ck_assert(rig_lit(&R, 8));
    rig_run(&R, 240); /* up to t = 240 */
    ck_assert(rig_lit(&R, 8));
    rig_tick(&R); /* 250 */
    ck_assert(!rig_lit(&R, 8));
    rig_run(&R, 3740); /* up to 3990 */
    ck_assert(!rig_lit(&R, 8));
    rig_tick(&R); /* 4000 */
    ck_assert(rig_lit(&R, 8));
    ck_assert(rig_lit(&R, 1) && rig_lit(&R, 2) && rig_lit(&R, 3) && !rig_lit(&R, 4));
    ck_assert(!rig_lit(&R, 7));
}
END_TEST

/* R-LED-3: charging, L8 on, L1..L(n-1) on, Ln flash 2 (0.5 s on / 0.5 s off). */
START_TEST(r_led_3)
{
    rig_running(&R, 0, 5000);
    rig_run(&R, 1230);
    R.fb.current_mA = 10000;
    rig_tick(&R); /* charging begins at this tick */
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_CHARGING);
    ck_assert_str_eq(leds(), "10000b11");
    ck_assert(rig_lit(&R, 3) && rig_lit(&R, 8));
    rig_run(&R, 490);
    ck_assert(rig_lit(&R, 3));
    rig_tick(&R);
    ck_assert(!rig_lit(&R, 3));
    ck_assert(rig_lit(&R, 2) && rig_lit(&R, 8));
    rig_run(&R, 490);
    ck_assert(!rig_lit(&R, 3));
    rig_tick(&R);
    ck_assert(rig_lit(&R, 3));
    bms_set_soc_estimate(&R.bms, 1000);
    rig_tick(&R);
    ck_assert_str_eq(leds(), "1000000b");
}
END_TEST

/* R-LED-4: full charged, L8 on, L1-L6 on. */
START_TEST(r_led_4)
{
    rig_running(&R, 0, 9000);
    fake_board_set_cells(&R.fb, 3450); /* 55.2 V */
    R.fb.current_mA = 2000;
    ck_assert_int_eq(rig_run_state(&R, 60010), BMS_STATE_FULL);
    assert_steady("10111111", 0xBF);
}
END_TEST

/* R-LED-5: discharging, L8 flash 3 (0.5 s on / 1.5 s off), L1..Ln on. */
START_TEST(r_led_5)
{
    rig_running(&R, 0, 9000);
    rig_run(&R, 770);
    R.fb.current_mA = -10000;
    rig_tick(&R);
    ck_assert_str_eq(leds(), "c0111111");
    ck_assert(rig_lit(&R, 8));
    rig_run(&R, 490);
    ck_assert(rig_lit(&R, 8));
    rig_tick(&R);
    ck_assert(!rig_lit(&R, 8));
    rig_run(&R, 1490);
    ck_assert(!rig_lit(&R, 8));
    rig_tick(&R);
    ck_assert(rig_lit(&R, 8));
}
END_TEST

/* R-LED-6: charge protection, discharge protection and fault: only L7 (each from a calm
 * standby: its delay after the AFE's next scan). */
START_TEST(r_led_6)
{
    rig_running(&R, 0, 5000);
    R.fb.afe.cell_mV[2] = 3700; /* cell_ov */
    ck_assert_int_eq(rig_run_state(&R, 1000 + RIG_LATE_QUIET_MS), BMS_STATE_CHARGE_PROTECT);
    assert_steady("01000000", 0x40);
    rig_running(&R, 0, 5000);
    R.fb.afe.temp_ddegC[1] = 650; /* discharge_ot */
    ck_assert_int_eq(rig_run_state(&R, 2000 + RIG_LATE_QUIET_MS), BMS_STATE_DISCHARGE_PROTECT);
    assert_steady("01000000", 0x40);
    rig_running(&R, 0, 5000);
    R.fb.afe.temp_ddegC[5] = -500; /* ntc open */
    ck_assert_int_eq(rig_run_state(&R, 2000 + RIG_LATE_QUIET_MS), BMS_STATE_FAULT);
    assert_steady("01000000", 0x40);
}
END_TEST

/* R-LED-7: UVP, all off (from a calm standby). */
START_TEST(r_led_7)
{
    rig_running(&R, 0, 5000);
    R.fb.afe.cell_mV[9] = 2600;
    ck_assert_int_eq(rig_run_state(&R, 1000 + RIG_LATE_QUIET_MS), BMS_STATE_UVP);
    assert_steady("00000000", 0);
}
END_TEST

/* §4 level LEDs from the shown SOC (rounded half up), at every band edge. */
static const struct {
    int32_t pptt;
    int n;
} edges[] = {
    {0, 1},    {1749, 1}, {1750, 2}, {1700, 1}, {1800, 2}, {3300, 2}, {3349, 2},
    {3350, 3}, {3400, 3}, {5000, 3}, {5049, 3}, {5050, 4}, {5100, 4}, {6600, 4},
    {6649, 4}, {6650, 5}, {6700, 5}, {8300, 5}, {8349, 5}, {8350, 6}, {8400, 6},
    {10000, 6},
};

START_TEST(soc_bands)
{
    char want[9] = "a0000000";
    rig_running(&R, 0, edges[_i].pptt);
    for (int i = 0; i < edges[_i].n; i++)
        want[7 - i] = '1';
    ck_assert_msg(strcmp(leds(), want) == 0, "soc %d: leds %s want %s", (int)edges[_i].pptt,
                  leds(), want);
}
END_TEST

/* R-BT-1: hold 3.0 s and release: sweep L8 -> L1 0.25 s per LED (each stays lit),
 * coding with all LEDs flash 2 for 3 s, then standby with CAN from then on. */
START_TEST(r_bt_1)
{
    rig_init(&R, 0);
    rig_run(&R, 1000);
    rig_press(&R, 3000); /* released at the tick of t = 4000 */
    uint32_t rel = R.now - TICK_MS;
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_STARTUP);
    ck_assert(R.fb.power_hold);
    ck_assert(!R.fb.fet_chg && !R.fb.fet_dsg);
    for (int k = 0; k < 8; k++) {
        uint8_t want = (uint8_t)(0xFFu << (7 - k));
        if (k > 0)
            rig_tick(&R);
        ck_assert_uint_eq(R.now - TICK_MS, rel + 250u * (unsigned)k);
        ck_assert_msg(R.fb.leds == want, "k=%d leds %02x", k, R.fb.leds);
        rig_run(&R, 240);
        ck_assert_uint_eq(R.fb.leds, want);
    }
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_STARTUP);
    rig_tick(&R); /* rel + 2000 */
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_CODING);
    ck_assert_str_eq(leds(), "bbbbbbbb");
    ck_assert_uint_eq(R.fb.leds, 0xFF);
    rig_run(&R, 490);
    ck_assert_uint_eq(R.fb.leds, 0xFF);
    rig_tick(&R);
    ck_assert_uint_eq(R.fb.leds, 0x00);
    ck_assert_uint_eq(R.fb.sent_count, 0);
    rig_run(&R, 2490); /* up to rel + 4990 */
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_CODING);
    rig_tick(&R); /* rel + 5000 */
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_STANDBY);
    ck_assert_str_eq(leds(), "a0000111");
    ck_assert_int_eq(rig_st(&R)->pack_id, 1);
    ck_assert(rig_st(&R)->is_master);
    ck_assert_uint_eq(R.fb.sent_count, 6); /* the first CAN second, at once */
    ck_assert(R.fb.fet_chg && R.fb.fet_dsg);
    ck_assert(rig_logged(&R, "start"));
}
END_TEST

/* R-BT-2: a press of 2.99 s does nothing, shut down or running. */
START_TEST(r_bt_2)
{
    rig_init(&R, 0);
    rig_press(&R, 2990);
    ck_assert_int_eq(rig_run_state(&R, 10000), BMS_STATE_SHUTDOWN);
    ck_assert(!R.fb.power_hold);
    rig_running(&R, 0, 5000);
    rig_press(&R, 2990);
    ck_assert_int_eq(rig_run_state(&R, 10000), BMS_STATE_STANDBY);
}
END_TEST

/* R-BT-3: on a running pack, hold 3 s and release: shutdown at the release, MOSFETs
 * open, CAN stops, LEDs L1 -> L8 0.25 s each, then all off and the power released. */
START_TEST(r_bt_3)
{
    rig_running(&R, 0, 5000);
    rig_run(&R, 500);
    rig_press(&R, 3000);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_SHUTDOWN);
    ck_assert(!R.fb.fet_chg && !R.fb.fet_dsg);
    ck_assert(R.fb.prohibit_chg && R.fb.prohibit_dsg);
    unsigned sent = R.fb.sent_count;
    for (int k = 0; k < 8; k++) {
        uint8_t want = (uint8_t)(0xFFu >> (7 - k));
        if (k > 0)
            rig_tick(&R);
        ck_assert_msg(R.fb.leds == want, "k=%d leds %02x", k, R.fb.leds);
        rig_run(&R, 240);
        ck_assert_uint_eq(R.fb.leds, want);
        ck_assert(R.fb.power_hold);
    }
    rig_tick(&R); /* release + 2000 */
    ck_assert_uint_eq(R.fb.leds, 0);
    ck_assert(!R.fb.power_hold);
    rig_run(&R, 5000);
    ck_assert_uint_eq(R.fb.sent_count, sent);
    ck_assert(rig_logged(&R, "shutdown"));
    /* and it starts again with the button */
    rig_press(&R, 3000);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_STARTUP);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("R-LED-1", r_led_1),
    GTX_CASE("R-LED-2", r_led_2),
    GTX_CASE("R-LED-3", r_led_3),
    GTX_CASE("R-LED-4", r_led_4),
    GTX_CASE("R-LED-5", r_led_5),
    GTX_CASE("R-LED-6", r_led_6),
    GTX_CASE("R-LED-7", r_led_7),
    GTX_CASE_LOOP("LED-levels", soc_bands, 0, GTX_COUNT(edges)),
    GTX_CASE("R-BT-1", r_bt_1),
    GTX_CASE("R-BT-2", r_bt_2),
    GTX_CASE("R-BT-3", r_bt_3),
};

int main(void)
{
    return gtx_check_main("bms_leds_button", tests, GTX_COUNT(tests), 60, NULL, false);
}
