/* bms_config.h: the one configuration table of the BMS firmware. Every threshold,
 * delay, hysteresis, LED timing and limit band of docs/spec/PRODUCT.md is a field here; the
 * firmware reads nothing else. Copy bms_config_default and edit the copy to change one.
 */
#ifndef GTX_BMS_CONFIG_H
#define GTX_BMS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* The service modules' own small config structs. */
#include "gtx/bms/balance.h"
#include "gtx/bms/lcd.h"
#include "gtx/bms/link.h"
#include "gtx/bms/soc.h"
#include "gtx/bms_ids.h"
#include "gtx/board.h"

/* The measured quantities a diagnosis row can watch (computed once per tick):
 * X(ID, "name", per_si) where per_si is how many of its units make one SI unit
 * (10 for 0.1 °C, 1000 for mA and mV; an observer reads trips in °C, A, V). */
#define BMS_QTY_LIST(X)                                                                     \
    X(TEMP_MAX, "temp_max", 10)       /* max of NTC 1-4, 0.1 °C */                          \
    X(TEMP_MIN, "temp_min", 10)       /* min of NTC 1-4, 0.1 °C */                          \
    X(TEMP_FET, "temp_fet", 10)       /* NTC 5, 0.1 °C */                                   \
    X(NTC_MAX, "ntc_max", 10)         /* max of NTC 1-6, 0.1 °C */                          \
    X(NTC_MIN, "ntc_min", 10)         /* min of NTC 1-6, 0.1 °C */                          \
    X(CHG_CURRENT, "chg_current", 1000) /* current, mA, > 0 charging */                     \
    X(DSG_CURRENT, "dsg_current", 1000) /* minus the current, mA, > 0 discharging */        \
    X(BATTERY, "battery", 1000)       /* B+/B- battery voltage, mV */                       \
    X(CELL_MAX, "cell_max", 1000)     /* highest cell, mV */                                \
    X(CELL_MIN, "cell_min", 1000)     /* lowest cell, mV */                                 \
    X(FET_LEAK, "fet_leak", 1000)     /* current through a FET commanded off, mA */        \
    X(NONE, "none", 1)                /* a row the firmware raises itself (no measurement) */

enum bms_qty {
#define X(id, name, per_si) BMS_QTY_##id,
    BMS_QTY_LIST(X)
#undef X
    BMS_QTY_COUNT
};

/* What an active diagnosis row sets. */
enum bms_diag_kind { BMS_DIAG_PROTECT, BMS_DIAG_ALARM, BMS_DIAG_FAULT };

/* How a tripped row releases. */
enum bms_release {
    BMS_REL_HYST,    /* value back past release (inclusive) for release_ms */
    BMS_REL_TIMED,   /* release_ms after the trip, whatever the value (R-PR-5) */
    BMS_REL_CHARGE,  /* charge current >= release, or battery >= release2 (R-PR-8) */
    BMS_REL_LATCH,   /* never: a restart clears it (faults) */
};

/* One row of the diagnosis engine: a protection, an alarm or a fault condition.
 * high: trips when value > trip (>= when inclusive), releases when value <= release;
 * low:  trips when value < trip (<= when inclusive), releases when value >= release. */
struct bms_diag_row {
    bool enabled;
    uint8_t kind;       /* enum bms_diag_kind */
    uint8_t id;         /* enum bms_protect_id / bms_alarm_id / bms_fault_id */
    uint8_t qty;        /* enum bms_qty */
    bool high;
    bool inclusive;
    uint8_t release_mode; /* enum bms_release */
    int32_t trip;       /* in the quantity's unit */
    int32_t release;
    int32_t release2;   /* BMS_REL_CHARGE: battery mV that also releases */
    uint32_t trip_ms;
    uint32_t release_ms;
};

/* Every diagnosis row, in evaluation order: X(ROW_ID). Several rows may set one id. */
#define BMS_DIAG_ROW_LIST(X)                                                                \
    X(P_CHARGE_OT) X(P_CHARGE_UT) X(P_DISCHARGE_OT) X(P_DISCHARGE_UT)                       \
    X(P_OC_CHARGE) X(P_OC_DISCHARGE) X(P_PACK_HV) X(P_CELL_OV) X(P_PACK_LV) X(P_CELL_UV)    \
    X(P_MOSFET_OT)                                                                          \
    X(A_CHARGE_OT) X(A_CHARGE_UT) X(A_DISCHARGE_OT) X(A_DISCHARGE_UT)                       \
    X(A_OC_CHARGE) X(A_OC_DISCHARGE) X(A_PACK_HV) X(A_CELL_OV) X(A_PACK_LV) X(A_CELL_UV)    \
    X(A_MOSFET_OT) X(A_STORAGE_HOT) X(A_STORAGE_COLD)                                       \
    X(F_NTC_OPEN) X(F_NTC_SHORT) X(F_SENSE_LOW) X(F_SENSE_HIGH) X(F_FET) X(F_OVERDISCHARGE)

enum bms_diag_row_id {
#define X(id) BMS_ROW_##id,
    BMS_DIAG_ROW_LIST(X)
#undef X
    BMS_DIAG_ROW_COUNT
};

