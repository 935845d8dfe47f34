/* sim_rig.h: what a test rig needs of a simulated system beyond sim.h and
 * sim_view.h: a pack's sensors held at given readings instead of its plant's
 * (the link tests set cells, temperatures and currents the protocol must sum),
 * a tap on each pack's CAN transmitter, cabled to the inverter or not (who
 * talks, R-PA-3), and a look at when the plant scans next and why (the schedule's
 * tests).
 * Not for the window, the runner, the bridges or the commands
 * (tests/sim/check_layers.sh): they see only what a real system shows.
 */
#ifndef GTX_SIM_RIG_H
#define GTX_SIM_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/board.h"
#include "gtx/sim.h"

/* From the next tick on, the pack's AFE reads *afe and its shunt current_mA
 * instead of sampling the plant; afe NULL: the plant's readings again. */
void sim_rig_pin_sensors(struct sim *s, int pack, const struct board_afe *afe,
                         int32_t current_mA);

/* fn(ctx, frame) for every frame the pack's firmware sends on its CAN port from
 * now on, whether or not the port is on the inverter's bus; fn NULL: no tap. */
typedef void (*sim_rig_can_fn)(void *ctx, const struct board_can_frame *f);
void sim_rig_can_tap(struct sim *s, int pack, sim_rig_can_fn fn, void *ctx);

/* When the plant next steps and scans the sensors (tickless, docs/simulator.md): a test's
 * look at the plant's schedule. */
uint64_t sim_rig_next_scan_ms(const struct sim *s);

/* Whether what the scan period reads changed since the simulator last worked it out (a
 * firmware's watch or power, the physics' step; docs/simulator.md, "One instant"): the
 * schedule's tests look at each source of it, which the system as a whole hides (the
 * firmware reprograms its watch whenever it takes or lets go its power). */
bool sim_rig_scan_asked_changed(const struct sim *s);

#endif
