/* test_pack_unit: Check unit tests of the pack plant: rng, MOSFETs and body
 * diodes, balancing and BMS draw, spread and overrides, faults, sensors,
 * thermal time constant, aging (acceptance 7, fast path) and determinism
 * (acceptance 8). argv[1] is the source root.
 */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/aging.h"
#include "gtx/pack.h"
#include "gtx/rng.h"
#include "gtx/sensors.h"
#include "gtx/thermal.h"
#include "pack_drive.h"

static const char *src_root = ".";
static struct cell_params lfp50;

/* At 25 °C, pack_config_default's temperature. */
static void new_pack(struct pack *p, uint64_t seed, double soc_pct)
{
    ck_assert_int_eq(drive_new_pack(p, &lfp50, seed, soc_pct, 25.0), 0);
}

/* ---- rng ---- */

START_TEST(rng_normal_is_cut_and_standard)
{
    struct rng r;
    rng_seed(&r, 42, 0);
    double sum = 0.0, sum2 = 0.0, maxabs = 0.0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double z = rng_normal3(&r);
        sum += z;
        sum2 += z * z;
        maxabs = fmax(maxabs, fabs(z));
    }
    ck_assert_double_le(maxabs, 3.0);
    ck_assert_double_eq_tol(sum / n, 0.0, 0.01);
    /* Variance of a standard normal truncated at ±3 σ: 0.9733. */
    ck_assert_double_eq_tol(sum2 / n, 0.9733, 0.01);
}
END_TEST

START_TEST(rng_streams_differ_and_repeat)
{
    struct rng a, b, c;
    rng_seed(&a, 7, 1);
    rng_seed(&b, 7, 1);
    rng_seed(&c, 7, 2);
    uint64_t xa = rng_next_u64(&a), xb = rng_next_u64(&b), xc = rng_next_u64(&c);
    ck_assert_uint_eq(xa, xb);
    ck_assert_uint_ne(xa, xc);
    double u = rng_uniform(&a);
    ck_assert(u >= 0.0 && u < 1.0);
    double lo = 0.0, hi = 0.0;
    for (int i = 0; i < 100000; i++) {
        double b = rng_bell(&a);
        lo = fmin(lo, b);
        hi = fmax(hi, b);
    }
    ck_assert_double_ge(lo, -1.0);
    ck_assert_double_le(hi, 1.0);
    ck_assert_double_lt(lo, -0.6);
    ck_assert_double_gt(hi, 0.6);
}
END_TEST

/* ---- MOSFETs, diodes, draws ---- */

START_TEST(fets_both_on_pass_both_ways)
{
    static struct pack p;
    new_pack(&p, 1, 50.0);
    pack_step(&p, 10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), 10.0);
    ck_assert_double_eq_tol(pack_terminal_v(&p), pack_battery_v(&p) + 10.0 * 0.003, 1e-12);
    pack_step(&p, -10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), -10.0);
    ck_assert_double_eq_tol(pack_terminal_v(&p), pack_battery_v(&p) - 10.0 * 0.003, 1e-12);
}
END_TEST

/* A fresh pack with these MOSFETs and its Thevenin view, which must allow exactly the
 * directions whose MOSFET is on. */
static void one_fet_on(struct pack *p, bool charge_on, bool discharge_on,
                       struct pack_thevenin *th)
{
    new_pack(p, 1, 50.0);
    pack_set_fets(p, charge_on, discharge_on);
    pack_thevenin(p, th);
    ck_assert(th->can_charge == charge_on);
    ck_assert(th->can_discharge == discharge_on);
}

