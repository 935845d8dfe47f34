/* bms_limits.c: the limits sent to the inverter (docs/spec/PRODUCT.md §6, §13): CCL and DCL
 * as the min of the temperature bands and the cell-voltage cap with the limiting
 * reason, each term with hysteresis (R-LM-2 decision), 1 A/s slew (a cut to 0 is at
 * once), force charge and the full-charge request.
 */
#include "bms_core.h"

static bool in_band(const struct bms_band *b, int32_t value)
{
    return b->from < b->to && value >= b->from && value < b->to;
}

int32_t bms_band_lookup(const struct bms_band *bands, int n, int32_t value, int32_t none)
{
    for (int i = 0; i < n; i++)
        if (in_band(&bands[i], value))
            return bands[i].limit_mA;
    return none;
}

/* One term with hysteresis: a smaller limit applies at once (at the band edge); a larger
 * one only where the whole neighbourhood value +- hyst gives at least that much, i.e. once
 * the value is hyst inside the larger limit's band. *held is the term's last decision;
 * fresh: none yet (after a start), take the band as is. */
static int32_t term(const struct bms_band *bands, int n, int32_t value, int32_t none,
                    int32_t hyst, int32_t *held, bool fresh)
{
    int32_t now = bms_band_lookup(bands, n, value, none);
    if (fresh || now <= *held) {
        *held = now;
        return now;
    }
    int32_t lo = bms_band_lookup(bands, n, value - hyst, none);
    int32_t hi = bms_band_lookup(bands, n, value + hyst, none);
    int32_t relaxed = now < lo ? now : lo;
    relaxed = relaxed < hi ? relaxed : hi;
    if (relaxed > *held)
        *held = relaxed;
    return *held;
}

/* The largest limit of the temperature bands: the nominal one. */
static int32_t nominal_of(const struct bms_band *temp)
{
    int32_t nominal = 0;
    for (int i = 0; i < BMS_TEMP_BANDS; i++)
        if (temp[i].from < temp[i].to && temp[i].limit_mA > nominal)
            nominal = temp[i].limit_mA;
    return nominal;
}

/* min(band(T_min), band(T_max), cap(V)), each term with its hysteresis (held[0..2]), and
 * which term set it. */
static int32_t derate(const struct bms_band *temp, const struct bms_band *cap, int32_t t_min,
                      int32_t t_max, int32_t cell_mV, int32_t t_hyst, int32_t v_hyst,
                      int32_t held[3], bool fresh, uint8_t *reason)
{
    int32_t nominal = nominal_of(temp);
    int32_t a = term(temp, BMS_TEMP_BANDS, t_min, 0, t_hyst, &held[0], fresh);
    int32_t b = term(temp, BMS_TEMP_BANDS, t_max, 0, t_hyst, &held[1], fresh);
    int32_t c = term(cap, BMS_CAP_BANDS, cell_mV, INT32_MAX, v_hyst, &held[2], fresh);
    int32_t m = a < b ? a : b;
    m = m < c ? m : c;
    if (m >= nominal)
        *reason = BMS_LIMIT_NOMINAL;
    else if (m == a)
        *reason = BMS_LIMIT_TEMP_MIN;
    else if (m == b)
        *reason = BMS_LIMIT_TEMP_MAX;
    else
        *reason = BMS_LIMIT_CELL_V;
    return m;
}

static int32_t slew(int32_t now_mA, int32_t target_mA, int32_t step_mA, bool snap)
{
    if (snap || target_mA == 0) /* a protection (or any stop) cuts at once */
        return target_mA;
    if (target_mA > now_mA)
        return now_mA + step_mA < target_mA ? now_mA + step_mA : target_mA;
    return now_mA - step_mA > target_mA ? now_mA - step_mA : target_mA;
}

/* What CCL's [0] and DCL's [1] derating read of the sample: the temperatures and the
 * cell voltage their capacity bands take (the highest cell for charge, the lowest for
 * discharge). */
#define DERATE_TEMPS ((1u << BMS_QTY_TEMP_MIN) | (1u << BMS_QTY_TEMP_MAX))
static const enum bms_qty derate_cell_qty[2] = {BMS_QTY_CELL_MAX, BMS_QTY_CELL_MIN};
static const uint32_t derate_qtys[2] = {DERATE_TEMPS | (1u << BMS_QTY_CELL_MAX),
                                        DERATE_TEMPS | (1u << BMS_QTY_CELL_MIN)};

/* CCL's and DCL's derating of the sample, each its last one while the temperatures and the
 * cell voltage it read stay: in a quiet standby the AFE holds its sample for up to a
 * minute and the 1 s task judges the same values, and while current flows its reading
 * changes more often than they do. Derating the same values again on the held limits a
 * derating left returns the same and leaves them be (term raises a limit to where the
 * neighbourhood allows, or lowers it to the band, once), so only a start (fresh) must. */
