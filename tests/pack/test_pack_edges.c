/* test_pack_edges: the pack at the edges of its range (issue 12): forced
 * over-charge, forced over-discharge, a soft short, a year in storage, and
 * the energy books over those. The plant alone, with long steps, so each
 * case stays well under a minute under ASan. argv[1] is the source root.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/aging.h"
#include "gtx/pack.h"
#include "gtx/sensors.h"
#include "pack_drive.h"

static const char *src_root = ".";
static struct cell_params lfp50;

static void new_pack(struct pack *p, double soc_pct, bool bms_running)
{
    struct pack_config cfg;
    pack_config_default(&cfg, &lfp50);
    cfg.soc_pct = soc_pct;
    cfg.bms_running = bms_running;
    ck_assert_int_eq(pack_init(p, &cfg), 0);
}

static double heat_j(const struct pack_energy *e)
{
    return e->joule_j + e->reversible_j + e->self_discharge_j + e->side_reaction_j + e->series_j
           + e->diode_j + e->balance_j + e->bms_j;
}

static double max_cell_v(const struct pack *p)
{
    double v = -1e9;
    for (int c = 1; c <= PACK_CELLS; c++)
        v = fmax(v, pack_cell_v(p, c));
    return v;
}

static double min_cell_v(const struct pack *p)
{
    double v = 1e9;
    for (int c = 1; c <= PACK_CELLS; c++)
        v = fmin(v, pack_cell_v(p, c));
    return v;
}

static double max_cell_temp(const struct pack *p)
{
    double t = -1e9;
    for (int c = 1; c <= PACK_CELLS; c++)
        t = fmax(t, pack_cell_temp_c(p, c));
    return t;
}

/* A CC/CV charger on the terminals: cc_a until the terminal reaches cv_v. */
static double charger_a(const struct pack *p, double cv_v, double cc_a)
{
    struct pack_thevenin th;
    pack_thevenin(p, &th);
    double i = (cv_v - th.emf_v - th.charge_diode_v) / th.r_ohm;
    return fmax(0.0, fmin(cc_a, i));
}

/* Forced over-charge: a full pack, its charge MOSFET stuck closed, a
 * misconfigured charger at 62 V / 25 A for an hour. The side reaction
 * holds every cell below 5 V and turns the energy into heat: several kelvin
 * on the hottest cell (issue 12 acceptance). */
START_TEST(forced_overcharge)
{
    static struct pack p;
    new_pack(&p, 100.0, true);
    pack_fault_fet_stuck(&p, PACK_FET_CHARGE, true);
    pack_set_fets(&p, false, true);    /* the BMS opened it; it stays closed */
    double t0 = max_cell_temp(&p);
    double vmax = 0.0, e_in = 0.0;
    for (int k = 0; k < 36000; k++) {
        double i = charger_a(&p, 62.0, 25.0);
        double v0 = pack_terminal_v(&p);
        pack_step(&p, i, 0.1, 25.0);
        e_in += i * 0.5 * (v0 + pack_terminal_v(&p)) * 0.1;
        vmax = fmax(vmax, max_cell_v(&p));
    }
    double rise = max_cell_temp(&p) - t0;
    printf("over-charge 62 V / 25 A, 1 h: max cell %.3f V, hottest +%.2f K, side-reaction heat "
           "%.1f Wh of %.1f Wh in, mean SOC %.4f, %.2f A at the end\n", vmax, rise,
           p.energy.side_reaction_j / 3600.0, e_in / 3600.0, pack_mean_soc(&p),
           pack_current_a(&p));
    ck_assert_double_le(vmax, 5.0);
    ck_assert_double_gt(vmax, 3.9);                   /* it is over-charged */
    ck_assert_double_ge(rise, 3.0);                   /* several kelvin */
    ck_assert_double_gt(p.energy.side_reaction_j, 0.1 * e_in);
    double oc_loss = 0.0;   /* the over-charge did damage */
    for (int i = 0; i < PACK_CELLS; i++)
        oc_loss = fmax(oc_loss, p.aging[i].q_loss_oc);
    ck_assert_double_gt(oc_loss, 1e-4);
    double closure = e_in - p.energy.chem_j - heat_j(&p.energy);
    ck_assert_double_le(fabs(closure), 1e-3 * e_in);
}
END_TEST

/* A year in storage, shut down, from 2 %: the BMS draws until the pack falls
 * below its 40 V brown-out, then only the cells' own leak (across the OCV)
 * goes on, ever slower: every cell stays between 0 and 3.4 V, and the pack is
 * below the firmware's 40 V start threshold (the button cannot start it). A
 * charger then charges it. */
