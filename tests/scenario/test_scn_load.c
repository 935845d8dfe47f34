/* test_scn_load: the scenario loader on valid files (every key lands in the
 * right field, defaults of SCENARIO.md, events sorted stably), durations,
 * names, the wall clock, and a few exact error messages.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/bms_ids.h"
#include "gtx/scenario.h"

static struct scn_scenario scn;
static char err[SCN_ERR_MAX];

static void load_file(const char *rel)
{
    const char *dir = getenv("SCN_TEST_DIR");
    ck_assert_ptr_nonnull(dir);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    ck_assert_msg(scn_load(path, &scn, err, sizeof err) == 0, "%s", err);
}

static int load_text(const char *text)
{
    return scn_load_text("dir/t.json", text, strlen(text), &scn, err, sizeof err);
}

#define HEAD "{\"format\": \"gtxsim-scenario/1\", \"duration\": \"6h\", "

/* ---- durations ---- */

static const struct {
    const char *text;
    double seconds;
} good_durations[] = {
    {"250ms", 0.25}, {"3.5s", 3.5}, {"10m", 600}, {"2h", 7200}, {"30d", 2592000},
    {"0.5ms", 0.0005}, {"400d", 34560000}, {"0s", 0}, {"1.25h", 4500},
};

START_TEST(durations_parse)
{
    double s = -1;
    ck_assert_int_eq(scn_duration_parse(good_durations[_i].text, &s), 0);
    ck_assert_double_eq_tol(s, good_durations[_i].seconds, 1e-12);
}
END_TEST

static const char *const bad_durations[] = {
    "10", "5x", "-5s", "", "s", "1.s", ".5s", "1e3s", " 1s", "1s ", "1 s", "1S", "1hr",
    "+1s", "1,5s", "1.2.3s", "ms", "1sm",
};

START_TEST(durations_reject)
{
    double s = 42;
    ck_assert_int_eq(scn_duration_parse(bad_durations[_i], &s), -1);
    ck_assert(s == 42);
}
END_TEST

/* On the command line a bare number is seconds, as a JSON number is in a
 * scenario; every string form is the same as in a scenario. */
START_TEST(durations_on_the_command_line)
{
    static const struct {
        const char *text;
        double seconds;
    } bare[] = {{"300", 300}, {"0", 0}, {"0.5", 0.5}, {"86400", 86400}};
    double s = -1;
    for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++) {
        ck_assert_int_eq(scn_duration_parse_arg(bare[i].text, &s), 0);
        ck_assert_double_eq_tol(s, bare[i].seconds, 1e-12);
    }
    for (size_t i = 0; i < sizeof good_durations / sizeof good_durations[0]; i++) {
        ck_assert_int_eq(scn_duration_parse_arg(good_durations[i].text, &s), 0);
        ck_assert_double_eq_tol(s, good_durations[i].seconds, 1e-12);
    }
    for (size_t i = 0; i < sizeof bad_durations / sizeof bad_durations[0]; i++) {
        if (strcmp(bad_durations[i], "10") == 0)
            continue; /* the one string a scenario refuses: write 10 or "10s" there */
        s = 42;
        ck_assert_msg(scn_duration_parse_arg(bad_durations[i], &s) == -1, "'%s' accepted",
                      bad_durations[i]);
        ck_assert(s == 42);
    }
    ck_assert_int_eq(scn_duration_parse_arg("-5", &s), -1);
    ck_assert_int_eq(scn_duration_parse_arg("1.", &s), -1);
    ck_assert_int_eq(scn_duration_parse_arg("1e3", &s), -1);
}
END_TEST

