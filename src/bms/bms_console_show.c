/* bms_console_show: the firmware console's renderers (docs/console.md). Each writes
 * one reply row of its command from struct bms, read like a debugger reads RAM; the
 * layout of a row is one bms_console_print format.
 */
#include "bms_console.h"
#include "bms_core.h"

#ifndef BMS_FW_VERSION
#define BMS_FW_VERSION "0.1.0"
#endif

#define NUM BMS_CON_NUM
#define STR BMS_CON_STR

/* Names of enum bms_id masks, "none" for an empty mask. */
static void put_mask_names(struct bms_console_row *r, uint32_t mask, unsigned count,
                           const char *(*name)(unsigned id))
{
    if (mask == 0) {
        bms_console_put(r, "none");
        return;
    }
    const char *sep = "";
    for (unsigned id = 0; id < count; id++) {
        if (mask & (1u << id)) {
            bms_console_print(r, "%s%s", NULL, STR(sep, name(id)));
            sep = " ";
        }
    }
}

static const char *protect_name(unsigned id)
{
    return bms_protect_name((enum bms_protect_id)id);
}

static const char *alarm_name(unsigned id)
{
    return bms_alarm_name((enum bms_alarm_id)id);
}

static const char *fault_name(unsigned id)
{
    return bms_fault_name((enum bms_fault_id)id);
}

static const char *on_off(bool on)
{
    return on ? "on" : "off";
}

static const char *yes_no(bool yes)
{
    return yes ? "yes" : "no";
}

static const char *closed_open(bool closed)
{
    return closed ? "closed" : "open";
}

/* Every row starts with a label padded to this column. */
#define L(label) label "%14t"

bool bms_console_status_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                            struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    const struct bms_status *st = &bms->status;
    (void)req;
    switch (row) {
    case 0:
        bms_console_print(r, L("state") "%s%34tpack %u of %u%s",
                          NUM(st->pack_id, st->pack_count),
                          STR(bms_state_name(st->state), st->is_master ? " (master)"
                                                                       : " (slave)"));
        return true;
    case 1:
        bms_console_print(r, L("soc") "%u %%, estimate %.2d %%",
                          NUM(st->soc_shown_pct, st->soc_pptt), NULL);
        return true;
    case 2:
        bms_console_print(r, L("health") "soh %u %%, capacity %.3d Ah, %.2d cycles",
                          NUM(st->soh_pct, (int32_t)st->capacity_mAh,
                              (int32_t)bms_soc_cycles_x100(&bms->soc)), NULL);
        return true;
    case 3:
        bms_console_print(r, L("voltage") "battery %.3d V, terminals %.3d V",
                          NUM((int32_t)st->battery_mV, (int32_t)st->pack_mV), NULL);
        return true;
    case 4:
        bms_console_print(r, L("current") "%.3d A, power %d W",
                          NUM(st->current_mA, (int32_t)(st->battery_mV / 10u) *
                                                  (st->current_mA / 10) / 10000), NULL);
        return true;
    case 5:
        bms_console_print(r, L("cells") "min %.3d V #%u, max %.3d V #%u, spread %d mV",
                          NUM(st->cell_min_mV, st->cell_min_no, st->cell_max_mV,
                              st->cell_max_no, (int32_t)st->cell_max_mV - st->cell_min_mV),
                          NULL);
        return true;
    case 6:
        bms_console_print(r, L("temperature") "min %.1d C, max %.1d C, mosfet %.1d C, "
                          "air %.1d C", NUM(st->temp_min_ddegC, st->temp_max_ddegC,
                                            st->temp_fet_ddegC, st->temp_air_ddegC), NULL);
        return true;
    case 7:
        bms_console_print(r, L("limits") "CVL %.1d V, CCL %.1d A, DCL %.1d A",
                          NUM(st->cvl_dV, st->ccl_dA, st->dcl_dA), NULL);
        return true;
    case 8:
        bms_console_print(r, L("protections"), NULL, NULL);
        put_mask_names(r, st->protect_mask, BMS_PROT_COUNT, protect_name);
        return true;
    case 9:
        bms_console_print(r, L("alarms"), NULL, NULL);
        put_mask_names(r, st->alarm_mask, BMS_ALARM_COUNT, alarm_name);
        return true;
    case 10:
        bms_console_print(r, L("faults"), NULL, NULL);
        put_mask_names(r, st->fault_mask, BMS_FAULT_COUNT, fault_name);
        if (st->fault_mask & (1u << BMS_FAULT_CODING)) /* R-PA-2 */
            bms_console_put(r, " (link coding failed)");
        return true;
    case 11:
        bms_console_print(r, L("mosfets") "charge %s, discharge %s; dry contacts: "
                          "no-charge %s, no-discharge %s", NULL,
                          STR(on_off(st->fet_charge_on), on_off(st->fet_discharge_on),
                              closed_open(st->prohibit_charge),
                              closed_open(st->prohibit_discharge)));
        return true;
    case 12:
        bms_console_print(r, L("balancing") "%s", NULL,
                          STR(st->balance_mask ? "cells" : "none"));
        for (unsigned i = 0; i < BOARD_CELLS; i++)
            if (st->balance_mask & (1u << i))
                bms_console_print(r, " %u", NUM((int32_t)i + 1), NULL);
        return true;
    default:
        return false;
    }
}

