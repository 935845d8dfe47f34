/* scn_setup: from a validated scenario to the simulator's configuration, and
 * the timeline that plays its events on a running simulation. Shared by the
 * headless runner and the window, so both see the same world.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gtx/scn_run.h"
#include "gtx/sim_view.h"

static enum sim_port port_side(enum scn_port_side side)
{
    return side == SCN_PORT_IN ? SIM_PORT_IN : SIM_PORT_OUT;
}

static struct sim_cable sim_cable_of(const struct scn_cable *c)
{
    struct sim_cable out = {
        .pack_a = c->a.pack - 1,
        .side_a = port_side(c->a.side),
        .pack_b = c->b.pack - 1,
        .side_b = port_side(c->b.side),
    };
    return out;
}

static void inverter_settings(const struct scn_inverter *in, struct inv_settings *out)
{
    inv_settings_default(out);
    out->mode = in->mode == SCN_INV_MANUAL ? INV_MODE_MANUAL : INV_MODE_LITHIUM;
    out->charge_voltage_v = in->charge_voltage_v;
    out->charge_current_a = in->charge_current_a;
    out->discharge_current_a = in->discharge_current_a;
    out->cutoff_voltage_v = in->cutoff_voltage_v;
    out->min_soc_pct = in->min_soc_pct;
    out->window_start_s = in->window_start_min * 60;
    out->window_end_s = in->window_end_min * 60;
    out->standby_w = in->standby_w;
    out->can_timeout_s = in->can_timeout_s;
}

void scn_sim_config(const struct scn_scenario *scn, const struct cell_params *cell,
                    const struct bms_config *bms_cfg, struct sim_config *out)
{
    memset(out, 0, sizeof *out);
    out->n_packs = scn->pack_count;
    out->bms_cfg = bms_cfg;
    out->ambient_c = scn->ambient_c;
    for (int i = 0; i < scn->pack_count; i++) {
        const struct scn_pack *sp = &scn->packs[i];
        struct sim_pack_config *pc = &out->pack[i];
        pack_config_default(&pc->plant, cell);
        pc->plant.spread.capacity_pct = sp->spread.capacity_pct;
        pc->plant.spread.resistance_pct = sp->spread.resistance_pct;
        pc->plant.spread.soc_pp = sp->spread.soc_pct;
        pc->plant.spread.self_discharge_pct = sp->spread.self_discharge_pct;
        pc->plant.seed = scn->seed;
        pc->plant.pack_index = (uint32_t)i;
        pc->plant.soc_pct = sp->soc;
        pc->plant.temp_c = sp->temperature_c;
        pc->plant.prior_efc = sp->cycles;
        pc->plant.bms_running = sp->on;
        pc->plant.charge_fet_on = sp->on;
        pc->plant.discharge_fet_on = sp->on;
        pc->plant.n_overrides = 0;
        for (int c = 0; c < SCN_CELLS; c++) {
            const struct scn_cell_override *o = &sp->cell[c];
            if (!o->set)
                continue;
            struct pack_cell_override *po = &pc->plant.overrides[pc->plant.n_overrides++];
            po->cell = c + 1;
            po->soc_pct = o->set & SCN_CELL_SET_SOC ? o->soc : NAN;
            po->capacity_ah = o->set & SCN_CELL_SET_CAPACITY ? o->capacity_ah : NAN;
            po->resistance_factor = o->set & SCN_CELL_SET_RESISTANCE ? o->resistance_factor : NAN;
            po->temperature_c = o->set & SCN_CELL_SET_TEMPERATURE ? o->temperature_c : NAN;
        }
        pc->on = sp->on;
        pc->bms_soc_pct = sp->bms_soc;
        pc->cable_ohm = sp->cable_mohm / 1000.0; /* R-PA-5 */
    }
    out->has_inverter = scn->has_inverter;
    if (scn->has_inverter)
        inverter_settings(&scn->inverter, &out->inverter);
    if (scn->link.kind != SCN_LINK_NONE)
        for (int i = 0; i < scn->link.cable_count && i < SIM_MAX_CABLES; i++)
            out->cable[out->n_cables++] = sim_cable_of(&scn->link.cable[i]);
    out->start_tod_s = scn->start.hour * 3600.0 + scn->start.minute * 60.0 + scn->start.second;
}

void scn_timeline_init(struct scn_timeline *tl, const struct scn_scenario *scn, FILE *log)
{
    memset(tl, 0, sizeof *tl);
    tl->scn = scn;
    tl->log = log;
}

