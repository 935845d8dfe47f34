/* ui_train: trainer mode (docs/training.md, "In the window"). The trainee gets
 * the brief, a hint button, the elapsed simulated time and a done button in
 * place of the event log; every action the window applies is recorded with its
 * simulated time; at the end the attempt is saved as JSON and scored by the
 * same headless scorer as `gtxsim train --replay`, and the score screen shows
 * the deductions, the hidden cause and the timeline. The fault menu is hidden.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/paths.h"
#include "gtx/train_score.h"
#include "ui_internal.h"

#define TRAIN_MAX_PICK 32

/* Inverter settings an installer sets on its display, as preset buttons. */
struct preset {
    const char *label;
    unsigned set; /* SCN_INV_SET_* */
    double value;
};
static const struct preset presets[] = {
    {"54.0 V", SCN_INV_SET_CHARGE_VOLTAGE, 54.0}, {"55.2 V", SCN_INV_SET_CHARGE_VOLTAGE, 55.2},
    {"56.0 V", SCN_INV_SET_CHARGE_VOLTAGE, 56.0}, {"57.6 V", SCN_INV_SET_CHARGE_VOLTAGE, 57.6},
    {"chg 25 A", SCN_INV_SET_CHARGE_CURRENT, 25}, {"chg 50 A", SCN_INV_SET_CHARGE_CURRENT, 50},
    {"dis 25 A", SCN_INV_SET_DISCHARGE_CURRENT, 25},
    {"dis 50 A", SCN_INV_SET_DISCHARGE_CURRENT, 50},
};
#define PRESET_COUNT ((int)(sizeof presets / sizeof presets[0]))

/* A repair replaces a cell: every per-cell hardware fault of it is cleared. */
static const enum scn_fault_kind repaired[] = {SCN_FAULT_CELL_WEAK, SCN_FAULT_CELL_RESISTANCE,
                                               SCN_FAULT_CELL_SHORT, SCN_FAULT_SENSE_OPEN};

struct ui_train {
    char out_path[1024]; /* where the attempt goes ("" : EXERCISE-attempt.json) */
    char trainee[64];
    bool started;        /* the brief was read: the clock runs */
    bool finished;
    struct scn_event actions[TRN_MAX_ACTIONS];
    int action_count;
    int hint_count;
    double hint_at_s[TRN_MAX_HINTS];
    double done_s;
    int last_speed;
    bool last_paused;
    int repair_cell;     /* 1-16 */
    struct trn_score score;
    bool have_score;
    char saved[1100];    /* "attempt saved to ..." or the error */
    struct ui_rect rect[UI_TRAIN_ITEM_COUNT];
    int npick;
    char pick_path[TRAIN_MAX_PICK][1300];
    char pick_title[TRAIN_MAX_PICK][120];
};

static bool is_exercise(const struct ui *ui)
{
    return ui->have_scn && ui->scn.training;
}

static void record(struct ui *ui, const struct scn_event *ev)
{
    struct ui_train *t = ui->train;
    if (!t->started || t->finished || t->action_count == TRN_MAX_ACTIONS)
        return;
    struct scn_event *a = &t->actions[t->action_count++];
    *a = *ev;
    a->index = t->action_count - 1;
    if (ev->action == SCN_DO_NOTE) /* the window's own text: the attempt keeps a copy */
        a->u.note.text = strdup(ev->u.note.text ? ev->u.note.text : "");
}

void ui_train_record(struct ui *ui, const struct scn_event *ev)
{
    if (ui->train)
        record(ui, ev);
}

void ui_train_press(struct ui *ui, int pack, uint64_t from_ms, uint64_t to_ms)
{
    if (!ui->train)
        return;
    struct scn_event ev = {.at_s = (double)from_ms / 1000.0, .action = SCN_DO_PRESS};
    ev.u.press.pack = pack + 1;
    ev.u.press.hold_s = (double)(to_ms - from_ms) / 1000.0;
    record(ui, &ev);
}

static void note(struct ui *ui, const char *text)
{
    struct scn_event ev = {.at_s = sim_time_s(ui->sim), .action = SCN_DO_NOTE};
    ev.u.note.text = (char *)text;
    record(ui, &ev);
}

