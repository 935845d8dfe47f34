/* test_dcbus: the DC bus solve (src/world/dcbus.c): current sharing by EMF and
 * resistance, MOSFET and body-diode rules, floating buses, constant-power
 * draws, and exact current conservation.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/dcbus.h"

#define REG DCBUS_REG_OHM

static struct dcbus_input bus(int n_packs, double emf_v, double r_ohm)
{
    struct dcbus_input in;
    memset(&in, 0, sizeof in);
    in.n_packs = n_packs;
    for (int k = 0; k < n_packs; k++)
        dcbus_pack_default(&in.pack[k], emf_v, r_ohm);
    return in;
}

/* A drawing port (an inverter discharging current_a down to v_min_v). */
static struct dcbus_port draw(double current_a, double v_min_v)
{
    return (struct dcbus_port){.on = true, .current_a = -current_a, .v_max_v = 0.0,
                               .v_min_v = v_min_v, .power_w = 0.0};
}

/* A feeding port (CC current_a, CV v_max_v). */
static struct dcbus_port feed(double current_a, double v_max_v)
{
    return (struct dcbus_port){.on = true, .current_a = current_a, .v_max_v = v_max_v,
                               .v_min_v = 0.0, .power_w = 0.0};
}

static double sum_packs(const struct dcbus_input *in, const struct dcbus_result *r)
{
    double s = 0.0;
    for (int k = 0; k < in->n_packs; k++)
        s += r->pack_a[k];
    return s;
}

static double sum_ports(const struct dcbus_input *in, const struct dcbus_result *r)
{
    double s = 0.0;
    for (int k = 0; k < in->n_ports; k++)
        s += r->port_a[k];
    return s;
}

/* Port 0 moved nothing and no pack current flows: the bus floats; with no port left
 * on it at all, it is at 0 V. */
static void assert_floating_then_empty(struct dcbus_input *in, const struct dcbus_result *r)
{
    ck_assert_double_eq(r->pack_a[0], 0.0);
    ck_assert_double_eq_tol(r->port_a[0], 0.0, 1e-12);
    ck_assert(r->floating);
    in->n_ports = 0;
    struct dcbus_result empty;
    dcbus_solve(in, &empty);
    ck_assert_double_eq(empty.bus_v, 0.0);
}

START_TEST(test_single_pack_thevenin)
{
    struct dcbus_input in = bus(1, 52.0, 0.01);
    in.n_ports = 1;
    in.port[0] = draw(25.0, 44.0);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[0], -25.0, 1e-9);
    ck_assert_double_eq_tol(r.bus_v, 52.0 - 0.25, 1e-9);
    ck_assert(!r.floating);
}
END_TEST

START_TEST(test_two_equal_packs_share)
{
    struct dcbus_input in = bus(2, 52.0, 0.01);
    in.n_ports = 1;
    in.port[0] = draw(40.0, 44.0);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[0], -20.0, 0.2); /* within 1 % */
    ck_assert_double_eq_tol(r.pack_a[1], -20.0, 0.2);
    ck_assert_double_eq_tol(r.pack_a[0] + r.pack_a[1], -40.0, 1e-9);
    ck_assert_double_eq_tol(r.port_a[0], -40.0, 1e-9);
}
END_TEST

START_TEST(test_double_resistance_half_current)
{
    struct dcbus_input in = bus(2, 52.0, 0.01);
    in.pack[1].cable_ohm = 0.01; /* pack 2 sees twice the resistance */
    in.n_ports = 1;
    in.port[0] = draw(30.0, 44.0);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    /* Equal EMF: currents inversely proportional to resistance, 20 A and 10 A. */
    ck_assert_double_eq_tol(r.pack_a[0] / r.pack_a[1], 2.0, 1e-9);
    ck_assert_double_eq_tol(r.pack_a[0], -20.0, 1e-9);
    ck_assert_double_eq_tol(r.pack_a[1], -10.0, 1e-9);
    /* Its terminals sit between the bus and its EMF, by its cable drop. */
    ck_assert_double_eq_tol(r.pack_terminal_v[1], r.bus_v + 10.0 * 0.01, 1e-9);
}
END_TEST

