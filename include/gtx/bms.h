/* bms.h: the BMS firmware's one instance struct and its API. The simulator creates
 * one struct bms per pack, calls bms_tick every 10 ms, and reads bms_status() the
 * way a debugger reads RAM. Nothing in here is static: several packs share a process.
 * The structs it embeds are the public headers in gtx/bms/; the firmware's own
 * functions and helpers stay private in src/bms/.
 */
#ifndef GTX_BMS_H
#define GTX_BMS_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/bms/balance.h"
#include "gtx/bms/console.h"
#include "gtx/bms/evlog.h"
#include "gtx/bms/lcd.h"
#include "gtx/bms/link.h"
#include "gtx/bms/soc.h"
#include "gtx/bms/status.h"
#include "gtx/bms_config.h"
#include "gtx/bms_ids.h"
#include "gtx/board.h"

/* Diagnosis engine state per row. */
struct bms_diag_slot {
    bool active;
    bool cond;                      /* the trip (or release) condition held last tick */
    uint32_t since_ms;              /* when cond began, or when the row tripped (timed) */
};

struct bms_diag {
    struct bms_diag_slot row[BMS_DIAG_ROW_COUNT];
    uint32_t protect_mask, alarm_mask, fault_mask;
    uint32_t ext_alarm_mask;        /* alarms raised outside the rows (inverter_link ...) */
    uint32_t ext_fault_mask;        /* faults raised outside the rows (coding) */
    bool rows_busy;                 /* a row active or counting its trip delay */
    /* A pass has judged the last sample (bms_diag_update; a start clears it): with every
     * row idle after it, the same sample (no bit of struct bms's sample_changed: the
     * current is one of its quantities) gives the same verdicts (a held AFE sample). */
    bool judged_valid;
};

struct bms_leds {
    uint8_t mode[BMS_LEDS];
    uint32_t phase_ms[BMS_LEDS];    /* when this LED's current pattern began */
    uint8_t lit;
    bool dirty;                     /* the row may have changed (state, SOC): redo it */
    bool edge_pending;              /* a flash or sweep edge comes at next_ms */
    uint32_t next_ms;
};

struct bms_limits {
    int32_t ccl_mA, dcl_mA;         /* slewed */
    int32_t ccl_target_mA, dcl_target_mA;
    uint8_t ccl_reason, dcl_reason;
    bool force_charge;
    bool full_request;
    bool full_block;                /* CCL 0 after full until SOC < 98 % */
    bool snap;                      /* next update: limits at their targets, no slew */
    /* R-LM-2 hysteresis: each term's limit as last decided (CCL T_min, T_max, cell cap,
     * then DCL's); held_valid false after a start: the next update takes the bands as is. */
    int32_t held_mA[6];
    bool held_valid;
    /* CCL's and DCL's last derating (bms_limits.c, derate_sample): each serves again while
     * the temperatures and the cell voltage it read stay (struct bms's sample_changed);
     * targets set without it (not running, a fault) clear valid. */
    struct bms_derated {
        bool valid;
        uint8_t reason;
        int32_t limit_mA;
    } derated[2];
    uint32_t below_full_pct_s;      /* seconds SOC has stayed below 97 % */
};

struct bms_can {
    uint32_t last_tx_ms;
    uint32_t last_305_ms;
    uint32_t tx_dropped;
    uint32_t rx_ignored;
    uint32_t rx_305;
};

/* The firmware's tasks (docs/firmware.md): bms_tick runs on a 10 ms grid; the 100 ms
 * and 1 s tasks run when due. */
#define BMS_TICK_MS 10u
#define BMS_TASK_MEASURE_MS 100u
#define BMS_TASK_SECOND_MS 1000u
/* bms_next_wakeup_ms of a pack that has let its power go: the last tick plus this (the
 * largest multiple of 10 ms below 2^31, ~24.9 days): in effect never, while wrap-safe
 * comparisons of the 32-bit clock still order it after now. Only an input wakes it. */
#define BMS_WAKEUP_FAR_MS 2147483640u

/* The AFE watch the firmware has set (bms_config: afe_watch_active, _quiet, _off). */
enum bms_watch { BMS_WATCH_ACTIVE, BMS_WATCH_QUIET, BMS_WATCH_OFF };

struct bms {
    const struct bms_config *cfg;
    struct board *board;

    uint32_t now_ms;
    uint32_t last_tick_ms;
    bool clock_valid;               /* last_tick_ms holds a tick */
    enum bms_state state;
    uint32_t state_since_ms;
    uint32_t seq_since_ms;          /* start of the startup/coding/shutdown sequence */
    bool seq_shutdown_sweep;        /* shutdown with the L1->L8 sweep */
    bool powered;                   /* power_hold(true) asserted */