static void clear_attempt(struct ui_train *t)
{
    for (int k = 0; k < t->action_count; k++)
        if (t->actions[k].action == SCN_DO_NOTE)
            free(t->actions[k].u.note.text);
    t->action_count = 0;
    t->hint_count = 0;
    t->started = t->finished = false;
    if (t->have_score)
        trn_score_free(&t->score);
    t->have_score = false;
    t->saved[0] = '\0';
}

/* ---- the exercises to pick from ---- */

static int by_path(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void scan_exercises(struct ui_train *t)
{
    char dir[1024];
    t->npick = 0;
    if (gtx_path_find("scenarios/training", dir, sizeof dir) != 0)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) && t->npick < TRAIN_MAX_PICK;) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0)
            snprintf(t->pick_path[t->npick++], sizeof t->pick_path[0], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(t->pick_path, (size_t)t->npick, sizeof t->pick_path[0], by_path);
    for (int k = 0; k < t->npick; k++) {
        struct scn_scenario s;
        char err[SCN_ERR_MAX];
        if (scn_load(t->pick_path[k], &s, err, sizeof err) == 0) {
            snprintf(t->pick_title[k], sizeof t->pick_title[0], "%s",
                     s.training ? s.training->title : s.name);
            scn_free(&s);
        } else {
            snprintf(t->pick_title[k], sizeof t->pick_title[0], "(does not load)");
        }
    }
}

/* ---- life ---- */

int ui_train_begin(struct ui *ui, const struct ui_opts *o)
{
    struct ui_train *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    ui->train = t;
    snprintf(t->out_path, sizeof t->out_path, "%s", o->train_out ? o->train_out : "");
    snprintf(t->trainee, sizeof t->trainee, "%s", o->trainee ? o->trainee : "");
    t->repair_cell = 1;
    scan_exercises(t);
    ui->dialog = UI_DLG_TRAIN; /* the brief first (or the picker) */
    ui->paused = true;
    return 0;
}

void ui_train_end(struct ui *ui)
{
    if (!ui->train)
        return;
    clear_attempt(ui->train);
    free(ui->train);
    ui->train = NULL;
}

static void finish(struct ui *ui)
{
    struct ui_train *t = ui->train;
    if (t->finished || !is_exercise(ui))
        return;
    t->finished = true;
    t->done_s = sim_time_s(ui->sim);
    if (t->done_s > ui->scn.training->time_limit_s)
        t->done_s = ui->scn.training->time_limit_s;
    ui->paused = true;
    struct trn_attempt a = {.exercise = ui->scn.name, .trainee = t->trainee,
                            .hint_count = t->hint_count, .done_s = t->done_s,
                            .action_count = t->action_count, .actions = t->actions};
    memcpy(a.hint_at_s, t->hint_at_s, sizeof a.hint_at_s);
    char path[1024];
    if (t->out_path[0])
        snprintf(path, sizeof path, "%s", t->out_path);
    else
        snprintf(path, sizeof path, "%s-attempt.json", ui->scn.name);
    FILE *f = fopen(path, "w");
    bool ok = f && trn_attempt_write(f, &a) == 0;
    if (f && fclose(f) != 0)
        ok = false;
    fprintf(stderr, "gtxsim train: %s %s\n", ok ? "attempt saved to" : "cannot write", path);
    /* On screen the file's name only: a screenshot for a handout shows no folders. */
    const char *base = strrchr(path, '/');
    snprintf(t->saved, sizeof t->saved, ok ? "attempt saved to %s" : "cannot write %s",
             base ? base + 1 : path);
    char err[SCN_ERR_MAX];
    t->have_score = trn_score(&ui->scn, ui->cell, &a, &t->score, err, sizeof err) == 0;
    if (!t->have_score)
        snprintf(t->saved, sizeof t->saved, "%s", err);
    else /* the same first line as `gtxsim train --replay` */
        fprintf(stderr, "gtxsim train: %s: %s, score %.0f/100\n", ui->scn.name,
                t->score.passed ? "PASS" : "FAIL", t->score.score);
    ui->dialog = UI_DLG_TRAIN;
}

static void start(struct ui *ui)
{
    struct ui_train *t = ui->train;
    t->started = true;
    ui->dialog = UI_DLG_NONE;
    ui->paused = false;
    t->last_speed = ui->speed;
    t->last_paused = ui->paused;
}