/* A limit band: value in [from, to) gives limit_mA (first matching row wins). */
struct bms_band {
    int32_t from;
    int32_t to;
    int32_t limit_mA;
};

#define BMS_TEMP_BANDS 6
#define BMS_CAP_BANDS 3

/* Direction masks: which current paths a protection stops. */
#define BMS_STOP_CHARGE 1u
#define BMS_STOP_DISCHARGE 2u

struct bms_config {
    /* R-ST-1: |I| below this is standby. Hysteresis and debounce: charging (discharging)
     * ends at once when the current is back below standby_release_mA (above minus it),
     * and after standby_hold_ms between the two thresholds. */
    int32_t standby_current_mA;
    int32_t standby_release_mA;
    uint32_t standby_hold_ms;
    /* The BMS's own consumption from the cells (not through the shunt), counted
     * into the SOC estimate: running, and shut down. */
    int32_t own_draw_mA;
    int32_t own_draw_off_mA;

    /* §3 start button and sequences. */
    uint32_t button_hold_ms;        /* R-BT-1: hold at least this, then release */
    uint32_t sweep_step_ms;         /* one LED of the start/shutdown sweep */
    uint32_t coding_single_ms;      /* R-BT-1: coding of a single pack */
    uint32_t coding_per_slave_ms;
    uint32_t wake_min_battery_mV;   /* R-PR-13: below this the button is ignored */
    uint32_t wake_charger_mV;       /* R-PR-13: a charger at least this starts the pack */

    /* §4 LEDs: flash patterns (on, off) and the SOC bands (lowest SOC of n LEDs). */
    uint16_t flash_on_ms[3];
    uint16_t flash_off_ms[3];
    uint8_t level_min_pct[6];       /* level n+1 from level_min_pct[n] % */

    /* §5 protections, alarms, faults: one diagnosis engine. */
    struct bms_diag_row diag[BMS_DIAG_ROW_COUNT];
    uint8_t protect_stops[BMS_PROT_COUNT]; /* BMS_STOP_* per protection */
    uint32_t fet_off_settle_ms;     /* R-PR-12 fet: MOSFET commanded off this long */
    uint32_t uvp_shutdown_ms;       /* R-PR-13: UVP, then shutdown after this */
    uint32_t inverter_link_ms;      /* R-PR-10: no 0x305 for this long */
    /* R-SOC-3 storage_time: after SOC <= storage_soc_pct, recharge windows. */
    uint8_t storage_soc_pct;
    uint32_t storage_window_cold_s; /* disconnected, <= storage_warm_ddegC */
    uint32_t storage_window_warm_s; /* disconnected, above it */
    uint32_t storage_window_conn_s; /* connected to the inverter */
    int32_t storage_warm_ddegC;

    /* §6 limits. */
    uint32_t cvl_mV;
    uint32_t dvl_mV;
    struct bms_band ccl_temp[BMS_TEMP_BANDS]; /* 0.1 °C; no band: 0 */
    struct bms_band dcl_temp[BMS_TEMP_BANDS];
    struct bms_band ccl_cap[BMS_CAP_BANDS];   /* max cell mV; no band: no cap */
    struct bms_band dcl_cap[BMS_CAP_BANDS];   /* min cell mV */
    /* R-LM-2 hysteresis: a term goes to a larger limit only once the value is this far
     * inside the larger limit's band (a smaller limit applies at once, at the edge). */
    int32_t band_temp_hyst_ddegC;
    int32_t ccl_cap_hyst_mV;
    int32_t dcl_cap_hyst_mV;
    int32_t slew_mA_per_s;
    uint8_t force_on_below_pct;     /* R-LM-3 */
    uint8_t force_off_at_pct;
    uint8_t full_request_pct;       /* R-LM-4: SOC reached this resets the count */
    uint32_t full_request_s;        /* 30 days */
    /* R-ST-3 / §13 full. */
    uint32_t full_battery_mV;
    int32_t full_current_min_mA;
    int32_t full_current_max_mA;
    uint32_t full_hold_ms;
    uint32_t full_exit_ms;
    int32_t full_ccl_block_pptt;    /* CCL 0 after full until the estimate is below */

    /* R-DC-1 debounce: a contact closes at once and opens only after its direction has
     * been allowed this long (a contact closed outside service opens at once). */
    uint32_t dry_open_ms;

    /* §10 the parallel link (docs/link-protocol.md). */
    struct bms_link_config link;

    /* The AFE watch (board.h): active while anything goes on; quiet in a calm standby, where
     * the firmware measures once a second and the AFE wakes it when a sample leaves the
     * window (docs/firmware.md, tasks and wakeups). */
    struct board_afe_watch afe_watch_active;
    struct board_afe_watch afe_watch_quiet;
    struct board_afe_watch afe_watch_off;    /* the power let go: no scans, no alerts */

    /* docs/spec/CAN.md */
    uint32_t can_period_ms;
    char can_vendor[8];             /* 0x35E, space padded */

    /* NVM layout: the SOC record, then the event log ring up to the end of NVM. */
    uint32_t nvm_soc_base;
    uint32_t nvm_evlog_base;

    /* The service modules' thresholds. */
    struct bms_soc_config soc;
    struct bms_balance_config balance;
    struct bms_lcd_config lcd;
};

extern const struct bms_config bms_config_default;

#endif
