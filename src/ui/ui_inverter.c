/* ui_inverter: the inverter panel (mode, CAN link, what it last decoded, its
 * power set-point standing for PV surplus or house load, the grid balance, the
 * CAN cable), the external charger and the room temperature. Every control
 * goes through the same scenario actions a timeline would play.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

/* The set-point buttons: > 0 PV/grid charges the battery, < 0 a house load. */
static const int power_table_w[] = {-3000, -1500, -500, 0, 500, 1500, 3000};
#define POWER_COUNT ((int)(sizeof power_table_w / sizeof power_table_w[0]))

/* The external charger the button connects (CC then CV). */
#define CHARGER_V 56.0
#define CHARGER_A 20.0

static const int ambient_steps_dd[] = {-50, -10, 10, 50}; /* 0.1 °C */

/* The names an inverter decodes from one 0x359 word (the protocol's bit
 * names, not the BMS ids behind them), after a heading: "protection: none". */
static void word_names(char *buf, size_t n, const char *heading, uint16_t word, bool alarm)
{
    const char *names[16];
    size_t k = alarm ? pylon_alarm_bit_names(word, names, 16)
                     : pylon_protect_bit_names(word, names, 16);
    size_t used = (size_t)snprintf(buf, n, "%s: %s", heading, k ? "" : "none");
    for (size_t i = 0; i < k && i < 16 && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", names[i]);
}

static void row(struct ui *ui, int x, int y, const char *key, SDL_Color col, const char *value)
{
    ui_text(ui, UI_F_SMALL, x, y + 1, UI_LEFT, ui_colour(UI_C_DIM), key);
    ui_text(ui, UI_F_NORMAL, x + 78, y, UI_LEFT, col, value);
}

/* The 0x359 block: what the inverter decoded, protection bits first, then the
 * alarm bits, each wrapped in the value column over ALARM_LINES lines at most
 * (a name too many ends its last line with an ellipsis: nothing is clipped). */
#define ALARM_LINES 3
#define ALARM_PITCH 17

static void draw_0x359(struct ui *ui, int x, int y, int w, const struct pylon_state *rx)
{
    uint16_t pw = pylon_protect_word(rx), aw = pylon_alarm_word(rx);
    word_names(ui->inv_359[0], sizeof ui->inv_359[0], "protection", pw, false);
    word_names(ui->inv_359[1], sizeof ui->inv_359[1], "alarm", aw, true);
    ui_text(ui, UI_F_SMALL, x, y + 1, UI_LEFT, ui_colour(UI_C_DIM), "0x359");
    int used = ui_text_wrap(ui, UI_F_NORMAL, x + 78, y, w - 78, ALARM_PITCH, ALARM_LINES - 1,
                            ui_colour(pw ? UI_C_BAD : UI_C_TEXT), ui->inv_359[0]);
    ui_text_wrap(ui, UI_F_NORMAL, x + 78, y + used * ALARM_PITCH, w - 78, ALARM_PITCH,
                 ALARM_LINES - used, ui_colour(aw ? UI_C_WARN : UI_C_TEXT), ui->inv_359[1]);
}

void ui_inverter_draw(struct ui *ui)
{
    struct sim *s = ui->sim;
    struct ui_rect a = ui_area_frame(ui, UI_AREA_INVERTER);
    ui->inv_359[0][0] = ui->inv_359[1][0] = '\0';
    int x = a.x + 10, y = a.y + 6;
    ui_text(ui, UI_F_BOLD, x, y, UI_LEFT, ui_colour(UI_C_TEXT), "INVERTER");
    char buf[200];
    const struct inverter *inv = sim_view_inverter(s);
    bool can_in = sim_view_can_connected(s);
    if (!inv) {
        ui_text(ui, UI_F_NORMAL, x + 90, y, UI_LEFT, ui_colour(UI_C_DIM),
                "none in this scenario");
    } else {
        ui_text(ui, UI_F_SMALL, x + 90, y + 1, UI_LEFT, ui_colour(UI_C_DIM),
                "Sofar-like LV hybrid, mode:");
        ui_button(ui, (struct ui_rect){x + 270, y - 2, 76, 22}, inv_mode_name(inv->set.mode),
                  UI_ACT_INV_MODE, 0, inv->set.mode == INV_MODE_MANUAL);
        ui_button(ui, (struct ui_rect){a.x + a.w - 124, y - 2, 114, 22},
                  can_in ? "CAN cable: in" : "CAN cable: out", UI_ACT_CAN, 0, !can_in);
        y += 26;
        bool ok = can_in && inv_link_ok(inv);
        snprintf(buf, sizeof buf, "%s", !can_in ? "cable unplugged"
                                        : ok             ? "OK, frames arriving"
                                                         : inv_status_text(inv));
        row(ui, x, y, "CAN link", ui_colour(ok ? UI_C_GOOD : UI_C_BAD), buf);
        if (inv->comm_lost)
            ui_text(ui, UI_F_BOLD, a.x + a.w - 10, y, UI_RIGHT, ui_colour(UI_C_BAD),
                    "BMS communication lost");
        y += 20;
        const struct pylon_state *rx = &inv->rx;
        snprintf(buf, sizeof buf, "CVL %.1f V  CCL %.1f A  DCL %.1f A  DVL %.1f V", rx->cvl_v,
                 rx->ccl_a, rx->dcl_a, rx->dvl_v);
        row(ui, x, y, "decoded", ui_colour(UI_C_TEXT), inv->got_limits ? buf : "nothing yet");
        y += 20;
        snprintf(buf, sizeof buf, "SOC %d %%  SOH %d %%  %.2f V  %+.1f A  %.1f \xc2\xb0" "C",
                 rx->soc_pct, rx->soh_pct, rx->voltage_v, rx->current_a, rx->temp_c);
        row(ui, x, y, "", ui_colour(UI_C_TEXT), inv->heard ? buf : "");
        y += 20;
        snprintf(buf, sizeof buf, "%s %s %s %s", rx->charge_enable ? "CHG-EN" : "chg-off",
                 rx->discharge_enable ? "DSG-EN" : "dsg-off",
                 rx->force_charge ? "FORCE" : "", rx->full_charge_request ? "FULL-REQ" : "");
        row(ui, x, y, "flags", ui_colour(UI_C_TEXT), inv->heard ? buf : "");
        y += 20;
        if (inv->heard)
            draw_0x359(ui, x, y, a.w - 20, rx);
        y += ALARM_LINES * ALARM_PITCH + 1;
        row(ui, x, y, "doing", ui_colour(UI_C_ACCENT), inv_activity_name(inv->activity));
        y += 24;
        ui_text(ui, UI_F_SMALL, x, y + 4, UI_LEFT, ui_colour(UI_C_DIM), "set W");
        for (int i = 0; i < POWER_COUNT; i++) {
            int w = power_table_w[i];
            char label[16];
            if (w)
                snprintf(label, sizeof label, "%+d", w);
            else
                snprintf(label, sizeof label, "idle");
            bool on = w == 0 ? inv->sp == INV_SP_IDLE
                             : inv->sp == INV_SP_POWER && fabs(inv->sp_power_w - w) < 0.5;
            ui_button(ui, (struct ui_rect){x + 44 + i * 60, y, 56, 22}, label, UI_ACT_INV_POWER, i,
                      on);
        }
        y += 26;
        /* PV surplus or house load from the set-point; the grid covers the rest. */
        double batt_w = sim_view_bus_v(s) * sim_view_inverter_a(s); /* > 0 into the battery */
        double pv = inv->sp == INV_SP_POWER && inv->sp_power_w > 0 ? inv->sp_power_w : 0.0;
        double load = inv->sp == INV_SP_POWER && inv->sp_power_w < 0 ? -inv->sp_power_w : 0.0;
        double grid = load - pv + batt_w; /* > 0 imported */
        snprintf(buf, sizeof buf, "PV %.0f W   house %.0f W   battery %+.0f W   grid %+.0f W", pv,
                 load, batt_w, grid);
        row(ui, x, y, "power", ui_colour(UI_C_TEXT), buf);
    }
    y = a.y + a.h - 26;
    const struct charger *chg = sim_view_charger(s);
    enum chg_mode cm = chg_mode_of(chg, sim_view_charger_a(s));
    ui_button(ui, (struct ui_rect){x, y, 120, 22}, chg->on ? "charger: on" : "charger: off",
              UI_ACT_CHARGER, 0, chg->on);
    snprintf(buf, sizeof buf, "external DC charger %.1f V / %.0f A: %s, %.1f A", CHARGER_V,
             CHARGER_A, chg_mode_name(cm), sim_view_charger_a(s));
    ui_text(ui, UI_F_SMALL, x + 130, y + 4, UI_LEFT, ui_colour(UI_C_DIM), buf);
}

const char *ui_inverter_0x359(const struct ui *ui, int which)
{
    return which == 0 || which == 1 ? ui->inv_359[which] : "";
}

void ui_room_draw(struct ui *ui)
{
    struct sim *s = ui->sim;
    struct ui_rect a = ui_area_frame(ui, UI_AREA_ROOM);
    double room_c = sim_view_room_c(s);
    ui_text(ui, UI_F_BOLD, a.x + 10, a.y + 11, UI_LEFT, ui_colour(UI_C_TEXT), "ROOM");
    ui_textf(ui, UI_F_TITLE, a.x + 70, a.y + 9, UI_LEFT, ui_colour(UI_C_TEXT),
             "%.1f \xc2\xb0" "C", room_c);
    for (int i = 0; i < 4; i++) {
        char label[16];
        snprintf(label, sizeof label, "%+g", ambient_steps_dd[i] / 10.0);
        ui_button(ui, (struct ui_rect){a.x + 190 + i * 46, a.y + 8, 42, 24}, label,
                  UI_ACT_AMBIENT, ambient_steps_dd[i], false);
    }
    ui_text(ui, UI_F_SMALL, a.x + a.w - 10, a.y + 13, UI_RIGHT, ui_colour(UI_C_DIM),
            "\xe2\x86\x91/\xe2\x86\x93 keys: \xc2\xb1" "1 \xc2\xb0" "C");
}

/* The inverter, charger and room controls. */
void ui_inverter_click(struct ui *ui, int action, int arg)
{
    struct sim *s = ui->sim;
    struct scn_event ev;
    memset(&ev, 0, sizeof ev);
    ev.at_s = sim_time_s(s);
    switch (action) {
    case UI_ACT_CAN:
        if (!sim_view_inverter(s))
            return;
        ev.action = SCN_DO_CAN;
        ev.u.can.connected = !sim_view_can_connected(s);
        break;
    case UI_ACT_CHARGER:
        ev.action = SCN_DO_CHARGER;
        ev.u.charger.off = sim_view_charger(s)->on;
        ev.u.charger.voltage_v = CHARGER_V;
        ev.u.charger.current_a = CHARGER_A;
        break;
    case UI_ACT_INV_MODE:
        ev.action = SCN_DO_INVERTER;
        ev.u.inverter.set = SCN_INV_SET_MODE;
        if (!sim_view_inverter(s))
            return;
        ev.u.inverter.v.mode = sim_view_inverter(s)->set.mode == INV_MODE_LITHIUM
                                   ? SCN_INV_MANUAL
                                   : SCN_INV_LITHIUM;
        ev.u.inverter.demand = SCN_DEMAND_KEEP;
        break;
    case UI_ACT_INV_POWER:
        if (arg < 0 || arg >= POWER_COUNT)
            return;
        ev.action = SCN_DO_INVERTER;
        ev.u.inverter.demand = power_table_w[arg] ? SCN_DEMAND_POWER : SCN_DEMAND_IDLE;
        ev.u.inverter.power_w = power_table_w[arg];
        break;
    case UI_ACT_AMBIENT:
        ev.action = SCN_DO_AMBIENT;
        ev.u.ambient.temperature_c = sim_view_room_c(s) + arg / 10.0;
        if (ev.u.ambient.temperature_c < -40.0 || ev.u.ambient.temperature_c > 85.0)
            return;
        break;
    default:
        return;
    }
    ui_apply(ui, &ev);
}
