/* sim_internal.h: the members of struct sim, private to src/sim/. Everything
 * outside looks through include/gtx/sim_view.h and writes through the functions
 * of include/gtx/sim.h, so a new reach-in into a pack's firmware or plant fails
 * to compile (docs/simulator.md, "Layers").
 */
#ifndef GTX_SIM_INTERNAL_H
#define GTX_SIM_INTERNAL_H

#include "gtx/bms.h"
#include "gtx/can_bus.h"
#include "gtx/charger.h"
#include "gtx/dcbus.h"
#include "gtx/inverter.h"
#include "gtx/pack.h"
#include "gtx/pylon.h"
#include "gtx/room.h"
#include "gtx/sim.h"
#include "gtx/sim_io.h"
#include "gtx/sim_view.h"

_Static_assert(DCBUS_MAX_PACKS >= SIM_MAX_PACKS_HELD, "the DC bus cannot join every pack");

struct sim_pack {
    struct pack plant;
    struct sim_io io;
    struct bms fw;
    bool power_connected;      /* its power cables are on the bus */
    double cable_ohm;
    bool link_break;           /* its Link Port Out cable carries no data */
    /* By enum sim_port: the pack at the other end of that Link Port's cable (NULL: none,
     * or a broken one); its receiving FIFO is io.link_to. Set by sim_route_links. */
    struct sim_pack *link_peer[2];
    bool sensors_pinned;       /* a test rig holds io.afe and io.current_mA (sim_rig.h) */
    double current_a;          /* the bus solve's current for this plant step */
    double cell_rate_v_per_s[PACK_CELLS]; /* each cell's drift over the last physics step
                                           * at its current (a steady current) */
    bool fets_seen[2];         /* the FET state the plant last got */
    uint32_t evlog_seq_seen;
    int event_count;
    uint64_t events_dropped;   /* the oldest ones let go when events[] was full */
    struct sim_event events[SIM_EVENTS_MAX];
    /* Tickless scheduling (docs/simulator.md "Tickless"): the firmware runs at
     * wake_ms, or at the next instant when an input woke it. */
    uint64_t wake_ms;
    bool woken;
};

struct sim {
    struct sim_config cfg;
    const struct bms_config *bms_cfg; /* the firmware's table (cfg.bms_cfg or the default) */
    int n;
    struct sim_pack pack[SIM_MAX_PACKS_HELD];
    struct can_bus can;
    bool has_inverter;
    struct inverter inv;
    int inv_node;
    int master_node;           /* pack 1's CAN node */
    bool can_connected;        /* the cable between pack 1 and the inverter */
    struct pylon_state can_seen; /* what the packs sent, decoded (expectations, trace) */
    struct pylon_heard can_heard; /* the frames decoded into can_seen */
    uint64_t can_gen;          /* +1 at each frame decoded into can_seen (sim_view_can_gen) */
    struct charger chg;
    struct room room;
    int n_cables;
    struct sim_cable cable[SIM_MAX_CABLES];
    uint64_t now_ms;           /* simulated time of the next tick */
    uint64_t plant_ms;         /* the last plant scan (the 100 ms grid's origin) */
    uint64_t physics_ms;       /* the plants' physics has been advanced to here: behind
                                * plant_ms in a quiet standby or a steady current
                                * (sim_physics_catch_up, sim_physics_sync) */
    bool resync;               /* an input changed: step the plant at the next tick */
    double bus_v;
    double inverter_a;         /* what the inverter put into the bus (> 0 charges) */
    double charger_a;
    /* A power stage driven from outside (an external inverter program through a
     * bridge): a CC source/sink with voltage bounds on the DC bus. */
    bool ext_on;
    struct dcbus_port ext;
    double ext_a;              /* what it put into the bus at the last solve */
    uint64_t ticks;            /* instants run (each ran the firmware of a pack or more) */
    /* +1 whenever what an observer reads of the plants and the bus may change
     * (a plant step, a bus solve, a MOSFET switching, a fault): sim_view_plant_gen. */
    uint64_t plant_gen;
    enum sim_tick_mode mode;
    uint64_t next_scan_ms;     /* tickless: the next plant step and sensor scan */
    bool scan_asked_changed;   /* what sim_scan_period_ms reads changed since it was last
                                * asked (a firmware's watch or power, the physics' step) */
    bool world_moved;          /* tickless: the last solve moved a current; next scan soon */
    uint64_t steady_lag_ms;    /* how long the physics may lag while the currents
                                * hold, from the cells' drift over its last step */
    double physics_dt_s;       /* the physics' last step */
    uint64_t quiet_lag_ms;     /* a quiet standby: how long the physics may lag,
                                * from the cells' and temperatures' drift over its last step */
    uint64_t storage_step_ms;  /* every pack shut down: the physics' step, likewise */
    bool bus_near_limit;       /* the last solve: a port at or near a voltage bound */
};

/* Sets up every part of a caller-allocated s from cfg (sim_new's work). Returns
 * 0, or -1 when cfg is unusable. */
int sim_init(struct sim *s, const struct sim_config *cfg);

/* Works out every Link Port's far end (sim_pack link_peer, sim_io link_to) from the
 * cables and the breaks: after any change to either. */
void sim_route_links(struct sim *s);

/* How far a pack's current may move from what its plant carried before a scan takes
 * it as moved: the shunt's 10 mA step. */
#define CURRENT_MOVED_A 0.01

/* What a scan does with the plant (sim_schedule.c). */
enum sim_scan_kind {
    SIM_SCAN_STEP,     /* the physics stepped to now: solve the bus, sample */
    SIM_SCAN_HOLD,     /* a quiet standby: the AFE holds its last conversion */
    SIM_SCAN_RESAMPLE, /* a steady current: the physics lags, the AFE samples its truth */
};

/* The plant step of a scan at now_ms: steps the physics to now, or lets it lag. */
enum sim_scan_kind sim_plant_scan(struct sim *s);

/* After a solve that followed a physics step: how long the currents let it lag next. */
void sim_lag_limit_by_currents(struct sim *s);

/* The plant and sensor scan period (ms): the fastest any running pack needs. */
uint64_t sim_scan_period_ms(const struct sim *s);

/* Advances the plants' physics to now_ms (after a quiet standby or a steady current let
 * it lag), before anything changes a plant directly (a fault, the MOSFETs, balancing). */
void sim_physics_catch_up(struct sim *s);

#endif
