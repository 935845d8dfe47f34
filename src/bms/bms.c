/* bms.c: the firmware's main loop. bms_tick runs three tasks (docs/firmware.md, the task
 * table): every 10 ms the button, the bytes and frames in and out, the LEDs and the console;
 * every 100 ms the sensors, the diagnosis engine, the SOC count and the state machine of
 * docs/spec/PRODUCT.md §2/§3/§13 with the MOSFETs and dry contacts; every second the limits,
 * balancing and the timers counted in seconds. bms_next_wakeup_ms says when it has work.
 */
#include <string.h>

#include "bms_core.h"

void bms_log(struct bms *bms, enum bms_ev_kind kind, uint8_t id, int32_t value)
{
    if (bms->evlog.slots)
        (void)bms_evlog_append(&bms->evlog, bms->now_ms, kind, id, value);
}

/* ---- inputs ---------------------------------------------------------------------- */

/* One quantity of the sample, its bit in *changed set when it moved. */
static inline void set_qty(int32_t *q, enum bms_qty k, int32_t v, uint32_t *changed)
{
    *changed |= (uint32_t)(q[k] != v) << k;
    q[k] = v;
}
_Static_assert(BMS_QTY_COUNT <= 32, "sample_changed holds a bit per quantity");

/* The sample and its quantities; those that changed are noted in sample_changed. */
static void measure(struct bms *bms)
{
    struct board *b = bms->board;
    const struct board_afe *a = &bms->afe;
    int32_t *q = bms->qty;
    uint32_t changed = 0;

    b->ops->read_afe(b, &bms->afe);
    bms->current_mA = b->ops->read_current_mA(b);

    int cmin = 0, cmax = 0;
    for (int i = 1; i < BOARD_CELLS; i++) {
        if (a->cell_mV[i] < a->cell_mV[cmin])
            cmin = i;
        if (a->cell_mV[i] > a->cell_mV[cmax])
            cmax = i;
    }
    bms->status.cell_min_no = (uint8_t)(cmin + 1);
    bms->status.cell_max_no = (uint8_t)(cmax + 1);
    set_qty(q, BMS_QTY_CELL_MIN, a->cell_mV[cmin], &changed);
    set_qty(q, BMS_QTY_CELL_MAX, a->cell_mV[cmax], &changed);

    int32_t tmin = a->temp_ddegC[0], tmax = tmin;
    for (int i = 1; i < 4; i++) { /* NTC 1-4 on the cells */
        tmin = a->temp_ddegC[i] < tmin ? a->temp_ddegC[i] : tmin;
        tmax = a->temp_ddegC[i] > tmax ? a->temp_ddegC[i] : tmax;
    }
    set_qty(q, BMS_QTY_TEMP_MIN, tmin, &changed);
    set_qty(q, BMS_QTY_TEMP_MAX, tmax, &changed);
    for (int i = 4; i < BOARD_NTCS; i++) {
        tmin = a->temp_ddegC[i] < tmin ? a->temp_ddegC[i] : tmin;
        tmax = a->temp_ddegC[i] > tmax ? a->temp_ddegC[i] : tmax;
    }
    set_qty(q, BMS_QTY_NTC_MIN, tmin, &changed);
    set_qty(q, BMS_QTY_NTC_MAX, tmax, &changed);
    set_qty(q, BMS_QTY_TEMP_FET, a->temp_ddegC[4], &changed);

    set_qty(q, BMS_QTY_CHG_CURRENT, bms->current_mA, &changed);
    set_qty(q, BMS_QTY_DSG_CURRENT, -bms->current_mA, &changed);
    set_qty(q, BMS_QTY_BATTERY, (int32_t)a->battery_mV, &changed);

    /* R-PR-12 fet: current through a MOSFET commanded off for at least the settle time. */
    int32_t leak = 0;
    uint32_t settle = bms->cfg->fet_off_settle_ms;
    if (!bms->fet_chg && (uint32_t)(bms->now_ms - bms->fet_chg_off_ms) >= settle)
        leak = bms->current_mA;
    if (!bms->fet_dsg && (uint32_t)(bms->now_ms - bms->fet_dsg_off_ms) >= settle &&
        -bms->current_mA > leak)
        leak = -bms->current_mA;
    set_qty(q, BMS_QTY_FET_LEAK, leak, &changed);
    q[BMS_QTY_NONE] = 0;
    bms->sample_changed |= changed;
}

/* True once at the release of a press held at least button_hold_ms (R-BT-1/2/3). */
static bool button_long_release(struct bms *bms)
{
    bool pressed = bms->board->ops->button_pressed(bms->board);
    bool fire = false;

    if (pressed && !bms->button_down) {
        bms->button_down = true;
        bms->button_down_ms = bms->now_ms;
    } else if (!pressed && bms->button_down) {
        bms->button_down = false;
        fire = (uint32_t)(bms->now_ms - bms->button_down_ms) >= bms->cfg->button_hold_ms;
    }
    return fire;
}

/* ---- the state machine ------------------------------------------------------------- */

