/* ui_plot: scrolling plots of the selected pack (16 cell voltages, cell
 * temperatures true and as the BMS sees them, SOC true and BMS, current),
 * sampled in simulated time, and the event-log panel fed by the firmware's
 * event log and by the window's own actions.
 */
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

/* Sixteen distinguishable line colours for the cells. */
static const SDL_Color cell_colour[16] = {
    {230, 80, 80, 255},   {240, 140, 60, 255},  {240, 200, 60, 255},  {190, 230, 70, 255},
    {110, 220, 90, 255},  {60, 210, 150, 255},  {60, 200, 220, 255},  {80, 150, 240, 255},
    {120, 110, 240, 255}, {170, 90, 230, 255},  {220, 90, 200, 255},  {240, 120, 160, 255},
    {200, 200, 200, 255}, {150, 150, 120, 255}, {120, 170, 170, 255}, {250, 250, 140, 255},
};

struct series {
    const char *name;
    SDL_Color colour;
};

void ui_plots_reset(struct ui *ui)
{
    memset(ui->plots, 0, sizeof *ui->plots);
}

void ui_plots_sample(struct ui *ui)
{
    struct ui_plots *pl = ui->plots;
    struct sim *s = ui->sim;
    double speed = ui_time_speed(ui);
    pl->period_s = speed < 0 ? 60.0 : speed * 0.5 < 0.5 ? 0.5 : speed * 0.5 > 60 ? 60 : speed * 0.5;
    if (ui->plot_period_s > 0.0)
        pl->period_s = ui->plot_period_s;
    double t = sim_time_s(s);
    pl->next_s = t + pl->period_s;
    for (int p = 0; p < sim_view_pack_count(s); p++) {
        struct ui_plot_sample *x = &pl->s[p][pl->head];
        struct sim_pack_obs o;
        struct sim_cells cells;
        sim_view_observe(s, p, &o);
        sim_view_cells(s, p, &cells);
        x->t_s = (float)t;
        for (int c = 0; c < 16; c++)
            x->cell_v[c] = (float)cells.v[c];
        x->temp_c[0] = (float)o.temp_min_c;
        x->temp_c[1] = (float)o.temp_max_c;
        x->temp_c[2] = o.st->temp_min_ddegC / 10.0f;
        x->temp_c[3] = o.st->temp_max_ddegC / 10.0f;
        x->soc_true = (float)o.true_soc_pct;
        x->soc_bms = o.st->soc_pptt / 100.0f;
        x->current_a = (float)o.current_a;
    }
    pl->head = (pl->head + 1) % UI_PLOT_N;
    if (pl->count < UI_PLOT_N)
        pl->count++;
}

typedef float (*value_fn)(const struct ui_plot_sample *x, int k);

static float v_cell(const struct ui_plot_sample *x, int k) { return x->cell_v[k]; }
static float v_temp(const struct ui_plot_sample *x, int k) { return x->temp_c[k]; }
static float v_soc(const struct ui_plot_sample *x, int k) { return k ? x->soc_bms : x->soc_true; }
static float v_cur(const struct ui_plot_sample *x, int k)
{
    (void)k;
    return x->current_a;
}

struct plot_row {
    const char *title;
    const char *unit;
    value_fn value;
    int n_series;
    struct series series[4]; /* empty name: the cell colours */
    float min_span;
};

static const struct plot_row plot_table[] = {
    {"cell voltages (16)", "V", v_cell, 16, {{"", {0, 0, 0, 0}}}, 0.02f},
    {"temperature", "\xc2\xb0" "C", v_temp, 4,
     {{"true min", {80, 150, 240, 255}}, {"true max", {240, 110, 80, 255}},
      {"BMS min", {140, 200, 250, 255}}, {"BMS max", {250, 190, 140, 255}}}, 2.0f},
    {"SOC", "%", v_soc, 2,
     {{"true", {110, 220, 90, 255}}, {"BMS", {240, 200, 60, 255}}}, 2.0f},
    {"current (> 0 charging)", "A", v_cur, 1, {{"I", {90, 170, 240, 255}}}, 2.0f},
};