START_TEST(test_both_fets_off_carry_nothing)
{
    struct dcbus_input in = bus(2, 52.0, 0.01);
    in.pack[1].charge_on = false;
    in.pack[1].discharge_on = false;
    in.n_ports = 1;
    in.port[0] = draw(20.0, 44.0);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq(r.pack_a[1], 0.0);
    ck_assert_double_eq_tol(r.pack_a[0], -20.0, 1e-9);
    /* Charging too. */
    in.port[0] = feed(20.0, 56.0);
    dcbus_solve(&in, &r);
    ck_assert_double_eq(r.pack_a[1], 0.0);
    ck_assert_double_eq_tol(r.pack_a[0], 20.0, 1e-9);
}
END_TEST

/* Charge FET open: the pack can only discharge, through the diode (0.7 V). */
START_TEST(test_charge_fet_off_diode)
{
    struct dcbus_input in = bus(1, 52.0, 0.01);
    in.pack[0].charge_on = false;
    in.n_ports = 1;
    in.port[0] = draw(10.0, 44.0);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[0], -10.0, 1e-9);
    ck_assert_double_eq_tol(r.bus_v, 52.0 - 0.7 - 10.0 * 0.01, 1e-9);
    /* A charger gets nothing in: the bus rises to its CV voltage. */
    in.port[0] = feed(10.0, 54.0);
    dcbus_solve(&in, &r);
    ck_assert_double_eq(r.pack_a[0], 0.0);
    ck_assert_double_eq_tol(r.bus_v, 54.0, 1e-9);
    ck_assert(r.floating);
    /* Even a source below the EMF cannot charge it. */
    in.port[0] = feed(10.0, 51.5);
    dcbus_solve(&in, &r);
    ck_assert_double_eq(r.pack_a[0], 0.0);
}
END_TEST

/* Discharge FET open: the pack can only charge, through the diode. */
START_TEST(test_discharge_fet_off_diode)
{
    struct dcbus_input in = bus(1, 52.0, 0.01);
    in.pack[0].discharge_on = false;
    in.n_ports = 1;
    in.port[0] = feed(10.0, 56.0);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[0], 10.0, 1e-9);
    ck_assert_double_eq_tol(r.bus_v, 52.0 + 0.7 + 10.0 * 0.01, 1e-9);
    /* A load gets nothing out; nothing feeds the bus, which falls to 0 V. */
    in.port[0] = draw(10.0, 44.0);
    dcbus_solve(&in, &r);
    ck_assert_double_eq(r.bus_v, 0.0);
    assert_floating_then_empty(&in, &r);
}
END_TEST

/* Packs at 80 % and 20 % joined with no source: ΔE / (R1 + R2) flows. */
START_TEST(test_equalising_current)
{
    struct dcbus_input in = bus(2, 0.0, 0.0);
    dcbus_pack_default(&in.pack[0], 53.28, 0.012); /* 16 x 3.330 V, ~80 % */
    dcbus_pack_default(&in.pack[1], 52.00, 0.012); /* 16 x 3.250 V, ~20 % */
    in.pack[0].cable_ohm = 0.004;
    in.pack[1].cable_ohm = 0.004;
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    double expect = (53.28 - 52.00) / (0.016 + 0.016); /* 40 A */
    ck_assert_double_eq_tol(r.pack_a[1], expect, 1e-9);
    ck_assert_double_eq_tol(r.pack_a[0], -expect, 1e-9);
    ck_assert_double_eq_tol(r.bus_v, (53.28 + 52.00) / 2.0, 1e-9);
    ck_assert(!r.floating);
    /* Unequal resistances: still ΔE / (R1 + R2). */
    in.pack[1].cable_ohm = 0.020;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[1], 1.28 / (0.016 + 0.032), 1e-9);
}
END_TEST

