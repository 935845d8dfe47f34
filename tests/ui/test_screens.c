/* test_screens: `gtxsim gui SCENARIO --screenshot FILE.png --at T` with no
 * display, for every LED row of docs/spec/PRODUCT.md §4 (and the start-up sweep and the
 * coding flash): each LED centre and both dry-contact indicators of the PNG
 * must show what §4 and R-DC-1 say at that instant, flash phase included.
 * Environment: GTXSIM (the program), UI_TESTS (this folder), UI_OUT (outputs).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/ui_layout.h"
#include "ui_spec.h"
#include "ui_window.h"

struct screen_case {
    const char *file;
    const char *at;   /* as given to --at */
    double at_s;
    const char *state;
    bool dry_chg, dry_dsg; /* R-DC-1: prohibit charging / discharging closed */
};

static const struct screen_case cases[] = {
    {"standby_40", "12.1s", 12.1, "standby", false, false},  /* L8 flash 1 in its 0.25 s on */
    {"standby_40", "13s", 13.0, "standby", false, false},    /* ... and off */
    {"charging_60", "20.3s", 20.3, "charging", false, false},
    {"charging_60", "20.8s", 20.8, "charging", false, false},
    {"discharging_90", "20.3s", 20.3, "discharging", false, false},
    {"discharging_90", "21.3s", 21.3, "discharging", false, false},
    {"full", "400s", 400.0, "full", true, false},             /* CCL 0 after full */
    {"charge_protect", "30s", 30.0, "charge_protect", true, false},
    {"uvp", "60s", 60.0, "uvp", false, true},
    {"fault", "10s", 10.0, "fault", true, true},
    {"shutdown", "5s", 5.0, "shutdown", true, true},
    {"startup", "5.1s", 5.1, "startup", true, true},          /* released at 4.5 s: L8-L6 */
    {"startup", "6.2s", 6.2, "startup", true, true},          /* L8-L2 */
    {"startup", "6.7s", 6.7, "coding", true, true},           /* coding: all on */
    {"startup", "7.25s", 7.25, "coding", true, true},         /* coding: all off */
};

START_TEST(test_screenshot)
{
    const struct screen_case *c = &cases[_i];
    char scn[1024], png[1024], cmd[3200];
    snprintf(scn, sizeof scn, "%s/%s.json", uiw_env("UI_TESTS"), c->file);
    snprintf(png, sizeof png, "%s/screen-%s-%s.png", uiw_env("UI_OUT"), c->file, c->at);
    remove(png);
    snprintf(cmd, sizeof cmd, "'%s' gui '%s' --screenshot '%s' --at %s", uiw_env("GTXSIM"), scn, png,
             c->at);
    int rc = system(cmd);
    ck_assert_msg(rc == 0, "%s exited with %d", cmd, rc);

    int w = 0, h = 0;
    uint8_t *rgb = spec_png_read(png, &w, &h);
    ck_assert_msg(rgb != NULL, "cannot read %s", png);
    ck_assert_int_eq(w, UI_W);
    ck_assert_int_eq(h, UI_H);

    /* What §4 says at that instant, from the state sequence of the same run. */
    struct spec_sim ss;
    ck_assert_int_eq(spec_sim_open(&ss, scn), 0);
    struct spec_leds model;
    memset(&model, 0, sizeof model);
    uint64_t t_ms = (uint64_t)(c->at_s * 1000.0 + 0.5);
    spec_sim_run(&ss, t_ms, &model);
    const struct bms_status *st = bms_status(&ss.sim->pack[0].fw);
    ck_assert_msg(strcmp(scn_state_name((int)st->state), c->state) == 0,
                  "%s at %s: state %s, the case is about %s", c->file, c->at,
                  scn_state_name((int)st->state), c->state);
    int margin = 0;
    uint8_t want = spec_lit(&model, t_ms, &margin);
    ck_assert_msg(margin >= 30, "%s at %s is %d ms from a flash edge: pick another instant",
                  c->file, c->at, margin);

    uint8_t got = 0;
    for (int k = 0; k < 8; k++) {
        int x, y;
        uiw_item_centre(1, 0, (enum ui_panel_item)(UI_PI_LED1 + k), &x, &y);
        if (spec_led_on(&rgb[((size_t)y * (size_t)w + (size_t)x) * 3]))
            got |= (uint8_t)(1u << k);
    }
    char ws[9], gs[9];
    spec_word(want, ws);
    spec_word(got, gs);
    ck_assert_msg(want == got, "%s at %s (%s): LEDs L8..L1 wanted %s, the screenshot shows %s",
                  c->file, c->at, c->state, ws, gs);

    const struct {
        enum ui_panel_item item;
        bool want;
        const char *name;
    } dry[2] = {{UI_PI_DRY_CHG, c->dry_chg, "1/2 prohibit charging"},
                {UI_PI_DRY_DSG, c->dry_dsg, "3/4 prohibit discharging"}};
    for (int i = 0; i < 2; i++) {
        int x, y;
        uiw_item_centre(1, 0, dry[i].item, &x, &y);
        bool closed = spec_dry_closed(&rgb[((size_t)y * (size_t)w + (size_t)x) * 3]);
        ck_assert_msg(closed == dry[i].want, "%s at %s: dry contact %s shows %s, wanted %s",
                      c->file, c->at, dry[i].name, closed ? "closed" : "open",
                      dry[i].want ? "closed" : "open");
    }
    free(rgb);
    spec_sim_free(&ss);
}
END_TEST

/* The model itself against §4's numbers, so a wrong model cannot pass. */
START_TEST(test_model)
{
    struct spec_leds m;
    memset(&m, 0, sizeof m);
    spec_update(&m, BMS_STATE_STANDBY, 40, 0);
    int margin;
    ck_assert_uint_eq(spec_lit(&m, 100, &margin), 0x87);  /* L8 + L1-L3 */
    ck_assert_uint_eq(spec_lit(&m, 1000, &margin), 0x07); /* flash 1 off after 0.25 s */
    ck_assert_uint_eq(spec_lit(&m, 4100, &margin), 0x87);
    spec_update(&m, BMS_STATE_CHARGING, 60, 5000);        /* n = 4: L4 flash 2 */
    ck_assert_uint_eq(spec_lit(&m, 5200, &margin), 0x8f);
    ck_assert_uint_eq(spec_lit(&m, 5700, &margin), 0x87);
    spec_update(&m, BMS_STATE_DISCHARGING, 90, 8000);     /* L8 flash 3 */
    ck_assert_uint_eq(spec_lit(&m, 8200, &margin), 0xbf);
    ck_assert_uint_eq(spec_lit(&m, 9000, &margin), 0x3f);
    ck_assert_uint_eq(spec_lit(&m, 10200, &margin), 0xbf);
    spec_update(&m, BMS_STATE_FAULT, 90, 11000);
    ck_assert_uint_eq(spec_lit(&m, 11500, &margin), 0x40);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("screens", test_model),
    GTX_LOOP(test_screenshot, 0, GTX_COUNT(cases)),
};

int main(void)
{
    return gtx_check_main("ui_screens", tests, GTX_COUNT(tests), 600, NULL, false);
}
