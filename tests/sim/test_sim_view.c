/* test_sim_view: the observation API (gtx/sim_view.h) and the write functions
 * of gtx/sim.h seen from outside src/sim, as the window and the runner use them:
 * configuration values and trips read from the firmware's table, the event cursor and its
 * names, and writes that re-synchronise the plant by themselves.
 * Argument: the default cell file (assets/cells/lfp50.json).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/bms_config.h"
#include "gtx/scn_run.h"
#include "gtx/sim.h"
#include "gtx/sim_view.h"
#include "cell_arg.h"
#include "check_main.h"

static struct cell_params cell;

/* One pack at 50 %, 25 °C, off (on = false) or running, with the default
 * inverter or none. */
static struct sim *system_of(bool on, bool inverter, const struct bms_config *table)
{
    char text[512], err[SCN_ERR_MAX];
    snprintf(text, sizeof text,
             "{\"format\": \"gtxsim-scenario/1\", \"name\": \"view\", \"duration\": \"1h\","
             " \"packs\": [{\"soc\": 50, \"on\": %s}]%s}",
             on ? "true" : "false", inverter ? "" : ", \"inverter\": null");
    struct scn_scenario scn;
    ck_assert_msg(scn_load_text("view.json", text, strlen(text), &scn, err, sizeof err) == 0,
                  "%s", err);
    struct sim_config cfg;
    scn_sim_config(&scn, &cell, table, &cfg);
    struct sim *s = sim_new(&cfg);
    scn_free(&scn);
    ck_assert_ptr_nonnull(s);
    return s;
}

static struct sim *one_pack(bool on, const struct bms_config *table)
{
    return system_of(on, true, table);
}

/* R-BT-1's hold time comes from the firmware's table the sim runs, not from a
 * copy in the window. */
START_TEST(test_button_hold_from_the_table)
{
    struct sim *s = one_pack(false, NULL);
    ck_assert_uint_eq(sim_view_button_hold_ms(s), 3000u); /* R-BT-1: 3 s */
    sim_free(s);
    struct bms_config table = bms_config_default;
    table.button_hold_ms = 4500u;
    s = one_pack(false, &table);
    ck_assert_uint_eq(sim_view_button_hold_ms(s), 4500u);
    sim_free(s);
}
END_TEST

/* The campaign's checker reads trips and delays through the view, in SI units,
 * from the table the system runs, whether a row is switched on or not
 * (R-PR-1, R-PR-7, R-PR-12's fet fault and its 1 s settle). */
START_TEST(test_trips_from_the_table)
{
    struct bms_config *table = sim_table_new();
    ck_assert_ptr_nonnull(table);
    sim_table_disable_protection(table, BMS_PROT_CELL_OV);
    struct sim *s = one_pack(false, table);
    struct sim_trip t;
    ck_assert(sim_view_protect_trip(s, BMS_PROT_CELL_OV, &t));
    ck_assert_double_eq_tol(t.trip, 3.65, 1e-12);
    ck_assert_uint_eq(t.delay_ms, 1000u);
    ck_assert(t.stops_charge && !t.stops_discharge);
    ck_assert(sim_view_protect_trip(s, BMS_PROT_CHARGE_UT, &t));
    ck_assert_double_eq_tol(t.trip, -10.0, 1e-12); /* -100 in 0.1 °C */
    ck_assert_uint_eq(t.delay_ms, 2000u);
    ck_assert(sim_view_protect_trip(s, BMS_PROT_MOSFET_OT, &t));
    ck_assert(t.stops_charge && t.stops_discharge);
    ck_assert(sim_view_fault_trip(s, BMS_FAULT_FET, &t));
    ck_assert_double_eq_tol(t.trip, 2.0, 1e-12); /* 2000 mA */
    ck_assert(t.stops_charge && t.stops_discharge);
    ck_assert_uint_eq(sim_view_fet_settle_ms(s), 1000u);
    ck_assert_uint_eq(sim_view_link_lost_ms(s), 2000u); /* R-PR-10 decision: 2 s */
    ck_assert(!sim_view_protect_trip(s, BMS_PROT_COUNT, &t));
    ck_assert(!sim_view_protect_trip(s, -1, &t));
    sim_free(s);
    sim_table_free(table);
}
END_TEST

/* A 3.5 s press starts a shut-down pack (R-BT-1): the cursor yields "start"
 * stamped after the press, and a second cursor that already read everything
 * yields only what came later. */
