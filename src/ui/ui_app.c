/* ui_app: the window's life: SDL set-up (a real window, or offscreen on a
 * software-rendered surface), loading scenarios, input handling, one frame's
 * drawing, the interactive loop and the --screenshot mode.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gtx/cell_params_load.h"
#include "gtx/paths.h"
#include "gtx/bridge.h"
#include "ui_internal.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

void ui_apply(struct ui *ui, const struct scn_event *ev)
{
    scn_apply_event(&ui->tl, ui->sim, ev);
    ui_faults_note_event(ui, ev);
    ui_train_record(ui, ev);
}

/* ---- scenarios ---- */

int ui_load(struct ui *ui, const char *path, char *err, size_t err_len)
{
    struct scn_scenario scn;
    if (scn_load(path, &scn, err, err_len) != 0)
        return -1;
    struct sim_config cfg;
    scn_sim_config(&scn, ui->cell, NULL, &cfg);
    struct sim *s = sim_new(&cfg);
    if (!s) {
        snprintf(err, err_len, "%s: error: the simulator could not be set up", path);
        scn_free(&scn);
        return -1;
    }
    struct scn_replay *replay;
    if (scn_replay_open(&scn, NULL, NULL, &replay, err, err_len) != 0) {
        sim_free(s);
        scn_free(&scn);
        return -1;
    }
    /* the old replay points into the old scenario: it goes first */
    scn_replay_close(ui->replay, NULL);
    ui->replay = NULL;
    if (ui->have_scn)
        scn_free(&ui->scn);
    if (ui->bridge && ui->sim)
        bridge_detach(ui->bridge, ui->sim);
    sim_free(ui->sim);
    if (ui->bridge)
        bridge_attach(ui->bridge, s);
    ui->scn = scn;
    ui->have_scn = true;
    ui->sim = s;
    if (path != ui->scn_path)
        snprintf(ui->scn_path, sizeof ui->scn_path, "%s", path);
    scn_timeline_init(&ui->tl, &ui->scn, NULL);
    ui->replay = replay; /* its specs are the scenario's: they moved with it into ui->scn */
    for (int i = 0; i < UI_MAX_PACKS; i++) {
        lcd_decoder_init(&ui->lcd_dec[i]);
        memset(&ui->lcd[i], 0, sizeof ui->lcd[i]);
        ui->lcd_frames[i] = 0;
        ui->lcd_last_ms[i] = 0;
        ui->ev_seen_ms[i] = 0;
    }
    ui->selected = 0;
    ui->held_pack = -1;
    ui->link_pending = -1;
    ui->nactive = 0;
    ui->sim_debt_s = 0.0;
    ui->log_count = ui->log_head = 0;
    ui->fsel.pack = 0;
    ui_plots_reset(ui);
    ui_log_add(ui, 0, "loaded %.60s", ui->scn.name);
    return 0;
}

static void load_or_log(struct ui *ui, const char *path)
{
    if (ui->train)
        return; /* trainer mode: the exercise stays (its attempt would be lost) */
    char err[SCN_ERR_MAX];
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", path);
    if (ui_load(ui, copy, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        ui_log_add(ui, 0, "cannot load: %.66s", err);
    }
}

/* ---- set-up ---- */

static int init_sdl(struct ui *ui, const struct ui_opts *o, char *err, size_t n)
{
    if (o->headless) {
        /* No display needed: the offscreen driver, and the software renderer
         * drawing on a surface of the canvas size. */
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
        ui->sdl_video = SDL_Init(SDL_INIT_VIDEO) == 0;
        if (!ui->sdl_video && SDL_Init(SDL_INIT_EVENTS) != 0) {
            snprintf(err, n, "gtxsim gui: error: SDL: %s", SDL_GetError());
            return -1;
        }
        ui->canvas = SDL_CreateRGBSurfaceWithFormat(0, UI_W, UI_H, 32, SDL_PIXELFORMAT_ARGB8888);
        ui->ren = ui->canvas ? SDL_CreateSoftwareRenderer(ui->canvas) : NULL;
        if (!ui->ren) {
            snprintf(err, n, "gtxsim gui: error: SDL software renderer: %s", SDL_GetError());
            return -1;
        }
        return 0;
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, n, "gtxsim: no display (%s); use `gtxsim run SCENARIO` to run headless",
                 SDL_GetError());
        return -2;
    }
    ui->sdl_video = true;
    ui->win = SDL_CreateWindow("gtxsim - AMASS GTX2500 simulator", SDL_WINDOWPOS_CENTERED,
                               SDL_WINDOWPOS_CENTERED, UI_W, UI_H,
                               SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!ui->win) {
        snprintf(err, n, "gtxsim: no display (%s); use `gtxsim run SCENARIO` to run headless",
                 SDL_GetError());
        return -2;
    }
    ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!ui->ren)
        ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
    if (!ui->ren) {
        snprintf(err, n, "gtxsim gui: error: no renderer: %s", SDL_GetError());
        return -1;
    }
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    SDL_RenderSetLogicalSize(ui->ren, UI_W, UI_H);
    SDL_SetWindowMinimumSize(ui->win, UI_W / 2, UI_H / 2);
    return 0;
}

