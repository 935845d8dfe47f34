/* ui_panel: one pack's front panel after the manual's interface figure (5.2):
 * LED bar L1-L6 / ALM / RUN, start button, power terminals, dry-contact
 * terminal, Link In/Out, CAN/RS485, RS232, LCD ports and ground. LEDs and
 * contacts are drawn from the board's outputs only (sim_view_pins).
 * Also the link cables between the panels and their re-wiring by mouse.
 */
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

/* The silk-screen under each LED: its number, and for L7/L8 also the name the
 * manual gives them (5.2: "L7 ALM", "L8 RUN"). */
static const char *const led_label[8][2] = {
    {"L1", NULL}, {"L2", NULL}, {"L3", NULL}, {"L4", NULL},
    {"L5", NULL}, {"L6", NULL}, {"L7", "ALM"}, {"L8", "RUN"},
};

struct port_row {
    enum ui_panel_item item;
    const char *label;
};

static const struct port_row port_table[] = {
    {UI_PI_LINK_IN, "LINK IN"}, {UI_PI_LINK_OUT, "LINK OUT"}, {UI_PI_CAN, "CAN/RS485"},
    {UI_PI_RS232, "RS232"},     {UI_PI_LCD_PORT, "LCD"},
};

static struct ui_rect item(const struct ui *ui, int pack, enum ui_panel_item it)
{
    struct ui_rect r = {0, 0, 0, 0};
    ui_layout_panel(sim_view_pack_count(ui->sim), pack, it, &r);
    return r;
}

/* How many marker dots a firmware LED mode gets: flash 1/2/3, or 0 (steady). */
static int flash_dots(uint8_t mode)
{
    switch (mode) {
    case BMS_LED_FLASH1: return 1;
    case BMS_LED_FLASH2: return 2;
    case BMS_LED_FLASH3: return 3;
    default: return 0;
    }
}

/* One LED: lit or dark as the pin is at this tick. A flashing one also gets a
 * ring in its colour and its pattern's dots, so a still image tells "flashing,
 * dark phase" from "off" and "flashing, lit" from "steady on" (a steady lit
 * LED has a soft glow instead of the ring). */
static void draw_led(struct ui *ui, int pack, int k, bool on, uint8_t mode)
{
    struct ui_rect r = item(ui, pack, (enum ui_panel_item)(UI_PI_LED1 + k));
    int cx, cy;
    ui_rect_centre(&r, &cx, &cy);
    bool red = k == 6;
    SDL_Color lit = ui_colour(red ? UI_C_LED_R_ON : UI_C_LED_G_ON);
    int dots = flash_dots(mode);
    if (dots) {
        ui_disk(ui, cx, cy, UI_LED_RING_OUT, lit);
        ui_disk(ui, cx, cy, UI_LED_RING_IN, ui_colour(UI_C_PANEL));
    } else if (on) {
        ui_disk(ui, cx, cy, 20, ui_colour(red ? UI_C_LED_R_GLOW : UI_C_LED_G_GLOW));
    }
    ui_disk(ui, cx, cy, 14, ui_colour(UI_C_BEZEL));
    ui_disk(ui, cx, cy, 11, on ? lit : ui_colour(red ? UI_C_LED_R_OFF : UI_C_LED_G_OFF));
    SDL_Color hl = {255, 255, 255, on ? 150 : 40};
    ui_disk(ui, cx - 5, cy - 5, 3, hl);
    int lh = ui_font_height(ui, UI_F_SMALL);
    for (int line = 0; line < 2 && led_label[k][line]; line++)
        ui_text(ui, UI_F_SMALL, cx, r.y + r.h + 8 + line * lh, UI_CENTRE, ui_colour(UI_C_SILK),
                led_label[k][line]);
    for (int d = 0; d < dots; d++) {
        struct ui_point p;
        if (ui_layout_flash_dot(sim_view_pack_count(ui->sim), pack, k, d, &p))
            ui_disk(ui, p.x, p.y, UI_LED_DOT_R, lit);
    }
}

