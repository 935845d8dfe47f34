/* sim.h: the simulated system: 1-4 packs (each a plant, a board and a BMS
 * firmware instance), the DC bus, the inverter, an external charger, the room,
 * the CAN bus and the link cables, stepped one 10 ms firmware tick at a time
 * (a fifth pack only to show R-PA-2 refusing it, see SIM_MAX_PACKS_HELD).
 * struct sim is opaque: the runner, the window, the bridges and the commands
 * change it only through the functions below and look at it only through
 * gtx/sim_view.h (docs/simulator.md, "Layers"). Every write re-synchronises the
 * plant at the next tick by itself.
 */
#ifndef GTX_SIM_H
#define GTX_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/board.h"
#include "gtx/can_bus.h"
#include "gtx/inverter.h"
#include "gtx/pack.h"

#define SIM_MAX_PACKS 4            /* a system the product allows (R-PA-1) */
/* What a struct sim can hold: one pack more than the product allows, so that
 * the five-pack mis-wiring of R-PA-2 can be cabled and seen refused (the link
 * tests). The scenario format, the window and the commands stay at 1-4. */
#define SIM_MAX_PACKS_HELD 5
#define SIM_TICK_MS 10u            /* the firmware's tick */
#define SIM_PLANT_STEP_MS 100u     /* the plant and sensor scan period (docs/simulator.md) */
#define SIM_STORAGE_STEP_MS 60000u /* every pack shut down: the physics' step */
#define SIM_STORAGE_STEP_MAX_MS 600000u /* ... and its longest, once the plant is at rest */
#define SIM_QUIET_PHYSICS_MS 10000u /* a quiet standby: the physics' step */
#define SIM_QUIET_PHYSICS_MAX_MS 60000u /* ... and its longest, once the plant is at rest */
#define SIM_STEADY_PHYSICS_MS 1000u /* a steady current: the physics' longest step */
#define SIM_EVENTS_MAX 512         /* firmware events kept per pack for expectations */

struct sim; /* opaque: its members are src/sim's business */
struct bms_config;

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
    struct sim_pack_config pack[SIM_MAX_PACKS_HELD];
    const struct bms_config *bms_cfg; /* NULL: bms_config_default; must outlive the sim */
    double ambient_c;
    bool has_inverter;
    struct inv_settings inverter;
    int n_cables;
    struct sim_cable cable[SIM_MAX_CABLES];
    double start_tod_s;        /* local time of day at t = 0 (full-charge window) */
};

/* A new system set up from cfg, on the heap; NULL when cfg is unusable (pack
 * count, plant parameters) or memory is short. */
struct sim *sim_new(const struct sim_config *cfg);
void sim_free(struct sim *s); /* NULL is fine */

/* How simulated time advances (docs/simulator.md "Tickless"). Set it before the
 * first step; each mode is deterministic on its own. */
enum sim_tick_mode {
    SIM_TICKLESS,         /* from one instant with work to the next: the default */
    SIM_TICK_REFERENCE,   /* every 10 ms tick runs every firmware; the plant (its scans,
                           * its physics' steps, the world's) as tickless: the two differ
                           * only in the firmware instants tickless skips */
    SIM_TICK_FIXED_PLANT, /* every 10 ms tick runs every firmware, and the plant scans,
                           * steps its physics and the world every 100 ms, never lagging:
                           * the physics' reference */
};
void sim_set_tick_mode(struct sim *s, enum sim_tick_mode mode);
enum sim_tick_mode sim_get_tick_mode(const struct sim *s);

/* One 10 ms tick: runs what is due at the present instant (world, bus, plant,
 * sensors, firmware, outputs) and moves the clock on by SIM_TICK_MS. In the
 * reference mode every firmware ticks; tickless, only the ones due. */
void sim_step(struct sim *s);

/* The earliest instant (ms, a multiple of SIM_TICK_MS, >= the present one)
 * at which something is due: a firmware wakeup, an input that woke a
 * firmware, the plant's next sensor scan, the inverter's next step. Always
 * the present instant in the reference mode. */
uint64_t sim_next_event_ms(const struct sim *s);

/* Runs the present instant, then moves the clock to the next instant with work
 * (sim_next_event_ms), but not beyond limit_ms (rounded up to a tick) and at
 * least one tick on. The caller's own events (a scenario's timeline, its
 * checks and trace rows) go into limit_ms. Returns the new present instant. */
uint64_t sim_advance(struct sim *s, uint64_t limit_ms);

/* Runs every instant before t_ms (tickless or not, as the mode says): after
 * it the present instant is t_ms rounded up to a tick. */
