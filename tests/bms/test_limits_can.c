/* test_limits_can.c: docs/spec/PRODUCT.md §2 states (R-ST-1, R-ST-3), §6 limits (R-LM-1..4),
 * §7 dry contacts (R-DC-1), and the CAN profile of docs/spec/CAN.md byte for byte against
 * hand-computed frames, with 0x305 handling and bad frames ignored. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "rig.h"

static struct rig R;

static void assert_frame(uint32_t id, uint8_t dlc, const uint8_t *want)
{
    const struct board_can_frame *f = rig_last_frame(&R, id);
    ck_assert_msg(f != NULL, "no frame %03x", (unsigned)id);
    ck_assert_uint_eq(f->dlc, dlc);
    ck_assert(!f->extended);
    for (int i = 0; i < dlc; i++)
        ck_assert_msg(f->data[i] == want[i], "%03x byte %d: %02x want %02x", (unsigned)id, i,
                      f->data[i], want[i]);
}

/* The six frames of one second, in order, back to back. */
static void assert_order(unsigned first)
{
    static const uint32_t ids[6] = {0x351, 0x355, 0x356, 0x359, 0x35C, 0x35E};
    for (unsigned i = 0; i < 6; i++) {
        const struct fake_can_sent *s = fake_board_sent(&R.fb, first + i);
        ck_assert_ptr_nonnull(s);
        ck_assert_uint_eq(s->f.id, ids[i]);
        ck_assert_uint_eq(s->t_ms, fake_board_sent(&R.fb, first)->t_ms);
    }
}

/* R-LM-5, R-PT-1: docs/spec/CAN.md state A: discharging at 56.78 %, rounded to nearest. */
START_TEST(can_state_discharging)
{
    rig_init(&R, 0);
    fake_board_set_cells(&R.fb, 3300);
    R.fb.afe.battery_mV = 52805;  /* 5280.5 -> 5281 (0.01 V) */
    R.fb.current_mA = -12345;     /* -123.45 -> -123 (0.1 A) */
    R.fb.afe.temp_ddegC[0] = 251; /* mean 252.75 -> 253 */
    R.fb.afe.temp_ddegC[1] = 252;
    R.fb.afe.temp_ddegC[2] = 253;
    R.fb.afe.temp_ddegC[3] = 255;
    rig_start(&R, 5678);
    rig_tick(&R); /* first frames at t = 0 */
    ck_assert_uint_eq(R.fb.sent_count, 6);
    assert_order(0);
    assert_frame(0x351, 8, (const uint8_t[]){0x2D, 0x02, 0xFA, 0x00, 0x2C, 0x01, 0xC8, 0x01});
    /* SOC 57 %, SOH 100 %, 5678 (0.01 %), 50 Ah * 56.78 % = 28.39 Ah -> 284 */
    assert_frame(0x355, 8, (const uint8_t[]){57, 0, 100, 0, 0x2E, 0x16, 0x1C, 0x01});
    assert_frame(0x356, 8, (const uint8_t[]){0xA1, 0x14, 0x85, 0xFF, 0xFD, 0x00, 0, 0});
    assert_frame(0x359, 8, (const uint8_t[]){0, 0, 0, 0, 1, 'P', 'N', 0});
    assert_frame(0x35C, 2, (const uint8_t[]){0xC0, 0});
    assert_frame(0x35E, 8, (const uint8_t[]){'P', 'Y', 'L', 'O', 'N', ' ', ' ', ' '});
    /* the next second, exactly 1000 ms later, same order */
    rig_run(&R, 990);
    ck_assert_uint_eq(R.fb.sent_count, 6);
    rig_tick(&R);
    ck_assert_uint_eq(R.fb.sent_count, 12);
    assert_order(6);
    ck_assert_uint_eq(fake_board_sent(&R.fb, 6)->t_ms, 1000);
}
END_TEST

