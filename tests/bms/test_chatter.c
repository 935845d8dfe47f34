/* test_chatter.c: no output that follows a threshold chatters (the hysteresis and
 * debounce decisions of PRODUCT.md R-ST-1, R-LM-2, R-DC-1, R-BL-1). One table row per
 * threshold: its input ramps slowly across the threshold and back with sensor noise on every
 * sensor, and every output may change at most once each way. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_main.h"
#include "rig.h"

/* The input a row ramps. */
enum input {
    IN_CURRENT, /* the shunt current, mA */
    IN_NTC1,    /* NTC 1 alone (cell 2), 0.1 °C; the other NTCs stay at 25 °C */
    IN_CELLS,   /* all 16 cells, mV (cell 1 plus `cell1_extra`); the battery stays put */
    IN_CELL1,   /* cell 1 alone, mV; the others at `base` */
};

/* The outputs watched: everything the firmware drives from a threshold. */
enum output {
    OUT_STATE, OUT_CCL_TARGET, OUT_DCL_TARGET, OUT_CHARGE_EN, OUT_DISCHARGE_EN,
    OUT_CONTACT_CHG, OUT_CONTACT_DSG, OUT_BALANCING, OUT_BLEED_MASK, OUT_COUNT
};
static const char *const out_name[OUT_COUNT] = {
    "state", "ccl_target", "dcl_target", "charge_en", "discharge_en",
    "contact_chg", "contact_dsg", "balancing", "bleed_mask",
};

struct row {
    const char *name;
    uint8_t input;
    int32_t from, to;      /* the ramp: from -> to (hold) -> from (hold) */
    int32_t base;          /* IN_CELL1: the other cells, mV */
    int32_t cell1_extra;   /* IN_CELLS: cell 1 above the others, mV */
    int32_t cell2_mV;      /* IN_CELL1: cell 2 held here when non-zero (keeps balancing on) */
};

static const struct row rows[] = {
    /* R-ST-1: the state's current thresholds */
    {"R-ST-1 charging at +0.5 A", IN_CURRENT, 200, 800, 0, 0, 0},
    {"R-ST-1 discharging at -0.5 A", IN_CURRENT, -200, -800, 0, 0, 0},
    /* R-LM-2 temperature bands of CCL and DCL (and the dry contacts at the 0 A edges) */
    {"R-LM-2 CCL 25/10 A at 10 C", IN_NTC1, 120, 80, 0, 0, 0},
    {"R-LM-2 CCL 10/2.5 A, DCL 30/10 A at 0 C", IN_NTC1, 20, -20, 0, 0, 0},
    {"R-LM-2 CCL 2.5/0 A at -10 C", IN_NTC1, -80, -120, 0, 0, 0},
    {"R-LM-2 DCL 10/0 A at -20 C", IN_NTC1, -180, -220, 0, 0, 0},
    {"R-LM-2 CCL 25/10 A at 45 C", IN_NTC1, 430, 470, 0, 0, 0},
    {"R-LM-2 CCL 10/2.5 A at 50 C", IN_NTC1, 480, 520, 0, 0, 0},
    {"R-LM-2 CCL 2.5/0 A, DCL 30/10 A at 55 C", IN_NTC1, 530, 570, 0, 0, 0},
    {"R-LM-2 DCL 10/0 A at 60 C", IN_NTC1, 580, 620, 0, 0, 0},
    /* R-LM-2 cell-voltage caps */
    {"R-LM-2 CCL cap 5 A at 3.45 V", IN_CELLS, 3430, 3470, 0, 0, 0},
    {"R-LM-2 CCL cap 2.5 A at 3.55 V", IN_CELLS, 3530, 3570, 0, 0, 0},
    {"R-LM-2 DCL cap 10 A at 3.00 V", IN_CELLS, 3020, 2980, 0, 0, 0},
    {"R-LM-2 DCL cap 5 A at 2.90 V", IN_CELLS, 2920, 2880, 0, 0, 0},
    /* R-BL-1 balancing start and stop, and the per-cell bleed margin */
    {"R-BL-1 start at 3.40 V", IN_CELLS, 3340, 3380, 0, 40, 0},
    {"R-BL-1 start 30 mV / stop 10 mV spread", IN_CELL1, 3400, 3440, 3400, 0, 0},
    {"R-BL-1 bleed a cell 10 mV above the min", IN_CELL1, 3403, 3417, 3400, 0, 3440},
};

