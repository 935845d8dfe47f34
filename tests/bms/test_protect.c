/* test_protect.c: docs/spec/PRODUCT.md §5 against a fake board in 10 ms ticks: every protection
 * R-PR-1..9 and mosfet_ot (no trip at the threshold, none after the trip delay minus
 * one tick, trip at the delay with LEDs, contacts, CAN bits and limits; release only
 * per its hysteresis and delay), the alarms R-PR-10, R-PR-11, the faults R-PR-12, R-PR-13.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "rig.h"

static struct rig R;

enum knob { K_TMAX, K_TMIN, K_TFET, K_CURRENT, K_BATTERY, K_CELLMAX, K_CELLMIN, K_NTC6 };

/* Sets one measured quantity, the others stay nominal. */
static void set_knob(struct rig *r, enum knob k, int32_t v)
{
    switch (k) {
    case K_TMAX: /* NTC 3 hot, the others at 25 °C */
    case K_TMIN:
        r->fb.afe.temp_ddegC[2] = (int16_t)v;
        break;
    case K_TFET:
        r->fb.afe.temp_ddegC[4] = (int16_t)v;
        break;
    case K_NTC6:
        r->fb.afe.temp_ddegC[5] = (int16_t)v;
        break;
    case K_CURRENT:
        r->fb.current_mA = v;
        break;
    case K_BATTERY:
        r->fb.afe.battery_mV = (uint32_t)v;
        break;
    case K_CELLMAX:
    case K_CELLMIN:
        r->fb.afe.cell_mV[6] = (uint16_t)v; /* cell 7 */
        break;
    }
}

struct pcase {
    const char *rule;
    enum knob knob;
    int32_t normal;     /* a nominal value */
    int32_t at;         /* at the threshold: no trip */
    int32_t over;       /* past it: trips after trip_ms */
    int32_t hold;       /* still inside the release hysteresis: no release */
    int32_t back;       /* released after release_ms */
    uint32_t trip_ms, release_ms;
    enum bms_protect_id id;
    enum bms_state state;
    const char *leds;
    bool pchg, pdsg;    /* dry contacts while tripped */
    uint8_t b0, b1;     /* 0x359 bytes 0 and 1 */
    uint8_t enables;    /* 0x35C byte 0 (enable bits) */
};

static const struct pcase cases[] = {
    {"R-PR-1", K_TMAX, 250, 550, 551, 501, 500, 2000, 5000, BMS_PROT_CHARGE_OT,
     BMS_STATE_CHARGE_PROTECT, "01000000", true, false, 0x08, 0, 0x40},
    {"R-PR-2", K_TMIN, 250, -100, -101, -51, -50, 2000, 5000, BMS_PROT_CHARGE_UT,
     BMS_STATE_CHARGE_PROTECT, "01000000", true, false, 0x10, 0, 0x40},
    {"R-PR-3", K_TMAX, 250, 600, 601, 551, 550, 2000, 5000, BMS_PROT_DISCHARGE_OT,
     BMS_STATE_DISCHARGE_PROTECT, "01000000", true, true, 0x08, 0, 0x00},
    {"R-PR-4", K_TMIN, 250, -200, -201, -151, -150, 2000, 5000, BMS_PROT_DISCHARGE_UT,
     BMS_STATE_DISCHARGE_PROTECT, "01000000", true, true, 0x10, 0, 0x00},
    {"R-PR-6", K_BATTERY, 52800, 55999, 56000, 54401, 54400, 2000, 5000, BMS_PROT_PACK_HV,
     BMS_STATE_CHARGE_PROTECT, "01000000", true, false, 0x02, 0, 0x40},
    {"R-PR-7", K_CELLMAX, 3300, 3649, 3650, 3401, 3400, 1000, 5000, BMS_PROT_CELL_OV,
     BMS_STATE_CHARGE_PROTECT, "01000000", true, false, 0x02, 0, 0x40},
    {"R-PR-9", K_CELLMIN, 3300, 2701, 2700, 2999, 3000, 1000, 5000, BMS_PROT_CELL_UV,
     BMS_STATE_UVP, "00000000", false, true, 0x04, 0, 0x80},
    {"mosfet_ot", K_TFET, 250, 900, 901, 851, 850, 2000, 5000, BMS_PROT_MOSFET_OT,
     BMS_STATE_DISCHARGE_PROTECT, "01000000", true, true, 0x08, 0, 0x00},
};

