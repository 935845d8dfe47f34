/* test_inverter: the Sofar-like inverter (src/world/inverter.c) against docs/spec/CAN.md
 * "The simulated inverter's side" and docs/spec/SCENARIO.md "The inverter": lithium mode
 * limits, flags, CV, min SOC, force and full charge, CAN timeout; manual mode.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/dcbus.h"
#include "gtx/inverter.h"
#include "gtx/pylon.h"

/* What the BMS says in one burst. */
struct bms_says {
    double cvl_v, ccl_a, dcl_a, dvl_v;
    int soc_pct;
    uint8_t flags;
};

static const struct bms_says normal = {55.7, 25.0, 30.0, 45.6, 60, 0xC0};

static void send_frame(struct inverter *inv, uint64_t t_ms, const struct pylon_state *s,
                       uint32_t id)
{
    struct board_can_frame f;
    ck_assert(pylon_encode(s, id, &f));
    ck_assert(inv_on_can_frame(inv, t_ms, &f));
}

/* The six frames in docs/spec/CAN.md's order. */
static void send_burst(struct inverter *inv, uint64_t t_ms, const struct bms_says *b)
{
    struct pylon_state s;
    pylon_state_init(&s);
    s.cvl_v = b->cvl_v;
    s.ccl_a = b->ccl_a;
    s.dcl_a = b->dcl_a;
    s.dvl_v = b->dvl_v;
    s.soc_pct = b->soc_pct;
    s.soh_pct = 100;
    s.voltage_v = 52.0;
    s.flags = b->flags;
    memcpy(s.manufacturer, "PYLON   ", 9);
    static const uint32_t ids[] = {0x351, 0x355, 0x356, 0x359, 0x35C, 0x35E};
    for (int i = 0; i < 6; i++)
        send_frame(inv, t_ms, &s, ids[i]);
}

static struct inverter inv;
static struct inv_request req;
static struct board_can_frame tx;

static void setup_lithium(void)
{
    struct inv_settings s;
    inv_settings_default(&s);
    inv_init(&inv, &s, 0);
}

/* A step at noon (outside the full-charge window) with a 52 V bus. */
static void step(uint64_t t_ms)
{
    inv_step(&inv, t_ms, 12 * 3600.0, 52.0, &req, &tx);
}

/* The BMS's frames at t_ms, then the inverter's step 10 ms later. */
static void burst_and_step(uint64_t t_ms, const struct bms_says *b)
{
    send_burst(&inv, t_ms, b);
    step(t_ms + 10);
}

/* Lithium mode with the normal frames at 0 and the set-point set_a, stepped at 10 ms. */
static void lithium_told(double set_a)
{
    setup_lithium();
    send_burst(&inv, 0, &normal);
    inv_set_current(&inv, set_a);
    step(10);
}

START_TEST(test_defaults)
{
    struct inv_settings s;
    inv_settings_default(&s);
    ck_assert_int_eq(s.mode, INV_MODE_LITHIUM);
    ck_assert_double_eq(s.charge_voltage_v, 58.0);
    ck_assert_double_eq(s.charge_current_a, 50.0);
    ck_assert_double_eq(s.discharge_current_a, 50.0);
    ck_assert_double_eq(s.cutoff_voltage_v, 44.0);
    ck_assert_double_eq(s.min_soc_pct, 10.0);
    ck_assert_int_eq(s.window_start_s, 3 * 3600);
    ck_assert_int_eq(s.window_end_s, 6 * 3600);
    ck_assert_double_eq(s.standby_w, 15.0);
    ck_assert_double_eq(s.can_timeout_s, 10.0);
}
END_TEST

