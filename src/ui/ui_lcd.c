/* ui_lcd: the optional extended LCD (manual 5.2.7) of the selected pack. It
 * shows only what the decoder yields from the bytes the firmware sends on its
 * LCD UART (docs/lcd-protocol.md), drawn as a small backlit character display.
 */
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

#define LCD_STALE_MS 3000u /* no frame for this long: the display shows no signal */

void ui_lcd_poll(struct ui *ui)
{
    struct sim *s = ui->sim;
    for (int i = 0; i < sim_view_pack_count(s); i++) {
        uint8_t buf[512];
        size_t n;
        while ((n = sim_view_lcd_read(s, i, buf, sizeof buf)) > 0) {
            unsigned got = lcd_decoder_feed(&ui->lcd_dec[i], buf, n, &ui->lcd[i]);
            if (got) {
                ui->lcd_frames[i] += got;
                ui->lcd_last_ms[i] = sim_view_now_ms(s);
            }
        }
    }
}

/* "a|b" of the set bits' names, or "none". */
static void names_of(char *buf, size_t n, uint32_t mask, const char *(*names)(int))
{
    if (!mask)
        snprintf(buf, n, "none");
    else
        scn_format_ids(buf, n, mask, names);
}

static void bal_cells(char *buf, size_t n, uint16_t mask)
{
    size_t used = (size_t)snprintf(buf, n, "%s", mask ? "" : "none");
    for (int c = 0; c < 16 && used < n; c++)
        if (mask & (1u << c))
            used += (size_t)snprintf(buf + used, n - used, "%s%d", used ? "," : "", c + 1);
}

/* The display's text lines from the decoded view. */
static void compose(struct ui *ui, const struct bms_lcd_view *v)
{
    char (*l)[64] = ui->lcd_lines;
    const char *state = scn_state_name(v->state);
    char id[16];
    if (v->pack_id)
        snprintf(id, sizeof id, "ID %u %s", v->pack_id,
                 (v->flags & LCD_FLAG_MASTER) ? "MASTER" : "SLAVE");
    else
        snprintf(id, sizeof id, "ID -");
    snprintf(l[0], 64, "%-16s%30s", id, state ? state : "?");
    snprintf(l[1], 64, "SOC %3u %%   SOH %3u %%   CYCLES %5u", v->soc_pct, v->soh_pct,
             v->cycles);
    snprintf(l[2], 64, "U %6.2f V  I %+6.1f A  P %+6d W", v->voltage_mV / 1000.0,
             v->current_mA / 1000.0, (int)v->power_W);
    snprintf(l[3], 64, "Vmin %5.3f V #%-2u   Vmax %5.3f V #%-2u", v->cell_min_mV / 1000.0,
             v->cell_min_no, v->cell_max_mV / 1000.0, v->cell_max_no);
    snprintf(l[4], 64, "Tmin %5.1f C T%u    Tmax %5.1f C T%u", v->temp_min_ddegC / 10.0,
             v->temp_min_no, v->temp_max_ddegC / 10.0, v->temp_max_no);
    char bal[48];
    bal_cells(bal, sizeof bal, v->balance_mask);
    snprintf(l[5], 64, "CHG %-3s DSG %-3s %s%sBAL %.24s",
             (v->flags & LCD_FLAG_CHARGE_ENABLE) ? "ON" : "OFF",
             (v->flags & LCD_FLAG_DISCHARGE_ENABLE) ? "ON" : "OFF",
             (v->flags & LCD_FLAG_FORCE_CHARGE) ? "FORCE " : "",
             (v->flags & LCD_FLAG_FULL_REQUEST) ? "FULLREQ " : "", bal);
    char names[160];
    names_of(names, sizeof names, v->protect_mask, scn_protect_name);
    snprintf(l[6], 64, "PROT %.58s", names);
    names_of(names, sizeof names, v->alarm_mask, scn_alarm_name);
    snprintf(l[7], 64, "ALRM %.58s", names);
    names_of(names, sizeof names, v->fault_mask, scn_fault_name);
    snprintf(l[8], 64, "FLT  %.58s", names);
    snprintf(l[9], 64, "> %.60s", v->text);
    ui->lcd_nlines = 10;
}

void ui_lcd_draw(struct ui *ui)
{
    struct ui_rect a;
    ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_LCD, &a);
    int p = ui->selected;
    ui_fill(ui, a, UI_C_BEZEL);
    ui_outline(ui, a, UI_C_AREA_EDGE);
    ui_textf(ui, UI_F_SMALL, a.x + 10, a.y + 4, UI_LEFT, ui_colour(UI_C_DIM),
             "EXTENDED LCD \xc2\xb7 pack %d (click a panel to choose)", p + 1);
    ui_textf(ui, UI_F_SMALL, a.x + a.w - 10, a.y + 4, UI_RIGHT, ui_colour(UI_C_DIM),
             "%u frames", ui->lcd_frames[p]);
    struct ui_rect scr = {a.x + 10, a.y + 22, a.w - 20, a.h - 30};
    bool live = ui->lcd_frames[p] > 0 &&
                sim_view_now_ms(ui->sim) - ui->lcd_last_ms[p] <= LCD_STALE_MS;
    ui_fill(ui, scr, live ? UI_C_LCD_BG : UI_C_LCD_OFF);
    ui_outline(ui, scr, UI_C_PANEL_EDGE);
    if (!live) {
        ui->lcd_nlines = 0;
        ui_text(ui, UI_F_LCD, scr.x + scr.w / 2, scr.y + scr.h / 2 - 8, UI_CENTRE,
                ui_colour(UI_C_LCD_BG), "NO SIGNAL");
        return;
    }
    compose(ui, &ui->lcd[p]);
    int lh = (scr.h - 8) / UI_LCD_LINES;
    for (int i = 0; i < ui->lcd_nlines; i++)
        ui_text(ui, UI_F_LCD, scr.x + 8, scr.y + 4 + i * lh, UI_LEFT, ui_colour(UI_C_LCD_TEXT),
                ui->lcd_lines[i]);
}