/* State B: cold charging at 5 %: derated limits, force charge, negative mean. */
START_TEST(can_state_cold_charging)
{
    rig_init(&R, 0);
    R.fb.afe.battery_mV = 53004;  /* 5300.4 -> 5300 */
    R.fb.current_mA = 20050;      /* 200.5 -> 201 */
    R.fb.afe.temp_ddegC[0] = -51; /* mean -51.75 -> -52 */
    R.fb.afe.temp_ddegC[1] = -52;
    R.fb.afe.temp_ddegC[2] = -52;
    R.fb.afe.temp_ddegC[3] = -52;
    rig_start(&R, 500);
    rig_tick(&R);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_CHARGING);
    /* CCL 2.5 A (band -10..0 °C), DCL 10 A (band -20..0 °C) */
    assert_frame(0x351, 8, (const uint8_t[]){0x2D, 0x02, 25, 0, 100, 0, 0xC8, 0x01});
    /* remaining 50 Ah * 5 % = 2.5 Ah -> 25 (0.1 Ah) */
    assert_frame(0x355, 8, (const uint8_t[]){5, 0, 100, 0, 0xF4, 0x01, 25, 0x00});
    assert_frame(0x356, 8, (const uint8_t[]){0xB4, 0x14, 0xC9, 0x00, 0xCC, 0xFF, 0, 0});
    assert_frame(0x35C, 2, (const uint8_t[]){0xF0, 0}); /* enables + force charge I+II */
    /* 2 s later the charge_ut alarm (< -5 °C) shows in byte 2 (table A bit 4) */
    rig_run(&R, 2000);
    assert_frame(0x359, 8, (const uint8_t[]){0, 0, 0x10, 0, 1, 'P', 'N', 0});
}
END_TEST

/* State C: charge protection with an alarm: CCL 0 and its enable bit 0. */
START_TEST(can_state_cell_ov)
{
    rig_running(&R, 0, 9000);
    R.fb.afe.cell_mV[4] = 3660;
    rig_run(&R, 2000);
    assert_frame(0x351, 8, (const uint8_t[]){0x2D, 0x02, 0, 0, 0x2C, 0x01, 0xC8, 0x01});
    assert_frame(0x359, 8, (const uint8_t[]){0x02, 0, 0x02, 0, 1, 'P', 'N', 0});
    assert_frame(0x35C, 2, (const uint8_t[]){0x40, 0});
}
END_TEST

/* R-LM-1 and the rounding rule: CVL and CCL down, DVL up. */
START_TEST(r_lm_1)
{
    rig_running(&R, 0, 5000);
    ck_assert_uint_eq(rig_st(&R)->cvl_dV, 557);
    ck_assert_uint_eq(rig_st(&R)->dvl_dV, 456);
    rig_init(&R, 0);
    R.cfg.cvl_mV = 55790;
    R.cfg.dvl_mV = 45601;
    rig_start(&R, 5000);
    rig_tick(&R);
    assert_frame(0x351, 8, (const uint8_t[]){0x2D, 0x02, 0xFA, 0x00, 0x2C, 0x01, 0xC9, 0x01});
    /* CCL 24.95 A is sent as 24.9 A: one 1 s slew step of 50 mA (a slew of 50 mA/s) */
    rig_init(&R, 0);
    R.cfg.slew_mA_per_s = 50;
    rig_start(&R, 5000);
    rig_tick(&R);
    rig_run(&R, 940);
    for (int i = 0; i < 4; i++)
        R.fb.afe.temp_ddegC[i] = 99; /* band 10 A: slews down 50 mA in the next second */
    rig_run(&R, 60);
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 24950);
    assert_frame(0x351, 8, (const uint8_t[]){0x2D, 0x02, 249, 0x00, 0x2C, 0x01, 0xC8, 0x01});
}
END_TEST

/* R-LM-2: the bands (lower edge included, upper excluded) and the caps, no slew at start. */
struct band_case {
    int16_t t_min, t_max;
    uint16_t cell_max, cell_min;
    int32_t ccl_mA, dcl_mA;
    uint8_t ccl_reason, dcl_reason;
};

