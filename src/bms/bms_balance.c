/* bms_balance: passive balancing (R-BL-1). Start: charging or standby, no
 * protection, max cell >= 3.40 V and spread > 30 mV. While on: bleed every cell
 * more than 10 mV above the minimum, until it is 5 mV above it (decision: hysteresis).
 * Stop: spread <= 10 mV, a protection, or leaving charging/standby.
 */
#include <string.h>

#include "bms_balance.h"

void bms_balance_init(struct bms_balance *bal)
{
    memset(bal, 0, sizeof *bal);
}

const uint16_t *bms_balance_average(struct bms_balance *bal, const struct bms_balance_config *cfg,
                                    const uint16_t cell_mV[BOARD_CELLS], uint32_t now_ms)
{
    /* a period ends at the first reading average_ms after its first one */
    if (bal->samples &&
        ((uint32_t)(now_ms - bal->since_ms) >= cfg->average_ms || bal->samples >= 0xFFFFu)) {
        for (unsigned i = 0; i < BOARD_CELLS; i++) {
            bal->mean_mV[i] = (uint16_t)((bal->sum_mV[i] + bal->samples / 2u) / bal->samples);
            bal->sum_mV[i] = 0;
        }
        bal->samples = 0;
        bal->mean_valid = true;
    }
    if (bal->samples == 0)
        bal->since_ms = now_ms;
    for (unsigned i = 0; i < BOARD_CELLS; i++)
        bal->sum_mV[i] += cell_mV[i]; /* 65535 mV x 65535 readings fits in 32 bits */
    bal->samples++;
    return bal->mean_valid ? bal->mean_mV : cell_mV;
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
    uint16_t mask = 0;
    if (bal->active) {
        for (unsigned i = 0; i < BOARD_CELLS; i++) {
            /* a cell starts bleeding above the 10 mV margin and goes on down to 5 mV */
            bool bleeding = (bal->cell_mask >> i) & 1u;
            uint16_t margin = bleeding ? cfg->bleed_stop_mV : cfg->bleed_above_mV;
            if (cell_mV[i] - min_mV > margin)
                mask |= (uint16_t)(1u << i);
        }
    }
    bal->cell_mask = mask;
    return mask;
}
