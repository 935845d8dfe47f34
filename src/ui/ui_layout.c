/* ui_layout: the layout tables of the window (logical 1280x800 pixels). The
 * front panel is one table of rectangles relative to the panel's corner; the
 * panels stack down the left column, the LCD and controls fill the right one.
 */
#include "gtx/ui_layout.h"

#define PANEL_X 10
#define PANEL_Y 52
#define PANEL_W 750
#define PANEL_H 172
#define PANEL_PITCH 178
#define RIGHT_X 770
#define RIGHT_W 500
#define GAP_MID 3        /* the middle of the 6 px gap between stacked panels */
#define LANE_X 15        /* the first cable lane, in the panels' left margin */
#define LANE_PITCH 4

/* Relative to the panel's top-left corner. L1-L6 in a row, then ALM and RUN
 * set apart as on the product's LED bar. */
static const struct ui_rect panel_table[UI_PI_COUNT] = {
    [UI_PI_BODY] = {0, 0, PANEL_W, PANEL_H},
    [UI_PI_LED1] = {24, 56, 24, 24},
    [UI_PI_LED2] = {64, 56, 24, 24},
    [UI_PI_LED3] = {104, 56, 24, 24},
    [UI_PI_LED4] = {144, 56, 24, 24},
    [UI_PI_LED5] = {184, 56, 24, 24},
    [UI_PI_LED6] = {224, 56, 24, 24},
    [UI_PI_LED7] = {276, 56, 24, 24},
    [UI_PI_LED8] = {316, 56, 24, 24},
    [UI_PI_BUTTON] = {380, 40, 52, 52},
    [UI_PI_POWER] = {456, 22, 116, 84},
    [UI_PI_DRY] = {588, 18, 150, 92},
    [UI_PI_DRY_CHG] = {612, 54, 28, 14},
    [UI_PI_DRY_DSG] = {612, 90, 28, 14},
    [UI_PI_LINK_IN] = {24, 118, 64, 30},
    [UI_PI_LINK_OUT] = {100, 118, 64, 30},
    [UI_PI_CAN] = {186, 118, 76, 30},
    [UI_PI_RS232] = {280, 118, 64, 30},
    [UI_PI_LCD_PORT] = {362, 118, 56, 30},
    [UI_PI_GROUND] = {700, 118, 30, 30},
    [UI_PI_TITLE] = {72, 4, 200, 26},
    [UI_PI_LED_STRIP] = {8, 46, 362, 70},
    [UI_PI_ID] = {436, 128, 170, 18},
};

#define DOT_DX 12    /* the first flash-marker dot, right of the LED's centre */
#define DOT_PITCH 8
#define DOT_DY 15    /* below the LED's rectangle: the middle of its label */

bool ui_layout_panel(int n_packs, int pack, enum ui_panel_item item, struct ui_rect *out)
{
    if (n_packs < 1 || n_packs > UI_MAX_PACKS || pack < 0 || pack >= n_packs ||
        (int)item < 0 || item >= UI_PI_COUNT)
        return false;
    struct ui_rect r = panel_table[item];
    r.x += PANEL_X;
    r.y += PANEL_Y + pack * PANEL_PITCH;
    *out = r;
    return true;
}

bool ui_layout_flash_dot(int n_packs, int pack, int led, int dot, struct ui_point *out)
{
    struct ui_rect r;
    if (led < 0 || led > 7 || dot < 0 || dot > 2 ||
        !ui_layout_panel(n_packs, pack, (enum ui_panel_item)(UI_PI_LED1 + led), &r))
        return false;
    out->x = r.x + r.w / 2 + DOT_DX + dot * DOT_PITCH;
    out->y = r.y + r.h + DOT_DY;
    return true;
}

/* Where a port's cable leaves it: the edge's centre and the gap it runs to. */
static bool port_exit(int n_packs, int pack, bool out, struct ui_point *edge, int *gap_y)
{
    struct ui_rect r, body;
    if (!ui_layout_panel(n_packs, pack, out ? UI_PI_LINK_OUT : UI_PI_LINK_IN, &r) ||
        !ui_layout_panel(n_packs, pack, UI_PI_BODY, &body))
        return false;
    edge->x = r.x + r.w / 2;
    edge->y = out ? r.y + r.h : r.y;
    *gap_y = out ? body.y + body.h + GAP_MID : body.y - GAP_MID;
    return true;
}