START_TEST(test_disconnected_pack)
{
    struct dcbus_input in = bus(2, 52.0, 0.01);
    in.pack[0].emf_v = 53.0;
    in.pack[1].connected = false;
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq(r.pack_a[1], 0.0);
    ck_assert_double_eq_tol(r.pack_a[0], 0.0, 1e-12);
    ck_assert_double_eq_tol(r.bus_v, 53.0, 1e-9);
    ck_assert_double_eq_tol(r.pack_terminal_v[1], 52.0, 1e-12); /* its own terminals */
}
END_TEST

START_TEST(test_no_pack_takes_current)
{
    /* A shut-down pack (both FETs open) and a 54 V charger: 54 V on the
     * terminals, no current (what wakes a deep-discharged pack, R-PR-13). */
    struct dcbus_input in = bus(1, 38.0, 0.01);
    in.pack[0].charge_on = false;
    in.pack[0].discharge_on = false;
    in.n_ports = 1;
    in.port[0] = feed(10.0, 54.0);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.bus_v, 54.0, 1e-12);
    assert_floating_then_empty(&in, &r);
}
END_TEST

START_TEST(test_source_cv_taper)
{
    /* CC while the pack is far below the CV voltage, then CV. */
    struct dcbus_input in = bus(1, 50.0, 0.01);
    in.n_ports = 1;
    in.port[0] = feed(25.0, 55.7);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[0], 25.0, 1e-9);
    in.pack[0].emf_v = 55.6;
    dcbus_solve(&in, &r);
    double expect = (55.7 - 55.6) / (0.01 + REG);
    ck_assert_double_eq_tol(r.pack_a[0], expect, 1e-9);
    ck_assert_double_eq_tol(r.bus_v, 55.7, 0.002);
}
END_TEST

START_TEST(test_constant_power_draw)
{
    struct dcbus_input in = bus(1, 52.0, 0.01);
    in.n_ports = 1;
    in.port[0] = (struct dcbus_port){.on = true, .v_min_v = 44.0, .power_w = 15.0};
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.bus_v * r.pack_a[0], -15.0, 1e-9);
    ck_assert_double_eq_tol(r.pack_a[0], r.port_a[0], 1e-12);
    /* A hint (the last bus voltage, even a poor one) gives the same answer. */
    double v = r.bus_v;
    in.v_hint_v = 50.0;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.bus_v, v, 1e-9);
    ck_assert_double_eq_tol(r.bus_v * r.pack_a[0], -15.0, 1e-9);
    in.v_hint_v = 0.0;
    /* A pack that cannot discharge leaves it unsupplied, the bus dead. */
    in.pack[0].discharge_on = false;
    dcbus_solve(&in, &r);
    ck_assert_double_eq(r.pack_a[0], 0.0);
    ck_assert_double_eq(r.port_a[0], 0.0);
    ck_assert_double_eq(r.bus_v, 0.0);
    /* A charger then supplies the draw and charges the pack through its diode. */
    in.n_ports = 2;
    in.port[1] = feed(10.0, 54.0);
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.bus_v * r.port_a[0], -15.0, 1e-9);
    ck_assert_double_eq_tol(r.pack_a[0], 10.0 - 15.0 / r.bus_v, 1e-9);
}
END_TEST

START_TEST(test_charger_feeds_load_and_packs)
{
    /* A charger (20 A, 56 V) and a 5 A load with one pack: 15 A into it. */
    struct dcbus_input in = bus(1, 52.0, 0.01);
    in.n_ports = 2;
    in.port[0] = feed(20.0, 56.0);
    in.port[1] = draw(5.0, 44.0);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[0], 15.0, 1e-9);
    ck_assert_double_eq_tol(r.port_a[0], 20.0, 1e-9);
    ck_assert_double_eq_tol(r.port_a[1], -5.0, 1e-9);
}
END_TEST

/* A small deterministic generator for the conservation sweep. */
static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static double uniform(uint32_t *state, double lo, double hi)
{
    return lo + (hi - lo) * (double)lcg(state) / 16777216.0;
}

