/* bms_balance: passive balancing, R-BL-1. A pure function of the cell voltages,
 * the state and a one-bit memory (started / not started), so the hysteresis
 * between the 30 mV start and the 10 mV stop spread is explicit.
 */
#ifndef GTX_BMS_BALANCE_H
#define GTX_BMS_BALANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/board.h"

struct bms_balance_config {
    uint16_t start_max_cell_mV; /* start only with max cell >= this: 3400 */
    uint16_t start_spread_mV;   /* ... and max - min > this: 30 */
    uint16_t bleed_above_mV;    /* bleed cells more than this above the minimum: 10 */
    uint16_t stop_spread_mV;    /* stop at max - min <= this: 10 */
};

#define BMS_BALANCE_CONFIG_DEFAULT                                                          \
    {                                                                                       \
        .start_max_cell_mV = 3400, .start_spread_mV = 30, .bleed_above_mV = 10,            \
        .stop_spread_mV = 10,                                                               \
    }

struct bms_balance {
    bool active;        /* started and not yet stopped */
    uint16_t cell_mask; /* bit 0 = cell 1: what board->set_balancing should get */
};

void bms_balance_init(struct bms_balance *bal);

/* One decision. allowed: the state is charging or standby; any_protection: any
 * protection or fault is active. Returns the new bleed mask (also in bal). */
uint16_t bms_balance_update(struct bms_balance *bal, const struct bms_balance_config *cfg,
                            const uint16_t cell_mV[BOARD_CELLS], bool allowed, bool any_protection);

#endif
