/* test_link.c: the link protocol between firmware instances (suite 'parallel'):
 * automatic coding of 1-4 packs in chain order (R-PA-1, R-BT-4), every mis-wiring of
 * R-PA-2 and the recovery, the shutdown order of R-BT-3, a lost slave (link_comm,
 * 0x359 byte 3 bit 3, byte 4), and the R-PA-3 sums in the master's CAN frames. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cell_arg.h"
#include "check_main.h"
#include "link_rig.h"

static struct cell_params cell; /* the plant's cells behind the held sensors (argv[1]) */

/* n shut-down packs, every SOC estimate soc_pptt (see lr_init). */
static void rig(struct link_rig *r, int n, int32_t soc_pptt)
{
    int32_t soc[LR_PACKS];
    for (int i = 0; i < LR_PACKS; i++)
        soc[i] = soc_pptt;
    lr_init(r, &cell, n, soc);
}

/* Packs 0, 1, 2 ... cabled in this order (k.out to k+1.in). */
static const int chain[LR_PACKS] = {0, 1, 2, 3, 4};

#define HOLD_MS 3200u
#define SWEEP_MS 2000u

static uint32_t coding_ms(int n)
{
    return 3000u + 2000u * (uint32_t)(n - 1); /* R-BT-1 decision */
}

/* Presses pack `master`, runs until coding of n packs is surely over. */
static uint64_t start_system(struct link_rig *r, int master, int n)
{
    lr_press(r, master, HOLD_MS);
    uint64_t release = r->now + HOLD_MS;
    lr_run_to(r, release + SWEEP_MS + coding_ms(n) + 1000u);
    return release;
}

/* n packs chained in index order, started from pack 0, coded and 2 s into service. */
static void running_chain(struct link_rig *r, int n)
{
    rig(r, n, 5000);
    lr_chain(r, chain, n);
    start_system(r, 0, n);
    lr_run(r, 2000);
}

static void assert_coded(struct link_rig *r, const int *order, int n)
{
    char w[9];
    for (int k = 0; k < n; k++) {
        const sim_fw_status *st = lr_st(r, order[k]);
        ck_assert_msg(st->state == BMS_STATE_STANDBY, "pack %d state %s", order[k],
                      bms_state_name(st->state));
        ck_assert_uint_eq(st->pack_id, k + 1);
        ck_assert_uint_eq(st->pack_count, n);
        ck_assert(st->is_master == (k == 0));
        ck_assert_str_eq(lr_leds(r, order[k], w), "a0000111"); /* R-LED-2 at 50 % */
        ck_assert(st->fet_charge_on && st->fet_discharge_on);
        ck_assert_uint_eq(st->fault_mask, 0);
    }
}

/* R-PA-1, R-BT-4: 1-4 packs, IDs 1..N in chain order (not array order), standby, only
 * the master on CAN, 0x359 byte 4 = N. */
START_TEST(coding_chain_n)
{
    int n = _i;
    static const int orders[4][4] = {{0}, {1, 0}, {2, 0, 1}, {3, 1, 0, 2}};
    const int *order = orders[n - 1];
    struct link_rig r;
    rig(&r, n, 5000);
    lr_chain(&r, order, n);
    uint64_t release = r.now + HOLD_MS;
    lr_press(&r, order[0], HOLD_MS);

    /* R-BT-1/R-BT-4: every pack sweeps, then all LEDs flash while coding. */
    lr_run_to(&r, release + 1000u);
    for (int k = 0; k < n; k++)
        ck_assert_int_eq(lr_st(&r, order[k])->state, BMS_STATE_STARTUP);
    lr_run_to(&r, release + SWEEP_MS + coding_ms(n) - 100u);
    char w[9];
    for (int k = 0; k < n; k++) {
        ck_assert_int_eq(lr_st(&r, order[k])->state, BMS_STATE_CODING);
        ck_assert_str_eq(lr_leds(&r, order[k], w), "bbbbbbbb");
    }
    lr_run_to(&r, release + SWEEP_MS + coding_ms(n) + 100u);
    ck_assert_int_eq(lr_st(&r, order[0])->state, BMS_STATE_STANDBY);
    lr_run(&r, 3000);
    assert_coded(&r, order, n);
    for (int k = 0; k < n; k++) {
        if (k == 0) {
            ck_assert_uint_gt(r.log[order[k]].can_frames, 0);
            ck_assert(r.log[order[k]].has_359);
            ck_assert_uint_eq(r.log[order[k]].last_359.data[4], n);
            ck_assert_uint_eq(r.log[order[k]].last_359.data[3] & 0x08u, 0);
        } else {
            ck_assert_uint_eq(r.log[order[k]].can_frames, 0);
        }
    }
    lr_free(&r);
}
END_TEST

