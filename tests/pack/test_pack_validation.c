/* test_pack_validation: the pack-level validations 2-5 of docs/spec/PHYSICS.md
 * (energy at 25 °C and soaked cold, round trip, energy balance over 24 h) and its
 * heat sanity check. argv[1] is the source root, argv[2] an
 * optional test case (validation, cold).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/pack.h"
#include "pack_drive.h"

static const char *src_root = ".";
static struct cell_params lfp50;

/* The product's charge (docs/spec/PRODUCT.md): CC 25 A to 55.68 V, CV until 2.5 A. */
#define CHARGE_A 25.0
#define CHARGE_CV_V 55.68
#define CHARGE_END_A 2.5
#define DISCHARGE_A 25.0
#define EMPTY_V 45.6
#define DT_S 1.0

/* Seed 1, pack_config_default's. */
static void new_pack(struct pack *p, double soc_pct, double temp_c)
{
    ck_assert_int_eq(drive_new_pack(p, &lfp50, 1, soc_pct, temp_c), 0);
}

/* Full at 25 °C: CC/CV from 20 %, then 1 h rest. */
static void make_full_seed(struct pack *full, uint64_t seed)
{
    struct drive d;
    ck_assert_int_eq(drive_new_pack(full, &lfp50, seed, 20.0, 25.0), 0);
    drive_init(&d, full, DT_S, 25.0);
    drive_cccv(&d, CHARGE_A, CHARGE_CV_V, CHARGE_END_A);
    drive_rest(&d, 3600.0);
}

/* Seed 1 made full, and a drive (at 25 °C) to go on from there. */
static void make_full(struct pack *p, struct drive *d)
{
    make_full_seed(p, 1);
    drive_init(d, p, DT_S, 25.0);
}

/* Acceptance 3: 25 °C, full to 45.6 V at 25 A: 2400-2600 Wh. */
START_TEST(energy_25c)
{
    static struct pack p;
    struct drive d;
    make_full(&p, &d);
    double wh = drive_discharge_to_v(&d, DISCHARGE_A, EMPTY_V) / 3600.0;
    printf("energy 25 C: %.1f Wh (mean SOC left %.2f %%)\n", wh, 100.0 * pack_mean_soc(&p));
    ck_assert_double_ge(wh, 2400.0);
    ck_assert_double_le(wh, 2600.0);
}
END_TEST

/* A copy of the full pack, soaked at temp_c, discharged at 25 A to 45.6 V: the
 * energy (Wh) and the mean true SOC at that first cut-off. A pack is a plain value
 * (its pointers go to the shared cell parameters), so one charge serves every soak. */
static double soaked_discharge_wh(const struct pack *full, double temp_c, double *soc_at_cut)
{
    static struct pack p;
    struct drive d;
    p = *full;
    drive_init(&d, &p, DT_S, temp_c);
    pack_set_temperature(&p, temp_c);
    double wh = drive_discharge_to_v(&d, DISCHARGE_A, EMPTY_V) / 3600.0;
    *soc_at_cut = pack_mean_soc(&p);
    return wh;
}

/* Acceptance 3: soaked at -20 °C: clearly less than at 25 °C, roughly half
 * (35-70 % here; docs/physics.md "The stranded share": 61.3 %, it was 88.4 %
 * before the stranded share). Issue 12: the energy falls with each colder soak
 * and is continuous in T: no step between two measured neighbours loses more
 * than 12 % of the 25 °C energy per 2.5 K (measured: at most 8.0; a flip of
 * the cold end loses 30-40); at -10 °C the first cut-off comes near empty
 * (mean true SOC <= 15 %) for four seeds that agree within 3 %. */
