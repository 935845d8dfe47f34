/* test_balance: R-BL-1 at the edges of every threshold: 3.40 V, the 30 mV start
 * spread, the 10 mV bleed margin, the 10 mV stop spread (hysteresis), charging
 * or standby only, and any protection stops it.
 */
#include <check.h>
#include <stdlib.h>

#include "bms_balance.h"
#include "check_main.h"
#include "gtx/bms_config.h"

static const struct bms_balance_config *const cfg = &bms_config_default.balance;
static struct bms_balance bal;
static uint16_t cells[BOARD_CELLS];

static void setup(void)
{
    bms_balance_init(&bal);
    for (int i = 0; i < BOARD_CELLS; i++)
        cells[i] = 3380;
}

static uint16_t upd(void)
{
    return bms_balance_update(&bal, cfg, cells, true, false);
}

START_TEST(starts_at_3400_with_more_than_30mV)
{
    cells[4] = 3410; /* max 3410, spread 30: not more than 30 */
    ck_assert_uint_eq(upd(), 0);
    ck_assert(!bal.active);
    cells[4] = 3411; /* spread 31 */
    ck_assert_uint_eq(upd(), 1u << 4);
    ck_assert(bal.active);
}
END_TEST

START_TEST(needs_max_cell_at_least_3400)
{
    for (int i = 0; i < BOARD_CELLS; i++)
        cells[i] = 3300;
    cells[9] = 3399; /* spread 99 but max below 3.40 V */
    ck_assert_uint_eq(upd(), 0);
    cells[9] = 3400;
    ck_assert_uint_eq(upd(), 1u << 9);
}
END_TEST

START_TEST(bleeds_every_cell_more_than_10mV_above_min)
{
    cells[0] = 3370;  /* the minimum */
    cells[1] = 3380;  /* +10: not bleeding */
    cells[2] = 3381;  /* +11: bleeding */
    cells[15] = 3420; /* max, spread 50 */
    /* cells 4..15 stay at 3380, +10 like cell 2: only cells 3 and 16 bleed */
    uint16_t want = (uint16_t)((1u << 2) | (1u << 15));
    for (int i = 3; i < 15; i++)
        ck_assert_uint_eq(cells[i], 3380);
    ck_assert_uint_eq(upd(), want);
}
END_TEST

START_TEST(hysteresis_runs_down_to_10mV_spread)
{
    cells[7] = 3420; /* spread 40: start */
    ck_assert_uint_eq(upd(), 1u << 7);
    cells[7] = 3400; /* spread 20: below the start spread but still on */
    ck_assert_uint_eq(upd(), 1u << 7);
    cells[7] = 3391; /* spread 11: on, cell 8 is 11 above the min */
    ck_assert_uint_eq(upd(), 1u << 7);
    cells[7] = 3390; /* spread 10: stop */
    ck_assert_uint_eq(upd(), 0);
    ck_assert(!bal.active);
    cells[7] = 3400; /* 20 mV again: not enough to restart */
    ck_assert_uint_eq(upd(), 0);
    cells[7] = 3411;
    ck_assert_uint_eq(upd(), 1u << 7);
}
END_TEST

START_TEST(on_while_max_falls_below_3400)
{
    cells[3] = 3450;
    ck_assert_uint_eq(upd(), 1u << 3);
    for (int i = 0; i < BOARD_CELLS; i++)
        cells[i] = 3320;
    cells[3] = 3345; /* the charge stopped and the cells relaxed: still 25 mV apart */
    ck_assert_uint_eq(upd(), 1u << 3);
}
END_TEST

START_TEST(only_in_charging_or_standby_and_no_protection)
{
    cells[3] = 3450;
    ck_assert_uint_eq(bms_balance_update(&bal, cfg, cells, false, false), 0);
    ck_assert_uint_eq(bms_balance_update(&bal, cfg, cells, true, true), 0);
    ck_assert_uint_eq(bms_balance_update(&bal, cfg, cells, true, false), 1u << 3);
    /* a protection stops a running balance at once, and it restarts only on the
     * start condition */
    ck_assert_uint_eq(bms_balance_update(&bal, cfg, cells, true, true), 0);
    ck_assert(!bal.active);
    ck_assert_uint_eq(bms_balance_update(&bal, cfg, cells, false, false), 0);
    ck_assert_uint_eq(bms_balance_update(&bal, cfg, cells, true, false), 1u << 3);
}
END_TEST

START_TEST(thresholds_come_from_the_config)
{
    struct bms_balance_config c = {.start_max_cell_mV = 3300, .start_spread_mV = 5,
                                   .bleed_above_mV = 2, .stop_spread_mV = 1};
    for (int i = 0; i < BOARD_CELLS; i++)
        cells[i] = 3300;
    cells[0] = 3306;
    cells[1] = 3302;
    ck_assert_uint_eq(bms_balance_update(&bal, &c, cells, true, false), 1u);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("R-BL-1", starts_at_3400_with_more_than_30mV),
    GTX_TEST(needs_max_cell_at_least_3400),
    GTX_TEST(bleeds_every_cell_more_than_10mV_above_min),
    GTX_TEST(hysteresis_runs_down_to_10mV_spread),
    GTX_TEST(on_while_max_falls_below_3400),
    GTX_TEST(only_in_charging_or_standby_and_no_protection),
    GTX_TEST(thresholds_come_from_the_config),
};

int main(void)
{
    return gtx_check_main("bms_balance", tests, GTX_COUNT(tests), 0, setup, false);
}