/* Acceptance 2: the fault pattern, MOSFETs off, "link coding failed" on every pack. */
static void assert_failed(struct link_rig *r, const int *packs, int n)
{
    char w[9], text[LR_TEXT_MAX], con[1024];
    for (int k = 0; k < n; k++) {
        int p = packs[k];
        const sim_fw_status *st = lr_st(r, p);
        ck_assert_msg(st->state == BMS_STATE_FAULT, "pack %d state %s", p,
                      bms_state_name(st->state));
        ck_assert_uint_eq(st->fault_mask, 1u << BMS_FAULT_CODING);
        ck_assert(!st->fet_charge_on && !st->fet_discharge_on);
        ck_assert(st->prohibit_charge && st->prohibit_discharge);
        ck_assert_str_eq(lr_leds(r, p, w), "01000000"); /* R-LED-6 */
        ck_assert_str_eq(lr_lcd_text(r, p, text), "link coding failed");
        ck_assert_ptr_nonnull(strstr(lr_console(r, p, "status", con, sizeof con),
                                     "link coding failed"));
        ck_assert_uint_eq(r->log[p].can_frames, 0);
    }
}

/* Shut the failed chain down from the master, rewire as a chain, start again. */
static void recover(struct link_rig *r, int n)
{
    lr_press(r, 0, HOLD_MS);
    lr_run(r, HOLD_MS + SWEEP_MS + 1000u);
    for (int p = 0; p < n; p++)
        ck_assert_msg(lr_st(r, p)->state == BMS_STATE_SHUTDOWN, "pack %d not shut down", p);
    lr_unwire_all(r);
    int m = n > 4 ? 4 : n;
    lr_chain(r, chain, m);
    start_system(r, 0, m);
    lr_run(r, 1000);
    assert_coded(r, chain, m);
}

/* Acceptance 2, R-PA-2: every mis-wiring as one row. The cables are wired in this order
 * (a chain 0 -> 1 -> 2 is {0, OUT, 1, IN}, {1, OUT, 2, IN}); `master` gets the button;
 * `gap` >= 0: the cable on that pack's Out stops carrying data after the wake; `after`:
 * what shows the system recovers. */
enum miswire_after {
    AFTER_CHAIN,        /* shut down from the master, rewire as a chain, it codes */
    AFTER_UNPLUG_FIFTH, /* shut down, unplug the fifth: four code, the fifth stays off */
    AFTER_NOTHING,
};

struct miswire {
    const char *what;
    int n;                      /* packs */
    int n_cables;
    struct sim_cable cable[5];
    int master;
    int coding_n;               /* how many packs the start waits to code */
    int gap;                    /* a pack, or -1 */
    enum miswire_after after;
};

#define CHAIN_01 {0, SIM_PORT_OUT, 1, SIM_PORT_IN}
#define CHAIN_12 {1, SIM_PORT_OUT, 2, SIM_PORT_IN}