START_TEST(durations_format)
{
    char b[32];
    static const struct {
        double s;
        const char *text;
    } cases[] = {{0.25, "250ms"}, {1.5, "1.5s"}, {90, "90s"}, {5400, "90m"}, {7200, "2h"},
                 {2592000, "30d"}, {21600, "6h"}, {0.001, "1ms"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scn_duration_format(cases[i].s, b, sizeof b);
        ck_assert_str_eq(b, cases[i].text);
    }
}
END_TEST

/* ---- a file with every key ---- */

START_TEST(full_top_level_packs_link_inverter)
{
    load_file("good/full.json");
    ck_assert_str_eq(scn.name, "everything");
    ck_assert_str_eq(scn.description, "Every key of SCENARIO.md once: 55 °C → 50 °C.");
    ck_assert_uint_eq(scn.seed, 7);
    ck_assert_int_eq(scn.start.year, 2026);
    ck_assert_int_eq(scn.start.month, 7);
    ck_assert_int_eq(scn.start.hour, 12);
    ck_assert(scn.start_epoch_s == 1782907200);
    ck_assert(scn.duration_s == 172800);
    ck_assert(scn.ambient_c == 30);
    ck_assert_int_eq(scn.pack_count, 2);

    const struct scn_pack *p = &scn.packs[0];
    ck_assert(p->soc == 40 && p->temperature_c == 20 && p->on && p->bms_soc == 45);
    ck_assert(p->cycles == 120);
    ck_assert(p->spread.capacity_pct == 2.0 && p->spread.resistance_pct == 6.0);
    ck_assert(p->spread.soc_pct == 1.0 && p->spread.self_discharge_pct == 20);
    ck_assert_uint_eq(p->cell[6].set, SCN_CELL_SET_SOC | SCN_CELL_SET_CAPACITY |
                                          SCN_CELL_SET_RESISTANCE | SCN_CELL_SET_TEMPERATURE);
    ck_assert(p->cell[6].soc == 30 && p->cell[6].capacity_ah == 45);
    ck_assert(p->cell[6].resistance_factor == 2.0 && p->cell[6].temperature_c == 40);
    ck_assert_uint_eq(p->cell[15].set, SCN_CELL_SET_SOC);
    ck_assert_uint_eq(p->cell[0].set, 0);

    /* Pack 2: every default, the temperature from ambient_c, bms_soc from soc. */
    p = &scn.packs[1];
    ck_assert(p->soc == 50 && p->temperature_c == 30 && !p->on && p->bms_soc == 50);
    ck_assert(p->spread.capacity_pct == 1.0 && p->spread.resistance_pct == 5.0);
    ck_assert(p->spread.soc_pct == 0.5 && p->spread.self_discharge_pct == 30);

    ck_assert_int_eq(scn.link.kind, SCN_LINK_CABLES);
    ck_assert_int_eq(scn.link.cable_count, 1);
    ck_assert_int_eq(scn.link.cable[0].a.pack, 1);
    ck_assert_int_eq(scn.link.cable[0].a.side, SCN_PORT_OUT);
    ck_assert_int_eq(scn.link.cable[0].b.pack, 2);
    ck_assert_int_eq(scn.link.cable[0].b.side, SCN_PORT_IN);

    ck_assert(scn.has_inverter);
    const struct scn_inverter *inv = &scn.inverter;
    ck_assert_int_eq(inv->mode, SCN_INV_MANUAL);
    ck_assert(inv->charge_voltage_v == 57.6 && inv->charge_current_a == 60);
    ck_assert(inv->discharge_current_a == 40 && inv->cutoff_voltage_v == 46.5);
    ck_assert(inv->min_soc_pct == 15 && inv->standby_w == 20 && inv->can_timeout_s == 30);
    ck_assert_int_eq(inv->window_start_min, 22 * 60 + 30);
    ck_assert_int_eq(inv->window_end_min, 2 * 60);
    scn_free(&scn);
}
END_TEST

START_TEST(full_events_sorted_and_typed)
{
    load_file("good/full.json");
    ck_assert_int_eq(scn.event_count, 25);
    /* By time; at equal times in file order. */
    static const int order[25] = {1, 24, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
    for (int i = 0; i < 25; i++)
        ck_assert_int_eq(scn.events[i].index, order[i]);
    const struct scn_event *e = scn.events;

    ck_assert_int_eq(e[0].action, SCN_DO_PRESS);
    ck_assert(e[0].at_s == 0 && e[0].u.press.pack == 2 && e[0].u.press.hold_s == 3.5);
    ck_assert_int_eq(e[0].src.line, 25);
    ck_assert_int_eq(e[0].src.col, 5);
    ck_assert_int_eq(e[1].action, SCN_DO_NOTE);
    ck_assert(e[1].at_s == 0.25);
    ck_assert_str_eq(e[1].u.note.text, "second");
    ck_assert_str_eq(e[2].u.note.text, "third at 1h");
    ck_assert_int_eq(e[3].action, SCN_DO_AMBIENT);
    ck_assert(e[3].u.ambient.temperature_c == 45 && e[3].u.ambient.ramp_s == 1800);

    const struct scn_inverter_change *c = &e[4].u.inverter;
    ck_assert_int_eq(e[4].action, SCN_DO_INVERTER);
    ck_assert_uint_eq(c->set, SCN_INV_SET_MODE);
    ck_assert_int_eq(c->v.mode, SCN_INV_LITHIUM);
    ck_assert(c->v.charge_voltage_v == 57.6); /* the rest as in the scenario's inverter */
    ck_assert_int_eq(c->demand, SCN_DEMAND_POWER);
    ck_assert(c->power_w == 1500);
    ck_assert_int_eq(e[5].u.inverter.demand, SCN_DEMAND_CURRENT);
    ck_assert(e[5].u.inverter.current_a == -20);
    ck_assert_uint_eq(e[5].u.inverter.set, 0);
    ck_assert_int_eq(e[6].u.inverter.demand, SCN_DEMAND_IDLE);

    ck_assert_int_eq(e[7].action, SCN_DO_CHARGER);
    ck_assert(!e[7].u.charger.off && e[7].u.charger.voltage_v == 54);
    ck_assert(e[7].u.charger.current_a == 10);
    ck_assert(e[8].u.charger.off);
    ck_assert_int_eq(e[9].action, SCN_DO_CAN);
    ck_assert(!e[9].u.can.connected);
    ck_assert_int_eq(e[10].action, SCN_DO_UNWIRE);
    ck_assert_int_eq(e[10].u.cable.a.pack, 2);
    ck_assert_int_eq(e[10].u.cable.a.side, SCN_PORT_IN);
    ck_assert_int_eq(e[11].action, SCN_DO_WIRE);
    ck_assert_int_eq(e[11].u.cable.b.side, SCN_PORT_OUT);
    ck_assert_int_eq(e[12].action, SCN_DO_POWER);
    ck_assert(e[12].u.power.pack == 2 && !e[12].u.power.connected);

    const struct scn_fault *f = &e[13].u.fault;
    ck_assert_int_eq(e[13].action, SCN_DO_FAULT);
    ck_assert(f->kind == SCN_FAULT_NTC_OPEN && f->pack == 1 && f->sensor == 2);
    f = &e[14].u.fault;
    ck_assert(f->kind == SCN_FAULT_NTC_SHORT && f->pack == 1 && f->sensor == 6);
    ck_assert(e[15].u.fault.kind == SCN_FAULT_SENSE_OPEN && e[15].u.fault.cell == 5);
    f = &e[16].u.fault;
    ck_assert(f->kind == SCN_FAULT_CELL_SHORT && f->cell == 3 && f->resistance_ohm == 10);
    f = &e[17].u.fault;
    ck_assert(f->kind == SCN_FAULT_CELL_WEAK && f->cell == 4 && f->capacity_pct == 80);
    f = &e[18].u.fault;
    ck_assert(f->kind == SCN_FAULT_CELL_RESISTANCE && f->cell == 9 && f->factor == 3);
    f = &e[19].u.fault;
    ck_assert(f->kind == SCN_FAULT_CURRENT_OFFSET && f->pack == 2 && f->amps == -0.5);
    f = &e[20].u.fault;
    ck_assert(f->kind == SCN_FAULT_FET_STUCK && f->which == SCN_FET_DISCHARGE);
    ck_assert(e[21].u.fault.kind == SCN_FAULT_LINK_BREAK);
    ck_assert_int_eq(e[22].action, SCN_DO_CLEAR);
    ck_assert(e[22].u.fault.kind == SCN_FAULT_NTC_OPEN && e[22].u.fault.sensor == 2);
    ck_assert(e[23].u.fault.kind == SCN_FAULT_CELL_SHORT && e[23].u.fault.cell == 3);
    ck_assert(e[24].u.fault.kind == SCN_FAULT_FET_STUCK && e[24].u.fault.which == SCN_FET_BOTH);
    scn_free(&scn);
}
END_TEST

static const struct scn_check *check_of(const struct scn_expect *x, enum scn_check_key k)
{
    for (int i = 0; i < x->check_count; i++)
        if (x->checks[i].key == k)
            return &x->checks[i];
    ck_abort_msg("no check %s", scn_check_name(k));
    return NULL;
}

START_TEST(full_expectations)
{
    load_file("good/full.json");
    ck_assert_int_eq(scn.expect_count, 7);
    const struct scn_expect *x = scn.expects;

    ck_assert_int_eq(x[0].when, SCN_WHEN_AT);
    ck_assert(x[0].t_s == 5 && x[0].from_s == 5 && x[0].to_s == 5);
    ck_assert_str_eq(x[0].when_text, "at 5s");
    ck_assert_int_eq(x[0].pack, 1);
    ck_assert_int_eq(x[0].check_count, 2);
    ck_assert_int_eq(x[0].checks[0].key, SCN_CHECK_STATE);
    ck_assert_int_eq(x[0].checks[0].kind, SCN_VAL_NAME);
    ck_assert_int_eq(x[0].checks[0].integer, BMS_STATE_STANDBY);
    ck_assert_int_eq(x[0].checks[1].kind, SCN_VAL_LEDS);
    ck_assert_str_eq(x[0].checks[1].leds, "a0000111");
    ck_assert_int_eq(x[0].src.line, 51);
    ck_assert_int_eq(x[0].src.col, 5);
    ck_assert_int_eq(x[0].checks[1].src.line, 51); /* the key "leds" */
    ck_assert_int_eq(x[0].checks[1].src.col, 49);

    ck_assert_int_eq(x[1].when, SCN_WHEN_BY);
    ck_assert(x[1].t_s == 7200 && x[1].from_s == 0 && x[1].to_s == 7200);
    ck_assert_int_eq(check_of(&x[1], SCN_CHECK_PROTECT)->integer, BMS_PROT_CHARGE_OT);

    ck_assert_int_eq(x[2].when, SCN_WHEN_WINDOW);
    ck_assert(x[2].from_s == 3600 && x[2].to_s == 7200);
    ck_assert_str_eq(x[2].when_text, "from 1h to 2h");
    ck_assert_int_eq(x[2].pack, 2);
    ck_assert(check_of(&x[2], SCN_CHECK_DRY_PROHIBIT_CHARGE)->flag);
    ck_assert(!check_of(&x[2], SCN_CHECK_DRY_PROHIBIT_DISCHARGE)->flag);

    ck_assert_int_eq(x[3].when, SCN_WHEN_RUN);
    ck_assert(x[3].from_s == 0 && x[3].to_s == 172800);
    ck_assert_str_eq(x[3].when_text, "whole run");
    const struct scn_check *c = check_of(&x[3], SCN_CHECK_CELL_V_MAX);
    ck_assert_int_eq(c->kind, SCN_VAL_RANGE);
    ck_assert(c->min == 2.5 && c->max == 3.65);

    ck_assert_int_eq(x[4].pack, SCN_PACK_SYSTEM);
    ck_assert_int_eq(check_of(&x[4], SCN_CHECK_FAULT)->integer, -1);
    ck_assert_int_eq(check_of(&x[4], SCN_CHECK_ALARM)->integer, BMS_ALARM_INVERTER_LINK);
    c = check_of(&x[4], SCN_CHECK_SOC);
    ck_assert(c->kind == SCN_VAL_NUMBER && c->num == 50);
    ck_assert(check_of(&x[4], SCN_CHECK_TRUE_SOC)->kind == SCN_VAL_RANGE);
    ck_assert(check_of(&x[4], SCN_CHECK_VOLTAGE_V)->num == 52.1);
    ck_assert(check_of(&x[4], SCN_CHECK_CURRENT_A)->num == -10);
    ck_assert(check_of(&x[4], SCN_CHECK_TEMP_MIN_C)->num == -5);
    ck_assert(check_of(&x[4], SCN_CHECK_TEMP_MAX_C)->num == 45);
    c = check_of(&x[4], SCN_CHECK_ID);
    ck_assert(c->kind == SCN_VAL_INT && c->integer == 1);
    c = check_of(&x[4], SCN_CHECK_EVENT);
    ck_assert_int_eq(c->kind, SCN_VAL_TEXT);
    ck_assert_str_eq(c->text, "protect.charge_ot");

    ck_assert_str_eq(x[5].when_text, "at 7200s");
    ck_assert_int_eq(x[5].check_count, 15);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_CVL_V)->num == 55.7);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_CCL_A)->num == 25);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_DCL_A)->num == 30);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_DVL_V)->num == 45.6);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_SOC)->num == 50);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_SOH)->num == 100);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_VOLTAGE_V)->num == 52.0);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_CURRENT_A)->num == 0);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_TEMP_C)->num == 25);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_CHARGE_ENABLE)->flag);
    ck_assert(check_of(&x[5], SCN_CHECK_CAN_DISCHARGE_ENABLE)->flag);
    ck_assert(!check_of(&x[5], SCN_CHECK_CAN_FORCE_CHARGE)->flag);
    ck_assert(!check_of(&x[5], SCN_CHECK_CAN_FULL_CHARGE_REQUEST)->flag);
    c = check_of(&x[5], SCN_CHECK_CAN_PROTECT);
    ck_assert_int_eq(c->kind, SCN_VAL_IDS);
    ck_assert_uint_eq(c->mask, (1u << BMS_PROT_CELL_OV) | (1u << BMS_PROT_CHARGE_OT));
    ck_assert_uint_eq(check_of(&x[5], SCN_CHECK_CAN_ALARM)->mask, 0);

    ck_assert(x[6].t_s == 172800); /* an expectation at the very end is valid */
    scn_free(&scn);
}
END_TEST