static void enter(struct bms *bms, enum bms_state next)
{
    if (next == bms->state)
        return;
    enum bms_state prev = bms->state;
    bms->state = next;
    bms->state_since_ms = bms->now_ms;
    bms_log(bms, BMS_EV_STATE, (uint8_t)next, (int32_t)prev);

    /* §13: UVP recalibrates the estimate to 0 %, unless a cell reading is implausible
     * (a broken sense line would otherwise zero the SOC before the sense fault trips). */
    if (next == BMS_STATE_UVP &&
        bms->qty[BMS_QTY_CELL_MIN] >= bms->cfg->diag[BMS_ROW_F_SENSE_LOW].trip) {
        int32_t before = bms_soc_pptt(&bms->soc);
        unsigned ev = bms_soc_calibrate_empty(&bms->soc, bms->now_ms);
        bms_log(bms, BMS_EV_SOC_CAL, BMS_SOC_CAL_EMPTY, before);
        if (ev & BMS_SOC_EV_LEARNED)
            bms_log(bms, BMS_EV_CAPACITY, 0, (int32_t)bms_soc_capacity_mAh(&bms->soc));
    }
}

static void power(struct bms *bms, bool on)
{
    bms->powered = on;
    bms->board->ops->power_hold(bms->board, on);
}

/* Everything that a restart resets: protections, faults, full, timers. */
static void fresh_start(struct bms *bms)
{
    bms_diag_reset(bms);
    bms->full = bms->full_cond = bms->full_exit_cond = false;
    bms->uvp_since_ms = bms->now_ms;
    bms->lim.ccl_mA = bms->lim.dcl_mA = 0;
    bms->lim.full_block = false;
    bms->lim.held_valid = false;
    bms->idle_cond = false;
    bms->fet_chg_off_ms = bms->fet_dsg_off_ms = bms->now_ms;
}

/* The button (a master candidate), a neighbour's wake frame, or a charger (R-PR-13). */
static void start(struct bms *bms, enum bms_link_start how)
{
    bms_log(bms, BMS_EV_START, 0, 0);
    power(bms, true);
    fresh_start(bms);
    bms_link_start(bms, how); /* the master wakes the chain (R-PA-2) */
    bms->seq_since_ms = bms->now_ms;
    enter(bms, BMS_STATE_STARTUP);
}

/* Coding done: the link has set the ID and the pack count (a single pack: 1 of 1). */
static void coded(struct bms *bms)
{
    bms_log(bms, BMS_EV_CODED, 0, bms->link.pack_id);
    /* The 1 s task keeps step with the frames: one wakeup a second does both. */
    bms->task_second_ms = bms->now_ms + BMS_TASK_SECOND_MS;
    bms->can.last_tx_ms = bms->now_ms - bms->cfg->can_period_ms; /* first frames now */
    bms->can.last_305_ms = bms->now_ms;
    bms->uvp_since_ms = bms->now_ms;
}

enum shutdown_reason { SHUTDOWN_BUTTON = 0, SHUTDOWN_UVP = 1 };

static void shutdown(struct bms *bms, enum shutdown_reason why)
{
    bms_log(bms, BMS_EV_SHUTDOWN, 0, (int32_t)why);
    (void)bms_soc_save(&bms->soc, bms->now_ms);
    bms->seq_since_ms = bms->now_ms;
    /* R-BT-3: a master first shuts its slaves down, last to first; its own sweep
     * comes when they are done (bms_link_take_sweep). */
    bool slaves_first = why == SHUTDOWN_BUTTON && bms_link_shutdown_begin(bms);
    bms->seq_shutdown_sweep = why == SHUTDOWN_BUTTON && !slaves_first;
    enter(bms, BMS_STATE_SHUTDOWN);
    if (why != SHUTDOWN_BUTTON)
        power(bms, false);
}

/* R-ST-1 with its hysteresis and debounce (decision): charging from +0.5 A and discharging
 * from -0.5 A at once; back to standby at once when the current is back inside +-0.3 A,
 * and after standby_hold_ms when it stays between 0.3 and 0.5 A (in the direction left). */
static enum bms_state by_current(struct bms *bms)
{
    const struct bms_config *cfg = bms->cfg;
    int32_t i_mA = bms->current_mA, idle_mA = cfg->standby_current_mA;
    int32_t rel_mA = cfg->standby_release_mA;
    enum bms_state was = bms->state;

    if (i_mA >= idle_mA) {
        bms->idle_cond = false;
        return BMS_STATE_CHARGING;
    }
    if (i_mA <= -idle_mA) {
        bms->idle_cond = false;
        return BMS_STATE_DISCHARGING;
    }
    bool between = (was == BMS_STATE_CHARGING && i_mA >= rel_mA) ||
                   (was == BMS_STATE_DISCHARGING && i_mA <= -rel_mA);
    if (between &&
        !bms_held(&bms->idle_cond, &bms->idle_since_ms, true, bms->now_ms, cfg->standby_hold_ms))
        return was;
    bms->idle_cond = false;
    return BMS_STATE_STANDBY;
}

/* §13 precedence: fault, uvp, discharge_protect, charge_protect, full, by current. */
static enum bms_state evaluate(struct bms *bms)
{
    uint32_t uvp = (1u << BMS_PROT_PACK_LV) | (1u << BMS_PROT_CELL_UV);
    uint8_t stops = bms_diag_stops(bms);

    if (bms->diag.fault_mask)
        return BMS_STATE_FAULT;
    if (bms->diag.protect_mask & uvp)
        return BMS_STATE_UVP;
    if (stops & BMS_STOP_DISCHARGE)
        return BMS_STATE_DISCHARGE_PROTECT;
    if (stops & BMS_STOP_CHARGE)
        return BMS_STATE_CHARGE_PROTECT;
    if (bms->full)
        return BMS_STATE_FULL;
    return by_current(bms);
}