static const struct band_case bands[] = {
    {250, 250, 3300, 3300, 25000, 30000, BMS_LIMIT_NOMINAL, BMS_LIMIT_NOMINAL},
    {-101, -101, 3300, 3300, 0, 10000, BMS_LIMIT_TEMP_MIN, BMS_LIMIT_TEMP_MIN},
    {-100, -100, 3300, 3300, 2500, 10000, BMS_LIMIT_TEMP_MIN, BMS_LIMIT_TEMP_MIN},
    {-1, -1, 3300, 3300, 2500, 10000, BMS_LIMIT_TEMP_MIN, BMS_LIMIT_TEMP_MIN},
    {0, 0, 3300, 3300, 10000, 30000, BMS_LIMIT_TEMP_MIN, BMS_LIMIT_NOMINAL},
    {99, 99, 3300, 3300, 10000, 30000, BMS_LIMIT_TEMP_MIN, BMS_LIMIT_NOMINAL},
    {100, 100, 3300, 3300, 25000, 30000, BMS_LIMIT_NOMINAL, BMS_LIMIT_NOMINAL},
    {449, 449, 3300, 3300, 25000, 30000, BMS_LIMIT_NOMINAL, BMS_LIMIT_NOMINAL},
    {250, 450, 3300, 3300, 10000, 30000, BMS_LIMIT_TEMP_MAX, BMS_LIMIT_NOMINAL},
    {250, 499, 3300, 3300, 10000, 30000, BMS_LIMIT_TEMP_MAX, BMS_LIMIT_NOMINAL},
    {250, 500, 3300, 3300, 2500, 30000, BMS_LIMIT_TEMP_MAX, BMS_LIMIT_NOMINAL},
    {250, 549, 3300, 3300, 2500, 30000, BMS_LIMIT_TEMP_MAX, BMS_LIMIT_NOMINAL},
    {250, 550, 3300, 3300, 0, 10000, BMS_LIMIT_TEMP_MAX, BMS_LIMIT_TEMP_MAX},
    {250, 599, 3300, 3300, 0, 10000, BMS_LIMIT_TEMP_MAX, BMS_LIMIT_TEMP_MAX},
    {250, 600, 3300, 3300, 0, 0, BMS_LIMIT_TEMP_MAX, BMS_LIMIT_TEMP_MAX},
    {-200, 250, 3300, 3300, 0, 10000, BMS_LIMIT_TEMP_MIN, BMS_LIMIT_TEMP_MIN},
    {-201, 250, 3300, 3300, 0, 0, BMS_LIMIT_TEMP_MIN, BMS_LIMIT_TEMP_MIN},
    {250, 250, 3449, 3300, 25000, 30000, BMS_LIMIT_NOMINAL, BMS_LIMIT_NOMINAL},
    {250, 250, 3450, 3300, 5000, 30000, BMS_LIMIT_CELL_V, BMS_LIMIT_NOMINAL},
    {250, 250, 3549, 3300, 5000, 30000, BMS_LIMIT_CELL_V, BMS_LIMIT_NOMINAL},
    {250, 250, 3550, 3300, 2500, 30000, BMS_LIMIT_CELL_V, BMS_LIMIT_NOMINAL},
    {250, 250, 3300, 3000, 25000, 30000, BMS_LIMIT_NOMINAL, BMS_LIMIT_NOMINAL},
    {250, 250, 3300, 2999, 25000, 10000, BMS_LIMIT_NOMINAL, BMS_LIMIT_CELL_V},
    {250, 250, 3300, 2900, 25000, 10000, BMS_LIMIT_NOMINAL, BMS_LIMIT_CELL_V},
    {250, 250, 3300, 2899, 25000, 5000, BMS_LIMIT_NOMINAL, BMS_LIMIT_CELL_V},
    {50, 250, 3500, 3300, 5000, 30000, BMS_LIMIT_CELL_V, BMS_LIMIT_NOMINAL},
    {50, 250, 3600, 3300, 2500, 30000, BMS_LIMIT_CELL_V, BMS_LIMIT_NOMINAL},
};

