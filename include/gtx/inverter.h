/* inverter.h: a Sofar-like low-voltage hybrid inverter as docs/spec/CAN.md ("The
 * simulated inverter's side") and docs/spec/SCENARIO.md ("The inverter") describe it.
 * The simulator feeds it the BMS's CAN frames and steps it; each step returns
 * what it asks of the DC bus and the frames it sends (the 0x305 heartbeat).
 */
#ifndef GTX_INVERTER_H
#define GTX_INVERTER_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/board.h"
#include "gtx/dcbus.h"
#include "gtx/pylon.h"

enum inv_mode {
    INV_MODE_LITHIUM, /* follows the BMS over CAN */
    INV_MODE_MANUAL,  /* ignores CAN: its own settings only (a misconfigured site) */
};

/* Its settings; inv_settings_default() gives docs/spec/SCENARIO.md's defaults. */
struct inv_settings {
    enum inv_mode mode;
    double charge_voltage_v;    /* 58.0; lithium: an upper bound on CVL */
    double charge_current_a;    /* 50 */
    double discharge_current_a; /* 50 */
    double cutoff_voltage_v;    /* 44.0; lithium: a lower bound under DVL */
    double min_soc_pct;         /* 10; lithium only, against the SOC of 0x355 */
    int window_start_s;         /* full-charge window, local seconds after midnight: 03:00 */
    int window_end_s;           /* 06:00 (a window may wrap past midnight) */
    double standby_w;           /* 15: its own draw from the battery when idle */
    double can_timeout_s;       /* 10 */
};

/* What the scenario asks it to do (event `inverter`: power_w, current_a, idle). */
enum inv_setpoint {
    INV_SP_IDLE,
    INV_SP_POWER,   /* power_w: > 0 charges the battery (PV/grid), < 0 feeds a house load */
    INV_SP_CURRENT, /* current_a, same sign rule */
};

enum inv_activity {
    INV_ACT_IDLE,              /* nothing asked: standby draw only */
    INV_ACT_WAITING,           /* lithium: no 0x351 yet */
    INV_ACT_COMM_LOST,         /* lithium: no BMS frame for can_timeout */
    INV_ACT_CHARGING,
    INV_ACT_DISCHARGING,
    INV_ACT_FORCE_CHARGING,    /* from the grid, on the BMS's force-charge request */
    INV_ACT_FULL_CHARGING,     /* in its window, on the BMS's full-charge request */
    INV_ACT_CHARGE_BLOCKED,    /* asked to charge, the BMS allows none */
    INV_ACT_DISCHARGE_BLOCKED, /* asked to discharge, the BMS allows none */
    INV_ACT_MIN_SOC,           /* asked to discharge, the SOC is at its min SOC */
};

/* What it asks of the DC bus (see struct dcbus_port): a target current into
 * the battery (> 0 charges) with CC then CV at v_max_v, discharge down to
 * v_min_v, and its constant-power standby draw when the current is 0. */
struct inv_request {
    double current_a;
    double v_max_v;
    double v_min_v;
    double standby_w;
};

struct inverter {
    struct inv_settings set;
    enum inv_setpoint sp;
    double sp_power_w;
    double sp_current_a;

    /* What it has heard (also the window's display of the BMS values). */
    struct pylon_state rx;
    struct pylon_heard rx_heard; /* the frames decoded into rx (pylon_decode_heard) */
    bool got_limits;        /* a 0x351 has arrived */
    bool heard;             /* any BMS frame has arrived */
    uint64_t last_rx_ms;    /* the last BMS frame (or inv_init's time) */
    uint64_t frames_rx;
    bool comm_lost;         /* shows "BMS communication lost" */

    /* What it did at the last step. */
    enum inv_activity activity;
    struct inv_request req;
    double ccl_a, dcl_a;    /* the charge / discharge current limits it applied */
    double cv_v, cutoff_v;  /* the voltage bounds it applied */
    bool in_window;         /* the time of day was in its full-charge window */

    uint64_t next_heartbeat_ms;
};

void inv_settings_default(struct inv_settings *s);

/* Starts it at now_ms: idle set-point, nothing heard, the CAN timeout
 * counted from now_ms, the first heartbeat at the first step. */
void inv_init(struct inverter *inv, const struct inv_settings *s, uint64_t now_ms);

/* New settings mid-run (the event `inverter` with inverter keys). */
void inv_configure(struct inverter *inv, const struct inv_settings *s);

void inv_set_idle(struct inverter *inv);
void inv_set_power(struct inverter *inv, double power_w);
void inv_set_current(struct inverter *inv, double current_a);

/* A frame from the bus. BMS frames (docs/spec/CAN.md's six) are decoded and reset the
 * CAN timeout; anything else is ignored. Returns true for a BMS frame. */
bool inv_on_can_frame(struct inverter *inv, uint64_t now_ms, const struct board_can_frame *f);

/* One step at now_ms, time_of_day_s the local time (0..86400) and bus_v the
 * bus voltage now. Fills *req and writes at most one frame to tx (the 0x305
 * heartbeat, once per second); returns the number of frames written. */
int inv_step(struct inverter *inv, uint64_t now_ms, double time_of_day_s, double bus_v,
             struct inv_request *req, struct board_can_frame *tx);

/* The request as the inverter's element on the DC bus. */
void inv_port(const struct inv_request *req, struct dcbus_port *port);

/* Local time of day for a run whose t = 0 is start_tod_s after midnight. */
double inv_time_of_day_s(double start_tod_s, uint64_t now_ms);

/* Whether time_of_day_s lies in [start, end) of its window (wrapping). */
bool inv_in_window(const struct inv_settings *s, double time_of_day_s);

/* Parses "HH:MM" (00:00-24:00) into seconds after midnight; false if malformed. */
bool inv_parse_clock(const char *text, int *seconds);

/* For the window and the logs. */
const char *inv_mode_name(enum inv_mode m);
const char *inv_activity_name(enum inv_activity a);
const char *inv_status_text(const struct inverter *inv); /* e.g. "BMS communication lost" */
bool inv_link_ok(const struct inverter *inv);             /* frames heard, not timed out */

#endif