static void check_tripped(const struct pcase *c)
{
    char leds[9];
    const struct bms_status *st = rig_st(&R);
    ck_assert_msg(rig_protect(&R, c->id), "%s: not tripped", c->rule);
    ck_assert_int_eq(st->state, c->state);
    ck_assert_str_eq(rig_leds(&R, leds), c->leds);
    ck_assert_int_eq(st->prohibit_charge, c->pchg);
    ck_assert_int_eq(st->prohibit_discharge, c->pdsg);
    ck_assert_int_eq(R.fb.prohibit_chg, c->pchg);
    ck_assert_int_eq(R.fb.prohibit_dsg, c->pdsg);
    /* the MOSFET of a stopped direction is open, the other stays closed (R-PR-11) */
    ck_assert_int_eq(R.fb.fet_chg, !c->pchg);
    ck_assert_int_eq(R.fb.fet_dsg, !c->pdsg);
    /* limits cut to 0 at once in the stopped direction */
    if (c->pchg)
        ck_assert_int_eq(st->ccl_dA, 0);
    if (c->pdsg)
        ck_assert_int_eq(st->dcl_dA, 0);
    /* the next CAN second carries the bits */
    rig_run(&R, 1000);
    ck_assert_msg(rig_protect(&R, c->id), "%s: released too early", c->rule);
    const struct board_can_frame *f359 = rig_last_frame(&R, 0x359);
    const struct board_can_frame *f35c = rig_last_frame(&R, 0x35C);
    const struct board_can_frame *f351 = rig_last_frame(&R, 0x351);
    ck_assert_ptr_nonnull(f359);
    ck_assert_uint_eq(f359->data[0], c->b0);
    ck_assert_uint_eq(f359->data[1], c->b1);
    ck_assert_uint_eq(f35c->data[0] & 0xC0u, c->enables);
    if (c->pchg)
        ck_assert_uint_eq(f351->data[2] | f351->data[3], 0);
    if (c->pdsg)
        ck_assert_uint_eq(f351->data[4] | f351->data[5], 0);
}

START_TEST(protection_row)
{
    const struct pcase *c = &cases[_i];
    rig_running(&R, 1000, 5000);

    /* at the threshold: never trips */
    set_knob(&R, c->knob, c->at);
    rig_run(&R, 10000);
    ck_assert_msg(!rig_protect(&R, c->id), "%s: tripped at the threshold", c->rule);

    /* past it for the trip delay minus one tick: no trip; the full delay: trip (within
     * the 100 ms task's sampling) */
    set_knob(&R, c->knob, c->over);
    rig_run(&R, c->trip_ms);
    ck_assert_msg(!rig_protect(&R, c->id), "%s: tripped one tick early", c->rule);
    rig_tick_until(&R, RIG_LATE_MS, rig_protect(&R, c->id));
    check_tripped(c);

    /* inside the hysteresis: holds */
    set_knob(&R, c->knob, c->hold);
    rig_run(&R, 20000);
    ck_assert_msg(rig_protect(&R, c->id), "%s: released inside the hysteresis", c->rule);

    /* back: releases after the release delay, not a tick before */
    set_knob(&R, c->knob, c->back);
    rig_run(&R, c->release_ms);
    ck_assert_msg(rig_protect(&R, c->id), "%s: released one tick early", c->rule);
    rig_tick_until(&R, RIG_LATE_MS, !rig_protect(&R, c->id));
    ck_assert_msg(!rig_protect(&R, c->id), "%s: not released", c->rule);
    set_knob(&R, c->knob, c->normal);
    ck_assert_int_eq(rig_run_state(&R, 10000), BMS_STATE_STANDBY);
    ck_assert_int_eq(rig_st(&R)->protect_mask, 0);
}
END_TEST

