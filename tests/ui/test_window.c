/* test_window: offscreen frames of the window's side parts (issue 16): the
 * inverter's 0x359 line says what the protocol's bits mean and stays inside
 * its panel, the fault dialog leaves every pack's ALM and RUN in sight, and
 * the scenario picker shows each scenario's description, and L7/L8 are
 * labelled with their manual names too.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/ui.h"
#include "ui_spec.h"
#include "ui_window.h"

static struct ui *open_ui(const char *name, const char *dialog)
{
    if (!dialog) {
        char file[256];
        snprintf(file, sizeof file, "%s.json", name);
        return uiw_open(file);
    }
    char path[1024], err[1024];
    snprintf(path, sizeof path, "%s/%s.json", uiw_env("UI_TESTS"), name);
    struct ui_opts o = {.scenario = path, .headless = true, .dialog = dialog};
    struct ui *ui = ui_create(&o, err, sizeof err);
    ck_assert_msg(ui != NULL, "%s", err);
    return ui;
}

static bool same(const uint8_t a[3], const uint8_t b[3])
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

/* Every pixel of r is the colour of its top-left pixel: nothing drawn there. */
static void assert_plain(struct ui *ui, struct ui_rect r, const char *what)
{
    uint8_t ref[3], px[3];
    ck_assert(ui_pixel(ui, r.x, r.y, ref));
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            ck_assert(ui_pixel(ui, x, y, px));
            ck_assert_msg(same(px, ref), "%s: something drawn at (%d,%d): %u,%u,%u", what, x, y,
                          px[0], px[1], px[2]);
        }
}

/* The inverter decodes 0x359 bits, not BMS ids: during charge_ot the
 * protection byte's table A bit 3 is "over-temperature" (CAN.md), and the
 * text stays inside the panel (the right padding and beyond stay empty). */
static void check_0x359(const char *scenario, double at_s, const char *protection)
{
    struct ui *ui = open_ui(scenario, NULL);
    ui_run_to(ui, at_s);
    ck_assert_str_eq(ui_inverter_0x359(ui, 0), protection);
    ck_assert_msg(strncmp(ui_inverter_0x359(ui, 1), "alarm: ", 7) == 0, "%s",
                  ui_inverter_0x359(ui, 1));
    struct ui_rect a;
    ui_layout_area(1, UI_AREA_INVERTER, &a);
    assert_plain(ui, (struct ui_rect){a.x + a.w - 8, a.y + 30, 7, a.h - 60}, "right padding");
    assert_plain(ui, (struct ui_rect){a.x + a.w + 1, a.y + 30, UI_W - a.x - a.w - 1, a.h - 60},
                 "right of the inverter panel");
    ui_destroy(ui);
}

START_TEST(test_0x359_protocol_names)
{
    check_0x359("charge_protect", 30.0, "protection: over-temperature");
    /* an open NTC reads below -40 °C: under-temperature (table A bit 4), and
     * the fault is "BMS system error" (table B bit 3), not "ntc sense fet ..." */
    check_0x359("fault", 10.0, "protection: under-temperature, BMS system error");
}
END_TEST

/* With the fault dialog open, every LED of every pack (ALM and RUN above all)
 * shows exactly as without it: centre, ring and marker pixels alike. */
START_TEST(test_dialog_keeps_leds)
{
    static const struct {
        const char *scenario;
        double at_s;
        int packs;
    } cases[] = {{"charge_protect", 30.0, 1}, {"standby_40", 12.1, 1}, {"chain_4", 30.0, 4}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct ui *ui = open_ui(cases[c].scenario, NULL);
        ui_run_to(ui, cases[c].at_s);
        enum { SPOTS = 4 };
        const struct { int dx, dy; } spot[SPOTS] = {{0, 0}, {0, 16}, {-17, 0}, {12, 27}};
        uint8_t before[4][8][SPOTS][3];
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                ui_show_faults(ui, true);
                ui_frame_sim(ui, 0.0);
            }
            for (int p = 0; p < cases[c].packs; p++)
                for (int k = 0; k < 8; k++) {
                    struct ui_rect r;
                    int x, y;
                    ck_assert(ui_layout_panel(cases[c].packs, p,
                                              (enum ui_panel_item)(UI_PI_LED1 + k), &r));
                    ui_rect_centre(&r, &x, &y);
                    for (int s = 0; s < SPOTS; s++) {
                        uint8_t px[3];
                        ck_assert(ui_pixel(ui, x + spot[s].dx, y + spot[s].dy, px));
                        if (pass == 0)
                            memcpy(before[p][k][s], px, 3);
                        else
                            ck_assert_msg(same(px, before[p][k][s]),
                                          "%s: pack %d L%d (%+d,%+d) is %u,%u,%u with the "
                                          "dialog open, %u,%u,%u without",
                                          cases[c].scenario, p + 1, k + 1, spot[s].dx,
                                          spot[s].dy, px[0], px[1], px[2], before[p][k][s][0],
                                          before[p][k][s][1], before[p][k][s][2]);
                    }
                }
        }
        ui_destroy(ui);
    }
}
END_TEST

