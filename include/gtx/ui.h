/* ui.h: the gtxsim window (SDL2): front panels, extended LCD, inverter panel,
 * room, fault menu, time controls, plots and event log over one simulation.
 * It only drives the simulation's inputs and draws its outputs. cmd_gui uses
 * ui_run; the tests drive a headless window frame by frame.
 */
#ifndef GTX_UI_H
#define GTX_UI_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/lcd_proto.h"
#include "gtx/sim.h"
#include "gtx/ui_layout.h"

struct ui;

struct ui_opts {
    const char *scenario;   /* NULL: scenarios/default.json */
    bool headless;          /* offscreen: software renderer on a 1280x800 surface */
    const char *screenshot; /* with headless: run to at_s, render, save this PNG */
    double at_s;
    const char *dialog;     /* NULL, "faults", "scenarios" or "help": open at start */
    struct bridge *bridge;  /* NULL, or the outside ports (--can, --console) to follow the sim */
    /* NULL, or polled while simulating: once non-zero (the signal received),
     * the window closes and a screenshot run stops without writing the file. */
    const atomic_int *stop;
    /* Trainer mode (docs/training.md): not NULL opens it, on the exercise in
     * scenario (a picker of scenarios/training/ when scenario is NULL). */
    const char *train;
    const char *train_out; /* the attempt file (NULL: NAME-attempt.json here) */
    const char *trainee;   /* written into the attempt (NULL: "") */
};

/* `gtxsim gui` after parsing: the interactive window, or the screenshot mode.
 * Returns the process exit status of docs/spec/CLI.md. */
int ui_run(const struct ui_opts *opts);

/* `gtxsim compare`: the PNG of a replay's comparison CSV (what `gtxsim run
 * --compare` writes): logged against simulated SOC, voltage and current, in
 * the window's plot style, with title under the heading. 0; -1 bad CSV
 * (message "FILE:ROW:COL: error: ..."); -2 no renderer or the PNG not written. */
int ui_compare_plot(const char *csv, const char *png, const char *title, char *err,
                    size_t err_len);

/* Headless window for tests and screenshots. NULL with a message in err. */
struct ui *ui_create(const struct ui_opts *opts, char *err, size_t err_len);
void ui_destroy(struct ui *ui);

/* Replaces the simulation with a new one from a scenario file. */
int ui_load(struct ui *ui, const char *path, char *err, size_t err_len);

/* One frame for tests: handles the queued SDL events (SDL_PushEvent), advances
 * the simulation by exactly sim_dt_s (0: none), renders. */
void ui_frame_sim(struct ui *ui, double sim_dt_s);

/* Runs the simulation to just after the tick at t_s (as `gtxsim run` observes
 * "at t"), then renders. */
void ui_run_to(struct ui *ui, double t_s);

void ui_render(struct ui *ui);
/* Saves what was last rendered. 0 or -1. */
int ui_save_png(struct ui *ui, const char *path);
/* The colour of a rendered logical pixel; false outside the canvas. */
bool ui_pixel(struct ui *ui, int x, int y, uint8_t rgb[3]);

struct sim *ui_sim(struct ui *ui);
int ui_selected_pack(const struct ui *ui);
/* The extended LCD as the window last decoded it, and the text lines it drew. */
const struct bms_lcd_view *ui_lcd_view(const struct ui *ui);
uint32_t ui_lcd_frames(const struct ui *ui);
int ui_lcd_line_count(const struct ui *ui);
const char *ui_lcd_line(const struct ui *ui, int i);
/* The inverter panel's 0x359 block as last drawn: 0 the protection bits, 1 the
 * alarm bits, as the protocol names them ("protection: over-temperature");
 * "" when the inverter has heard nothing. */
const char *ui_inverter_0x359(const struct ui *ui, int which);
/* Opens or closes the fault menu (as the F key does). */
void ui_show_faults(struct ui *ui, bool on);

/* Trainer mode: where its controls were last drawn, whether the attempt is
 * scored (and how), how many actions it recorded (-1: not trainer mode). */
enum ui_train_item {
    UI_TRAIN_ITEM_START, UI_TRAIN_ITEM_HINT, UI_TRAIN_ITEM_DONE, UI_TRAIN_ITEM_BRIEF,
    UI_TRAIN_ITEM_REPAIR, UI_TRAIN_ITEM_QUIT, UI_TRAIN_ITEM_COUNT
};
bool ui_train_rect(const struct ui *ui, enum ui_train_item item, struct ui_rect *out);
bool ui_train_result(const struct ui *ui, bool *passed, double *score);
int ui_train_actions(const struct ui *ui);
bool ui_faults_shown(const struct ui *ui);

/* The colour the window draws a link cable in: one per cable, chosen by its
 * first port in pack order so a cable keeps its colour while others move. */
void ui_cable_rgb(int pack_a, bool out_a, int pack_b, bool out_b, uint8_t rgb[3]);

/* Writes a PNG of w x h RGB pixels (rows top first, pitch bytes apart). */
int ui_png_write(const char *path, const uint8_t *rgb, int w, int h, int pitch);

#endif