#define NROWS ((int)(sizeof rows / sizeof rows[0]))

/* Sensor noise, uniform, a little above the simulator's sensor model (src/plant/sensors.c:
 * cells ±2 mV, current ±20 mA, NTC ±0.1 °C plus 0.1 °C steps). */
#define NOISE_CELL_mV 3
#define NOISE_STACK_mV 20
#define NOISE_CURRENT_mA 30
#define NOISE_TEMP_ddegC 3

#define SETTLE_MS 10000u   /* before counting: noise on, input at `from` */
#define RAMP_MS 400000u    /* each way */
#define HOLD_MS 20000u     /* at each end: every trip and release delay runs out */

static struct rig R;
static uint32_t rng;

static int32_t noise(int32_t bound)
{
    rng ^= rng << 13; /* xorshift32: the same sequence every run */
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return (int32_t)(rng % (uint32_t)(2 * bound + 1)) - bound;
}

/* The sensors for input value v, each with fresh noise. */
static void apply(const struct row *r, int32_t v)
{
    struct board_afe *a = &R.fb.afe;
    for (int i = 0; i < BOARD_CELLS; i++) {
        int32_t mv = 3300;
        if (r->input == IN_CELLS)
            mv = v + (i == 0 ? r->cell1_extra : 0);
        else if (r->input == IN_CELL1)
            mv = i == 0 ? v : (i == 1 && r->cell2_mV ? r->cell2_mV : r->base);
        a->cell_mV[i] = (uint16_t)(mv + noise(NOISE_CELL_mV));
    }
    a->battery_mV = (uint32_t)(52800 + noise(NOISE_STACK_mV)); /* inside every pack limit */
    a->pack_mV = (uint32_t)(52800 + noise(NOISE_STACK_mV));
    for (int i = 0; i < BOARD_NTCS; i++) {
        int32_t t = r->input == IN_NTC1 && i == 0 ? v : 250;
        a->temp_ddegC[i] = (int16_t)(t + noise(NOISE_TEMP_ddegC));
    }
    R.fb.current_mA = (r->input == IN_CURRENT ? v : 0) + noise(NOISE_CURRENT_mA);
}

static void sample(int32_t out[OUT_COUNT])
{
    const struct bms_status *st = rig_st(&R);
    out[OUT_STATE] = st->state;
    out[OUT_CCL_TARGET] = R.bms.lim.ccl_target_mA;
    out[OUT_DCL_TARGET] = R.bms.lim.dcl_target_mA;
    out[OUT_CHARGE_EN] = st->charge_enable;
    out[OUT_DISCHARGE_EN] = st->discharge_enable;
    out[OUT_CONTACT_CHG] = R.fb.prohibit_chg;
    out[OUT_CONTACT_DSG] = R.fb.prohibit_dsg;
    out[OUT_BALANCING] = R.bms.balance.active;
    out[OUT_BLEED_MASK] = R.fb.balancing;
}

/* Runs one leg (ramp from a to b over RAMP_MS, then hold), counting every output's changes. */
static void leg(const struct row *r, int32_t a, int32_t b, int32_t last[OUT_COUNT],
                unsigned count[OUT_COUNT])
{
    uint32_t ramp_ticks = RAMP_MS / TICK_MS, hold_ticks = HOLD_MS / TICK_MS;
    for (uint32_t k = 0; k <= ramp_ticks + hold_ticks; k++) {
        uint32_t j = k < ramp_ticks ? k : ramp_ticks;
        apply(r, a + (int32_t)(((int64_t)(b - a) * j) / ramp_ticks));
        rig_tick(&R);
        int32_t now[OUT_COUNT];
        sample(now);
        for (int o = 0; o < OUT_COUNT; o++) {
            count[o] += now[o] != last[o];
            last[o] = now[o];
        }
    }
}