/* R-ST-3 / §13: enter full after 60 s at the charge end, leave after 60 s without charge. */
static void full_step(struct bms *bms)
{
    const struct bms_config *cfg = bms->cfg;
    int32_t i_mA = bms->current_mA;

    if (!bms->full) {
        bool cond = bms->afe.battery_mV >= cfg->full_battery_mV &&
                    i_mA >= cfg->full_current_min_mA && i_mA < cfg->full_current_max_mA &&
                    !bms->diag.fault_mask && !(bms_diag_stops(bms) & BMS_STOP_CHARGE);
        if (!bms_held(&bms->full_cond, &bms->full_cond_ms, cond, bms->now_ms, cfg->full_hold_ms))
            return;
        bms->full = true;
        bms->full_cond = false;
        int32_t before = bms_soc_pptt(&bms->soc);
        unsigned ev = bms_soc_calibrate_full(&bms->soc, bms->now_ms);
        bms_log(bms, BMS_EV_SOC_CAL, BMS_SOC_CAL_FULL, before);
        if (ev & BMS_SOC_EV_LEARNED)
            bms_log(bms, BMS_EV_CAPACITY, 0, (int32_t)bms_soc_capacity_mAh(&bms->soc));
        bms->lim.full_block = true;
        bms->lim.below_full_pct_s = 0;
        if (bms->lim.full_request) {
            bms->lim.full_request = false;
            bms_log(bms, BMS_EV_FULL_REQUEST, 0, 0);
        }
    } else if (bms_held(&bms->full_exit_cond, &bms->full_exit_ms,
                    i_mA < cfg->standby_current_mA, bms->now_ms, cfg->full_exit_ms)) {
        bms->full = false;
        bms->full_exit_cond = false;
    }
}

static uint32_t sweep_ms(const struct bms_config *cfg)
{
    return BMS_LEDS * cfg->sweep_step_ms;
}

static void step(struct bms *bms, bool long_release)
{
    const struct bms_config *cfg = bms->cfg;
    uint32_t in_seq_ms = bms->now_ms - bms->seq_since_ms;

    switch (bms->state) {
    case BMS_STATE_SHUTDOWN:
        if (bms_link_shutting(bms))
            break; /* R-BT-3: the slaves go first */
        if (bms_link_take_sweep(bms)) {
            bms->seq_since_ms = bms->now_ms;
            bms->seq_shutdown_sweep = true;
            break;
        }
        if (bms->seq_shutdown_sweep) { /* R-BT-3: L1 -> L8, then all off, power off */
            if (in_seq_ms >= sweep_ms(cfg)) {
                bms->seq_shutdown_sweep = false;
                power(bms, false);
            }
        } else if (bms->afe.battery_mV < cfg->wake_min_battery_mV) {
            /* R-PR-13: too low to power itself; only an external charger wakes it. */
            if (bms->afe.pack_mV >= cfg->wake_charger_mV)
                start(bms, BMS_LINK_START_CHARGER);
        } else if (long_release) {
            start(bms, BMS_LINK_START_BUTTON);
        } else if (bms->link.wake) { /* R-PA-2: the master's start wakes the chain */
            start(bms, BMS_LINK_START_WAKE);
        }
        break;
    case BMS_STATE_STARTUP: /* R-BT-1: the sweep L8 -> L1, then coding */
        if (in_seq_ms >= sweep_ms(cfg)) {
            bms->seq_since_ms = bms->now_ms;
            enter(bms, BMS_STATE_CODING);
        }
        break;
    case BMS_STATE_CODING: { /* R-BT-1: 3 s + 2 s per slave; R-PA-2 checks the wiring */
        enum bms_link_coding c = bms_link_coding_step(bms, in_seq_ms);
        if (c == BMS_LINK_CODING_BUSY)
            break;
        if (c == BMS_LINK_CODING_FAILED && !(bms->diag.fault_mask & (1u << BMS_FAULT_CODING)))
            break; /* the next diagnosis pass raises (and logs) the coding fault */
        if (c == BMS_LINK_CODING_DONE)
            coded(bms);
        enter(bms, evaluate(bms));
        break;
    }
    default: { /* in service */
        if (long_release && bms_link_button_shuts(bms)) { /* R-BT-3 */
            shutdown(bms, SHUTDOWN_BUTTON);
            break;
        }
        if (bms_link_take_shut(bms)) { /* the master's turn for this slave */
            shutdown(bms, SHUTDOWN_BUTTON);
            break;
        }
        full_step(bms);
        enum bms_state next = evaluate(bms);
        /* R-PR-13: 10 min in UVP, then shutdown; a charge current restarts the wait. */
        if (next != BMS_STATE_UVP || bms->state != BMS_STATE_UVP ||
            bms->current_mA >= cfg->standby_current_mA)
            bms->uvp_since_ms = bms->now_ms;
        enter(bms, next);
        if (bms->state == BMS_STATE_UVP &&
            (uint32_t)(bms->now_ms - bms->uvp_since_ms) >= cfg->uvp_shutdown_ms)
            shutdown(bms, SHUTDOWN_UVP);
        break;
    }
    }
}

/* ---- bookkeeping once per second ----------------------------------------------------- */

