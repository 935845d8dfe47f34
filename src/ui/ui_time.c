/* ui_time: the simulated clock and its controls (pause, single step, 1x ..
 * 3600x, max) in the top bar, and the stepping loop that advances the
 * simulation tick by tick, playing the scenario's timeline as it goes.
 */
#include <stdio.h>
#include <time.h>

#include "gtx/bridge.h"
#include "ui_internal.h"

struct speed_row {
    const char *label;
    double factor; /* simulated seconds per wall second; < 0: as fast as possible */
    int width;
};

static const struct speed_row speed_table[] = {
    {"1\xc3\x97", 1.0, 40},     {"10\xc3\x97", 10.0, 44},     {"60\xc3\x97", 60.0, 44},
    {"600\xc3\x97", 600.0, 52}, {"3600\xc3\x97", 3600.0, 58}, {"max", -1.0, 46},
};
#define SPEED_COUNT ((int)(sizeof speed_table / sizeof speed_table[0]))

struct bar_button {
    const char *label;
    int action, arg, width;
};

static const struct bar_button right_buttons[] = {
    {"Scenarios (O)", UI_ACT_DIALOG, UI_DLG_PICKER, 104},
    {"Faults (F)", UI_ACT_DIALOG, UI_DLG_FAULTS, 84},
    {"Plots (P)", UI_ACT_PLOTS, 0, 76},
    {"Help (F1)", UI_ACT_DIALOG, UI_DLG_HELP, 76},
};

const char *ui_time_label(const struct ui *ui)
{
    return speed_table[ui->speed].label;
}

double ui_time_speed(const struct ui *ui)
{
    return ui->paused ? 0.0 : speed_table[ui->speed].factor;
}

static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* One firmware tick and what the window keeps up with between ticks. */
static void tick(struct ui *ui)
{
    struct sim *s = ui->sim;
    int before = ui->tl.next_event;
    char err[SCN_ERR_MAX];
    if (ui->replay && scn_replay_apply(ui->replay, s, sim_view_now_ms(s), err, sizeof err) < 0) {
        ui_log_add(ui, 0, "%.200s", err); /* the log changed under us: stop playing it */
        scn_replay_close(ui->replay, NULL);
        ui->replay = NULL;
    }
    scn_timeline_apply(&ui->tl, s);
    for (int i = before; i < ui->tl.next_event; i++)
        ui_faults_note_event(ui, &ui->scn.events[i]);
    sim_step(s);
    if (ui->bridge)
        bridge_poll(ui->bridge, s);
    if (sim_view_ticks(s) % 50u == 0) {
        ui_lcd_poll(ui);
        ui_log_poll(ui);
    }
    if (sim_time_s(s) >= ui->plots->next_s)
        ui_plots_sample(ui);
}

void ui_time_advance(struct ui *ui, double sim_dt_s, double budget_ms)
{
    struct sim *s = ui->sim;
    double t0 = wall_ms();
    uint64_t target_ms = sim_view_now_ms(s) + (uint64_t)(sim_dt_s * 1000.0 + 0.5);
    int n = 0;
    ui->lagging = false;
    while (sim_view_now_ms(s) < target_ms) {
        tick(ui);
        if ((++n & 63) != 0)
            continue;
        if (ui->stop && *ui->stop) /* SIGINT/SIGTERM: --at 30d must not hold on */
            break;
        if (budget_ms > 0.0 && wall_ms() - t0 > budget_ms) {
            ui->lagging = true;
            break;
        }
    }
    ui_lcd_poll(ui);
    ui_log_poll(ui);
    ui->step_ms = wall_ms() - t0;
}

void ui_time_click(struct ui *ui, int action, int arg)
{
    switch (action) {
    case UI_ACT_SPEED:
        if (arg >= 0 && arg < SPEED_COUNT)
            ui->speed = arg;
        ui->paused = false;
        ui->sim_debt_s = 0.0;
        break;
    case UI_ACT_PAUSE:
        ui->paused = !ui->paused;
        ui->sim_debt_s = 0.0;
        break;
    case UI_ACT_STEP: /* one firmware tick */
        ui->paused = true;
        ui_time_advance(ui, SIM_TICK_MS / 1000.0, 0.0);
        break;
    default:
        break;
    }
}

void ui_time_draw(struct ui *ui)
{
    struct ui_rect bar;
    ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_TOPBAR, &bar);
    ui_fill(ui, bar, UI_C_TOPBAR);
    ui_fill(ui, (struct ui_rect){bar.x, bar.y + bar.h - 1, bar.w, 1}, UI_C_AREA_EDGE);
    ui_text(ui, UI_F_TITLE, 12, 5, UI_LEFT, ui_colour(UI_C_TEXT), "gtxsim");
    ui_textf(ui, UI_F_SMALL, 12, 26, UI_LEFT, ui_colour(UI_C_DIM), "%.40s",
             ui->have_scn ? ui->scn.name : "(no scenario)");

    double t = sim_time_s(ui->sim);
    struct scn_datetime dt = {2026, 1, 1, 0, 0, 0};
    if (ui->have_scn)
        scn_local_time(&ui->scn, t, &dt);
    ui_textf(ui, UI_F_BOLD, 190, 5, UI_LEFT, ui_colour(UI_C_TEXT),
             "%04d-%02d-%02d %02d:%02d:%02d", dt.year, dt.month, dt.day, dt.hour, dt.minute,
             dt.second);
    char rel[32];
    if (t < 600.0)
        snprintf(rel, sizeof rel, "%.1f s", t);
    else
        snprintf(rel, sizeof rel, "%dd %02d:%02d:%02d", (int)(t / 86400), (int)(t / 3600) % 24,
                 (int)(t / 60) % 60, (int)t % 60);
    ui_textf(ui, UI_F_SMALL, 190, 26, UI_LEFT,
             ui_colour(ui->paused ? UI_C_WARN : ui->lagging ? UI_C_BAD : UI_C_DIM),
             "t = %s%s", rel, ui->paused ? "  PAUSED" : ui->lagging ? "  (behind)" : "");

    int x = 400;
    struct ui_rect r = {x, 8, 64, 30};
    ui_button(ui, r, ui->paused ? "\xe2\x96\xb6 run" : "\xe2\x9d\x9a\xe2\x9d\x9a pause",
              UI_ACT_PAUSE, 0, ui->paused);
    x += r.w + 4;
    r = (struct ui_rect){x, 8, 50, 30};
    ui_button(ui, r, "step", UI_ACT_STEP, 0, false);
    x += r.w + 10;
    for (int i = 0; i < SPEED_COUNT; i++) {
        r = (struct ui_rect){x, 8, speed_table[i].width, 30};
        ui_button(ui, r, speed_table[i].label, UI_ACT_SPEED, i, !ui->paused && ui->speed == i);
        x += r.w + 4;
    }
    x = bar.w - 8;
    for (int i = (int)(sizeof right_buttons / sizeof right_buttons[0]) - 1; i >= 0; i--) {
        if (ui->train && !(right_buttons[i].action == UI_ACT_DIALOG &&
                           right_buttons[i].arg == UI_DLG_HELP))
            continue; /* trainer mode: no fault menu, no other scenario, no plots of the truth */
        x -= right_buttons[i].width;
        r = (struct ui_rect){x, 8, right_buttons[i].width, 30};
        bool on = right_buttons[i].action == UI_ACT_DIALOG
                      ? (int)ui->dialog == right_buttons[i].arg
                      : ui->plot_view;
        ui_button(ui, r, right_buttons[i].label, right_buttons[i].action, right_buttons[i].arg,
                  on);
        x -= 4;
    }
}