START_TEST(test_waits_for_first_351)
{
    setup_lithium();
    inv_set_current(&inv, 20.0);
    step(0);
    ck_assert_int_eq(inv.activity, INV_ACT_WAITING);
    ck_assert_double_eq(req.current_a, 0.0);
    ck_assert_double_eq(req.standby_w, 15.0);
    /* Everything but 0x351: still waiting. */
    struct pylon_state s;
    pylon_state_init(&s);
    s.soc_pct = 60;
    s.flags = 0xC0;
    send_frame(&inv, 100, &s, 0x355);
    send_frame(&inv, 100, &s, 0x35C);
    step(110);
    ck_assert_int_eq(inv.activity, INV_ACT_WAITING);
    ck_assert_double_eq(req.current_a, 0.0);
    burst_and_step(1000, &normal);
    ck_assert_int_eq(inv.activity, INV_ACT_CHARGING);
    ck_assert_double_eq(req.current_a, 20.0);
    ck_assert_double_eq(req.standby_w, 0.0);
}
END_TEST

START_TEST(test_follows_ccl_dcl)
{
    lithium_told(40.0);
    ck_assert_double_eq(req.current_a, 25.0); /* CCL */
    inv_set_current(&inv, 10.0);
    step(20);
    ck_assert_double_eq(req.current_a, 10.0); /* the set-point */
    inv_set_current(&inv, -40.0);
    step(30);
    ck_assert_double_eq(req.current_a, -30.0); /* DCL */
    ck_assert_int_eq(inv.activity, INV_ACT_DISCHARGING);
    /* Its own settings bound the BMS's limits. */
    struct inv_settings s = inv.set;
    s.charge_current_a = 20.0;
    s.discharge_current_a = 15.0;
    inv_configure(&inv, &s);
    step(40);
    ck_assert_double_eq(req.current_a, -15.0);
    inv_set_current(&inv, 40.0);
    step(50);
    ck_assert_double_eq(req.current_a, 20.0);
    /* A new CCL is followed at once. */
    struct bms_says low = normal;
    low.ccl_a = 2.5;
    burst_and_step(1000, &low);
    ck_assert_double_eq(req.current_a, 2.5);
}
END_TEST

START_TEST(test_power_setpoint_uses_bus_voltage)
{
    setup_lithium();
    send_burst(&inv, 0, &normal);
    inv_set_power(&inv, 1000.0);
    inv_step(&inv, 10, 43200.0, 50.0, &req, &tx);
    ck_assert_double_eq_tol(req.current_a, 20.0, 1e-12);
    inv_set_power(&inv, -500.0);
    inv_step(&inv, 20, 43200.0, 50.0, &req, &tx);
    ck_assert_double_eq_tol(req.current_a, -10.0, 1e-12);
}
END_TEST

START_TEST(test_enable_bits)
{
    setup_lithium();
    struct bms_says b = normal;
    b.flags = 0x40; /* discharge only */
    send_burst(&inv, 0, &b);
    inv_set_current(&inv, 20.0);
    step(10);
    ck_assert_double_eq(req.current_a, 0.0);
    ck_assert_int_eq(inv.activity, INV_ACT_CHARGE_BLOCKED);
    ck_assert_double_eq(req.standby_w, 15.0);
    inv_set_current(&inv, -20.0);
    step(20);
    ck_assert_double_eq(req.current_a, -20.0);
    b.flags = 0x80; /* charge only */
    burst_and_step(1000, &b);
    ck_assert_double_eq(req.current_a, 0.0);
    ck_assert_int_eq(inv.activity, INV_ACT_DISCHARGE_BLOCKED);
    inv_set_current(&inv, 20.0);
    step(1020);
    ck_assert_double_eq(req.current_a, 20.0);
}
END_TEST

