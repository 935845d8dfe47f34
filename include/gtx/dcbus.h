/* dcbus.h: the DC bus joining 1-5 packs (the product's 4, and a mis-wired
 * fifth: sim.h) in parallel with the inverter, an external charger and
 * constant-power draws. Each step the simulator fills a
 * struct dcbus_input and dcbus_solve() returns the bus voltage and every
 * current, exactly conserved. Current > 0 flows into a pack (charges it).
 */
#ifndef GTX_DCBUS_H
#define GTX_DCBUS_H

#include <stdbool.h>

#define DCBUS_MAX_PACKS 5
#define DCBUS_MAX_PORTS 4

#define DCBUS_DIODE_V 0.7      /* MOSFET body-diode forward drop (docs/spec/PHYSICS.md) */
#define DCBUS_REG_OHM 1e-4     /* regulation droop of a CC/CV source (see docs/world.md) */

/* One pack seen from the bus: a Thevenin source behind its MOSFETs. */
struct dcbus_pack {
    bool connected;     /* its power cables are on the bus */
    bool charge_on;     /* charge MOSFET closed; open: discharge only, through its diode */
    bool discharge_on;  /* discharge MOSFET closed; open: charge only, through its diode */
    double emf_v;       /* open-circuit voltage behind r_ohm (cells' OCV + RC voltages) */
    double r_ohm;       /* cells, busbars, MOSFETs, shunt: everything inside the terminals */
    double cable_ohm;   /* its power cables and contacts to the bus */
    double diode_v;     /* body-diode drop; DCBUS_DIODE_V */
};

/* A source or load on the bus (the inverter, the charger): constant current
 * with voltage bounds, plus a constant-power draw. current_a > 0 feeds the
 * bus (charges the packs) and never pushes it above v_max_v (CC then CV);
 * current_a < 0 draws from it and never pulls it below v_min_v. power_w > 0
 * is a constant-power draw (e.g. the inverter's standby), which also stops at
 * v_min_v. */
struct dcbus_port {
    bool on;
    double current_a;
    double v_max_v;
    double v_min_v;
    double power_w;
};

struct dcbus_input {
    int n_packs;
    struct dcbus_pack pack[DCBUS_MAX_PACKS];
    int n_ports;
    struct dcbus_port port[DCBUS_MAX_PORTS];
    double reg_ohm;     /* droop of the regulated sources; 0 means DCBUS_REG_OHM */
    double v_hint_v;    /* optional (0: none): the last bus voltage, which saves one pass
                         * when a constant-power draw is on the bus */
};

struct dcbus_result {
    double bus_v;
    double pack_a[DCBUS_MAX_PACKS];         /* > 0 into the pack */
    double pack_terminal_v[DCBUS_MAX_PACKS]; /* at its P+/P-: bus_v - I * cable_ohm */
    double port_a[DCBUS_MAX_PORTS];         /* > 0 into the bus (the total of the port) */
    bool floating;      /* nothing fixes the voltage: bus_v was chosen by the rule of
                         * docs/world.md (a source's bound, a diode edge, or 0) */
};

/* A pack with both MOSFETs closed, connected, no cable: a convenience. */
void dcbus_pack_default(struct dcbus_pack *p, double emf_v, double r_ohm);

/* Solves the bus. Deterministic, no allocation, a few hundred flops. */
void dcbus_solve(const struct dcbus_input *in, struct dcbus_result *out);

/* The current a pack would take at bus voltage v (> 0 charges): the pack's
 * I-V law, exposed for tests and the window. */
double dcbus_pack_current(const struct dcbus_pack *p, double v);

#endif
