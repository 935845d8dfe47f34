/* test_soc: coulomb counting is exact over 24 h of 10 ms ticks (across the ms
 * wrap), recalibration at full and empty, the rest-OCV correction only where
 * the curve is steep, capacity learning, and the NVM record across power cuts.
 */
#include <check.h>
#include <stdlib.h>

#include "bms_soc.h"
#include "check_main.h"
#include "fake_board.h"
#include "gtx/bms_config.h"

static const struct bms_soc_config *const cfg = &bms_config_default.soc;
static struct fake_board fb;
static struct bms_soc soc;
static uint32_t now_ms;

static void setup(void)
{
    fake_board_init(&fb, NULL);
    bms_soc_init(&soc, cfg, &fb.board, 0);
    now_ms = 1000;
    struct bms_soc_input in = {0, 3300};
    bms_soc_update(&soc, now_ms, &in);
}

/* Runs `ms` of 10 ms ticks at a constant current; returns the event bits seen. */
static unsigned run(int32_t current_mA, uint16_t cell_mV, uint32_t ms)
{
    unsigned ev = 0;
    struct bms_soc_input in = {current_mA, cell_mV};
    for (uint32_t t = 0; t < ms; t += 10) {
        now_ms += 10;
        ev |= bms_soc_update(&soc, now_ms, &in);
    }
    return ev;
}

START_TEST(fresh_nvm_starts_at_half_and_rated)
{
    ck_assert(!soc.loaded);
    ck_assert_int_eq(bms_soc_pptt(&soc), 5000);
    ck_assert_uint_eq(bms_soc_capacity_mAh(&soc), 50000);
    ck_assert_uint_eq(bms_soc_soh_percent(&soc), 100);
    ck_assert_uint_eq(bms_soc_cycles_x100(&soc), 0);
}
END_TEST

/* R-SOC-1: the SOC comes from counting the measured current, exactly. */
START_TEST(counting_is_exact_over_24h_of_10ms_ticks)
{
    /* Currents chosen so that no tick moves a whole 0.01 % (18e6 mA*ms) and
     * most leave a remainder: a rounding counter would drift by hours. */
    static const int32_t pattern_mA[] = {1234, -987, 7, -3, 25001, -24999, 499, -13};
    now_ms = 0xFFFF0000u; /* the ms clock wraps during the run */
    bms_soc_init(&soc, cfg, &fb.board, 0);
    bms_soc_set_estimate(&soc, now_ms, 5000);
    struct bms_soc_input in = {0, 3300};
    bms_soc_update(&soc, now_ms, &in);
    int64_t total_uAs = 0, discharged_uAs = 0;
    for (uint32_t tick = 0; tick < 24u * 3600u * 100u; tick++) {
        /* a new current every 20 minutes (below the 2 h rest time) */
        in.current_mA = pattern_mA[(tick / 120000u) % 8u];
        now_ms += 10;
        bms_soc_update(&soc, now_ms, &in);
        total_uAs += (int64_t)in.current_mA * 10;
        if (in.current_mA < 0)
            discharged_uAs -= (int64_t)in.current_mA * 10;
    }
    int64_t quantum = 50000 * 360;
    int64_t counted = (int64_t)(bms_soc_pptt(&soc) - 5000) * quantum + soc.residue_uAs;
    ck_assert_int_eq(counted, total_uAs);
    ck_assert_int_ne(total_uAs % quantum, 0); /* a real remainder was kept */
    /* cycles: discharged mAs = 0.01 cycle steps (rated * 36 mAs) + the rest */
    int64_t dis_mAs = discharged_uAs / 1000;
    int64_t step = 50000 * 36;
    ck_assert_int_eq((int64_t)bms_soc_cycles_x100(&soc), dis_mAs / step);
    ck_assert_int_gt(bms_soc_cycles_x100(&soc), 0);
}
END_TEST