START_TEST(defaults)
{
    ck_assert_msg(load_text(HEAD "\"packs\": [{}]}") == 0, "%s", err);
    ck_assert_str_eq(scn.name, "t");
    ck_assert_str_eq(scn.description, "");
    ck_assert_uint_eq(scn.seed, 1);
    ck_assert(scn.start_epoch_s == 1767225600);
    ck_assert_int_eq(scn.start.year, 2026);
    ck_assert_int_eq(scn.start.month, 1);
    ck_assert_int_eq(scn.start.day, 1);
    ck_assert(scn.ambient_c == 25);
    ck_assert(scn.packs[0].soc == 50 && scn.packs[0].temperature_c == 25);
    ck_assert(scn.packs[0].on && scn.packs[0].bms_soc == 50 && scn.packs[0].cycles == 0);
    ck_assert_int_eq(scn.link.kind, SCN_LINK_CHAIN);
    ck_assert_int_eq(scn.link.cable_count, 0);
    ck_assert(scn.has_inverter);
    ck_assert_int_eq(scn.inverter.mode, SCN_INV_LITHIUM);
    ck_assert(scn.inverter.charge_voltage_v == 58.0 && scn.inverter.charge_current_a == 50);
    ck_assert(scn.inverter.discharge_current_a == 50 && scn.inverter.cutoff_voltage_v == 44.0);
    ck_assert(scn.inverter.min_soc_pct == 10 && scn.inverter.standby_w == 15);
    ck_assert(scn.inverter.can_timeout_s == 10);
    ck_assert_int_eq(scn.inverter.window_start_min, 180);
    ck_assert_int_eq(scn.inverter.window_end_min, 360);
    ck_assert_int_eq(scn.event_count, 0);
    ck_assert_int_eq(scn.expect_count, 0);
    scn_free(&scn);
}
END_TEST

