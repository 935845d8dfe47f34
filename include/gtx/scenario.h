/* scenario.h: a validated scenario file (docs/spec/SCENARIO.md) in plain C
 * types, ready for the simulator, the runner and the window. scn_load() checks
 * every key, type and range and reports "FILE:LINE:COL: error: WHAT (expected WHAT)".
 */
#ifndef GTX_SCENARIO_H
#define GTX_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scn_profile_spec;
struct scn_canlog_spec;

#define SCN_FORMAT "gtxsim-scenario/1"
#define SCN_MAX_PACKS 4
#define SCN_CELLS 16
#define SCN_SENSORS 6
#define SCN_PACK_SYSTEM 0                       /* "pack": "system" in expectations */
#define SCN_MAX_DURATION_S (400.0 * 86400.0)    /* durations are > 0 and <= 400 d */
#define SCN_ERR_MAX 1024                        /* a comfortable size for err buffers */

/* Where something was written in the file, for messages. */
struct scn_src {
    int line; /* 1-based */
    int col;  /* 1-based, in characters */
};

/* A local wall-clock time (no time zone, no daylight saving: the simulated
 * world has one clock). */
struct scn_datetime {
    int year, month, day; /* month 1-12, day 1-31 */
    int hour, minute, second;
};

struct scn_training;

/* ---- packs ---- */

/* Standard deviations of the cell-to-cell variation (docs/spec/SCENARIO.md "A pack");
 * the defaults are the plant's pack_spread_default. */
struct scn_spread {
    double capacity_pct;       /* relative to nominal */
    double resistance_pct;     /* relative to nominal */
    double soc_pct;            /* SOC percentage points */
    double self_discharge_pct; /* relative to nominal */
};

/* Which fields of a per-cell override were given. */
enum {
    SCN_CELL_SET_SOC = 1u << 0,
    SCN_CELL_SET_CAPACITY = 1u << 1,
    SCN_CELL_SET_RESISTANCE = 1u << 2,
    SCN_CELL_SET_TEMPERATURE = 1u << 3,
};

struct scn_cell_override {
    unsigned set; /* SCN_CELL_SET_* bits; 0: no override for this cell */
    double soc;   /* % */
    double capacity_ah;
    double resistance_factor;
    double temperature_c;
};

struct scn_pack {
    double soc;           /* true SOC of every cell, % (default 50) */
    double temperature_c; /* initial cell temperature (default: ambient_c) */
    bool on;              /* already running at t = 0 (default true) */
    double bms_soc;       /* the BMS's SOC estimate at start, % (default: soc) */
    double cycles;        /* equivalent full cycles already done (default 0) */
    double cable_mohm;    /* its power cables and contacts to the bus, mOhm (default 0) */
    struct scn_spread spread;
    struct scn_cell_override cell[SCN_CELLS]; /* index = cell number - 1 */
};

/* ---- link cables ---- */

enum scn_port_side { SCN_PORT_IN, SCN_PORT_OUT };

struct scn_port {
    int pack; /* 1-4 */
    enum scn_port_side side;
};

/* A link cable joins any two different ports (mis-wiring is valid input). */
struct scn_cable {
    struct scn_port a, b;
};

enum scn_link_kind {
    SCN_LINK_CHAIN,  /* "chain": 1.out-2.in, 2.out-3.in, ... (cables are filled in) */
    SCN_LINK_NONE,   /* "none" */
    SCN_LINK_CABLES, /* a list of cables */
};

#define SCN_MAX_CABLES (SCN_MAX_PACKS) /* 8 ports, each in at most one cable */

struct scn_link {
    enum scn_link_kind kind;
    int cable_count;
    struct scn_cable cable[SCN_MAX_CABLES]; /* also for "chain" */
};

/* ---- the inverter ---- */

enum scn_inverter_mode { SCN_INV_LITHIUM, SCN_INV_MANUAL };

/* Defaults: the world's inv_settings_default (scn_inverter_defaults). */
struct scn_inverter {
    enum scn_inverter_mode mode;
    double charge_voltage_v;
    double charge_current_a;
    double discharge_current_a;
    double cutoff_voltage_v;
    double min_soc_pct;
    int window_start_min;        /* full-charge window, minutes after midnight */
    int window_end_min;          /* (a window may wrap past midnight) */
    double standby_w;
    double can_timeout_s;
};

/* ---- events ---- */