/* R-SOC-3 storage_time: after 90 % DOD the recharge window depends on where the pack
 * is; the used fraction of the window (2^30 = all of it) adds up across changes. */
static void storage_time_second(struct bms *bms)
{
    const struct bms_config *cfg = bms->cfg;
    const uint32_t whole = 1u << 30;
    uint32_t bit = 1u << BMS_ALARM_STORAGE_TIME;

    if (bms_soc_percent(&bms->soc) > cfg->storage_soc_pct) {
        bms->storage_used = 0;
        bms->diag.ext_alarm_mask &= ~bit;
        return;
    }
    if (bms->current_mA >= cfg->standby_current_mA)
        return; /* being recharged */
    bool connected = bms->can.rx_305 &&
                     (uint32_t)(bms->now_ms - bms->can.last_305_ms) < cfg->inverter_link_ms;
    uint32_t window_s = connected ? cfg->storage_window_conn_s
                        : bms->qty[BMS_QTY_TEMP_MAX] > cfg->storage_warm_ddegC
                            ? cfg->storage_window_warm_s
                            : cfg->storage_window_cold_s;
    uint32_t add = window_s ? whole / window_s : whole;
    bms->storage_used = bms->storage_used < whole - add ? bms->storage_used + add : whole;
    if (bms->storage_used >= whole)
        bms->diag.ext_alarm_mask |= bit;
}

/* ---- outputs and the status view ---------------------------------------------------- */

static bool balance_allowed(const struct bms *bms)
{
    return bms->state == BMS_STATE_CHARGING || bms->state == BMS_STATE_STANDBY;
}

static void set_balancing(struct bms *bms, uint16_t mask)
{
    if (mask != bms->balance_mask) {
        bms->balance_mask = mask;
        bms->board->ops->set_balancing(bms->board, mask);
    }
}

/* R-BL-1 on 1 s means, decided in the 1 s task. */
static void balance_second(struct bms *bms)
{
    const struct bms_balance *bal = &bms->balance;
    const uint16_t *cells = bal->mean_valid ? bal->mean_mV : bms->afe.cell_mV;
    set_balancing(bms, bms_balance_update(&bms->balance, &bms->cfg->balance, cells,
                                          balance_allowed(bms),
                                          bms->diag.protect_mask || bms->diag.fault_mask));
}

/* 100 ms: the MOSFETs, the balancer's running mean, and balancing stopped at once by a
 * protection, a fault or the state (R-BL-1: never during a protection). */
static void drive_outputs(struct bms *bms)
{
    struct board *b = bms->board;
    bool running = bms_state_running(bms->state);
    uint8_t stops = bms_diag_stops(bms);
    bool fault = bms->diag.fault_mask != 0;
    bool chg = running && !fault && !(stops & BMS_STOP_CHARGE);
    bool dsg = running && !fault && !(stops & BMS_STOP_DISCHARGE);

    if (chg != bms->fet_chg || dsg != bms->fet_dsg) {
        if (!chg && bms->fet_chg)
            bms->fet_chg_off_ms = bms->now_ms;
        if (!dsg && bms->fet_dsg)
            bms->fet_dsg_off_ms = bms->now_ms;
        bms->fet_chg = chg;
        bms->fet_dsg = dsg;
        b->ops->set_fets(b, chg, dsg);
    }

    (void)bms_balance_average(&bms->balance, &bms->cfg->balance, bms->afe.cell_mV, bms->now_ms);
    if (bms->balance.active && (!balance_allowed(bms) || bms->diag.protect_mask || fault))
        balance_second(bms);
}

static int16_t mean4(const int16_t *t)
{
    int32_t sum = (int32_t)t[0] + t[1] + t[2] + t[3];
    return (int16_t)(sum >= 0 ? (sum + 2) / 4 : -((-sum + 2) / 4));
}

/* R-DC-1 debounce (decision): a contact closes at once; one closed in service opens once
 * its direction has been allowed for dry_open_ms (from the first sample that allowed it),
 * so a relay never follows a flicker. */
static bool contact(struct bms *bms, int which, bool prohibit, bool closed, bool running)
{
    if (prohibit) {
        bms->dry_allowed[which] = false;
        bms->dry_debounce[which] = running;
        return true;
    }
    if (!bms->dry_allowed[which]) {
        bms->dry_allowed[which] = true;
        bms->dry_allowed_ms[which] = bms->now_ms;
    }
    return closed && bms->dry_debounce[which] &&
           (uint32_t)(bms->now_ms - bms->dry_allowed_ms[which]) < bms->cfg->dry_open_ms;
}