START_TEST(chain_and_none)
{
    ck_assert(load_text(HEAD "\"packs\": [{}, {}, {}], \"link\": \"chain\"}") == 0);
    ck_assert_int_eq(scn.link.cable_count, 2);
    ck_assert(scn.link.cable[1].a.pack == 2 && scn.link.cable[1].a.side == SCN_PORT_OUT);
    ck_assert(scn.link.cable[1].b.pack == 3 && scn.link.cable[1].b.side == SCN_PORT_IN);
    scn_free(&scn);
    ck_assert(load_text(HEAD "\"packs\": [{}, {}], \"link\": \"none\", \"inverter\": null}") ==
              0);
    ck_assert_int_eq(scn.link.kind, SCN_LINK_NONE);
    ck_assert_int_eq(scn.link.cable_count, 0);
    ck_assert(!scn.has_inverter);
    scn_free(&scn);
    /* Mis-wiring is valid input. */
    ck_assert(load_text(HEAD "\"packs\": [{}, {}], \"link\": [[\"1.out\", \"2.out\"]]}") == 0);
    ck_assert(scn.link.cable[0].b.side == SCN_PORT_OUT);
    scn_free(&scn);
}
END_TEST

START_TEST(local_time)
{
    ck_assert(load_text(HEAD "\"start\": \"2028-02-28T23:30:00\", \"packs\": [{}]}") == 0);
    struct scn_datetime t;
    scn_local_time(&scn, 3600 + 0.9, &t);
    ck_assert_int_eq(t.year, 2028);
    ck_assert_int_eq(t.month, 2);
    ck_assert_int_eq(t.day, 29); /* a leap year */
    ck_assert_int_eq(t.hour, 0);
    ck_assert_int_eq(t.minute, 30);
    ck_assert_int_eq(t.second, 0);
    scn_local_time(&scn, 86400, &t);
    ck_assert(t.month == 2 && t.day == 29 && t.hour == 23 && t.minute == 30);
    scn_local_time(&scn, 2 * 86400 + 59, &t);
    ck_assert(t.month == 3 && t.day == 1 && t.hour == 23 && t.minute == 30 && t.second == 59);
    scn_free(&scn);
}
END_TEST

