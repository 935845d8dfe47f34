/* can_bus: the simulated inverter CAN bus. Every frame one node sends is
 * delivered to every other attached node's receive queue and to the listeners
 * (candump log, bridges), stamped with the simulated time. */
#ifndef GTX_CAN_BUS_H
#define GTX_CAN_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/board.h"

#define CAN_BUS_MAX_NODES 8
#define CAN_BUS_QUEUE 64 /* frames per node receive queue (a power of two) */

struct can_bus_queue {
    struct board_can_frame frames[CAN_BUS_QUEUE];
    uint32_t head, tail;
    uint32_t dropped;
};

/* Called for every frame on the bus; from is the sending node id. */
typedef void (*can_bus_listener_fn)(void *ctx, int from, uint64_t t_us,
                                    const struct board_can_frame *f);

struct can_bus {
    int node_count;
    bool attached[CAN_BUS_MAX_NODES];
    struct can_bus_queue rx[CAN_BUS_MAX_NODES];
    can_bus_listener_fn listener[4];
    void *listener_ctx[4];
    int listener_count;
    uint64_t now_us;    /* the simulated time frames are stamped with */
    uint64_t frames;    /* frames carried so far */
};

void can_bus_init(struct can_bus *bus);
int can_bus_attach(struct can_bus *bus);                /* a new node id, or -1 */
void can_bus_set_attached(struct can_bus *bus, int node, bool attached); /* plug/unplug */
bool can_bus_add_listener(struct can_bus *bus, can_bus_listener_fn fn, void *ctx);
bool can_bus_send(struct can_bus *bus, int from, const struct board_can_frame *f);
bool can_bus_recv(struct can_bus *bus, int node, struct board_can_frame *out);

#endif