static void update_status(struct bms *bms)
{
    struct bms_status *st = &bms->status;
    const struct bms_config *cfg = bms->cfg;
    bool running = bms_state_running(bms->state);
    uint8_t stops = bms_diag_stops(bms);
    bool fault = bms->diag.fault_mask != 0;

    st->state = bms->state;
    st->protect_mask = bms->diag.protect_mask;
    st->alarm_mask = bms->diag.alarm_mask;
    st->fault_mask = bms->diag.fault_mask;
    st->soc_pptt = bms_soc_pptt(&bms->soc);
    st->soc_shown_pct = bms_soc_percent(&bms->soc);
    st->soh_pct = bms_soc_soh_percent(&bms->soc);
    uint32_t cycles = bms_soc_cycles_x100(&bms->soc) / 100u;
    st->cycles = (uint16_t)(cycles > 0xFFFFu ? 0xFFFFu : cycles);
    st->capacity_mAh = bms_soc_capacity_mAh(&bms->soc);
    st->battery_mV = bms->afe.battery_mV;
    st->pack_mV = bms->afe.pack_mV;
    st->current_mA = bms->current_mA;
    st->cell_min_mV = (uint16_t)bms->qty[BMS_QTY_CELL_MIN];
    st->cell_max_mV = (uint16_t)bms->qty[BMS_QTY_CELL_MAX];
    st->temp_min_ddegC = (int16_t)bms->qty[BMS_QTY_TEMP_MIN];
    st->temp_max_ddegC = (int16_t)bms->qty[BMS_QTY_TEMP_MAX];
    st->temp_mean_ddegC = mean4(bms->afe.temp_ddegC);
    st->temp_fet_ddegC = bms->afe.temp_ddegC[4];
    st->temp_air_ddegC = bms->afe.temp_ddegC[5];

    /* docs/spec/CAN.md units and rounding: CVL, CCL, DCL down, DVL up; an enable bit is 1
     * exactly when its limit is > 0; a fault zeroes both. */
    st->ccl_mA = bms->lim.ccl_mA;
    st->dcl_mA = bms->lim.dcl_mA;
    st->cvl_dV = (uint16_t)(cfg->cvl_mV / 100u);
    st->dvl_dV = (uint16_t)((cfg->dvl_mV + 99u) / 100u);
    st->ccl_dA = (uint16_t)(running && !fault ? bms->lim.ccl_mA / 100 : 0);
    st->dcl_dA = (uint16_t)(running && !fault ? bms->lim.dcl_mA / 100 : 0);
    st->ccl_reason = bms->lim.ccl_reason;
    st->dcl_reason = bms->lim.dcl_reason;
    st->charge_enable = st->ccl_dA > 0;
    st->discharge_enable = st->dcl_dA > 0;
    st->force_charge = running && bms->lim.force_charge;
    st->full_charge_request = running && bms->lim.full_request;

    /* R-DC-1: a contact is closed while its direction is not allowed, with its debounce. */
    bool no_chg = !running || fault || (stops & BMS_STOP_CHARGE) || st->ccl_dA == 0;
    bool no_dsg = !running || fault || (stops & BMS_STOP_DISCHARGE) || st->dcl_dA == 0;
    bool prohibit_chg = contact(bms, 0, no_chg, st->prohibit_charge, running);
    bool prohibit_dsg = contact(bms, 1, no_dsg, st->prohibit_discharge, running);
    bms->dry_waiting = (prohibit_chg && !no_chg) || (prohibit_dsg && !no_dsg);
    if (prohibit_chg != st->prohibit_charge || prohibit_dsg != st->prohibit_discharge)
        bms->board->ops->set_dry_contacts(bms->board, prohibit_chg, prohibit_dsg);
    st->prohibit_charge = prohibit_chg;
    st->prohibit_discharge = prohibit_dsg;

    st->balance_mask = bms->balance_mask;
    st->pack_id = bms->link.pack_id;
    st->pack_count = bms->link.pack_count;
    st->is_master = bms->link.is_master;
    st->fet_charge_on = bms->fet_chg;
    st->fet_discharge_on = bms->fet_dsg;
    /* Only a coded master talks to the inverter (R-PA-3); a failed coding has none. */
    st->can_on = running && bms->link.is_master && bms->link.can_ready &&
                 !bms->link.coding_failed;
    st->power_hold = bms->powered;
}

/* The LCD line: the state, or what stops the pack (no stdio in firmware). */
static void lcd_text(const struct bms *bms, char *out, size_t cap)
{
    const char *s = bms_state_name(bms->state);
    const char *extra = 0;
    if (bms->diag.fault_mask & (1u << BMS_FAULT_CODING)) {
        s = "link coding failed";
    } else if (bms->diag.fault_mask | bms->diag.protect_mask) { /* nearly always neither */
        for (int id = 0; id < BMS_FAULT_COUNT && !extra; id++)
            if (bms->diag.fault_mask & (1u << id))
                extra = bms_fault_name((enum bms_fault_id)id);
        for (int id = 0; id < BMS_PROT_COUNT && !extra; id++)
            if (bms->diag.protect_mask & (1u << id))
                extra = bms_protect_name((enum bms_protect_id)id);
    }
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        out[n++] = *s;
    if (extra && n + 2 < cap) {
        out[n++] = ':';
        out[n++] = ' ';
        for (; *extra && n + 1 < cap; extra++)
            out[n++] = *extra;
    }
    out[n] = '\0';
}