static struct ui *create(const struct ui_opts *o, char *err, size_t n, int *why)
{
    *why = -1;
    struct ui *ui = calloc(1, sizeof *ui);
    if (!ui) {
        snprintf(err, n, "gtxsim gui: error: out of memory");
        return NULL;
    }
    ui->held_pack = -1;
    ui->link_pending = -1;
    ui->headless = o->headless;
    ui->bridge = o->bridge;
    ui->stop = o->stop;
    ui->plots = calloc(1, sizeof *ui->plots);
    ui->cell = calloc(1, sizeof *ui->cell);
    char path[1024];
    if (!ui->plots || !ui->cell) {
        snprintf(err, n, "gtxsim gui: error: out of memory");
        goto fail;
    }
    if (gtx_path_find("assets/cells/lfp50.json", path, sizeof path) != 0) {
        snprintf(err, n, "gtxsim gui: error: cannot find assets/cells/lfp50.json");
        goto fail;
    }
    if (cell_params_load(path, ui->cell, err, n) != 0)
        goto fail;
    int rc = init_sdl(ui, o, err, n);
    if (rc != 0) {
        *why = rc;
        goto fail;
    }
    if (ui_draw_init(ui) != 0) {
        snprintf(err, n, "gtxsim gui: error: SDL: %s", SDL_GetError());
        goto fail;
    }
    if (ui_font_open(ui, err, n) != 0)
        goto fail;
    const char *scn = o->scenario;
    if (!scn) {
        if (gtx_path_find("scenarios/default.json", path, sizeof path) != 0) {
            snprintf(err, n, "gtxsim gui: error: cannot find scenarios/default.json");
            goto fail;
        }
        scn = path;
    }
    if (ui_load(ui, scn, err, n) != 0) {
        *why = -2;
        goto fail;
    }
    if (o->train && ui_train_begin(ui, o) != 0) {
        snprintf(err, n, "gtxsim train: error: out of memory");
        goto fail;
    }
    ui_picker_scan(ui);
    if (o->dialog)
        ui->dialog = !strcmp(o->dialog, "faults")      ? UI_DLG_FAULTS
                     : !strcmp(o->dialog, "scenarios") ? UI_DLG_PICKER
                     : !strcmp(o->dialog, "help")      ? UI_DLG_HELP
                                                       : UI_DLG_NONE;
    return ui;
fail:
    ui_destroy(ui);
    return NULL;
}

struct ui *ui_create(const struct ui_opts *o, char *err, size_t n)
{
    int why;
    return create(o, err, n, &why);
}

void ui_destroy(struct ui *ui)
{
    if (!ui)
        return;
    ui_train_end(ui);
    ui_font_close(ui);
    ui_draw_free(ui);
    if (ui->ren)
        SDL_DestroyRenderer(ui->ren);
    if (ui->canvas)
        SDL_FreeSurface(ui->canvas);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    scn_replay_close(ui->replay, NULL);
    if (ui->have_scn)
        scn_free(&ui->scn);
    if (ui->bridge && ui->sim)
        bridge_detach(ui->bridge, ui->sim);
    sim_free(ui->sim);
    free(ui->plots);
    free(ui->cell);
    free(ui);
    SDL_Quit();
}