/* The LED bar from the board's pins (sim_view_pins, this tick) and the
 * firmware's pattern of each LED (only for the flash marker). */
void ui_panel_draw_leds(struct ui *ui, int pack)
{
    struct sim_pins pins;
    sim_view_pins(ui->sim, pack, &pins);
    const sim_fw_status *st = sim_view_status(ui->sim, pack);
    for (int k = 0; k < 8; k++)
        draw_led(ui, pack, k, (pins.leds_lit >> k) & 1u, st->led_mode[k]);
}

static void draw_leds(struct ui *ui, int pack)
{
    ui_panel_draw_leds(ui, pack);
    struct ui_rect l1 = item(ui, pack, UI_PI_LED1), l6 = item(ui, pack, UI_PI_LED6);
    ui_set(ui, UI_C_DIM);
    SDL_RenderDrawLine(ui->ren, l1.x, l1.y - 8, l6.x + l6.w, l6.y - 8);
    ui_text(ui, UI_F_SMALL, (l1.x + l6.x + l6.w) / 2, l1.y - 22, UI_CENTRE, ui_colour(UI_C_DIM),
            "BATTERY LEVEL");
}

static void draw_button(struct ui *ui, int pack)
{
    struct ui_rect r = item(ui, pack, UI_PI_BUTTON);
    int cx, cy;
    ui_rect_centre(&r, &cx, &cy);
    struct sim_pins pins;
    sim_view_pins(ui->sim, pack, &pins);
    bool down = pins.button;
    ui_disk(ui, cx, cy, 26, ui_colour(UI_C_METAL));
    ui_disk(ui, cx, cy, 22, ui_colour(UI_C_BEZEL));
    SDL_Color cap = down ? (SDL_Color){70, 74, 80, 255} : (SDL_Color){104, 110, 118, 255};
    ui_disk(ui, cx, cy, down ? 16 : 18, cap);
    /* the power symbol printed on the cap */
    ui_arc(ui, cx, cy, 7, 1.0, ui_colour(UI_C_SILK));
    ui_set(ui, UI_C_SILK);
    SDL_Rect bar = {cx - 1, cy - 11, 3, 9};
    SDL_RenderFillRect(ui->ren, &bar);
    ui_text(ui, UI_F_SMALL, cx, r.y + r.h + 4, UI_CENTRE, ui_colour(UI_C_SILK), "START");
    if (ui->held_pack == pack) {
        double held = (double)(sim_view_now_ms(ui->sim) - ui->hold_since_ms);
        /* the ring fills at the firmware's own hold time; the firmware decides */
        double frac = held / (double)sim_view_button_hold_ms(ui->sim);
        ui_arc(ui, cx, cy, 28, frac, ui_colour(frac >= 1.0 ? UI_C_GOOD : UI_C_ACCENT));
        ui_textf(ui, UI_F_SMALL, cx, r.y - 16, UI_CENTRE,
                 ui_colour(frac >= 1.0 ? UI_C_GOOD : UI_C_TEXT), "held %.1f s", held / 1000.0);
    }
    ui_hit_add(ui, r, UI_ACT_START_BUTTON, pack);
}

static void draw_terminal(struct ui *ui, int x, int y, bool pos)
{
    ui_disk(ui, x, y, 12, ui_colour(pos ? UI_C_TERM_POS : UI_C_TERM_NEG));
    ui_disk(ui, x, y, 6, ui_colour(UI_C_METAL));
    ui_text(ui, UI_F_BOLD, x - 18, y - 9, UI_CENTRE, ui_colour(UI_C_SILK), pos ? "+" : "\xe2\x88\x92");
}

