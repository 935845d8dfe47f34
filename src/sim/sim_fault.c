/* sim_fault: injecting and clearing a pack's hardware faults (sim.h) on its
 * plant or its link cable, then re-synchronising the plant at the next tick so
 * the firmware sees the fault without waiting for the next plant step.
 */
#include "sim_internal.h"

/* The faults that sit on one cell: the plant's setter and its "no fault" value.
 * Injecting sets the fault's value on its cell; clearing a cell (or every cell,
 * when where < 1) puts the no-fault value back. */
static void sense_open(struct pack *p, int cell, double open)
{
    pack_fault_sense_open(p, cell, open != 0.0);
}

static const struct {
    void (*set)(struct pack *p, int cell, double value);
    double none;
} cell_faults[] = {
    [SIM_FAULT_SENSE_OPEN] = {sense_open, 0.0},
    [SIM_FAULT_CELL_SHORT] = {pack_fault_cell_short, 0.0},
    [SIM_FAULT_CELL_WEAK] = {pack_fault_cell_weak, 100.0},
    [SIM_FAULT_CELL_RESISTANCE] = {pack_fault_cell_resistance, 1.0},
};

static void apply_cell_fault(struct pack *p, const struct sim_fault *f, bool inject)
{
    double on = f->kind == SIM_FAULT_SENSE_OPEN ? 1.0 : f->value;
    if (f->where >= 1)
        cell_faults[f->kind].set(p, f->where, inject ? on : cell_faults[f->kind].none);
    else
        for (int c = 1; c <= PACK_CELLS; c++)
            cell_faults[f->kind].set(p, c, cell_faults[f->kind].none);
}

static void apply_fault(struct sim *s, const struct sim_fault *f, bool inject)
{
    if (f->pack < 0 || f->pack >= s->n)
        return;
    struct sim_pack *sp = &s->pack[f->pack];
    struct pack *p = &sp->plant;
    sim_physics_catch_up(s); /* the fault acts from now, not from the physics' last step */
    switch (f->kind) {
    case SIM_FAULT_NTC_OPEN:
    case SIM_FAULT_NTC_SHORT: {
        enum sensors_ntc_fault nf = f->kind == SIM_FAULT_NTC_OPEN ? SENSORS_NTC_OPEN
                                                                  : SENSORS_NTC_SHORT;
        if (f->where >= 1)
            pack_fault_ntc(p, f->where, inject ? nf : SENSORS_NTC_OK);
        else
            for (int k = 1; k <= SENSORS_NTCS; k++)
                pack_fault_ntc(p, k, SENSORS_NTC_OK);
        break;
    }
    case SIM_FAULT_SENSE_OPEN:
    case SIM_FAULT_CELL_SHORT:
    case SIM_FAULT_CELL_WEAK:
    case SIM_FAULT_CELL_RESISTANCE:
        apply_cell_fault(p, f, inject);
        break;
    case SIM_FAULT_CURRENT_OFFSET:
        pack_fault_current_offset(p, inject ? f->value : 0.0);
        break;
    case SIM_FAULT_FET_STUCK:
        if (!inject || f->fet == SIM_FET_BOTH) {
            if (f->fet != SIM_FET_DISCHARGE)
                pack_fault_fet_stuck(p, PACK_FET_CHARGE, false);
            if (f->fet != SIM_FET_CHARGE)
                pack_fault_fet_stuck(p, PACK_FET_DISCHARGE, false);
        } else {
            pack_fault_fet_stuck(p, f->fet == SIM_FET_CHARGE ? PACK_FET_CHARGE
                                                             : PACK_FET_DISCHARGE,
                                 true);
        }
        break;
    case SIM_FAULT_LINK_BREAK:
        sp->link_break = inject;
        sim_route_links(s);
        break;
    }
    s->resync = true;
    s->plant_gen++; /* a stuck MOSFET moves the terminal voltage at once */
}

void sim_inject_fault(struct sim *s, const struct sim_fault *f)
{
    apply_fault(s, f, true);
}

void sim_clear_fault(struct sim *s, const struct sim_fault *f)
{
    apply_fault(s, f, false);
}