/* ---- input ---- */

static void press(struct ui *ui, int pack)
{
    if (pack < 0 || pack >= sim_view_pack_count(ui->sim) || ui->held_pack == pack)
        return;
    if (ui->held_pack >= 0)
        sim_set_button(ui->sim, ui->held_pack, false);
    sim_set_button(ui->sim, pack, true);
    ui->held_pack = pack;
    ui->hold_since_ms = sim_view_now_ms(ui->sim);
    ui_log_add(ui, 0, "START button of pack %d pressed", pack + 1);
}

static void release(struct ui *ui)
{
    if (ui->held_pack < 0)
        return;
    sim_set_button(ui->sim, ui->held_pack, false);
    ui_log_add(ui, 0, "START button of pack %d released after %.2f s", ui->held_pack + 1,
               (double)(sim_view_now_ms(ui->sim) - ui->hold_since_ms) / 1000.0);
    ui_train_press(ui, ui->held_pack, ui->hold_since_ms, sim_view_now_ms(ui->sim));
    ui->held_pack = -1;
}

static void open_dialog(struct ui *ui, enum ui_dialog d)
{
    if (ui->train && (d == UI_DLG_FAULTS || d == UI_DLG_PICKER))
        return; /* trainer mode: no fault menu, no other scenario */
    ui->dialog = ui->dialog == d ? UI_DLG_NONE : d;
    if (ui->dialog == UI_DLG_PICKER)
        ui_picker_scan(ui);
}

static void toggle_power(struct ui *ui, int pack)
{
    struct scn_event ev;
    memset(&ev, 0, sizeof ev);
    ev.at_s = sim_time_s(ui->sim);
    ev.action = SCN_DO_POWER;
    ev.u.power.pack = pack + 1;
    struct sim_pins pins;
    sim_view_pins(ui->sim, pack, &pins);
    ev.u.power.connected = !pins.power_connected;
    ui_apply(ui, &ev);
}

static void do_action(struct ui *ui, int action, int arg)
{
    switch (action) {
    case UI_ACT_START_BUTTON: press(ui, arg); break;
    case UI_ACT_SELECT: ui->selected = arg; break;
    case UI_ACT_POWER: toggle_power(ui, arg); break;
    case UI_ACT_CAN:
    case UI_ACT_CHARGER:
    case UI_ACT_INV_MODE:
    case UI_ACT_INV_POWER:
    case UI_ACT_AMBIENT: ui_inverter_click(ui, action, arg); break;
    case UI_ACT_SPEED:
    case UI_ACT_PAUSE:
    case UI_ACT_STEP: ui_time_click(ui, action, arg); break;
    case UI_ACT_DIALOG: open_dialog(ui, (enum ui_dialog)arg); break;
    case UI_ACT_CLOSE: ui->dialog = UI_DLG_NONE; break;
    case UI_ACT_PICK:
        if (arg >= 0 && arg < ui->npicker) {
            ui->dialog = UI_DLG_NONE;
            load_or_log(ui, ui->picker[arg]);
        }
        break;
    case UI_ACT_PICK_SCROLL: ui_picker_scroll(ui, arg); break;
    case UI_ACT_RELOAD: load_or_log(ui, ui->scn_path); break;
    case UI_ACT_SCREENSHOT: break;
    case UI_ACT_PLOTS: ui->plot_view = !ui->plot_view; break;
    case UI_ACT_LINK_PORT:
    case UI_ACT_CABLE: ui_cables_click(ui, action, arg); break;
    case UI_ACT_TRAIN_START:
    case UI_ACT_TRAIN_PICK:
    case UI_ACT_TRAIN_HINT:
    case UI_ACT_TRAIN_DONE:
    case UI_ACT_TRAIN_BRIEF:
    case UI_ACT_TRAIN_PRESET:
    case UI_ACT_TRAIN_CELL:
    case UI_ACT_TRAIN_REPAIR:
    case UI_ACT_TRAIN_QUIT: ui_train_click(ui, action, arg); break;
    default: ui_faults_click(ui, action, arg); break;
    }
}

