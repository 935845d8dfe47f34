/* bms_limits.c: the limits sent to the inverter (docs/spec/PRODUCT.md §6, §13): CCL and DCL
 * as the min of the temperature bands and the cell-voltage cap with the limiting
 * reason, 1 A/s slew (a cut to 0 is at once), force charge and the full-charge request.
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

/* min(band(T_min), band(T_max), cap(V)) and which term set it. One pass over the
 * temperature bands finds the nominal (largest) limit and the first band holding
 * each temperature, as bms_band_lookup would (this runs every tick, twice). */
static int32_t derate(const struct bms_band *temp, const struct bms_band *cap, int32_t t_min,
                      int32_t t_max, int32_t cell_mV, uint8_t *reason)
{
    int32_t nominal = 0, a = 0, b = 0;
    bool a_found = false, b_found = false;
    for (int i = 0; i < BMS_TEMP_BANDS; i++) {
        const struct bms_band *t = &temp[i];
        if (t->from >= t->to)
            continue;
        if (t->limit_mA > nominal)
            nominal = t->limit_mA;
        if (!a_found && in_band(t, t_min)) {
            a = t->limit_mA;
            a_found = true;
        }
        if (!b_found && in_band(t, t_max)) {
            b = t->limit_mA;
            b_found = true;
        }
    }
    int32_t c = bms_band_lookup(cap, BMS_CAP_BANDS, cell_mV, INT32_MAX);
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

void bms_limits_update(struct bms *bms, uint32_t dt_ms, bool snap)
{
    const struct bms_config *cfg = bms->cfg;
    struct bms_limits *lim = &bms->lim;
    int32_t t_min = bms->qty[BMS_QTY_TEMP_MIN], t_max = bms->qty[BMS_QTY_TEMP_MAX];
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
    } else if (bms->diag.fault_mask) {
        lim->ccl_target_mA = lim->dcl_target_mA = 0;
        lim->ccl_reason = lim->dcl_reason = BMS_LIMIT_FAULT;
    } else {
        lim->ccl_target_mA = derate(cfg->ccl_temp, cfg->ccl_cap, t_min, t_max,
                                    bms->qty[BMS_QTY_CELL_MAX], &lim->ccl_reason);
        lim->dcl_target_mA = derate(cfg->dcl_temp, cfg->dcl_cap, t_min, t_max,
                                    bms->qty[BMS_QTY_CELL_MIN], &lim->dcl_reason);
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
    /* dt is at most a few ticks; clamp so a long gap cannot overflow the product. */
    uint32_t dt = dt_ms < 100000u ? dt_ms : 100000u;
    int32_t step = (int32_t)(((uint32_t)cfg->slew_mA_per_s * dt) / 1000u);
    snap = snap || lim->snap;
    lim->snap = false;
    lim->ccl_mA = slew(lim->ccl_mA, lim->ccl_target_mA, step, snap);
    lim->dcl_mA = slew(lim->dcl_mA, lim->dcl_target_mA, step, snap);
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
