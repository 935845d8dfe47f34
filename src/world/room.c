/* room.c: the room temperature as a function of time: piecewise linear, so the
 * simulator can ask it at any step size and get the same value.
 */
#include "gtx/room.h"

void room_init(struct room *r, double temp_c)
{
    *r = (struct room){.from_c = temp_c, .to_c = temp_c, .start_s = 0.0, .ramp_s = 0.0};
}

void room_set(struct room *r, double now_s, double target_c, double ramp_s)
{
    double present = room_temp_c(r, now_s);
    r->from_c = present;
    r->to_c = target_c;
    r->start_s = now_s;
    r->ramp_s = ramp_s > 0.0 ? ramp_s : 0.0;
}

double room_temp_c(const struct room *r, double now_s)
{
    double elapsed = now_s - r->start_s;
    if (r->ramp_s <= 0.0 || elapsed >= r->ramp_s)
        return r->to_c;
    if (elapsed <= 0.0)
        return r->from_c;
    return r->from_c + (r->to_c - r->from_c) * (elapsed / r->ramp_s);
}