int ui_layout_cable(int n_packs, int pack_a, bool out_a, int pack_b, bool out_b, int lane,
                    struct ui_point pts[UI_CABLE_PTS])
{
    struct ui_point a, b;
    int ga, gb;
    if (!port_exit(n_packs, pack_a, out_a, &a, &ga) || !port_exit(n_packs, pack_b, out_b, &b, &gb))
        return 0;
    if (ga == gb) { /* both ends open onto the same gap */
        pts[0] = a;
        pts[1] = (struct ui_point){a.x, ga};
        pts[2] = (struct ui_point){b.x, gb};
        pts[3] = b;
        return 4;
    }
    if (lane < 0)
        lane = 0;
    int lx = LANE_X + (lane % UI_CABLE_LANES) * LANE_PITCH;
    pts[0] = a;
    pts[1] = (struct ui_point){a.x, ga};
    pts[2] = (struct ui_point){lx, ga};
    pts[3] = (struct ui_point){lx, gb};
    pts[4] = (struct ui_point){b.x, gb};
    pts[5] = b;
    return 6;
}

void ui_layout_area(int n_packs, enum ui_area area, struct ui_rect *out)
{
    if (n_packs < 1)
        n_packs = 1;
    if (n_packs > UI_MAX_PACKS)
        n_packs = UI_MAX_PACKS;
    int panels_h = n_packs * PANEL_PITCH - (PANEL_PITCH - PANEL_H);
    int plots_y = PANEL_Y + panels_h + 8;
    switch (area) {
    case UI_AREA_TOPBAR: *out = (struct ui_rect){0, 0, UI_W, 46}; return;
    case UI_AREA_PANELS: *out = (struct ui_rect){PANEL_X, PANEL_Y, PANEL_W, panels_h}; return;
    case UI_AREA_PLOTS:
        *out = (struct ui_rect){PANEL_X, plots_y, PANEL_W, UI_H - 8 - plots_y};
        if (out->h < 0)
            out->h = 0;
        return;
    case UI_AREA_LCD: *out = (struct ui_rect){RIGHT_X, 52, RIGHT_W, 206}; return;
    case UI_AREA_INVERTER: *out = (struct ui_rect){RIGHT_X, 264, RIGHT_W, 262}; return;
    case UI_AREA_ROOM: *out = (struct ui_rect){RIGHT_X, 532, RIGHT_W, 40}; return;
    case UI_AREA_LOG: *out = (struct ui_rect){RIGHT_X, 578, RIGHT_W, 214}; return;
    /* right of every pack's LED strip, so ALM and RUN stay in sight */
    case UI_AREA_DIALOG: *out = (struct ui_rect){384, 52, 886, 740}; return;
    case UI_AREA_COUNT: break;
    }
    *out = (struct ui_rect){0, 0, 0, 0};
}

#define PICK_TOP 50   /* the first row, below the dialog's title */
#define PICK_PITCH 34 /* a row: the name's button and two lines of description */
#define PICK_NAME_W 250

bool ui_layout_picker_row(int row, struct ui_rect *name, struct ui_rect *desc)
{
    struct ui_rect d;
    ui_layout_area(1, UI_AREA_DIALOG, &d);
    if (row < 0 || PICK_TOP + (row + 1) * PICK_PITCH > d.h - 10)
        return false;
    int y = d.y + PICK_TOP + row * PICK_PITCH;
    *name = (struct ui_rect){d.x + 16, y, PICK_NAME_W, PICK_PITCH - 4};
    int dx = name->x + PICK_NAME_W + 12;
    *desc = (struct ui_rect){dx, y + 1, d.x + d.w - 48 - dx, PICK_PITCH - 4};
    return true;
}

void ui_rect_centre(const struct ui_rect *r, int *x, int *y)
{
    *x = r->x + r->w / 2;
    *y = r->y + r->h / 2;
}

bool ui_rect_contains(const struct ui_rect *r, int x, int y)
{
    return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}