/* The names in the event log come from the X-macro list. */
START_TEST(protection_logged)
{
    rig_running(&R, 0, 5000);
    set_knob(&R, K_TMAX, 551);
    rig_run(&R, 3000);
    ck_assert(rig_logged(&R, "protect.charge_ot"));
    ck_assert(rig_logged(&R, "alarm.charge_ot"));
    ck_assert(rig_logged(&R, "state.charge_protect"));
    set_knob(&R, K_TMAX, 250);
    rig_run(&R, 6000);
    ck_assert(rig_logged(&R, "protect_end.charge_ot"));
}
END_TEST

/* A timed edge: after ms the bit of mask is still `before`, and it flips within late_ms
 * (RIG_LATE_MS, or RIG_LATE_QUIET_MS when the change comes in a calm standby). */
static void assert_edge_late(uint32_t ms, uint32_t late_ms, const uint32_t *mask, unsigned bit,
                             bool before)
{
    rig_run(&R, ms);
    ck_assert_int_eq((*mask >> bit) & 1u, before);
    rig_tick_until(&R, late_ms, ((*mask >> bit) & 1u) != before);
    ck_assert_int_eq((*mask >> bit) & 1u, !before);
}

static void assert_edge(uint32_t ms, const uint32_t *mask, unsigned bit, bool before)
{
    assert_edge_late(ms, RIG_LATE_MS, mask, bit, before);
}

/* R-PR-5: |I| > 50 A for 1 s; released 60 s after the trip, in either direction. */
START_TEST(r_pr_5)
{
    for (int dir = 0; dir < 2; dir++) {
        int32_t sign = dir ? -1 : 1;
        enum bms_protect_id id =
            dir ? BMS_PROT_OVERCURRENT_DISCHARGE : BMS_PROT_OVERCURRENT_CHARGE;
        rig_running(&R, 0, 5000);
        R.fb.current_mA = sign * 50000;
        rig_run(&R, 5000);
        ck_assert(!rig_protect(&R, id));
        R.fb.current_mA = sign * 50001;
        assert_edge(1000, &rig_st(&R)->protect_mask, id, false);
        ck_assert_int_eq(rig_st(&R)->state,
                         dir ? BMS_STATE_DISCHARGE_PROTECT : BMS_STATE_CHARGE_PROTECT);
        ck_assert_int_eq(R.fb.fet_chg, dir == 1);
        ck_assert_int_eq(R.fb.fet_dsg, dir == 0);
        R.fb.current_mA = 0;
        rig_run(&R, 1000);
        const struct board_can_frame *f = rig_last_frame(&R, 0x359);
        ck_assert_uint_eq(dir ? f->data[0] : f->data[1], dir ? 0x80 : 0x01);
        assert_edge(58990, &rig_st(&R)->protect_mask, id, true);
    }
}
END_TEST

/* R-PR-8: battery <= 45.6 V for 2 s -> UVP; released by charge current >= 0.5 A or
 * by battery >= 48.0 V, at once. */
START_TEST(r_pr_8)
{
    char leds[9];
    for (int how = 0; how < 2; how++) {
        rig_running(&R, 0, 5000);
        R.fb.afe.battery_mV = 45601;
        rig_run(&R, 10000);
        ck_assert(!rig_protect(&R, BMS_PROT_PACK_LV));
        R.fb.afe.battery_mV = 45600;
        assert_edge(2000, &rig_st(&R)->protect_mask, BMS_PROT_PACK_LV, false);
        ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_UVP);
        ck_assert_str_eq(rig_leds(&R, leds), "00000000");
        ck_assert_int_eq(rig_st(&R)->soc_pptt, 0); /* §13: recalibrated to 0 % */
        ck_assert(R.fb.fet_chg && !R.fb.fet_dsg);
        ck_assert(!R.fb.prohibit_chg && R.fb.prohibit_dsg);
        rig_run(&R, 1000);
        ck_assert_uint_eq(rig_last_frame(&R, 0x359)->data[0], 0x04);
        ck_assert_uint_eq(rig_last_frame(&R, 0x35C)->data[0] & 0xC0u, 0x80);
        if (how == 0) {
            R.fb.afe.battery_mV = 47999;
            rig_run(&R, 10000);
            ck_assert(rig_protect(&R, BMS_PROT_PACK_LV));
            R.fb.afe.battery_mV = 48000;
        } else {
            R.fb.current_mA = 499;
            rig_run(&R, 10000);
            ck_assert(rig_protect(&R, BMS_PROT_PACK_LV));
            R.fb.current_mA = 500;
        }
        rig_tick_until(&R, RIG_LATE_MS, !rig_protect(&R, BMS_PROT_PACK_LV));
        ck_assert(!rig_protect(&R, BMS_PROT_PACK_LV));
        ck_assert_int_ne(rig_st(&R)->state, BMS_STATE_UVP);
    }
}
END_TEST