static void draw_power(struct ui *ui, int pack)
{
    struct ui_rect r = item(ui, pack, UI_PI_POWER);
    struct sim_pins pins;
    sim_view_pins(ui->sim, pack, &pins);
    bool conn = pins.power_connected;
    ui_text(ui, UI_F_SMALL, r.x + r.w / 2, r.y, UI_CENTRE, ui_colour(UI_C_SILK), "POWER");
    for (int pair = 0; pair < 2; pair++) {
        int y = r.y + 30 + pair * 34;
        draw_terminal(ui, r.x + 36, y, true);
        draw_terminal(ui, r.x + 88, y, false);
    }
    if (conn) { /* the cable lugs on the first pair */
        ui_disk(ui, r.x + 36, r.y + 30, 8, ui_colour(UI_C_TERM_POS));
        ui_disk(ui, r.x + 88, r.y + 30, 8, (SDL_Color){60, 60, 64, 255});
    }
    ui_text(ui, UI_F_SMALL, r.x + r.w / 2, r.y + r.h - 4, UI_CENTRE,
            ui_colour(conn ? UI_C_DIM : UI_C_BAD), conn ? "cabled" : "unplugged");
    ui_hit_add(ui, r, UI_ACT_POWER, pack);
}

static void draw_dry(struct ui *ui, int pack)
{
    struct ui_rect r = item(ui, pack, UI_PI_DRY);
    struct sim_pins io;
    sim_view_pins(ui->sim, pack, &io);
    ui_fill(ui, r, UI_C_PORT);
    ui_outline(ui, r, UI_C_PANEL_EDGE);
    ui_text(ui, UI_F_SMALL, r.x + r.w / 2, r.y + 3, UI_CENTRE, ui_colour(UI_C_SILK),
            "DRY CONTACT");
    const struct {
        enum ui_panel_item ind;
        const char *pins, *what;
        bool closed;
    } rows[2] = {
        {UI_PI_DRY_CHG, "1/2", "PROHIBIT CHARGE", io.prohibit_charge},
        {UI_PI_DRY_DSG, "3/4", "PROHIBIT DISCH.", io.prohibit_discharge},
    };
    for (int i = 0; i < 2; i++) {
        struct ui_rect ind = item(ui, pack, rows[i].ind);
        for (int pin = 0; pin < 2; pin++) /* the screw terminals */
            ui_disk(ui, r.x + 11, ind.y - 8 + pin * 14, 5, ui_colour(UI_C_METAL));
        ui_textf(ui, UI_F_SMALL, r.x + 24, ind.y - 17, UI_LEFT, ui_colour(UI_C_SILK), "%s %s",
                 rows[i].pins, rows[i].what);
        ui_text(ui, UI_F_BOLD, ind.x + ind.w + 8, ind.y - 2, UI_LEFT,
                ui_colour(rows[i].closed ? UI_C_DRY_CLOSED : UI_C_DIM),
                rows[i].closed ? "CLOSED" : "open");
        ui_fill(ui, ind, rows[i].closed ? UI_C_DRY_CLOSED : UI_C_DRY_OPEN);
        ui_outline(ui, ind, UI_C_PANEL_EDGE);
    }
}

/* The link cable in a port, as "2.in", or NULL. */
static bool link_peer(const struct sim *s, int pack, enum sim_port side, char *buf, size_t n)
{
    for (int i = 0; i < sim_view_cable_count(s); i++) {
        const struct sim_cable *c = sim_view_cable(s, i);
        if (c->pack_a == pack && c->side_a == side) {
            snprintf(buf, n, "%d.%s", c->pack_b + 1, c->side_b == SIM_PORT_IN ? "in" : "out");
            return true;
        }
        if (c->pack_b == pack && c->side_b == side) {
            snprintf(buf, n, "%d.%s", c->pack_a + 1, c->side_a == SIM_PORT_IN ? "in" : "out");
            return true;
        }
    }
    return false;
}

