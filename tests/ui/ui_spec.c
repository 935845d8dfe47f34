/* ui_spec: docs/spec/PRODUCT.md §4 (LED rows, flash 1/2/3, the start-up sweep and the
 * coding flash) as an independent model for the window tests, a small PNG
 * reader on libpng, and the simulator set-up the tests share.
 */
#include "ui_spec.h"

#include <check.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/cell_params_load.h"
#include "gtx/scn_run.h"
#include "gtx/paths.h"

#define SWEEP_STEP_MS 250 /* R-BT-1: one LED every 0.25 s from L8 down */

struct flash_row {
    char mode;
    int on_ms, period_ms;
};

static const struct flash_row flash_table[] = {
    {'a', 250, 4000}, /* flash 1 */
    {'b', 500, 1000}, /* flash 2 */
    {'c', 500, 2000}, /* flash 3 */
};

static int level_n(int soc)
{
    static const int upper[6] = {17, 33, 50, 66, 83, 100};
    for (int i = 0; i < 6; i++)
        if (soc <= upper[i])
            return i + 1;
    return 6;
}

/* The modes of §4's rows; index 0 = L1, 6 = L7 (ALM), 7 = L8 (RUN). */
static void row_modes(int state, int soc, uint64_t in_state_ms, char m[8])
{
    memset(m, '0', 8);
    int n = level_n(soc);
    switch (state) {
    case BMS_STATE_STANDBY:
    case BMS_STATE_DISCHARGING: /* L1..Ln on; L8 flash 1 in standby, flash 3 discharging */
        m[7] = state == BMS_STATE_STANDBY ? 'a' : 'c';
        for (int i = 0; i < n; i++)
            m[i] = '1';
        break;
    case BMS_STATE_CHARGING:
        m[7] = '1';
        for (int i = 0; i < n - 1; i++)
            m[i] = '1';
        m[n - 1] = 'b';
        break;
    case BMS_STATE_FULL:
        m[7] = '1';
        memset(m, '1', 6);
        break;
    case BMS_STATE_CHARGE_PROTECT:
    case BMS_STATE_DISCHARGE_PROTECT:
    case BMS_STATE_FAULT:
        m[6] = '1';
        break;
    case BMS_STATE_STARTUP: /* L8 first, each stays lit until the sweep ends */
        for (int k = 7; k >= 0; k--)
            if (in_state_ms >= (uint64_t)(7 - k) * SWEEP_STEP_MS)
                m[k] = '1';
        break;
    case BMS_STATE_CODING:
        memset(m, 'b', 8);
        break;
    default: /* shutdown, uvp: all off */
        break;
    }
}

void spec_update(struct spec_leds *m, int state, int soc_pct, uint64_t t_ms)
{
    if (!m->started || state != m->state) {
        m->state = state;
        m->state_since_ms = t_ms;
        if (!m->started)
            memset(m->mode, '0', 8);
        m->started = true;
        memset(m->since_ms, 0, sizeof m->since_ms);
        for (int k = 0; k < 8; k++)
            m->since_ms[k] = t_ms; /* a new row: every pattern begins now */
    }
    char now[8];
    row_modes(state, soc_pct, t_ms - m->state_since_ms, now);
    for (int k = 0; k < 8; k++)
        if (now[k] != m->mode[k]) {
            m->mode[k] = now[k];
            m->since_ms[k] = t_ms;
        }
}

static int imin(int a, int b)
{
    return a < b ? a : b;
}

uint8_t spec_lit(const struct spec_leds *m, uint64_t t_ms, int *margin_ms)
{
    uint8_t lit = 0;
    int margin = 1 << 30;
    for (int k = 0; k < 8; k++) {
        int age = (int)(t_ms - m->since_ms[k]);
        if (m->mode[k] == '1')
            lit |= (uint8_t)(1u << k);
        for (size_t f = 0; f < sizeof flash_table / sizeof flash_table[0]; f++) {
            if (flash_table[f].mode != m->mode[k])
                continue;
            int ph = age % flash_table[f].period_ms;
            if (ph < flash_table[f].on_ms)
                lit |= (uint8_t)(1u << k);
            int to_off = ph - flash_table[f].on_ms;
            margin = imin(margin, imin(ph, imin(to_off < 0 ? -to_off : to_off,
                                                flash_table[f].period_ms - ph)));
        }
        if (m->state == BMS_STATE_STARTUP && m->mode[k] == '0') {
            int edge = (int)(m->state_since_ms + (uint64_t)(7 - k) * SWEEP_STEP_MS - t_ms);
            margin = imin(margin, edge < 0 ? -edge : edge);
        }
        margin = imin(margin, age); /* a pattern that began a tick ago is not settled */
    }
    if (margin_ms)
        *margin_ms = margin;
    return lit;
}

