/* test_sample.c: the held AFE sample (struct bms's sample_changed). In a calm standby
 * the diagnosis and the limits skip a sample they judged already; a sample in which one
 * quantity they read changed must be judged again, and one that did not must not be.
 */
#include <check.h>

#include "check_main.h"
#include "rig.h"

static struct rig R;

/* A calm standby at 50 %: the AFE quiet, every row idle, the last sample judged. */
static void calm_standby(void)
{
    rig_running(&R, 1000, 5000);
    rig_run(&R, 5000); /* the first seconds are not calm yet */
    ck_assert_int_eq(R.bms.watch, BMS_WATCH_QUIET);
    ck_assert(R.bms.diag.judged_valid && !R.bms.diag.rows_busy);
    ck_assert(R.bms.lim.derated[0].valid && R.bms.lim.derated[1].valid);
}

/* One input of the fake board changed; the quantities it moves are in the comment. */
struct qcase {
    const char *what;
    int cell;       /* cell 1..16 set to value (mV), or 0 */
    int ntc;        /* NTC 1..6 set to value (0.1 °C), or 0 */
    bool battery;   /* the battery voltage set to value (mV) */
    int32_t value;
    enum bms_alarm_id alarm; /* the alarm it must raise, after its trip delay */
    uint32_t trip_ms;
};

static const struct qcase qcases[] = {
    {"cell 7 high: cell_max", 7, 0, false, 3600, BMS_ALARM_CELL_OV, 1000},
    {"cell 7 low: cell_min", 7, 0, false, 2750, BMS_ALARM_CELL_UV, 1000},
    {"battery high: battery", 0, 0, true, 55950, BMS_ALARM_PACK_HV, 2000},
    {"NTC 3 hot: temp_max, ntc_max", 0, 3, false, 501, BMS_ALARM_CHARGE_OT, 2000},
    {"NTC 3 cold: temp_min, ntc_min", 0, 3, false, -51, BMS_ALARM_CHARGE_UT, 2000},
    {"NTC 5 hot: temp_fet, ntc_max", 0, 5, false, 851, BMS_ALARM_MOSFET_OT, 2000},
};

static void set_input(const struct qcase *c)
{
    if (c->cell)
        R.fb.afe.cell_mV[c->cell - 1] = (uint16_t)c->value;
    if (c->ntc)
        R.fb.afe.temp_ddegC[c->ntc - 1] = (int16_t)c->value;
    if (c->battery)
        R.fb.afe.battery_mV = (uint32_t)c->value;
}

/* A changed quantity after a minute of the same sample raises its alarm in time. */
START_TEST(changed_quantity_judged_again)
{
    const struct qcase *c = &qcases[_i];
    calm_standby();
    rig_run(&R, 60000);
    ck_assert_msg(!rig_alarm(&R, c->alarm), "%s: raised before the change", c->what);
    set_input(c);
    rig_tick_until(&R, c->trip_ms + RIG_LATE_QUIET_MS, rig_alarm(&R, c->alarm));
    ck_assert_msg(rig_alarm(&R, c->alarm), "%s: the changed sample was not judged", c->what);
}
END_TEST

/* NTC 6 alone moves only ntc_max: the ntc fault (above 120 °C for 2 s). */
START_TEST(ntc6_alone_judged_again)
{
    calm_standby();
    rig_run(&R, 60000);
    R.fb.afe.temp_ddegC[5] = 1201;
    rig_tick_until(&R, 2000 + RIG_LATE_QUIET_MS, rig_fault(&R, BMS_FAULT_NTC));
    ck_assert(rig_fault(&R, BMS_FAULT_NTC));
}
END_TEST

/* The limits follow each of the four quantities they read, changed alone: NTC 1 at 5 °C
 * (temp_min: CCL 10 A), NTC 2 at 46 °C (temp_max: CCL 10 A), NTC 1 at -5 °C (temp_min:
 * DCL 10 A), NTC 2 at 57 °C (temp_max: DCL 10 A), cell 7 at 3.50 V (cell_max: CCL's cap
 * 5 A), cell 8 at 2.95 V (cell_min: DCL's cap 10 A), each back in between. */
static const struct lstep {
    int ntc, cell;    /* NTC 1..6 or cell 1..16 set to value */
    int32_t value;
    bool dcl;         /* the DCL's target, else the CCL's */
    int32_t want_mA;
    uint8_t want_reason;
} lsteps[] = {
    {1, 0, 50, false, 10000, BMS_LIMIT_TEMP_MIN}, {1, 0, 250, false, 25000, BMS_LIMIT_NOMINAL},
    {2, 0, 460, false, 10000, BMS_LIMIT_TEMP_MAX}, {2, 0, 250, false, 25000, BMS_LIMIT_NOMINAL},
    {1, 0, -50, true, 10000, BMS_LIMIT_TEMP_MIN}, {1, 0, 250, true, 30000, BMS_LIMIT_NOMINAL},
    {2, 0, 570, true, 10000, BMS_LIMIT_TEMP_MAX}, {2, 0, 250, true, 30000, BMS_LIMIT_NOMINAL},
    {0, 7, 3500, false, 5000, BMS_LIMIT_CELL_V}, {0, 7, 3300, false, 25000, BMS_LIMIT_NOMINAL},
    {0, 8, 2950, true, 10000, BMS_LIMIT_CELL_V},
};

