/* bms_config.c: the one configuration table, bms_config_default. Every number of
 * docs/spec/PRODUCT.md §2-§7 and §13 that the firmware uses is here, one row per rule; the
 * [decision] values of docs/spec/PRODUCT.md and docs/firmware.md are marked "decision".
 */
#include "gtx/bms_config.h"

/* Diagnosis row builders: high/low side, inclusive or strict trip comparison. */
#define ROW(kind_, id_, qty_, high_, incl_, rel_mode_, trip_, rel_, trip_ms_, rel_ms_)       \
    {.enabled = true, .kind = BMS_DIAG_##kind_, .id = (id_), .qty = BMS_QTY_##qty_,          \
     .high = (high_), .inclusive = (incl_), .release_mode = BMS_REL_##rel_mode_,             \
     .trip = (trip_), .release = (rel_), .release2 = 0, .trip_ms = (trip_ms_),               \
     .release_ms = (rel_ms_)}
/* One kind each: alarms release with hysteresis, faults latch until a restart. */
#define PROT(id_, qty_, high_, incl_, rel_mode_, trip_, rel_, trip_ms_, rel_ms_)             \
    ROW(PROTECT, BMS_PROT_##id_, qty_, high_, incl_, rel_mode_, trip_, rel_, trip_ms_, rel_ms_)
#define ALARM(id_, qty_, high_, incl_, trip_, rel_, trip_ms_, rel_ms_)                      \
    ROW(ALARM, BMS_ALARM_##id_, qty_, high_, incl_, HYST, trip_, rel_, trip_ms_, rel_ms_)
#define FAULT(id_, qty_, high_, trip_, trip_ms_)                                            \
    ROW(FAULT, BMS_FAULT_##id_, qty_, high_, GT, LATCH, trip_, 0, trip_ms_, 0)
#define HI true
#define LO false
#define GE true /* trips at the threshold itself (>= or <=) */
#define GT false

const struct bms_config bms_config_default = {
    .standby_current_mA = 500,            /* R-ST-1 decision */
    .standby_release_mA = 300,            /* R-ST-1 decision: hysteresis 0.2 A */
    .standby_hold_ms = 10000,             /* R-ST-1 decision: debounce between 0.3 and 0.5 A */
    .own_draw_mA = 15,                    /* docs/spec/PHYSICS.md: 15 mA running */
    .own_draw_off_mA = 0,                 /* 0.3 mA shut down: below the SOC's resolution */

    .button_hold_ms = 3000,               /* R-BT-1 */
    .sweep_step_ms = 250,                 /* R-BT-1 decision */
    .coding_single_ms = 3000,             /* R-BT-1 decision */
    .coding_per_slave_ms = 2000,
    .wake_min_battery_mV = 40000,         /* R-PR-13 decision */
    .wake_charger_mV = 51000,             /* R-PR-13, manual §9.1 item 1 */

    /* §4: flash 1, 2, 3 */
    .flash_on_ms = {250, 500, 500},
    .flash_off_ms = {3750, 500, 1500},
    .level_min_pct = {0, 18, 34, 51, 67, 84},

    .diag = {
        /* §5 protections: temperatures in 0.1 °C, currents in mA, voltages in mV. */
        [BMS_ROW_P_CHARGE_OT] =                                                 /* R-PR-1 */
            PROT(CHARGE_OT, TEMP_MAX, HI, GT, HYST, 550, 500, 2000, 5000),
        [BMS_ROW_P_CHARGE_UT] =                                                 /* R-PR-2 */
            PROT(CHARGE_UT, TEMP_MIN, LO, GT, HYST, -100, -50, 2000, 5000),
        [BMS_ROW_P_DISCHARGE_OT] =                                              /* R-PR-3 */
            PROT(DISCHARGE_OT, TEMP_MAX, HI, GT, HYST, 600, 550, 2000, 5000),
        [BMS_ROW_P_DISCHARGE_UT] =                                              /* R-PR-4 */
            PROT(DISCHARGE_UT, TEMP_MIN, LO, GT, HYST, -200, -150, 2000, 5000),
        [BMS_ROW_P_OC_CHARGE] =                                                 /* R-PR-5 */
            PROT(OVERCURRENT_CHARGE, CHG_CURRENT, HI, GT, TIMED, 50000, 0, 1000, 60000),
        [BMS_ROW_P_OC_DISCHARGE] =                                              /* R-PR-5 */
            PROT(OVERCURRENT_DISCHARGE, DSG_CURRENT, HI, GT, TIMED, 50000, 0, 1000, 60000),
        [BMS_ROW_P_PACK_HV] =                                                   /* R-PR-6 */
            PROT(PACK_HV, BATTERY, HI, GE, HYST, 56000, 54400, 2000, 5000),
        [BMS_ROW_P_CELL_OV] =                                                   /* R-PR-7 */
            PROT(CELL_OV, CELL_MAX, HI, GE, HYST, 3650, 3400, 1000, 5000),
        /* R-PR-8: releases at once on charge current >= 0.5 A or battery >= 48.0 V, and does
         * not trip while that charge current flows (bms_diag.c, PRODUCT.md decision). */
        [BMS_ROW_P_PACK_LV] = {.enabled = true, .kind = BMS_DIAG_PROTECT,
                               .id = BMS_PROT_PACK_LV, .qty = BMS_QTY_BATTERY, .high = false,
                               .inclusive = true, .release_mode = BMS_REL_CHARGE,
                               .trip = 45600, .release = 500, .release2 = 48000,
                               .trip_ms = 2000, .release_ms = 0},
        [BMS_ROW_P_CELL_UV] =                                                   /* R-PR-9 */
            PROT(CELL_UV, CELL_MIN, LO, GE, HYST, 2700, 3000, 1000, 5000),
        /* §13 mosfet_ot: NTC 5 above 90 °C; decision: 2 s, releases <= 85 °C for 5 s. */
        [BMS_ROW_P_MOSFET_OT] = PROT(MOSFET_OT, TEMP_FET, HI, GT, HYST, 900, 850, 2000, 5000),

        /* R-PR-10 alarms: 5 °C / 50 mV / 5 A before each limit, same trip delay, released
         * 5 °C / 50 mV / 5 A back inside the alarm threshold (decision: after 5 s). */
        [BMS_ROW_A_CHARGE_OT] = ALARM(CHARGE_OT, TEMP_MAX, HI, GT, 500, 450, 2000, 5000),
        [BMS_ROW_A_CHARGE_UT] = ALARM(CHARGE_UT, TEMP_MIN, LO, GT, -50, 0, 2000, 5000),
        [BMS_ROW_A_DISCHARGE_OT] = ALARM(DISCHARGE_OT, TEMP_MAX, HI, GT, 550, 500, 2000, 5000),
        [BMS_ROW_A_DISCHARGE_UT] =
            ALARM(DISCHARGE_UT, TEMP_MIN, LO, GT, -150, -100, 2000, 5000),
        [BMS_ROW_A_OC_CHARGE] =
            ALARM(OVERCURRENT_CHARGE, CHG_CURRENT, HI, GT, 45000, 40000, 1000, 5000),
        [BMS_ROW_A_OC_DISCHARGE] =
            ALARM(OVERCURRENT_DISCHARGE, DSG_CURRENT, HI, GT, 45000, 40000, 1000, 5000),
        [BMS_ROW_A_PACK_HV] = ALARM(PACK_HV, BATTERY, HI, GE, 55950, 55900, 2000, 5000),
        [BMS_ROW_A_CELL_OV] = ALARM(CELL_OV, CELL_MAX, HI, GE, 3600, 3550, 1000, 5000),
        [BMS_ROW_A_PACK_LV] = ALARM(PACK_LV, BATTERY, LO, GE, 45650, 45700, 2000, 5000),
        [BMS_ROW_A_CELL_UV] = ALARM(CELL_UV, CELL_MIN, LO, GE, 2750, 2800, 1000, 5000),
        [BMS_ROW_A_MOSFET_OT] = ALARM(MOSFET_OT, TEMP_FET, HI, GT, 850, 800, 2000, 5000),
        /* storage_temp: below -10 °C or above 45 °C for more than an hour (decision:
         * released 5 °C back inside for 5 s). */
        [BMS_ROW_A_STORAGE_HOT] =
            ALARM(STORAGE_TEMP, TEMP_MAX, HI, GT, 450, 400, 3600000, 5000),
        [BMS_ROW_A_STORAGE_COLD] =
            ALARM(STORAGE_TEMP, TEMP_MIN, LO, GT, -100, -50, 3600000, 5000),

        /* R-PR-12 faults (latched until a restart). */
        [BMS_ROW_F_NTC_OPEN] = FAULT(NTC, NTC_MIN, LO, -400, 2000),
        [BMS_ROW_F_NTC_SHORT] = FAULT(NTC, NTC_MAX, HI, 1200, 2000),
        [BMS_ROW_F_SENSE_LOW] = FAULT(SENSE, CELL_MIN, LO, 1000, 2000),
        [BMS_ROW_F_SENSE_HIGH] = FAULT(SENSE, CELL_MAX, HI, 5000, 2000),
        /* > 2 A through a MOSFET commanded off for >= fet_off_settle_ms; decision: 1 s. */
        [BMS_ROW_F_FET] = FAULT(FET, FET_LEAK, HI, 2000, 1000),
        [BMS_ROW_F_OVERDISCHARGE] = FAULT(OVERDISCHARGE, CELL_MIN, LO, 2000, 5000),
    },
    .protect_stops = {
        [BMS_PROT_CHARGE_OT] = BMS_STOP_CHARGE,
        [BMS_PROT_CHARGE_UT] = BMS_STOP_CHARGE,
        [BMS_PROT_DISCHARGE_OT] = BMS_STOP_DISCHARGE,
        [BMS_PROT_DISCHARGE_UT] = BMS_STOP_DISCHARGE,
        [BMS_PROT_OVERCURRENT_CHARGE] = BMS_STOP_CHARGE,
        [BMS_PROT_OVERCURRENT_DISCHARGE] = BMS_STOP_DISCHARGE,
        [BMS_PROT_PACK_HV] = BMS_STOP_CHARGE,
        [BMS_PROT_CELL_OV] = BMS_STOP_CHARGE,
        [BMS_PROT_PACK_LV] = BMS_STOP_DISCHARGE,
        [BMS_PROT_CELL_UV] = BMS_STOP_DISCHARGE,
        [BMS_PROT_MOSFET_OT] = BMS_STOP_CHARGE | BMS_STOP_DISCHARGE,
    },
    .fet_off_settle_ms = 1000,            /* R-PR-12 */
    .uvp_shutdown_ms = 600000,            /* R-PR-13 decision: 10 min */
    .inverter_link_ms = 60000,            /* R-PR-10 / docs/spec/CAN.md */
    .storage_soc_pct = 10,                /* R-SOC-3: after 90 % DOD */
    .storage_window_cold_s = 15u * 86400u,
    .storage_window_warm_s = 7u * 86400u,
    .storage_window_conn_s = 12u * 3600u,
    .storage_warm_ddegC = 250,

    .cvl_mV = 55700,                      /* R-LM-1 decision */
    .dvl_mV = 45600,                      /* R-LM-1 */
    /* R-LM-2 / §13: [from, to) in 0.1 °C; outside every band the limit is 0. */
    .ccl_temp = {{-100, 0, 2500}, {0, 100, 10000}, {100, 450, 25000},
                 {450, 500, 10000}, {500, 550, 2500}, {0, 0, 0}},
    .dcl_temp = {{-200, 0, 10000}, {0, 550, 30000}, {550, 600, 10000},
                 {0, 0, 0}, {0, 0, 0}, {0, 0, 0}},
    /* Cell-voltage caps, [from, to) in mV; outside every band no cap. */
    .ccl_cap = {{3450, 3550, 5000}, {3550, 65536, 2500}, {0, 0, 0}},
    .dcl_cap = {{2900, 3000, 10000}, {0, 2900, 5000}, {0, 0, 0}},
    /* R-LM-2 decision: hysteresis of each term (a larger limit once this far inside). */
    .band_temp_hyst_ddegC = 20,           /* 2 °C */
    .ccl_cap_hyst_mV = 50,
    .dcl_cap_hyst_mV = 50,
    .slew_mA_per_s = 1000,                /* R-LM-2: 1 A/s */
    .force_on_below_pct = 8,              /* R-LM-3 */
    .force_off_at_pct = 10,
    .full_request_pct = 97,               /* R-LM-4 */
    .full_request_s = 30u * 86400u,
    .full_battery_mV = 55200,             /* R-ST-3 / §13 */
    .full_current_min_mA = 500,
    .full_current_max_mA = 2500,
    .full_hold_ms = 60000,
    .full_exit_ms = 60000,
    .full_ccl_block_pptt = 9800,

    .dry_open_ms = 2000,                  /* R-DC-1 decision: debounce of the opening */

    /* §10 link, decisions (docs/link-protocol.md): a chain of 4 answers in 60 ms. */
    .link = {
        .discover_ms = 500,               /* slaves announce themselves during the sweep */
        .round_ms = 250,                  /* every slave polled 4 times a second ... */
        .steady_round_ms = 1000,          /* ... once a second when steady (decision) */
        .steady_lead_ms = 200,            /* a pipelined round of 3 slaves: 60 ms */
        .reply_ms = 100,                  /* 3 hops there and back take 60 ms */
        .lost_ms = 2000,                  /* link_comm after 2 s of silence */
        .slave_coding_ms = 12000,         /* sweep 2 s + coding of 4 packs 9 s + 1 s */
        .shut_ack_ms = 300,
        .shut_retries = 3,
    },

    /* The AFE watch, decisions (docs/firmware.md): active, every 100 ms sample wakes the
     * 100 ms task. Quiet (a calm standby): a scan a second, the current watched at once,
     * and a window inside every alarm threshold of the rows above (by 50 mV a cell, 0.5 V
     * the stack, 1 °C an NTC), so every row's condition and the state's 0.5 A are seen at
     * the latest one scan (1 s) after they begin: cells 2.80-3.55 V (cell_uv and cell_ov
     * alarms 2.75 / 3.60 V), battery 46.15-55.45 V (pack_lv / pack_hv alarms 45.65 /
     * 55.95 V), NTCs -4..44 °C (charge_ut alarm -5 °C, storage_temp 45 °C). */
    .afe_watch_active = {.scan_period_ms = 100, .current_wake_mA = 0,
                         .cell_min_mV = 0, .cell_max_mV = 0,
                         .battery_min_mV = 0, .battery_max_mV = 0,
                         .temp_min_ddegC = 0, .temp_max_ddegC = 0},
    .afe_watch_quiet = {.scan_period_ms = 1000,
                        .current_wake_mA = 500,   /* R-ST-1: the standby threshold */
                        .cell_min_mV = 2800, .cell_max_mV = 3550,
                        .battery_min_mV = 46150, .battery_max_mV = 55450,
                        .temp_min_ddegC = -40, .temp_max_ddegC = 440},
    /* Shut down: the AFE sleeps; only the wake circuit (button, charger) and the link
     * bytes wake the MCU. */
    .afe_watch_off = {.scan_period_ms = 0, .current_wake_mA = 0,
                      .cell_min_mV = 0, .cell_max_mV = 0,
                      .battery_min_mV = 0, .battery_max_mV = 0,
                      .temp_min_ddegC = 0, .temp_max_ddegC = 0},

    .can_period_ms = 1000,                /* docs/spec/CAN.md */
    .can_vendor = {'P', 'Y', 'L', 'O', 'N', ' ', ' ', ' '},

    .nvm_soc_base = 0,
    .nvm_evlog_base = 256,

    /* §8 / §13 SOC, decisions (docs/firmware.md): 50 Ah LFP; OCV from the A123 C/30
     * curve, mean of the branches, SOC axis scaled so its 0.99 is 100 % (as docs/spec/PHYSICS.md
     * models the cell). */
    .soc = {
        .rated_capacity_mAh = 50000,
        .rest_current_mA = 500,           /* |I| below 0.5 A is rest */
        .rest_time_ms = 7200000,          /* 2 h of rest before an OCV correction */
        .ocv_low_pptt = 1500,             /* correct only below 15 % ... */
        .ocv_high_pptt = 9500,            /* ... or above 95 %, where the curve is steep */
        .learn_min_span_pptt = 7000,      /* learn capacity over >= 70 % of a cycle */
        .learn_min_soh_pptt = 5000,       /* accept 50 % .. 110 % of rated */
        .learn_max_soh_pptt = 11000,
        .save_step_pptt = 100,            /* save after 1 % ... */
        .save_interval_ms = 600000,       /* ... or 10 min after a change */
        .ocv = {{2295, 0}, {2933, 300}, {3073, 600}, {3179, 1000}, {3215, 1500},
                {3268, 2500}, {3305, 5000}, {3339, 8000}, {3346, 9200}, {3357, 9600},
                {3379, 9800}, {3459, 10000}},
    },
    /* R-BL-1: start at max cell >= 3.40 V and spread > 30 mV, bleed cells more than
     * 10 mV above the minimum, stop at a spread <= 10 mV. */
    .balance = {
        .start_max_cell_mV = 3400,
        .start_spread_mV = 30,
        .bleed_above_mV = 10,
        .stop_spread_mV = 10,
        .bleed_stop_mV = 5,               /* R-BL-1 decision: a bleeding cell down to 5 mV */
        .average_ms = 1000,               /* R-BL-1 decision: on 1 s means of the cells */
    },
    .lcd = {.period_ms = 1000},           /* R-PT-3 decision: one frame pair a second */
};

/* Fixed numbers, not settings: sizes and wire formats that a row here cannot change
 * without changing a protocol or a layout, each named once in its header:
 *   BMS_LEDS 8, BMS_TEMP_BANDS 6, BMS_CAP_BANDS 3, BMS_SOC_OCV_POINTS 12 (the shapes
 *   of the rows above); BMS_SOC_NVM_SIZE, BMS_EVLOG_RECORD_SIZE (the NVM layout);
 *   BMS_LINK_MAX_PACKS 4 (R-PA-1), BMS_LINK_FRAME_MAX (docs/link-protocol.md);
 *   BMS_CONSOLE_* (docs/console.md line and buffer sizes); BMS_CAN_FRAMES (docs/spec/CAN.md);
 *   LCD_FRAME_MAX (gtx/lcd_proto.h). */