static const struct miswire miswires[] = {
    {"in to in: both Ins joined, both Outs empty", 2, 1,
     {{0, SIM_PORT_IN, 1, SIM_PORT_IN}}, 0, 2, -1, AFTER_CHAIN},
    {"in to in: the master's In holds a cable to pack 3's In", 3, 2,
     {CHAIN_01, {2, SIM_PORT_IN, 0, SIM_PORT_IN}}, 0, 3, -1, AFTER_CHAIN},
    {"out to out: the third pack turned round", 3, 2,
     {CHAIN_01, {1, SIM_PORT_OUT, 2, SIM_PORT_OUT}}, 0, 3, -1, AFTER_CHAIN},
    {"out to out", 2, 1, {{0, SIM_PORT_OUT, 1, SIM_PORT_OUT}}, 0, 2, -1, AFTER_CHAIN},
    {"a loop", 3, 3, {CHAIN_01, CHAIN_12, {2, SIM_PORT_OUT, 0, SIM_PORT_IN}}, 0, 3, -1, AFTER_CHAIN},
    {"five packs", 5, 4,
     {CHAIN_01, CHAIN_12, {2, SIM_PORT_OUT, 3, SIM_PORT_IN}, {3, SIM_PORT_OUT, 4, SIM_PORT_IN}}, 0, 4, -1,
     AFTER_UNPLUG_FIFTH},
    {"the wrong pack's button: its Link Port In is not empty, so it is no master", 3, 2,
     {CHAIN_01, CHAIN_12}, 1, 3, -1, AFTER_NOTHING},
    {"a gap: the cable between slave 1 and slave 2 stops carrying data after the wake", 3, 2,
     {CHAIN_01, CHAIN_12}, 0, 3, 1, AFTER_CHAIN},
};

START_TEST(miswire)
{
    const struct miswire *m = &miswires[_i];
    struct link_rig r;
    rig(&r, m->n, 5000);
    for (int k = 0; k < m->n_cables; k++) {
        const struct sim_cable *c = &m->cable[k];
        lr_wire(&r, c->pack_a, c->side_a, c->pack_b, c->side_b);
    }
    if (m->gap < 0) {
        start_system(&r, m->master, m->coding_n);
    } else {
        lr_press(&r, m->master, HOLD_MS);
        lr_run(&r, HOLD_MS + 1000u);
        ck_assert_int_eq(lr_st(&r, m->n - 1)->state, BMS_STATE_STARTUP); /* woken */
        lr_break(&r, m->gap, true);
        lr_run(&r, 15000u);
    }
    assert_failed(&r, chain, m->n);
    if (m->gap >= 0)
        lr_break(&r, m->gap, false);
    if (m->after == AFTER_CHAIN) {
        recover(&r, m->n);
    } else if (m->after == AFTER_UNPLUG_FIFTH) {
        lr_press(&r, 0, HOLD_MS);
        lr_run(&r, HOLD_MS + SWEEP_MS + 1000u);
        for (int p = 0; p < 5; p++)
            ck_assert_int_eq(lr_st(&r, p)->state, BMS_STATE_SHUTDOWN);
        lr_unwire(&r, 4, SIM_PORT_IN);
        start_system(&r, 0, 4);
        assert_coded(&r, chain, 4);
        ck_assert_int_eq(lr_st(&r, 4)->state, BMS_STATE_SHUTDOWN);
    }
    lr_free(&r);
}
END_TEST

/* Acceptance 6 / R-BT-3: slaves from the last to the first, each with its L1 -> L8
 * sweep, the master last; the master's state, MOSFETs and CAN stop at the release. */
START_TEST(shutdown_order)
{
    struct link_rig r;
    running_chain(&r, 4);
    assert_coded(&r, chain, 4);
    uint32_t frames = r.log[0].can_frames;
    lr_press(&r, 0, HOLD_MS);
    uint64_t release = r.now + HOLD_MS;
    lr_run_to(&r, release + 10u);
    ck_assert_int_eq(lr_st(&r, 0)->state, BMS_STATE_SHUTDOWN);
    ck_assert(!lr_st(&r, 0)->fet_charge_on && !lr_st(&r, 0)->fet_discharge_on);
    frames = r.log[0].can_frames;
    lr_run(&r, 12000);
    ck_assert_uint_eq(r.log[0].can_frames, frames); /* CAN stopped at the release */
    for (int p = 0; p < 4; p++) {
        ck_assert_int_eq(lr_st(&r, p)->state, BMS_STATE_SHUTDOWN);
        ck_assert_uint_eq(lr_st(&r, p)->leds_lit, 0);
        ck_assert(!lr_st(&r, p)->power_hold);
        ck_assert_uint_gt(r.log[p].sweep_ms, 0);
    }
    /* the last first, each after the one below has finished its 2 s sweep */
    ck_assert_uint_lt(r.log[3].sweep_ms, release + 200u);
    for (int p = 3; p >= 1; p--)
        ck_assert_uint_ge(r.log[p - 1].sweep_ms, r.log[p].sweep_ms + SWEEP_MS);
    ck_assert_uint_eq(r.log[0].shutdown_ms, release);
    for (int p = 1; p < 4; p++) /* a slave is in service until its turn */
        ck_assert_uint_ge(r.log[p].shutdown_ms + 20u, r.log[p].sweep_ms);
    ck_assert_int_gt(lr_event_count(&r, 0), 0);
    lr_free(&r);
}
END_TEST

