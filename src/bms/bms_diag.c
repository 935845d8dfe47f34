/* bms_diag.c: the one diagnosis engine. Every protection, alarm and fault is a row
 * of the configuration table; a row trips after its condition has held for its trip
 * delay and releases per its release mode. Active rows OR into the three id masks.
 */
#include "bms_core.h"

void bms_diag_reset(struct bms *bms)
{
    for (int i = 0; i < BMS_DIAG_ROW_COUNT; i++) {
        bms->diag.row[i].active = false;
        bms->diag.row[i].cond = false;
        bms->diag.row[i].since_ms = bms->now_ms;
    }
    bms->diag.protect_mask = 0;
    bms->diag.alarm_mask = 0;
    bms->diag.fault_mask = 0;
    bms->diag.ext_alarm_mask = 0;
    bms->diag.ext_fault_mask = 0;
    bms->diag.rows_busy = false;
    bms->diag.judged_valid = false;
}

/* Whether this pass would judge what the last one did: every row idle after it, and the
 * same sample (an idle row's verdict depends on nothing else: the current a release by
 * charge reads is one of the sample's quantities). */
static bool judged_already(const struct bms *bms)
{
    return bms->diag.judged_valid && !bms->diag.rows_busy && !bms->sample_changed;
}

static bool row_over(const struct bms_diag_row *r, int32_t v)
{
    if (r->high)
        return r->inclusive ? v >= r->trip : v > r->trip;
    return r->inclusive ? v <= r->trip : v < r->trip;
}

static bool row_released(struct bms *bms, const struct bms_diag_row *r,
                         struct bms_diag_slot *s, int32_t v)
{
    switch ((enum bms_release)r->release_mode) {
    case BMS_REL_HYST:
        return bms_held(&s->cond, &s->since_ms, r->high ? v <= r->release : v >= r->release,
                        bms->now_ms, r->release_ms);
    case BMS_REL_TIMED: /* since_ms is the trip time */
        return (uint32_t)(bms->now_ms - s->since_ms) >= r->release_ms;
    case BMS_REL_CHARGE:
        return bms_held(&s->cond, &s->since_ms,
                        bms->current_mA >= r->release ||
                            bms->qty[BMS_QTY_BATTERY] >= r->release2,
                        bms->now_ms, r->release_ms);
    case BMS_REL_LATCH:
        break;
    }
    return false;
}

/* The value logged with an id's event: that of the first row setting it. */
static int32_t id_value(const struct bms *bms, uint8_t kind, uint8_t id)
{
    const struct bms_diag_row *rows = bms->cfg->diag;
    for (int i = 0; i < BMS_DIAG_ROW_COUNT; i++)
        if (rows[i].kind == kind && rows[i].id == id)
            return bms->qty[rows[i].qty];
    return 0;
}

static void log_changes(struct bms *bms, uint8_t kind, uint32_t before, uint32_t after, int n,
                        enum bms_ev_kind on, enum bms_ev_kind off)
{
    uint32_t changed = before ^ after;
    for (int id = 0; id < n && changed; id++) {
        uint32_t bit = 1u << id;
        if (changed & bit)
            bms_log(bms, (after & bit) ? on : off, (uint8_t)id,
                    id_value(bms, kind, (uint8_t)id));
    }
}

void bms_diag_update(struct bms *bms)
{
    const struct bms_diag_row *rows = bms->cfg->diag;
    uint32_t mask[3] = {0, 0, 0};
    bool busy = false;

    bool idle_again = judged_already(bms); /* then every row stays idle: skip them */
    for (int i = 0; i < BMS_DIAG_ROW_COUNT && !idle_again; i++) {
        const struct bms_diag_row *r = &rows[i];
        struct bms_diag_slot *s = &bms->diag.row[i];
        if (!r->enabled || r->qty >= BMS_QTY_COUNT) {
            s->active = false;
            s->cond = false;
            continue;
        }
        int32_t v = bms->qty[r->qty];
        if (!s->active) {
            /* A row released by charge current does not trip while that charge goes on:
             * the charge is what cures it (R-PR-8 without chatter, PRODUCT.md). */
            bool cured = r->release_mode == BMS_REL_CHARGE && bms->current_mA >= r->release;
            if (cured || !row_over(r, v)) { /* the common case, and all bms_held() would do */
                s->cond = false;
                continue;
            }
            if (bms_held(&s->cond, &s->since_ms, true, bms->now_ms, r->trip_ms)) {
                s->active = true;
                s->cond = false;
                s->since_ms = bms->now_ms;
            }
        } else if (row_released(bms, r, s, v)) {
            s->active = false;
            s->cond = false;
        }
        busy = busy || s->active || s->cond;
        if (s->active && r->kind <= BMS_DIAG_FAULT)
            mask[r->kind] |= 1u << r->id;
    }
    bms->diag.rows_busy = busy;
    bms->diag.judged_valid = true;
    mask[BMS_DIAG_ALARM] |= bms->diag.ext_alarm_mask;
    mask[BMS_DIAG_FAULT] |= bms->diag.ext_fault_mask;

    log_changes(bms, BMS_DIAG_PROTECT, bms->diag.protect_mask, mask[BMS_DIAG_PROTECT],
                BMS_PROT_COUNT, BMS_EV_PROTECT, BMS_EV_PROTECT_END);
    log_changes(bms, BMS_DIAG_ALARM, bms->diag.alarm_mask, mask[BMS_DIAG_ALARM],
                BMS_ALARM_COUNT, BMS_EV_ALARM, BMS_EV_ALARM_END);
    log_changes(bms, BMS_DIAG_FAULT, bms->diag.fault_mask, mask[BMS_DIAG_FAULT],
                BMS_FAULT_COUNT, BMS_EV_FAULT, BMS_EV_FAULT_END);
    bms->diag.protect_mask = mask[BMS_DIAG_PROTECT];
    bms->diag.alarm_mask = mask[BMS_DIAG_ALARM];
    bms->diag.fault_mask = mask[BMS_DIAG_FAULT];
}

uint8_t bms_diag_stops(const struct bms *bms)
{
    /* Only the set bits (none, nearly always: it runs several times a tick). */
    uint8_t stops = 0;
    uint32_t mask = bms->diag.protect_mask & ((1u << BMS_PROT_COUNT) - 1u);
    while (mask) {
        stops |= bms->cfg->protect_stops[__builtin_ctz(mask)];
        mask &= mask - 1u;
    }
    return stops;
}