static void click(struct ui *ui, int x, int y)
{
    struct ui_rect d;
    ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_DIALOG, &d);
    if (ui->dialog != UI_DLG_NONE && !ui_rect_contains(&d, x, y)) {
        ui->dialog = UI_DLG_NONE; /* a click beside a dialog closes it */
        return;
    }
    for (int i = ui->nhits - 1; i >= 0; i--) {
        const struct ui_hit *h = &ui->hits[i];
        if (ui_rect_contains(&h->r, x, y)) {
            do_action(ui, h->action, h->arg);
            return;
        }
    }
}

static void screenshot_key(struct ui *ui)
{
    char name[64];
    snprintf(name, sizeof name, "gtxsim-%d.png", ++ui->shots);
    if (ui_save_png(ui, name) == 0) {
        fprintf(stderr, "gtxsim: screenshot %s\n", name);
        ui_log_add(ui, 0, "screenshot %s", name);
    }
}

/* Speed keys F5..F10 map to the speed table's rows. */
static void key_down(struct ui *ui, const SDL_KeyboardEvent *k)
{
    SDL_Keycode c = k->keysym.sym;
    bool shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    if (c == SDLK_SPACE) {
        if (!k->repeat)
            press(ui, ui->selected);
        return;
    }
    if (k->repeat && c != SDLK_UP && c != SDLK_DOWN)
        return;
    if (ui_train_key(ui, c))
        return;
    if (c >= SDLK_1 && c <= SDLK_4 && c - SDLK_1 < sim_view_pack_count(ui->sim))
        ui->selected = c - SDLK_1;
    else if (c >= SDLK_F5 && c <= SDLK_F10)
        ui_time_click(ui, UI_ACT_SPEED, c - SDLK_F5);
    else
        switch (c) {
        case SDLK_TAB: ui->selected = (ui->selected + 1) % sim_view_pack_count(ui->sim); break;
        case SDLK_p: ui->plot_view = !ui->plot_view; break;
        case SDLK_PAUSE:
        case SDLK_k: ui_time_click(ui, UI_ACT_PAUSE, 0); break;
        case SDLK_PERIOD:
            if (shift) {
                ui->paused = true;
                ui_time_advance(ui, 1.0, 0.0);
            } else {
                ui_time_click(ui, UI_ACT_STEP, 0);
            }
            break;
        case SDLK_PLUS:
        case SDLK_EQUALS:
        case SDLK_KP_PLUS: ui_time_click(ui, UI_ACT_SPEED, ui->speed < 5 ? ui->speed + 1 : 5); break;
        case SDLK_MINUS:
        case SDLK_KP_MINUS: ui_time_click(ui, UI_ACT_SPEED, ui->speed > 0 ? ui->speed - 1 : 0); break;
        case SDLK_f: open_dialog(ui, UI_DLG_FAULTS); break;
        case SDLK_o: open_dialog(ui, UI_DLG_PICKER); break;
        case SDLK_F1: open_dialog(ui, UI_DLG_HELP); break;
        case SDLK_ESCAPE:
            ui->dialog = UI_DLG_NONE;
            ui->link_pending = -1;
            break;
        case SDLK_c: ui_inverter_click(ui, UI_ACT_CAN, 0); break;
        case SDLK_g: ui_inverter_click(ui, UI_ACT_CHARGER, 0); break;
        case SDLK_UP: ui_inverter_click(ui, UI_ACT_AMBIENT, 10); break;
        case SDLK_DOWN: ui_inverter_click(ui, UI_ACT_AMBIENT, -10); break;
        case SDLK_r: load_or_log(ui, ui->scn_path); break;
        case SDLK_F12: screenshot_key(ui); break;
        case SDLK_q:
            if (k->keysym.mod & KMOD_CTRL)
                ui->quit = true;
            break;
        default: break;
        }
}