START_TEST(test_cv_and_cutoff_bounds)
{
    lithium_told(25.0);
    ck_assert_double_eq_tol(req.v_max_v, 55.7, 1e-12); /* min(CVL 55.7, 58.0) */
    ck_assert_double_eq_tol(req.v_min_v, 45.6, 1e-12); /* max(DVL 45.6, 44.0) */
    struct inv_settings s = inv.set;
    s.charge_voltage_v = 55.0;
    s.cutoff_voltage_v = 47.0;
    inv_configure(&inv, &s);
    step(20);
    ck_assert_double_eq(req.v_max_v, 55.0);
    ck_assert_double_eq(req.v_min_v, 47.0);

    /* On the bus: CC while far from CV, then the current tapers at 55.0 V. */
    struct dcbus_input in;
    memset(&in, 0, sizeof in);
    in.n_packs = 1;
    dcbus_pack_default(&in.pack[0], 52.0, 0.01);
    in.n_ports = 1;
    inv_port(&req, &in.port[0]);
    struct dcbus_result r;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[0], 25.0, 1e-9);
    in.pack[0].emf_v = 54.95;
    dcbus_solve(&in, &r);
    ck_assert(r.pack_a[0] > 4.0 && r.pack_a[0] < 5.0); /* (55.0 - 54.95) / 10 mΩ */
    ck_assert_double_eq_tol(r.bus_v, 55.0, 0.001);

    /* Discharging: full current while the bus stays above the cut-off (47 V
     * here), then it holds the bus at the cut-off and the current falls. */
    inv_set_current(&inv, -30.0);
    step(30);
    ck_assert_double_eq(req.current_a, -30.0);
    inv_port(&req, &in.port[0]);
    in.pack[0].emf_v = 50.0;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[0], -30.0, 1e-9);
    in.pack[0].emf_v = 47.2;
    dcbus_solve(&in, &r);
    ck_assert(r.pack_a[0] > -21.0 && r.pack_a[0] < -19.0); /* (47.2 - 47.0) / 10 mΩ */
    ck_assert_double_eq_tol(r.bus_v, 47.0, 0.003);
    in.pack[0].emf_v = 46.9;
    dcbus_solve(&in, &r);
    ck_assert_double_eq_tol(r.pack_a[0], 0.0, 1e-12);
}
END_TEST

START_TEST(test_min_soc_stop)
{
    setup_lithium();
    struct bms_says b = normal;
    b.soc_pct = 11;
    send_burst(&inv, 0, &b);
    inv_set_power(&inv, -1000.0);
    step(10);
    ck_assert_int_eq(inv.activity, INV_ACT_DISCHARGING);
    ck_assert(req.current_a < 0.0);
    b.soc_pct = 10;
    burst_and_step(1000, &b);
    ck_assert_int_eq(inv.activity, INV_ACT_MIN_SOC);
    ck_assert_double_eq(req.current_a, 0.0);
    ck_assert_double_eq(req.standby_w, 15.0);
    /* Charging is still allowed at min SOC. */
    inv_set_power(&inv, 1000.0);
    step(1020);
    ck_assert(req.current_a > 0.0);
}
END_TEST

START_TEST(test_force_charge)
{
    setup_lithium();
    struct bms_says b = normal;
    b.soc_pct = 7;
    b.flags = 0xC0 | 0x30; /* enables + force charge I and II */
    send_burst(&inv, 0, &b);
    step(10); /* idle set-point */
    ck_assert_int_eq(inv.activity, INV_ACT_FORCE_CHARGING);
    ck_assert_double_eq(req.current_a, 25.0); /* min(CCL 25, 50) */
    inv_set_power(&inv, -2000.0); /* even while asked to feed the house */
    step(20);
    ck_assert_double_eq(req.current_a, 25.0);
    struct inv_settings s = inv.set;
    s.charge_current_a = 20.0;
    inv_configure(&inv, &s);
    step(30);
    ck_assert_double_eq(req.current_a, 20.0);
    /* Request cleared: back to the set-point. */
    b.soc_pct = 10;
    b.flags = 0xC0;
    send_burst(&inv, 1000, &b);
    inv_set_idle(&inv);
    step(1010);
    ck_assert_int_eq(inv.activity, INV_ACT_IDLE);
    ck_assert_double_eq(req.current_a, 0.0);
}
END_TEST