static void lcd_service(struct bms *bms)
{
    const struct bms_status *st = &bms->status;
    if (bms->powered && bms_lcd_due(&bms->lcd, &bms->cfg->lcd, bms->now_ms)) {
        struct bms_lcd_view v;
        memset(&v, 0, sizeof v);
        v.pack_id = st->pack_id;
        v.state = (uint8_t)st->state;
        v.soc_pct = st->soc_shown_pct;
        v.soh_pct = st->soh_pct;
        v.voltage_mV = st->battery_mV;
        v.current_mA = st->current_mA;
        /* W = mV * mA / 10^6 without 64-bit division: volts to 0.01 V first */
        v.power_W = (int32_t)(st->battery_mV / 10u) * (st->current_mA / 10) / 10000;
        v.cell_min_mV = st->cell_min_mV;
        v.cell_max_mV = st->cell_max_mV;
        v.cell_min_no = st->cell_min_no;
        v.cell_max_no = st->cell_max_no;
        v.temp_min_ddegC = st->temp_min_ddegC;
        v.temp_max_ddegC = st->temp_max_ddegC;
        for (uint8_t i = 0; i < 4; i++) {
            if (bms->afe.temp_ddegC[i] == st->temp_min_ddegC && !v.temp_min_no)
                v.temp_min_no = (uint8_t)(i + 1);
            if (bms->afe.temp_ddegC[i] == st->temp_max_ddegC && !v.temp_max_no)
                v.temp_max_no = (uint8_t)(i + 1);
        }
        v.protect_mask = (uint16_t)st->protect_mask;
        v.alarm_mask = (uint16_t)st->alarm_mask;
        v.fault_mask = (uint16_t)st->fault_mask;
        v.cycles = st->cycles;
        v.balance_mask = st->balance_mask;
        v.flags = (uint8_t)((st->charge_enable ? LCD_FLAG_CHARGE_ENABLE : 0u) |
                            (st->discharge_enable ? LCD_FLAG_DISCHARGE_ENABLE : 0u) |
                            (st->force_charge ? LCD_FLAG_FORCE_CHARGE : 0u) |
                            (st->full_charge_request ? LCD_FLAG_FULL_REQUEST : 0u) |
                            (st->is_master ? LCD_FLAG_MASTER : 0u));
        lcd_text(bms, v.text, sizeof v.text);
        bms_lcd_send(&bms->lcd, bms->now_ms, &v);
    }
    bms_lcd_flush(&bms->lcd, bms->board);
}

/* ---- the tasks (docs/firmware.md: the task table) ------------------------------------ */

static bool due(const struct bms *bms, uint32_t at_ms)
{
    return (int32_t)(bms->now_ms - at_ms) >= 0;
}

/* A calm standby: until the next 1 s task nothing but what the AFE's quiet window watches
 * (the current, a cell, the stack, an NTC) can change a decision: the sample inside the
 * window (outside, the AFE would alert at every scan), no diagnosis row counting or
 * active, no contact waiting for its debounce, the button up. */
static bool calm(const struct bms *bms)
{
    return bms->state == BMS_STATE_STANDBY && bms->powered && !bms->button_down &&
           !bms->dry_waiting && !bms->diag.protect_mask && !bms->diag.fault_mask &&
           !bms->diag.rows_busy &&
           !board_afe_watch_alerts(&bms->cfg->afe_watch_quiet, &bms->afe, bms->current_mA);
}

/* The AFE's watch for what comes: off once the power is let go, quiet when calm. */
static void choose_watch(struct bms *bms)
{
    const struct bms_config *cfg = bms->cfg;
    uint8_t w = !bms->powered ? BMS_WATCH_OFF : calm(bms) ? BMS_WATCH_QUIET : BMS_WATCH_ACTIVE;
    if (w == bms->watch)
        return;
    bms->watch = w;
    bms->board->ops->set_afe_watch(bms->board, w == BMS_WATCH_OFF     ? &cfg->afe_watch_off
                                               : w == BMS_WATCH_QUIET ? &cfg->afe_watch_quiet
                                                                      : &cfg->afe_watch_active);
}

/* The wake circuit of a pack that let its power go (R-PR-13): an external charger on the
 * terminals of a flat pack. Read in the 10 ms task (a pin on a real board); the reading
 * also serves the link's wake check (a flat pack stays off). */
static bool charger_wakes(struct bms *bms)
{
    if (bms->powered || bms->state != BMS_STATE_SHUTDOWN)
        return false;
    bms->board->ops->read_afe(bms->board, &bms->afe);
    return bms->afe.battery_mV < bms->cfg->wake_min_battery_mV &&
           bms->afe.pack_mV >= bms->cfg->wake_charger_mV;
}

/* 100 ms: the sample, and the event log's pending writes. */
static void measure_tick(struct bms *bms)
{
    measure(bms);
    if (bms->evlog.slots)
        bms_evlog_tick(&bms->evlog, bms->now_ms);
}

/* 100 ms, after the inputs: what the sample decides (alarms, protections, faults, SOC). */
static void judge(struct bms *bms)
{
    bms_can_watch(bms);
    if (bms->state != BMS_STATE_SHUTDOWN)
        bms_diag_update(bms);

    /* The BMS's own supply comes from the cells ahead of the shunt: count it too,
     * or the estimate creeps up by ~0.7 %/day. */
    int32_t own_mA = bms->powered ? bms->cfg->own_draw_mA : bms->cfg->own_draw_off_mA;
    struct bms_soc_input in = {
        .current_mA = bms->current_mA - own_mA,
        .cell_avg_mV = (uint16_t)(bms->afe.battery_mV / BOARD_CELLS),
    };
    unsigned ev = bms_soc_update(&bms->soc, bms->now_ms, &in);
    if (ev & BMS_SOC_EV_OCV)
        bms_log(bms, BMS_EV_SOC_CAL, BMS_SOC_CAL_OCV, bms->soc.before_pptt);
    if (ev & BMS_SOC_EV_LEARNED)
        bms_log(bms, BMS_EV_CAPACITY, 0, (int32_t)bms_soc_capacity_mAh(&bms->soc));
}