static void handle(struct ui *ui, const SDL_Event *e)
{
    ui->dirty = true;
    switch (e->type) {
    case SDL_QUIT: ui->quit = true; break;
    case SDL_DROPFILE:
        load_or_log(ui, e->drop.file);
        SDL_free(e->drop.file);
        break;
    case SDL_MOUSEMOTION:
        ui->mouse_x = e->motion.x;
        ui->mouse_y = e->motion.y;
        break;
    case SDL_MOUSEBUTTONDOWN:
        ui->mouse_x = e->button.x;
        ui->mouse_y = e->button.y;
        if (e->button.button == SDL_BUTTON_LEFT)
            click(ui, e->button.x, e->button.y);
        break;
    case SDL_MOUSEWHEEL:
        if (ui->dialog == UI_DLG_PICKER)
            ui_picker_scroll(ui, -3 * e->wheel.y);
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT)
            release(ui);
        break;
    case SDL_KEYDOWN: key_down(ui, &e->key); break;
    case SDL_KEYUP:
        if (e->key.keysym.sym == SDLK_SPACE)
            release(ui);
        break;
    default: break;
    }
}

static void pump(struct ui *ui)
{
    SDL_Event e;
    while (SDL_PollEvent(&e))
        handle(ui, &e);
}

/* ---- drawing ---- */

void ui_render(struct ui *ui)
{
    double t0 = now_ms();
    ui->nhits = 0;
    ui_set(ui, UI_C_BG);
    SDL_RenderClear(ui->ren);
    ui_time_draw(ui);
    struct ui_rect panels, plots;
    ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_PANELS, &panels);
    ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_PLOTS, &plots);
    if (ui->plot_view && !ui->train) {
        struct ui_rect all = {panels.x, panels.y, panels.w, plots.y + plots.h - panels.y};
        ui_plots_draw(ui, all);
    } else {
        for (int p = 0; p < sim_view_pack_count(ui->sim); p++)
            ui_panel_draw(ui, p);
        ui_cables_draw(ui);
        if (plots.h >= 120 && ui->train)
            ui_train_plots_note(ui, plots); /* the model's truth is not the installer's */
        else if (plots.h >= 120)
            ui_plots_draw(ui, plots);
    }
    ui_lcd_draw(ui);
    ui_inverter_draw(ui);
    ui_room_draw(ui);
    if (ui->train)
        ui_train_draw(ui);
    else
        ui_log_draw(ui);
    /* Wall-clock figures: never in a picture (headless, F12), so that two
     * screenshots of one instant are the same bytes. */
    if (!ui->headless && !ui->for_png)
        ui_textf(ui, UI_F_SMALL, UI_W - 8, UI_H - 16, UI_RIGHT, ui_colour(UI_C_DIM),
                 "frame %.1f ms, sim %.1f ms", ui->frame_ms, ui->step_ms);
    if (ui->dialog != UI_DLG_NONE) {
        ui_fill(ui, (struct ui_rect){0, 0, UI_W, UI_H}, UI_C_SHADE);
        /* The LED bars stay in sight, unveiled, beside the dialog. */
        for (int p = 0; (!ui->plot_view || ui->train) && p < sim_view_pack_count(ui->sim); p++) {
            struct ui_rect strip;
            ui_layout_panel(sim_view_pack_count(ui->sim), p, UI_PI_LED_STRIP, &strip);
            ui_fill(ui, strip, UI_C_PANEL);
            ui_panel_draw_leds(ui, p);
        }
        struct ui_rect d;
        ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_DIALOG, &d);
        ui_fill(ui, d, UI_C_TOPBAR);
        ui_outline(ui, d, UI_C_ACCENT);
        /* Only the dialog's own controls take clicks while it is open. */
        ui->nhits = 0;
        switch (ui->dialog) {
        case UI_DLG_FAULTS: ui_faults_draw(ui); break;
        case UI_DLG_PICKER: ui_picker_draw(ui); break;
        case UI_DLG_HELP: ui_help_draw(ui); break;
        case UI_DLG_TRAIN: ui_train_dialog_draw(ui); break;
        case UI_DLG_NONE: break;
        }
    }
    SDL_RenderFlush(ui->ren);
    ui->frame_ms = now_ms() - t0;
}