/* The clock, the speed and the time limit, looked at every frame. */
static void poll(struct ui *ui)
{
    struct ui_train *t = ui->train;
    /* The brief closed any other way (Esc, a click beside it) starts the clock too. */
    if (!t->started && !t->finished && is_exercise(ui) && ui->dialog == UI_DLG_NONE)
        start(ui);
    if (!t->started || t->finished)
        return;
    if (ui->speed != t->last_speed || ui->paused != t->last_paused) {
        char text[40];
        snprintf(text, sizeof text, "speed %s", ui->paused ? "paused" : ui_time_label(ui));
        note(ui, text);
        t->last_speed = ui->speed;
        t->last_paused = ui->paused;
    }
    if (sim_time_s(ui->sim) >= ui->scn.training->time_limit_s)
        finish(ui);
}

/* ---- clicks ---- */

static void set_inverter(struct ui *ui, const struct preset *p)
{
    struct scn_event ev = {.at_s = sim_time_s(ui->sim), .action = SCN_DO_INVERTER};
    ev.u.inverter.set = p->set;
    ev.u.inverter.v = ui->scn.inverter;
    ev.u.inverter.v.charge_voltage_v = p->value;
    ev.u.inverter.v.charge_current_a = p->value;
    ev.u.inverter.v.discharge_current_a = p->value;
    ev.u.inverter.demand = SCN_DEMAND_KEEP;
    ui_apply(ui, &ev);
    ui_log_add(ui, 0, "inverter %s", p->label);
}

static void repair(struct ui *ui)
{
    for (size_t k = 0; k < sizeof repaired / sizeof repaired[0]; k++) {
        struct scn_event ev = {.at_s = sim_time_s(ui->sim), .action = SCN_DO_CLEAR};
        ev.u.fault = (struct scn_fault){.kind = repaired[k], .pack = ui->selected + 1,
                                        .cell = ui->train->repair_cell, .which = SCN_FET_BOTH};
        ui_apply(ui, &ev);
    }
    ui_log_add(ui, 0, "cell %d of pack %d replaced", ui->train->repair_cell, ui->selected + 1);
}

void ui_train_click(struct ui *ui, int action, int arg)
{
    struct ui_train *t = ui->train;
    if (!t)
        return;
    switch (action) {
    case UI_ACT_TRAIN_START:
        if (is_exercise(ui) && !t->finished)
            start(ui);
        break;
    case UI_ACT_TRAIN_PICK:
        if (arg >= 0 && arg < t->npick) {
            char err[SCN_ERR_MAX];
            if (ui_load(ui, t->pick_path[arg], err, sizeof err) != 0)
                ui_log_add(ui, 0, "cannot load: %.66s", err);
            clear_attempt(t);
            ui->dialog = UI_DLG_TRAIN;
            ui->paused = true;
        }
        break;
    case UI_ACT_TRAIN_HINT:
        if (t->started && !t->finished && t->hint_count < ui->scn.training->hint_count)
            t->hint_at_s[t->hint_count++] = sim_time_s(ui->sim);
        break;
    case UI_ACT_TRAIN_DONE:
        if (t->started)
            finish(ui);
        break;
    case UI_ACT_TRAIN_BRIEF: ui->dialog = UI_DLG_TRAIN; break;
    case UI_ACT_TRAIN_PRESET:
        if (t->started && !t->finished && arg >= 0 && arg < PRESET_COUNT)
            set_inverter(ui, &presets[arg]);
        break;
    case UI_ACT_TRAIN_CELL:
        t->repair_cell = (t->repair_cell + arg + 15) % 16 + 1;
        break;
    case UI_ACT_TRAIN_REPAIR:
        if (t->started && !t->finished)
            repair(ui);
        break;
    case UI_ACT_TRAIN_QUIT: ui->quit = true; break;
    default: break;
    }
}

/* Keys: Return starts (closes the brief), H reveals a hint, D is done. */
bool ui_train_key(struct ui *ui, SDL_Keycode key)
{
    if (!ui->train)
        return false;
    switch (key) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER: ui_train_click(ui, UI_ACT_TRAIN_START, 0); return true;
    case SDLK_h: ui_train_click(ui, UI_ACT_TRAIN_HINT, 0); return true;
    case SDLK_d: ui_train_click(ui, UI_ACT_TRAIN_DONE, 0); return true;
    default: return false;
    }
}