START_TEST(shown_soc_rounds_half_up)
{
    bms_soc_set_estimate(&soc, now_ms, 4950);
    ck_assert_uint_eq(bms_soc_percent(&soc), 50);
    bms_soc_set_estimate(&soc, now_ms, 4949);
    ck_assert_uint_eq(bms_soc_percent(&soc), 49);
    bms_soc_set_estimate(&soc, now_ms, 1749);
    ck_assert_uint_eq(bms_soc_percent(&soc), 17);
    bms_soc_set_estimate(&soc, now_ms, 1750);
    ck_assert_uint_eq(bms_soc_percent(&soc), 18);
    bms_soc_set_estimate(&soc, now_ms, 12345);
    ck_assert_int_eq(bms_soc_pptt(&soc), 10000);
    ck_assert_uint_eq(bms_soc_percent(&soc), 100);
}
END_TEST

START_TEST(one_percent_of_charge_moves_one_percent)
{
    bms_soc_set_estimate(&soc, now_ms, 5000);
    run(25000, 3300, 7200 * 10); /* 25 A for 72 s = 0.5 Ah = 1 % of 50 Ah */
    ck_assert_int_eq(bms_soc_pptt(&soc), 5100);
    run(-50000, 3300, 3600 * 10); /* -50 A for 36 s = 1 % */
    ck_assert_int_eq(bms_soc_pptt(&soc), 5000);
}
END_TEST

/* R-SOC-1: corrected to 100 % at full charge and to 0 % at the low-voltage limit. */
START_TEST(recalibration_full_and_empty)
{
    bms_soc_set_estimate(&soc, now_ms, 9000);
    bms_soc_calibrate_full(&soc, now_ms);
    ck_assert_int_eq(bms_soc_pptt(&soc), 10000);
    ck_assert_uint_eq(bms_soc_percent(&soc), 100);
    bms_soc_set_estimate(&soc, now_ms, 700);
    bms_soc_calibrate_empty(&soc, now_ms);
    ck_assert_int_eq(bms_soc_pptt(&soc), 0);
    /* counting past 100 % holds at 100 % */
    bms_soc_calibrate_full(&soc, now_ms);
    run(10000, 3450, 60000);
    ck_assert_int_eq(bms_soc_pptt(&soc), 10000);
}
END_TEST

/* R-SOC-1: corrected by the open-circuit voltage after a long rest where it is steep. */
START_TEST(rest_ocv_correction_where_steep)
{
    /* 3100 mV is on the steep low end: 600 + (3100 - 3073) * 400 / 106 = 701 */
    bms_soc_set_estimate(&soc, now_ms, 3000);
    run(-600, 3100, 1000); /* a load: no rest yet */
    unsigned ev = run(499, 3100, 2u * 3600u * 1000u - 10u); /* 499 mA is rest */
    ck_assert_uint_eq(ev & BMS_SOC_EV_OCV, 0);
    int32_t before = bms_soc_pptt(&soc);
    ck_assert_int_gt(before, 2900);
    ev = run(0, 3100, 10);
    ck_assert_uint_ne(ev & BMS_SOC_EV_OCV, 0);
    ck_assert_int_eq(bms_soc_pptt(&soc), 701);
    ck_assert_int_eq(soc.before_pptt, before);
    /* only once per rest */
    bms_soc_set_estimate(&soc, now_ms, 3000);
    ev = run(0, 3100, 3u * 3600u * 1000u);
    ck_assert_uint_eq(ev, 0);
    ck_assert_int_eq(bms_soc_pptt(&soc), 3000);
    /* the high end: 3400 mV -> 9800 + 21 * 200 / 80 = 9852 */
    run(-500, 3400, 10); /* 500 mA is not rest: a new rest begins */
    ev = run(0, 3400, 2u * 3600u * 1000u + 10u);
    ck_assert_uint_ne(ev & BMS_SOC_EV_OCV, 0);
    ck_assert_int_eq(bms_soc_pptt(&soc), 9852);
}
END_TEST

