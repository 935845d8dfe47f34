/* sim_view_table: the firmware configuration table of a running system as an
 * observer reads it (include/gtx/sim_view.h): one owner per fact, so that the
 * campaign's checker holds the firmware to the very trips and delays it runs,
 * without naming the table's rows or units.
 */
#include "sim_internal.h"

#include <string.h>

/* How many of a quantity's table units make one SI unit (0.1 °C, mV, mA). */
static const double per_si_unit[BMS_QTY_COUNT] = {
#define X(id, name, per_si) [BMS_QTY_##id] = per_si,
    BMS_QTY_LIST(X)
#undef X
};

static bool trip_of(const struct sim *s, uint8_t kind, int id, struct sim_trip *out)
{
    memset(out, 0, sizeof *out);
    const struct bms_config *t = s->bms_cfg;
    for (int r = 0; r < BMS_DIAG_ROW_COUNT; r++) {
        const struct bms_diag_row *row = &t->diag[r];
        if (row->kind != kind || row->id != id)
            continue;
        out->trip = row->qty < BMS_QTY_COUNT ? row->trip / per_si_unit[row->qty] : row->trip;
        out->delay_ms = row->trip_ms;
        unsigned stops = kind == BMS_DIAG_PROTECT ? t->protect_stops[id]
                                                  : BMS_STOP_CHARGE | BMS_STOP_DISCHARGE;
        out->stops_charge = stops & BMS_STOP_CHARGE;
        out->stops_discharge = stops & BMS_STOP_DISCHARGE;
        return true;
    }
    return false;
}

bool sim_view_protect_trip(const struct sim *s, int protect_id, struct sim_trip *out)
{
    return protect_id >= 0 && protect_id < BMS_PROT_COUNT &&
           trip_of(s, BMS_DIAG_PROTECT, protect_id, out);
}

bool sim_view_fault_trip(const struct sim *s, int fault_id, struct sim_trip *out)
{
    return trip_of(s, BMS_DIAG_FAULT, fault_id, out);
}

uint32_t sim_view_fet_settle_ms(const struct sim *s)
{
    return s->bms_cfg->fet_off_settle_ms;
}

uint32_t sim_view_link_lost_ms(const struct sim *s)
{
    return s->bms_cfg->link.lost_ms;
}