START_TEST(year_in_storage)
{
    static struct pack p;
    new_pack(&p, 2.0, false);
    double bms_j = 0.0;
    for (int d = 0; d < 365; d++) {
        for (int k = 0; k < 144; k++)
            pack_step(&p, 0.0, 600.0, 25.0);
        ck_assert_double_ge(min_cell_v(&p), 0.0);
        ck_assert_double_le(max_cell_v(&p), 3.4);
        if (d == 30)
            bms_j = p.energy.bms_j;
    }
    printf("a year stored from 2 %%: battery %.2f V, cells %.3f..%.3f V, mean SOC %.2f %%, "
           "capacity of cell 1 %.1f %%\n", pack_battery_v(&p), min_cell_v(&p), max_cell_v(&p),
           100.0 * pack_mean_soc(&p), 100.0 * aging_capacity_fraction(&p.cell[0], &p.aging[0]));
    ck_assert_double_lt(pack_battery_v(&p), 40.0);
    ck_assert_double_eq(p.energy.bms_j, bms_j);      /* browned out since the first month */
    ck_assert_double_gt(pack_mean_soc(&p), -0.1);
    /* 10 A for two hours (the charger that wakes it): the cells come back. */
    for (int k = 0; k < 720; k++)
        pack_step(&p, 10.0, 10.0, 25.0);
    ck_assert_double_gt(min_cell_v(&p), 2.5);
    ck_assert_double_gt(pack_battery_v(&p), 40.0);
}
END_TEST

/* Forced past empty at 25 A (discharge MOSFET stuck, a load that keeps
 * pulling): the voltage falls towards 0 V and the SOC stays bounded; after
 * hours it reverses, by no more than the current through the cell's
 * resistance; at rest every cell reads 0 V or more. */
START_TEST(forced_overdischarge)
{
    static struct pack p;
    new_pack(&p, 5.0, true);
    double vmin = 10.0;
    for (int k = 0; k < 10 * 360; k++) {
        pack_step(&p, -25.0, 10.0, 25.0);
        vmin = fmin(vmin, min_cell_v(&p));
    }
    printf("25 A forced for 10 h from 5 %%: lowest cell %.3f V, mean SOC %.1f %%\n", vmin,
           100.0 * pack_mean_soc(&p));
    ck_assert_double_lt(vmin, 0.0);
    ck_assert_double_gt(vmin, -25.0 * 16 * 0.45e-3 * 3.0);
    ck_assert_double_gt(pack_mean_soc(&p), -0.25);
    for (int k = 0; k < 360; k++)
        pack_step(&p, 0.0, 10.0, 25.0);
    ck_assert_double_ge(min_cell_v(&p), 0.0);
}
END_TEST

/* A 1 Ω soft short for three days takes its cell towards 0 V, never below. */
START_TEST(soft_short_stops_at_zero)
{
    static struct pack p;
    new_pack(&p, 50.0, false);
    pack_fault_cell_short(&p, 3, 1.0);
    for (int k = 0; k < 3 * 1440; k++) {
        pack_step(&p, 0.0, 60.0, 25.0);
        ck_assert_double_ge(pack_cell_v(&p, 3), 0.0);
    }
    printf("1 ohm short, 3 days: cell 3 at %.4f V, SOC %.1f %%\n", pack_cell_v(&p, 3),
           100.0 * p.cell[2].soc);
    ck_assert_double_lt(pack_cell_v(&p, 3), 0.1);
    ck_assert_double_gt(p.cell[2].soc, -0.3);
}
END_TEST

/* Damage at the ends: over-discharge costs 3·10⁻⁸ of the capacity per
 * second at 0 V (0.26 %/day), less when less deep; over-charge 10 % of the
 * capacity per capacity's worth of side-reaction charge. A cell whose
 * capacity is used up is destroyed: an internal short that reads 0 V, which
 * the BMS's AFE reports (below the 1.0 V `sense` fault threshold, R-PR-12). */