/* Charge FET off: only discharge, through its body diode (0.7 V). */
START_TEST(charge_fet_off_discharges_through_diode)
{
    static struct pack p;
    struct pack_thevenin th;
    one_fet_on(&p, false, true, &th);
    ck_assert_double_eq(th.discharge_diode_v, 0.7);
    pack_step(&p, 10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), 0.0);
    pack_step(&p, -10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), -10.0);
    ck_assert_double_eq_tol(pack_terminal_v(&p), pack_battery_v(&p) - 0.03 - 0.7, 1e-12);
    ck_assert_double_eq_tol(p.energy.diode_j, 7.0, 1e-12);   /* 0.7 V · 10 A · 1 s */
}
END_TEST

/* Discharge FET off: only charge, through its body diode. */
START_TEST(discharge_fet_off_charges_through_diode)
{
    static struct pack p;
    struct pack_thevenin th;
    one_fet_on(&p, true, false, &th);
    ck_assert_double_eq(th.charge_diode_v, 0.7);
    pack_step(&p, -10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), 0.0);
    pack_step(&p, 10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), 10.0);
    ck_assert_double_eq_tol(pack_terminal_v(&p), pack_battery_v(&p) + 0.03 + 0.7, 1e-12);
}
END_TEST

START_TEST(both_fets_off_block_and_stuck_fet_conducts)
{
    static struct pack p;
    new_pack(&p, 1, 50.0);
    pack_set_fets(&p, false, false);
    pack_step(&p, 10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), 0.0);
    pack_step(&p, -10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), 0.0);
    ck_assert_double_eq(pack_terminal_v(&p), 0.0);     /* nothing connected */
    pack_set_bus_voltage(&p, 51.0);
    ck_assert_double_eq(pack_terminal_v(&p), 51.0);     /* the bus */
    /* A charge FET stuck closed passes charge though commanded off (through
     * the open discharge FET's diode). */
    pack_fault_fet_stuck(&p, PACK_FET_CHARGE, true);
    pack_step(&p, 10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), 10.0);
    pack_fault_fet_stuck(&p, PACK_FET_CHARGE, false);
    pack_step(&p, 10.0, 1.0, 25.0);
    ck_assert_double_eq(pack_current_a(&p), 0.0);
}
END_TEST

/* Thevenin view predicts the terminal voltage of the next step. */
START_TEST(thevenin_predicts_terminal_voltage)
{
    static struct pack p;
    new_pack(&p, 3, 60.0);
    pack_step(&p, -20.0, 10.0, 25.0);
    /* The pack's cached cell voltage is the cell model's own. */
    pack_step(&p, -25.0, 0.01, 25.0);
    for (int i = 0; i < PACK_CELLS; i++) {
        ck_assert_double_eq_tol(p.cell_v[i], cell_voltage_v(&lfp50, &p.cell[i], p.cell_i_a[i]),
                                1e-12);
    }
    struct pack_thevenin th;
    pack_thevenin(&p, &th);
    pack_step(&p, -30.0, 1e-9, 25.0);
    ck_assert_double_eq_tol(pack_terminal_v(&p), th.emf_v - 30.0 * th.r_ohm, 1e-6);
    /* About 16 · 0.45 mΩ · f(0.6) + 3 mΩ. */
    ck_assert_double_eq_tol(th.r_ohm, 16 * 0.45e-3 + 0.003, 0.8e-3);
}
END_TEST

