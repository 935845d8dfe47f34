/* inverter.c: the Sofar-like inverter's decisions. Lithium mode obeys the last
 * BMS limits and flags it heard (docs/spec/CAN.md); manual mode uses only its own
 * settings. The CC/CV physics is the DC bus's: this file only sets bounds.
 */
#include "gtx/inverter.h"

#include <math.h>
#include <string.h>

#define HEARTBEAT_PERIOD_MS 1000u
#define DAY_S 86400.0
#define NOMINAL_V 51.2   /* converts a power set-point before the bus has a voltage */
#define MIN_BUS_V 10.0   /* below this the bus voltage is not a usable divisor */

static const struct inv_settings default_settings = {
    .mode = INV_MODE_LITHIUM,
    .charge_voltage_v = 58.0,
    .charge_current_a = 50.0,
    .discharge_current_a = 50.0,
    .cutoff_voltage_v = 44.0,
    .min_soc_pct = 10.0,
    .window_start_s = 3 * 3600,
    .window_end_s = 6 * 3600,
    .standby_w = 15.0,
    .can_timeout_s = 10.0,
};

/* Per activity: its name in traces and the inverter's status text. */
static const struct {
    const char *name;
    const char *text;
} activity_rows[] = {
    [INV_ACT_IDLE] = {"idle", "Standby"},
    [INV_ACT_WAITING] = {"waiting", "Waiting for BMS"},
    [INV_ACT_COMM_LOST] = {"comm_lost", "BMS communication lost"},
    [INV_ACT_CHARGING] = {"charging", "Charging"},
    [INV_ACT_DISCHARGING] = {"discharging", "Discharging"},
    [INV_ACT_FORCE_CHARGING] = {"force_charging", "Force charging (BMS request)"},
    [INV_ACT_FULL_CHARGING] = {"full_charging", "Full charge (BMS request)"},
    [INV_ACT_CHARGE_BLOCKED] = {"charge_blocked", "Charging not allowed by BMS"},
    [INV_ACT_DISCHARGE_BLOCKED] = {"discharge_blocked", "Discharging not allowed by BMS"},
    [INV_ACT_MIN_SOC] = {"min_soc", "Battery at min SOC"},
};
#define ACTIVITY_COUNT (sizeof activity_rows / sizeof activity_rows[0])

void inv_settings_default(struct inv_settings *s)
{
    *s = default_settings;
}

void inv_init(struct inverter *inv, const struct inv_settings *s, uint64_t now_ms)
{
    memset(inv, 0, sizeof *inv);
    inv->set = *s;
    inv->sp = INV_SP_IDLE;
    pylon_state_init(&inv->rx);
    inv->last_rx_ms = now_ms;
    inv->next_heartbeat_ms = now_ms;
    inv->activity = inv->set.mode == INV_MODE_LITHIUM ? INV_ACT_WAITING : INV_ACT_IDLE;
}

void inv_configure(struct inverter *inv, const struct inv_settings *s)
{
    inv->set = *s;
}

void inv_set_idle(struct inverter *inv)
{
    inv->sp = INV_SP_IDLE;
}

void inv_set_power(struct inverter *inv, double power_w)
{
    inv->sp = INV_SP_POWER;
    inv->sp_power_w = power_w;
}

void inv_set_current(struct inverter *inv, double current_a)
{
    inv->sp = INV_SP_CURRENT;
    inv->sp_current_a = current_a;
}

bool inv_on_can_frame(struct inverter *inv, uint64_t now_ms, const struct board_can_frame *f)
{
    uint32_t seen = pylon_decode_heard(&inv->rx, &inv->rx_heard, f);
    if (!seen)
        return false;
    inv->heard = true;
    inv->frames_rx++;
    inv->last_rx_ms = now_ms;
    inv->comm_lost = false; /* resumes by itself when frames come again */
    if (seen == PYLON_SEEN_LIMITS)
        inv->got_limits = true;
    return true;
}

static uint64_t timeout_ms(const struct inv_settings *s)
{
    return s->can_timeout_s > 0.0 ? (uint64_t)llround(s->can_timeout_s * 1000.0) : 0;
}

/* The set-point as a current into the battery at this bus voltage. */
static double wanted_current_a(const struct inverter *inv, double bus_v)
{
    switch (inv->sp) {
    case INV_SP_POWER:
        return inv->sp_power_w / (bus_v > MIN_BUS_V ? bus_v : NOMINAL_V);
    case INV_SP_CURRENT:
        return inv->sp_current_a;
    case INV_SP_IDLE:
        break;
    }
    return 0.0;
}

static double at_least_0(double x)
{
    return x > 0.0 ? x : 0.0;
}

/* Manual mode: its own settings, whatever the BMS says. */
static void decide_manual(struct inverter *inv, double want_a)
{
    const struct inv_settings *s = &inv->set;
    inv->ccl_a = at_least_0(s->charge_current_a);
    inv->dcl_a = at_least_0(s->discharge_current_a);
    inv->cv_v = s->charge_voltage_v;
    inv->cutoff_v = s->cutoff_voltage_v;
    inv->comm_lost = false;
    if (want_a > 0.0) {
        inv->req.current_a = fmin(want_a, inv->ccl_a);
        inv->activity = INV_ACT_CHARGING;
    } else if (want_a < 0.0) {
        inv->req.current_a = -fmin(-want_a, inv->dcl_a);
        inv->activity = INV_ACT_DISCHARGING;
    } else {
        inv->activity = INV_ACT_IDLE;
    }
}

