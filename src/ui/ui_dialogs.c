/* ui_dialogs: the scenario picker (the files of scenarios/, each with its
 * description) and the F1 help with every keyboard shortcut.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/paths.h"
#include "ui_internal.h"

static int by_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

void ui_picker_scan(struct ui *ui)
{
    ui->npicker = 0;
    ui->picker_top = 0;
    ui->picker_desc_read = false;
    char dir[1024];
    if (gtx_path_find("scenarios/default.json", dir, sizeof dir) != 0)
        return;
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && ui->npicker < UI_MAX_PICKER) {
        size_t n = strlen(e->d_name);
        if (n <= 5 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        /* A path too long for the list is left out, not cut (and gcc sees the check). */
        int w = snprintf(ui->picker[ui->npicker], sizeof ui->picker[0], "%s/%s", dir, e->d_name);
        if (w > 0 && (size_t)w < sizeof ui->picker[0])
            ui->npicker++;
    }
    closedir(d);
    qsort(ui->picker, (size_t)ui->npicker, sizeof ui->picker[0], by_name);
}

/* Each file's "description" (read when the picker is first drawn): a file
 * that does not load shows its error instead. */
static void read_descriptions(struct ui *ui)
{
    for (int i = 0; i < ui->npicker; i++) {
        struct scn_scenario scn;
        char err[SCN_ERR_MAX];
        if (scn_load(ui->picker[i], &scn, err, sizeof err) != 0) {
            const char *what = strstr(err, "error: ");
            snprintf(ui->picker_desc[i], UI_PICKER_DESC, "does not load: %.300s",
                     what ? what + 7 : err);
            continue;
        }
        snprintf(ui->picker_desc[i], UI_PICKER_DESC, "%.399s",
                 scn.description && *scn.description ? scn.description : "(no description)");
        scn_free(&scn);
    }
    ui->picker_desc_read = true;
}

static int picker_rows(void)
{
    int n = 0;
    struct ui_rect name, desc;
    while (ui_layout_picker_row(n, &name, &desc))
        n++;
    return n;
}

void ui_picker_scroll(struct ui *ui, int rows)
{
    int last = ui->npicker - picker_rows();
    ui->picker_top += rows;
    if (ui->picker_top > last)
        ui->picker_top = last;
    if (ui->picker_top < 0)
        ui->picker_top = 0;
}

void ui_picker_draw(struct ui *ui)
{
    struct ui_rect d;
    ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_DIALOG, &d);
    if (!ui->picker_desc_read)
        read_descriptions(ui);
    ui_text(ui, UI_F_TITLE, d.x + 16, d.y + 12, UI_LEFT, ui_colour(UI_C_TEXT), "Scenarios");
    ui_text(ui, UI_F_SMALL, d.x + 130, d.y + 16, UI_LEFT, ui_colour(UI_C_DIM),
            "click to load; or drop a .json file on the window; R reloads the current one");
    ui_button(ui, (struct ui_rect){d.x + d.w - 40, d.y + 10, 28, 26}, "\xc3\x97", UI_ACT_CLOSE, 0,
              false);
    struct ui_rect name, desc;
    if (ui->npicker == 0 && ui_layout_picker_row(0, &name, &desc))
        ui_text(ui, UI_F_NORMAL, name.x, name.y + 6, UI_LEFT, ui_colour(UI_C_DIM),
                "no scenarios/ folder found");
    int rows = picker_rows();
    int lh = ui_font_height(ui, UI_F_SMALL) + 1;
    for (int k = 0; k < rows && ui->picker_top + k < ui->npicker; k++) {
        int i = ui->picker_top + k;
        const char *base = strrchr(ui->picker[i], '/');
        base = base ? base + 1 : ui->picker[i];
        ui_layout_picker_row(k, &name, &desc);
        ui_button(ui, name, base, UI_ACT_PICK, i, strcmp(ui->picker[i], ui->scn_path) == 0);
        ui_text_wrap(ui, UI_F_SMALL, desc.x, desc.y, desc.w, lh, 2, ui_colour(UI_C_DIM),
                     ui->picker_desc[i]);
    }
    if (ui->npicker > rows && rows > 1) { /* more than fit: scroll with these or the wheel */
        struct ui_rect last;
        ui_layout_picker_row(0, &name, &desc);
        ui_layout_picker_row(rows - 1, &last, &desc);
        int x = d.x + d.w - 40;
        ui_button(ui, (struct ui_rect){x, name.y, 28, 40}, "\xe2\x96\xb2", UI_ACT_PICK_SCROLL,
                  -(rows - 1), false);
        ui_button(ui, (struct ui_rect){x, last.y + last.h - 40, 28, 40}, "\xe2\x96\xbc",
                  UI_ACT_PICK_SCROLL, rows - 1, false);
        int shown = ui->picker_top + rows < ui->npicker ? ui->picker_top + rows : ui->npicker;
        ui_textf(ui, UI_F_SMALL, x + 14, name.y + 48, UI_CENTRE, ui_colour(UI_C_DIM), "%d-",
                 ui->picker_top + 1);
        ui_textf(ui, UI_F_SMALL, x + 14, name.y + 64, UI_CENTRE, ui_colour(UI_C_DIM), "%d", shown);
        ui_textf(ui, UI_F_SMALL, x + 14, name.y + 80, UI_CENTRE, ui_colour(UI_C_DIM), "of %d",
                 ui->npicker);
    }
}