START_TEST(limits_follow_changed_sample)
{
    struct bms_limits *lim = &R.bms.lim;
    calm_standby();
    ck_assert_int_eq(lim->ccl_target_mA, 25000);
    ck_assert_int_eq(lim->dcl_target_mA, 30000);
    for (size_t i = 0; i < GTX_COUNT(lsteps); i++) {
        const struct lstep *st = &lsteps[i];
        if (st->ntc)
            R.fb.afe.temp_ddegC[st->ntc - 1] = (int16_t)st->value;
        else
            R.fb.afe.cell_mV[st->cell - 1] = (uint16_t)st->value;
        const int32_t *target = st->dcl ? &lim->dcl_target_mA : &lim->ccl_target_mA;
        rig_tick_until(&R, RIG_LATE_QUIET_MS, *target == st->want_mA);
        ck_assert_msg(*target == st->want_mA, "step %zu: %d mA", i, (int)*target);
        ck_assert_int_eq(st->dcl ? lim->dcl_reason : lim->ccl_reason, st->want_reason);
        rig_run(&R, 10000); /* a held sample again */
    }
}
END_TEST

/* The mask both ways, seen through the two caches: a planted verdict (a row counting, a
 * CCL no band gives) survives a minute of the same sample, because it is not judged
 * again; NTC 6 moved by 0.1 °C (ntc_max, which only the rows read) has the rows judged
 * afresh but not the derating; NTC 3 moved by 0.1 °C (temp_max) has both. */
START_TEST(same_sample_not_judged_again)
{
    calm_standby();
    struct bms_diag_slot *row = &R.bms.diag.row[BMS_ROW_A_CELL_OV];
    row->cond = true;
    row->since_ms = R.now;
    R.bms.lim.derated[0].limit_mA = 1234;
    rig_run(&R, 60000);
    ck_assert(row->cond);
    ck_assert(!rig_alarm(&R, BMS_ALARM_CELL_OV));
    ck_assert_int_eq(R.bms.lim.ccl_target_mA, 1234);
    R.fb.afe.temp_ddegC[5] = (int16_t)(R.fb.afe.temp_ddegC[5] + 1);
    rig_tick_until(&R, RIG_LATE_QUIET_MS, !row->cond);
    ck_assert(!row->cond);
    rig_run(&R, 5000);
    ck_assert_int_eq(R.bms.lim.ccl_target_mA, 1234);
    row->cond = true;
    R.fb.afe.temp_ddegC[2] = (int16_t)(R.fb.afe.temp_ddegC[2] + 1);
    rig_tick_until(&R, RIG_LATE_QUIET_MS, R.bms.lim.ccl_target_mA == 25000);
    ck_assert_int_eq(R.bms.lim.ccl_target_mA, 25000);
    ck_assert(!row->cond);
}
END_TEST

/* A restart judges the sample afresh, held or not: cell 7 at 3.60 V raises cell_ov, the
 * pack shuts down and starts again on the same sample, and cell_ov is back within its
 * 1 s trip delay of the start (bms_diag_reset forgets the last judgement). */
START_TEST(restart_judges_held_sample)
{
    calm_standby();
    R.fb.afe.cell_mV[6] = 3600;
    rig_tick_until(&R, 1000 + RIG_LATE_QUIET_MS, rig_alarm(&R, BMS_ALARM_CELL_OV));
    ck_assert(rig_alarm(&R, BMS_ALARM_CELL_OV));
    rig_run(&R, 60000); /* a held sample */
    rig_press(&R, 3000);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_SHUTDOWN);
    rig_run(&R, 2000);
    rig_press(&R, 3000);
    ck_assert_int_ne(rig_st(&R)->state, BMS_STATE_SHUTDOWN);
    ck_assert(!rig_alarm(&R, BMS_ALARM_CELL_OV));
    rig_tick_until(&R, 1000 + RIG_LATE_QUIET_MS, rig_alarm(&R, BMS_ALARM_CELL_OV));
    ck_assert(rig_alarm(&R, BMS_ALARM_CELL_OV));
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE_LOOP("held-sample", changed_quantity_judged_again, 0, GTX_COUNT(qcases)),
    GTX_TEST(ntc6_alone_judged_again),
    GTX_TEST(limits_follow_changed_sample),
    GTX_TEST(same_sample_not_judged_again),
    GTX_TEST(restart_judges_held_sample),
};

int main(void)
{
    return gtx_check_main("bms_sample", tests, GTX_COUNT(tests), 60, NULL, false);
}