    /* Tasks and wakeups. */
    bool input_changed;             /* bms_input_changed since the last tick */
    uint8_t watch;                  /* enum bms_watch: what the AFE was last told */
    uint32_t task_measure_ms;       /* when the 100 ms task is next due */
    uint32_t task_second_ms;        /* when the 1 s task is next due */
    uint32_t wakeup_ms;             /* bms_next_wakeup_ms, set by each tick */
    /* Counts the ticks that may have changed what the pack shows (bms_status,
     * bms_system_status, its pins, LEDs, UARTs but the Link Ports, event log): all but a
     * tick that only frames brought (bms.c, frames_only), and bms_set_soc_estimate. An
     * observer that finds it unchanged may keep what it read. */
    uint32_t views_gen;

    /* Measurements of this tick. */
    struct board_afe afe;
    int32_t current_mA;
    int32_t qty[BMS_QTY_COUNT];
    /* Which quantities (bit 1 << BMS_QTY_x) differ from those the last tick judged: a
     * measure that finds changes ORs them in, the end of each tick clears it. What the
     * diagnosis (any bit) and the limits (the three each derating reads) ask before
     * judging a held AFE sample again (a quiet standby holds it up to a minute). */
    uint32_t sample_changed;

    /* The button. */
    bool button_down;
    uint32_t button_down_ms;

    /* MOSFETs as commanded, and since when each is off (R-PR-12 fet). */
    bool fet_chg, fet_dsg;
    uint32_t fet_chg_off_ms, fet_dsg_off_ms;

    /* Full state (§13). */
    bool full;
    bool full_cond;
    uint32_t full_cond_ms;
    bool full_exit_cond;
    uint32_t full_exit_ms;

    /* R-ST-1 debounce: the current back below the standby threshold but not below the
     * release threshold, since when. */
    bool idle_cond;
    uint32_t idle_since_ms;

    /* R-DC-1 debounce, per contact (0 charge, 1 discharge): since when its direction is
     * allowed, and whether it was closed in service (then opening waits dry_open_ms). */
    bool dry_allowed[2];
    uint32_t dry_allowed_ms[2];
    bool dry_debounce[2];
    bool dry_waiting;               /* a contact waits for its debounce to open */

    /* UVP timer (R-PR-13). */
    uint32_t uvp_since_ms;

    /* storage_time alarm (R-SOC-3): fraction of the recharge window used, 2^30 = all. */
    uint32_t storage_used;

    struct bms_diag diag;
    struct bms_leds leds;
    struct bms_limits lim;
    struct bms_can can;
    struct bms_link link;
    uint16_t balance_mask;

    /* The service modules. */
    struct bms_evlog evlog;
    struct bms_soc soc;
    struct bms_balance balance;
    struct bms_lcd lcd;
    struct bms_console console;

    struct bms_status status;
    struct bms_status sys_status;   /* what the master reports for the system (R-PA-3); kept by a master only */
};

void bms_init(struct bms *bms, const struct bms_config *cfg, struct board *board);
void bms_tick(struct bms *bms, uint32_t now_ms);
const struct bms_status *bms_status(const struct bms *bms);

/* The simulator: docs/spec/PRODUCT.md §13 "a running pack at t = 0" (coded as ID 1, limits at
 * their targets, every timer from now_ms, first CAN frames at now_ms). */
void bms_start_running(struct bms *bms, uint32_t now_ms);
/* The same for a pack of a parallel system wired and coded before t = 0: pack_id 1
 * (the master) .. pack_count, in chain order (docs/spec/PRODUCT.md §13). */
void bms_start_running_linked(struct bms *bms, uint32_t now_ms, uint8_t pack_id,
                              uint8_t pack_count);
/* The firmware time (ms, bms_tick's clock) of the earliest tick at which the firmware
 * has work: a 10 ms task with something pending (button held, LED phase edge, bytes to
 * send or receive, a frame due), the next 100 ms or 1 s task, a timer. Always greater
 * than the last tick's time and a multiple of 10 ms after it (before the first tick: 0
 * after bms_init, now_ms after bms_start_running). Valid after bms_tick. An MCU
 * would program its low-power timer with it. A pack that let its power go asks for
 * last tick + BMS_WAKEUP_FAR_MS: only an input (bms_input_changed) wakes it. */
uint32_t bms_next_wakeup_ms(const struct bms *bms);
/* The HAL's input-changed notification (what an interrupt would do): a pin changed
 * (button, power), a byte arrived (UART, link), or the AFE raised its alert. The
 * firmware then has work at the next 10 ms tick. A CAN frame needs only a tick to be
 * read: bms_can_poll judges it (a routine 0x305 is no news). */
void bms_input_changed(struct bms *bms);

/* What the master sends for the system (R-PA-3); a single pack's own status. */
const struct bms_status *bms_system_status(const struct bms *bms);
/* The scenario key bms_soc: overwrite the SOC estimate. */
void bms_set_soc_estimate(struct bms *bms, int32_t soc_pptt);

#endif