void ui_plot_grid(struct ui *ui, struct ui_rect g, float lo, float hi)
{
    ui_set(ui, UI_C_AREA_EDGE);
    for (int i = 0; i <= 4; i++) {
        int y = g.y + g.h - i * g.h / 4;
        SDL_RenderDrawLine(ui->ren, g.x, y, g.x + g.w, y);
        ui_textf(ui, UI_F_SMALL, g.x - 4, y - 7, UI_RIGHT, ui_colour(UI_C_DIM), "%.*f",
                 hi - lo < 0.5f ? 3 : hi - lo < 10 ? 1 : 0, lo + (hi - lo) * i / 4);
    }
}

static void draw_plot(struct ui *ui, const struct plot_row *pr, struct ui_rect r)
{
    const struct ui_plots *pl = ui->plots;
    int p = ui->selected;
    ui_fill(ui, r, UI_C_AREA);
    ui_outline(ui, r, UI_C_AREA_EDGE);
    ui_text(ui, UI_F_SMALL, r.x + 6, r.y + 3, UI_LEFT, ui_colour(UI_C_TEXT), pr->title);
    struct ui_rect g = {r.x + 44, r.y + 20, r.w - 52, r.h - 28};
    if (g.h < 20 || pl->count < 2)
        return;
    float lo = FLT_MAX, hi = -FLT_MAX;
    int first = (pl->head - pl->count + UI_PLOT_N) % UI_PLOT_N;
    for (int i = 0; i < pl->count; i++) {
        const struct ui_plot_sample *x = &pl->s[p][(first + i) % UI_PLOT_N];
        for (int k = 0; k < pr->n_series; k++) {
            float v = pr->value(x, k);
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    }
    if (hi - lo < pr->min_span) {
        float mid = (hi + lo) / 2;
        lo = mid - pr->min_span / 2;
        hi = mid + pr->min_span / 2;
    }
    ui_plot_grid(ui, g, lo, hi);
    SDL_Point pts[UI_PLOT_N];
    for (int k = 0; k < pr->n_series; k++) {
        for (int i = 0; i < pl->count; i++) {
            const struct ui_plot_sample *x = &pl->s[p][(first + i) % UI_PLOT_N];
            pts[i].x = g.x + (int)((long)i * g.w / (pl->count - 1));
            pts[i].y = g.y + g.h - (int)((pr->value(x, k) - lo) / (hi - lo) * (float)g.h);
        }
        SDL_Color c = pr->series[0].name[0] ? pr->series[k].colour : cell_colour[k];
        SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, 255);
        SDL_RenderDrawLines(ui->ren, pts, pl->count);
        if (pr->series[0].name[0])
            ui_text(ui, UI_F_SMALL, r.x + r.w - 8 - (pr->n_series - 1 - k) * 64, r.y + 3,
                    UI_RIGHT, c, pr->series[k].name);
    }
    const struct ui_plot_sample *a = &pl->s[p][first];
    const struct ui_plot_sample *b = &pl->s[p][(pl->head - 1 + UI_PLOT_N) % UI_PLOT_N];
    char span[32];
    double dt = b->t_s - a->t_s;
    if (dt < 120.0)
        snprintf(span, sizeof span, "%.0f s", dt);
    else if (dt < 7200.0)
        snprintf(span, sizeof span, "%.0f min", dt / 60.0);
    else
        snprintf(span, sizeof span, "%.1f h", dt / 3600.0);
    ui_textf(ui, UI_F_SMALL, g.x + g.w, g.y + g.h - 16, UI_RIGHT, ui_colour(UI_C_DIM),
             "last %s, pack %d", span, p + 1);
}

