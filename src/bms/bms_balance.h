/* bms_balance: passive balancing, R-BL-1. A function of the cell voltages, the state,
 * a one-bit memory (started / not started) and the bleed mask, so the hysteresis between
 * the 30 mV start and the 10 mV stop spread, and each cell's 10 mV / 5 mV bleed margins,
 * are explicit; the decisions take 1 s means of the cells (bms_balance_average).
 * Private to src/bms/.
 */
#ifndef GTX_BMS_BALANCE_H
#define GTX_BMS_BALANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/bms/balance.h"
#include "gtx/board.h"

void bms_balance_init(struct bms_balance *bal);

/* Adds one reading of the cells; returns the cell voltages the decisions use: the mean of
 * the last whole average_ms period (the reading itself until the first period ends), so
 * that a cell's noise does not switch its bleed resistor on and off. */
const uint16_t *bms_balance_average(struct bms_balance *bal, const struct bms_balance_config *cfg,
                                    const uint16_t cell_mV[BOARD_CELLS], uint32_t now_ms);

/* One decision. allowed: the state is charging or standby; any_protection: any
 * protection or fault is active. Returns the new bleed mask (also in bal). */
uint16_t bms_balance_update(struct bms_balance *bal, const struct bms_balance_config *cfg,
                            const uint16_t cell_mV[BOARD_CELLS], bool allowed, bool any_protection);

#endif
