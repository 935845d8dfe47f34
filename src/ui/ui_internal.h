/* ui_internal.h: the one window context (struct ui) and the helpers the ui_*.c
 * files share: colours, fonts, drawing primitives, clickable regions.
 */
#ifndef GTX_UI_INTERNAL_H
#define GTX_UI_INTERNAL_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdarg.h>

#include "gtx/cell.h"
#include "gtx/scenario.h"
#include "gtx/scn_run.h"
#include "gtx/sim_view.h"
#include "gtx/ui.h"

/* ---- colours (one table in ui_draw.c) ---- */
enum ui_colour {
    UI_C_BG,
    UI_C_TOPBAR,
    UI_C_AREA,
    UI_C_AREA_EDGE,
    UI_C_PANEL,
    UI_C_PANEL_EDGE,
    UI_C_PANEL_SEL,
    UI_C_TEXT,
    UI_C_DIM,
    UI_C_SILK,         /* white printing on the panel */
    UI_C_LED_G_ON,
    UI_C_LED_G_OFF,
    UI_C_LED_R_ON,
    UI_C_LED_R_OFF,
    UI_C_LED_G_GLOW,
    UI_C_LED_R_GLOW,
    UI_C_DRY_CLOSED,
    UI_C_DRY_OPEN,
    UI_C_LCD_BG,
    UI_C_LCD_TEXT,
    UI_C_LCD_OFF,
    UI_C_BEZEL,
    UI_C_BUTTON,
    UI_C_BUTTON_HOT,
    UI_C_BUTTON_ON,
    UI_C_ACCENT,
    UI_C_WARN,
    UI_C_BAD,
    UI_C_GOOD,
    UI_C_TERM_POS,
    UI_C_TERM_NEG,
    UI_C_METAL,
    UI_C_PORT,
    UI_C_PORT_HOLE,
    UI_C_CABLE,
    UI_C_SHADE,        /* the dim veil behind dialogs */
    UI_C_COUNT
};

enum ui_font_id { UI_F_SMALL, UI_F_NORMAL, UI_F_BOLD, UI_F_TITLE, UI_F_LCD, UI_F_COUNT };

enum ui_align { UI_LEFT, UI_CENTRE, UI_RIGHT };

/* ---- clickable regions, registered while drawing ---- */
enum ui_action {
    UI_ACT_NONE,
    UI_ACT_SPEED,          /* arg: index in the speed table */
    UI_ACT_PAUSE,
    UI_ACT_STEP,
    UI_ACT_START_BUTTON,   /* arg: pack */
    UI_ACT_SELECT,         /* arg: pack */
    UI_ACT_POWER,          /* arg: pack: plug / unplug its power cables */
    UI_ACT_CAN,            /* plug / unplug the CAN cable */
    UI_ACT_CHARGER,        /* external charger on / off */
    UI_ACT_INV_MODE,       /* lithium / manual */
    UI_ACT_INV_POWER,      /* arg: index in the power table */
    UI_ACT_AMBIENT,        /* arg: delta in 0.1 °C */
    UI_ACT_DIALOG,         /* arg: enum ui_dialog to open */
    UI_ACT_CLOSE,
    UI_ACT_FAULT_KIND,     /* arg: enum scn_fault_kind */
    UI_ACT_FAULT_PACK,
    UI_ACT_FAULT_CELL,
    UI_ACT_FAULT_SENSOR,
    UI_ACT_FAULT_VALUE,    /* arg: -1 / +1 step */
    UI_ACT_FAULT_WHICH,    /* arg: enum scn_fet */
    UI_ACT_FAULT_INJECT,
    UI_ACT_FAULT_CLEAR,
    UI_ACT_FAULT_CLEAR_ONE, /* arg: index in the active list */
    UI_ACT_PICK,           /* arg: index in the picker list */
    UI_ACT_PICK_SCROLL,    /* arg: rows to scroll the picker list by */
    UI_ACT_RELOAD,
    UI_ACT_SCREENSHOT,
    UI_ACT_PLOTS,          /* toggle the plot view over the panels */
    UI_ACT_LINK_PORT,      /* arg: pack * 2 + (1 for Link Port Out): plug / unplug a cable */
    UI_ACT_CABLE,          /* arg: index of sim_view_cable: unplug it */
    UI_ACT_TRAIN_START,    /* trainer mode (ui_train.c): the brief read, the clock runs */
    UI_ACT_TRAIN_PICK,     /* arg: index in the exercise list */
    UI_ACT_TRAIN_HINT,
    UI_ACT_TRAIN_DONE,
    UI_ACT_TRAIN_BRIEF,
    UI_ACT_TRAIN_PRESET,   /* arg: index in the inverter settings presets */
    UI_ACT_TRAIN_CELL,     /* arg: -1 / +1: the cell a repair replaces */
    UI_ACT_TRAIN_REPAIR,
    UI_ACT_TRAIN_QUIT,
};