#define SCN_ACTION_LIST(X)                                                                  \
    X(PRESS, "press")                                                                       \
    X(AMBIENT, "ambient")                                                                   \
    X(INVERTER, "inverter")                                                                 \
    X(CHARGER, "charger")                                                                   \
    X(CAN, "can")                                                                           \
    X(WIRE, "wire")                                                                         \
    X(UNWIRE, "unwire")                                                                     \
    X(POWER, "power")                                                                       \
    X(FAULT, "fault")                                                                       \
    X(CLEAR, "clear")                                                                       \
    X(NOTE, "note")

enum scn_action {
#define X(id, name) SCN_DO_##id,
    SCN_ACTION_LIST(X)
#undef X
    SCN_DO_COUNT
};

#define SCN_FAULT_KIND_LIST(X)                                                              \
    X(NTC_OPEN, "ntc_open")                                                                 \
    X(NTC_SHORT, "ntc_short")                                                               \
    X(SENSE_OPEN, "sense_open")                                                             \
    X(CELL_SHORT, "cell_short")                                                             \
    X(CELL_WEAK, "cell_weak")                                                               \
    X(CELL_RESISTANCE, "cell_resistance")                                                   \
    X(CURRENT_OFFSET, "current_offset")                                                     \
    X(FET_STUCK, "fet_stuck")                                                               \
    X(LINK_BREAK, "link_break")

enum scn_fault_kind {
#define X(id, name) SCN_FAULT_##id,
    SCN_FAULT_KIND_LIST(X)
#undef X
    SCN_FAULT_KIND_COUNT
};

enum scn_fet { SCN_FET_CHARGE, SCN_FET_DISCHARGE, SCN_FET_BOTH /* clear only */ };

/* A fault to inject or clear. Only the kind's own arguments are meaningful:
 * sensor (ntc_open, ntc_short), cell (sense_open, cell_short, cell_weak,
 * cell_resistance), resistance_ohm (cell_short), capacity_pct (cell_weak),
 * factor (cell_resistance), amps (current_offset), which (fet_stuck). */
struct scn_fault {
    enum scn_fault_kind kind;
    int pack;   /* 1-4 */
    int cell;   /* 1-16, 0 when the kind has none */
    int sensor; /* 1-6, 0 when the kind has none */
    double resistance_ohm;
    double capacity_pct;
    double factor;
    double amps;
    enum scn_fet which;
};

/* Which inverter settings an "inverter" event changes: one bit per key. */
enum {
    SCN_INV_SET_MODE = 1u << 0,              /* "mode" */
    SCN_INV_SET_CHARGE_VOLTAGE = 1u << 1,    /* "charge_voltage_v" */
    SCN_INV_SET_CHARGE_CURRENT = 1u << 2,    /* "charge_current_a" */
    SCN_INV_SET_DISCHARGE_CURRENT = 1u << 3, /* "discharge_current_a" */
    SCN_INV_SET_CUTOFF_VOLTAGE = 1u << 4,    /* "cutoff_voltage_v" */
    SCN_INV_SET_MIN_SOC = 1u << 5,           /* "min_soc_pct" */
    SCN_INV_SET_WINDOW = 1u << 6,            /* "full_charge_window" */
    SCN_INV_SET_STANDBY = 1u << 7,           /* "standby_w" */
    SCN_INV_SET_CAN_TIMEOUT = 1u << 8,       /* "can_timeout" */
};

/* What the inverter is asked to do with the battery. It starts idle. */
enum scn_demand {
    SCN_DEMAND_KEEP,    /* the event does not change the set-point */
    SCN_DEMAND_POWER,   /* power_w: > 0 charges the battery, < 0 feeds a house load */
    SCN_DEMAND_CURRENT, /* current_a, same sign rule */
    SCN_DEMAND_IDLE,    /* "idle": true */
};

struct scn_inverter_change {
    unsigned set;              /* SCN_INV_SET_* bits: which fields of v apply */
    struct scn_inverter v;
    enum scn_demand demand;
    double power_w;
    double current_a;
};

struct scn_event {
    double at_s;
    enum scn_action action;
    int index;          /* position in the file's "events" list (events[index]) */
    struct scn_src src; /* the event's '{' */
    union {
        struct {
            int pack;
            double hold_s;
        } press;
        struct {
            double temperature_c;
            double ramp_s; /* 0: at once */
        } ambient;
        struct scn_inverter_change inverter;
        struct {
            bool off; /* "off": true; else connect with these settings */
            double voltage_v;
            double current_a;
        } charger;
        struct {
            bool connected;
        } can;
        struct scn_cable cable; /* wire, unwire */
        struct {
            int pack;
            bool connected;
        } power;
        struct scn_fault fault; /* fault, clear */
        struct {
            char *text;
        } note;
    } u;
};