/* R-PR-8 without chatter (the [decision] beside R-PR-8): released by the charge current
 * while the battery is still <= 45.6 V (a deep-discharged pack being recharged), the
 * protection stays released as long as the charge goes on; it trips again 2 s after the
 * charge stops with the battery still low. It re-tripped every 2.1 s, for 100 ms each. */
START_TEST(r_pr_8_charge_no_chatter)
{
    rig_running(&R, 0, 5000);
    R.fb.afe.battery_mV = 44000;
    rig_run(&R, 2000);
    rig_tick_until(&R, RIG_LATE_QUIET_MS, rig_protect(&R, BMS_PROT_PACK_LV));
    ck_assert(rig_protect(&R, BMS_PROT_PACK_LV));
    R.fb.current_mA = 20000;
    unsigned changes = 0;
    bool was = true;
    for (uint32_t t = 0; t < 60000; t += TICK_MS) {
        rig_tick(&R);
        bool now = rig_protect(&R, BMS_PROT_PACK_LV);
        changes += now != was;
        was = now;
    }
    ck_assert(!was);
    ck_assert_uint_eq(changes, 1);
    R.fb.current_mA = 0;
    rig_run(&R, 1900);
    ck_assert(!rig_protect(&R, BMS_PROT_PACK_LV));
    rig_tick_until(&R, 100 + RIG_LATE_QUIET_MS, rig_protect(&R, BMS_PROT_PACK_LV));
    ck_assert(rig_protect(&R, BMS_PROT_PACK_LV));
}
END_TEST

/* R-PR-10: alarms 5 °C / 50 mV / 5 A before each limit, same delay, no current stop. */
struct acase {
    enum knob knob;
    int32_t at, over, hold, back;
    uint32_t trip_ms;
    enum bms_alarm_id id;
};

static const struct acase alarms[] = {
    {K_TMAX, 500, 501, 451, 450, 2000, BMS_ALARM_CHARGE_OT},
    {K_TMIN, -50, -51, -1, 0, 2000, BMS_ALARM_CHARGE_UT},
    {K_TMAX, 550, 551, 501, 500, 2000, BMS_ALARM_DISCHARGE_OT},
    {K_TMIN, -150, -151, -101, -100, 2000, BMS_ALARM_DISCHARGE_UT},
    {K_CURRENT, 45000, 45001, 40001, 40000, 1000, BMS_ALARM_OVERCURRENT_CHARGE},
    {K_CURRENT, -45000, -45001, -40001, -40000, 1000, BMS_ALARM_OVERCURRENT_DISCHARGE},
    {K_BATTERY, 55949, 55950, 55901, 55900, 2000, BMS_ALARM_PACK_HV},
    {K_CELLMAX, 3599, 3600, 3551, 3550, 1000, BMS_ALARM_CELL_OV},
    {K_BATTERY, 45651, 45650, 45699, 45700, 2000, BMS_ALARM_PACK_LV},
    {K_CELLMIN, 2751, 2750, 2799, 2800, 1000, BMS_ALARM_CELL_UV},
    {K_TFET, 850, 851, 801, 800, 2000, BMS_ALARM_MOSFET_OT},
};

START_TEST(r_pr_10)
{
    const struct acase *a = &alarms[_i];
    rig_running(&R, 0, 5000);
    set_knob(&R, a->knob, a->at);
    rig_run(&R, 10000);
    ck_assert_msg(!rig_alarm(&R, a->id), "alarm %s at threshold", bms_alarm_name(a->id));
    set_knob(&R, a->knob, a->over);
    rig_run(&R, a->trip_ms);
    ck_assert(!rig_alarm(&R, a->id));
    rig_tick_until(&R, RIG_LATE_MS, rig_alarm(&R, a->id));
    ck_assert_msg(rig_alarm(&R, a->id), "alarm %s not raised", bms_alarm_name(a->id));
    /* a flag only: its own protection is not active (a neighbouring one may be) */
    ck_assert(!rig_protect(&R, (enum bms_protect_id)a->id));
    if (rig_st(&R)->protect_mask == 0)
        ck_assert(R.fb.fet_chg && R.fb.fet_dsg);
    set_knob(&R, a->knob, a->hold);
    rig_run(&R, 20000);
    ck_assert(rig_alarm(&R, a->id));
    set_knob(&R, a->knob, a->back);
    assert_edge(5000, &rig_st(&R)->alarm_mask, a->id, true);
}
END_TEST