static void present(struct ui *ui)
{
    SDL_RenderPresent(ui->ren);
}

int ui_save_png(struct ui *ui, const char *path)
{
    int w = UI_W, h = UI_H;
    if (!ui->headless && SDL_GetRendererOutputSize(ui->ren, &w, &h) != 0)
        return -1;
    uint8_t *buf = malloc((size_t)w * (size_t)h * 3);
    if (!buf)
        return -1;
    int rc = -1;
    if (ui->headless) {
        SDL_RenderFlush(ui->ren);
        rc = SDL_ConvertPixels(w, h, ui->canvas->format->format, ui->canvas->pixels,
                               ui->canvas->pitch, SDL_PIXELFORMAT_RGB24, buf, w * 3);
    } else {
        /* The back buffer is only defined before present: draw the frame again. */
        ui->for_png = true;
        ui_render(ui);
        ui->for_png = false;
        SDL_RenderSetLogicalSize(ui->ren, 0, 0);
        rc = SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_RGB24, buf, w * 3);
        SDL_RenderSetLogicalSize(ui->ren, UI_W, UI_H);
    }
    if (rc == 0)
        rc = ui_png_write(path, buf, w, h, w * 3);
    free(buf);
    return rc;
}

bool ui_pixel(struct ui *ui, int x, int y, uint8_t rgb[3])
{
    if (!ui->headless || x < 0 || y < 0 || x >= UI_W || y >= UI_H)
        return false;
    SDL_RenderFlush(ui->ren);
    Uint32 px = ((const Uint32 *)((const uint8_t *)ui->canvas->pixels + y * ui->canvas->pitch))[x];
    SDL_GetRGB(px, ui->canvas->format, &rgb[0], &rgb[1], &rgb[2]);
    return true;
}

/* ---- frames ---- */

void ui_frame_sim(struct ui *ui, double sim_dt_s)
{
    pump(ui);
    if (sim_dt_s > 0.0)
        ui_time_advance(ui, sim_dt_s, 0.0);
    ui_render(ui);
    present(ui);
}

void ui_run_to(struct ui *ui, double t_s)
{
    uint64_t target = (uint64_t)llround(t_s * 1000.0) / SIM_TICK_MS * SIM_TICK_MS;
    ui->plot_period_s = t_s / (UI_PLOT_N - 10) > 0.5 ? t_s / (UI_PLOT_N - 10) : 0.5;
    uint64_t now = sim_view_now_ms(ui->sim);
    if (now <= target)
        ui_time_advance(ui, (double)(target + SIM_TICK_MS - now) / 1000.0, 0.0);
    ui_render(ui);
}

struct sim *ui_sim(struct ui *ui)
{
    return ui->sim;
}

int ui_selected_pack(const struct ui *ui)
{
    return ui->selected;
}

const struct bms_lcd_view *ui_lcd_view(const struct ui *ui)
{
    return &ui->lcd[ui->selected];
}

uint32_t ui_lcd_frames(const struct ui *ui)
{
    return ui->lcd_frames[ui->selected];
}

int ui_lcd_line_count(const struct ui *ui)
{
    return ui->lcd_nlines;
}

const char *ui_lcd_line(const struct ui *ui, int i)
{
    return i >= 0 && i < ui->lcd_nlines ? ui->lcd_lines[i] : "";
}

void ui_show_faults(struct ui *ui, bool on)
{
    ui->dialog = on ? UI_DLG_FAULTS : UI_DLG_NONE;
}

bool ui_faults_shown(const struct ui *ui)
{
    return ui->dialog == UI_DLG_FAULTS;
}

/* What the picture shows that can change without input: the LEDs and relays
 * of every pack, and the clock, redrawn every 0.25 s of simulated time (the
 * shortest LED pattern step). */
