/* ui_faults: the fault menu: every fault kind of docs/spec/SCENARIO.md, per pack and
 * cell or sensor, injected and cleared through scn_apply_event exactly as a
 * scenario's `fault` / `clear` events are; and the list of active faults.
 */
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

enum { NEEDS_CELL = 1, NEEDS_SENSOR = 2, NEEDS_VALUE = 4, NEEDS_WHICH = 8 };

struct fault_row {
    enum scn_fault_kind kind;
    unsigned needs;
    const char *unit;
    double def, step, min, max;
    const char *what; /* for trainers: what it does in the field */
};

static const struct fault_row fault_table[SCN_FAULT_KIND_COUNT] = {
    {SCN_FAULT_NTC_OPEN, NEEDS_SENSOR, "", 0, 0, 0, 0,
     "temperature sensor wire broken: reads far below -40 C"},
    {SCN_FAULT_NTC_SHORT, NEEDS_SENSOR, "", 0, 0, 0, 0,
     "temperature sensor shorted: reads far above 120 C"},
    {SCN_FAULT_SENSE_OPEN, NEEDS_CELL, "", 0, 0, 0, 0,
     "cell voltage sense wire open: the AFE reads nonsense"},
    {SCN_FAULT_CELL_SHORT, NEEDS_CELL | NEEDS_VALUE, "ohm", 10, 5, 0.5, 1000,
     "internal soft short: the cell drains through a resistance"},
    {SCN_FAULT_CELL_WEAK, NEEDS_CELL | NEEDS_VALUE, "%", 50, 5, 5, 100,
     "weak cell: capacity reduced to this share"},
    {SCN_FAULT_CELL_RESISTANCE, NEEDS_CELL | NEEDS_VALUE, "x", 3, 0.5, 1, 20,
     "aged cell: internal resistance multiplied"},
    {SCN_FAULT_CURRENT_OFFSET, NEEDS_VALUE, "A", 2, 0.5, -20, 20,
     "current sensor offset: the BMS measures this much extra"},
    {SCN_FAULT_FET_STUCK, NEEDS_WHICH, "", 0, 0, 0, 0,
     "a MOSFET welded closed: current flows when commanded off"},
    {SCN_FAULT_LINK_BREAK, 0, "", 0, 0, 0, 0,
     "the link cable out of this pack stops carrying data"},
};

static const struct fault_row *row_of(int kind)
{
    return kind >= 0 && kind < SCN_FAULT_KIND_COUNT ? &fault_table[kind] : &fault_table[0];
}

static void fault_text(char *buf, size_t n, const struct scn_fault *f)
{
    const struct fault_row *r = row_of((int)f->kind);
    size_t used = (size_t)snprintf(buf, n, "P%d %s", f->pack, scn_fault_kind_name(f->kind));
    if ((r->needs & NEEDS_CELL) && f->cell)
        used += (size_t)snprintf(buf + used, n - used, " cell %d", f->cell);
    if ((r->needs & NEEDS_SENSOR) && f->sensor && used < n)
        used += (size_t)snprintf(buf + used, n - used, " NTC %d", f->sensor);
    if ((r->needs & NEEDS_WHICH) && used < n)
        used += (size_t)snprintf(buf + used, n - used, " %s",
                                 f->which == SCN_FET_CHARGE ? "charge" : "discharge");
    if ((r->needs & NEEDS_VALUE) && used < n) {
        double v = f->kind == SCN_FAULT_CELL_SHORT  ? f->resistance_ohm
                   : f->kind == SCN_FAULT_CELL_WEAK ? f->capacity_pct
                   : f->kind == SCN_FAULT_CELL_RESISTANCE ? f->factor
                                                          : f->amps;
        snprintf(buf + used, n - used, " %g %s", v, r->unit);
    }
}

static bool same_place(const struct scn_fault *a, const struct scn_fault *b)
{
    return a->kind == b->kind && a->pack == b->pack &&
           (a->kind != SCN_FAULT_FET_STUCK || a->which == b->which || b->which == SCN_FET_BOTH) &&
           (!(row_of((int)a->kind)->needs & NEEDS_CELL) || !b->cell || a->cell == b->cell) &&
           (!(row_of((int)a->kind)->needs & NEEDS_SENSOR) || !b->sensor ||
            a->sensor == b->sensor);
}

/* Keeps the active list and the log in step with every fault and clear event,
 * whether the timeline or the menu applied it. */