START_TEST(test_conservation_sweep)
{
    uint32_t seed = 12345;
    for (int trial = 0; trial < 20000; trial++) {
        struct dcbus_input in;
        memset(&in, 0, sizeof in);
        in.n_packs = 1 + (int)(lcg(&seed) % 4);
        for (int k = 0; k < in.n_packs; k++) {
            dcbus_pack_default(&in.pack[k], uniform(&seed, 40.0, 57.0),
                               uniform(&seed, 0.003, 0.05));
            in.pack[k].cable_ohm = uniform(&seed, 0.0, 0.02);
            uint32_t bits = lcg(&seed);
            in.pack[k].connected = (bits & 7) != 0;
            in.pack[k].charge_on = (bits & 0x18) != 0;
            in.pack[k].discharge_on = (bits & 0x60) != 0;
        }
        in.n_ports = (int)(lcg(&seed) % 4);
        for (int k = 0; k < in.n_ports; k++) {
            double i_a = uniform(&seed, -60.0, 60.0);
            in.port[k] = (struct dcbus_port){.on = (lcg(&seed) & 3) != 0, .current_a = i_a,
                                             .v_max_v = uniform(&seed, 50.0, 58.0),
                                             .v_min_v = uniform(&seed, 40.0, 48.0),
                                             .power_w = (lcg(&seed) & 1) ? 15.0 : 0.0};
        }
        struct dcbus_result r;
        dcbus_solve(&in, &r);
        ck_assert_msg(fabs(sum_packs(&in, &r) - sum_ports(&in, &r)) <= 1e-9,
                      "trial %d: packs %.12f ports %.12f", trial, sum_packs(&in, &r),
                      sum_ports(&in, &r));
        ck_assert(isfinite(r.bus_v) && r.bus_v >= 0.0);
        /* Each pack obeys its own law at the solved voltage. */
        for (int k = 0; k < in.n_packs; k++)
            ck_assert_msg(fabs(r.pack_a[k] - dcbus_pack_current(&in.pack[k], r.bus_v)) <= 1e-6,
                          "trial %d pack %d", trial, k);
        /* The last bus voltage as a hint (even 1 V off) changes nothing. */
        struct dcbus_result h;
        in.v_hint_v = r.bus_v + uniform(&seed, -1.0, 1.0);
        dcbus_solve(&in, &h);
        in.v_hint_v = 0.0;
        ck_assert_msg(fabs(sum_packs(&in, &h) - sum_ports(&in, &h)) <= 1e-9, "trial %d", trial);
        ck_assert_msg(fabs(h.bus_v - r.bus_v) <= 1e-6, "trial %d: hint %.9f, none %.9f", trial,
                      h.bus_v, r.bus_v);
        /* And no port exceeds its set current. */
        for (int k = 0; k < in.n_ports; k++) {
            const struct dcbus_port *p = &in.port[k];
            if (!p->on) {
                ck_assert_double_eq(r.port_a[k], 0.0);
                continue;
            }
            double hi = p->current_a > 0.0 ? p->current_a : 0.0;
            double lo = (p->current_a < 0.0 ? p->current_a : 0.0) - p->power_w / 1.0;
            ck_assert(r.port_a[k] <= hi + 1e-9 && r.port_a[k] >= lo - 1e-9);
        }
    }
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("solve", test_single_pack_thevenin),
    GTX_TEST(test_two_equal_packs_share),
    GTX_TEST(test_double_resistance_half_current),
    GTX_TEST(test_both_fets_off_carry_nothing),
    GTX_TEST(test_charge_fet_off_diode),
    GTX_TEST(test_discharge_fet_off_diode),
    GTX_TEST(test_equalising_current),
    GTX_TEST(test_disconnected_pack),
    GTX_TEST(test_no_pack_takes_current),
    GTX_TEST(test_source_cv_taper),
    GTX_TEST(test_constant_power_draw),
    GTX_TEST(test_charger_feeds_load_and_packs),
    GTX_TEST(test_conservation_sweep),
};

int main(void)
{
    return gtx_check_main("dcbus", tests, GTX_COUNT(tests), 0, NULL, false);
}
