/* test_lcd: the extended LCD area shows what the firmware sent on its LCD UART
 * (docs/lcd-protocol.md), and those are the pack's values at that instant
 * (R-PT-3): the decoded frames against the simulation, the drawn text lines
 * against the decoded frames, and one screenshot that has the text on it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/ui.h"
#include "ui_spec.h"
#include "ui_window.h"

static bool has(const struct ui *ui, int line, const char *text)
{
    return strstr(ui_lcd_line(ui, line), text) != NULL;
}

START_TEST(test_lcd_values)
{
    struct ui *ui = uiw_open("charging_60.json");
    ui_run_to(ui, 30.0);
    const sim_fw_status *st = sim_view_status(ui_sim(ui), 0);
    const struct bms_lcd_view *v = ui_lcd_view(ui);
    ck_assert_uint_ge(ui_lcd_frames(ui), 50); /* a status and a text frame every second */

    /* The decoded frame carries the pack's values (it is at most 1 s old). */
    ck_assert_str_eq(scn_state_name(v->state), "charging");
    ck_assert_uint_eq(v->state, st->state);
    ck_assert_uint_eq(v->soc_pct, st->soc_shown_pct);
    ck_assert_uint_eq(v->pack_id, 1);
    ck_assert(v->flags & LCD_FLAG_MASTER);
    ck_assert(v->flags & LCD_FLAG_CHARGE_ENABLE);
    ck_assert_int_le(abs((int)v->voltage_mV - (int)st->battery_mV), 50);
    ck_assert_int_le(abs(v->current_mA - st->current_mA), 300);
    ck_assert_int_gt(v->current_mA, 20000); /* 1500 W at ~53 V: about 28 A */
    ck_assert_int_le(abs((int)v->cell_min_mV - (int)st->cell_min_mV), 10);
    ck_assert_int_le(abs((int)v->cell_max_mV - (int)st->cell_max_mV), 10);
    ck_assert_int_le(abs(v->temp_min_ddegC - st->temp_min_ddegC), 3);
    ck_assert_int_le(abs(v->temp_max_ddegC - st->temp_max_ddegC), 3);
    ck_assert_uint_eq(v->soh_pct, st->soh_pct);

    /* The drawn lines say exactly those values. */
    ck_assert_int_eq(ui_lcd_line_count(ui), 10);
    char want[64];
    ck_assert(has(ui, 0, "ID 1 MASTER"));
    ck_assert(has(ui, 0, "charging"));
    snprintf(want, sizeof want, "SOC %3u %%", st->soc_shown_pct);
    ck_assert_msg(has(ui, 1, want), "'%s' not in '%s'", want, ui_lcd_line(ui, 1));
    snprintf(want, sizeof want, "U %6.2f V", v->voltage_mV / 1000.0);
    ck_assert_msg(has(ui, 2, want), "'%s' not in '%s'", want, ui_lcd_line(ui, 2));
    snprintf(want, sizeof want, "I %+6.1f A", v->current_mA / 1000.0);
    ck_assert_msg(has(ui, 2, want), "'%s' not in '%s'", want, ui_lcd_line(ui, 2));
    snprintf(want, sizeof want, "Vmin %5.3f V #%-2u", v->cell_min_mV / 1000.0, st->cell_min_no);
    ck_assert_msg(has(ui, 3, want), "'%s' not in '%s'", want, ui_lcd_line(ui, 3));
    snprintf(want, sizeof want, "Vmax %5.3f V #%-2u", v->cell_max_mV / 1000.0, st->cell_max_no);
    ck_assert_msg(has(ui, 3, want), "'%s' not in '%s'", want, ui_lcd_line(ui, 3));
    ck_assert(has(ui, 5, "CHG ON"));
    ck_assert(has(ui, 6, "PROT none"));
    ck_assert(has(ui, 8, "FLT  none"));
    ck_assert_msg(has(ui, 9, v->text), "message row '%s'", ui_lcd_line(ui, 9));

    /* One screenshot: the LCD's glass is lit and carries dark text. */
    char png[1024];
    snprintf(png, sizeof png, "%s/lcd-charging.png", uiw_env("UI_OUT"));
    ck_assert_int_eq(ui_save_png(ui, png), 0);
    int w, h;
    uint8_t *rgb = spec_png_read(png, &w, &h);
    ck_assert(rgb != NULL);
    struct ui_rect a;
    ui_layout_area(1, UI_AREA_LCD, &a);
    long dark = 0, lit = 0;
    for (int y = a.y + 24; y < a.y + a.h - 10; y++)
        for (int x = a.x + 12; x < a.x + a.w - 12; x++) {
            const uint8_t *p = &rgb[((size_t)y * (size_t)w + (size_t)x) * 3];
            if (p[0] < 80 && p[1] < 90 && p[2] < 60)
                dark++;
            else if (p[1] > 170 && p[0] > 120 && p[2] < 110)
                lit++;
        }
    double frac = (double)dark / (double)(dark + lit);
    ck_assert_msg(frac > 0.05 && frac < 0.5, "LCD text pixels: %.3f of the glass", frac);
    free(rgb);
    ui_destroy(ui);
}
END_TEST

/* A shut-down pack sends nothing: the LCD shows no values at all. */
START_TEST(test_lcd_only_from_frames)
{
    struct ui *ui = uiw_open("shutdown.json");
    ui_run_to(ui, 5.0);
    ck_assert_uint_eq(ui_lcd_frames(ui), 0);
    ck_assert_int_eq(ui_lcd_line_count(ui), 0);
    ui_destroy(ui);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("lcd", test_lcd_values),     /* the frames carry the pack's values */
    GTX_TEST(test_lcd_only_from_frames), /* the lines are drawn from the frames alone */
};

int main(void)
{
    return gtx_check_main("ui_lcd", tests, GTX_COUNT(tests), 600, NULL, true);
}