START_TEST(test_full_charge_in_window_only)
{
    setup_lithium();
    struct bms_says b = normal;
    b.flags = 0xC0 | 0x08; /* full-charge request */
    send_burst(&inv, 0, &b);
    inv_step(&inv, 10, 3 * 3600.0 - 1.0, 52.0, &req, &tx); /* 02:59:59 */
    ck_assert_int_eq(inv.activity, INV_ACT_IDLE);
    ck_assert_double_eq(req.current_a, 0.0);
    inv_step(&inv, 20, 3 * 3600.0, 52.0, &req, &tx); /* 03:00:00 */
    ck_assert_int_eq(inv.activity, INV_ACT_FULL_CHARGING);
    ck_assert_double_eq(req.current_a, 25.0);
    ck_assert_double_eq_tol(req.v_max_v, 55.7, 1e-12);
    inv_step(&inv, 30, 6 * 3600.0 - 0.01, 52.0, &req, &tx); /* 05:59:59.99 */
    ck_assert_double_eq(req.current_a, 25.0);
    inv_step(&inv, 40, 6 * 3600.0, 52.0, &req, &tx); /* 06:00:00 */
    ck_assert_int_eq(inv.activity, INV_ACT_IDLE);

    /* Start time + simulated time: a run starting at 02:59:00 enters the
     * window 60 s in. */
    double start = 2 * 3600.0 + 59 * 60.0;
    ck_assert_double_eq_tol(inv_time_of_day_s(start, 59990), 10799.99, 1e-9);
    send_burst(&inv, 59980, &b); /* keep the link alive */
    inv_step(&inv, 59990, inv_time_of_day_s(start, 59990), 52.0, &req, &tx);
    ck_assert(!inv.comm_lost);
    ck_assert_double_eq(req.current_a, 0.0);
    inv_step(&inv, 60000, inv_time_of_day_s(start, 60000), 52.0, &req, &tx);
    ck_assert_double_eq(req.current_a, 25.0);
    /* A day later it wraps. */
    ck_assert_double_eq_tol(inv_time_of_day_s(start, 86400000ull + 60000), 10800.0, 1e-9);

    /* Request cleared by the BMS (full charge done): stops in the window. */
    b.flags = 0xC0;
    send_burst(&inv, 61000, &b);
    inv_step(&inv, 61010, 4 * 3600.0, 52.0, &req, &tx);
    ck_assert_double_eq(req.current_a, 0.0);
}
END_TEST

START_TEST(test_window_parse_and_wrap)
{
    int sec = -1;
    ck_assert(inv_parse_clock("03:00", &sec));
    ck_assert_int_eq(sec, 10800);
    ck_assert(inv_parse_clock("24:00", &sec));
    ck_assert_int_eq(sec, 86400);
    ck_assert(!inv_parse_clock("3:00", &sec));
    ck_assert(!inv_parse_clock("03:60", &sec));
    ck_assert(!inv_parse_clock("25:00", &sec));
    ck_assert(!inv_parse_clock("03-00", &sec));
    struct inv_settings s;
    inv_settings_default(&s);
    s.window_start_s = 22 * 3600;
    s.window_end_s = 2 * 3600;
    ck_assert(inv_in_window(&s, 23 * 3600.0));
    ck_assert(inv_in_window(&s, 3600.0));
    ck_assert(!inv_in_window(&s, 2 * 3600.0));
    ck_assert(!inv_in_window(&s, 12 * 3600.0));
}
END_TEST

START_TEST(test_can_timeout_and_resume)
{
    setup_lithium();
    inv_set_current(&inv, -20.0);
    burst_and_step(1000, &normal);
    ck_assert_double_eq(req.current_a, -20.0);
    step(10999); /* 9.999 s after the last frame */
    ck_assert(!inv.comm_lost);
    ck_assert_double_eq(req.current_a, -20.0);
    step(11000); /* exactly can_timeout */
    ck_assert(inv.comm_lost);
    ck_assert(!inv_link_ok(&inv));
    ck_assert_int_eq(inv.activity, INV_ACT_COMM_LOST);
    ck_assert_str_eq(inv_status_text(&inv), "BMS communication lost");
    ck_assert_double_eq(req.current_a, 0.0);
    inv_set_current(&inv, 20.0); /* charging stops too */
    step(15000);
    ck_assert_double_eq(req.current_a, 0.0);
    /* Frames again: it resumes by itself. */
    burst_and_step(20000, &normal);
    ck_assert(!inv.comm_lost);
    ck_assert(inv_link_ok(&inv));
    ck_assert_double_eq(req.current_a, 20.0);
    /* A different timeout setting is honoured to the millisecond. */
    struct inv_settings s = inv.set;
    s.can_timeout_s = 2.5;
    inv_configure(&inv, &s);
    step(22499);
    ck_assert(!inv.comm_lost);
    step(22500);
    ck_assert(inv.comm_lost);
}
END_TEST

