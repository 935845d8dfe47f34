/* test_parallel: the window's link cables (plug, unplug, re-wire). An offscreen
 * frame of a coded 4-pack chain shows the 3 cables between k.out and k+1.in in
 * their colours and none where no cable is; synthetic SDL mouse clicks re-wire
 * a running 2-pack chain into In-to-In; after a shutdown (master, then the
 * slave that lost it by its own button) and a start from the master both
 * packs end in the coding fault with LEDs 01000000 and no ID shown. No cable
 * route crosses a panel's title.
 */
#include <SDL.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/bms_ids.h"
#include "gtx/ui.h"
#include "ui_spec.h"
#include "ui_window.h"

#define FAULT_LEDS 0x40u /* "01000000": L7 (ALM) alone, steady (docs/spec/PRODUCT.md §4) */

static bool near(const uint8_t a[3], const uint8_t b[3])
{
    for (int i = 0; i < 3; i++)
        if (abs((int)a[i] - (int)b[i]) > 12)
            return false;
    return true;
}

/* Whether a pixel has the colour of any cable the window can draw. */
static bool any_cable_colour(const uint8_t rgb[3])
{
    for (int a = 0; a < 8; a++)
        for (int b = 0; b < 8; b++) {
            uint8_t c[3];
            if (a == b)
                continue;
            ui_cable_rgb(a / 2, a % 2, b / 2, b % 2, c);
            if (near(rgb, c))
                return true;
        }
    return false;
}

/* Every 3rd pixel along the route; on = the cable's colour wanted there, or
 * no cable colour at all. Returns the number of pixels looked at. */
static int check_route(struct ui *ui, const struct ui_point *pts, int n, const uint8_t want[3],
                       bool on, const char *what)
{
    int seen = 0;
    for (int i = 0; i + 1 < n; i++) {
        int dx = pts[i + 1].x > pts[i].x ? 1 : pts[i + 1].x < pts[i].x ? -1 : 0;
        int dy = pts[i + 1].y > pts[i].y ? 1 : pts[i + 1].y < pts[i].y ? -1 : 0;
        int len = abs(pts[i + 1].x - pts[i].x) + abs(pts[i + 1].y - pts[i].y);
        for (int s = 0; s <= len; s += 3) {
            int x = pts[i].x + dx * s, y = pts[i].y + dy * s;
            uint8_t rgb[3];
            ck_assert(ui_pixel(ui, x, y, rgb));
            if (on)
                ck_assert_msg(near(rgb, want), "%s: (%d,%d) is %u,%u,%u, not the cable's %u,%u,%u",
                              what, x, y, rgb[0], rgb[1], rgb[2], want[0], want[1], want[2]);
            else
                ck_assert_msg(!any_cable_colour(rgb), "%s: a cable colour at (%d,%d)", what, x,
                              y);
            seen++;
        }
    }
    return seen;
}

/* A click (down and up in one frame, 0.1 s of simulated time). */
static void click_at(struct ui *ui, int x, int y)
{
    uiw_mouse(SDL_MOUSEBUTTONDOWN, x, y);
    uiw_mouse(SDL_MOUSEBUTTONUP, x, y);
    ui_frame_sim(ui, 0.1);
}

static void click_item(struct ui *ui, int n_packs, int pack, enum ui_panel_item it)
{
    int x, y;
    uiw_item_centre(n_packs, pack, it, &x, &y);
    click_at(ui, x, y);
}

/* Holds pack's start button with the mouse for hold_s of simulated time. */
static void hold_button(struct ui *ui, int n_packs, int pack, double hold_s)
{
    int x, y;
    uiw_item_centre(n_packs, pack, UI_PI_BUTTON, &x, &y);
    uiw_mouse(SDL_MOUSEBUTTONDOWN, x, y);
    for (int i = 0; i < (int)(hold_s * 10.0 + 0.5); i++) {
        ui_frame_sim(ui, 0.1);
        ck_assert(spec_pins(ui_sim(ui), pack).button);
    }
    uiw_mouse(SDL_MOUSEBUTTONUP, x, y);
    ui_frame_sim(ui, 0.1);
    ck_assert(!spec_pins(ui_sim(ui), pack).button);
}

static int id_accent(struct ui *ui, int n_packs, int pack)
{
    struct ui_rect r;
    const uint8_t accent[3] = {90, 170, 240}; /* a coded pack's ID */
    ck_assert(ui_layout_panel(n_packs, pack, UI_PI_ID, &r));
    return spec_count_colour(ui, r, accent);
}

/* No pixel of any panel's title has a cable's colour. */
static void titles_clear(struct ui *ui, int n_packs)
{
    for (int p = 0; p < n_packs; p++) {
        struct ui_rect t;
        ck_assert(ui_layout_panel(n_packs, p, UI_PI_TITLE, &t));
        for (int y = t.y; y < t.y + t.h; y++)
            for (int x = t.x; x < t.x + t.w; x++) {
                uint8_t px[3];
                ck_assert(ui_pixel(ui, x, y, px));
                ck_assert_msg(!any_cable_colour(px), "a cable over pack %d's title at (%d,%d)",
                              p + 1, x, y);
            }
    }
}