/* R-PR-10, R-MT-1: storage_temp, out of -10..45 °C for more than an hour. */
START_TEST(r_pr_10_storage_temp)
{
    rig_running(&R, 0, 5000);
    set_knob(&R, K_TMAX, 451); /* in a calm standby: seen at the AFE's next scan */
    assert_edge_late(3600000, RIG_LATE_QUIET_MS, &rig_st(&R)->alarm_mask,
                     BMS_ALARM_STORAGE_TEMP, false);
    set_knob(&R, K_TMAX, 250);
    assert_edge(5000, &rig_st(&R)->alarm_mask, BMS_ALARM_STORAGE_TEMP, true);
}
END_TEST

/* R-SOC-3: after 90 % DOD (SOC shown <= 10 %) storage_time is raised when the recharge
 * window is used up: 15 days disconnected at up to 25 °C, 7 days above, 12 h with the
 * inverter's heartbeat. Charging pauses the count; SOC above 10 % clears it. */
struct scase {
    int32_t tmax_ddegC;
    bool connected;
    uint32_t window_s;
};

static const struct scase storage[] = {
    {250, false, 15u * 86400u},
    {251, false, 7u * 86400u},
    {250, true, 12u * 3600u},
};

static void storage_run(const struct scase *c, uint32_t seconds)
{
    struct board_can_frame hb = {.id = 0x305, .dlc = 0};
    for (uint32_t s = 0; s < seconds; s++) {
        if (c->connected)
            fake_board_can_push(&R.fb, &hb);
        rig_run(&R, 1000);
    }
}

START_TEST(r_soc_3)
{
    const struct scase *c = &storage[_i];
    const double whole = (double)(1u << 30);
    rig_running(&R, 0, 1000); /* 10 %: 90 % DOD */
    set_knob(&R, K_TMAX, c->tmax_ddegC);
    storage_run(c, 3600); /* an hour uses 3600 s / window of it */
    double want = 3600.0 / c->window_s;
    ck_assert_double_eq_tol(R.bms.storage_used / whole, want, want * 0.002);
    uint32_t used = R.bms.storage_used;
    R.fb.current_mA = 1000; /* being recharged: the count pauses */
    storage_run(c, 60);
    ck_assert_uint_eq(R.bms.storage_used, used);
    R.fb.current_mA = 0;
    /* fast-forward to one minute before the end of the window */
    R.bms.storage_used = (uint32_t)(whole - whole * 60.0 / c->window_s);
    storage_run(c, 60); /* used up, not yet exceeded */
    ck_assert(!rig_alarm(&R, BMS_ALARM_STORAGE_TIME));
    storage_run(c, 2);
    ck_assert(rig_alarm(&R, BMS_ALARM_STORAGE_TIME));
    ck_assert(rig_logged(&R, "alarm.storage_time"));
    bms_set_soc_estimate(&R.bms, 1100); /* recharged above 10 % */
    storage_run(c, 2);
    ck_assert(!rig_alarm(&R, BMS_ALARM_STORAGE_TIME));
    ck_assert_uint_eq(R.bms.storage_used, 0);
}
END_TEST

/* R-PR-11: the other direction stays allowed (cell_ov stops charge only; an
 * overcurrent discharge stops discharge only). */