START_TEST(test_manual_ignores_can)
{
    struct inv_settings s;
    inv_settings_default(&s);
    s.mode = INV_MODE_MANUAL;
    inv_init(&inv, &s, 0);
    inv_set_current(&inv, 60.0);
    step(0); /* no 0x351 needed */
    ck_assert_int_eq(inv.activity, INV_ACT_CHARGING);
    ck_assert_double_eq(req.current_a, 50.0); /* its own charge_current_a */
    ck_assert_double_eq(req.v_max_v, 58.0);   /* its own voltage, not CVL */
    /* The BMS forbids everything and is at 5 %: ignored. */
    struct bms_says b = {55.7, 0.0, 0.0, 45.6, 5, 0x30};
    burst_and_step(100, &b);
    ck_assert_double_eq(req.current_a, 50.0);
    ck_assert_double_eq(req.v_max_v, 58.0);
    inv_set_current(&inv, -40.0);
    step(120);
    ck_assert_double_eq(req.current_a, -40.0);
    ck_assert_double_eq(req.v_min_v, 44.0); /* its own cut-off, not DVL */
    /* Silence on CAN is not an error in manual mode. */
    step(100000);
    ck_assert(!inv.comm_lost);
    ck_assert_double_eq(req.current_a, -40.0);
}
END_TEST

START_TEST(test_heartbeat_once_per_second)
{
    setup_lithium();
    int frames = 0;
    for (uint64_t t = 0; t < 3000; t += 10) {
        memset(&tx, 0, sizeof tx);
        int n = inv_step(&inv, t, 0.0, 52.0, &req, &tx);
        if (n) {
            ck_assert_uint_eq(tx.id, 0x305);
            ck_assert_uint_eq(t % 1000, 0);
        }
        frames += n;
    }
    ck_assert_int_eq(frames, 3); /* at 0, 1 and 2 s */
    /* A coarse step sends one, keeping the phase. */
    ck_assert_int_eq(inv_step(&inv, 7500, 0.0, 52.0, &req, &tx), 1);
    ck_assert_int_eq(inv_step(&inv, 7990, 0.0, 52.0, &req, &tx), 0);
    ck_assert_int_eq(inv_step(&inv, 8000, 0.0, 52.0, &req, &tx), 1);
}
END_TEST

START_TEST(test_ignores_other_frames)
{
    setup_lithium();
    struct board_can_frame f = {.id = 0x305, .dlc = 8};
    ck_assert(!inv_on_can_frame(&inv, 5000, &f));
    step(10000);
    ck_assert(inv.comm_lost); /* a non-BMS frame does not keep the link alive */
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("inverter", test_defaults),
    GTX_TEST(test_waits_for_first_351),
    GTX_TEST(test_follows_ccl_dcl),
    GTX_TEST(test_power_setpoint_uses_bus_voltage),
    GTX_TEST(test_enable_bits),
    GTX_TEST(test_cv_and_cutoff_bounds),
    GTX_TEST(test_min_soc_stop),
    GTX_TEST(test_force_charge),
    GTX_TEST(test_full_charge_in_window_only),
    GTX_TEST(test_window_parse_and_wrap),
    GTX_TEST(test_can_timeout_and_resume),
    GTX_TEST(test_manual_ignores_can),
    GTX_TEST(test_heartbeat_once_per_second),
    GTX_TEST(test_ignores_other_frames),
};

int main(void)
{
    return gtx_check_main("inverter", tests, GTX_COUNT(tests), 0, NULL, false);
}