static void draw_port(struct ui *ui, struct ui_rect r, const char *label, const char *plug)
{
    ui_fill(ui, r, UI_C_PORT);
    ui_outline(ui, r, UI_C_PANEL_EDGE);
    struct ui_rect hole = {r.x + r.w / 2 - 12, r.y + 6, 24, 18};
    ui_fill(ui, hole, UI_C_PORT_HOLE);
    ui_fill(ui, (struct ui_rect){hole.x + 8, hole.y + hole.h, 8, 3}, UI_C_PORT_HOLE);
    if (plug) { /* a plugged cable: its boot over the jack and the lead going down */
        ui_fill(ui, (struct ui_rect){hole.x - 2, hole.y - 2, hole.w + 4, hole.h + 4}, UI_C_CABLE);
        ui_fill(ui, (struct ui_rect){r.x + r.w / 2 - 4, r.y + r.h, 8, 8}, UI_C_CABLE);
        ui_text(ui, UI_F_SMALL, r.x + r.w / 2, r.y + 8, UI_CENTRE, ui_colour(UI_C_TEXT), plug);
    }
    ui_text(ui, UI_F_SMALL, r.x + r.w / 2, r.y + r.h + 8, UI_CENTRE, ui_colour(UI_C_SILK), label);
}

static void draw_ports(struct ui *ui, int pack)
{
    const struct sim *s = ui->sim;
    for (size_t i = 0; i < sizeof port_table / sizeof port_table[0]; i++) {
        struct ui_rect r = item(ui, pack, port_table[i].item);
        char peer[16];
        const char *plug = NULL;
        switch (port_table[i].item) {
        case UI_PI_LINK_IN:
        case UI_PI_LINK_OUT: {
            enum sim_port side = port_table[i].item == UI_PI_LINK_IN ? SIM_PORT_IN : SIM_PORT_OUT;
            if (link_peer(s, pack, side, peer, sizeof peer))
                plug = peer;
            ui_hit_add(ui, r, UI_ACT_LINK_PORT, pack * 2 + (side == SIM_PORT_OUT));
            break;
        }
        case UI_PI_CAN:
            if (pack == 0 && sim_view_inverter(s) && sim_view_can_connected(s))
                plug = "INV";
            ui_hit_add(ui, r, UI_ACT_CAN, 0);
            break;
        case UI_PI_LCD_PORT:
            if (pack == ui->selected)
                plug = "LCD";
            break;
        default:
            break;
        }
        draw_port(ui, r, port_table[i].label, plug);
        bool link = port_table[i].item == UI_PI_LINK_IN || port_table[i].item == UI_PI_LINK_OUT;
        if (link && ui->link_pending == pack * 2 + (port_table[i].item == UI_PI_LINK_OUT)) {
            /* the first end of a new cable: waiting for the click on the second port */
            for (int k = 0; k < 3; k++)
                ui_outline(ui, (struct ui_rect){r.x - 1 - k, r.y - 1 - k, r.w + 2 + 2 * k,
                                                r.h + 2 + 2 * k}, UI_C_WARN);
            ui_text(ui, UI_F_SMALL, r.x + r.w / 2, r.y + 8, UI_CENTRE, ui_colour(UI_C_WARN),
                    "to\xe2\x80\xa6");
        }
    }
    struct ui_rect g = item(ui, pack, UI_PI_GROUND);
    int cx, cy;
    ui_rect_centre(&g, &cx, &cy);
    ui_set(ui, UI_C_SILK);
    SDL_RenderDrawLine(ui->ren, cx, g.y + 2, cx, cy);
    for (int i = 0; i < 3; i++)
        SDL_RenderDrawLine(ui->ren, cx - 10 + 3 * i, cy + 4 * i, cx + 10 - 3 * i, cy + 4 * i);
    ui_text(ui, UI_F_SMALL, cx, g.y + g.h + 8, UI_CENTRE, ui_colour(UI_C_SILK), "GND");
}