START_TEST(no_ocv_correction_on_the_flat_curve)
{
    bms_soc_set_estimate(&soc, now_ms, 3000);
    run(-1000, 3300, 10);
    unsigned ev = run(0, 3300, 4u * 3600u * 1000u); /* 3300 mV ~ 46 %: flat */
    ck_assert_uint_eq(ev, 0);
    ck_assert_int_eq(bms_soc_pptt(&soc), 3000);
    /* the edges: 3215 mV is exactly 15 % (not below), 3214 is below */
    run(-1000, 3215, 10);
    ev = run(0, 3215, 2u * 3600u * 1000u + 10u);
    ck_assert_uint_eq(ev, 0);
    run(-1000, 3214, 10);
    ev = run(0, 3214, 2u * 3600u * 1000u + 10u);
    ck_assert_uint_eq(ev, BMS_SOC_EV_OCV);
    ck_assert_int_eq(bms_soc_pptt(&soc), 1000 + 35 * 500 / 36);
}
END_TEST

/* R-SOC-2: the full-charge capacity and SOH learned, cycles counted in rated Ah. */
START_TEST(capacity_learned_from_full_to_empty)
{
    bms_soc_calibrate_full(&soc, now_ms);
    run(-25000, 3250, 6480u * 1000u); /* 45 Ah out */
    unsigned ev = bms_soc_calibrate_empty(&soc, now_ms);
    ck_assert_uint_eq(ev, BMS_SOC_EV_LEARNED);
    ck_assert_uint_eq(bms_soc_capacity_mAh(&soc), 45000);
    ck_assert_uint_eq(bms_soc_soh_pptt(&soc), 9000);
    ck_assert_uint_eq(bms_soc_soh_percent(&soc), 90);
    /* and back up: 44 Ah in, learned from empty to full */
    run(22000, 3300, 7200u * 1000u);
    ev = bms_soc_calibrate_full(&soc, now_ms);
    ck_assert_uint_eq(ev, BMS_SOC_EV_LEARNED);
    ck_assert_uint_eq(bms_soc_capacity_mAh(&soc), 44000);
    /* with the learned capacity, 1 % is 0.44 Ah */
    run(-44000, 3300, 36u * 1000u);
    ck_assert_int_eq(bms_soc_pptt(&soc), 9900);
    /* cycles: 45 Ah + 0.44 Ah discharged of 50 Ah rated = 0.9088 */
    ck_assert_uint_eq(bms_soc_cycles_x100(&soc), 90);
}
END_TEST

START_TEST(implausible_or_disturbed_windows_learn_nothing)
{
    bms_soc_calibrate_full(&soc, now_ms);
    run(-25000, 3250, 1440u * 1000u); /* 10 Ah: 20 % SOH, implausible */
    ck_assert_uint_eq(bms_soc_calibrate_empty(&soc, now_ms), 0);
    ck_assert_uint_eq(bms_soc_capacity_mAh(&soc), 50000);
    /* a setter in the window invalidates it */
    bms_soc_calibrate_full(&soc, now_ms);
    run(-25000, 3250, 3600u * 1000u);
    bms_soc_set_estimate(&soc, now_ms, 4000);
    run(-25000, 3250, 2880u * 1000u);
    ck_assert_uint_eq(bms_soc_calibrate_empty(&soc, now_ms), 0);
    ck_assert_uint_eq(bms_soc_capacity_mAh(&soc), 50000);
}
END_TEST

START_TEST(capacity_learned_from_a_partial_window_closed_by_ocv)
{
    bms_soc_calibrate_full(&soc, now_ms);
    run(-40000, 3250, 3600u * 1000u); /* 40 Ah out */
    /* rest at 3179 mV = 10 %: the window is 90 %, so 40 Ah / 0.9 = 44 444 mAh */
    unsigned ev = run(0, 3179, 2u * 3600u * 1000u + 10u);
    ck_assert_uint_eq(ev, BMS_SOC_EV_OCV | BMS_SOC_EV_LEARNED);
    ck_assert_uint_eq(bms_soc_capacity_mAh(&soc), 44444);
    ck_assert_int_eq(bms_soc_pptt(&soc), 1000);
}
END_TEST

