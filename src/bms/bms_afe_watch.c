/* bms_afe_watch.c: board_afe_watch_alerts (include/gtx/board.h), what an AFE programmed with
 * a watch reports as an alert. It is the HAL contract's own helper, not the firmware's:
 * it lives with the firmware sources so that every board (the simulator, the tests' fake
 * board) links the same definition, and it builds for the target like the rest.
 */
#include "gtx/board.h"

bool board_afe_watch_current_alerts(const struct board_afe_watch *w, int32_t current_mA)
{
    if (w->scan_period_ms == 0)
        return false; /* the AFE is off */
    if (w->current_wake_mA <= 0)
        return true;
    int32_t mag = current_mA < 0 ? -current_mA : current_mA;
    return mag >= w->current_wake_mA;
}

bool board_afe_watch_alerts(const struct board_afe_watch *w, const struct board_afe *s,
                            int32_t current_mA)
{
    if (w->scan_period_ms == 0)
        return false;
    if (board_afe_watch_current_alerts(w, current_mA))
        return true; /* active: every sample alerts */
    if (s->battery_mV < w->battery_min_mV || s->battery_mV > w->battery_max_mV)
        return true;
    for (int i = 0; i < BOARD_CELLS; i++)
        if (s->cell_mV[i] < w->cell_min_mV || s->cell_mV[i] > w->cell_max_mV)
            return true;
    for (int i = 0; i < BOARD_NTCS; i++)
        if (s->temp_ddegC[i] < w->temp_min_ddegC || s->temp_ddegC[i] > w->temp_max_ddegC)
            return true;
    return false;
}