/* R-BL-1, R-MT-1: balancing 56 Ω across the cell, about 60 mA at 3.3 V; BMS 15 mA / 0.3 mA. */
START_TEST(balancing_and_bms_draw)
{
    static struct pack p;
    new_pack(&p, 1, 50.0);
    pack_step(&p, 0.0, 1.0, 25.0);
    ck_assert_double_eq_tol(p.cell_i_a[2], -0.015, 1e-15);
    pack_set_bms_running(&p, false);
    pack_step(&p, 0.0, 1.0, 25.0);
    ck_assert_double_eq_tol(p.cell_i_a[2], -0.0003, 1e-15);
    pack_set_bms_running(&p, true);
    pack_set_balancing(&p, 1u << 3);   /* cell 4 */
    double v4 = pack_cell_v(&p, 4);
    pack_step(&p, 0.0, 1.0, 25.0);
    double bleed = -(p.cell_i_a[3] - p.cell_i_a[2]);
    ck_assert_double_eq_tol(bleed, v4 / 56.0, 1e-12);
    ck_assert_double_gt(bleed, 0.055);
    ck_assert_double_lt(bleed, 0.065);
    /* An hour of it: cell 4 falls behind cell 3 by about 60 mAh of 50 Ah. */
    double dz0 = p.cell[2].soc - p.cell[3].soc;
    for (int i = 0; i < 3600; i++) {
        pack_step(&p, 0.0, 1.0, 25.0);
    }
    double dz = (p.cell[2].soc - p.cell[3].soc) - dz0;
    ck_assert_double_eq_tol(dz * p.cell[3].capacity_ah, bleed, 0.003);
    ck_assert_double_gt(p.energy.balance_j, 0.0);
}
END_TEST

/* ---- spread, overrides, faults ---- */

START_TEST(spread_matches_config_and_overrides_apply)
{
    static struct pack p;
    struct pack_config cfg;
    pack_config_default(&cfg, &lfp50);
    cfg.spread = (struct pack_spread){0.0, 0.0, 0.0, 0.0};
    ck_assert_int_eq(pack_init(&p, &cfg), 0);
    for (int i = 1; i < PACK_CELLS; i++) {
        ck_assert_double_eq(p.cell[i].soc, p.cell[0].soc);
        ck_assert_double_eq(p.cell[i].capacity_ah, 50.0);
    }
    pack_config_default(&cfg, &lfp50);
    cfg.soc_pct = 0.2;          /* the spread would go below 0: clipped */
    cfg.n_overrides = 1;
    cfg.overrides[0] = (struct pack_cell_override){7, 30.0, 45.0, 2.0, 40.0};
    ck_assert_int_eq(pack_init(&p, &cfg), 0);
    double min_soc = 1.0, max_dev = 0.0;
    for (int i = 0; i < PACK_CELLS; i++) {
        if (i == 6) {
            continue;
        }
        min_soc = fmin(min_soc, p.cell[i].soc);
        max_dev = fmax(max_dev, fabs(p.cell[i].capacity_ah / 50.0 - 1.0));
        ck_assert_double_le(fabs(p.r_base[i] - 1.0), 0.15 + 1e-12);   /* 3 σ of 5 % */
    }
    ck_assert_double_ge(min_soc, 0.0);
    ck_assert_double_le(max_dev, 0.03 + 1e-12);                       /* 3 σ of 1 % */
    ck_assert_double_gt(max_dev, 0.0);
    ck_assert_double_eq(p.cell[6].soc, 0.30);
    ck_assert_double_eq(p.cell[6].capacity_ah, 45.0);
    ck_assert_double_eq(p.cell[6].r_factor, 2.0);
    ck_assert_double_eq(pack_cell_temp_c(&p, 7), 40.0);
}
END_TEST

START_TEST(cell_faults)
{
    static struct pack p;
    new_pack(&p, 1, 50.0);
    double cap = p.cell[4].capacity_ah;
    pack_fault_cell_weak(&p, 5, 80.0);
    ck_assert_double_eq_tol(p.cell[4].capacity_ah, 0.8 * cap, 1e-12);
    pack_fault_cell_weak(&p, 5, 100.0);
    ck_assert_double_eq_tol(p.cell[4].capacity_ah, cap, 1e-12);
    double r = p.cell[8].r_factor;
    pack_fault_cell_resistance(&p, 9, 3.0);
    ck_assert_double_eq_tol(p.cell[8].r_factor, 3.0 * r, 1e-12);
    /* A 10 Ω soft short drains cell 2 by about 0.33 A more than cell 3. */
    pack_fault_cell_short(&p, 2, 10.0);
    double d0 = p.cell[2].soc - p.cell[1].soc;
    for (int i = 0; i < 3600; i++) {
        pack_step(&p, 0.0, 1.0, 25.0);
    }
    double lost_ah = ((p.cell[2].soc - p.cell[1].soc) - d0) * p.cell[1].capacity_ah;
    ck_assert_double_eq_tol(lost_ah, pack_cell_v(&p, 2) / 10.0, 0.01);
}
END_TEST