START_TEST(state_persists_and_saves_every_percent)
{
    bms_soc_set_estimate(&soc, now_ms, 6000);
    bms_soc_set_cycles(&soc, now_ms, 12345);
    uint32_t writes = fb.nvm_writes;
    run(-25000, 3300, 71990); /* 0.9999 % of 50 Ah: 0.99 % counted, no save yet */
    ck_assert_int_eq(bms_soc_pptt(&soc), 5901);
    ck_assert_uint_eq(fb.nvm_writes, writes);
    run(-25000, 3300, 20); /* 1 %: one save (4 writes) */
    ck_assert_int_eq(bms_soc_pptt(&soc), 5900);
    ck_assert_uint_eq(fb.nvm_writes, writes + 4u);
    bms_soc_init(&soc, cfg, &fb.board, 0);
    ck_assert(soc.loaded);
    ck_assert_int_eq(bms_soc_pptt(&soc), 5900);
    ck_assert_uint_eq(bms_soc_cycles_x100(&soc), 12346);
}
END_TEST

START_TEST(saves_after_ten_minutes_of_a_small_change)
{
    bms_soc_set_estimate(&soc, now_ms, 6000);
    uint32_t writes = fb.nvm_writes;
    run(-5000, 3300, 36000); /* 0.1 %: below the step */
    ck_assert_uint_eq(fb.nvm_writes, writes);
    run(0, 3300, 600000 - 36000 - 10);
    ck_assert_uint_eq(fb.nvm_writes, writes);
    run(0, 3300, 10);
    ck_assert_uint_eq(fb.nvm_writes, writes + 4u);
}
END_TEST

START_TEST(record_survives_a_cut_at_every_byte)
{
    /* the previous record or the new one, never garbage */
    static const size_t lens[4] = {1, 25, 2, 1};
    int points = 0;
    for (long w = 0; w < 8; w++) {
        for (size_t b = 0; b < lens[w % 4]; b++) {
            fake_board_init(&fb, NULL);
            bms_soc_init(&soc, cfg, &fb.board, 0);
            bms_soc_set_estimate(&soc, 0, 1111);
            bms_soc_set_estimate(&soc, 0, 2222);
            fb.nvm_writes = 0;
            fb.cut_write = w;
            fb.cut_bytes = b;
            bms_soc_set_estimate(&soc, 0, 3333);
            bms_soc_set_estimate(&soc, 0, 4444);
            fb.dead = false;
            fb.cut_write = -1;
            bms_soc_init(&soc, cfg, &fb.board, 0);
            ck_assert(soc.loaded);
            int32_t want = w < 4 ? 2222 : 3333;
            ck_assert_int_eq(bms_soc_pptt(&soc), want);
            points++;
        }
    }
    ck_assert_int_eq(points, 58);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("soc", fresh_nvm_starts_at_half_and_rated),
    GTX_TEST(counting_is_exact_over_24h_of_10ms_ticks),
    GTX_TEST(shown_soc_rounds_half_up),
    GTX_TEST(one_percent_of_charge_moves_one_percent),
    GTX_TEST(recalibration_full_and_empty),
    GTX_TEST(rest_ocv_correction_where_steep),
    GTX_TEST(no_ocv_correction_on_the_flat_curve),
    GTX_TEST(capacity_learned_from_full_to_empty),
    GTX_TEST(implausible_or_disturbed_windows_learn_nothing),
    GTX_TEST(capacity_learned_from_a_partial_window_closed_by_ocv),
    GTX_TEST(state_persists_and_saves_every_percent),
    GTX_TEST(saves_after_ten_minutes_of_a_small_change),
    GTX_TEST(record_survives_a_cut_at_every_byte),
};

int main(void)
{
    return gtx_check_main("bms_soc", tests, GTX_COUNT(tests), 120, setup, false);
}