START_TEST(error_messages_are_exact)
{
    ck_assert_int_eq(load_text(HEAD "\"ambiant_c\": 20, \"packs\": [{}]}"), -1);
    ck_assert_str_eq(err, "dir/t.json:1:51: error: unknown key 'ambiant_c' in the top level "
                          "(expected one of format, name, description, seed, start, duration, "
                          "ambient_c, packs, link, inverter, events, expect, profile, training, "
                          "can_log; did you mean "
                          "'ambient_c'?)");
    /* After a failure the scenario is empty and needs no scn_free. */
    ck_assert_ptr_null(scn.name);
    ck_assert_int_eq(scn.pack_count, 0);
    ck_assert_int_eq(load_text(HEAD "\"packs\": [{}, {}],\n \"expect\": [{\"pack\": 3, "
                                    "\"soc\": 50}]}"), -1);
    ck_assert_str_eq(err, "dir/t.json:2:22: error: 'pack' is 3 (expected a pack number from "
                          "1 to 2, or \"system\")");
    ck_assert_int_eq(load_text(HEAD "\"packs\": [{}],\n \"events\": [{\"at\": \"1h\", "
                                    "\"do\": \"note\", \"text\": \"a\"}, {\"at\": \"2h\", "
                                    "\"do\": \"pres\", \"hold\": \"3s\"}]}"), -1);
    ck_assert_str_eq(err, "dir/t.json:2:73: error: unknown action 'pres' (expected one of "
                          "press, ambient, inverter, charger, can, wire, unwire, power, fault, "
                          "clear, note; did you mean 'press'?)");
}
END_TEST