enum ui_dialog { UI_DLG_NONE, UI_DLG_FAULTS, UI_DLG_PICKER, UI_DLG_HELP, UI_DLG_TRAIN };

struct ui_hit {
    struct ui_rect r;
    int action;
    int arg;
};

#define UI_MAX_HITS 320
#define UI_TEXT_CACHE 512
#define UI_PLOT_N 600
#define UI_LOG_N 256
#define UI_LCD_LINES 10
#define UI_MAX_ACTIVE 32
#define UI_MAX_PICKER 48
#define UI_PICKER_DESC 400

struct ui_text_entry {
    uint32_t hash;
    char *text;
    SDL_Texture *tex;
    int w, h;
};

struct ui_plot_sample {
    float t_s;
    float cell_v[16];
    float temp_c[4];      /* true min / max over the cells, BMS min / max */
    float soc_true, soc_bms;
    float current_a;
};

struct ui_plots {
    struct ui_plot_sample s[UI_MAX_PACKS][UI_PLOT_N];
    int head, count;
    double period_s;
    double next_s;
};

struct ui_log_line {
    double t_s;
    int pack;             /* 1-based; 0: the window itself */
    char text[80];
};

struct ui_fault_sel {
    int kind, pack, cell, sensor; /* pack, cell, sensor 1-based */
    int which;                    /* enum scn_fet */
    double value;                 /* the kind's number (ohm, %, factor, A) */
};

struct ui {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Surface *canvas;  /* headless: what the software renderer draws on */
    bool headless;
    bool for_png;         /* this render is for a picture (F12) */
    bool sdl_video;
    SDL_Texture *disk;    /* a white anti-aliased disk, tinted for LEDs and knobs */
    TTF_Font *font[UI_F_COUNT];
    struct ui_text_entry cache[UI_TEXT_CACHE];

    /* the simulation */
    struct bridge *bridge; /* the outside ports, or NULL */
    const atomic_int *stop; /* ui_opts.stop: a signal asked to stop */
    struct cell_params *cell;
    struct scn_scenario scn;
    bool have_scn;
    char scn_path[1024];
    struct sim *sim;
    struct scn_timeline tl;
    struct scn_replay *replay; /* the scenario's field logs (docs/replay.md); NULL: none */

    /* time */
    int speed;            /* index into the speed table (ui_time.c) */
    bool paused;
    double sim_debt_s;    /* simulated time owed to the wall clock */
    bool lagging;
    double frame_ms, step_ms;

    /* pack selection and the start button */
    int selected;
    int held_pack;        /* -1: none */
    int link_pending;     /* the first port clicked for a new link cable (as the arg); -1 */
    uint64_t hold_since_ms;

    /* the extended LCD of every pack */
    struct lcd_decoder lcd_dec[UI_MAX_PACKS];
    struct bms_lcd_view lcd[UI_MAX_PACKS];
    uint32_t lcd_frames[UI_MAX_PACKS];
    uint64_t lcd_last_ms[UI_MAX_PACKS];
    char lcd_lines[UI_LCD_LINES][64];
    int lcd_nlines;
    char inv_359[2][320];  /* the inverter's 0x359 block as last drawn: protection, alarm */

    struct ui_hit hits[UI_MAX_HITS];
    int nhits;
    int mouse_x, mouse_y;

    enum ui_dialog dialog;
    struct ui_fault_sel fsel;
    struct scn_fault active[UI_MAX_ACTIVE];
    int nactive;
    char picker[UI_MAX_PICKER][256];
    char picker_desc[UI_MAX_PICKER][UI_PICKER_DESC]; /* each file's description, or its error */
    bool picker_desc_read;
    int npicker;
    int picker_top;       /* the first row shown */
    bool plot_view;
    double plot_period_s; /* > 0: a fixed plot sample period (screenshots) */

    struct ui_plots *plots;
    struct ui_log_line log[UI_LOG_N];
    int log_head, log_count;
    uint64_t ev_seen_ms[UI_MAX_PACKS];
    int ev_seen_n[UI_MAX_PACKS];
    int tl_seen;          /* timeline events already written to the log */

    struct ui_train *train; /* trainer mode (ui_train.c), NULL otherwise */

    bool quit;
    bool dirty;           /* input arrived: the next frame must be drawn */
    int shots;
};