/* The sweep of one slave, LED by LED (0.25 s each, each stays lit). */
START_TEST(shutdown_sweeps)
{
    struct link_rig r;
    rig(&r, 2, 5000);
    lr_chain(&r, chain, 2);
    start_system(&r, 0, 2);
    lr_press(&r, 0, HOLD_MS);
    lr_run(&r, HOLD_MS + 200u);
    uint64_t s1 = r.log[1].sweep_ms;
    ck_assert_uint_gt(s1, 0);
    lr_run_to(&r, s1 + 1100u);
    char w[9];
    ck_assert_str_eq(lr_leds(&r, 1, w), "00011111");
    ck_assert_uint_eq(lr_st(&r, 0)->leds_lit, 0); /* the master waits, dark */
    lr_run_to(&r, s1 + SWEEP_MS + 400u);
    uint64_t s0 = r.log[0].sweep_ms;
    ck_assert_uint_ge(s0, s1 + SWEEP_MS);
    lr_run_to(&r, s0 + 600u);
    ck_assert_str_eq(lr_leds(&r, 0, w), "00000111");
    lr_free(&r);
}
END_TEST

/* A lost slave: link_comm (0x359 byte 3 bit 3), it drops out of the aggregates and
 * byte 4; it is back when the cable is. */
START_TEST(lost_slave)
{
    struct link_rig r;
    running_chain(&r, 3);
    ck_assert_uint_eq(r.log[0].last_359.data[4], 3);
    ck_assert_uint_eq(lr_st(&r, 0)->alarm_mask & (1u << BMS_ALARM_LINK_COMM), 0);
    lr_break(&r, 1, true); /* the cable from slave 1's Out to slave 2 */
    lr_run(&r, 1000);
    ck_assert_uint_eq(lr_st(&r, 0)->alarm_mask & (1u << BMS_ALARM_LINK_COMM), 0);
    lr_run(&r, 3000);
    ck_assert_uint_ne(lr_st(&r, 0)->alarm_mask & (1u << BMS_ALARM_LINK_COMM), 0);
    ck_assert_uint_eq(r.log[0].last_359.data[3] & 0x08u, 0x08u);
    ck_assert_uint_eq(r.log[0].last_359.data[4], 2);
    ck_assert_uint_ne(lr_st(&r, 2)->alarm_mask & (1u << BMS_ALARM_LINK_COMM), 0);
    ck_assert_int_eq(lr_st(&r, 2)->state, BMS_STATE_STANDBY); /* it keeps running */
    lr_break(&r, 1, false);
    lr_run(&r, 8000);
    ck_assert_uint_eq(lr_st(&r, 0)->alarm_mask & (1u << BMS_ALARM_LINK_COMM), 0);
    ck_assert_uint_eq(r.log[0].last_359.data[3] & 0x08u, 0);
    ck_assert_uint_eq(r.log[0].last_359.data[4], 3);
    lr_free(&r);
}
END_TEST

/* The only slave lost: no REPLY comes from anyone, so only its going offline can take it
 * out of the master's sums (R-PA-3): 0x359 byte 4 and the system status count the master
 * alone, the current is its own, within lost_ms and a CAN period; back with the cable. */
