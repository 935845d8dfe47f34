/* bms_core.h: the firmware core's internal interface between bms.c (state machine)
 * and its parts: the diagnosis engine, the limits, the LEDs and the inverter CAN
 * profile. Not for use outside src/bms/.
 */
#ifndef GTX_BMS_CORE_H
#define GTX_BMS_CORE_H

#include "bms_balance.h"
#include "bms_console.h"
#include "bms_evlog.h"
#include "bms_lcd.h"
#include "bms_link.h"
#include "bms_soc.h"
#include "gtx/bms.h"

/* The state groups the parts ask about. */
static inline bool bms_state_running(enum bms_state s) /* standby .. fault: in service */
{
    return s >= BMS_STATE_STANDBY && s < BMS_STATE_COUNT;
}

/* Debounce: cond held continuously for hold_ms, measured from its first tick; *holding
 * and *since_ms are the caller's memory (the state machine's full timers, the diagnosis
 * rows). Inline: the diagnosis calls it for every row every tick. */
static inline bool bms_held(bool *holding, uint32_t *since_ms, bool cond, uint32_t now_ms,
                            uint32_t hold_ms)
{
    if (!cond) {
        *holding = false;
        return false;
    }
    if (!*holding) {
        *holding = true;
        *since_ms = now_ms;
    }
    return (uint32_t)(now_ms - *since_ms) >= hold_ms;
}

/* Wakeups: *best becomes at when at comes earlier (a time already past counts as now);
 * *any says whether *best holds a time yet. */
static inline void bms_earliest(uint32_t now, uint32_t at, bool *any, uint32_t *best)
{
    uint32_t d = at - now;
    if ((int32_t)d < 0)
        d = 0;
    if (!*any || d < *best - now) {
        *best = now + d;
        *any = true;
    }
}

/* bms.c: one event log record (no-op when the log has no NVM). */
void bms_log(struct bms *bms, enum bms_ev_kind kind, uint8_t id, int32_t value);

/* bms_diag.c: protections, alarms and faults from the table rows. */
void bms_diag_reset(struct bms *bms);
void bms_diag_update(struct bms *bms);
uint8_t bms_diag_stops(const struct bms *bms); /* BMS_STOP_* of the active protections */

/* bms_limits.c: CCL/DCL targets, slew, force charge, full-charge request. */
void bms_limits_update(struct bms *bms, uint32_t dt_ms, bool snap);
/* The slew step alone, towards targets bms_limits_update set in this tick. */
void bms_limits_slew(struct bms *bms, uint32_t dt_ms, bool snap);
void bms_limits_second(struct bms *bms); /* once per second of running */
int32_t bms_band_lookup(const struct bms_band *bands, int n, int32_t value, int32_t none);

/* bms_leds.c: the LED rows of §4 and the flash phases. */
void bms_leds_update(struct bms *bms);
bool bms_leds_due(const struct bms *bms); /* dirty, or a flash or sweep edge is due */
uint8_t bms_leds_level(const struct bms_config *cfg, uint8_t soc_pct);

/* bms_can.c: the inverter profile (docs/spec/CAN.md). */
#define BMS_CAN_FRAMES 6
void bms_can_build(const struct bms_status *st, const struct bms_config *cfg,
                   struct board_can_frame out[BMS_CAN_FRAMES]);
/* 10 ms: drain the receive queue (0x305); true when a heartbeat cleared the inverter
 * link alarm (news for the 100 ms task; a routine heartbeat is none). */
bool bms_can_poll(struct bms *bms);
void bms_can_watch(struct bms *bms);   /* 100 ms: the inverter_link alarm */
/* The next frames, if on (asked after every tick: inline). */
static inline bool bms_can_next_ms(const struct bms *bms, uint32_t *at)
{
    *at = bms->can.last_tx_ms + bms->cfg->can_period_ms;
    return bms->status.can_on;
}
void bms_can_service(struct bms *bms); /* send when due, inverter_link alarm */

#endif
