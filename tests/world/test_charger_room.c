/* test_charger_room: the external CC/CV charger on the DC bus (src/world/
 * charger.c) and the room temperature ramps (src/world/room.c).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/charger.h"
#include "gtx/dcbus.h"
#include "gtx/room.h"

static struct dcbus_result solve_with(const struct charger *c, double emf_v, bool fets_on)
{
    struct dcbus_input in;
    memset(&in, 0, sizeof in);
    in.n_packs = 1;
    dcbus_pack_default(&in.pack[0], emf_v, 0.01);
    in.pack[0].charge_on = fets_on;
    in.pack[0].discharge_on = fets_on;
    in.n_ports = 1;
    chg_port(c, &in.port[0]);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    return r;
}

START_TEST(test_charger_cc_then_cv)
{
    struct charger c;
    chg_init(&c);
    ck_assert_int_eq(chg_mode_of(&c, 0.0), CHG_OFF);
    chg_set(&c, 54.0, 20.0);
    /* Far below 54 V: constant current, 20 A. */
    struct dcbus_result r = solve_with(&c, 50.0, true);
    ck_assert_double_eq_tol(r.pack_a[0], 20.0, 1e-9);
    ck_assert_double_eq_tol(r.bus_v, 50.0 + 20.0 * 0.01, 1e-9);
    ck_assert_int_eq(chg_mode_of(&c, r.port_a[0]), CHG_CC);
    /* Near 54 V: constant voltage, the current tapers. */
    r = solve_with(&c, 53.95, true);
    ck_assert_double_eq_tol(r.pack_a[0], 0.05 / (0.01 + DCBUS_REG_OHM), 1e-9);
    ck_assert_double_eq_tol(r.bus_v, 54.0, 0.001);
    ck_assert_int_eq(chg_mode_of(&c, r.port_a[0]), CHG_CV);
    ck_assert_str_eq(chg_mode_name(CHG_CV), "constant voltage");
    /* Current taper is monotone as the EMF rises. */
    double last = 1e9;
    for (double e = 53.7; e < 54.0; e += 0.01) {
        r = solve_with(&c, e, true);
        ck_assert(r.pack_a[0] <= last);
        last = r.pack_a[0];
    }
    chg_off(&c);
    r = solve_with(&c, 50.0, true);
    ck_assert_double_eq_tol(r.pack_a[0], 0.0, 1e-12);
}
END_TEST

START_TEST(test_charger_wakes_dead_pack)
{
    /* A shut-down pack at 38 V takes nothing: the terminals show the set
     * voltage, >= 51 V for a 54 V charger (docs/spec/PRODUCT.md R-PR-13). */
    struct charger c;
    chg_init(&c);
    chg_set(&c, 54.0, 10.0);
    ck_assert_double_eq(chg_open_circuit_v(&c), 54.0);
    struct dcbus_result r = solve_with(&c, 38.0, false);
    ck_assert_double_eq_tol(r.bus_v, 54.0, 1e-12);
    ck_assert(r.pack_terminal_v[0] >= 51.0);
    ck_assert_int_eq(chg_mode_of(&c, r.port_a[0]), CHG_IDLE);
    /* A 48 V charger would not reach the wake threshold. */
    chg_set(&c, 48.0, 10.0);
    r = solve_with(&c, 38.0, false);
    ck_assert(r.bus_v < 51.0);
    /* Once the BMS closes its MOSFETs the charger drives current in, CC. */
    chg_set(&c, 54.0, 10.0);
    r = solve_with(&c, 38.0, true);
    ck_assert_double_eq_tol(r.pack_a[0], 10.0, 1e-9);
}
END_TEST

START_TEST(test_room_ramp)
{
    struct room rm;
    room_init(&rm, 25.0);
    ck_assert_double_eq(room_temp_c(&rm, 0.0), 25.0);
    room_set(&rm, 100.0, 45.0, 1000.0);
    ck_assert_double_eq_tol(room_temp_c(&rm, 100.0), 25.0, 1e-12);
    ck_assert_double_eq_tol(room_temp_c(&rm, 350.0), 30.0, 1e-12);
    ck_assert_double_eq_tol(room_temp_c(&rm, 600.0), 35.0, 1e-12);
    ck_assert_double_eq_tol(room_temp_c(&rm, 1100.0), 45.0, 1e-12);
    ck_assert_double_eq_tol(room_temp_c(&rm, 5000.0), 45.0, 1e-12);
    /* A new ramp starts from where the old one is now. */
    room_set(&rm, 600.0, 15.0, 200.0);
    ck_assert_double_eq_tol(room_temp_c(&rm, 700.0), 25.0, 1e-12);
    ck_assert_double_eq_tol(room_temp_c(&rm, 800.0), 15.0, 1e-12);
    /* No ramp: a step. */
    room_set(&rm, 900.0, -10.0, 0.0);
    ck_assert_double_eq(room_temp_c(&rm, 900.0), -10.0);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("charger_room", test_charger_cc_then_cv),
    GTX_TEST(test_charger_wakes_dead_pack),
    GTX_TEST(test_room_ramp),
};

int main(void)
{
    return gtx_check_main("charger_room", tests, GTX_COUNT(tests), 0, NULL, false);
}
