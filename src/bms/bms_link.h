/* bms_link: the parallel link over the Link Port In/Out UARTs (docs/link-protocol.md):
 * wake-up of every joined pack, automatic coding (IDs 1..N down the chain, wiring
 * checks of R-PA-2), the master's polling and system aggregation (R-PA-3), and the
 * ordered shutdown of R-BT-3. State lives in struct bms_link inside struct bms
 * (gtx/bms/link.h); these hooks are private to src/bms/.
 */
#ifndef GTX_BMS_LINK_H
#define GTX_BMS_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/bms/link.h"

struct bms;

/* How a pack starts: the button (a master candidate), a wake frame from a neighbour
 * (a slave), or an external charger (R-PR-13: alone, the chain is not woken). */
enum bms_link_start { BMS_LINK_START_BUTTON, BMS_LINK_START_WAKE, BMS_LINK_START_CHARGER };
enum bms_link_coding { BMS_LINK_CODING_BUSY, BMS_LINK_CODING_DONE, BMS_LINK_CODING_FAILED };

/* Every tick before the diagnosis: frames in, relaying, wake requests, the coding fault.
 * True when a frame is news for the status (what a CAN 0x305 that clears its alarm is for
 * bms_can_poll): a lost slave's REPLY or a stranger's ANNOUNCE on the master, a POLL on a
 * slave that had lost its master, the coding fault. Routine traffic (polls, replies,
 * relaying) is not. */
bool bms_link_receive(struct bms *bms);
/* Every tick after the state machine: discovery, polls, alarms, the shutdown order. */
void bms_link_service(struct bms *bms);
/* R-PA-3: the master's system view (bms->sys_status), after the status view. */
void bms_link_aggregate(struct bms *bms);
void bms_link_start(struct bms *bms, enum bms_link_start how);
/* docs/spec/PRODUCT.md §13: a running pack at t = 0, already coded as pack_id of pack_count. */
void bms_link_preset(struct bms *bms, uint8_t pack_id, uint8_t pack_count);
enum bms_link_coding bms_link_coding_step(struct bms *bms, uint32_t in_coding_ms);
/* Whether a long press shuts this pack down (a slave follows its master). */
bool bms_link_button_shuts(const struct bms *bms);
/* A button shutdown: true when the master must first shut its slaves down. */
bool bms_link_shutdown_begin(struct bms *bms);
bool bms_link_shutting(const struct bms *bms);
bool bms_link_take_shut(struct bms *bms);
bool bms_link_take_sweep(struct bms *bms);
/* Tasks and wakeups: a frame asked the state machine for something (a wake, RUN, SHUT,
 * the master's own sweep) that it can act on now. */
bool bms_link_pending(const struct bms *bms);
/* The earliest time the link's service has work (a poll, a reply timeout, a peer going
 * offline, the shutdown order, unread bytes); false: none. */
bool bms_link_next_ms(const struct bms *bms, uint32_t *at);

#endif