START_TEST(r_pr_11)
{
    rig_running(&R, 0, 5000);
    R.fb.afe.cell_mV[3] = 3650; /* 1 s, from a calm standby */
    rig_run(&R, 1000 + RIG_LATE_QUIET_MS);
    ck_assert(rig_protect(&R, BMS_PROT_CELL_OV));
    ck_assert(!R.fb.fet_chg && R.fb.fet_dsg);
    ck_assert_int_eq(rig_st(&R)->dcl_dA, 300);
    ck_assert(rig_st(&R)->discharge_enable && !rig_st(&R)->charge_enable);
    /* discharging during charge protection keeps the protection state */
    R.fb.current_mA = -10000;
    ck_assert_int_eq(rig_run_state(&R, 1000), BMS_STATE_CHARGE_PROTECT);

    rig_running(&R, 0, 5000);
    R.fb.current_mA = -60000;
    rig_run(&R, 1500);
    R.fb.current_mA = 3000;
    rig_run(&R, 5000);
    ck_assert(rig_protect(&R, BMS_PROT_OVERCURRENT_DISCHARGE));
    ck_assert(R.fb.fet_chg && !R.fb.fet_dsg);
    ck_assert(rig_st(&R)->charge_enable && !rig_st(&R)->discharge_enable);
    ck_assert_int_gt(rig_st(&R)->ccl_dA, 0);
}
END_TEST

/* R-PR-12: faults after their delay stop both directions and need a restart. */
struct fcase {
    enum knob knob;
    int32_t at, over;
    uint32_t trip_ms;
    enum bms_fault_id id;
};

static const struct fcase faults[] = {
    {K_NTC6, -400, -401, 2000, BMS_FAULT_NTC},
    {K_NTC6, 1200, 1201, 2000, BMS_FAULT_NTC},
    {K_CELLMIN, 1000, 999, 2000, BMS_FAULT_SENSE},
    {K_CELLMAX, 5000, 5001, 2000, BMS_FAULT_SENSE},
    {K_CELLMIN, 2000, 1999, 5000, BMS_FAULT_OVERDISCHARGE},
};

START_TEST(r_pr_12)
{
    const struct fcase *f = &faults[_i];
    char leds[9];
    rig_running(&R, 0, 5000);
    set_knob(&R, f->knob, f->at);
    rig_run(&R, 10000);
    ck_assert(!rig_fault(&R, f->id));
    rig_press(&R, 3000); /* restart: UVP or protections of the at-value are cleared */
    set_knob(&R, K_CELLMIN, 3300);
    set_knob(&R, K_NTC6, 250);
    rig_run(&R, 2000);
    rig_press(&R, 3000);
    ck_assert_int_eq(rig_run_state(&R, 6000), BMS_STATE_STANDBY);

    set_knob(&R, f->knob, f->over);
    assert_edge(f->trip_ms, &rig_st(&R)->fault_mask, f->id, false);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_FAULT);
    ck_assert_str_eq(rig_leds(&R, leds), "01000000");
    ck_assert(!R.fb.fet_chg && !R.fb.fet_dsg);
    ck_assert(R.fb.prohibit_chg && R.fb.prohibit_dsg);
    rig_run(&R, 1000);
    const struct board_can_frame *f351 = rig_last_frame(&R, 0x351);
    for (int i = 2; i < 6; i++)
        ck_assert_uint_eq(f351->data[i], 0);
    ck_assert_uint_eq(rig_last_frame(&R, 0x35C)->data[0] & 0xC0u, 0);
    ck_assert_uint_eq(rig_last_frame(&R, 0x359)->data[1] & 0x08u, 0x08);
    /* cause removed: still a fault until restarted */
    set_knob(&R, K_CELLMIN, 3300);
    set_knob(&R, K_NTC6, 250);
    rig_run(&R, 60000);
    ck_assert(rig_fault(&R, f->id));
    rig_press(&R, 3000);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_SHUTDOWN);
    rig_run(&R, 2000);
    rig_press(&R, 3000);
    rig_run(&R, 5000);
    ck_assert(!rig_fault(&R, f->id));
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_STANDBY);
}
END_TEST

/* R-PR-12 fet: > 2 A through a MOSFET commanded off for at least 1 s. */
START_TEST(r_pr_12_fet)
{
    rig_running(&R, 0, 5000);
    R.fb.afe.cell_mV[0] = 3650; /* cell_ov opens the charge MOSFET (1 s, from a calm standby) */
    rig_run(&R, 1000 + RIG_LATE_QUIET_MS);
    ck_assert(!R.fb.fet_chg);
    R.fb.current_mA = 2000;
    rig_run(&R, 10000);
    ck_assert(!rig_fault(&R, BMS_FAULT_FET));
    R.fb.current_mA = 2001;
    assert_edge(1000, &rig_st(&R)->fault_mask, BMS_FAULT_FET, false);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_FAULT);
}
END_TEST

