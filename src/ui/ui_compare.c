/* ui_compare: the PNG of `gtxsim compare` (docs/replay.md, "Comparison"): a
 * replay's logged SOC, voltage and current against the simulated ones, read
 * from the CSV `gtxsim run --compare` writes, drawn on the window's offscreen
 * canvas with its colours, fonts and plot frames. The CSV is read twice
 * (its time span, then one mean per pixel column), never held whole.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/scn_csv.h"
#include "ui_internal.h"

#define COLS 1180 /* the plot's width in pixels: one bucket each */

/* The CSV's columns, in the order of scn_compare_write_header. */
static const char *const col_names[6] = {"soc_log_pct",   "soc_sim_pct",   "voltage_log_v",
                                         "voltage_sim_v", "current_log_a", "current_sim_a"};
static const char *const titles[3] = {"SOC (%)", "voltage (V)", "current (A, > 0 charging)"};
static const SDL_Color log_colour = {240, 200, 60, 255}; /* the window's BMS SOC colour */
static const SDL_Color sim_colour = {90, 170, 240, 255}; /* its current colour */

struct bucketed {
    double t0_s, t1_s;
    double sum[6][COLS];
    int n[6][COLS];
};

static int open_csv(struct scn_csv *c, const char *path, int field[7], char *err, size_t n)
{
    if (scn_csv_open(c, path, ',', err, n) < 0)
        return -1;
    field[0] = scn_csv_column(c, "t_s");
    for (int k = 0; k < 6; k++)
        field[k + 1] = scn_csv_column(c, col_names[k]);
    for (int k = 0; k < 7; k++)
        if (field[k] < 0) {
            scn_csv_fail(c, -1, true, err, n, "no column '%s' (expected the CSV that `gtxsim "
                         "run --compare` writes)", k ? col_names[k - 1] : "t_s");
            scn_csv_close(c);
            return -1;
        }
    return 0;
}

static int row_time(struct scn_csv *c, int field, double *t, char *err, size_t n)
{
    if (!scn_csv_number(scn_csv_field(c, field), ',', t))
        return scn_csv_fail(c, field, false, err, n, "bad time '%.40s' (expected seconds such "
                            "as 300.000)", scn_csv_field(c, field));
    return 0;
}

/* Two passes: the span, then a mean per bucket. */
static int read_buckets(const char *path, struct bucketed *b, char *err, size_t n)
{
    struct scn_csv *c = malloc(sizeof *c);
    int field[7], rc;
    if (!c) {
        snprintf(err, n, "%s: error: out of memory", path);
        return -1;
    }
    if (open_csv(c, path, field, err, n) < 0) {
        free(c);
        return -1;
    }
    long rows = 0;
    while ((rc = scn_csv_next(c, err, n)) == 1) {
        double t;
        if (row_time(c, field[0], &t, err, n) < 0) {
            rc = -1;
            break;
        }
        b->t0_s = rows == 0 || t < b->t0_s ? t : b->t0_s;
        b->t1_s = rows == 0 || t > b->t1_s ? t : b->t1_s;
        rows++;
    }
    scn_csv_close(c);
    if (rc == 0 && rows == 0) {
        snprintf(err, n, "%s:2:1: error: no rows (expected the pairs of a replay with logged "
                 "values)", path);
        rc = -1;
    }
    if (rc < 0 || open_csv(c, path, field, err, n) < 0) {
        free(c);
        return -1;
    }
    double span = b->t1_s > b->t0_s ? b->t1_s - b->t0_s : 1.0;
    while ((rc = scn_csv_next(c, err, n)) == 1) {
        double t, v;
        row_time(c, field[0], &t, err, n);
        int col = (int)((t - b->t0_s) / span * (COLS - 1) + 0.5);
        for (int k = 0; k < 6; k++) {
            const char *text = scn_csv_field(c, field[k + 1]);
            if (!*text)
                continue;
            if (!scn_csv_number(text, ',', &v)) {
                rc = scn_csv_fail(c, field[k + 1], false, err, n, "bad number '%.40s' in "
                                  "column '%s' (expected a number or nothing)", text,
                                  col_names[k]);
                break;
            }
            b->sum[k][col] += v;
            b->n[k][col]++;
        }
        if (rc < 0)
            break;
    }
    scn_csv_close(c);
    free(c);
    return rc < 0 ? -1 : 0;
}

