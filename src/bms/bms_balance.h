/* bms_balance: passive balancing, R-BL-1. A pure function of the cell voltages,
 * the state and a one-bit memory (started / not started), so the hysteresis
 * between the start and the stop spread is explicit. Private to src/bms/.
 */
#ifndef GTX_BMS_BALANCE_H
#define GTX_BMS_BALANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/bms/balance.h"
#include "gtx/board.h"

void bms_balance_init(struct bms_balance *bal);

/* One decision. allowed: the state is charging or standby; any_protection: any
 * protection or fault is active. Returns the new bleed mask (also in bal). */
uint16_t bms_balance_update(struct bms_balance *bal, const struct bms_balance_config *cfg,
                            const uint16_t cell_mV[BOARD_CELLS], bool allowed, bool any_protection);

#endif