START_TEST(lost_only_slave)
{
    struct link_rig r;
    rig(&r, 2, 5000);
    r.current_mA[0] = -4000;
    r.current_mA[1] = -6000;
    lr_pin(&r, 0);
    lr_pin(&r, 1);
    lr_chain(&r, chain, 2);
    start_system(&r, 0, 2);
    lr_run(&r, 2000);
    const sim_fw_status *sys = sim_view_system_status(r.sim);
    ck_assert_uint_eq(sys->pack_count, 2);
    ck_assert_int_eq(sys->current_mA / 100, -100);
    lr_break(&r, 0, true);
    lr_run(&r, 3500);
    ck_assert_uint_eq(r.log[0].last_359.data[3] & 0x08u, 0x08u); /* link_comm */
    ck_assert_uint_eq(r.log[0].last_359.data[4], 1);
    ck_assert_uint_eq(sys->pack_count, 1);
    ck_assert_int_eq(sys->current_mA / 100, -40);
    lr_break(&r, 0, false);
    lr_run(&r, 3000);
    ck_assert_uint_eq(r.log[0].last_359.data[4], 2);
    ck_assert_uint_eq(sys->pack_count, 2);
    lr_free(&r);
}
END_TEST

/* The CCL and DCL (0.1 A) of the last 0x351 the master sent. */
static int told_ccl_dA(const struct link_rig *r)
{
    const uint8_t *d = r->log[0].last_351.data;
    return (int16_t)(d[2] | d[3] << 8);
}

static int told_dcl_dA(const struct link_rig *r)
{
    const uint8_t *d = r->log[0].last_351.data;
    return (int16_t)(d[4] | d[5] << 8);
}

/* R-PA-3 [decision]: a coded pack the master no longer hears counts as CCL = DCL = 0 A,
 * so the inverter is told 0 A within lost_ms (2 s) and one CAN period (1 s); once it
 * answers again, the told limits rise from 0 at the 1 A/s slew to 3 x 25 A / 3 x 30 A. */
START_TEST(lost_slave_limits)
{
    struct link_rig r;
    running_chain(&r, 3);
    lr_run(&r, 35000); /* each pack's limits rise from 0 at 1 A/s after the start */
    ck_assert_int_eq(told_ccl_dA(&r), 3 * 250);
    ck_assert_int_eq(told_dcl_dA(&r), 3 * 300);
    lr_break(&r, 1, true); /* slave 2 is lost, still on the bus */
    lr_run(&r, 1000);
    ck_assert_int_eq(told_ccl_dA(&r), 3 * 250); /* not yet lost */
    lr_run(&r, 2500);
    ck_assert_int_eq(told_ccl_dA(&r), 0);
    ck_assert_int_eq(told_dcl_dA(&r), 0);
    ck_assert_uint_eq(r.log[0].last_359.data[3] & 0x08u, 0x08u); /* link_comm */
    lr_run(&r, 20000);
    ck_assert_int_eq(told_ccl_dA(&r), 0); /* as long as it is lost */
    lr_break(&r, 1, false);
    lr_run(&r, 5500); /* answers within a round, then 1 A/s */
    ck_assert_int_ge(told_ccl_dA(&r), 30);
    ck_assert_int_le(told_ccl_dA(&r), 60);
    ck_assert_int_eq(told_ccl_dA(&r), told_dcl_dA(&r));
    lr_run(&r, 100000);
    ck_assert_int_eq(told_ccl_dA(&r), 3 * 250);
    ck_assert_int_eq(told_dcl_dA(&r), 3 * 300);
    ck_assert_uint_eq(r.log[0].last_359.data[3] & 0x08u, 0);
    lr_free(&r);
}
END_TEST

/* R-PA-3 [decision]: a running pack the master hears but did not code is unaccounted for.
 * The link out of the master breaks, the master is restarted and codes itself alone; the
 * link mended, the two slaves (still running without their master) announce themselves
 * and the master tells 0 A with link_comm until a restart codes the chain again. */
START_TEST(stranger_limits)
{
    struct link_rig r;
    running_chain(&r, 3);
    lr_break(&r, 0, true);
    lr_run(&r, 3000);
    lr_press(&r, 0, HOLD_MS); /* shutdown: the slaves do not answer SHUT */
    lr_run(&r, HOLD_MS + 10000u);
    ck_assert_int_eq(lr_st(&r, 0)->state, BMS_STATE_SHUTDOWN);
    ck_assert_int_eq(lr_st(&r, 2)->state, BMS_STATE_STANDBY);
    start_system(&r, 0, 1);
    lr_run(&r, 30000);
    ck_assert_uint_eq(lr_st(&r, 0)->pack_count, 1);
    ck_assert_int_eq(told_ccl_dA(&r), 250); /* the packs behind the break are invisible */
    lr_break(&r, 0, false);
    lr_run(&r, 3500); /* an announcement every lost_ms, then a CAN period */
    ck_assert_int_eq(told_ccl_dA(&r), 0);
    ck_assert_int_eq(told_dcl_dA(&r), 0);
    ck_assert_uint_eq(r.log[0].last_359.data[3] & 0x08u, 0x08u);
    lr_run(&r, 60000);
    ck_assert_int_eq(told_ccl_dA(&r), 0);
    lr_free(&r);
}
END_TEST