START_TEST(test_event_cursor_names)
{
    struct sim *s = one_pack(false, NULL);
    struct sim_event_cursor all, late;
    struct sim_event e;
    char name[SIM_EVENT_NAME_MAX];
    sim_view_events_begin(s, 0, &late);
    sim_run_until(s, 1000);
    ck_assert(!sim_view_event_next(s, &late, &e)); /* nothing happened yet */
    sim_set_button(s, 0, true);
    sim_run_until(s, 4500);
    sim_set_button(s, 0, false);
    sim_run_until(s, 12000);
    sim_view_events_begin(s, 0, &all);
    bool start = false;
    int n = 0;
    while (sim_view_event_next(s, &all, &e)) {
        sim_event_name(&e, name, sizeof name);
        n++;
        if (strcmp(name, "start") == 0) {
            start = true;
            ck_assert_uint_ge(e.t_ms, 4000u); /* held 3 s from 1 s */
            ck_assert_uint_le(e.t_ms, 4600u);
        }
    }
    ck_assert_msg(start, "no \"start\" event after a 3.5 s press");
    while (sim_view_event_next(s, &late, &e))
        n--;
    ck_assert_int_eq(n, 0); /* the same events through both cursors */
    /* Shut it down: only the new events come out of the cursor that is at the end. */
    sim_set_button(s, 0, true);
    sim_run_until(s, 16000);
    sim_set_button(s, 0, false);
    sim_run_until(s, 25000);
    bool shutdown = false;
    while (sim_view_event_next(s, &all, &e)) {
        ck_assert_uint_ge(e.t_ms, 12000u);
        sim_event_name(&e, name, sizeof name);
        shutdown |= strcmp(name, "shutdown") == 0;
    }
    ck_assert_msg(shutdown, "no \"shutdown\" event after the second press");
    sim_free(s);
}
END_TEST

/* A fault injected between two plant steps reaches the firmware at the next
 * tick: sim_inject_fault re-synchronises the plant and the sensor scan itself
 * (no sim_touch). An open NTC 1 reads far below the pack's 25 °C. */
START_TEST(test_fault_resyncs_by_itself)
{
    struct sim *s = one_pack(true, NULL);
    sim_run_until(s, 1050); /* the plant last stepped at 1000 ms, next due at 1100 */
    int before = sim_view_status(s, 0)->temp_min_ddegC;
    ck_assert_int_ge(before, 200);
    struct sim_fault f = {.kind = SIM_FAULT_NTC_OPEN, .pack = 0, .where = 1};
    sim_inject_fault(s, &f);
    /* the firmware reads its AFE in its 100 ms task, once a second in a calm standby
     * (docs/firmware.md): seen at the latest one quiet scan and one task later */
    int after = before;
    for (int i = 0; i < 110 && after >= before - 100; i++) {
        sim_step(s);
        after = sim_view_status(s, 0)->temp_min_ddegC;
    }
    ck_assert_msg(after < before - 100, "NTC 1 open not seen within 1.1 s: %d -> %d",
                  before, after);
    sim_clear_fault(s, &f);
    for (int i = 0; i < 110 && sim_view_status(s, 0)->temp_min_ddegC < 200; i++)
        sim_step(s);
    ck_assert_int_ge(sim_view_status(s, 0)->temp_min_ddegC, 200);
    sim_free(s);
}
END_TEST

/* The inverter's set-point and settings through sim_inverter_set, seen in the
 * view; false without an inverter. */
START_TEST(test_inverter_set)
{
    struct sim *s = one_pack(true, NULL);
    const struct inverter *inv = sim_view_inverter(s);
    ck_assert_ptr_nonnull(inv);
    ck_assert_int_eq(inv->sp, INV_SP_IDLE); /* docs/spec/SCENARIO.md: it starts idle */
    struct inv_settings set = inv->set;
    set.mode = INV_MODE_MANUAL;
    ck_assert(sim_inverter_set(s, &set, SIM_DEMAND_POWER, 500.0));
    ck_assert_int_eq(inv->sp, INV_SP_POWER);
    ck_assert_double_eq(inv->sp_power_w, 500.0);
    ck_assert_int_eq(inv->set.mode, INV_MODE_MANUAL);
    ck_assert(sim_inverter_set(s, NULL, SIM_DEMAND_IDLE, 0.0));
    ck_assert_int_eq(inv->sp, INV_SP_IDLE);
    ck_assert_int_eq(inv->set.mode, INV_MODE_MANUAL); /* NULL kept the settings */
    sim_free(s);
    s = system_of(true, false, NULL);
    ck_assert_ptr_null(sim_view_inverter(s));
    ck_assert(!sim_inverter_set(s, NULL, SIM_DEMAND_POWER, 500.0));
    sim_free(s);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("sim_view", test_button_hold_from_the_table),
    GTX_CASE("sim_view", test_trips_from_the_table),
    GTX_TEST(test_event_cursor_names),
    GTX_TEST(test_fault_resyncs_by_itself),
    GTX_TEST(test_inverter_set),
};

int main(int argc, char **argv)
{
    return gtx_check_main_cell("sim_view", tests, GTX_COUNT(tests), 60, argc, argv, &cell);
}