static const char ntc_place[BOARD_NTCS][8] = {"cell 2", "cell 6", "cell 11", "cell 15",
                                              "mosfet", "air"};

bool bms_console_cells_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                           struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    const struct bms_status *st = &bms->status;
    (void)req;
    if (row == 0) {
        bms_console_put(r, "cell   voltage    to min  bleed");
        return true;
    }
    if (row <= BOARD_CELLS) {
        unsigned i = row - 1u;
        int32_t mV = bms->afe.cell_mV[i];
        bms_console_print(r, "%4u%10.3d V%6d mV  %s%s%s",
                          NUM((int32_t)row, mV, mV - st->cell_min_mV),
                          STR((st->balance_mask & (1u << i)) ? "yes" : "-",
                              row == st->cell_min_no ? "   min" : "",
                              row == st->cell_max_no ? "   max" : ""));
        return true;
    }
    if (row == BOARD_CELLS + 1u) {
        bms_console_put(r, "ntc    where        temp");
        return true;
    }
    if (row <= BOARD_CELLS + 1u + BOARD_NTCS) {
        unsigned i = row - BOARD_CELLS - 2u;
        bms_console_print(r, "%4u%7t%s%15t%8.1d C", NUM((int32_t)i + 1, bms->afe.temp_ddegC[i]),
                          STR(ntc_place[i]));
        return true;
    }
    return false;
}

bool bms_console_limits_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                            struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    const struct bms_status *st = &bms->status;
    const struct bms_limits *lim = &bms->lim;
    (void)req;
    switch (row) {
    case 0:
        bms_console_print(r, L("CVL") "%6.1d V   charge voltage limit", NUM(st->cvl_dV), NULL);
        return true;
    case 1:
        bms_console_print(r, L("DVL") "%6.1d V   discharge cut-off", NUM(st->dvl_dV), NULL);
        return true;
    case 2:
    case 3: {
        bool c = row == 2;
        bms_console_print(r, "%s%14t%6.1d A   now %7.3d A, target %7.3d A, by %s",
                          NUM(c ? st->ccl_dA : st->dcl_dA, c ? lim->ccl_mA : lim->dcl_mA,
                              c ? lim->ccl_target_mA : lim->dcl_target_mA),
                          STR(c ? "CCL" : "DCL", bms_limit_reason_name((enum bms_limit_reason)(
                                                     c ? st->ccl_reason : st->dcl_reason))));
        return true;
    }
    case 4:
        bms_console_print(r, L("enable") "charge %s, discharge %s", NULL,
                          STR(yes_no(st->charge_enable), yes_no(st->discharge_enable)));
        return true;
    case 5:
        bms_console_print(r, L("requests") "force charge %s, full charge %s", NULL,
                          STR(yes_no(st->force_charge), yes_no(st->full_charge_request)));
        return true;
    default:
        return false;
    }
}