/* R-SOC-3: over-discharge below 2.0 V costs capacity for good. */
START_TEST(overdischarge_damages)
{
    static struct pack p;
    /* From 5 %: the healthy cells stay above 2.0 V while the weak one falls to 1.5 V. */
    new_pack(&p, 1, 5.0);
    pack_fault_cell_weak(&p, 1, 50.0);
    double frac0 = aging_capacity_fraction(&p.cell[0], &p.aging[0]);
    for (int i = 0; i < 3600 && pack_cell_v(&p, 1) > 1.5; i++) {
        pack_step(&p, -25.0, 1.0, 25.0);
    }
    ck_assert_double_lt(pack_cell_v(&p, 1), 2.0);
    for (int i = 0; i < 600; i++) {
        pack_step(&p, -1.0, 1.0, 25.0);
    }
    ck_assert_double_gt(p.aging[0].q_loss_od, 0.0);
    ck_assert_double_eq(p.aging[1].q_loss_od, 0.0);
    ck_assert_double_lt(aging_capacity_fraction(&p.cell[0], &p.aging[0]), frac0);
}
END_TEST

/* ---- sensors ---- */

static void truth_at(struct sensors_truth *t, double cell_v, double current_a, double temp_c)
{
    for (int i = 0; i < SENSORS_CELLS; i++) {
        t->cell_v[i] = cell_v;
    }
    t->battery_v = 16 * cell_v;
    t->pack_v = 16 * cell_v;
    t->current_a = current_a;
    for (int i = 0; i < SENSORS_NTCS; i++) {
        t->temp_c[i] = temp_c;
    }
}

START_TEST(sensors_quantise_within_bounds)
{
    struct sensors s;
    sensors_init(&s, &sensors_params_default, 5, 2);
    struct sensors_truth t;
    truth_at(&t, 3.3004, 12.345, 23.456);
    for (int k = 0; k < 2000; k++) {
        struct sensors_sample o;
        sensors_sample(&s, &t, &o);
        for (int i = 0; i < SENSORS_CELLS; i++) {
            ck_assert_int_ge(o.cell_mV[i], 3300 - 4);   /* ±2 noise ±1 offset + rounding */
            ck_assert_int_le(o.cell_mV[i], 3301 + 3);
        }
        ck_assert_int_eq(o.current_mA % 10, 0);
        ck_assert_int_ge(o.current_mA, 12345 - 30);
        ck_assert_int_le(o.current_mA, 12345 + 30);
        for (int i = 0; i < SENSORS_NTCS; i++) {
            ck_assert_int_ge(o.temp_ddegC[i], 235 - 3);
            ck_assert_int_le(o.temp_ddegC[i], 235 + 3);
        }
        ck_assert_uint_eq(o.battery_mV % 10, 0);
    }
}
END_TEST

START_TEST(sensors_faults_read_like_hardware)
{
    static struct pack p;
    new_pack(&p, 1, 50.0);
    pack_step(&p, 5.0, 1.0, 25.0);
    pack_fault_ntc(&p, 2, SENSORS_NTC_OPEN);
    pack_fault_ntc(&p, 5, SENSORS_NTC_SHORT);
    pack_fault_sense_open(&p, 9, true);
    pack_fault_current_offset(&p, 2.0);
    struct sensors_sample o;
    pack_sample(&p, &o);
    ck_assert_int_le(o.temp_ddegC[1], -500);     /* open: colder than -50 °C */
    ck_assert_int_ge(o.temp_ddegC[4], 1500);     /* short: hotter than 150 °C */
    ck_assert_int_ge(o.temp_ddegC[0], 240);      /* healthy NTC 1 on cell 2 */
    ck_assert_int_le(o.cell_mV[8], 5);           /* open sense line: about 0 V */
    ck_assert_int_gt(o.cell_mV[7], 3000);
    ck_assert_int_ge(o.current_mA, 7000 - 30);   /* 5 A + 2 A offset */
    ck_assert_int_le(o.current_mA, 7000 + 30);
    pack_fault_ntc(&p, 2, SENSORS_NTC_OK);
    pack_fault_sense_open(&p, 9, false);
    pack_sample(&p, &o);
    ck_assert_int_ge(o.temp_ddegC[1], 240);
    ck_assert_int_gt(o.cell_mV[8], 3000);
}
END_TEST

