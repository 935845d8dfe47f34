/* sim_view: the read side of struct sim (include/gtx/sim_view.h): small
 * accessors the runner calls every tick, so each is a field read or two.
 */
#include "sim_internal.h"

#include <math.h>
#include <string.h>

_Static_assert(SIM_EVENT_NAME_MAX >= BMS_EVLOG_NAME_MAX, "event names are cut short");

/* The reads that are one member of struct sim, a line each: sim_view_pack_count,
 * _now_ms, _ticks, _plant_gen, _bus_v, _inverter_a, _charger_a, _can_connected,
 * _cable_count. */
#define MEMBER_READ(type, name, member) \
    type sim_view_##name(const struct sim *s) { return s->member; }

MEMBER_READ(int, pack_count, n)
MEMBER_READ(uint64_t, now_ms, now_ms)
MEMBER_READ(uint64_t, ticks, ticks)
MEMBER_READ(uint64_t, plant_gen, plant_gen)
MEMBER_READ(uint64_t, can_gen, can_gen)
MEMBER_READ(double, bus_v, bus_v)
MEMBER_READ(double, inverter_a, inverter_a)
MEMBER_READ(double, charger_a, charger_a)
MEMBER_READ(bool, can_connected, can_connected)
MEMBER_READ(int, cable_count, n_cables)

double sim_view_room_c(const struct sim *s)
{
    return room_temp_c(&s->room, sim_time_s(s));
}

const struct pylon_state *sim_view_can_seen(const struct sim *s)
{
    return &s->can_seen;
}

const struct inverter *sim_view_inverter(const struct sim *s)
{
    return s->has_inverter ? &s->inv : NULL;
}

const struct charger *sim_view_charger(const struct sim *s)
{
    return &s->chg;
}

const struct sim_cable *sim_view_cable(const struct sim *s, int i)
{
    return i >= 0 && i < s->n_cables ? &s->cable[i] : NULL;
}

const sim_fw_status *sim_view_status(const struct sim *s, int pack)
{
    return bms_status(&s->pack[pack].fw);
}

const sim_fw_status *sim_view_system_status(const struct sim *s)
{
    return bms_system_status(&s->pack[0].fw);
}

const uint32_t *sim_view_status_gen(const struct sim *s, int pack)
{
    return &s->pack[pack].fw.views_gen;
}

uint32_t sim_view_button_hold_ms(const struct sim *s)
{
    return s->bms_cfg->button_hold_ms;
}

void sim_view_pins(const struct sim *s, int pack, struct sim_pins *out)
{
    const struct sim_pack *sp = &s->pack[pack];
    const struct sim_io *io = &sp->io;
    *out = (struct sim_pins){
        .leds_lit = io->leds_lit,
        .button = io->button,
        .prohibit_charge = io->prohibit_charge,
        .prohibit_discharge = io->prohibit_discharge,
        .fet_charge = io->fet_charge,
        .fet_discharge = io->fet_discharge,
        .balance_mask = io->balance_mask,
        .power_hold = io->power_hold,
        .power_connected = sp->power_connected,
    };
}

double sim_view_current_a(const struct sim *s, int pack)
{
    return pack_current_a(&s->pack[pack].plant);
}

void sim_view_cells(const struct sim *s, int pack, struct sim_cells *out)
{
    const struct pack *p = &s->pack[pack].plant;
    for (int c = 0; c < PACK_CELLS; c++) {
        out->v[c] = pack_cell_v(p, c + 1);
        out->temp_c[c] = pack_cell_temp_c(p, c + 1);
    }
}

void sim_view_thermal(const struct sim *s, int pack, struct sim_thermal *out)
{
    const struct sim_pack *sp = &s->pack[pack];
    out->case_c = sp->plant.th.case_c;
    out->fet_c = sp->plant.th.fet_c;
    for (int k = 0; k < BOARD_NTCS; k++)
        out->ntc_c[k] = sp->io.afe.temp_ddegC[k] / 10.0;
}