static void apply_inverter(struct sim *s, const struct scn_inverter_change *ch)
{
    const struct inverter *inv = sim_view_inverter(s);
    if (!inv)
        return;
    struct inv_settings set = inv->set;
    const struct scn_inverter *v = &ch->v;
    if (ch->set & SCN_INV_SET_MODE)
        set.mode = v->mode == SCN_INV_MANUAL ? INV_MODE_MANUAL : INV_MODE_LITHIUM;
    if (ch->set & SCN_INV_SET_CHARGE_VOLTAGE)
        set.charge_voltage_v = v->charge_voltage_v;
    if (ch->set & SCN_INV_SET_CHARGE_CURRENT)
        set.charge_current_a = v->charge_current_a;
    if (ch->set & SCN_INV_SET_DISCHARGE_CURRENT)
        set.discharge_current_a = v->discharge_current_a;
    if (ch->set & SCN_INV_SET_CUTOFF_VOLTAGE)
        set.cutoff_voltage_v = v->cutoff_voltage_v;
    if (ch->set & SCN_INV_SET_MIN_SOC)
        set.min_soc_pct = v->min_soc_pct;
    if (ch->set & SCN_INV_SET_WINDOW) {
        set.window_start_s = v->window_start_min * 60;
        set.window_end_s = v->window_end_min * 60;
    }
    if (ch->set & SCN_INV_SET_STANDBY)
        set.standby_w = v->standby_w;
    if (ch->set & SCN_INV_SET_CAN_TIMEOUT)
        set.can_timeout_s = v->can_timeout_s;
    static const enum sim_demand demand_of[] = {
        [SCN_DEMAND_KEEP] = SIM_DEMAND_KEEP,
        [SCN_DEMAND_POWER] = SIM_DEMAND_POWER,
        [SCN_DEMAND_CURRENT] = SIM_DEMAND_CURRENT,
        [SCN_DEMAND_IDLE] = SIM_DEMAND_IDLE,
    };
    double value = ch->demand == SCN_DEMAND_POWER     ? ch->power_w
                   : ch->demand == SCN_DEMAND_CURRENT ? ch->current_a
                                                      : 0.0;
    sim_inverter_set(s, ch->set ? &set : NULL, demand_of[ch->demand], value);
}

/* The scenario's fault as the simulator names it (0-based pack). */
static struct sim_fault sim_fault_of(const struct scn_fault *f)
{
    static const enum sim_fault_kind kind_of[SCN_FAULT_KIND_COUNT] = {
        [SCN_FAULT_NTC_OPEN] = SIM_FAULT_NTC_OPEN,
        [SCN_FAULT_NTC_SHORT] = SIM_FAULT_NTC_SHORT,
        [SCN_FAULT_SENSE_OPEN] = SIM_FAULT_SENSE_OPEN,
        [SCN_FAULT_CELL_SHORT] = SIM_FAULT_CELL_SHORT,
        [SCN_FAULT_CELL_WEAK] = SIM_FAULT_CELL_WEAK,
        [SCN_FAULT_CELL_RESISTANCE] = SIM_FAULT_CELL_RESISTANCE,
        [SCN_FAULT_CURRENT_OFFSET] = SIM_FAULT_CURRENT_OFFSET,
        [SCN_FAULT_FET_STUCK] = SIM_FAULT_FET_STUCK,
        [SCN_FAULT_LINK_BREAK] = SIM_FAULT_LINK_BREAK,
    };
    static const enum sim_fet fet_of[] = {
        [SCN_FET_CHARGE] = SIM_FET_CHARGE,
        [SCN_FET_DISCHARGE] = SIM_FET_DISCHARGE,
        [SCN_FET_BOTH] = SIM_FET_BOTH,
    };
    struct sim_fault out = {.kind = kind_of[f->kind], .pack = f->pack - 1, .fet = fet_of[f->which]};
    switch (f->kind) {
    case SCN_FAULT_NTC_OPEN:
    case SCN_FAULT_NTC_SHORT: out.where = f->sensor; break;
    case SCN_FAULT_SENSE_OPEN: out.where = f->cell; break;
    case SCN_FAULT_CELL_SHORT: out.where = f->cell, out.value = f->resistance_ohm; break;
    case SCN_FAULT_CELL_WEAK: out.where = f->cell, out.value = f->capacity_pct; break;
    case SCN_FAULT_CELL_RESISTANCE: out.where = f->cell, out.value = f->factor; break;
    case SCN_FAULT_CURRENT_OFFSET: out.value = f->amps; break;
    case SCN_FAULT_FET_STUCK:
    case SCN_FAULT_LINK_BREAK:
    case SCN_FAULT_KIND_COUNT: break;
    }
    return out;
}