/* R-PR-13: UVP for 10 min, then shutdown; below 40 V the button is ignored and a
 * charger of >= 51 V on the terminals starts the pack. */
START_TEST(r_pr_13)
{
    rig_running(&R, 0, 5000);
    R.fb.afe.battery_mV = 45000; /* in a calm standby: seen at the AFE's next scan */
    rig_run(&R, 2000);
    rig_tick_until(&R, RIG_LATE_QUIET_MS, rig_st(&R)->state == BMS_STATE_UVP);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_UVP);
    ck_assert_int_eq(rig_run_state(&R, 599990), BMS_STATE_UVP);
    ck_assert(R.fb.power_hold);
    rig_tick_until(&R, RIG_LATE_MS, rig_st(&R)->state != BMS_STATE_UVP);
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_SHUTDOWN);
    ck_assert(!R.fb.power_hold);
    ck_assert(!R.fb.fet_chg && !R.fb.fet_dsg);
    ck_assert_uint_eq(R.fb.leds, 0);
    ck_assert(rig_logged(&R, "shutdown"));
    unsigned sent = R.fb.sent_count;
    rig_run(&R, 5000);
    ck_assert_uint_eq(R.fb.sent_count, sent); /* CAN stopped */

    /* the cells sag below 40 V: the button does nothing */
    R.fb.afe.battery_mV = 39999;
    R.fb.afe.pack_mV = 39999;
    rig_press(&R, 5000);
    ck_assert_int_eq(rig_run_state(&R, 1000), BMS_STATE_SHUTDOWN);
    R.fb.afe.pack_mV = 50999;
    ck_assert_int_eq(rig_run_state(&R, 1000), BMS_STATE_SHUTDOWN);
    R.fb.afe.pack_mV = 51000;
    rig_tick(&R); /* the wake circuit: at once */
    ck_assert_int_eq(rig_st(&R)->state, BMS_STATE_STARTUP);
    ck_assert(R.fb.power_hold);
}
END_TEST

/* A protection can be disabled by editing a copy of the one table. */
START_TEST(table_row_disable)
{
    rig_init(&R, 0);
    R.cfg.diag[BMS_ROW_P_CHARGE_OT].enabled = false;
    rig_start(&R, 5000);
    set_knob(&R, K_TMAX, 560);
    rig_run(&R, 10000);
    ck_assert(!rig_protect(&R, BMS_PROT_CHARGE_OT));
    ck_assert(rig_alarm(&R, BMS_ALARM_CHARGE_OT));
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("R-PR-5", r_pr_5),
    GTX_CASE("R-PR-8", r_pr_8),
    GTX_CASE("R-PR-8 charge, no chatter", r_pr_8_charge_no_chatter),
    GTX_CASE_LOOP("R-PR-10", r_pr_10, 0, GTX_COUNT(alarms)),
    GTX_CASE("R-PR-10-storage-temp", r_pr_10_storage_temp),
    GTX_CASE_LOOP("R-SOC-3", r_soc_3, 0, GTX_COUNT(storage)),
    GTX_CASE("R-PR-11", r_pr_11),
    GTX_CASE_LOOP("R-PR-12", r_pr_12, 0, GTX_COUNT(faults)),
    GTX_CASE("R-PR-12-fet", r_pr_12_fet),
    GTX_CASE("R-PR-13", r_pr_13),
    GTX_CASE("protect-log", protection_logged),
    GTX_CASE("table-disable", table_row_disable),
};

int main(void)
{
    Suite *s = suite_create("bms_protect");
    for (int i = 0; i < (int)GTX_COUNT(cases); i++) { /* one test case per row, named by it */
        TCase *tc = tcase_create(cases[i].rule);
        tcase_add_loop_test(tc, protection_row, i, i + 1);
        suite_add_tcase(s, tc);
    }
    gtx_check_add(s, tests, GTX_COUNT(tests), 120, NULL);
    return gtx_check_run(s, false, NULL);
}