/* Lithium mode: the last 0x351/0x35C/0x355 it heard bound what it does. */
static void decide_lithium(struct inverter *inv, double want_a)
{
    const struct inv_settings *s = &inv->set;
    const struct pylon_state *rx = &inv->rx;
    /* Until a 0x35C arrives the enable bits are unknown: the limits rule alone. */
    bool flags_known = (rx->seen & PYLON_SEEN_FLAGS) != 0;
    bool charge_ok = !flags_known || rx->charge_enable;
    bool discharge_ok = !flags_known || rx->discharge_enable;
    inv->ccl_a = charge_ok ? fmin(at_least_0(rx->ccl_a), at_least_0(s->charge_current_a)) : 0.0;
    inv->dcl_a =
        discharge_ok ? fmin(at_least_0(rx->dcl_a), at_least_0(s->discharge_current_a)) : 0.0;
    inv->cv_v = fmin(rx->cvl_v, s->charge_voltage_v);
    inv->cutoff_v = fmax(rx->dvl_v, s->cutoff_voltage_v);

    if (!inv->got_limits) {
        inv->activity = INV_ACT_WAITING;
        return;
    }
    if (inv->comm_lost) {
        inv->activity = INV_ACT_COMM_LOST;
        return;
    }
    bool force = flags_known && rx->force_charge;
    bool full = flags_known && rx->full_charge_request && inv->in_window;
    if (force || full) {
        /* From the grid at the most the BMS and its settings allow. */
        inv->req.current_a = inv->ccl_a;
        inv->activity = inv->ccl_a > 0.0 ? (force ? INV_ACT_FORCE_CHARGING
                                                  : INV_ACT_FULL_CHARGING)
                                         : INV_ACT_CHARGE_BLOCKED;
        return;
    }
    if (want_a > 0.0) {
        inv->req.current_a = fmin(want_a, inv->ccl_a);
        inv->activity = inv->ccl_a > 0.0 ? INV_ACT_CHARGING : INV_ACT_CHARGE_BLOCKED;
    } else if (want_a < 0.0) {
        /* The SOC is an integer in 0x355: at or below min SOC it stops. */
        bool soc_known = (rx->seen & PYLON_SEEN_SOC) != 0;
        if (soc_known && rx->soc_pct <= s->min_soc_pct) {
            inv->activity = INV_ACT_MIN_SOC;
            return;
        }
        inv->req.current_a = -fmin(-want_a, inv->dcl_a);
        inv->activity = inv->dcl_a > 0.0 ? INV_ACT_DISCHARGING : INV_ACT_DISCHARGE_BLOCKED;
    } else {
        inv->activity = INV_ACT_IDLE;
    }
}

int inv_step(struct inverter *inv, uint64_t now_ms, double time_of_day_s, double bus_v,
             struct inv_request *req, struct board_can_frame *tx)
{
    const struct inv_settings *s = &inv->set;
    bool lithium = s->mode == INV_MODE_LITHIUM;
    uint64_t limit_ms = timeout_ms(s);
    if (lithium && limit_ms > 0 && now_ms >= inv->last_rx_ms &&
        now_ms - inv->last_rx_ms >= limit_ms)
        inv->comm_lost = true;
    inv->in_window = inv_in_window(s, time_of_day_s);

    inv->req = (struct inv_request){0};
    double want_a = wanted_current_a(inv, bus_v);
    if (lithium)
        decide_lithium(inv, want_a);
    else
        decide_manual(inv, want_a);
    inv->req.v_max_v = inv->cv_v;
    inv->req.v_min_v = inv->cutoff_v;
    /* Its own electronics run from the battery only while it moves no power. */
    inv->req.standby_w = inv->req.current_a == 0.0 ? at_least_0(s->standby_w) : 0.0;
    *req = inv->req;

    int sent = 0;
    if (now_ms >= inv->next_heartbeat_ms) {
        pylon_heartbeat(tx);
        sent = 1;
        /* Keep the 1 s phase; a coarse step sends one, not a burst. */
        uint64_t behind = now_ms - inv->next_heartbeat_ms;
        inv->next_heartbeat_ms = now_ms - behind % HEARTBEAT_PERIOD_MS + HEARTBEAT_PERIOD_MS;
    }
    return sent;
}

void inv_port(const struct inv_request *req, struct dcbus_port *port)
{
    *port = (struct dcbus_port){.on = true, .current_a = req->current_a,
                                .v_max_v = req->v_max_v, .v_min_v = req->v_min_v,
                                .power_w = req->standby_w};
}

double inv_time_of_day_s(double start_tod_s, uint64_t now_ms)
{
    double t = fmod(start_tod_s + (double)now_ms / 1000.0, DAY_S);
    return t < 0.0 ? t + DAY_S : t;
}

bool inv_in_window(const struct inv_settings *s, double time_of_day_s)
{
    double a = s->window_start_s, b = s->window_end_s, t = time_of_day_s;
    if (a == b)
        return false;
    if (a < b)
        return t >= a && t < b;
    return t >= a || t < b; /* wraps past midnight */
}

bool inv_parse_clock(const char *text, int *seconds)
{
    if (!text || strlen(text) != 5 || text[2] != ':')
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (text[i] < '0' || text[i] > '9'))
            return false;
    int h = (text[0] - '0') * 10 + (text[1] - '0');
    int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return false;
    *seconds = h * 3600 + m * 60;
    return true;
}

const char *inv_mode_name(enum inv_mode m)
{
    return m == INV_MODE_MANUAL ? "manual" : "lithium";
}

const char *inv_activity_name(enum inv_activity a)
{
    return (unsigned)a < ACTIVITY_COUNT ? activity_rows[a].name : "?";
}

const char *inv_status_text(const struct inverter *inv)
{
    unsigned a = (unsigned)inv->activity;
    return a < ACTIVITY_COUNT ? activity_rows[a].text : "?";
}

bool inv_link_ok(const struct inverter *inv)
{
    return inv->heard && !inv->comm_lost;
}