void ui_faults_note_event(struct ui *ui, const struct scn_event *ev)
{
    char text[80];
    if (ev->action == SCN_DO_FAULT || ev->action == SCN_DO_CLEAR) {
        const struct scn_fault *f = &ev->u.fault;
        for (int i = 0; i < ui->nactive;) {
            if (same_place(&ui->active[i], f)) {
                ui->active[i] = ui->active[--ui->nactive];
                continue;
            }
            i++;
        }
        if (ev->action == SCN_DO_FAULT && ui->nactive < UI_MAX_ACTIVE)
            ui->active[ui->nactive++] = *f;
        fault_text(text, sizeof text, f);
        ui_log_add(ui, 0, "%s %s", ev->action == SCN_DO_FAULT ? "inject" : "clear", text);
    } else if (ev->action == SCN_DO_NOTE) {
        ui_log_add(ui, 0, "note: %.60s", ev->u.note.text ? ev->u.note.text : "");
    } else {
        ui_log_add(ui, 0, "%s", scn_action_name(ev->action));
    }
}

static void sel_defaults(struct ui *ui, int kind)
{
    struct ui_fault_sel *s = &ui->fsel;
    s->kind = kind;
    s->value = row_of(kind)->def;
    if (s->pack < 1 || s->pack > sim_view_pack_count(ui->sim))
        s->pack = ui->selected + 1;
    if (s->cell < 1)
        s->cell = 1;
    if (s->sensor < 1)
        s->sensor = 1;
    if (s->which != SCN_FET_DISCHARGE)
        s->which = SCN_FET_CHARGE;
}

static struct scn_event sel_event(const struct ui *ui, enum scn_action action)
{
    const struct ui_fault_sel *s = &ui->fsel;
    const struct fault_row *r = row_of(s->kind);
    struct scn_event ev;
    memset(&ev, 0, sizeof ev);
    ev.at_s = sim_time_s(ui->sim);
    ev.action = action;
    struct scn_fault *f = &ev.u.fault;
    f->kind = (enum scn_fault_kind)s->kind;
    f->pack = s->pack;
    f->cell = (r->needs & NEEDS_CELL) ? s->cell : 0;
    f->sensor = (r->needs & NEEDS_SENSOR) ? s->sensor : 0;
    f->which = (enum scn_fet)s->which;
    f->resistance_ohm = f->capacity_pct = f->factor = f->amps = s->value;
    return ev;
}

void ui_faults_click(struct ui *ui, int action, int arg)
{
    struct ui_fault_sel *s = &ui->fsel;
    const struct fault_row *r = row_of(s->kind);
    switch (action) {
    case UI_ACT_FAULT_KIND: sel_defaults(ui, arg); break;
    case UI_ACT_FAULT_PACK: s->pack = arg; break;
    case UI_ACT_FAULT_CELL: s->cell = arg; break;
    case UI_ACT_FAULT_SENSOR: s->sensor = arg; break;
    case UI_ACT_FAULT_WHICH: s->which = arg; break;
    case UI_ACT_FAULT_VALUE:
        s->value += arg * r->step;
        s->value = s->value < r->min ? r->min : s->value > r->max ? r->max : s->value;
        break;
    case UI_ACT_FAULT_INJECT:
    case UI_ACT_FAULT_CLEAR: {
        struct scn_event ev = sel_event(ui, action == UI_ACT_FAULT_INJECT ? SCN_DO_FAULT
                                                                          : SCN_DO_CLEAR);
        ui_apply(ui, &ev);
        break;
    }
    case UI_ACT_FAULT_CLEAR_ONE:
        if (arg >= 0 && arg < ui->nactive) {
            struct scn_event ev;
            memset(&ev, 0, sizeof ev);
            ev.at_s = sim_time_s(ui->sim);
            ev.action = SCN_DO_CLEAR;
            ev.u.fault = ui->active[arg];
            ui_apply(ui, &ev);
        }
        break;
    default:
        break;
    }
}

static void label(struct ui *ui, int x, int y, const char *text)
{
    ui_text(ui, UI_F_SMALL, x, y, UI_LEFT, ui_colour(UI_C_DIM), text);
}