void sim_view_energy(const struct sim *s, int pack, struct pack_energy *out)
{
    *out = s->pack[pack].plant.energy;
}

size_t sim_view_lcd_read(struct sim *s, int pack, uint8_t *buf, size_t cap)
{
    if (pack < 0 || pack >= s->n)
        return 0;
    return byte_fifo_read(&s->pack[pack].io.lcd_out, buf, cap);
}

size_t sim_view_console_read(struct sim *s, int pack, uint8_t *buf, size_t cap)
{
    if (pack < 0 || pack >= s->n)
        return 0;
    return byte_fifo_read(&s->pack[pack].io.console_out, buf, cap);
}

void sim_view_events_begin(const struct sim *s, int pack, struct sim_event_cursor *c)
{
    c->pack = pack;
    c->seq = s->pack[pack].events_dropped;
}

bool sim_view_event_next(const struct sim *s, struct sim_event_cursor *c, struct sim_event *out)
{
    const struct sim_pack *sp = &s->pack[c->pack];
    if (c->seq < sp->events_dropped)
        c->seq = sp->events_dropped; /* those were let go while the reader was away */
    uint64_t i = c->seq - sp->events_dropped;
    if (i >= (uint64_t)sp->event_count)
        return false;
    *out = sp->events[i];
    c->seq++;
    return true;
}

size_t sim_event_name(const struct sim_event *e, char *buf, size_t cap)
{
    return bms_evlog_format_name(buf, cap, e->kind, e->id);
}

/* fmin and fmax as glibc computes them (NaN loses; on a tie the second operand),
 * inlined: the runner observes every tick and the libm calls cost more than the
 * comparisons. */
static double min_of(double a, double b)
{
    return isnan(a) ? b : isnan(b) ? a : a < b ? a : b;
}

static double max_of(double a, double b)
{
    return isnan(a) ? b : isnan(b) ? a : a > b ? a : b;
}

void sim_view_observe(const struct sim *s, int pack, struct sim_pack_obs *o)
{
    const struct sim_pack *sp = &s->pack[pack];
    const struct pack *p = &sp->plant;
    memset(o, 0, sizeof *o);
    o->st = bms_status(&sp->fw);
    o->true_soc_pct = pack_mean_soc(p) * 100.0;
    o->terminal_v = pack_terminal_v(p);
    o->battery_v = pack_battery_v(p);
    o->current_a = pack_current_a(p);
    /* The cells' arrays directly (what pack_cell_v and pack_cell_temp_c return),
     * into locals the stores through o cannot alias. */
    double v_min = p->cell_v[0], v_max = v_min;
    double t_min = p->cell[0].temp_c, t_max = t_min;
    for (int i = 1; i < PACK_CELLS; i++) {
        double v = p->cell_v[i], t = p->cell[i].temp_c;
        v_min = min_of(v_min, v);
        v_max = max_of(v_max, v);
        t_min = min_of(t_min, t);
        t_max = max_of(t_max, t);
    }
    o->cell_v_min = v_min;
    o->cell_v_max = v_max;
    o->temp_min_c = t_min;
    o->temp_max_c = t_max;
    o->leds_lit = sp->io.leds_lit;
    o->prohibit_charge = sp->io.prohibit_charge;
    o->prohibit_discharge = sp->io.prohibit_discharge;
    o->balance_mask = sp->io.balance_mask;
}

void sim_led_word(const sim_fw_status *st, char *buf)
{
    for (int k = 0; k < 8; k++) /* the firmware's one letter per mode ("?" outside) */
        buf[k] = bms_led_mode_name((enum bms_led_mode)st->led_mode[7 - k])[0];
    buf[8] = '\0';
}

void sim_lit_word(uint8_t lit, char *buf)
{
    for (int k = 0; k < 8; k++)
        buf[k] = (lit >> (7 - k)) & 1u ? '1' : '0';
    buf[8] = '\0';
}