static void draw_series(struct ui *ui, const struct bucketed *b, int k, struct ui_rect g,
                        double lo, double hi, SDL_Color colour)
{
    SDL_Point pts[COLS];
    int np = 0;
    for (int i = 0; i < COLS; i++) {
        if (!b->n[k][i])
            continue;
        double v = b->sum[k][i] / b->n[k][i];
        pts[np].x = g.x + (int)((long)i * g.w / (COLS - 1));
        pts[np].y = g.y + g.h - (int)((v - lo) / (hi - lo) * g.h);
        np++;
    }
    SDL_SetRenderDrawColor(ui->ren, colour.r, colour.g, colour.b, 255);
    if (np == 1)
        SDL_RenderDrawPoint(ui->ren, pts[0].x, pts[0].y);
    else if (np > 1)
        SDL_RenderDrawLines(ui->ren, pts, np);
}

/* One quantity: the frame, grid and values as the window's plots draw them. */
static void draw_chart(struct ui *ui, const struct bucketed *b, int q, struct ui_rect r)
{
    static const double min_span[3] = {2.0, 0.2, 2.0};
    ui_fill(ui, r, UI_C_AREA);
    ui_outline(ui, r, UI_C_AREA_EDGE);
    ui_text(ui, UI_F_SMALL, r.x + 6, r.y + 3, UI_LEFT, ui_colour(UI_C_TEXT), titles[q]);
    ui_text(ui, UI_F_SMALL, r.x + r.w - 8, r.y + 3, UI_RIGHT, sim_colour, "simulated");
    ui_text(ui, UI_F_SMALL, r.x + r.w - 90, r.y + 3, UI_RIGHT, log_colour, "logged");
    struct ui_rect g = {r.x + 60, r.y + 22, r.w - 72, r.h - 44};
    double lo = INFINITY, hi = -INFINITY;
    for (int k = 2 * q; k < 2 * q + 2; k++)
        for (int i = 0; i < COLS; i++)
            if (b->n[k][i]) {
                double v = b->sum[k][i] / b->n[k][i];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
    if (lo > hi) {
        ui_text(ui, UI_F_SMALL, g.x + g.w / 2, g.y + g.h / 2, UI_CENTRE, ui_colour(UI_C_DIM),
                "nothing logged");
        return;
    }
    if (hi - lo < min_span[q]) {
        double mid = (hi + lo) / 2;
        lo = mid - min_span[q] / 2;
        hi = mid + min_span[q] / 2;
    }
    ui_plot_grid(ui, g, (float)lo, (float)hi);
    for (int i = 0; i <= 4; i++) {
        char when[32];
        scn_duration_format(b->t0_s + (b->t1_s - b->t0_s) * i / 4, when, sizeof when);
        ui_text(ui, UI_F_SMALL, g.x + i * g.w / 4, g.y + g.h + 3,
                i == 0 ? UI_LEFT : i == 4 ? UI_RIGHT : UI_CENTRE, ui_colour(UI_C_DIM), when);
    }
    draw_series(ui, b, 2 * q, g, lo, hi, log_colour);
    draw_series(ui, b, 2 * q + 1, g, lo, hi, sim_colour);
}

int ui_compare_plot(const char *csv, const char *png, const char *title, char *err,
                    size_t err_len)
{
    struct bucketed *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, err_len, "%s: error: out of memory", csv);
        return -1;
    }
    if (read_buckets(csv, b, err, err_len) < 0) {
        free(b);
        return -1;
    }
    struct ui_opts o = {.headless = true};
    struct ui *ui = ui_create(&o, err, err_len);
    if (!ui) {
        free(b);
        return -2;
    }
    ui_fill(ui, (struct ui_rect){0, 0, UI_W, UI_H}, UI_C_BG);
    ui_text(ui, UI_F_TITLE, 12, 8, UI_LEFT, ui_colour(UI_C_TEXT), "gtxsim compare");
    ui_text(ui, UI_F_SMALL, 12, 34, UI_LEFT, ui_colour(UI_C_DIM), title);
    for (int q = 0; q < 3; q++)
        draw_chart(ui, b, q, (struct ui_rect){10, 56 + q * 248, UI_W - 20, 238});
    int rc = ui_save_png(ui, png);
    if (rc != 0)
        snprintf(err, err_len, "gtxsim compare: error: cannot write %s", png);
    ui_destroy(ui);
    free(b);
    return rc == 0 ? 0 : -2;
}
