/* bms_ids.h: the one list of BMS states, protections, alarms and faults, with
 * the names used by the LCD, console, trace, event log and scenario files, and the
 * letters of the LED word.
 */
#ifndef GTX_BMS_IDS_H
#define GTX_BMS_IDS_H

/* X(ENUM_SUFFIX, "name") */
#define BMS_STATE_LIST(X)                                                                   \
    X(SHUTDOWN, "shutdown")                                                                 \
    X(STARTUP, "startup")                                                                   \
    X(CODING, "coding")                                                                     \
    X(STANDBY, "standby")                                                                   \
    X(CHARGING, "charging")                                                                 \
    X(FULL, "full")                                                                         \
    X(DISCHARGING, "discharging")                                                           \
    X(CHARGE_PROTECT, "charge_protect")                                                     \
    X(DISCHARGE_PROTECT, "discharge_protect")                                               \
    X(UVP, "uvp")                                                                           \
    X(FAULT, "fault")

#define BMS_PROTECT_LIST(X)                                                                 \
    X(CHARGE_OT, "charge_ot")                                                               \
    X(CHARGE_UT, "charge_ut")                                                               \
    X(DISCHARGE_OT, "discharge_ot")                                                         \
    X(DISCHARGE_UT, "discharge_ut")                                                         \
    X(OVERCURRENT_CHARGE, "overcurrent_charge")                                             \
    X(OVERCURRENT_DISCHARGE, "overcurrent_discharge")                                       \
    X(PACK_HV, "pack_hv")                                                                   \
    X(CELL_OV, "cell_ov")                                                                   \
    X(PACK_LV, "pack_lv")                                                                   \
    X(CELL_UV, "cell_uv")                                                                   \
    X(MOSFET_OT, "mosfet_ot")

/* Alarms: one before each protection (same order and names), then these. */
#define BMS_ALARM_EXTRA_LIST(X)                                                             \
    X(INVERTER_LINK, "inverter_link")                                                       \
    X(LINK_COMM, "link_comm")                                                               \
    X(STORAGE_TEMP, "storage_temp")                                                         \
    X(STORAGE_TIME, "storage_time")

#define BMS_FAULT_LIST(X)                                                                   \
    X(NTC, "ntc")                                                                           \
    X(SENSE, "sense")                                                                       \
    X(FET, "fet")                                                                           \
    X(OVERDISCHARGE, "overdischarge")                                                       \
    X(CODING, "coding")

#define BMS_X_ENUM(prefix, id, name) prefix##id,

enum bms_state {
#define X(id, name) BMS_STATE_##id,
    BMS_STATE_LIST(X)
#undef X
    BMS_STATE_COUNT
};

enum bms_protect_id {
#define X(id, name) BMS_PROT_##id,
    BMS_PROTECT_LIST(X)
#undef X
    BMS_PROT_COUNT
};

enum bms_alarm_id {
#define X(id, name) BMS_ALARM_##id,
    BMS_PROTECT_LIST(X)
    BMS_ALARM_EXTRA_LIST(X)
#undef X
    BMS_ALARM_COUNT
};

enum bms_fault_id {
#define X(id, name) BMS_FAULT_##id,
    BMS_FAULT_LIST(X)
#undef X
    BMS_FAULT_COUNT
};

/* LED display modes (the letters of docs/spec/SCENARIO.md's LED word). */
enum bms_led_mode {
    BMS_LED_OFF,    /* '0' */
    BMS_LED_ON,     /* '1' */
    BMS_LED_FLASH1, /* 'a': 0.25 s on / 3.75 s off */
    BMS_LED_FLASH2, /* 'b': 0.5 s on / 0.5 s off */
    BMS_LED_FLASH3, /* 'c': 0.5 s on / 1.5 s off */
};

/* The names of the lists above, each made once from its list (src/bms/bms_names.c);
 * "?" for a value outside its list. */
const char *bms_state_name(enum bms_state s);
const char *bms_protect_name(enum bms_protect_id id);
const char *bms_alarm_name(enum bms_alarm_id id);
const char *bms_fault_name(enum bms_fault_id id);
const char *bms_led_mode_name(enum bms_led_mode m); /* "0" "1" "a" "b" "c": one letter */

#endif
