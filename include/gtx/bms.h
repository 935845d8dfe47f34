/* bms.h: the BMS firmware's one instance struct and its API. The simulator creates
 * one struct bms per pack, calls bms_tick every 10 ms, and reads bms_status() the
 * way a debugger reads RAM. Nothing in here is static: several packs share a process.
 */
#ifndef GTX_BMS_H
#define GTX_BMS_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/board.h"
#include "gtx/bms_config.h"
#include "gtx/bms_ids.h"
/* The service modules embedded in struct bms (src/bms/, on the include path of bms_dep). */
#include "bms_balance.h"
#include "bms_console.h"
#include "bms_evlog.h"
#include "bms_lcd.h"
#include "bms_link.h"
#include "bms_soc.h"

#define BMS_LEDS 8

/* Why a current limit is what it is (the lowest term of its min()). */
#define BMS_LIMIT_REASON_LIST(X)                                                            \
    X(NOMINAL, "nominal")           /* the full band value */                               \
    X(TEMP_MIN, "temp_min")         /* band of the coldest cell NTC */                      \
    X(TEMP_MAX, "temp_max")         /* band of the hottest cell NTC */                      \
    X(CELL_V, "cell_voltage")       /* the cell-voltage cap */                              \
    X(FULL, "full")                 /* CCL 0 after a full charge (§13) */                   \
    X(PROTECT, "protection")        /* a protection stops this direction */                \
    X(FAULT, "fault")               /* a fault stops both */                                \
    X(OFF, "off")                   /* not running: shutdown, startup, coding */

enum bms_limit_reason {
#define X(id, name) BMS_LIMIT_##id,
    BMS_LIMIT_REASON_LIST(X)
#undef X
    BMS_LIMIT_REASON_COUNT
};

/* The read-only view, refreshed at the end of every bms_tick. */
struct bms_status {
    enum bms_state state;
    uint8_t led_mode[BMS_LEDS];     /* enum bms_led_mode; index 0 = L1 .. 7 = L8 */
    uint8_t leds_lit;               /* bit 0 = L1, as driven this tick */
    uint32_t protect_mask;          /* bit = enum bms_protect_id */
    uint32_t alarm_mask;            /* bit = enum bms_alarm_id */
    uint32_t fault_mask;            /* bit = enum bms_fault_id */
    int32_t soc_pptt;               /* the estimate, 0.01 % */
    uint8_t soc_shown_pct;          /* rounded half up (§13) */
    uint8_t soh_pct;
    uint16_t cycles;
    uint32_t capacity_mAh;          /* learned full-charge capacity */
    uint32_t battery_mV;            /* B+/B- */
    uint32_t pack_mV;               /* P+/P- */
    int32_t current_mA;             /* > 0 charging */
    uint16_t cell_min_mV, cell_max_mV;
    uint8_t cell_min_no, cell_max_no;   /* 1..16 */
    int16_t temp_min_ddegC, temp_max_ddegC; /* over NTC 1-4 */
    int16_t temp_mean_ddegC;        /* mean of NTC 1-4 (0x356) */
    int16_t temp_fet_ddegC;         /* NTC 5 */
    int16_t temp_air_ddegC;         /* NTC 6 */
    /* Limits as sent on CAN (after the enable bits), 0.1 V / 0.1 A. */
    uint16_t cvl_dV, ccl_dA, dcl_dA, dvl_dV;
    int32_t ccl_mA, dcl_mA;         /* the slewed limits before CAN rounding */
    uint8_t ccl_reason, dcl_reason; /* enum bms_limit_reason */
    bool charge_enable, discharge_enable, force_charge, full_charge_request;
    bool prohibit_charge, prohibit_discharge; /* dry contacts 1/2 and 3/4 closed */
    uint16_t balance_mask;          /* bit 0 = cell 1 */
    uint8_t pack_id;                /* 1 = master */
    uint8_t pack_count;             /* packs online (0x359 byte 4) */
    bool is_master;
    bool fet_charge_on, fet_discharge_on;
    bool can_on;                    /* broadcasting to the inverter */
    bool power_hold;
};

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
};

struct bms_leds {
    uint8_t mode[BMS_LEDS];
    uint32_t phase_ms[BMS_LEDS];    /* when this LED's current pattern began */
    uint8_t lit;
};

struct bms_limits {
    int32_t ccl_mA, dcl_mA;         /* slewed */
    int32_t ccl_target_mA, dcl_target_mA;
    uint8_t ccl_reason, dcl_reason;
    bool force_charge;
    bool full_request;
    bool full_block;                /* CCL 0 after full until SOC < 98 % */
    bool snap;                      /* next update: limits at their targets, no slew */
    uint32_t below_full_pct_s;      /* seconds SOC has stayed below 97 % */
};

struct bms_can {
    uint32_t last_tx_ms;
    uint32_t last_305_ms;
    uint32_t tx_dropped;
    uint32_t rx_ignored;
    uint32_t rx_305;
};

struct bms {
    const struct bms_config *cfg;
    struct board *board;

    uint32_t now_ms;
    uint32_t last_tick_ms;
    bool clock_valid;               /* last_tick_ms holds a tick */
    uint32_t sec_ms;                /* ms towards the next whole second of bookkeeping */
    enum bms_state state;
    uint32_t state_since_ms;
    uint32_t seq_since_ms;          /* start of the startup/coding/shutdown sequence */
    bool seq_shutdown_sweep;        /* shutdown with the L1->L8 sweep */
    bool powered;                   /* power_hold(true) asserted */

    /* Measurements of this tick. */
    struct board_afe afe;
    int32_t current_mA;
    int32_t qty[BMS_QTY_COUNT];

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
    struct bms_status sys_status;   /* what the master reports for the system (R-PA-3) */
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
/* What the master sends for the system (R-PA-3); a single pack's own status. */
const struct bms_status *bms_system_status(const struct bms *bms);
/* The scenario key bms_soc: overwrite the SOC estimate. */
void bms_set_soc_estimate(struct bms *bms, int32_t soc_pptt);

const char *bms_state_name(enum bms_state s);
const char *bms_protect_name(enum bms_protect_id id);
const char *bms_alarm_name(enum bms_alarm_id id);
const char *bms_fault_name(enum bms_fault_id id);
const char *bms_limit_reason_name(enum bms_limit_reason r);
const char *bms_led_mode_name(enum bms_led_mode m); /* "0" "1" "a" "b" "c" */

#endif