void ui_panel_draw(struct ui *ui, int pack)
{
    struct ui_rect body = item(ui, pack, UI_PI_BODY);
    const sim_fw_status *st = sim_view_status(ui->sim, pack);
    ui_hit_add(ui, body, UI_ACT_SELECT, pack);
    ui_fill(ui, body, UI_C_PANEL);
    ui_fill(ui, (struct ui_rect){body.x, body.y, body.w, 3}, UI_C_PANEL_EDGE);
    ui_outline(ui, body, pack == ui->selected ? UI_C_PANEL_SEL : UI_C_PANEL_EDGE);
    if (pack == ui->selected)
        ui_outline(ui, (struct ui_rect){body.x + 1, body.y + 1, body.w - 2, body.h - 2},
                   UI_C_PANEL_SEL);
    struct ui_rect title = item(ui, pack, UI_PI_TITLE);
    int w = ui_text(ui, UI_F_TITLE, title.x, title.y + 2, UI_LEFT, ui_colour(UI_C_SILK), "AMASS");
    ui_text(ui, UI_F_TITLE, title.x + 6 + w, title.y + 2, UI_LEFT, ui_colour(UI_C_ACCENT),
            "GTX2500");
    /* A failed coding (R-PA-2) leaves whatever ID the wake gave: no valid code. */
    bool coded = st->pack_id && !(st->fault_mask & (1u << BMS_FAULT_CODING));
    char id[32];
    if (coded)
        snprintf(id, sizeof id, "ID %u%s", st->pack_id, st->is_master ? " \xc2\xb7 MASTER" : "");
    else
        snprintf(id, sizeof id, "ID \xe2\x80\x94");
    struct ui_rect idr = item(ui, pack, UI_PI_ID);
    ui_textf(ui, UI_F_BOLD, idr.x, idr.y - 18, UI_LEFT, ui_colour(UI_C_SILK), "PACK %d", pack + 1);
    ui_text(ui, UI_F_BOLD, idr.x, idr.y, UI_LEFT, ui_colour(coded ? UI_C_ACCENT : UI_C_DIM), id);
    if (pack == ui->selected)
        ui_text(ui, UI_F_SMALL, idr.x, idr.y + 20, UI_LEFT, ui_colour(UI_C_DIM),
                "shown on the LCD");
    draw_leds(ui, pack);
    draw_button(ui, pack);
    draw_power(ui, pack);
    draw_dry(ui, pack);
    draw_ports(ui, pack);
}

/* ---- link cables ---- */

#define CABLE_CORE 4 /* px of colour, with a dark 1 px edge on each side */
#define CABLE_HIT 12 /* px across that a click on a cable counts */

/* One saturated colour per cable, unlike anything on a panel. */
static const uint8_t cable_rgb[8][3] = {
    {255, 140, 20}, {230, 60, 200}, {30, 210, 230}, {240, 225, 40},
    {150, 110, 255}, {255, 90, 120}, {120, 230, 60}, {250, 250, 250},
};

void ui_cable_rgb(int pack_a, bool out_a, int pack_b, bool out_b, uint8_t rgb[3])
{
    int pa = pack_a * 2 + out_a, pb = pack_b * 2 + out_b;
    int k = (pa < pb ? pa : pb) & 7;
    memcpy(rgb, cable_rgb[k], 3);
}

/* The rectangle of a segment from p to q, w px across (axis-aligned). */
static struct ui_rect seg_rect(struct ui_point p, struct ui_point q, int w)
{
    int x0 = p.x < q.x ? p.x : q.x, x1 = p.x < q.x ? q.x : p.x;
    int y0 = p.y < q.y ? p.y : q.y, y1 = p.y < q.y ? q.y : p.y;
    int h = w / 2;
    return (struct ui_rect){x0 - h, y0 - h, x1 - x0 + w, y1 - y0 + w};
}

static void draw_route(struct ui *ui, const struct ui_point *pts, int n, SDL_Color col)
{
    for (int pass = 0; pass < 2; pass++) {
        SDL_Color c = pass ? col : ui_colour(UI_C_BEZEL);
        SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, 255);
        for (int i = 0; i + 1 < n; i++) {
            struct ui_rect r = seg_rect(pts[i], pts[i + 1], pass ? CABLE_CORE : CABLE_CORE + 2);
            SDL_Rect sr = {r.x, r.y, r.w, r.h};
            SDL_RenderFillRect(ui->ren, &sr);
        }
    }
}