/* ---- expectations ---- */

#define SCN_CHECK_LIST(X)                                                                   \
    X(STATE, "state")                                                                       \
    X(LEDS, "leds")                                                                         \
    X(PROTECT, "protect")                                                                   \
    X(FAULT, "fault")                                                                       \
    X(ALARM, "alarm")                                                                       \
    X(SOC, "soc")                                                                           \
    X(TRUE_SOC, "true_soc")                                                                 \
    X(VOLTAGE_V, "voltage_v")                                                               \
    X(CURRENT_A, "current_a")                                                               \
    X(CELL_V_MIN, "cell_v_min")                                                             \
    X(CELL_V_MAX, "cell_v_max")                                                             \
    X(TEMP_MIN_C, "temp_min_c")                                                             \
    X(TEMP_MAX_C, "temp_max_c")                                                             \
    X(DRY_PROHIBIT_CHARGE, "dry.prohibit_charge")                                           \
    X(DRY_PROHIBIT_DISCHARGE, "dry.prohibit_discharge")                                     \
    X(CAN_CVL_V, "can.cvl_v")                                                               \
    X(CAN_CCL_A, "can.ccl_a")                                                               \
    X(CAN_DCL_A, "can.dcl_a")                                                               \
    X(CAN_DVL_V, "can.dvl_v")                                                               \
    X(CAN_SOC, "can.soc")                                                                   \
    X(CAN_SOH, "can.soh")                                                                   \
    X(CAN_VOLTAGE_V, "can.voltage_v")                                                       \
    X(CAN_CURRENT_A, "can.current_a")                                                       \
    X(CAN_TEMP_C, "can.temp_c")                                                             \
    X(CAN_CHARGE_ENABLE, "can.charge_enable")                                               \
    X(CAN_DISCHARGE_ENABLE, "can.discharge_enable")                                         \
    X(CAN_FORCE_CHARGE, "can.force_charge")                                                 \
    X(CAN_FULL_CHARGE_REQUEST, "can.full_charge_request")                                   \
    X(CAN_PROTECT, "can.protect")                                                           \
    X(CAN_ALARM, "can.alarm")                                                               \
    X(ID, "id")                                                                             \
    X(EVENT, "event")

enum scn_check_key {
#define X(id, name) SCN_CHECK_##id,
    SCN_CHECK_LIST(X)
#undef X
    SCN_CHECK_COUNT
};

enum scn_value_kind {
    SCN_VAL_NUMBER, /* num, with the tolerance of docs/spec/SCENARIO.md (scn_match_number) */
    SCN_VAL_RANGE,  /* min..max inclusive */
    SCN_VAL_BOOL,   /* flag */
    SCN_VAL_INT,    /* integer, exact (id) */
    SCN_VAL_NAME,   /* integer: enum bms_state / bms_protect_id / bms_fault_id /
                       bms_alarm_id, or -1 for "none" */
    SCN_VAL_LEDS,   /* leds: 8 characters of 0 1 a b c, L8 first */
    SCN_VAL_IDS,    /* mask: bit (1u << id) per listed protection or alarm id */
    SCN_VAL_TEXT,   /* text (event) */
};

struct scn_check {
    enum scn_check_key key;
    enum scn_value_kind kind;
    struct scn_src src; /* the key in the file */
    double num, min, max;
    bool flag;
    int integer;
    uint32_t mask;
    char leds[9];
    char *text;
    /* Resolved at load so that a run compares integers, not names:
     * can.protect / can.alarm: the word (PYLON bits) the mask means on CAN;
     * event: the firmware events (kind, id) whose name is text, as bit sets
     * (bit k of ev_kinds[k / 64]); empty when no event has that name. */
    uint16_t can_word;
    uint64_t ev_kinds[4], ev_ids[4];
};

enum scn_when {
    SCN_WHEN_RUN,    /* no time given: every instant of the run */
    SCN_WHEN_AT,     /* "at": the instant t_s */
    SCN_WHEN_BY,     /* "by": some instant in [0, t_s] */
    SCN_WHEN_WINDOW, /* "from"/"to": every instant in [from_s, to_s] */
};

struct scn_expect {
    int index;          /* position in the file's "expect" list (expect[index]) */
    struct scn_src src; /* the expectation's '{' */
    enum scn_when when;
    double t_s;             /* at, by */
    double from_s, to_s;    /* window (also set for the others: the instants looked at) */
    char when_text[96];     /* "at 2h", "by 30m", "from 1h to 2h", "whole run" */
    int pack;               /* 1-4, or SCN_PACK_SYSTEM */
    int check_count;
    struct scn_check *checks; /* in file order */
};