/* ---- drawing: the panel in place of the event log ---- */

static void button(struct ui *ui, enum ui_train_item item, struct ui_rect r, const char *label,
                   int action, int arg, bool on)
{
    ui->train->rect[item] = r;
    ui_button(ui, r, label, action, arg, on);
}

static void fmt_time(char *buf, size_t n, double s)
{
    snprintf(buf, n, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60) % 60, (int)s % 60);
}

void ui_train_draw(struct ui *ui)
{
    struct ui_train *t = ui->train;
    poll(ui);
    struct ui_rect a = ui_area_frame(ui, UI_AREA_LOG);
    SDL_Color text = ui_colour(UI_C_TEXT), dim = ui_colour(UI_C_DIM);
    if (!is_exercise(ui)) {
        ui_text(ui, UI_F_BOLD, a.x + 10, a.y + 5, UI_LEFT, text, "TRAINER");
        ui_text(ui, UI_F_SMALL, a.x + 10, a.y + 28, UI_LEFT, dim, "pick an exercise");
        return;
    }
    const struct scn_training *tr = ui->scn.training;
    ui_textf(ui, UI_F_BOLD, a.x + 10, a.y + 5, UI_LEFT, text, "TRAINER: %.48s", tr->title);
    int lh = ui_font_height(ui, UI_F_SMALL) + 1;
    int y = a.y + 26;
    y += lh * ui_text_wrap(ui, UI_F_SMALL, a.x + 10, y, a.w - 80, lh, 2, dim, tr->brief);
    button(ui, UI_TRAIN_ITEM_BRIEF, (struct ui_rect){a.x + a.w - 64, a.y + 26, 54, 24}, "brief",
           UI_ACT_TRAIN_BRIEF, 0, false);
    char now[16], lim[16];
    fmt_time(now, sizeof now, sim_time_s(ui->sim));
    fmt_time(lim, sizeof lim, tr->time_limit_s);
    y += 4;
    ui_textf(ui, UI_F_BOLD, a.x + 10, y + 4, UI_LEFT,
             ui_colour(t->finished ? UI_C_DIM : UI_C_ACCENT), "t = %s of %s", now, lim);
    char hl[40];
    snprintf(hl, sizeof hl, "hint (%d left)", tr->hint_count - t->hint_count);
    button(ui, UI_TRAIN_ITEM_HINT, (struct ui_rect){a.x + 200, y, 110, 26}, hl,
           UI_ACT_TRAIN_HINT, 0, false);
    button(ui, UI_TRAIN_ITEM_DONE, (struct ui_rect){a.x + 318, y, 80, 26}, "done",
           UI_ACT_TRAIN_DONE, 0, t->finished);
    y += 30;
    if (t->hint_count > 0)
        y += lh * ui_text_wrap(ui, UI_F_SMALL, a.x + 10, y, a.w - 20, lh, 2,
                               ui_colour(UI_C_WARN), tr->hints[t->hint_count - 1].text);
    int yb = a.y + a.h - 56;
    ui_text(ui, UI_F_SMALL, a.x + 10, yb + 5, UI_LEFT, dim, "inverter");
    for (int k = 0; k < PRESET_COUNT; k++) {
        struct ui_rect r = {a.x + 64 + (k % 4) * 104, yb + (k / 4) * 0, 100, 22};
        if (k >= 4)
            r = (struct ui_rect){a.x + 64 + (k - 4) * 104, yb + 26, 100, 22};
        ui_button(ui, r, presets[k].label, UI_ACT_TRAIN_PRESET, k, false);
    }
    (void)y;
    int yr = yb - 26;
    ui_textf(ui, UI_F_SMALL, a.x + 10, yr + 5, UI_LEFT, dim, "repair pack %d: cell",
             ui->selected + 1);
    ui_button(ui, (struct ui_rect){a.x + 150, yr, 24, 22}, "-", UI_ACT_TRAIN_CELL, -1, false);
    ui_textf(ui, UI_F_BOLD, a.x + 188, yr + 3, UI_CENTRE, text, "%d", t->repair_cell);
    ui_button(ui, (struct ui_rect){a.x + 202, yr, 24, 22}, "+", UI_ACT_TRAIN_CELL, 1, false);
    button(ui, UI_TRAIN_ITEM_REPAIR, (struct ui_rect){a.x + 232, yr, 120, 22}, "replace cell",
           UI_ACT_TRAIN_REPAIR, 0, false);
}