/* "  12d 04:13:22.120": days since boot, then the time of day of the uptime clock. */
static void put_uptime(struct bms_console_row *r, uint16_t day, uint32_t ms)
{
    uint32_t s = ms / 1000u;
    bms_console_print(r, "%4ud %02u:%02u:%02u.%03u",
                      NUM(day, (int32_t)(s / 3600u), (int32_t)(s / 60u % 60u),
                          (int32_t)(s % 60u), (int32_t)(ms % 1000u)), NULL);
}

bool bms_console_log_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                         struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    uint32_t want = req->argc > 0 ? req->arg[0] : 10u;
    uint32_t count = bms_evlog_count(&bms->evlog);
    uint32_t n = want < count ? want : count;
    if (row == 0) {
        bms_console_print(r, count == 0 ? "(event log empty)"
                                        : "     seq boot     uptime          event%66tvalue",
                          NULL, NULL);
        return true;
    }
    if (row > n)
        return false;
    struct bms_evlog_entry e;
    if (!bms_evlog_read(&bms->evlog, n - row, &e)) { /* oldest of the n first */
        bms_console_put(r, "(record unreadable)");
        return true;
    }
    char name[BMS_EVLOG_NAME_MAX];
    bms_evlog_format_name(name, sizeof name, e.kind, e.id);
    bms_console_print(r, "%8u%5u ", NUM((int32_t)e.seq, e.boot), NULL);
    put_uptime(r, e.day, e.uptime_ms);
    bms_console_print(r, "  %s%60t%11d", NUM(e.value), STR(name));
    return true;
}

/* A threshold in the unit of its quantity. */
static const char *qty_format(uint8_t qty)
{
    switch (qty) {
    case BMS_QTY_TEMP_MAX:
    case BMS_QTY_TEMP_MIN:
    case BMS_QTY_TEMP_FET:
    case BMS_QTY_NTC_MAX:
    case BMS_QTY_NTC_MIN:
        return "%.1d C";
    case BMS_QTY_CHG_CURRENT:
    case BMS_QTY_DSG_CURRENT:
    case BMS_QTY_FET_LEAK:
        return "%.3d A";
    case BMS_QTY_BATTERY:
    case BMS_QTY_CELL_MAX:
    case BMS_QTY_CELL_MIN:
        return "%.3d V";
    default:
        return "%d";
    }
}

#define SECONDS(ms) ((int32_t)((ms) / 100u)) /* for "%.1d s" */

static const char qty_names[BMS_QTY_COUNT][12] = {
#define X(id, name, per_si) name,
    BMS_QTY_LIST(X)
#undef X
};

static void diag_row(struct bms_console_row *r, const struct bms_diag_row *d)
{
    bool prot = d->kind == BMS_DIAG_PROTECT, alarm = d->kind == BMS_DIAG_ALARM;
    bms_console_print(r, "%s %s%30t", NULL,
                      STR(prot ? "protect" : alarm ? "alarm" : "fault",
                          prot ? protect_name(d->id) : alarm ? alarm_name(d->id)
                                                             : fault_name(d->id)));
    if (!d->enabled) {
        bms_console_put(r, "disabled");
        return;
    }
    bms_console_print(r, "%s%s", NULL,
                      STR(d->qty < BMS_QTY_COUNT ? qty_names[d->qty] : "?",
                          d->high ? (d->inclusive ? " >= " : " > ")
                                  : (d->inclusive ? " <= " : " < ")));
    bms_console_print(r, qty_format(d->qty), NUM(d->trip), NULL);
    bms_console_print(r, " for %.1d s%70t", NUM(SECONDS(d->trip_ms)), NULL);
    switch (d->release_mode) {
    case BMS_REL_HYST:
        bms_console_put(r, d->high ? "<= " : ">= ");
        bms_console_print(r, qty_format(d->qty), NUM(d->release), NULL);
        bms_console_print(r, " for %.1d s", NUM(SECONDS(d->release_ms)), NULL);
        break;
    case BMS_REL_TIMED:
        bms_console_print(r, "%.1d s after the trip", NUM(SECONDS(d->release_ms)), NULL);
        break;
    case BMS_REL_CHARGE:
        bms_console_print(r, "charge >= %.3d A or battery >= %.3d V",
                          NUM(d->release, d->release2), NULL);
        break;
    default:
        bms_console_put(r, "restart");
        break;
    }
}