uint8_t *spec_png_read(const char *path, int *w, int *h)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path))
        return NULL;
    img.format = PNG_FORMAT_RGB;
    uint8_t *buf = malloc(PNG_IMAGE_SIZE(img));
    if (!buf || !png_image_finish_read(&img, NULL, buf, 0, NULL)) {
        free(buf);
        png_image_free(&img);
        return NULL;
    }
    *w = (int)img.width;
    *h = (int)img.height;
    return buf;
}

bool spec_led_on(const uint8_t rgb[3])
{
    return rgb[0] > 150 || rgb[1] > 150;
}

bool spec_led_colour(const uint8_t rgb[3], bool red)
{
    return red ? rgb[0] > 200 && rgb[1] < 110 && rgb[2] < 110
               : rgb[1] > 200 && rgb[0] < 140 && rgb[2] < 160;
}

int spec_flash_dots(char mode)
{
    return mode == 'a' ? 1 : mode == 'b' ? 2 : mode == 'c' ? 3 : 0;
}

int spec_count_colour(struct ui *ui, struct ui_rect r, const uint8_t rgb[3])
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            uint8_t px[3];
            ck_assert(ui_pixel(ui, x, y, px));
            n += px[0] == rgb[0] && px[1] == rgb[1] && px[2] == rgb[2];
        }
    return n;
}

bool spec_dry_closed(const uint8_t rgb[3])
{
    return rgb[0] > 200 && rgb[1] > 120 && rgb[2] < 80;
}

void spec_word(uint8_t lit, char out[9])
{
    for (int k = 0; k < 8; k++)
        out[k] = (lit >> (7 - k)) & 1u ? '1' : '0';
    out[8] = '\0';
}

int spec_sim_open(struct spec_sim *ss, const char *path)
{
    memset(ss, 0, sizeof *ss);
    char err[SCN_ERR_MAX], cell_path[1024];
    if (scn_load(path, &ss->scn, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    ss->cell = calloc(1, sizeof *ss->cell);
    if (!ss->cell || gtx_path_find("assets/cells/lfp50.json", cell_path,
                                                 sizeof cell_path) != 0 ||
        cell_params_load(cell_path, ss->cell, err, sizeof err) != 0) {
        fprintf(stderr, "cannot load the default cell\n");
        return -1;
    }
    struct sim_config cfg;
    scn_sim_config(&ss->scn, ss->cell, NULL, &cfg);
    ss->sim = sim_new(&cfg);
    if (!ss->sim)
        return -1;
    scn_timeline_init(&ss->tl, &ss->scn, NULL);
    return 0;
}

void spec_sim_run(struct spec_sim *ss, uint64_t t_ms, struct spec_leds *m)
{
    struct sim *s = ss->sim;
    while (sim_view_now_ms(s) <= t_ms) {
        uint64_t t = sim_view_now_ms(s);
        scn_timeline_apply(&ss->tl, s);
        sim_step(s);
        const sim_fw_status *st = sim_view_status(s, 0);
        if (m)
            spec_update(m, (int)st->state, st->soc_shown_pct, t);
    }
}

void spec_sim_free(struct spec_sim *ss)
{
    scn_free(&ss->scn);
    sim_free(ss->sim);
    free(ss->cell);
}

uint8_t spec_screen_lit(struct ui *ui, int n_packs, int pack)
{
    uint8_t lit = 0;
    for (int k = 0; k < 8; k++) {
        struct ui_rect r;
        int x, y;
        uint8_t rgb[3];
        ck_assert(ui_layout_panel(n_packs, pack, (enum ui_panel_item)(UI_PI_LED1 + k), &r));
        ui_rect_centre(&r, &x, &y);
        ck_assert(ui_pixel(ui, x, y, rgb));
        if (spec_led_on(rgb))
            lit |= (uint8_t)(1u << k);
    }
    return lit;
}

struct sim_pins spec_pins(const struct sim *s, int pack)
{
    struct sim_pins p;
    sim_view_pins(s, pack, &p);
    return p;
}
