/* sim.h: the simulated system: 1-4 packs (each a plant, a board and a BMS
 * firmware instance), the DC bus, the inverter, an external charger, the room,
 * the CAN bus and the link cables, stepped one 10 ms firmware tick at a time.
 * The runner, the window and the bridges drive it through this header.
 */
#ifndef GTX_SIM_H
#define GTX_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/bms.h"
#include "gtx/can_bus.h"
#include "gtx/cell.h"
#include "gtx/charger.h"
#include "gtx/dcbus.h"
#include "gtx/inverter.h"
#include "gtx/pack.h"
#include "gtx/pylon.h"
#include "gtx/room.h"
#include "gtx/sim_io.h"

#define SIM_MAX_PACKS 4
#define SIM_TICK_MS 10u            /* the firmware's tick */
#define SIM_PLANT_STEP_MS 100u     /* the plant and sensor scan period (docs/simulator.md) */
#define SIM_EVENTS_MAX 512         /* firmware events kept per pack for expectations */

enum sim_port { SIM_PORT_IN, SIM_PORT_OUT };

struct sim_cable {
    int pack_a; /* 0-based */
    enum sim_port side_a;
    int pack_b;
    enum sim_port side_b;
};

#define SIM_MAX_CABLES 8

struct sim_pack_config {
    struct pack_config plant;  /* cell params, spread, overrides, seed, soc, temperature */
    bool on;                   /* running at t = 0 (docs/spec/PRODUCT.md §13) */
    double bms_soc_pct;        /* the firmware's estimate at t = 0; NAN: from the true SOC */
    double cable_ohm;          /* power cables and contacts to the bus */
};

struct sim_config {
    int n_packs;
    struct sim_pack_config pack[SIM_MAX_PACKS];
    const struct bms_config *bms_cfg; /* NULL: bms_config_default */
    double ambient_c;
    bool has_inverter;
    struct inv_settings inverter;
    int n_cables;
    struct sim_cable cable[SIM_MAX_CABLES];
    double start_tod_s;        /* local time of day at t = 0 (full-charge window) */
};

/* One firmware event as the simulator saw it appear, stamped with sim time. */
struct sim_event {
    uint64_t t_ms;
    uint8_t kind; /* enum bms_ev_kind */
    uint8_t id;
};

struct sim_pack {
    struct pack plant;
    struct sim_io io;
    struct bms fw;
    bool power_connected;      /* its power cables are on the bus */
    double cable_ohm;
    bool link_break;           /* its Link Port Out cable carries no data */
    double current_a;          /* the bus solve's current for this plant step */
    bool fets_seen[2];         /* the FET state the plant last got */
    uint32_t evlog_seq_seen;
    int event_count;
    struct sim_event events[SIM_EVENTS_MAX];
};

struct sim {
    struct sim_config cfg;
    int n;
    struct sim_pack pack[SIM_MAX_PACKS];
    struct can_bus can;
    bool has_inverter;
    struct inverter inv;
    int inv_node;
    int master_node;           /* pack 1's CAN node */
    bool can_connected;        /* the cable between pack 1 and the inverter */
    struct pylon_state can_seen; /* what the packs sent, decoded (expectations, trace) */
    struct charger chg;
    struct room room;
    int n_cables;
    struct sim_cable cable[SIM_MAX_CABLES];
    uint64_t now_ms;           /* simulated time of the next tick */
    uint64_t plant_ms;         /* the plant has been advanced to here */
    bool resync;               /* an input changed: step the plant at the next tick */
    double bus_v;
    double inverter_a;         /* what the inverter put into the bus (> 0 charges) */
    double charger_a;
    /* A power stage driven from outside (an external inverter program through a
     * bridge): a CC source/sink with voltage bounds on the DC bus. */
    bool ext_on;
    struct dcbus_port ext;
    double ext_a;              /* what it put into the bus at the last solve */
    uint64_t ticks;
};

/* Sets up every part from cfg. Returns 0, or -1 when cfg is unusable. */
int sim_init(struct sim *s, const struct sim_config *cfg);

/* One firmware tick: world, bus, plant (when due), sensors, firmware, outputs. */
void sim_step(struct sim *s);

/* Runs ticks until now_ms >= t_ms. */
void sim_run_until(struct sim *s, uint64_t t_ms);

/* Inputs (pack is 0-based). Each marks the plant for re-synchronisation. */
void sim_set_button(struct sim *s, int pack, bool pressed);
void sim_set_ambient(struct sim *s, double temp_c, double ramp_s);
void sim_set_can_connected(struct sim *s, bool connected);
void sim_set_power_connected(struct sim *s, int pack, bool connected);
void sim_charger_set(struct sim *s, double voltage_v, double current_a);
void sim_charger_off(struct sim *s);
bool sim_wire(struct sim *s, const struct sim_cable *c);   /* false: a port is taken */
bool sim_unwire(struct sim *s, const struct sim_cable *c); /* false: no such cable */
void sim_touch(struct sim *s); /* something was changed directly (inverter, faults) */
/* The outside power stage: current_a > 0 charges the packs, up to v_max_v;
 * < 0 discharges them, down to v_min_v. */
void sim_external_set(struct sim *s, double current_a, double v_max_v, double v_min_v);
void sim_external_off(struct sim *s);

/* What an observer sees of one pack (truth and firmware), 0-based. */
struct sim_pack_obs {
    const struct bms_status *st;
    double true_soc_pct;
    double terminal_v;
    double battery_v;
    double current_a;
    double cell_v_min, cell_v_max;
    double temp_min_c, temp_max_c;
    uint8_t leds_lit;          /* what the board drives, bit 0 = L1 */
    bool prohibit_charge, prohibit_discharge;
    uint16_t balance_mask;
};
void sim_observe(const struct sim *s, int pack, struct sim_pack_obs *out);

/* The LED word of docs/spec/SCENARIO.md (L8 first) from the firmware's modes; buf >= 9. */
void sim_led_word(const struct bms_status *st, char *buf);
/* The lit word, 8 characters 0/1, L8 first; buf >= 9. */
void sim_lit_word(uint8_t lit, char *buf);

double sim_time_s(const struct sim *s);

#endif