struct help_row {
    const char *key, *what;
};

static const struct help_row help_table[] = {
    {"mouse on START / Space", "hold the start button of the pack (Space: the selected pack);"},
    {"", "the ring shows the hold time, the firmware's 3 s rule decides"},
    {"click a panel / 1-4 / Tab", "select the pack shown on the LCD and in the plots"},
    {"P", "plots over the panels (on / off)"},
    {"Pause or K", "pause / run"},
    {". (period)", "single step: one 10 ms firmware tick (Shift: 1 s)"},
    {"F5 F6 F7 F8 F9 F10", "speed 1x, 10x, 60x, 600x, 3600x, max"},
    {"+ / -", "faster / slower"},
    {"F", "fault menu: inject and clear faults"},
    {"C", "plug / unplug the CAN cable to the inverter"},
    {"G", "external charger on / off"},
    {"Up / Down", "room temperature +1 / -1 \xc2\xb0" "C"},
    {"click a POWER block", "connect / disconnect that pack's power cables"},
    {"click a LINK port", "then another: plug a link cable; click a cable: unplug it"},
    {"O", "scenario picker (scenarios/); drop a .json file on the window to load it"},
    {"R", "reload the current scenario from its file (restarts at t = 0)"},
    {"F12", "screenshot: gtxsim-N.png in the current folder"},
    {"F1 / Esc", "this help / close a dialog (Esc: forget a picked LINK port)"},
    {"Ctrl+Q", "quit"},
    {"an LED with a ring", "it flashes (lit or dark at this instant); 1/2/3 dots: flash 1/2/3"},
};

void ui_help_draw(struct ui *ui)
{
    struct ui_rect d;
    ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_DIALOG, &d);
    ui_text(ui, UI_F_TITLE, d.x + 16, d.y + 12, UI_LEFT, ui_colour(UI_C_TEXT), "Help");
    ui_button(ui, (struct ui_rect){d.x + d.w - 40, d.y + 10, 28, 26}, "\xc3\x97", UI_ACT_CLOSE, 0,
              false);
    int y = d.y + 52;
    for (size_t i = 0; i < sizeof help_table / sizeof help_table[0]; i++, y += 24) {
        ui_text(ui, UI_F_BOLD, d.x + 24, y, UI_LEFT, ui_colour(UI_C_ACCENT), help_table[i].key);
        ui_text(ui, UI_F_NORMAL, d.x + 250, y, UI_LEFT, ui_colour(UI_C_TEXT), help_table[i].what);
    }
    ui_text(ui, UI_F_SMALL, d.x + 24, y + 12, UI_LEFT, ui_colour(UI_C_DIM),
            "The window only presses buttons, plugs cables, sets the inverter, charger, room and "
            "faults;");
    ui_text(ui, UI_F_SMALL, d.x + 24, y + 28, UI_LEFT, ui_colour(UI_C_DIM),
            "the LEDs, dry contacts and LCD show what the BMS firmware drives. LEDs flash in "
            "simulated time.");
}