/* 100 ms (or at once on the button or a link request): the state machine and its outputs. */
static void control(struct bms *bms, bool long_release)
{
    step(bms, long_release);
    bms_link_service(bms);
    /* The targets follow the sample: a fall to 0 is at once; the slew is the 1 s task's. */
    bms_limits_update(bms, 0, false);
    drive_outputs(bms);
    bms->leds.dirty = true; /* the state or the SOC level may have changed */
}

/* Every second of service (R-LM-2 slew, R-LM-4 count, R-SOC-3, R-BL-1). n > 1 only when
 * the ticks stopped for longer (the caller skipped the wakeups asked for). */
static void second(struct bms *bms, bool targets_fresh)
{
    uint32_t n = 1u + (uint32_t)(bms->now_ms - bms->task_second_ms) / BMS_TASK_SECOND_MS;
    bms->task_second_ms += n * BMS_TASK_SECOND_MS;
    for (uint32_t i = 0; i < n; i++) {
        bms_limits_second(bms);
        storage_time_second(bms);
    }
    /* The 100 ms task of this tick set the targets from the same inputs: only the slew. */
    if (targets_fresh)
        bms_limits_slew(bms, n * BMS_TASK_SECOND_MS, false);
    else
        bms_limits_update(bms, n * BMS_TASK_SECOND_MS, false);
    balance_second(bms);
    bms->leds.dirty = true;
}

/* The first tick at or after at on the 10 ms grid from now, never now itself. */
static uint32_t on_grid_after(uint32_t now, uint32_t at)
{
    uint32_t d = at - now;
    d = d < BMS_TICK_MS ? BMS_TICK_MS : (d + BMS_TICK_MS - 1u) / BMS_TICK_MS * BMS_TICK_MS;
    return now + d;
}

/* After a tick: the earliest tick with work, on the 10 ms grid after now. */
static uint32_t next_wakeup(const struct bms *bms)
{
    uint32_t now = bms->now_ms, at = now, t;
    bool any = false;

    if (bms->button_down || bms->link.rx_more || bms_link_pending(bms) ||
        (bms->powered && (bms_console_busy(&bms->console) || bms->lcd.out_pos < bms->lcd.out_len)))
        return now + BMS_TICK_MS;
    if (bms->powered) {
        bms_earliest(now, bms->task_measure_ms, &any, &at);
        bms_earliest(now, bms->lcd.started ? bms->lcd.last_ms + bms->cfg->lcd.period_ms : now, &any,
                 &at);
    }
    if (bms_state_running(bms->state))
        bms_earliest(now, bms->task_second_ms, &any, &at);
    if (bms->leds.edge_pending)
        bms_earliest(now, bms->leds.next_ms, &any, &at);
    if (bms_can_next_ms(bms, &t))
        bms_earliest(now, t, &any, &at);
    if (bms_link_next_ms(bms, &t))
        bms_earliest(now, t, &any, &at);
    return any ? on_grid_after(now, at) : now + BMS_WAKEUP_FAR_MS;
}

/* A tick it did not ask for (before wakeup_ms, no input): a Link Port's bytes or a CAN
 * frame woke it (their receive interrupts), and they brought no news for the status and
 * no request for the state machine. Nothing of its own is due before wakeup_ms, so the
 * rest of the 10 ms task has nothing to do (the reference mode's ticks between wakeups
 * find the same): the link serves what came (a relay has passed it on; a master's round
 * goes on), and only the link's next deadline can come sooner than the wakeup asked. */
static void frames_only(struct bms *bms)
{
    uint32_t now = bms->now_ms, t;
    bms_link_service(bms);
    if (bms->link.rx_more || bms_link_pending(bms)) {
        bms->wakeup_ms = now + BMS_TICK_MS;
    } else if (bms_link_next_ms(bms, &t)) {
        t = on_grid_after(now, t);
        if ((int32_t)(t - bms->wakeup_ms) < 0)
            bms->wakeup_ms = t;
    }
}

/* ---- the API ------------------------------------------------------------------------ */

void bms_init(struct bms *bms, const struct bms_config *cfg, struct board *board)
{
    memset(bms, 0, sizeof *bms);
    bms->cfg = cfg;
    bms->board = board;
    bms->state = BMS_STATE_SHUTDOWN;

    bms_soc_init(&bms->soc, &cfg->soc, board, cfg->nvm_soc_base);
    if (board->nvm_size >= cfg->nvm_evlog_base + 2u * BMS_EVLOG_RECORD_SIZE)
        bms_evlog_init(&bms->evlog, board, cfg->nvm_evlog_base,
                       board->nvm_size - cfg->nvm_evlog_base);
    bms_balance_init(&bms->balance);
    bms_lcd_init(&bms->lcd);
    bms_console_init(&bms->console, bms_console_commands, bms_console_command_count);
    bms_diag_reset(bms);

    /* Safe outputs: MOSFETs open, LEDs and balancing off, both contacts closed. */
    board->ops->set_fets(board, false, false);
    board->ops->set_balancing(board, 0);
    board->ops->set_leds(board, 0);
    board->ops->set_dry_contacts(board, true, true);
    board->ops->set_afe_watch(board, &cfg->afe_watch_active);
    for (int u = 0; u < BOARD_UART_COUNT; u++) /* every byte that comes wakes it */
        board->ops->uart_rx_wake(board, (enum board_uart)u, true);
    bms->status.prohibit_charge = bms->status.prohibit_discharge = true;
    bms->status.state = BMS_STATE_SHUTDOWN;
    bms->sys_status = bms->status;
}

