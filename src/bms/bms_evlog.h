/* bms_evlog: writing the event log, a ring of fixed-size committed records in NVM
 * that survives a power cut at any byte. Each record carries a sequence number, the
 * boot number and uptime, an event kind, an id and a value. The records and the read
 * side are public (gtx/bms/evlog.h); these writers are private to src/bms/.
 */
#ifndef GTX_BMS_EVLOG_H
#define GTX_BMS_EVLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/bms/evlog.h"
#include "gtx/board.h"

/* Scans the NVM area [base, base + size) and continues the ring found there.
 * size must hold at least 2 records. Appends nothing. */
void bms_evlog_init(struct bms_evlog *log, struct board *board, uint32_t base, uint32_t size);

/* Advances the uptime clock; call at least once per 49 days (bms_tick does). */
void bms_evlog_tick(struct bms_evlog *log, uint32_t now_ms);

/* Appends one record (overwriting the oldest when full); false on NVM error. */
bool bms_evlog_append(struct bms_evlog *log, uint32_t now_ms, enum bms_ev_kind kind, uint8_t id,
                      int32_t value);

#endif