bool bms_console_config_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                            struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    const struct bms_config *cfg = bms->cfg;
    (void)req;
    if (row == 0) {
        bms_console_print(r, "diagnosis row%30ttrips when%70treleases when", NULL, NULL);
        return true;
    }
    if (row <= BMS_DIAG_ROW_COUNT) {
        diag_row(r, &cfg->diag[row - 1u]);
        return true;
    }
    switch (row - BMS_DIAG_ROW_COUNT - 1u) {
    case 0:
        bms_console_print(r, L("standby") "|I| < %.3d A; button hold %.1d s",
                          NUM(cfg->standby_current_mA, SECONDS(cfg->button_hold_ms)), NULL);
        return true;
    case 1:
        bms_console_print(r, L("voltage") "CVL %.3d V, DVL %.3d V, slew %.3d A/s",
                          NUM((int32_t)cfg->cvl_mV, (int32_t)cfg->dvl_mV, cfg->slew_mA_per_s),
                          NULL);
        return true;
    case 2:
        bms_console_print(r, L("full") "battery >= %.3d V, %.3d A <= I < %.3d A for %.1d s",
                          NUM((int32_t)cfg->full_battery_mV, cfg->full_current_min_mA,
                              cfg->full_current_max_mA, SECONDS(cfg->full_hold_ms)), NULL);
        return true;
    case 3:
        bms_console_print(r, L("soc") "rated %.3d Ah, OCV after %.1d s below %.2d %% or "
                          "above %.2d %%", NUM((int32_t)cfg->soc.rated_capacity_mAh,
                                               SECONDS(cfg->soc.rest_time_ms),
                                               cfg->soc.ocv_low_pptt, cfg->soc.ocv_high_pptt),
                          NULL);
        return true;
    case 4:
        bms_console_print(r, L("balancing") "max cell >= %.3d V, start > %u mV, bleed > min + "
                          "%u mV, stop <= %u mV",
                          NUM(cfg->balance.start_max_cell_mV, cfg->balance.start_spread_mV,
                              cfg->balance.bleed_above_mV, cfg->balance.stop_spread_mV), NULL);
        return true;
    case 5:
        bms_console_print(r, L("force charge") "on below %u %%, off at %u %%",
                          NUM(cfg->force_on_below_pct, cfg->force_off_at_pct), NULL);
        return true;
    default:
        return false;
    }
}

bool bms_console_version_row(const void *ctx, const struct bms_console_req *req, uint32_t row,
                             struct bms_console_row *r)
{
    const struct bms *bms = ctx;
    (void)req;
    switch (row) {
    case 0:
        bms_console_print(r, L("firmware") "GTX2500 BMS %s", NULL, STR(BMS_FW_VERSION));
        return true;
    case 1:
        bms_console_print(r, L("battery") "%uS LFP, %.3d Ah rated",
                          NUM(BOARD_CELLS, (int32_t)bms->cfg->soc.rated_capacity_mAh), NULL);
        return true;
    case 2:
        bms_console_print(r, L("event log") "%u of %u records, boot %u",
                          NUM((int32_t)bms_evlog_count(&bms->evlog), (int32_t)bms->evlog.slots,
                              bms->evlog.boot), NULL);
        return true;
    case 3:
        bms_console_print(r, L("uptime"), NULL, NULL);
        put_uptime(r, bms->evlog.day, bms->evlog.day_ms);
        return true;
    default:
        return false;
    }
}
