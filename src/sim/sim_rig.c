/* sim_rig: the test rigs' hooks into a simulated system (include/gtx/sim_rig.h). */
#include "gtx/sim_rig.h"

#include "sim_internal.h"

void sim_rig_pin_sensors(struct sim *s, int pack, const struct board_afe *afe,
                         int32_t current_mA)
{
    if (pack < 0 || pack >= s->n)
        return;
    struct sim_pack *sp = &s->pack[pack];
    sp->sensors_pinned = afe != NULL;
    if (afe) {
        sp->io.afe = *afe;
        sp->io.current_mA = current_mA;
    }
    s->resync = true; /* unpinned: the plant is sampled at the next tick */
}

void sim_rig_can_tap(struct sim *s, int pack, sim_rig_can_fn fn, void *ctx)
{
    if (pack < 0 || pack >= s->n)
        return;
    s->pack[pack].io.can_tap = fn;
    s->pack[pack].io.can_tap_ctx = ctx;
}

uint64_t sim_rig_next_scan_ms(const struct sim *s)
{
    return s->next_scan_ms;
}

bool sim_rig_scan_asked_changed(const struct sim *s)
{
    return s->scan_asked_changed;
}