START_TEST(names)
{
    ck_assert_int_eq(scn_state_from_name("uvp"), BMS_STATE_UVP);
    ck_assert_int_eq(scn_protect_from_name("mosfet_ot"), BMS_PROT_MOSFET_OT);
    ck_assert_int_eq(scn_alarm_from_name("cell_ov"), BMS_ALARM_CELL_OV);
    ck_assert_int_eq(scn_alarm_from_name("storage_time"), BMS_ALARM_STORAGE_TIME);
    ck_assert_int_eq(scn_fault_from_name("coding"), BMS_FAULT_CODING);
    ck_assert_int_eq(scn_state_from_name("nope"), -1);
    ck_assert_str_eq(scn_action_name(SCN_DO_UNWIRE), "unwire");
    ck_assert_str_eq(scn_fault_kind_name(SCN_FAULT_FET_STUCK), "fet_stuck");
    ck_assert_str_eq(scn_check_name(SCN_CHECK_CAN_FULL_CHARGE_REQUEST),
                     "can.full_charge_request");
    ck_assert_ptr_null(scn_state_name(BMS_STATE_COUNT));
    char b[64];
    scn_format_ids(b, sizeof b, (1u << BMS_PROT_CHARGE_OT) | (1u << BMS_PROT_CELL_UV),
                   scn_protect_name);
    ck_assert_str_eq(b, "charge_ot|cell_uv");
    struct scn_port p;
    ck_assert_int_eq(scn_port_parse("4.out", &p), 0);
    ck_assert(p.pack == 4 && p.side == SCN_PORT_OUT);
    ck_assert_int_eq(scn_port_parse("1.up", &p), -1);
    ck_assert_int_eq(scn_port_parse("5.in", &p), -1);
    scn_port_format((struct scn_port){3, SCN_PORT_IN}, b, sizeof b);
    ck_assert_str_eq(b, "3.in");
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE_LOOP("core", durations_parse, 0, GTX_COUNT(good_durations)),
    GTX_TEST(durations_on_the_command_line),
    GTX_LOOP(durations_reject, 0, GTX_COUNT(bad_durations)),
    GTX_TEST(durations_format),
    GTX_TEST(full_top_level_packs_link_inverter),
    GTX_TEST(full_events_sorted_and_typed),
    GTX_TEST(full_expectations),
    GTX_TEST(defaults),
    GTX_TEST(chain_and_none),
    GTX_TEST(local_time),
    GTX_TEST(error_messages_are_exact),
    GTX_TEST(names),
};

int main(void)
{
    return gtx_check_main("scn_load", tests, GTX_COUNT(tests), 0, NULL, false);
}