START_TEST(energy_cold)
{
    static const double temps_c[] = {25.0, 10.0, 0.0, -5.0, -10.0, -12.5, -15.0, -17.5, -20.0};
    enum { N = sizeof temps_c / sizeof temps_c[0], AT_M10 = 4 };
    double wh[N], soc[N];
    static struct pack full;
    make_full_seed(&full, 1);
    for (int i = 0; i < N; i++) {
        wh[i] = soaked_discharge_wh(&full, temps_c[i], &soc[i]);
        printf("energy soaked at %.1f C: %.1f Wh = %.1f %% of 25 C, first cut-off at %.1f %% SOC\n",
               temps_c[i], wh[i], 100.0 * wh[i] / wh[0], 100.0 * soc[i]);
    }
    for (int i = 1; i < N; i++) {
        ck_assert_double_lt(wh[i], wh[i - 1]);
        double per_2k5 = (wh[i - 1] - wh[i]) / (temps_c[i - 1] - temps_c[i]) * 2.5;
        ck_assert_double_le(per_2k5, 0.12 * wh[0]);
    }
    /* docs/spec/PHYSICS.md validation 3: clearly less at -20 °C, roughly half. */
    ck_assert_double_ge(wh[N - 1] / wh[0], 0.35);
    ck_assert_double_le(wh[N - 1] / wh[0], 0.70);
    ck_assert_double_le(soc[AT_M10], 0.15);
    double lo = wh[AT_M10], hi = wh[AT_M10];
    for (uint64_t seed = 2; seed <= 4; seed++) {
        double z;
        make_full_seed(&full, seed);
        double w = soaked_discharge_wh(&full, -10.0, &z);
        printf("energy soaked at -10 C, seed %u: %.1f Wh, first cut-off at %.1f %% SOC\n",
               (unsigned)seed, w, 100.0 * z);
        ck_assert_double_le(z, 0.15);
        lo = w < lo ? w : lo;
        hi = w > hi ? w : hi;
    }
    ck_assert_double_le(hi - lo, 0.03 * lo);
}
END_TEST

/* Acceptance 4: round trip at 25 A, CC/CV 55.68 V, 25 °C: 90-97 %. From empty
 * (discharged to 45.6 V, rested 1 h), charged, rested 1 h, discharged. */
START_TEST(round_trip)
{
    static struct pack p;
    struct drive d;
    make_full(&p, &d);
    drive_discharge_to_v(&d, DISCHARGE_A, EMPTY_V);
    drive_rest(&d, 3600.0);
    double e_in = drive_cccv(&d, CHARGE_A, CHARGE_CV_V, CHARGE_END_A);
    drive_rest(&d, 3600.0);
    double e_out = drive_discharge_to_v(&d, DISCHARGE_A, EMPTY_V);
    double rt = e_out / e_in;
    printf("round trip: in %.1f Wh, out %.1f Wh, %.2f %%\n", e_in / 3600.0, e_out / 3600.0,
           100.0 * rt);
    ck_assert_double_ge(rt, 0.90);
    ck_assert_double_le(rt, 0.97);
}
END_TEST

static double heat_j(const struct pack_energy *e)
{
    return e->joule_j + e->reversible_j + e->self_discharge_j + e->side_reaction_j + e->series_j
           + e->diode_j + e->balance_j + e->bms_j;
}

/* Acceptance 5: over 24 h of charge, discharge, rest, balancing, a soft short,
 * diode conduction and the BMS switching off, the electrical energy that
 * entered the terminals equals the change of stored chemical energy plus all
 * heat generated, within 0.1 % (of the energy charged). */
