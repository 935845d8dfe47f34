/* can_bus: broadcast of frames between the attached nodes (see can_bus.h).
 * A node that is unplugged neither sends nor receives. */
#include "gtx/can_bus.h"

#include <string.h>

void can_bus_init(struct can_bus *bus)
{
    memset(bus, 0, sizeof *bus);
}

int can_bus_attach(struct can_bus *bus)
{
    if (bus->node_count >= CAN_BUS_MAX_NODES)
        return -1;
    int node = bus->node_count++;
    bus->attached[node] = true;
    return node;
}

void can_bus_set_attached(struct can_bus *bus, int node, bool attached)
{
    if (node < 0 || node >= CAN_BUS_MAX_NODES)
        return;
    bus->attached[node] = attached;
    if (!attached)
        bus->rx[node].tail = bus->rx[node].head; /* what was in flight is lost */
}

bool can_bus_add_listener(struct can_bus *bus, can_bus_listener_fn fn, void *ctx)
{
    if (bus->listener_count >= 4)
        return false;
    bus->listener[bus->listener_count] = fn;
    bus->listener_ctx[bus->listener_count] = ctx;
    bus->listener_count++;
    return true;
}

bool can_bus_send(struct can_bus *bus, int from, const struct board_can_frame *f)
{
    if (from >= 0 && (from >= CAN_BUS_MAX_NODES || !bus->attached[from]))
        return false; /* unplugged: the frame goes nowhere */
    if (f->dlc > 8)
        return false;
    for (int i = 0; i < bus->node_count; i++) { /* nodes past node_count were never attached */
        if (i == from || !bus->attached[i])
            continue;
        struct can_bus_queue *q = &bus->rx[i];
        if (q->head - q->tail >= CAN_BUS_QUEUE) {
            q->dropped++;
            continue;
        }
        q->frames[q->head % CAN_BUS_QUEUE] = *f;
        q->head++;
    }
    for (int k = 0; k < bus->listener_count; k++)
        bus->listener[k](bus->listener_ctx[k], from, bus->now_us, f);
    bus->frames++;
    return true;
}

bool can_bus_recv(struct can_bus *bus, int node, struct board_can_frame *out)
{
    if (node < 0 || node >= CAN_BUS_MAX_NODES)
        return false;
    struct can_bus_queue *q = &bus->rx[node];
    if (q->tail == q->head)
        return false;
    *out = q->frames[q->tail % CAN_BUS_QUEUE];
    q->tail++;
    return true;
}
