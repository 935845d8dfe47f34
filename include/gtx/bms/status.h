/* gtx/bms/status.h: what the firmware publishes each tick, struct bms_status, and why
 * a current limit is what it is. The simulator's views read this (the way a debugger
 * reads RAM) without needing the rest of struct bms.
 */
#ifndef GTX_BMS_PUB_STATUS_H
#define GTX_BMS_PUB_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/bms_ids.h"

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

const char *bms_limit_reason_name(enum bms_limit_reason r);

#endif