START_TEST(damage_and_destroyed_cell)
{
    static struct pack p;
    new_pack(&p, 50.0, true);
    struct cell_state s = p.cell[0];
    struct aging_cell a;
    aging_cell_init(&a);
    s.aging_rate_factor = 1.0;
    struct aging_stress st = {.dt_s = 86400.0, .temp_c = 25.0, .soc = 0.0, .below_od_s = 86400.0};
    aging_apply(&lfp50.aging, &s, &a, &st);
    ck_assert_double_eq_tol(a.q_loss_od, 3e-8 * 86400.0, 1e-12);
    st = (struct aging_stress){.dt_s = 3600.0, .temp_c = 25.0, .soc = 1.0, .side_q = 0.5};
    aging_apply(&lfp50.aging, &s, &a, &st);
    ck_assert_double_eq_tol(a.q_loss_oc, 0.05, 1e-12);

    p.aging[4].q_loss_od = 1.0 - AGING_DESTROYED_FRACTION;   /* cell 5 used up */
    for (int k = 0; k < 120; k++)
        pack_step(&p, 0.0, 1.0, 25.0);
    ck_assert(p.cell[4].destroyed);
    ck_assert(!p.cell[3].destroyed);
    ck_assert_double_eq_tol(pack_cell_v(&p, 5), 0.0, 1e-4);   /* 15 mA through R0 */
    struct sensors_sample smp;
    pack_sample(&p, &smp);
    ck_assert_int_lt(smp.cell_mV[4], 1000);
    ck_assert_int_gt(smp.cell_mV[3], 3000);
    /* It carries the string's current as a resistor, all of it heat. */
    double chem0 = p.energy.chem_j;
    pack_step(&p, 20.0, 1.0, 25.0);
    ck_assert_double_lt(fabs(pack_cell_v(&p, 5)), 20.0 * 0.01);
    ck_assert_double_gt(pack_cell_v(&p, 4), 3.0);
    ck_assert_double_gt(p.energy.chem_j - chem0, 15 * 19.0 * 3.2);
}
END_TEST

/* A year of daily PV cycles (from 10:00 charge at 20 A for up to 4 h, from
 * 18:00 discharge at 15 A for up to 5 h, each stopped by the cell limits as
 * the BMS would; the BMS running and balancing at the top): the ledger closes
 * within 0.1 % of the energy charged, with no NaN. Two-minute steps keep it
 * fast (the books are exact per step for any step). */
START_TEST(ledger_closes_over_a_year)
{
    static struct pack p;
    new_pack(&p, 40.0, true);
    for (int d = 0; d < 365; d++) {
        for (int m = 0; m < 1440; m += 2) {
            double i = 0.0;
            if (m >= 600 && m < 840 && max_cell_v(&p) < 3.55)
                i = 20.0;
            else if (m >= 1080 && m < 1380 && min_cell_v(&p) > 2.9)
                i = -15.0;
            pack_set_balancing(&p, max_cell_v(&p) > 3.40 ? 0x5555u : 0u);
            pack_step(&p, i, 120.0, 20.0 + 5.0 * sin(d * 0.0172));
        }
    }
    const struct pack_energy *e = &p.energy;
    double res = pack_energy_residual_j(e);
    printf("a year of daily cycles: in %.1f kWh, net %.2f kWh, stored %.2f kWh, heat: joule "
           "%.1f, reversible %.2f, side %.4f, self-discharge %.2f, balancing %.3f, BMS %.2f, "
           "series %.2f kWh; residual %.3g Wh (%.2g of in)\n", e->terminal_in_j / 3.6e6,
           e->terminal_j / 3.6e6, e->chem_j / 3.6e6, e->joule_j / 3.6e6,
           e->reversible_j / 3.6e6, e->side_reaction_j / 3.6e6, e->self_discharge_j / 3.6e6,
           e->balance_j / 3.6e6, e->bms_j / 3.6e6, e->series_j / 3.6e6, res / 3600.0,
           res / e->terminal_in_j);
    ck_assert(isfinite(res));
    ck_assert_double_gt(e->terminal_in_j, 365 * 2.0e3 * 3600.0);   /* > 2 kWh a day */
    ck_assert_double_le(fabs(res), 1e-3 * e->terminal_in_j);
    ck_assert_double_gt(e->bms_j, 0.0);
    ck_assert_double_gt(e->self_discharge_j, 0.0);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("edges", forced_overcharge),
    GTX_TEST(year_in_storage),
    GTX_TEST(forced_overdischarge),
    GTX_TEST(soft_short_stops_at_zero),
    GTX_TEST(damage_and_destroyed_cell),
    GTX_TEST(ledger_closes_over_a_year),
};

int main(int argc, char **argv)
{
    if (argc > 1)
        src_root = argv[1];
    if (drive_load_lfp50(src_root, &lfp50) != 0)
        return EXIT_FAILURE;
    return gtx_check_main("pack_edges", tests, GTX_COUNT(tests), 60, NULL, false);
}