/* The plots show the model's truth (true SOC, every cell's curve), which no
 * installer sees: in trainer mode their place says where to look instead. */
void ui_train_plots_note(struct ui *ui, struct ui_rect area)
{
    ui_fill(ui, area, UI_C_AREA);
    ui_outline(ui, area, UI_C_AREA_EDGE);
    int lh = ui_font_height(ui, UI_F_NORMAL) + 6;
    ui_text_wrap(ui, UI_F_NORMAL, area.x + 16, area.y + 16, area.w - 32, lh, 6,
                 ui_colour(UI_C_DIM),
                 "Trainer mode: you see what an installer sees. The front panel's LEDs and dry "
                 "contacts, the extended LCD of the pack you click, the inverter's display, "
                 "and what you can do on site: the start buttons, the cables, the inverter's "
                 "mode, set-point and settings, the charger, the room. The simulator's plots "
                 "of the cells' true state are hidden.");
}

/* ---- the dialog: picker, brief, score ---- */

static void draw_picker(struct ui *ui, struct ui_rect d)
{
    struct ui_train *t = ui->train;
    ui_text(ui, UI_F_TITLE, d.x + 16, d.y + 12, UI_LEFT, ui_colour(UI_C_TEXT),
            "Trainer: pick an exercise");
    for (int k = 0; k < t->npick; k++) {
        int y = d.y + 56 + k * 34;
        const char *base = strrchr(t->pick_path[k], '/');
        ui_button(ui, (struct ui_rect){d.x + 16, y, 280, 28}, base ? base + 1 : t->pick_path[k],
                  UI_ACT_TRAIN_PICK, k, false);
        ui_text(ui, UI_F_NORMAL, d.x + 310, y + 5, UI_LEFT, ui_colour(UI_C_TEXT),
                t->pick_title[k]);
    }
}

static void draw_brief(struct ui *ui, struct ui_rect d)
{
    const struct scn_training *tr = ui->scn.training;
    ui_text(ui, UI_F_TITLE, d.x + 16, d.y + 12, UI_LEFT, ui_colour(UI_C_TEXT), tr->title);
    int lh = ui_font_height(ui, UI_F_NORMAL) + 4;
    int y = d.y + 60;
    y += lh * ui_text_wrap(ui, UI_F_NORMAL, d.x + 16, y, d.w - 32, lh, 8, ui_colour(UI_C_TEXT),
                           tr->brief);
    char lim[32];
    scn_duration_format(tr->time_limit_s, lim, sizeof lim);
    ui_textf(ui, UI_F_NORMAL, d.x + 16, y + 16, UI_LEFT, ui_colour(UI_C_DIM),
             "Time limit %s of simulated time; %d hints, each costs points. Find the cause from "
             "the LEDs, the LCD,", lim, tr->hint_count);
    ui_text(ui, UI_F_NORMAL, d.x + 16, y + 16 + lh, UI_LEFT, ui_colour(UI_C_DIM),
            "the dry contacts and the inverter; fix it; press done. Restarting a pack that is "
            "still in trouble costs points.");
    button(ui, UI_TRAIN_ITEM_START, (struct ui_rect){d.x + 16, y + 32 + 2 * lh, 160, 32},
           ui->train->started ? "back to the site" : "start", UI_ACT_TRAIN_START, 0, false);
}

