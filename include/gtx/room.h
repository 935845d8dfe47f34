/* room.h: the air around the packs: a temperature that follows linear ramps
 * (docs/spec/SCENARIO.md `ambient_c` and the `ambient` event with its optional ramp).
 */
#ifndef GTX_ROOM_H
#define GTX_ROOM_H

struct room {
    double from_c;      /* the value when the current ramp began */
    double to_c;        /* its target */
    double start_s;     /* when it began */
    double ramp_s;      /* its length; 0: a step */
};

void room_init(struct room *r, double temp_c);

/* From now_s, go linearly from the present value to target_c over ramp_s
 * (0 or less: at once). A new ramp interrupts the one under way. */
void room_set(struct room *r, double now_s, double target_c, double ramp_s);

/* The temperature at time now_s (≥ the last room_set's time). */
double room_temp_c(const struct room *r, double now_s);

#endif