void ui_plots_draw(struct ui *ui, struct ui_rect area)
{
    int n = (int)(sizeof plot_table / sizeof plot_table[0]);
    int cols = 2, rows = (n + 1) / 2;
    int w = (area.w - 6) / cols, h = (area.h - 6) / rows;
    for (int i = 0; i < n; i++) {
        struct ui_rect r = {area.x + (i % cols) * (w + 6), area.y + (i / cols) * (h + 6), w, h};
        draw_plot(ui, &plot_table[i], r);
    }
}

/* ---- the event log ---- */

void ui_log_add(struct ui *ui, int pack, const char *fmt, ...)
{
    struct ui_log_line *l = &ui->log[ui->log_head];
    l->t_s = ui->sim ? sim_time_s(ui->sim) : 0.0;
    l->pack = pack;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    ui->log_head = (ui->log_head + 1) % UI_LOG_N;
    if (ui->log_count < UI_LOG_N)
        ui->log_count++;
}

void ui_log_poll(struct ui *ui)
{
    struct sim *s = ui->sim;
    for (int p = 0; p < sim_view_pack_count(s); p++) {
        uint64_t seen = ui->ev_seen_ms[p];
        struct sim_event_cursor cur;
        struct sim_event ev;
        const struct sim_event *e = &ev;
        sim_view_events_begin(s, p, &cur);
        while (sim_view_event_next(s, &cur, &ev)) {
            if (e->t_ms < seen)
                continue; /* every event of a tick arrives in the same poll */
            char name[SIM_EVENT_NAME_MAX];
            sim_event_name(e, name, sizeof name);
            struct ui_log_line *l = &ui->log[ui->log_head];
            l->t_s = (double)e->t_ms / 1000.0;
            l->pack = p + 1;
            snprintf(l->text, sizeof l->text, "%s", name);
            ui->log_head = (ui->log_head + 1) % UI_LOG_N;
            if (ui->log_count < UI_LOG_N)
                ui->log_count++;
            ui->ev_seen_ms[p] = e->t_ms + 1;
        }
    }
}

static enum ui_colour line_colour(const struct ui_log_line *l)
{
    if (l->pack == 0)
        return UI_C_ACCENT;
    if (!strncmp(l->text, "protect", 7) || !strncmp(l->text, "fault", 5))
        return UI_C_BAD;
    if (!strncmp(l->text, "alarm", 5))
        return UI_C_WARN;
    return UI_C_TEXT;
}

void ui_log_draw(struct ui *ui)
{
    struct ui_rect a = ui_area_frame(ui, UI_AREA_LOG);
    ui_text(ui, UI_F_BOLD, a.x + 10, a.y + 5, UI_LEFT, ui_colour(UI_C_TEXT), "EVENT LOG");
    ui_text(ui, UI_F_SMALL, a.x + 100, a.y + 7, UI_LEFT, ui_colour(UI_C_DIM),
            "firmware events (P1-P4) and window actions");
    int lh = ui_font_height(ui, UI_F_SMALL) + 2;
    int rows = (a.h - 30) / lh;
    int n = ui->log_count < rows ? ui->log_count : rows;
    for (int i = 0; i < n; i++) {
        int idx = (ui->log_head - n + i + UI_LOG_N) % UI_LOG_N;
        const struct ui_log_line *l = &ui->log[idx];
        int y = a.y + 26 + i * lh;
        long t = (long)l->t_s;
        ui_textf(ui, UI_F_SMALL, a.x + 10, y, UI_LEFT, ui_colour(UI_C_DIM), "%ldd %02ld:%02ld:%02ld.%01d",
                 t / 86400, t / 3600 % 24, t / 60 % 60, t % 60, (int)((l->t_s - (double)t) * 10));
        ui_text(ui, UI_F_SMALL, a.x + 120, y, UI_LEFT, ui_colour(UI_C_DIM),
                l->pack ? (const char *[]){"", "P1", "P2", "P3", "P4"}[l->pack] : "window");
        ui_text(ui, UI_F_SMALL, a.x + 170, y, UI_LEFT, ui_colour(line_colour(l)), l->text);
    }
}