/* R-PA-3 in the master's frames: CCL/DCL = packs allowing the direction x their smallest
 * limit (revised R-PA-3; the old sum would give 350 / 700),
 * current the sum, voltage the mean, temperature the mean of means, SOC/SOH weighted,
 * protection bits OR-ed. */
START_TEST(aggregate_frames)
{
    struct link_rig r;
    lr_init(&r, &cell, 3, (const int32_t[]){5000, 8000, 2000});
    lr_chain(&r, chain, 3);
    start_system(&r, 0, 3);
    /* pack 2 (slave 1) warm: CCL 10 A band (45-50 °C), DCL 30 A; pack 3 charge-UT. */
    for (int t = 0; t < 4; t++) {
        r.afe[1].temp_ddegC[t] = 470;
        r.afe[2].temp_ddegC[t] = -120;
    }
    r.current_mA[0] = -10000;
    r.current_mA[1] = -12000;
    r.current_mA[2] = -8000;
    r.afe[1].battery_mV = 52900;
    r.afe[2].battery_mV = 52700;
    for (int p = 0; p < 3; p++)
        lr_pin(&r, p);
    lr_run(&r, 40000); /* slew 1 A/s, protections 2 s */
    ck_assert_uint_ne(lr_st(&r, 2)->protect_mask & (1u << BMS_PROT_CHARGE_UT), 0);
    const sim_fw_status *sys = sim_view_system_status(r.sim);
    ck_assert_uint_eq(sys->ccl_dA, 2 * 100); /* packs 1, 2 allow charge; pack 2's 10 A */
    ck_assert_uint_eq(sys->dcl_dA, 3 * 100); /* all three; pack 3's 10 A (below 0 °C) */
    ck_assert_int_eq(sys->current_mA / 10, (-10000 - 12000 - 8000) / 10);
    ck_assert_uint_eq(sys->battery_mV, (52800 + 52900 + 52700) / 3);
    ck_assert_int_eq(sys->temp_mean_ddegC, (250 + 470 - 120) / 3);
    ck_assert_uint_eq(sys->pack_count, 3);
    ck_assert_uint_ne(sys->protect_mask & (1u << BMS_PROT_CHARGE_UT), 0);
    ck_assert_int_eq(sys->temp_min_ddegC, -120);
    ck_assert_int_eq(sys->temp_max_ddegC, 470);
    /* equal capacities: the weighted SOC is the mean of the estimates */
    int32_t mean = (lr_st(&r, 0)->soc_pptt + lr_st(&r, 1)->soc_pptt + lr_st(&r, 2)->soc_pptt) / 3;
    ck_assert_int_le(abs(sys->soc_pptt - mean), 2);
    const struct board_can_frame *m = &r.log[0].last_359;
    ck_assert_uint_eq(m->data[0] & 0x10u, 0x10u); /* under-temperature, table A bit 4 */
    lr_free(&r);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE_LOOP("coding", coding_chain_n, 1, 5),
    GTX_LOOP(miswire, 0, GTX_COUNT(miswires)),
    GTX_CASE("service", shutdown_order),
    GTX_TEST(shutdown_sweeps),
    GTX_TEST(lost_slave),
    GTX_TEST(lost_only_slave),
    GTX_TEST(lost_slave_limits),
    GTX_TEST(stranger_limits),
    GTX_TEST(aggregate_frames),
};

/* Argument: the cell file of the plant behind the held sensors (assets/cells/lfp50.json). */
int main(int argc, char **argv)
{
    return gtx_check_main_cell("link", tests, GTX_COUNT(tests), 120, argc, argv, &cell);
}