START_TEST(r_lm_2_bands)
{
    const struct band_case *c = &bands[_i];
    rig_init(&R, 0);
    R.fb.afe.temp_ddegC[0] = c->t_min;
    R.fb.afe.temp_ddegC[1] = c->t_max;
    R.fb.afe.temp_ddegC[2] = c->t_max;
    R.fb.afe.temp_ddegC[3] = c->t_max;
    R.fb.afe.cell_mV[0] = c->cell_max;
    R.fb.afe.cell_mV[1] = c->cell_min;
    rig_start(&R, 5000);
    rig_tick(&R);
    const struct bms_status *st = rig_st(&R);
    ck_assert_msg(st->ccl_mA == c->ccl_mA, "case %d: ccl %d want %d", _i, (int)st->ccl_mA,
                  (int)c->ccl_mA);
    ck_assert_msg(st->dcl_mA == c->dcl_mA, "case %d: dcl %d want %d", _i, (int)st->dcl_mA,
                  (int)c->dcl_mA);
    ck_assert_int_eq(st->ccl_reason, c->ccl_reason);
    ck_assert_int_eq(st->dcl_reason, c->dcl_reason);
    ck_assert_int_eq(st->charge_enable, c->ccl_mA > 0);
    ck_assert_int_eq(st->discharge_enable, c->dcl_mA > 0);
}
END_TEST

/* R-LM-2: at most 1 A/s, a protection cuts to 0 at once, then 1 A/s back up. */
START_TEST(r_lm_2_slew)
{
    rig_running(&R, 0, 5000);
    for (int i = 0; i < 4; i++)
        R.fb.afe.temp_ddegC[i] = 99;
    rig_run(&R, 1000);
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 24000);
    rig_run(&R, 20000);
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 10000);
    for (int i = 0; i < 4; i++)
        R.fb.afe.temp_ddegC[i] = 250;
    rig_run(&R, 1000);
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 11000);
    R.fb.afe.cell_mV[0] = 3650; /* cap 2.5 A, then cell_ov at 1 s (from a calm standby) */
    rig_run(&R, 1000);
    ck_assert_int_gt(rig_st(&R)->ccl_mA, 9000);
    rig_tick_until(&R, RIG_LATE_QUIET_MS, rig_protect(&R, BMS_PROT_CELL_OV));
    ck_assert(rig_protect(&R, BMS_PROT_CELL_OV));
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 0);
    ck_assert_int_eq(rig_st(&R)->ccl_reason, BMS_LIMIT_PROTECT);
    ck_assert_int_eq(rig_st(&R)->dcl_mA, 30000);
    R.fb.afe.cell_mV[0] = 3300;
    rig_run(&R, 5000);
    ck_assert(rig_protect(&R, BMS_PROT_CELL_OV));
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 0);
    rig_tick_until(&R, RIG_LATE_MS, !rig_protect(&R, BMS_PROT_CELL_OV));
    ck_assert(!rig_protect(&R, BMS_PROT_CELL_OV)); /* released: from 0 at 1 A/s */
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 0);
    rig_tick_until(&R, BMS_TASK_SECOND_MS, rig_st(&R)->ccl_mA != 0);
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 1000); /* one step a second */
    rig_run(&R, 1000);
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 2000);
}
END_TEST

/* R-LM-3: force charge below 8 % (shown), cleared at 10 %. */
START_TEST(r_lm_3)
{
    rig_running(&R, 0, 800);
    ck_assert(!rig_st(&R)->force_charge);
    bms_set_soc_estimate(&R.bms, 749); /* shown 7 */
    rig_tick(&R);
    ck_assert(rig_st(&R)->force_charge);
    bms_set_soc_estimate(&R.bms, 949); /* shown 9: still on */
    rig_run(&R, 1000);
    ck_assert(rig_st(&R)->force_charge);
    ck_assert_uint_eq(rig_last_frame(&R, 0x35C)->data[0] & 0x30u, 0x30);
    bms_set_soc_estimate(&R.bms, 950); /* shown 10: off */
    rig_run(&R, 1000);
    ck_assert(!rig_st(&R)->force_charge);
    ck_assert_uint_eq(rig_last_frame(&R, 0x35C)->data[0] & 0x30u, 0);
}
END_TEST