void sim_advance_to(struct sim *s, uint64_t t_ms);

/* Runs ticks one by one until the next tick's time is >= t_ms. */
void sim_run_until(struct sim *s, uint64_t t_ms);

/* The physics may lag the last plant scan (a quiet standby, a steady current:
 * docs/simulator.md; not SIM_TICK_FIXED_PLANT); this advances it to that scan, as a
 * fixed plant has it: what a run does before it reads the energy books at its end. */
void sim_physics_sync(struct sim *s);

/* ---- inputs (pack is 0-based; out-of-range packs are ignored) ---- */
void sim_set_button(struct sim *s, int pack, bool pressed);
void sim_set_ambient(struct sim *s, double temp_c, double ramp_s);
void sim_set_can_connected(struct sim *s, bool connected);
void sim_set_power_connected(struct sim *s, int pack, bool connected);
void sim_charger_set(struct sim *s, double voltage_v, double current_a);
void sim_charger_off(struct sim *s);
bool sim_wire(struct sim *s, const struct sim_cable *c);   /* false: a port is taken */
bool sim_unwire(struct sim *s, const struct sim_cable *c); /* false: no such cable */
/* The outside power stage: current_a > 0 charges the packs, up to v_max_v;
 * < 0 discharges them, down to v_min_v. */
void sim_external_set(struct sim *s, double current_a, double v_max_v, double v_min_v);
void sim_external_off(struct sim *s);

/* ---- the inverter ---- */
enum sim_demand {
    SIM_DEMAND_KEEP,    /* the set-point stays */
    SIM_DEMAND_IDLE,
    SIM_DEMAND_POWER,   /* value in W: > 0 charges the battery */
    SIM_DEMAND_CURRENT, /* value in A, same sign rule */
};
/* New settings (NULL: keep them) and a new set-point. Returns false when the
 * system has no inverter (nothing changes). */
bool sim_inverter_set(struct sim *s, const struct inv_settings *set, enum sim_demand demand,
                      double value);

/* ---- faults on a pack's hardware (docs/spec/PHYSICS.md, docs/spec/SCENARIO.md "fault") ---- */
enum sim_fault_kind {
    SIM_FAULT_NTC_OPEN,
    SIM_FAULT_NTC_SHORT,
    SIM_FAULT_SENSE_OPEN,
    SIM_FAULT_CELL_SHORT,
    SIM_FAULT_CELL_WEAK,
    SIM_FAULT_CELL_RESISTANCE,
    SIM_FAULT_CURRENT_OFFSET,
    SIM_FAULT_FET_STUCK,
    SIM_FAULT_LINK_BREAK,
};
enum sim_fet { SIM_FET_CHARGE, SIM_FET_DISCHARGE, SIM_FET_BOTH /* clearing only */ };
struct sim_fault {
    enum sim_fault_kind kind;
    int pack;        /* 0-based */
    int where;       /* the cell (1-16) or NTC (1-6); 0: every one (clearing only) */
    double value;    /* cell_short: ohm; cell_weak: % of capacity left;
                        cell_resistance: factor; current_offset: A */
    enum sim_fet fet; /* fet_stuck */
};
void sim_inject_fault(struct sim *s, const struct sim_fault *f);
/* Clears the fault of f's kind at f's place (value is not used). */
void sim_clear_fault(struct sim *s, const struct sim_fault *f);

/* ---- the inverter CAN bus, for outside nodes (the bridges) and loggers ---- */
int sim_can_attach(struct sim *s); /* a new node id, or -1 when the bus is full */
bool sim_can_listen(struct sim *s, can_bus_listener_fn fn, void *ctx); /* every frame */
bool sim_can_send(struct sim *s, int node, const struct board_can_frame *f);
bool sim_can_recv(struct sim *s, int node, struct board_can_frame *out);

/* ---- a pack's RS232 console, the typing side (the reading side: sim_view.h) ---- */
size_t sim_console_room(const struct sim *s, int pack); /* bytes the wire takes now */
size_t sim_console_write(struct sim *s, int pack, const uint8_t *data, size_t n);

double sim_time_s(const struct sim *s);

/* ---- the firmware's configuration table (sim_config.bms_cfg) ---- */
/* A copy of the default table on the heap; NULL when memory is short. */
struct bms_config *sim_table_new(void);
/* Switches protection protect_id (enum bms_prot, as scn_protect_from_name gives
 * it) off in t: the mutation check of `run --disable-protection`. */
void sim_table_disable_protection(struct bms_config *t, int protect_id);
void sim_table_free(struct bms_config *t); /* NULL is fine */

#endif