void ui_cables_draw(struct ui *ui)
{
    const struct sim *s = ui->sim;
    for (int i = 0; i < sim_view_cable_count(s); i++) {
        const struct sim_cable *c = sim_view_cable(s, i);
        bool oa = c->side_a == SIM_PORT_OUT, ob = c->side_b == SIM_PORT_OUT;
        struct ui_point pts[UI_CABLE_PTS];
        int n = ui_layout_cable(sim_view_pack_count(s), c->pack_a, oa, c->pack_b, ob, i, pts);
        uint8_t rgb[3];
        ui_cable_rgb(c->pack_a, oa, c->pack_b, ob, rgb);
        draw_route(ui, pts, n, (SDL_Color){rgb[0], rgb[1], rgb[2], 255});
        for (int k = 0; k + 1 < n; k++)
            ui_hit_add(ui, seg_rect(pts[k], pts[k + 1], CABLE_HIT), UI_ACT_CABLE, i);
    }
}

static void cable_event(struct ui *ui, enum scn_action what, struct sim_cable c)
{
    struct scn_event ev;
    memset(&ev, 0, sizeof ev);
    ev.at_s = sim_time_s(ui->sim);
    ev.action = what;
    ev.u.cable.a = (struct scn_port){c.pack_a + 1, c.side_a == SIM_PORT_OUT ? SCN_PORT_OUT
                                                                           : SCN_PORT_IN};
    ev.u.cable.b = (struct scn_port){c.pack_b + 1, c.side_b == SIM_PORT_OUT ? SCN_PORT_OUT
                                                                           : SCN_PORT_IN};
    ui_apply(ui, &ev);
    char pa[16], pb[16];
    scn_port_format(ev.u.cable.a, pa, sizeof pa);
    scn_port_format(ev.u.cable.b, pb, sizeof pb);
    ui_log_add(ui, 0, "link cable %s-%s %s", pa, pb,
               what == SCN_DO_WIRE ? "plugged" : "unplugged");
}

/* The cable in a port (arg form), or -1. */
static int cable_at(const struct sim *s, int port)
{
    int pack = port / 2;
    enum sim_port side = port % 2 ? SIM_PORT_OUT : SIM_PORT_IN;
    for (int i = 0; i < sim_view_cable_count(s); i++) {
        const struct sim_cable *c = sim_view_cable(s, i);
        if ((c->pack_a == pack && c->side_a == side) || (c->pack_b == pack && c->side_b == side))
            return i;
    }
    return -1;
}

/* A click on a cable, or a plugged port, unplugs it. A click on a free port
 * picks it as the first end; the next free port clicked is the second end
 * (any pair: mis-wiring In to In is what trainers want to show); a second
 * click on the first end forgets it. */
void ui_cables_click(struct ui *ui, int action, int arg)
{
    struct sim *s = ui->sim;
    if (action == UI_ACT_CABLE) {
        if (arg >= 0 && arg < sim_view_cable_count(s))
            cable_event(ui, SCN_DO_UNWIRE, *sim_view_cable(s, arg));
        return;
    }
    int ports = sim_view_pack_count(s) * 2;
    if (arg < 0 || arg >= ports)
        return;
    int in = cable_at(s, arg);
    if (in >= 0) {
        cable_event(ui, SCN_DO_UNWIRE, *sim_view_cable(s, in));
        return;
    }
    if (ui->link_pending < 0 || ui->link_pending >= ports ||
        cable_at(s, ui->link_pending) >= 0) {
        ui->link_pending = arg;
        return;
    }
    if (ui->link_pending != arg) {
        struct sim_cable c = {ui->link_pending / 2,
                              ui->link_pending % 2 ? SIM_PORT_OUT : SIM_PORT_IN, arg / 2,
                              arg % 2 ? SIM_PORT_OUT : SIM_PORT_IN};
        cable_event(ui, SCN_DO_WIRE, c);
    }
    ui->link_pending = -1;
}