/* R-LM-4: 30 consecutive days below 97 % raise the full-charge request; reaching 97 %
 * restarts the count; a completed full charge clears the request. */
START_TEST(r_lm_4)
{
    ck_assert_uint_eq(bms_config_default.full_request_s, 30u * 86400u);
    ck_assert_uint_eq(bms_config_default.full_request_pct, 97);
    rig_running(&R, 0, 9600);
    rig_run(&R, 5000);
    ck_assert_uint_eq(R.bms.lim.below_full_pct_s, 5);
    bms_set_soc_estimate(&R.bms, 9650); /* shown 97 */
    rig_run(&R, 1000);
    ck_assert_uint_eq(R.bms.lim.below_full_pct_s, 0);
    bms_set_soc_estimate(&R.bms, 5000);
    /* fast-forward the day counter to one second before 30 days */
    rig_run(&R, 990);
    R.bms.lim.below_full_pct_s = 30u * 86400u - 2u;
    rig_run(&R, 1000);
    ck_assert(!rig_st(&R)->full_charge_request);
    rig_run(&R, 1000);
    ck_assert(rig_st(&R)->full_charge_request);
    ck_assert(rig_logged(&R, "full_request"));
    rig_run(&R, 1000);
    ck_assert_uint_eq(rig_last_frame(&R, 0x35C)->data[0] & 0x08u, 0x08);
    bms_set_soc_estimate(&R.bms, 9900); /* reaching 97 % alone does not clear it */
    rig_run(&R, 5000);
    ck_assert(rig_st(&R)->full_charge_request);
    fake_board_set_cells(&R.fb, 3450);
    R.fb.current_mA = 1000;
    ck_assert_int_eq(rig_run_state(&R, 60010), BMS_STATE_FULL);
    ck_assert(!rig_st(&R)->full_charge_request);
}
END_TEST

/* R-ST-1: standby |I| < 0.5 A, charging >= 0.5 A, discharging <= -0.5 A. */
START_TEST(r_st_1)
{
    static const struct {
        int32_t mA;
        enum bms_state s;
    } c[] = {{0, BMS_STATE_STANDBY},        {499, BMS_STATE_STANDBY},
             {500, BMS_STATE_CHARGING},     {-499, BMS_STATE_STANDBY},
             {-500, BMS_STATE_DISCHARGING}, {30000, BMS_STATE_CHARGING}};
    rig_running(&R, 0, 5000);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        R.fb.current_mA = c[i].mA;
        rig_tick(&R);
        rig_tick_until(&R, RIG_LATE_MS, rig_st(&R)->state == c[i].s);
        ck_assert_int_eq(rig_st(&R)->state, c[i].s);
    }
}
END_TEST

/* R-ST-2: a protection recovers by itself (no restart), a fault does not. */
START_TEST(r_st_2)
{
    rig_running(&R, 0, 5000);
    R.fb.afe.temp_ddegC[0] = 560;
    ck_assert_int_eq(rig_run_state(&R, 3000), BMS_STATE_CHARGE_PROTECT);
    R.fb.afe.temp_ddegC[0] = 250;
    ck_assert_int_eq(rig_run_state(&R, 6000), BMS_STATE_STANDBY);
    R.fb.afe.temp_ddegC[0] = 1300;
    ck_assert_int_eq(rig_run_state(&R, 3000), BMS_STATE_FAULT);
    R.fb.afe.temp_ddegC[0] = 250;
    ck_assert_int_eq(rig_run_state(&R, 60000), BMS_STATE_FAULT);
}
END_TEST

/* R-ST-3 / §13 full: battery >= 55.2 V with 0.5 <= I < 2.5 A for 60 s; SOC 100 %, CCL 0
 * until the estimate is below 98 %; back to standby after |I| < 0.5 A for 60 s. */