/* NTC 5 sits on the MOSFETs: warmer than the case under current. */
START_TEST(mosfet_temperature_rises_with_current)
{
    static struct pack p;
    new_pack(&p, 1, 90.0);
    for (int i = 0; i < 1200; i++) {
        pack_step(&p, -100.0, 1.0, 25.0);
    }
    /* 100 A through 1 mΩ: 10 W at 1.5 K/W, after 20 time constants (the
     * case still warms, so the MOSFETs lag it slightly). */
    ck_assert_double_eq_tol(pack_fet_temp_c(&p) - pack_case_temp_c(&p), 15.0, 0.5);
}
END_TEST

/* ---- thermal ---- */

/* With docs/spec/PHYSICS.md's numbers the pack cools towards ambient with a time
 * constant of about 2.5-3 h (measured: time for the mean cell excess to fall
 * to 1/e). The same figure with 1 s and 60 s steps. */
START_TEST(thermal_time_constant)
{
    double tau_h[2];
    const double dts[2] = {1.0, 60.0};
    for (int k = 0; k < 2; k++) {
        struct thermal th;
        struct thermal_params tp = thermal_params_default;
        tp.cell_c_j_per_k = lfp50.mass_kg * lfp50.cp_j_per_kg_k;
        thermal_init(&th, &tp, 35.0);
        double zero[THERMAL_CELLS] = {0};
        double t = 0.0, excess = 10.0;
        while (excess > 10.0 / M_E) {
            thermal_step(&th, zero, 0.0, 0.0, 25.0, dts[k]);
            t += dts[k];
            excess = 0.0;
            for (int i = 0; i < THERMAL_CELLS; i++) {
                excess += (th.cell_c[i] - 25.0) / THERMAL_CELLS;
            }
        }
        tau_h[k] = t / 3600.0;
    }
    printf("thermal time constant: %.3f h (1 s steps), %.3f h (60 s steps)\n", tau_h[0], tau_h[1]);
    ck_assert_double_ge(tau_h[0], 2.5);
    ck_assert_double_le(tau_h[0], 3.0);
    ck_assert_double_eq_tol(tau_h[1], tau_h[0], 0.03);
}
END_TEST

/* Heat conservation of the network: stored heat = generated - lost to ambient. */
START_TEST(thermal_conserves_heat)
{
    struct thermal th;
    struct thermal_params tp = thermal_params_default;
    tp.cell_c_j_per_k = 1050.0;
    thermal_init(&th, &tp, 25.0);
    double q[THERMAL_CELLS] = {0};
    q[0] = 10.0;
    double lost = 0.0, gen = 0.0;
    for (int i = 0; i < 3600; i++) {
        thermal_step(&th, q, 2.0, 1.0, 25.0, 1.0);
        lost += tp.ua_w_per_k * (th.case_c - 25.0);
        gen += 13.0;
    }
    ck_assert_double_eq_tol(thermal_stored_j(&th, 25.0), gen - lost, 1e-6);
    /* Conduction along the row: cell 1 (heated) is hottest, cell 16 coolest. */
    ck_assert_double_gt(th.cell_c[0], th.cell_c[1]);
    ck_assert_double_gt(th.cell_c[1], th.cell_c[15]);
}
END_TEST

