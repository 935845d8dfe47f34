/* bms_balance: passive balancing (R-BL-1). Start: charging or standby, no
 * protection, max cell >= 3.40 V and spread > 30 mV. While on: bleed every cell
 * more than 10 mV above the minimum. Stop: spread <= 10 mV, a protection, or
 * leaving charging/standby.
 */
#include "bms_balance.h"

void bms_balance_init(struct bms_balance *bal)
{
    bal->active = false;
    bal->cell_mask = 0;
}

uint16_t bms_balance_update(struct bms_balance *bal, const struct bms_balance_config *cfg,
                            const uint16_t cell_mV[BOARD_CELLS], bool allowed, bool any_protection)
{
    uint16_t min_mV = cell_mV[0], max_mV = cell_mV[0];
    for (unsigned i = 1; i < BOARD_CELLS; i++) {
        if (cell_mV[i] < min_mV)
            min_mV = cell_mV[i];
        if (cell_mV[i] > max_mV)
            max_mV = cell_mV[i];
    }
    uint16_t spread_mV = (uint16_t)(max_mV - min_mV);
    if (!allowed || any_protection || spread_mV <= cfg->stop_spread_mV)
        bal->active = false;
    else if (!bal->active && max_mV >= cfg->start_max_cell_mV && spread_mV > cfg->start_spread_mV)
        bal->active = true;
    bal->cell_mask = 0;
    if (bal->active) {
        for (unsigned i = 0; i < BOARD_CELLS; i++) {
            if (cell_mV[i] - min_mV > cfg->bleed_above_mV)
                bal->cell_mask |= (uint16_t)(1u << i);
        }
    }
    return bal->cell_mask;
}