START_TEST(r_st_3)
{
    rig_running(&R, 0, 9000);
    fake_board_set_cells(&R.fb, 3450);
    R.fb.afe.battery_mV = 55199;
    R.fb.current_mA = 2000;
    ck_assert_int_eq(rig_run_state(&R, 70000), BMS_STATE_CHARGING);
    R.fb.afe.battery_mV = 55200;
    R.fb.current_mA = 2500;
    ck_assert_int_eq(rig_run_state(&R, 70000), BMS_STATE_CHARGING);
    R.fb.current_mA = 499;
    ck_assert_int_eq(rig_run_state(&R, 70000), BMS_STATE_STANDBY);
    R.fb.current_mA = 2499;
    ck_assert_int_eq(rig_run_state(&R, 60000), BMS_STATE_CHARGING);
    rig_tick_until(&R, RIG_LATE_MS, rig_st(&R)->state == BMS_STATE_FULL);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_FULL);
    ck_assert_int_eq(rig_st(&R)->soc_pptt, 10000);
    ck_assert_int_eq(rig_st(&R)->soc_shown_pct, 100);
    ck_assert_int_eq(rig_st(&R)->ccl_dA, 0);
    ck_assert_int_eq(rig_st(&R)->ccl_reason, BMS_LIMIT_FULL);
    ck_assert(!rig_st(&R)->charge_enable && rig_st(&R)->discharge_enable);
    ck_assert(rig_st(&R)->prohibit_charge && !rig_st(&R)->prohibit_discharge);
    ck_assert(rig_logged(&R, "soc_cal.full"));
    /* estimate 98.00 %: still blocked; below: the CCL comes back, slewing */
    R.fb.current_mA = 1000;
    bms_set_soc_estimate(&R.bms, 9800);
    rig_run(&R, 1000);
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 0);
    bms_set_soc_estimate(&R.bms, 9799);
    rig_run(&R, 1000);
    ck_assert_int_eq(rig_st(&R)->ccl_mA, 1000);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_FULL);
    /* leave full after 60 s below 0.5 A */
    R.fb.current_mA = 499;
    ck_assert_int_eq(rig_run_state(&R, 60000), BMS_STATE_FULL);
    rig_tick_until(&R, RIG_LATE_MS, rig_st(&R)->state == BMS_STATE_STANDBY);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_STANDBY);
}
END_TEST

/* R-DC-1: contact 1/2 closed while charging is not allowed, 3/4 for discharging. */
START_TEST(r_dc_1)
{
    rig_init(&R, 0);
    rig_tick(&R);
    ck_assert(R.fb.prohibit_chg && R.fb.prohibit_dsg); /* shutdown */
    rig_running(&R, 0, 5000);
    ck_assert(!R.fb.prohibit_chg && !R.fb.prohibit_dsg); /* standby */
    for (int i = 0; i < 4; i++)
        R.fb.afe.temp_ddegC[i] = 550; /* CCL 0 (band edge), no protection yet */
    rig_tick_until(&R, RIG_LATE_QUIET_MS, R.fb.prohibit_chg); /* seen at the AFE's scan */
    ck_assert_uint_eq(rig_st(&R)->protect_mask, 0);
    ck_assert(R.fb.prohibit_chg && !R.fb.prohibit_dsg);
    for (int i = 0; i < 4; i++)
        R.fb.afe.temp_ddegC[i] = 600; /* DCL 0 */
    rig_tick_until(&R, RIG_LATE_MS, R.fb.prohibit_dsg);
    ck_assert(R.fb.prohibit_chg && R.fb.prohibit_dsg);
    rig_running(&R, 0, 5000);
    R.fb.afe.battery_mV = 45000; /* UVP after 2 s (from a calm standby) */
    rig_run(&R, 2000 + RIG_LATE_QUIET_MS);
    ck_assert(!R.fb.prohibit_chg && R.fb.prohibit_dsg);
}
END_TEST

