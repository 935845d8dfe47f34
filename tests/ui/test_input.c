/* test_input: synthetic SDL mouse events on a headless window hold the start
 * button of a shut-down pack. 3.5 s of simulated hold: the frames that follow
 * show the L8->L1 sweep (0.25 s per LED) and then the coding flash (flash 2,
 * all eight LEDs), then standby (R-BT-1); a 2 s hold does nothing (R-BT-2).
 */
#include <SDL.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/ui.h"
#include "ui_spec.h"
#include "ui_window.h"

/* The mouse on the one pack's start button. */
static void mouse(Uint32 type)
{
    int x, y;
    uiw_item_centre(1, 0, UI_PI_BUTTON, &x, &y);
    uiw_mouse(type, x, y);
}

/* Holds the button for hold_s of simulated time in 0.1 s frames; returns the
 * simulated time of the release. */
static uint64_t hold(struct ui *ui, double hold_s)
{
    mouse(SDL_MOUSEBUTTONDOWN);
    int frames = (int)(hold_s * 10.0 + 0.5);
    for (int i = 0; i < frames; i++) {
        ui_frame_sim(ui, 0.1);
        ck_assert_msg(spec_pins(ui_sim(ui), 0).button, "the simulated button is not held");
        ck_assert_msg(spec_screen_lit(ui, 1, 0) == 0, "LEDs lit while the button is still held");
    }
    mouse(SDL_MOUSEBUTTONUP);
    uint64_t release_ms = sim_view_now_ms(ui_sim(ui));
    ui_frame_sim(ui, 0.0); /* takes the release */
    ck_assert_msg(!spec_pins(ui_sim(ui), 0).button, "the button was not released");
    return release_ms;
}

START_TEST(test_short_press_does_nothing)
{
    struct ui *ui = uiw_open("input.json");
    ui_frame_sim(ui, 0.5);
    ck_assert_uint_eq(spec_screen_lit(ui, 1, 0), 0);
    hold(ui, 2.0);
    for (int i = 0; i < 40; i++) {
        ui_frame_sim(ui, 0.1);
        ck_assert_msg(spec_screen_lit(ui, 1, 0) == 0,
                      "a 2 s press lit LEDs (frame %d after release)", i);
        ck_assert_str_eq(scn_state_name((int)sim_view_status(ui_sim(ui), 0)->state),
                         "shutdown");
    }
    ui_destroy(ui);
}
END_TEST

START_TEST(test_long_press_starts)
{
    struct ui *ui = uiw_open("input.json");
    ui_frame_sim(ui, 0.5);
    uint64_t rel = hold(ui, 3.5);
    int sweep_seen = 0, coding_on = 0, coding_off = 0, checked = 0;
    while (sim_view_now_ms(ui_sim(ui)) < rel + 4900) {
        ui_frame_sim(ui, 0.05);
        /* after the tick at rel + dt */
        int dt = (int)(sim_view_now_ms(ui_sim(ui)) - SIM_TICK_MS - rel);
        uint8_t want;
        int margin;
        if (dt < 2000) { /* R-BT-1: L8 first, one more every 0.25 s, each stays lit */
            int n = dt / 250 + 1;
            want = (uint8_t)(0xffu << (8 - n));
            margin = dt % 250 < 250 - dt % 250 ? dt % 250 : 250 - dt % 250;
        } else { /* coding: all eight flash 2, starting lit */
            int ph = (dt - 2000) % 1000;
            want = ph < 500 ? 0xff : 0x00;
            int to_off = ph < 500 ? 500 - ph : ph - 500;
            margin = ph < to_off ? ph : to_off;
            margin = margin < 1000 - ph ? margin : 1000 - ph;
        }
        if (margin < 30)
            continue;
        uint8_t got = spec_screen_lit(ui, 1, 0);
        char ws[9], gs[9];
        spec_word(want, ws);
        spec_word(got, gs);
        ck_assert_msg(got == want, "%d ms after the release: wanted %s, the frame shows %s", dt,
                      ws, gs);
        checked++;
        if (dt < 2000)
            sweep_seen |= 1 << (dt / 250);
        else if (want)
            coding_on++;
        else
            coding_off++;
    }
    ck_assert_msg(sweep_seen == 0xff, "not every sweep step was looked at (%#x)", sweep_seen);
    ck_assert_msg(coding_on > 0 && coding_off > 0, "coding flash not seen both lit and dark");
    ck_assert_int_gt(checked, 60);
    /* After coding (3 s for a single pack): standby at 50 %: L1-L3 lit. */
    ui_frame_sim(ui, 1.0);
    ck_assert_str_eq(scn_state_name((int)sim_view_status(ui_sim(ui), 0)->state), "standby");
    ck_assert_uint_eq(spec_screen_lit(ui, 1, 0) & 0x7f, 0x07);
    ui_destroy(ui);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("input", test_short_press_does_nothing), /* R-BT-2: a 2 s hold does nothing */
    GTX_TEST(test_long_press_starts),                  /* R-BT-1: sweep, coding, standby */
};

int main(void)
{
    return gtx_check_main("ui_input", tests, GTX_COUNT(tests), 600, NULL, true);
}