static bool overlap(struct ui_rect a, struct ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Every route a cable can take (any two ports, any lane, 1-4 packs), with the
 * width it is drawn in, stays off every panel's "AMASS GTX2500" title. */
START_TEST(test_routes_avoid_titles)
{
    int routes = 0;
    for (int n = 2; n <= 4; n++)
        for (int a = 0; a < 2 * n; a++)
            for (int b = 0; b < 2 * n; b++)
                for (int lane = 0; lane < UI_CABLE_LANES && a != b; lane++) {
                    struct ui_point pts[UI_CABLE_PTS];
                    int k = ui_layout_cable(n, a / 2, a % 2, b / 2, b % 2, lane, pts);
                    ck_assert_int_ge(k, 4);
                    routes++;
                    for (int i = 0; i + 1 < k; i++) {
                        int x0 = pts[i].x < pts[i + 1].x ? pts[i].x : pts[i + 1].x;
                        int y0 = pts[i].y < pts[i + 1].y ? pts[i].y : pts[i + 1].y;
                        struct ui_rect seg = {x0 - 3, y0 - 3, abs(pts[i].x - pts[i + 1].x) + 6,
                                              abs(pts[i].y - pts[i + 1].y) + 6};
                        for (int p = 0; p < n; p++) {
                            struct ui_rect t;
                            ck_assert(ui_layout_panel(n, p, UI_PI_TITLE, &t));
                            ck_assert_msg(!overlap(seg, t),
                                          "%d packs: cable %d.%s-%d.%s lane %d crosses pack "
                                          "%d's title", n, a / 2 + 1, a % 2 ? "out" : "in",
                                          b / 2 + 1, b % 2 ? "out" : "in", lane, p + 1);
                        }
                    }
                }
    ck_assert_int_gt(routes, 200);
}
END_TEST

static const char *state_of(struct ui *ui, int pack)
{
    return scn_state_name((int)sim_view_status(ui_sim(ui), pack)->state);
}

static bool plugged(const struct sim *s, int pack, enum sim_port side)
{
    for (int i = 0; i < sim_view_cable_count(s); i++) {
        const struct sim_cable *c = sim_view_cable(s, i);
        if ((c->pack_a == pack && c->side_a == side) || (c->pack_b == pack && c->side_b == side))
            return true;
    }
    return false;
}

START_TEST(test_four_packs_three_cables)
{
    struct ui *ui = uiw_open("chain_4.json");
    ui_run_to(ui, 30.0);
    const struct sim *s = ui_sim(ui);
    ck_assert_int_eq(sim_view_pack_count(s), 4);
    ck_assert_int_eq(sim_view_cable_count(s), 3);
    for (int p = 0; p < 4; p++) {
        ck_assert_str_eq(state_of(ui, p), "standby");
        ck_assert_uint_eq(sim_view_status(s, p)->pack_id, (unsigned)p + 1);
    }
    struct ui_point pts[UI_CABLE_PTS];
    for (int k = 0; k < 3; k++) { /* k+1.out to k+2.in, drawn in its colour all the way */
        uint8_t want[3];
        char what[32];
        ui_cable_rgb(k, true, k + 1, false, want);
        int n = ui_layout_cable(4, k, true, k + 1, false, 0, pts);
        ck_assert_int_eq(n, 4);
        snprintf(what, sizeof what, "cable %d.out-%d.in", k + 1, k + 2);
        ck_assert_int_gt(check_route(ui, pts, n, want, true, what), 20);
    }
    /* The three cables are told apart by colour. */
    uint8_t c0[3], c1[3], c2[3];
    ui_cable_rgb(0, true, 1, false, c0);
    ui_cable_rgb(1, true, 2, false, c1);
    ui_cable_rgb(2, true, 3, false, c2);
    ck_assert(!near(c0, c1) && !near(c1, c2) && !near(c0, c2));
    /* No cable where none is: 1.in and 4.out are free, so the route a cable
     * between them would take (lane 0 and both exits) carries no cable colour,
     * nor does the route 2.in-4.in would take. */
    uint8_t none[3] = {0, 0, 0};
    int n = ui_layout_cable(4, 0, false, 3, true, 0, pts);
    ck_assert_int_eq(n, 6);
    ck_assert_int_gt(check_route(ui, pts, n, none, false, "free 1.in-4.out"), 100);
    n = ui_layout_cable(4, 1, false, 3, false, 1, pts);
    /* its end segments lie on the drawn chain cables: look only at the lane */
    ck_assert_int_gt(check_route(ui, pts + 2, 2, none, false, "lane 1"), 50);
    ui_destroy(ui);
}
END_TEST

START_TEST(test_rewire_in_to_in_coding_fault)
{
    struct ui *ui = uiw_open("chain_2.json");
    struct sim *s = ui_sim(ui);
    ui_frame_sim(ui, 20.0);
    ck_assert_int_eq(sim_view_cable_count(s), 1);
    for (int p = 0; p < 2; p++) {
        ck_assert_str_eq(state_of(ui, p), "standby");
        ck_assert_uint_eq(sim_view_status(s, p)->pack_id, (unsigned)p + 1);
        ck_assert_msg(id_accent(ui, 2, p) > 10, "coded pack %d shows no ID", p + 1);
    }
    titles_clear(ui, 2);
    /* Unplug 1.out-2.in by clicking the cable in the gap between the panels. */
    struct ui_point pts[UI_CABLE_PTS];
    ck_assert_int_eq(ui_layout_cable(2, 0, true, 1, false, 0, pts), 4);
    click_at(ui, (pts[1].x + pts[2].x) / 2, pts[1].y);
    ck_assert_int_eq(sim_view_cable_count(s), 0);
    /* 1.in, then 2.in: the first click only picks the end (outlined). */
    click_item(ui, 2, 0, UI_PI_LINK_IN);
    ck_assert_int_eq(sim_view_cable_count(s), 0);
    struct ui_rect in1;
    ck_assert(ui_layout_panel(2, 0, UI_PI_LINK_IN, &in1));
    uint8_t rgb[3], warn[3] = {250, 190, 60};
    ck_assert(ui_pixel(ui, in1.x - 2, in1.y + in1.h / 2, rgb));
    ck_assert_msg(near(rgb, warn), "the picked port is not outlined");
    click_item(ui, 2, 1, UI_PI_LINK_IN);
    ck_assert_int_eq(sim_view_cable_count(s), 1);
    ck_assert(plugged(s, 0, SIM_PORT_IN) && plugged(s, 1, SIM_PORT_IN));
    ck_assert(!plugged(s, 0, SIM_PORT_OUT) && !plugged(s, 1, SIM_PORT_OUT));
    /* The new cable is drawn round the left margin. */
    uint8_t want[3];
    ui_cable_rgb(0, false, 1, false, want);
    int n = ui_layout_cable(2, 0, false, 1, false, 0, pts);
    ck_assert_int_gt(check_route(ui, pts, n, want, true, "cable 1.in-2.in"), 50);
    titles_clear(ui, 2); /* its drop into 2.in runs beside pack 2's title */
    /* Nothing happens before a restart: the packs stay in standby. */
    ui_frame_sim(ui, 1.0);
    ck_assert_str_eq(state_of(ui, 0), "standby");
    /* Shut down from the master. Its SHUT no longer reaches pack 2 (no cable
     * on 1.out): pack 2 loses its master and keeps running, and then its own
     * button shuts it down (docs/link-protocol.md, "Lost slave"). */
    hold_button(ui, 2, 0, 3.5);
    ui_frame_sim(ui, 15.0);
    ck_assert_str_eq(state_of(ui, 0), "shutdown");
    ck_assert_str_eq(state_of(ui, 1), "standby");
    hold_button(ui, 2, 1, 3.5);
    ui_frame_sim(ui, 5.0);
    ck_assert_str_eq(state_of(ui, 1), "shutdown");
    /* Start again from the master: coding over In-to-In fails (R-PA-2). */
    hold_button(ui, 2, 0, 3.5);
    ui_frame_sim(ui, 15.0);
    for (int p = 0; p < 2; p++) {
        const sim_fw_status *st = sim_view_status(s, p);
        ck_assert_msg(!strcmp(state_of(ui, p), "fault"), "pack %d is in %s, not fault", p + 1,
                      state_of(ui, p));
        ck_assert_msg(st->fault_mask & (1u << BMS_FAULT_CODING), "pack %d: no coding fault",
                      p + 1);
        ck_assert_uint_eq(spec_pins(s, p).leds_lit, FAULT_LEDS);
        char got[9];
        spec_word(spec_screen_lit(ui, 2, p), got);
        ck_assert_msg(spec_screen_lit(ui, 2, p) == FAULT_LEDS, "pack %d shows %s", p + 1, got);
        /* no valid code: "ID -" in grey, whatever ID the failed wake left */
        ck_assert_msg(id_accent(ui, 2, p) == 0, "pack %d (firmware id %u) still shows an ID",
                      p + 1, st->pack_id);
    }
    ui_destroy(ui);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("cables", test_four_packs_three_cables), /* a coded chain, its 3 cables drawn */
    GTX_TEST(test_rewire_in_to_in_coding_fault),      /* mouse re-wiring, R-PA-2 */
    GTX_TEST(test_routes_avoid_titles),
};

int main(void)
{
    return gtx_check_main("ui_parallel", tests, GTX_COUNT(tests), 600, NULL, true);
}
