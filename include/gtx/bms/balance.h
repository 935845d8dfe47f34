/* gtx/bms/balance.h: the balancer's instance and configuration structs, as struct bms
 * and struct bms_config embed them (R-BL-1). The balancing decision itself is private
 * to the firmware (src/bms/bms_balance.h).
 */
#ifndef GTX_BMS_PUB_BALANCE_H
#define GTX_BMS_PUB_BALANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/board.h"

struct bms_balance_config {
    uint16_t start_max_cell_mV; /* start only with max cell >= this */
    uint16_t start_spread_mV;   /* ... and max - min > this */
    uint16_t bleed_above_mV;    /* bleed cells more than this above the minimum */
    uint16_t stop_spread_mV;    /* stop at max - min <= this */
    uint16_t bleed_stop_mV;     /* a bleeding cell stops at <= this above the minimum */
    uint16_t average_ms;        /* decisions on the mean cell voltages of this period */
};

struct bms_balance {
    bool active;        /* started and not yet stopped */
    uint16_t cell_mask; /* bit 0 = cell 1: what board->set_balancing should get */
    /* The running mean of the cell voltages (bms_balance_average). */
    uint32_t sum_mV[BOARD_CELLS];
    uint32_t samples;
    uint32_t since_ms;
    uint16_t mean_mV[BOARD_CELLS];
    bool mean_valid;
};

#endif
