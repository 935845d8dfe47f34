/* rig.h: one firmware instance on a fake board with its own clock, stepped in
 * 10 ms ticks, plus readers for the LED word and the CAN frames it sent. */
#ifndef GTX_TEST_RIG_H
#define GTX_TEST_RIG_H

#include "fake_board.h"
#include "gtx/bms.h"

#define TICK_MS 10u

struct rig {
    uint32_t now;            /* the time of the next tick */
    struct fake_board fb;
    struct bms_config cfg;   /* a copy of bms_config_default, tests may edit it */
    struct bms bms;
};

/* A shut-down pack at t0 (bms_init only), nominal sensors: 3.300 V cells, 25 °C, 0 A. */
void rig_init(struct rig *r, uint32_t t0);
/* §13 "a running pack" at r->now with the SOC estimate (no tick run yet). */
void rig_start(struct rig *r, int32_t soc_pptt);
/* rig_init + rig_start + one tick: a running pack in standby. */
void rig_running(struct rig *r, uint32_t t0, int32_t soc_pptt);
void rig_tick(struct rig *r);
/* How late a debounced change may land after its delay (docs/firmware.md, tasks): the
 * 100 ms task samples on its grid, so a change is seen up to 90 ms after it happens
 * (RIG_LATE_MS); in a calm standby the firmware measures once a second and the AFE
 * alerts at once on the current but on a cell, the stack or an NTC only at its next
 * scan (RIG_LATE_QUIET_MS). */
#define RIG_LATE_MS BMS_TASK_MEASURE_MS
#define RIG_LATE_QUIET_MS (BMS_TASK_SECOND_MS + BMS_TASK_MEASURE_MS)
/* Ticks until cond holds, at most max_ms. */
#define rig_tick_until(r, max_ms, cond)                                                     \
    for (uint32_t rig_waited_ = 0; rig_waited_ < (max_ms) && !(cond); rig_waited_ += TICK_MS) \
    rig_tick(r)
void rig_run(struct rig *r, uint32_t ms);      /* ms / 10 ticks */
/* rig_run, then the state the firmware is in. */
enum bms_state rig_run_state(struct rig *r, uint32_t ms);
void rig_press(struct rig *r, uint32_t hold_ms); /* hold, then one release tick */
const struct bms_status *rig_st(const struct rig *r);
/* "a0000111": modes of L8 .. L1 ('0' off '1' on 'a' 'b' 'c' flash 1-3). */
const char *rig_leds(const struct rig *r, char buf[9]);
/* Lit state of LED n (1..8) as driven on the board. */
bool rig_lit(const struct rig *r, int n);
/* The last frame sent with this id since frame index `from`, or NULL. */
const struct board_can_frame *rig_last_frame(const struct rig *r, uint32_t id);
bool rig_protect(const struct rig *r, enum bms_protect_id id);
bool rig_alarm(const struct rig *r, enum bms_alarm_id id);
bool rig_fault(const struct rig *r, enum bms_fault_id id);
/* Whether the event log holds an entry with this name ("protect.charge_ot"). */
bool rig_logged(const struct rig *r, const char *name);

#endif