static uint64_t picture_key(const struct ui *ui)
{
    uint64_t k = sim_view_now_ms(ui->sim) / 250u;
    for (int p = 0; p < sim_view_pack_count(ui->sim); p++) {
        struct sim_pins io;
        sim_view_pins(ui->sim, p, &io);
        k = k * 1000003u ^ ((uint64_t)io.leds_lit << 2 | (uint64_t)io.prohibit_charge << 1 |
                            io.prohibit_discharge);
    }
    return k;
}

/* The interactive loop: wall time times the speed becomes simulated time,
 * stepped within a budget so the window stays responsive at any speed. It
 * polls at 60 Hz and draws only frames whose picture changed. */
static int interactive(struct ui *ui)
{
    const double frame_ms = 1000.0 / 60.0;
    double last = now_ms();
    uint64_t drawn = 0;
    ui->dirty = true;
    while (!ui->quit && !(ui->stop && *ui->stop)) {
        double t = now_ms();
        double wall_dt = (t - last) / 1000.0;
        last = t;
        if (wall_dt > 0.25)
            wall_dt = 0.25;
        pump(ui);
        double speed = ui_time_speed(ui);
        if (speed < 0.0) {
            ui_time_advance(ui, 1e6, frame_ms * 0.7);
            ui->lagging = false;
        } else if (speed > 0.0) {
            ui->sim_debt_s += wall_dt * speed;
            double before = sim_time_s(ui->sim);
            double whole = floor(ui->sim_debt_s * 100.0) / 100.0;
            if (whole > 0.0)
                ui_time_advance(ui, whole, frame_ms * 0.7);
            ui->sim_debt_s -= sim_time_s(ui->sim) - before;
            if (ui->lagging)
                ui->sim_debt_s = 0.0;
        }
        uint64_t key = picture_key(ui);
        if (ui->dirty || key != drawn || ui->held_pack >= 0) {
            ui_render(ui);
            present(ui);
            drawn = key;
            ui->dirty = false;
        }
        double left = frame_ms - (now_ms() - t);
        if (left > 1.0)
            SDL_Delay((Uint32)left);
    }
    return 0;
}

int ui_run(const struct ui_opts *opts)
{
    char err[SCN_ERR_MAX];
    int why;
    struct ui_opts o = *opts;
    if (o.screenshot)
        o.headless = true;
    if (!o.headless && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY") &&
        !getenv("SDL_VIDEODRIVER")) {
        fprintf(stderr, "gtxsim: no display (neither DISPLAY nor WAYLAND_DISPLAY is set); "
                        "use `gtxsim run SCENARIO` to run scenarios headless\n");
        return 2;
    }
    struct ui *ui = create(&o, err, sizeof err, &why);
    if (!ui) {
        fprintf(stderr, "%s\n", err);
        return why == -2 ? 2 : 3;
    }
    if (o.screenshot && o.at_s > ui->scn.duration_s) { /* nothing to show after the end */
        char at[32];
        scn_duration_format(o.at_s, at, sizeof at);
        fprintf(stderr, "gtxsim gui: error: --at %s is beyond the scenario's duration (%s)\n", at,
                ui->scn.duration_text);
        ui_destroy(ui);
        return 2;
    }
    int rc = 0;
    if (o.screenshot) {
        ui_run_to(ui, o.at_s);
        errno = 0;
        if (o.stop && *o.stop) {
            /* a picture of another instant than --at would mislead: none */
            fprintf(stderr, "gtxsim gui: interrupted at simulated time %.2f s of %.2f s; no "
                    "screenshot written\n", sim_time_s(ui->sim), o.at_s);
        } else if (ui_save_png(ui, o.screenshot) != 0) { /* a file that cannot be written: usage */
            fprintf(stderr, "gtxsim gui: error: cannot write %s: %s\n", o.screenshot,
                    errno ? strerror(errno) : "write error");
            rc = 2;
        }
    } else {
        rc = interactive(ui);
        if (o.stop && *o.stop)
            fprintf(stderr, "gtxsim gui: interrupted at simulated time %.2f s\n",
                    sim_time_s(ui->sim));
    }
    ui_destroy(ui);
    return rc;
}
