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
#include <sys/wait.h>

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
    {"full", "470s", 470.0, "full", true, false}, /* CCL 0 after full (438-499 s) */
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
    snprintf(cmd, sizeof cmd, "'%s' gui '%s' --screenshot '%s' --at %s", uiw_env("GTXSIM"), scn,
             png, c->at);
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
    const sim_fw_status *st = sim_view_status(ss.sim, 0);
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

    /* A flashing LED shows that it flashes in either phase: a ring in its
     * colour and 1/2/3 dots for flash 1/2/3; a steady or dark one neither. */
    for (int k = 0; k < 8; k++) {
        struct ui_rect r;
        int x, y;
        ck_assert(ui_layout_panel(1, 0, (enum ui_panel_item)(UI_PI_LED1 + k), &r));
        ui_rect_centre(&r, &x, &y);
        int dots = spec_flash_dots(model.mode[k]);
        const struct { int dx, dy; } ring[4] = {{0, 16}, {0, -17}, {-17, 0}, {16, 0}};
        for (int i = 0; i < 4; i++) {
            const uint8_t *px =
                &rgb[((size_t)(y + ring[i].dy) * (size_t)w + (size_t)(x + ring[i].dx)) * 3];
            ck_assert_msg(spec_led_colour(px, k == 6) == (dots > 0),
                          "%s at %s: L%d (mode %c) %s a flash ring at (%+d,%+d): %u,%u,%u",
                          c->file, c->at, k + 1, model.mode[k], dots ? "lacks" : "has",
                          ring[i].dx, ring[i].dy, px[0], px[1], px[2]);
        }
        for (int d = 0; d < 3; d++) {
            struct ui_point p;
            ck_assert(ui_layout_flash_dot(1, 0, k, d, &p));
            bool shown = spec_led_colour(&rgb[((size_t)p.y * (size_t)w + (size_t)p.x) * 3], k == 6);
            ck_assert_msg(shown == (d < dots), "%s at %s: L%d (mode %c): flash marker dot %d %s",
                          c->file, c->at, k + 1, model.mode[k], d + 1,
                          shown ? "drawn" : "missing");
        }
    }

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

static long file_bytes(const char *path, uint8_t **out)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = malloc((size_t)n);
    ck_assert(*out && fread(*out, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    return n;
}

/* Two screenshots of one scenario at one instant are the same bytes: no
 * wall-clock figures (frame or step time) in a picture. 2 minutes of
 * discharging take tens of ms to simulate, so a step time would show. */
START_TEST(test_screenshots_identical)
{
    char scn[1024], png[2][1024], cmd[3200];
    snprintf(scn, sizeof scn, "%s/discharging_90.json", uiw_env("UI_TESTS"));
    uint8_t *bytes[2];
    long n[2];
    for (int i = 0; i < 2; i++) {
        snprintf(png[i], sizeof png[i], "%s/same-%d.png", uiw_env("UI_OUT"), i);
        remove(png[i]);
        snprintf(cmd, sizeof cmd, "'%s' gui '%s' --screenshot '%s' --at 2m", uiw_env("GTXSIM"), scn,
                 png[i]);
        ck_assert_int_eq(system(cmd), 0);
        n[i] = file_bytes(png[i], &bytes[i]);
    }
    ck_assert_msg(n[0] == n[1] && memcmp(bytes[0], bytes[1], (size_t)n[0]) == 0,
                  "%s and %s differ (%ld and %ld bytes)", png[0], png[1], n[0], n[1]);
    free(bytes[0]);
    free(bytes[1]);
}
END_TEST

/* --at after the scenario's end is a usage error (exit 2) naming both. */
START_TEST(test_at_beyond_duration)
{
    char scn[1024], png[1024], log[1024], cmd[4200];
    snprintf(scn, sizeof scn, "%s/standby_40.json", uiw_env("UI_TESTS"));     /* duration 1m */
    snprintf(png, sizeof png, "%s/beyond.png", uiw_env("UI_OUT"));
    snprintf(log, sizeof log, "%s/beyond.err", uiw_env("UI_OUT"));
    remove(png);
    snprintf(cmd, sizeof cmd, "'%s' gui '%s' --screenshot '%s' --at 90s 2>'%s'", uiw_env("GTXSIM"),
             scn, png, log);
    int rc = system(cmd);
    ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 2, "%s: status %d, wanted exit 2", cmd, rc);
    uint8_t *text;
    long n = file_bytes(log, &text);
    char msg[512];
    snprintf(msg, sizeof msg, "%.*s", (int)(n < 511 ? n : 511), (const char *)text);
    free(text);
    ck_assert_msg(strstr(msg, "--at 90s"), "no value in: %s", msg);
    ck_assert_msg(strstr(msg, "(1m)"), "no duration in: %s", msg);
    FILE *f = fopen(png, "rb");
    ck_assert_msg(f == NULL, "%s was written", png);
    /* at the very end is still an instant of the run */
    snprintf(cmd, sizeof cmd, "'%s' gui '%s' --screenshot '%s' --at 1m", uiw_env("GTXSIM"), scn, png);
    ck_assert_int_eq(system(cmd), 0);
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
    GTX_TEST(test_screenshots_identical),
    GTX_TEST(test_at_beyond_duration),
    GTX_LOOP(test_screenshot, 0, GTX_COUNT(cases)),
};

int main(void)
{
    return gtx_check_main("ui_screens", tests, GTX_COUNT(tests), 600, NULL, false);
}