/* Injects (inject) or clears a fault of the scenario. */
static void apply_fault(struct sim *s, const struct scn_fault *f, bool inject)
{
    if (f->kind >= SCN_FAULT_KIND_COUNT)
        return;
    struct sim_fault sf = sim_fault_of(f);
    if (inject)
        sim_inject_fault(s, &sf);
    else
        sim_clear_fault(s, &sf);
}

void scn_apply_event(struct scn_timeline *tl, struct sim *s, const struct scn_event *ev)
{
    switch (ev->action) {
    case SCN_DO_PRESS:
        if (ev->u.press.pack >= 1 && ev->u.press.pack <= sim_view_pack_count(s)) {
            sim_set_button(s, ev->u.press.pack - 1, true);
            uint64_t hold_ms = (uint64_t)llround(ev->u.press.hold_s * 1000.0);
            tl->release_ms[ev->u.press.pack - 1] = sim_view_now_ms(s) + (hold_ms ? hold_ms : 1);
        }
        break;
    case SCN_DO_AMBIENT:
        sim_set_ambient(s, ev->u.ambient.temperature_c, ev->u.ambient.ramp_s);
        break;
    case SCN_DO_INVERTER:
        apply_inverter(s, &ev->u.inverter);
        break;
    case SCN_DO_CHARGER:
        if (ev->u.charger.off)
            sim_charger_off(s);
        else
            sim_charger_set(s, ev->u.charger.voltage_v, ev->u.charger.current_a);
        break;
    case SCN_DO_CAN:
        sim_set_can_connected(s, ev->u.can.connected);
        break;
    case SCN_DO_WIRE: {
        struct sim_cable c = sim_cable_of(&ev->u.cable);
        sim_wire(s, &c);
        break;
    }
    case SCN_DO_UNWIRE: {
        struct sim_cable c = sim_cable_of(&ev->u.cable);
        sim_unwire(s, &c);
        break;
    }
    case SCN_DO_POWER:
        sim_set_power_connected(s, ev->u.power.pack - 1, ev->u.power.connected);
        break;
    case SCN_DO_FAULT:
        apply_fault(s, &ev->u.fault, true);
        break;
    case SCN_DO_CLEAR:
        apply_fault(s, &ev->u.fault, false);
        break;
    case SCN_DO_NOTE:
        if (tl->log) {
            char when[32];
            scn_duration_format(ev->at_s, when, sizeof when);
            fprintf(tl->log, "%s: note at %s: %s\n", tl->scn->path, when,
                    ev->u.note.text ? ev->u.note.text : "");
        }
        break;
    case SCN_DO_COUNT:
        break;
    }
}

void scn_timeline_apply(struct scn_timeline *tl, struct sim *s)
{
    uint64_t now_ms = sim_view_now_ms(s);
    for (int i = 0, n = sim_view_pack_count(s); i < n; i++) {
        if (tl->release_ms[i] && now_ms >= tl->release_ms[i]) {
            sim_set_button(s, i, false);
            tl->release_ms[i] = 0;
        }
    }
    const struct scn_scenario *scn = tl->scn;
    while (tl->next_event < scn->event_count) {
        const struct scn_event *ev = &scn->events[tl->next_event];
        uint64_t at_ms = (uint64_t)llround(ev->at_s * 1000.0);
        if (at_ms > now_ms)
            break;
        scn_apply_event(tl, s, ev);
        tl->next_event++;
    }
}

uint64_t scn_timeline_next_ms(const struct scn_timeline *tl, const struct sim *s)
{
    uint64_t next = UINT64_MAX;
    for (int i = 0, n = sim_view_pack_count(s); i < n; i++)
        if (tl->release_ms[i] && tl->release_ms[i] < next)
            next = tl->release_ms[i];
    if (tl->next_event < tl->scn->event_count) {
        uint64_t at_ms = (uint64_t)llround(tl->scn->events[tl->next_event].at_s * 1000.0);
        if (at_ms < next)
            next = at_ms;
    }
    return next;
}