static void draw_score(struct ui *ui, struct ui_rect d)
{
    struct ui_train *t = ui->train;
    const struct scn_training *tr = ui->scn.training;
    SDL_Color text = ui_colour(UI_C_TEXT), dim = ui_colour(UI_C_DIM);
    ui_textf(ui, UI_F_TITLE, d.x + 16, d.y + 12, UI_LEFT, text, "%s: the result", tr->title);
    button(ui, UI_TRAIN_ITEM_QUIT, (struct ui_rect){d.x + d.w - 96, d.y + 10, 80, 28}, "quit",
           UI_ACT_TRAIN_QUIT, 0, false);
    if (!t->have_score) {
        ui_text(ui, UI_F_NORMAL, d.x + 16, d.y + 60, UI_LEFT, ui_colour(UI_C_BAD), t->saved);
        return;
    }
    const struct trn_score *s = &t->score;
    ui_textf(ui, UI_F_TITLE, d.x + 16, d.y + 50, UI_LEFT,
             ui_colour(s->passed ? UI_C_GOOD : UI_C_BAD), "%s   score %.0f / 100",
             s->passed ? "PASS: the system works" : "FAIL: the system does not work",
             s->score);
    char taken[32], lim[32];
    scn_duration_format(s->taken_s, taken, sizeof taken);
    scn_duration_format(tr->time_limit_s, lim, sizeof lim);
    int y = d.y + 84, lh = ui_font_height(ui, UI_F_SMALL) + 2;
    ui_textf(ui, UI_F_NORMAL, d.x + 16, y, UI_LEFT, text,
             "time %s of %s: -%.1f    hints %d: -%.1f    harmful actions %d: -%.1f", taken, lim,
             s->time_points, t->hint_count, s->hint_points, s->harm_count, s->harm_points);
    y += 24;
    for (int k = 0; k < s->harm_count && k < 3; k++, y += lh)
        ui_textf(ui, UI_F_SMALL, d.x + 16, y, UI_LEFT, ui_colour(UI_C_BAD), "%.0f s: %s",
                 s->harm[k].at_s, s->harm[k].text);
    for (int k = 0; k < s->run.outcome_count; k++)
        if (!s->run.outcomes[k].passed && y < d.y + 200) {
            const char *m = strstr(s->run.outcomes[k].message, ": expect[");
            ui_textf(ui, UI_F_SMALL, d.x + 16, y, UI_LEFT, ui_colour(UI_C_WARN),
                     "not working: %.110s", m ? m + 2 : s->run.outcomes[k].message);
            y += lh;
        }
    y += 6;
    ui_text(ui, UI_F_BOLD, d.x + 16, y, UI_LEFT, text, "The cause");
    y += 20;
    y += lh * ui_text_wrap(ui, UI_F_SMALL, d.x + 16, y, d.w - 32, lh, 4, text, tr->cause);
    y += 8;
    ui_text(ui, UI_F_BOLD, d.x + 16, y, UI_LEFT, text,
            "What happened (> your actions, then what the system did)");
    y += 20;
    int rows = (d.y + d.h - 30 - y) / lh;
    for (int k = 0; k < s->line_count && k < rows; k++, y += lh) {
        const struct trn_line *l = &s->lines[k];
        char when[16];
        fmt_time(when, sizeof when, l->at_s);
        ui_textf(ui, UI_F_SMALL, d.x + 16, y, UI_LEFT, l->action ? ui_colour(UI_C_ACCENT) : dim,
                 "%s %s %.120s", when, l->action ? ">" : " ", l->text);
    }
    ui_text(ui, UI_F_SMALL, d.x + 16, d.y + d.h - 22, UI_LEFT, dim, t->saved);
}

void ui_train_dialog_draw(struct ui *ui)
{
    struct ui_rect d;
    ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_DIALOG, &d);
    if (!is_exercise(ui))
        draw_picker(ui, d);
    else if (ui->train->finished)
        draw_score(ui, d);
    else
        draw_brief(ui, d);
}

/* ---- for the tests ---- */

bool ui_train_rect(const struct ui *ui, enum ui_train_item item, struct ui_rect *out)
{
    if (!ui->train || item < 0 || item >= UI_TRAIN_ITEM_COUNT || !ui->train->rect[item].w)
        return false;
    *out = ui->train->rect[item];
    return true;
}

bool ui_train_result(const struct ui *ui, bool *passed, double *score)
{
    const struct ui_train *t = ui->train;
    if (!t || !t->have_score)
        return false;
    *passed = t->score.passed;
    *score = t->score.score;
    return true;
}

int ui_train_actions(const struct ui *ui)
{
    return ui->train ? ui->train->action_count : -1;
}