/* L7 and L8 carry their manual names under their numbers ("L7" over "ALM",
 * "L8" over "RUN"): silk-screen text on the second label line under those two
 * and on the first under all eight. */
static int white_pixels(struct ui *ui, struct ui_rect r)
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            uint8_t px[3];
            ck_assert(ui_pixel(ui, x, y, px));
            n += px[0] > 160 && px[1] > 160 && px[2] > 160;
        }
    return n;
}

START_TEST(test_led_labels)
{
    struct ui *ui = open_ui("standby_40", NULL);
    ui_run_to(ui, 13.0);
    for (int k = 0; k < 8; k++) {
        struct ui_rect r;
        ck_assert(ui_layout_panel(1, 0, (enum ui_panel_item)(UI_PI_LED1 + k), &r));
        struct ui_rect line1 = {r.x - 6, r.y + r.h + 8, r.w + 12, 13};
        struct ui_rect line2 = {r.x - 6, r.y + r.h + 8 + 14, r.w + 12, 12};
        ck_assert_msg(white_pixels(ui, line1) > 5, "L%d: no label", k + 1);
        int second = white_pixels(ui, line2);
        ck_assert_msg((second > 5) == (k >= 6), "L%d: %d pixels of a second label line", k + 1,
                      second);
    }
    ui_destroy(ui);
}
END_TEST

/* Text pixels in the description colour (the glyphs' cores are exactly it). */
static int dim_pixels(struct ui *ui, struct ui_rect r)
{
    const uint8_t dim[3] = {140, 146, 156};
    return spec_count_colour(ui, r, dim);
}

/* The picker shows each scenario's description beside its name, on up to two
 * lines: every shown row has text there, the long ones on both lines, and
 * none runs past the description's column. */
START_TEST(test_picker_descriptions)
{
    struct ui *ui = open_ui("standby_40", "scenarios");
    ui_frame_sim(ui, 0.0);
    int rows = 0, two_lines = 0;
    struct ui_rect name, desc;
    for (int k = 0; ui_layout_picker_row(k, &name, &desc); k++) {
        uint8_t px[3], button[3] = {58, 62, 70};
        ck_assert(ui_pixel(ui, name.x + 3, name.y + 3, px));
        if (!same(px, button) && k > 0)
            break; /* past the last scenario */
        struct ui_rect line1 = {desc.x, desc.y, desc.w, desc.h / 2};
        struct ui_rect line2 = {desc.x, desc.y + desc.h / 2, desc.w, desc.h / 2};
        ck_assert_msg(dim_pixels(ui, line1) > 40, "row %d: no description", k);
        two_lines += dim_pixels(ui, line2) > 40;
        ck_assert_int_eq(dim_pixels(ui, (struct ui_rect){desc.x + desc.w + 1, desc.y, 6,
                                                         desc.h}), 0);
        rows++;
    }
    ck_assert_int_ge(rows, 15); /* the library has more scenarios than that */
    ck_assert_int_ge(two_lines, rows / 2); /* most descriptions are longer than a line */
    ui_destroy(ui);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("window", test_0x359_protocol_names),
    GTX_TEST(test_dialog_keeps_leds),
    GTX_TEST(test_picker_descriptions),
    GTX_TEST(test_led_labels),
};

int main(void)
{
    return gtx_check_main("ui_window", tests, GTX_COUNT(tests), 600, NULL, true);
}