/* ---- ui_draw.c ---- */
SDL_Color ui_colour(enum ui_colour c);
void ui_set(struct ui *ui, enum ui_colour c);
void ui_fill(struct ui *ui, struct ui_rect r, enum ui_colour c);
void ui_outline(struct ui *ui, struct ui_rect r, enum ui_colour c);
/* An area of the window filled and outlined as every side area is; returns its rectangle. */
struct ui_rect ui_area_frame(struct ui *ui, enum ui_area area);
void ui_disk(struct ui *ui, int cx, int cy, int radius, SDL_Color col);
void ui_arc(struct ui *ui, int cx, int cy, int radius, double frac, SDL_Color col);
void ui_hit_add(struct ui *ui, struct ui_rect r, int action, int arg);
/* A push button: draws, registers the hit, returns nothing. on: latched look. */
void ui_button(struct ui *ui, struct ui_rect r, const char *label, int action, int arg, bool on);
int ui_draw_init(struct ui *ui);
void ui_draw_free(struct ui *ui);

/* ---- ui_font.c ---- */
int ui_font_open(struct ui *ui, char *err, size_t err_len);
void ui_font_close(struct ui *ui);
/* Draws text with its top-left (or top-centre / top-right) at x, y; returns its width. */
int ui_text(struct ui *ui, enum ui_font_id f, int x, int y, enum ui_align a, SDL_Color col,
            const char *text);
int ui_textf(struct ui *ui, enum ui_font_id f, int x, int y, enum ui_align a, SDL_Color col,
             const char *fmt, ...) __attribute__((format(printf, 7, 8)));
int ui_font_height(struct ui *ui, enum ui_font_id f);
int ui_text_width(struct ui *ui, enum ui_font_id f, const char *text);
/* Draws text word-wrapped into lines of at most w px (a '\n' starts a new
 * line), line_h apart, at most max_lines of them: what does not fit ends the
 * last line with an ellipsis, so nothing is clipped. Returns the lines drawn. */
int ui_text_wrap(struct ui *ui, enum ui_font_id f, int x, int y, int w, int line_h, int max_lines,
                 SDL_Color col, const char *text);

/* ---- the parts ---- */
void ui_panel_draw(struct ui *ui, int pack);
void ui_panel_draw_leds(struct ui *ui, int pack); /* the LED bar alone (over a dialog's veil) */
void ui_cables_draw(struct ui *ui);   /* the link cables, above every panel */
void ui_cables_click(struct ui *ui, int action, int arg);
void ui_lcd_poll(struct ui *ui);      /* drain every pack's LCD UART into its decoder */
void ui_lcd_draw(struct ui *ui);
void ui_inverter_draw(struct ui *ui);
void ui_room_draw(struct ui *ui);
void ui_inverter_click(struct ui *ui, int action, int arg);
void ui_faults_draw(struct ui *ui);
void ui_faults_click(struct ui *ui, int action, int arg);
void ui_faults_note_event(struct ui *ui, const struct scn_event *ev);
void ui_time_draw(struct ui *ui);
void ui_time_click(struct ui *ui, int action, int arg);
double ui_time_speed(const struct ui *ui); /* 0 paused, < 0 max */
void ui_time_advance(struct ui *ui, double sim_dt_s, double budget_ms);
void ui_plots_reset(struct ui *ui);
void ui_plots_sample(struct ui *ui);
/* Four grid lines over g with their values from lo to hi, as every plot has them. */
void ui_plot_grid(struct ui *ui, struct ui_rect g, float lo, float hi);
void ui_plots_draw(struct ui *ui, struct ui_rect area);
void ui_log_add(struct ui *ui, int pack, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ui_log_poll(struct ui *ui);
void ui_log_draw(struct ui *ui);
void ui_picker_scan(struct ui *ui);
void ui_picker_draw(struct ui *ui);
void ui_picker_scroll(struct ui *ui, int rows);
void ui_help_draw(struct ui *ui);
/* ---- ui_train.c: trainer mode ---- */
int ui_train_begin(struct ui *ui, const struct ui_opts *o);
void ui_train_end(struct ui *ui);
void ui_train_record(struct ui *ui, const struct scn_event *ev); /* every applied action */
void ui_train_press(struct ui *ui, int pack, uint64_t from_ms, uint64_t to_ms);
void ui_train_click(struct ui *ui, int action, int arg);
bool ui_train_key(struct ui *ui, SDL_Keycode key); /* Return, H, D: true when taken */
void ui_train_draw(struct ui *ui);        /* in place of the event log */
void ui_train_plots_note(struct ui *ui, struct ui_rect area); /* in place of the plots */
void ui_train_dialog_draw(struct ui *ui); /* picker, brief, score */
const char *ui_time_label(const struct ui *ui); /* "60×", "max" */

/* Applies an action the same way a scenario event does (scn_apply_event). */
void ui_apply(struct ui *ui, const struct scn_event *ev);

#endif