/* ---- the scenario ---- */

struct scn_scenario {
    char path[512];     /* as given to scn_load, for messages */
    char *name;         /* default: the file name without directory and ".json" */
    char *description;  /* default "" */
    uint64_t seed;      /* default 1 */
    struct scn_datetime start; /* default 2026-01-01T00:00:00 */
    int64_t start_epoch_s;     /* start as seconds since 1970-01-01T00:00:00 (same clock) */
    double duration_s;
    char duration_text[32];    /* as written, for messages */
    double ambient_c;          /* default 25 */
    int pack_count;            /* 1-4 */
    struct scn_pack packs[SCN_MAX_PACKS];
    struct scn_link link;      /* default chain */
    bool has_inverter;         /* false for "inverter": null */
    struct scn_inverter inverter;
    int event_count;
    struct scn_event *events;  /* sorted by time; file order at equal times */
    int expect_count;
    struct scn_expect *expects; /* in file order */
    struct scn_profile_spec *profile; /* "profile" (docs/replay.md); NULL: none */
    struct scn_training *training; /* an exercise's block (gtx/training.h), NULL when none */
    struct scn_canlog_spec *can_log;  /* "can_log" (docs/replay.md); NULL: none */
};

/* Loads and validates PATH. Returns 0, or -1 with one complete message in err
 * ("FILE:LINE:COL: error: WHAT (expected WHAT)"); out is then empty (no need
 * to free it). */
int scn_load(const char *path, struct scn_scenario *out, char *err, size_t err_len);

/* The same from text in memory; path names it in messages and gives the
 * default name. */
int scn_load_text(const char *path, const char *text, size_t len, struct scn_scenario *out,
                  char *err, size_t err_len);

void scn_free(struct scn_scenario *scn);
/* Frees a list the loader made (the notes' texts, the checks' texts, the arrays). */
void scn_events_free(struct scn_event *events, int count);
void scn_expects_free(struct scn_expect *expects, int count);

/* Defaults of docs/spec/SCENARIO.md, for code that builds scenarios itself (the window). */
void scn_pack_defaults(struct scn_pack *pack, double ambient_c);
void scn_inverter_defaults(struct scn_inverter *inv);

/* A duration: digits with an optional fraction and a unit ms, s, m, h or d
 * ("250ms", "3.5s", "10m", "2h", "30d"). Returns 0 with seconds, or -1. Only
 * the syntax is checked here (the loader checks > 0 and <= 400 d). */
int scn_duration_parse(const char *text, double *seconds);

/* The same on the command line, where "300" is what the JSON number 300 is in
 * a scenario: seconds ("--at 300", "--until 0.5", "--at 2h"). */
int scn_duration_parse_arg(const char *text, double *seconds);

/* Compact text for seconds: "250ms", "90s", "10m", "2h", "30d", "1.5s". */
void scn_duration_format(double seconds, char *buf, size_t len);

/* Wall-clock time of simulated time t_s (the inverter's full-charge window). */
void scn_local_time(const struct scn_scenario *scn, double t_s, struct scn_datetime *out);

/* Port names "PACK.in" / "PACK.out"; parse returns 0 or -1 (pack not checked
 * against a scenario here beyond 1-4). */
int scn_port_parse(const char *text, struct scn_port *out);
void scn_port_format(struct scn_port port, char *buf, size_t len);

/* Names of docs/spec/SCENARIO.md and bms_ids.h; NULL (or -1) for out-of-range / unknown. */
const char *scn_action_name(enum scn_action action);
const char *scn_fault_kind_name(enum scn_fault_kind kind);
const char *scn_check_name(enum scn_check_key key);
const char *scn_state_name(int state);
const char *scn_protect_name(int id);
const char *scn_alarm_name(int id);
const char *scn_fault_name(int id);
int scn_state_from_name(const char *name);
int scn_protect_from_name(const char *name);
int scn_alarm_from_name(const char *name);
int scn_fault_from_name(const char *name);

/* The firmware events whose name (sim_event_name) is name: their kinds and ids
 * as bit sets (bit k of kinds[k / 64]); both empty when no event has that name. */
void scn_event_resolve(const char *name, uint64_t kinds[4], uint64_t ids[4]);

/* "a|b|c" of the names of the bits set in mask (bit = 1u << id), in id order,
 * "" when none. names(id) gives each name. Returns the length (as snprintf). */
int scn_format_ids(char *buf, size_t len, uint32_t mask, const char *(*names)(int id));

#endif