/* ---- aging ---- */

/* Acceptance 7 (aging-only fast path): 6000 cycles of 80 % DOD at 0.5 C and
 * 25 °C leave 60 % ± 3 % of the capacity. */
START_TEST(aging_6000_cycles)
{
    struct cell_state s;
    struct aging_cell a;
    cell_init(&s, &lfp50, 0.5, 25.0);
    aging_cell_init(&a);
    struct aging_cycle_profile prof = {.dod = 0.8, .c_rate = 0.5, .temp_c = 25.0,
                                       .mean_soc = 0.5, .rest_s = 0.0};
    aging_fast_cycles(&lfp50.aging, &s, &a, &prof, 6000.0);
    double frac = aging_capacity_fraction(&s, &a);
    printf("aging: 6000 cycles -> %.2f %% capacity (calendar %.2f %%, cycle %.2f %%), "
           "resistance x%.3f, EFC %.0f\n", 100.0 * frac, 100.0 * s.q_loss_cal,
           100.0 * s.q_loss_cyc, aging_resistance_factor(&a), s.efc);
    ck_assert_double_ge(frac, 0.57);
    ck_assert_double_le(frac, 0.63);
    ck_assert_double_gt(s.q_loss_cal, 0.0);
    ck_assert_double_gt(aging_resistance_factor(&a), 1.0);

    /* The same through the pack's config (cycles already done): every cell
     * within the ±5 % rate variation of the nominal figure. */
    static struct pack p;
    struct pack_config cfg;
    pack_config_default(&cfg, &lfp50);
    cfg.prior_efc = 6000.0 * 0.8;
    ck_assert_int_eq(pack_init(&p, &cfg), 0);
    for (int i = 0; i < PACK_CELLS; i++) {
        double f = aging_capacity_fraction(&p.cell[i], &p.aging[i]);
        ck_assert_double_ge(f, 1.0 - 0.40 * 1.06);
        ck_assert_double_le(f, 1.0 - 0.40 * 0.94);
    }
}
END_TEST

/* R-MT-1 (aging punishes hot storage). Virtual time: the same stress in one interval
 * or in many gives the same loss; hotter and fuller ages faster. */
START_TEST(aging_virtual_time_and_stress)
{
    struct cell_state s1, s2, s3;
    struct aging_cell a1, a2, a3;
    cell_init(&s1, &lfp50, 0.5, 25.0);
    cell_init(&s2, &lfp50, 0.5, 25.0);
    cell_init(&s3, &lfp50, 0.5, 25.0);
    aging_cell_init(&a1);
    aging_cell_init(&a2);
    aging_cell_init(&a3);
    struct aging_stress st = {.dt_s = 86400.0 * 365, .temp_c = 25.0, .soc = 0.5};
    aging_apply(&lfp50.aging, &s1, &a1, &st);
    st.dt_s = 86400.0;
    for (int d = 0; d < 365; d++) {
        aging_apply(&lfp50.aging, &s2, &a2, &st);
    }
    ck_assert_double_eq_tol(s2.q_loss_cal, s1.q_loss_cal, 1e-12);
    ck_assert_double_eq_tol(s1.q_loss_cal, 0.0303, 0.002);   /* about 3 % a year */
    st = (struct aging_stress){.dt_s = 86400.0 * 365, .temp_c = 45.0, .soc = 1.0};
    aging_apply(&lfp50.aging, &s3, &a3, &st);
    ck_assert_double_gt(s3.q_loss_cal, 3.0 * s1.q_loss_cal);
    /* Exactly 1 at the reference SOC and temperature: aging.c's ua_ref_v is
     * anode_potential_v(AGING_REF_SOC) written out, and this fails if it is not. */
    ck_assert_double_eq(aging_soc_factor(AGING_REF_SOC, 25.0), 1.0);
    ck_assert_double_lt(aging_soc_factor(0.1, 25.0), 1.0);
    ck_assert_double_gt(aging_soc_factor(0.9, 25.0), 1.0);
}
END_TEST

