/* link_rig.h: up to 5 packs of a simulated system (gtx/sim.h) joined by link cables,
 * their sensors held at the readings the test sets (gtx/sim_rig.h) so the link
 * protocol is tested without the plant's drift, with a tap on every pack's CAN port
 * that logs who sent what, including the 5-pack case of R-PA-2. It steps the sim one
 * 10 ms tick at a time and notes, per pack, when it shut down and swept its LEDs. */
#ifndef GTX_TEST_LINK_RIG_H
#define GTX_TEST_LINK_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/cell.h"
#include "gtx/sim.h"
#include "gtx/sim_view.h"

#define LR_PACKS SIM_MAX_PACKS_HELD
#define LR_TICK_MS SIM_TICK_MS


struct lr_pack_log {
    uint32_t can_frames;     /* frames this pack put on its CAN port */
    struct board_can_frame last_359;
    bool has_359;
    struct board_can_frame last_351; /* the limits told (CAN.md), id 0 before the first */
    uint64_t shutdown_ms;    /* first tick in state shutdown after running; 0: none */
    uint64_t sweep_ms;       /* first tick its shutdown sweep lit L1 */
};

struct link_rig {
    struct sim *sim;
    int n;
    uint64_t now;                           /* the time of the next tick */
    struct board_afe afe[LR_PACKS];         /* what each pack's AFE reads ... */
    int32_t current_mA[LR_PACKS];           /* ... and its shunt (lr_pin) */
    struct lr_pack_log log[LR_PACKS];
    uint64_t release_at[LR_PACKS];          /* 0: button up */
};

/* n shut-down packs reading 3.300 V per cell, 25 °C, 0 A, SOC estimates soc_pptt[i]
 * (cell: the plant's cells behind them, which the pinned sensors hide). */
void lr_init(struct link_rig *r, const struct cell_params *cell, int n,
             const int32_t *soc_pptt);
void lr_free(struct link_rig *r);
void lr_wire(struct link_rig *r, int a, enum sim_port pa, int b, enum sim_port pb);
void lr_unwire_all(struct link_rig *r);
void lr_unwire(struct link_rig *r, int a, enum sim_port pa);
void lr_chain(struct link_rig *r, const int *order, int n); /* order[0].out -> order[1].in ... */
/* The cable on pack's Out port carries no data (broken) or carries it again. */
void lr_break(struct link_rig *r, int pack, bool broken);
/* Pushes r->afe[pack] and r->current_mA[pack] to the pack's sensors. */
void lr_pin(struct link_rig *r, int pack);
void lr_press(struct link_rig *r, int pack, uint32_t hold_ms); /* from the next tick */
void lr_tick(struct link_rig *r);
void lr_run(struct link_rig *r, uint32_t ms);
void lr_run_to(struct link_rig *r, uint64_t t_ms);
const sim_fw_status *lr_st(const struct link_rig *r, int pack);
const char *lr_leds(const struct link_rig *r, int pack, char buf[9]);
int lr_event_count(const struct link_rig *r, int pack); /* the firmware's events so far */
/* The LCD text the pack sent last (decoded from its LCD UART), "" when none. */
#define LR_TEXT_MAX 48
const char *lr_lcd_text(struct link_rig *r, int pack, char out[LR_TEXT_MAX]);
/* Sends a console command and returns the reply (up to cap bytes). */
const char *lr_console(struct link_rig *r, int pack, const char *cmd, char *out, size_t cap);

#endif
