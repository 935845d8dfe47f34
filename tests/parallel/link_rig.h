/* link_rig.h: up to 5 firmware instances on simulated boards (sim_io) joined by link
 * cables, stepped in 10 ms ticks, with one CAN bus that logs who sent what. Lets the
 * link protocol be tested without the plant, including the 5-pack case of R-PA-2. */
#ifndef GTX_TEST_LINK_RIG_H
#define GTX_TEST_LINK_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/bms.h"
#include "gtx/can_bus.h"
#include "gtx/sim_io.h"

#define LR_PACKS 5
#define LR_CABLES 8
#define LR_TICK_MS 10u

enum lr_port { LR_IN, LR_OUT };

struct lr_cable {
    int a, b;                /* 0-based packs */
    enum lr_port pa, pb;
    bool broken;             /* carries no data */
};

struct lr_pack_log {
    uint32_t can_frames;     /* frames this pack put on the CAN bus */
    struct board_can_frame last_359;
    bool has_359;
    uint32_t shutdown_ms;    /* first tick in state shutdown after running; 0: none */
    uint32_t sweep_ms;       /* first tick its shutdown sweep lit L1 */
};

struct link_rig {
    int n;
    uint32_t now;
    struct bms_config cfg;
    struct sim_io io[LR_PACKS];
    struct bms fw[LR_PACKS];
    struct can_bus can;
    int node[LR_PACKS];
    int n_cables;
    struct lr_cable cable[LR_CABLES];
    struct lr_pack_log log[LR_PACKS];
    uint32_t release_at[LR_PACKS]; /* 0: button up */
};

/* n shut-down packs at 3.300 V per cell, 25 °C, 0 A, SOC estimate soc_pptt. */
void lr_init(struct link_rig *r, int n, int32_t soc_pptt);
void lr_wire(struct link_rig *r, int a, enum lr_port pa, int b, enum lr_port pb);
void lr_unwire(struct link_rig *r, int a, enum lr_port pa);
void lr_chain(struct link_rig *r, const int *order, int n); /* order[0].out -> order[1].in ... */
void lr_press(struct link_rig *r, int pack, uint32_t hold_ms); /* from the next tick */
void lr_tick(struct link_rig *r);
void lr_run(struct link_rig *r, uint32_t ms);
void lr_run_to(struct link_rig *r, uint32_t t_ms);
const struct bms_status *lr_st(const struct link_rig *r, int pack);
const char *lr_leds(const struct link_rig *r, int pack, char buf[9]);
/* The LCD text the pack sent last (decoded from its LCD UART), "" when none. */
#define LR_TEXT_MAX 48
const char *lr_lcd_text(struct link_rig *r, int pack, char out[LR_TEXT_MAX]);
/* Sends a console command and returns the reply (up to cap bytes). */
const char *lr_console(struct link_rig *r, int pack, const char *cmd, char *out, size_t cap);

#endif
