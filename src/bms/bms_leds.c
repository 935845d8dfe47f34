/* bms_leds.c: the LED bar of docs/spec/PRODUCT.md §4. One row per state gives each LED a mode;
 * a flashing LED's phase starts (lit) when its mode begins, so a pattern always
 * starts with its on-time. The start and shutdown sweeps of §3 are rows too.
 */
#include "bms_core.h"

#define L7 6 /* ALM, red */
#define L8 7 /* RUN, green */

uint8_t bms_leds_level(const struct bms_config *cfg, uint8_t soc_pct)
{
    uint8_t n = 0;
    for (int i = 0; i < 6; i++)
        if (soc_pct >= cfg->level_min_pct[i])
            n = (uint8_t)(i + 1);
    return n ? n : 1;
}

/* The rows of R-LED-2..5: L8 (RUN) in run_mode, the n lowest level LEDs on, the
 * highest of them in top_mode. */
static void level_row(uint8_t mode[BMS_LEDS], uint8_t run_mode, uint8_t n, uint8_t top_mode)
{
    mode[L8] = run_mode;
    for (int i = 0; i < n; i++)
        mode[i] = i == n - 1 ? top_mode : BMS_LED_ON;
}

/* The modes of one tick: index 0 = L1 .. 7 = L8. */
static void leds_row(const struct bms *bms, uint8_t mode[BMS_LEDS])
{
    const struct bms_config *cfg = bms->cfg;
    uint8_t n = bms_leds_level(cfg, bms_soc_percent(&bms->soc));
    if (n > 6) /* six level LEDs; also tells the optimiser mode[] is never overrun */
        n = 6;
    uint32_t k = (uint32_t)(bms->now_ms - bms->seq_since_ms) / cfg->sweep_step_ms;

    for (int i = 0; i < BMS_LEDS; i++)
        mode[i] = BMS_LED_OFF;

    switch (bms->state) {
    case BMS_STATE_SHUTDOWN: /* R-BT-3 sweep L1 -> L8, each stays lit, then R-LED-1 */
        if (bms->seq_shutdown_sweep)
            for (uint32_t i = 0; i < BMS_LEDS && i <= k; i++)
                mode[i] = BMS_LED_ON;
        break;
    case BMS_STATE_STARTUP: /* R-BT-1 sweep L8 -> L1, each stays lit */
        for (uint32_t i = 0; i < BMS_LEDS && i <= k; i++)
            mode[L8 - i] = BMS_LED_ON;
        break;
    case BMS_STATE_CODING:
        for (int i = 0; i < BMS_LEDS; i++)
            mode[i] = BMS_LED_FLASH2;
        break;
    case BMS_STATE_STANDBY: /* R-LED-2 */
        level_row(mode, BMS_LED_FLASH1, n, BMS_LED_ON);
        break;
    case BMS_STATE_CHARGING: /* R-LED-3 */
        level_row(mode, BMS_LED_ON, n, BMS_LED_FLASH2);
        break;
    case BMS_STATE_FULL: /* R-LED-4 */
        level_row(mode, BMS_LED_ON, 6, BMS_LED_ON);
        break;
    case BMS_STATE_DISCHARGING: /* R-LED-5 */
        level_row(mode, BMS_LED_FLASH3, n, BMS_LED_ON);
        break;
    case BMS_STATE_CHARGE_PROTECT: /* R-LED-6 */
    case BMS_STATE_DISCHARGE_PROTECT:
    case BMS_STATE_FAULT:
        mode[L7] = BMS_LED_ON;
        break;
    case BMS_STATE_UVP: /* R-LED-7 */
    case BMS_STATE_COUNT:
        break;
    }
}

/* Whether an LED in mode is lit since_ms into its pattern, and in how many ms that
 * changes (0: never, while the mode lasts). */
static bool led_lit(const struct bms_config *cfg, uint8_t mode, uint32_t since_ms,
                    uint32_t *edge_in_ms)
{
    *edge_in_ms = 0;
    if (mode == BMS_LED_ON)
        return true;
    if (mode < BMS_LED_FLASH1 || mode > BMS_LED_FLASH3)
        return false;
    uint32_t on = cfg->flash_on_ms[mode - BMS_LED_FLASH1];
    uint32_t period = on + cfg->flash_off_ms[mode - BMS_LED_FLASH1];
    if (period == 0 || on == 0 || on == period)
        return period == 0 || on != 0;
    uint32_t pos = since_ms % period;
    *edge_in_ms = pos < on ? on - pos : period - pos;
    return pos < on;
}

/* The next step of a start or shutdown sweep, in ms (0: none). */
static uint32_t sweep_edge_in_ms(const struct bms *bms)
{
    bool sweeping = bms->state == BMS_STATE_STARTUP ||
                    (bms->state == BMS_STATE_SHUTDOWN && bms->seq_shutdown_sweep);
    uint32_t step = bms->cfg->sweep_step_ms;
    if (!sweeping || step == 0)
        return 0;
    uint32_t in_seq = bms->now_ms - bms->seq_since_ms;
    uint32_t k = in_seq / step;
    return k + 1u < BMS_LEDS ? (k + 1u) * step - in_seq : 0;
}

void bms_leds_update(struct bms *bms)
{
    uint8_t mode[BMS_LEDS];
    uint8_t lit = 0;
    uint32_t next_in = sweep_edge_in_ms(bms);

    leds_row(bms, mode);
    for (int i = 0; i < BMS_LEDS; i++) {
        if (mode[i] != bms->leds.mode[i]) {
            bms->leds.mode[i] = mode[i];
            bms->leds.phase_ms[i] = bms->now_ms;
        }
        uint32_t edge_in;
        if (led_lit(bms->cfg, mode[i], (uint32_t)(bms->now_ms - bms->leds.phase_ms[i]), &edge_in))
            lit |= (uint8_t)(1u << i);
        if (edge_in && (!next_in || edge_in < next_in))
            next_in = edge_in;
    }
    if (lit != bms->leds.lit)
        bms->board->ops->set_leds(bms->board, lit);
    bms->leds.lit = lit;
    bms->leds.dirty = false;
    bms->leds.edge_pending = next_in != 0;
    bms->leds.next_ms = bms->now_ms + next_in;
    /* the status views follow at once (an edge may come between two 100 ms tasks) */
    for (int i = 0; i < BMS_LEDS; i++)
        bms->status.led_mode[i] = bms->sys_status.led_mode[i] = mode[i];
    bms->status.leds_lit = bms->sys_status.leds_lit = lit;
}

bool bms_leds_due(const struct bms *bms)
{
    return bms->leds.dirty ||
           (bms->leds.edge_pending && (int32_t)(bms->now_ms - bms->leds.next_ms) >= 0);
}