/* docs/spec/CAN.md 0x305: the inverter_link alarm after 60 s without one, cleared by the next. */
START_TEST(can_305)
{
    struct board_can_frame hb = {.id = 0x305, .dlc = 0};
    rig_running(&R, 0, 5000);
    rig_run(&R, 59990);
    ck_assert(!rig_alarm(&R, BMS_ALARM_INVERTER_LINK));
    rig_tick(&R); /* t = 60000 */
    ck_assert(rig_alarm(&R, BMS_ALARM_INVERTER_LINK));
    ck_assert(rig_logged(&R, "alarm.inverter_link"));
    ck_assert_uint_eq(R.fb.sent_count % 6, 0); /* it keeps broadcasting */
    fake_board_can_push(&R.fb, &hb);
    rig_tick(&R);
    ck_assert(!rig_alarm(&R, BMS_ALARM_INVERTER_LINK));
    for (int s = 0; s < 120; s++) { /* a heartbeat every second keeps it clear */
        hb.dlc = (uint8_t)(s % 9);
        fake_board_can_push(&R.fb, &hb);
        rig_run(&R, 1000);
        ck_assert(!rig_alarm(&R, BMS_ALARM_INVERTER_LINK));
    }
}
END_TEST

/* Bad input: frames with other IDs, extended IDs or bad DLCs change nothing. */
START_TEST(can_bad_frames)
{
    static struct rig B;
    static const struct board_can_frame bad[] = {
        {.id = 0x305, .dlc = 9},  {.id = 0x305, .dlc = 15}, {.id = 0x305, .extended = true},
        {.id = 0x306, .dlc = 8},  {.id = 0x351, .dlc = 8},  {.id = 0x7FF, .dlc = 0},
        {.id = 0x1FFFFFFF, .extended = true, .dlc = 8}, {.id = 0x000, .dlc = 8},
        {.id = 0x35C, .dlc = 2, .data = {0xFF, 0xFF}},  {.id = 0x0305u | 0x800u, .dlc = 1},
    };
    rig_running(&R, 0, 5000);
    rig_running(&B, 0, 5000);
    for (int s = 0; s < 90; s++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            fake_board_can_push(&B.fb, &bad[i]);
        rig_run(&R, 1000);
        rig_run(&B, 1000);
        ck_assert_int_eq(memcmp(rig_st(&R), rig_st(&B), sizeof(struct bms_status)), 0);
    }
    ck_assert(rig_alarm(&B, BMS_ALARM_INVERTER_LINK)); /* none of them was a heartbeat */
    ck_assert_uint_eq(R.fb.sent_count, B.fb.sent_count);
    for (unsigned n = B.fb.sent_count - 60; n < B.fb.sent_count; n++)
        ck_assert_int_eq(memcmp(&fake_board_sent(&R.fb, n)->f, &fake_board_sent(&B.fb, n)->f,
                                sizeof(struct board_can_frame)),
                         0);
    ck_assert_uint_gt(B.bms.can.rx_ignored, 800);
}
END_TEST

/* Only a master sends (a slave of a parallel system does not). */
START_TEST(can_master_only)
{
    rig_running(&R, 0, 5000);
    R.bms.link.is_master = false;
    R.bms.link.pack_id = 2;
    unsigned sent = R.fb.sent_count;
    rig_run(&R, 5000);
    ck_assert_uint_eq(R.fb.sent_count, sent);
    ck_assert(!rig_st(&R)->can_on);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("CAN-discharging", can_state_discharging),
    GTX_CASE("CAN-cold-charging", can_state_cold_charging),
    GTX_CASE("CAN-cell-ov", can_state_cell_ov),
    GTX_CASE("R-LM-1", r_lm_1),
    GTX_CASE_LOOP("R-LM-2", r_lm_2_bands, 0, GTX_COUNT(bands)),
    GTX_CASE("R-LM-2-slew", r_lm_2_slew),
    GTX_CASE("R-LM-3", r_lm_3),
    GTX_CASE("R-LM-4", r_lm_4),
    GTX_CASE("R-ST-1", r_st_1),
    GTX_CASE("R-ST-2", r_st_2),
    GTX_CASE("R-ST-3", r_st_3),
    GTX_CASE("R-DC-1", r_dc_1),
    GTX_CASE("CAN-305", can_305),
    GTX_CASE("CAN-bad-frames", can_bad_frames),
    GTX_CASE("CAN-master-only", can_master_only),
};

int main(void)
{
    return gtx_check_main("bms_limits_can", tests, GTX_COUNT(tests), 60, NULL, false);
}