static void derate_sample(struct bms *bms)
{
    const struct bms_config *cfg = bms->cfg;
    struct bms_limits *lim = &bms->lim;
    bool fresh = !lim->held_valid;
    lim->held_valid = true;
    int32_t t_min = bms->qty[BMS_QTY_TEMP_MIN], t_max = bms->qty[BMS_QTY_TEMP_MAX];
    for (int k = 0; k < 2; k++) {
        struct bms_derated *d = &lim->derated[k];
        if (!fresh && d->valid && !(bms->sample_changed & derate_qtys[k]))
            continue;
        d->valid = true;
        d->limit_mA = derate(k ? cfg->dcl_temp : cfg->ccl_temp, k ? cfg->dcl_cap : cfg->ccl_cap,
                             t_min, t_max, bms->qty[derate_cell_qty[k]],
                             cfg->band_temp_hyst_ddegC,
                             k ? cfg->dcl_cap_hyst_mV : cfg->ccl_cap_hyst_mV,
                             &lim->held_mA[3 * k], fresh, &d->reason);
    }
}

/* The targets from the sample, the state and the protections. */
static void targets(struct bms *bms)
{
    const struct bms_config *cfg = bms->cfg;
    struct bms_limits *lim = &bms->lim;
    uint8_t stops = bms_diag_stops(bms);

    /* R-LM-3 force charge with hysteresis, on the shown SOC. */
    uint8_t pct = bms_soc_percent(&bms->soc);
    if (pct < cfg->force_on_below_pct)
        lim->force_charge = true;
    else if (pct >= cfg->force_off_at_pct)
        lim->force_charge = false;

    if (lim->full_block && bms_soc_pptt(&bms->soc) < cfg->full_ccl_block_pptt)
        lim->full_block = false;

    if (!bms_state_running(bms->state)) {
        lim->ccl_target_mA = lim->dcl_target_mA = 0;
        lim->ccl_reason = lim->dcl_reason = BMS_LIMIT_OFF;
        /* Not derated: the sample may move before the next derating. */
        lim->derated[0].valid = lim->derated[1].valid = false;
    } else if (bms->diag.fault_mask) {
        lim->ccl_target_mA = lim->dcl_target_mA = 0;
        lim->ccl_reason = lim->dcl_reason = BMS_LIMIT_FAULT;
        lim->derated[0].valid = lim->derated[1].valid = false;
    } else {
        derate_sample(bms);
        lim->ccl_target_mA = lim->derated[0].limit_mA;
        lim->ccl_reason = lim->derated[0].reason;
        lim->dcl_target_mA = lim->derated[1].limit_mA;
        lim->dcl_reason = lim->derated[1].reason;
        if (lim->full_block) {
            lim->ccl_target_mA = 0;
            lim->ccl_reason = BMS_LIMIT_FULL;
        }
        if (stops & BMS_STOP_CHARGE) {
            lim->ccl_target_mA = 0;
            lim->ccl_reason = BMS_LIMIT_PROTECT;
        }
        if (stops & BMS_STOP_DISCHARGE) {
            lim->dcl_target_mA = 0;
            lim->dcl_reason = BMS_LIMIT_PROTECT;
        }
    }
}

void bms_limits_slew(struct bms *bms, uint32_t dt_ms, bool snap)
{
    const struct bms_config *cfg = bms->cfg;
    struct bms_limits *lim = &bms->lim;
    /* dt is at most a few ticks; clamp so a long gap cannot overflow the product. */
    uint32_t dt = dt_ms < 100000u ? dt_ms : 100000u;
    int32_t step = (int32_t)(((uint32_t)cfg->slew_mA_per_s * dt) / 1000u);
    snap = snap || lim->snap;
    lim->snap = false;
    lim->ccl_mA = slew(lim->ccl_mA, lim->ccl_target_mA, step, snap);
    lim->dcl_mA = slew(lim->dcl_mA, lim->dcl_target_mA, step, snap);
}

void bms_limits_update(struct bms *bms, uint32_t dt_ms, bool snap)
{
    targets(bms);
    bms_limits_slew(bms, dt_ms, snap);
}

void bms_limits_second(struct bms *bms)
{
    const struct bms_config *cfg = bms->cfg;
    struct bms_limits *lim = &bms->lim;
    uint8_t pct = bms_soc_percent(&bms->soc);

    /* R-LM-4: 30 consecutive days without reaching 97 %. */
    if (pct >= cfg->full_request_pct) {
        lim->below_full_pct_s = 0;
    } else if (lim->below_full_pct_s < cfg->full_request_s) {
        lim->below_full_pct_s++;
        if (lim->below_full_pct_s >= cfg->full_request_s && !lim->full_request) {
            lim->full_request = true;
            bms_log(bms, BMS_EV_FULL_REQUEST, 0, 1);
        }
    }
}