void ui_faults_draw(struct ui *ui)
{
    struct ui_rect d;
    ui_layout_area(sim_view_pack_count(ui->sim), UI_AREA_DIALOG, &d);
    if (ui->fsel.pack < 1)
        sel_defaults(ui, 0);
    struct ui_fault_sel *s = &ui->fsel;
    const struct fault_row *r = row_of(s->kind);
    ui_text(ui, UI_F_TITLE, d.x + 16, d.y + 12, UI_LEFT, ui_colour(UI_C_TEXT), "Faults");
    ui_text(ui, UI_F_SMALL, d.x + 100, d.y + 16, UI_LEFT, ui_colour(UI_C_DIM),
            "inject what happens in the field; the firmware has to find it (F or Esc closes)");
    ui_button(ui, (struct ui_rect){d.x + d.w - 40, d.y + 10, 28, 26}, "\xc3\x97", UI_ACT_CLOSE, 0,
              false);

    int x = d.x + 16, y = d.y + 50;
    label(ui, x, y, "KIND");
    for (int k = 0; k < SCN_FAULT_KIND_COUNT; k++)
        ui_button(ui, (struct ui_rect){x, y + 18 + k * 32, 190, 28},
                  scn_fault_kind_name((enum scn_fault_kind)k), UI_ACT_FAULT_KIND, k, k == s->kind);

    x = d.x + 226;
    label(ui, x, y, "PACK");
    for (int p = 1; p <= sim_view_pack_count(ui->sim); p++)
        ui_button(ui, (struct ui_rect){x + (p - 1) * 44, y + 18, 40, 28}, (char[2]){(char)('0' + p), 0},
                  UI_ACT_FAULT_PACK, p, p == s->pack);
    y += 60;
    if (r->needs & NEEDS_CELL) {
        label(ui, x, y, "CELL");
        for (int c = 1; c <= 16; c++) {
            char t[4];
            snprintf(t, sizeof t, "%d", c);
            ui_button(ui, (struct ui_rect){x + ((c - 1) % 8) * 40, y + 18 + ((c - 1) / 8) * 32, 36, 28},
                      t, UI_ACT_FAULT_CELL, c, c == s->cell);
        }
        y += 90;
    }
    if (r->needs & NEEDS_SENSOR) {
        static const char *const ntc[6] = {"1 c2", "2 c6", "3 c11", "4 c15", "5 FET", "6 air"};
        label(ui, x, y, "SENSOR (NTC on cell / MOSFET / air)");
        for (int n = 1; n <= 6; n++)
            ui_button(ui, (struct ui_rect){x + (n - 1) * 52, y + 18, 48, 28}, ntc[n - 1],
                      UI_ACT_FAULT_SENSOR, n, n == s->sensor);
        y += 60;
    }
    if (r->needs & NEEDS_VALUE) {
        label(ui, x, y, "VALUE");
        ui_button(ui, (struct ui_rect){x, y + 18, 32, 28}, "\xe2\x88\x92", UI_ACT_FAULT_VALUE, -1,
                  false);
        ui_textf(ui, UI_F_BOLD, x + 80, y + 23, UI_CENTRE, ui_colour(UI_C_TEXT), "%g %s",
                 s->value, r->unit);
        ui_button(ui, (struct ui_rect){x + 128, y + 18, 32, 28}, "+", UI_ACT_FAULT_VALUE, 1,
                  false);
        y += 60;
    }
    if (r->needs & NEEDS_WHICH) {
        label(ui, x, y, "WHICH MOSFET (stuck closed)");
        ui_button(ui, (struct ui_rect){x, y + 18, 90, 28}, "charge", UI_ACT_FAULT_WHICH,
                  SCN_FET_CHARGE, s->which == SCN_FET_CHARGE);
        ui_button(ui, (struct ui_rect){x + 96, y + 18, 90, 28}, "discharge", UI_ACT_FAULT_WHICH,
                  SCN_FET_DISCHARGE, s->which == SCN_FET_DISCHARGE);
        y += 60;
    }
    ui_text(ui, UI_F_SMALL, x, y, UI_LEFT, ui_colour(UI_C_TEXT), r->what);
    y += 28;
    ui_button(ui, (struct ui_rect){x, y, 110, 32}, "Inject", UI_ACT_FAULT_INJECT, 0, false);
    ui_button(ui, (struct ui_rect){x + 120, y, 110, 32}, "Clear", UI_ACT_FAULT_CLEAR, 0, false);

    x = d.x + 590;
    y = d.y + 50;
    label(ui, x, y, "ACTIVE FAULTS");
    if (ui->nactive == 0)
        ui_text(ui, UI_F_NORMAL, x, y + 22, UI_LEFT, ui_colour(UI_C_DIM), "none");
    for (int i = 0; i < ui->nactive; i++) {
        char t[96];
        fault_text(t, sizeof t, &ui->active[i]);
        int yy = y + 20 + i * 28;
        if (yy > d.y + d.h - 40)
            break;
        ui_text(ui, UI_F_SMALL, x, yy + 5, UI_LEFT, ui_colour(UI_C_WARN), t);
        ui_button(ui, (struct ui_rect){d.x + d.w - 70, yy, 56, 24}, "clear",
                  UI_ACT_FAULT_CLEAR_ONE, i, false);
    }
}