/* ---- determinism ---- */

/* 24 h of cycling with the pack's own aging, 10 s steps. */
static void cycle_24h(struct pack *p)
{
    struct drive d;
    drive_init(&d, p, 10.0, 25.0);
    d.time_limit_s = 24.0 * 3600.0;
    pack_set_balancing(p, 0x8001);
    while (d.time_s < d.time_limit_s) {
        drive_until_soc(&d, -25.0, 0.15);
        drive_rest(&d, 1800.0);
        drive_cccv(&d, 25.0, 55.68, 2.5);
        drive_rest(&d, 1800.0);
    }
    struct sensors_sample o;
    pack_sample(p, &o);
}

/* Acceptance 8: the same seed gives bit-identical cell states after 24 h; a
 * different seed a different spread. The physical part of struct cell_state
 * (everything before its cache) is compared with memcmp. */
START_TEST(determinism_same_seed)
{
    static struct pack a, b, c;
    new_pack(&a, 1234, 50.0);
    new_pack(&b, 1234, 50.0);
    new_pack(&c, 1235, 50.0);
    cycle_24h(&a);
    cycle_24h(&b);
    cycle_24h(&c);
    const size_t n = offsetof(struct cell_state, cache);
    for (int i = 0; i < PACK_CELLS; i++) {
        ck_assert_int_eq(memcmp(&a.cell[i], &b.cell[i], n), 0);
        ck_assert_int_eq(memcmp(&a.aging[i], &b.aging[i], sizeof a.aging[i]), 0);
    }
    ck_assert_int_eq(memcmp(&a.sens.rng, &b.sens.rng, sizeof a.sens.rng), 0);
    ck_assert_int_eq(memcmp(&a.th, &b.th, sizeof a.th), 0);
    ck_assert_double_gt(a.cell[0].efc, 0.5);
    ck_assert_int_ne(memcmp(a.cap_base_ah, c.cap_base_ah, sizeof a.cap_base_ah), 0);
    ck_assert_int_ne(memcmp(a.r_base, c.r_base, sizeof a.r_base), 0);
    int differ = 0;
    for (int i = 0; i < PACK_CELLS; i++) {
        differ += memcmp(&a.cell[i], &c.cell[i], n) != 0;
    }
    ck_assert_int_eq(differ, PACK_CELLS);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("unit", rng_normal_is_cut_and_standard),
    GTX_TEST(rng_streams_differ_and_repeat),
    GTX_TEST(fets_both_on_pass_both_ways),
    GTX_TEST(charge_fet_off_discharges_through_diode),
    GTX_TEST(discharge_fet_off_charges_through_diode),
    GTX_TEST(both_fets_off_block_and_stuck_fet_conducts),
    GTX_TEST(thevenin_predicts_terminal_voltage),
    GTX_TEST(balancing_and_bms_draw),
    GTX_TEST(spread_matches_config_and_overrides_apply),
    GTX_TEST(cell_faults),
    GTX_TEST(overdischarge_damages),
    GTX_TEST(sensors_quantise_within_bounds),
    GTX_TEST(sensors_faults_read_like_hardware),
    GTX_TEST(mosfet_temperature_rises_with_current),
    GTX_TEST(thermal_time_constant),
    GTX_TEST(thermal_conserves_heat),
    GTX_TEST(aging_6000_cycles),
    GTX_TEST(aging_virtual_time_and_stress),
    GTX_TEST(determinism_same_seed),
};

int main(int argc, char **argv)
{
    if (argc > 1) {
        src_root = argv[1];
    }
    if (drive_load_lfp50(src_root, &lfp50) != 0) {
        return EXIT_FAILURE;
    }
    return gtx_check_main("pack_unit", tests, GTX_COUNT(tests), 60, NULL, false);
}