void bms_start_running(struct bms *bms, uint32_t now_ms)
{
    bms_start_running_linked(bms, now_ms, 1, 1);
}

void bms_start_running_linked(struct bms *bms, uint32_t now_ms, uint8_t pack_id,
                              uint8_t pack_count)
{
    bms->now_ms = now_ms;
    bms->last_tick_ms = now_ms;
    bms->clock_valid = true;
    power(bms, true);
    fresh_start(bms);
    bms->seq_since_ms = now_ms;
    bms->seq_shutdown_sweep = false;
    bms_link_preset(bms, pack_id, pack_count);
    bms->task_measure_ms = now_ms;
    bms->wakeup_ms = now_ms; /* the first tick at now */
    coded(bms);
    bms->lim.snap = true;
    enter(bms, BMS_STATE_STANDBY); /* the first tick sets the state its inputs give */
}

void bms_set_soc_estimate(struct bms *bms, int32_t soc_pptt)
{
    bms_soc_set_estimate(&bms->soc, bms->now_ms, soc_pptt);
    bms->status.soc_pptt = bms_soc_pptt(&bms->soc);
    bms->status.soc_shown_pct = bms_soc_percent(&bms->soc);
    bms->leds.dirty = true; /* the level LEDs follow at the next tick */
    bms->input_changed = true;
    bms->views_gen++;
}

const struct bms_status *bms_status(const struct bms *bms)
{
    return &bms->status;
}

const struct bms_status *bms_system_status(const struct bms *bms)
{
    /* Only a master aggregates (bms_link_aggregate): a slave's, or a pack's before its
     * coding, is its own status, not a copy of it made at every task. */
    return bms->link.is_master ? &bms->sys_status : &bms->status;
}

uint32_t bms_next_wakeup_ms(const struct bms *bms)
{
    if (!bms->input_changed)
        return bms->wakeup_ms;
    uint32_t soon = bms->last_tick_ms + BMS_TICK_MS; /* (before the first tick: wakeup_ms) */
    return (int32_t)(soon - bms->wakeup_ms) < 0 ? soon : bms->wakeup_ms;
}

void bms_input_changed(struct bms *bms)
{
    bms->input_changed = true;
}

void bms_tick(struct bms *bms, uint32_t now_ms)
{
    bool first = !bms->clock_valid;
    bool input = bms->input_changed;
    bms->now_ms = now_ms;
    bms->last_tick_ms = now_ms;
    bms->clock_valid = true;
    bms->input_changed = false;
    bool asked = first || input || due(bms, bms->wakeup_ms);

    /* 10 ms: the button first (a long release runs the state machine at once). */
    bool long_release = button_long_release(bms);
    /* CAN frames first: a routine heartbeat is no news; one that clears the link alarm is. */
    bool can_news = bms_can_poll(bms);
    /* The 100 ms task: on its grid while powered; at once on an input while the AFE is
     * quiet (its alert, a pin, a byte, CAN news), on a long release and on the wake
     * circuit. */
    bool sensing = first || (bms->powered && due(bms, bms->task_measure_ms)) ||
                   ((input || can_news) && bms->watch == BMS_WATCH_QUIET) || long_release ||
                   charger_wakes(bms);
    if (sensing)
        measure_tick(bms);
    /* Link frames are read here, in the 10 ms task; only news for the status (a lost
     * peer back, the coding fault) runs the 100 ms task at once while the AFE is quiet. */
    bool link_news = bms_link_receive(bms);
    if (!asked && !sensing && !link_news && !bms_link_pending(bms)) {
        frames_only(bms);
        return;
    }
    bms->views_gen++;
    if (link_news && !sensing && bms->watch == BMS_WATCH_QUIET) {
        sensing = true;
        measure_tick(bms);
    }
    if (sensing)
        judge(bms);
    bool controlling = sensing || bms_link_pending(bms);
    if (controlling)
        control(bms, long_release);
    else
        bms_link_service(bms);
    bool seconds = bms_state_running(bms->state) && due(bms, bms->task_second_ms);
    if (seconds)
        second(bms, controlling);
    if (controlling || seconds) {
        update_status(bms);
        uint8_t was = bms->watch;
        choose_watch(bms);
        /* The 100 ms grid runs from the last control; quiet, it rides on the 1 s task. */
        if (bms->watch == BMS_WATCH_QUIET)
            bms->task_measure_ms = bms->task_second_ms;
        else if (controlling || was == BMS_WATCH_QUIET)
            bms->task_measure_ms = now_ms + BMS_TASK_MEASURE_MS;
    }

    /* 10 ms: the LEDs at their edges, frames and bytes out, the console. */
    if (bms_leds_due(bms))
        bms_leds_update(bms);
    if (controlling || seconds)
        bms_link_aggregate(bms);
    bms_can_service(bms);
    lcd_service(bms);
    /* The console answers while the BMS has power: when its bytes came (an input, and
     * the AFE's alerts are inputs too) or while it has work. */
    if (bms->powered && bms_console_due(&bms->console, bms->board, input))
        bms_console_tick(&bms->console, bms->board, bms);
    bms->wakeup_ms = next_wakeup(bms);
    bms->sample_changed = 0; /* judged: until a measure finds changes */
}
