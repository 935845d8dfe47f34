/* ui_layout.h: where the window draws things, in logical pixels of a 1280x800
 * canvas (scaled to the real window). One table per area; the screenshot tests
 * read LED and dry-contact positions from here, so tests and drawing agree.
 */
#ifndef GTX_UI_LAYOUT_H
#define GTX_UI_LAYOUT_H

#include <stdbool.h>

#define UI_W 1280
#define UI_H 800
#define UI_MAX_PACKS 4

struct ui_rect {
    int x, y, w, h;
};

struct ui_point {
    int x, y;
};

/* The parts of one pack's front panel (manual 5.2, "Interface Introduction"). */
enum ui_panel_item {
    UI_PI_BODY,
    UI_PI_LED1, /* L1 .. L6 level, L7 ALM, L8 RUN: UI_PI_LED1 + k for LED k+1 */
    UI_PI_LED2,
    UI_PI_LED3,
    UI_PI_LED4,
    UI_PI_LED5,
    UI_PI_LED6,
    UI_PI_LED7,
    UI_PI_LED8,
    UI_PI_BUTTON,      /* the start button (a circle inside this square) */
    UI_PI_POWER,       /* the two pairs of power terminals */
    UI_PI_DRY,         /* the dry-contact terminal block */
    UI_PI_DRY_CHG,     /* indicator: contact 1/2 "prohibit charging" closed */
    UI_PI_DRY_DSG,     /* indicator: contact 3/4 "prohibit discharging" closed */
    UI_PI_LINK_IN,
    UI_PI_LINK_OUT,
    UI_PI_CAN,
    UI_PI_RS232,
    UI_PI_LCD_PORT,
    UI_PI_GROUND,
    UI_PI_TITLE,       /* "AMASS GTX2500": right of the cable drops and lanes */
    UI_PI_LED_STRIP,   /* the LEDs with their rings, labels and flash markers */
    UI_PI_ID,          /* the line "ID 2" (after coding) or "ID -" (no valid code) */
    UI_PI_COUNT
};

/* A flashing LED (firmware mode flash 1/2/3) is drawn with a ring in its
 * colour from UI_LED_RING_IN to UI_LED_RING_OUT px around its centre, lit or
 * dark as the pin is, and a marker of its pattern: 1, 2 or 3 dots of radius
 * UI_LED_DOT_R beside its label. A steady LED has no ring and no dots. */
#define UI_LED_RING_IN 15
#define UI_LED_RING_OUT 18
#define UI_LED_DOT_R 3

/* The window's areas. */
enum ui_area {
    UI_AREA_TOPBAR,
    UI_AREA_PANELS, /* the front panels, stacked */
    UI_AREA_PLOTS,  /* below the panels (may be empty with 4 packs) */
    UI_AREA_LCD,
    UI_AREA_INVERTER,
    UI_AREA_ROOM,
    UI_AREA_LOG,
    UI_AREA_DIALOG, /* fault menu, scenario picker, help */
    UI_AREA_COUNT
};

/* The rectangle of a panel item of pack (0-based) in a system of n_packs.
 * Returns false for an out-of-range pack or item. */
bool ui_layout_panel(int n_packs, int pack, enum ui_panel_item item, struct ui_rect *out);

/* The centre of dot (0-2) of LED led's (0 = L1 .. 7 = L8) flash marker. */
bool ui_layout_flash_dot(int n_packs, int pack, int led, int dot, struct ui_point *out);

/* The scenario picker's row (0 = the first shown): the file name's button and
 * the description beside it (two lines, ellipsized). False past the last row
 * that fits in the dialog. */
bool ui_layout_picker_row(int row, struct ui_rect *name, struct ui_rect *desc);

/* The rectangle of an area for a system of n_packs. */
void ui_layout_area(int n_packs, enum ui_area area, struct ui_rect *out);

/* Link cables: a port is a pack (0-based) and a side; the route is an
 * axis-aligned polyline from port a's edge to port b's edge. An Out port's
 * cable leaves downwards into the gap below its panel, an In port's upwards
 * into the gap above it, so a chain cable (k.out to k+1.in) is one short run
 * in the gap between the two panels; any other pair goes round the panels'
 * left margin in lane 0-3 (one per cable, clear of the LEDs). */
#define UI_CABLE_PTS 6
#define UI_CABLE_LANES 4

/* Fills pts with the route; returns how many points (4 or 6), 0 for a bad port. */
int ui_layout_cable(int n_packs, int pack_a, bool out_a, int pack_b, bool out_b, int lane,
                    struct ui_point pts[UI_CABLE_PTS]);

/* The centre of r. */
void ui_rect_centre(const struct ui_rect *r, int *x, int *y);
bool ui_rect_contains(const struct ui_rect *r, int x, int y);

#endif