START_TEST(energy_balance_24h)
{
    static struct pack p;
    new_pack(&p, 50.0, 25.0);
    struct drive d;
    drive_init(&d, &p, DT_S, 25.0);
    pack_fault_cell_short(&p, 5, 100.0);
    double charged_j = 0.0;
    double e0 = d.energy_in_j;

    d.time_limit_s = 24.0 * 3600.0;
    drive_until_soc(&d, -50.0, 0.15);            /* 1 C discharge */
    drive_rest(&d, 1800.0);
    pack_set_balancing(&p, 0x0F0F);
    charged_j += drive_cccv(&d, CHARGE_A, CHARGE_CV_V, CHARGE_END_A);
    drive_rest(&d, 3600.0);                      /* balancing at rest */
    pack_set_balancing(&p, 0);
    pack_set_fets(&p, false, true);              /* discharge through the charge FET's diode */
    drive_until_soc(&d, -DISCHARGE_A, 0.6);
    pack_set_fets(&p, true, false);              /* charge through the discharge FET's diode */
    double e_before = d.energy_in_j;
    drive_until_soc(&d, 10.0, 0.7);
    charged_j += d.energy_in_j - e_before;
    pack_set_fets(&p, true, true);
    pack_set_bms_running(&p, false);
    while (d.time_s < d.time_limit_s) {
        drive_until_soc(&d, -12.5, 0.2);
        drive_rest(&d, 1800.0);
        e_before = d.energy_in_j;
        drive_until_soc(&d, CHARGE_A, 0.9);
        charged_j += d.energy_in_j - e_before;
        drive_rest(&d, 1800.0);
    }
    double e_in = d.energy_in_j - e0;
    const struct pack_energy *e = &p.energy;
    double rhs = e->chem_j + heat_j(e);
    double err = fabs(e_in - rhs) / charged_j;
    printf("energy balance 24 h: in %.3f Wh, chem %.3f Wh, heat %.3f Wh "
           "(joule %.3f rev %.3f sd %.3f series %.3f diode %.3f bal %.3f bms %.3f), "
           "error %.3g J = %.2e %% of %.1f Wh charged\n",
           e_in / 3600.0, e->chem_j / 3600.0, heat_j(e) / 3600.0, e->joule_j / 3600.0,
           e->reversible_j / 3600.0, e->self_discharge_j / 3600.0, e->series_j / 3600.0,
           e->diode_j / 3600.0, e->balance_j / 3600.0, e->bms_j / 3600.0, e_in - rhs, 100.0 * err,
           charged_j / 3600.0);
    ck_assert_double_ge(d.time_s, 24.0 * 3600.0 - 1.0);
    ck_assert_double_gt(e->balance_j, 0.0);
    ck_assert_double_gt(e->diode_j, 0.0);
    ck_assert_double_gt(e->self_discharge_j, 0.0);
    ck_assert_double_lt(err, 0.001);
    /* Tighter than the spec so that leaving out any one heat term fails:
     * the books close to within 1 % of the smallest term. */
    double terms[] = {e->joule_j, fabs(e->reversible_j), e->self_discharge_j, e->series_j,
                      e->diode_j, e->balance_j, e->bms_j};
    double smallest = terms[0];
    for (size_t k = 1; k < sizeof terms / sizeof terms[0]; k++) {
        smallest = fmin(smallest, terms[k]);
    }
    ck_assert_double_lt(fabs(e_in - rhs), 0.01 * smallest);
}
END_TEST

/* Acceptance 6: 25 A from 90 % to 40 % at 25 °C warms the hottest cell < 5 K;
 * a 25 A charge over the same range warms it more. */
START_TEST(heat_discharge_vs_charge)
{
    static struct pack p;
    struct drive d;
    new_pack(&p, 90.0, 25.0);
    drive_init(&d, &p, DT_S, 25.0);
    drive_until_soc(&d, -25.0, 0.40);
    double rise_dsg = d.max_cell_temp_c - 25.0;

    new_pack(&p, 40.0, 25.0);
    drive_init(&d, &p, DT_S, 25.0);
    drive_until_soc(&d, 25.0, 0.90);
    double rise_chg = d.max_cell_temp_c - 25.0;
    printf("heat: discharge 90->40 %% +%.2f K, charge 40->90 %% +%.2f K\n", rise_dsg, rise_chg);
    ck_assert_double_gt(rise_dsg, 0.0);
    ck_assert_double_lt(rise_dsg, 5.0);
    ck_assert_double_gt(rise_chg, rise_dsg);
}
END_TEST

/* "cold" is its own test case (and meson test) so its result is seen apart from the rest. */
static const struct gtx_test tests[] = {
    GTX_CASE("validation", energy_25c),
    GTX_TEST(round_trip),
    GTX_TEST(energy_balance_24h),
    GTX_TEST(heat_discharge_vs_charge),
    GTX_CASE("cold", energy_cold),
};

int main(int argc, char **argv)
{
    if (argc > 1) {
        src_root = argv[1];
    }
    if (drive_load_lfp50(src_root, &lfp50) != 0) {
        return EXIT_FAILURE;
    }
    Suite *s = suite_create("pack_validation");
    gtx_check_add(s, tests, GTX_COUNT(tests), 120, NULL);
    /* argv[2], when given, names the one test case to run. */
    return gtx_check_run(s, true, argc > 2 ? argv[2] : NULL);
}