START_TEST(ramp_across_and_back)
{
    const struct row *r = &rows[_i];
    rig_running(&R, 0, 5000);
    rng = 0x9E3779B9u ^ (uint32_t)_i;
    for (uint32_t k = 0; k < SETTLE_MS / TICK_MS; k++) {
        apply(r, r->from);
        rig_tick(&R);
    }
    int32_t last[OUT_COUNT];
    unsigned up[OUT_COUNT] = {0}, down[OUT_COUNT] = {0};
    sample(last);
    leg(r, r->from, r->to, last, up);
    leg(r, r->to, r->from, last, down);

    char line[512];
    int n = snprintf(line, sizeof line, "%-42s", r->name);
    bool bad = false;
    for (int o = 0; o < OUT_COUNT; o++) {
        if (up[o] || down[o])
            n += snprintf(line + n, sizeof line - (size_t)n, " %s %u/%u", out_name[o], up[o],
                          down[o]);
        bad = bad || up[o] > 1 || down[o] > 1;
    }
    printf("%s\n", line); /* the transition counts, up/down, for the record */
    fflush(stdout);
    ck_assert_msg(!bad, "chatter: %s", line);
}
END_TEST

/* The ramps must cross: each row changes some output on the way there (a row whose
 * threshold moved out of its range would otherwise pass by changing nothing). */
START_TEST(rows_cross_their_threshold)
{
    const struct row *r = &rows[_i];
    rig_running(&R, 0, 5000);
    rng = 12345u + (uint32_t)_i;
    int32_t first[OUT_COUNT], last[OUT_COUNT];
    apply(r, r->from);
    rig_run(&R, SETTLE_MS);
    sample(first);
    for (uint32_t k = 0; k < HOLD_MS / TICK_MS; k++) {
        apply(r, r->to);
        rig_tick(&R);
    }
    sample(last);
    bool changed = false;
    for (int o = 0; o < OUT_COUNT; o++)
        changed = changed || first[o] != last[o];
    ck_assert_msg(changed, "%s: no output changed between %d and %d", r->name, (int)r->from,
                  (int)r->to);
}
END_TEST

/* R-DC-1 debounce: a contact closes at once and, closed in service, opens only after its
 * direction has been allowed for dry_open_ms (2 s) without a break. */
START_TEST(contact_opens_after_2s_allowed)
{
    ck_assert_uint_eq(bms_config_default.dry_open_ms, 2000);
    rig_running(&R, 0, 5000);
    ck_assert(!R.fb.prohibit_chg); /* a start opens them at once */
    fake_board_set_temps(&R.fb, 560); /* CCL 0 at once, no protection yet */
    rig_tick_until(&R, RIG_LATE_QUIET_MS, R.fb.prohibit_chg); /* at the AFE's next scan */
    ck_assert(R.fb.prohibit_chg);
    fake_board_set_temps(&R.fb, 250); /* allowed again (no trip: under 2 s above 55 °C) */
    rig_run(&R, 1500);
    ck_assert_uint_eq(rig_st(&R)->protect_mask, 0);
    ck_assert(rig_st(&R)->ccl_dA > 0);
    ck_assert(R.fb.prohibit_chg);
    fake_board_set_temps(&R.fb, 560); /* a flicker within the 2 s restarts the wait */
    rig_tick_until(&R, RIG_LATE_QUIET_MS, rig_st(&R)->ccl_dA == 0); /* until sampled */
    fake_board_set_temps(&R.fb, 250);
    uint32_t last_zero = R.now; /* the CCL slews up from 0: 1 A at the next 1 s task */
    while (rig_tick(&R), rig_st(&R)->ccl_dA == 0)
        last_zero = R.now;
    last_zero -= TICK_MS; /* the tick that still had CCL 0: allowed from the next one */
    while (R.now <= last_zero + 2000u) {
        ck_assert(R.fb.prohibit_chg);
        rig_tick(&R);
    }
    rig_tick_until(&R, RIG_LATE_MS, !R.fb.prohibit_chg); /* 2 s after (100 ms sampling) */
    ck_assert(!R.fb.prohibit_chg);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("contacts", contact_opens_after_2s_allowed),
    GTX_CASE_LOOP("ramps", ramp_across_and_back, 0, NROWS),
    GTX_LOOP(rows_cross_their_threshold, 0, NROWS),
};

int main(void)
{
    return gtx_check_main("bms_chatter", tests, GTX_COUNT(tests), 120, NULL, false);
}
