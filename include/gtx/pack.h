/* pack.h: one GTX2500 pack's plant: 16 LFP cells in series with seeded
 * cell-to-cell spread, busbars/shunt/MOSFETs, body diodes, balancing
 * resistors, the BMS's own draw, the heat network, sensors, aging and faults.
 * Current > 0 charges. The simulator steps it; the DC-bus solver reads its
 * Thevenin view.
 */
#ifndef GTX_PACK_H
#define GTX_PACK_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/aging.h"
#include "gtx/cell.h"
#include "gtx/sensors.h"
#include "gtx/thermal.h"

#define PACK_CELLS 16

/* Cell-to-cell variation: standard deviations, normal cut at ±3 σ (docs/spec/SCENARIO.md). */
struct pack_spread {
    double capacity_pct;        /* 1.0 */
    double resistance_pct;      /* 5.0 */
    double soc_pp;              /* 0.5 SOC percentage points */
    double self_discharge_pct;  /* 30 */
};

extern const struct pack_spread pack_spread_default;

/* A per-cell override; NAN leaves a field as drawn. */
struct pack_cell_override {
    int cell;                   /* 1..16 */
    double soc_pct;
    double capacity_ah;
    double resistance_factor;
    double temperature_c;
};

/* The hardware around the cells. */
struct pack_hw {
    double series_r_ohm;    /* busbars, terminals, MOSFETs and shunt: 3 mΩ */
    double fet_r_ohm;       /* the MOSFET channels' part of series_r_ohm */
    double diode_v;         /* body-diode drop, 0.7 V */
    double balance_r_ohm;   /* 56 Ω per cell */
    double bms_run_a;       /* 15 mA */
    double bms_off_a;       /* 0.3 mA */
    double bms_brownout_v;  /* below this battery voltage the BMS has no supply: 40 V */
    double aging_interval_s; /* stress is averaged over this long, then applied */
    double thermal_interval_s; /* heat is summed over this long, then the network stepped */
};

extern const struct pack_hw pack_hw_default;

struct pack_config {
    const struct cell_params *cell;   /* must outlive the pack */
    struct pack_spread spread;
    struct pack_hw hw;
    struct thermal_params thermal;    /* cell_c_j_per_k 0: mass · cp of the cell */
    struct sensors_params sensors;
    int n_overrides;
    struct pack_cell_override overrides[PACK_CELLS];
    uint64_t seed;
    uint32_t pack_index;    /* 0-based: several packs of one seed draw different spreads */
    double soc_pct;         /* initial true SOC of every cell (before spread) */
    double temp_c;          /* initial temperature of cells and case */
    double prior_efc;       /* equivalent full cycles already done (aging fast path) */
    bool bms_running;
    bool charge_fet_on, discharge_fet_on;
};

/* Defaults of docs/spec/SCENARIO.md/PHYSICS.md: 50 % SOC, 25 °C, seed 1, BMS running, FETs on. */
void pack_config_default(struct pack_config *cfg, const struct cell_params *cell);

/* The pack as a source for the DC-bus solver: with current I (> 0 charging)
 * the terminal voltage is emf_v + I·r_ohm + (I > 0 ? charge_diode_v : -discharge_diode_v),
 * allowed only in the directions the MOSFETs pass. Valid for the next step. */
struct pack_thevenin {
    double emf_v;             /* OCV + hysteresis + RC voltages, less the internal draws */
    double r_ohm;             /* Σ R0 + series_r_ohm */
    bool can_charge;
    bool can_discharge;
    double charge_diode_v;    /* 0.7 when charging through a body diode, else 0 */
    double discharge_diode_v; /* 0.7 when discharging through a body diode, else 0 */
};

/* Cumulative energy bookkeeping (J); see docs/physics-pack.md. The ledger
 * closes: terminal_j = chem_j + every heat below (pack_energy_residual_j). */
struct pack_energy {
    double terminal_j;        /* entered at P+/P- (> 0 charging): ∫ I·V_terminal dt */
    double terminal_in_j;     /* the charging part of it (> 0) */
    double chem_j;            /* change of stored chemical energy of the cells */
    double joule_j;           /* cells: I·(V - OCV): R0, RC and hysteresis */
    double reversible_j;      /* cells: I·T·dU/dT */
    double self_discharge_j;  /* cells: self-discharge and soft shorts */
    double side_reaction_j;   /* cells: over-charge side reaction (and reversal past empty) */
    double series_j;          /* busbars, shunt and MOSFET channels */
    double diode_j;           /* body diodes */
    double balance_j;         /* balancing resistors */
    double bms_j;             /* the BMS's own draw */
};

enum pack_fet { PACK_FET_CHARGE, PACK_FET_DISCHARGE };

struct pack {
    const struct cell_params *cp;
    struct pack_hw hw;
    struct cell_state cell[PACK_CELLS];
    struct aging_cell aging[PACK_CELLS];
    double cap_base_ah[PACK_CELLS];   /* spread or override, before fade and faults */
    double r_base[PACK_CELLS];
    double weak_factor[PACK_CELLS];   /* fault: capacity fraction, 1 when healthy */
    double r_fault[PACK_CELLS];       /* fault: resistance factor, 1 when healthy */
    double cell_v[PACK_CELLS];        /* terminal voltage at the last step's end */
    double cell_i_a[PACK_CELLS];      /* last step's cell currents */
    double cell_emf_v[PACK_CELLS];    /* the cell's voltage at zero current, now */
    double cell_r0_ohm[PACK_CELLS];   /* and its R0: V = emf + R0·I until the next step */
    struct thermal th;
    struct sensors sens;
    bool fet_on[2];
    bool fet_stuck[2];
    uint16_t balance_mask;
    bool bms_running;
    double current_a;                 /* last terminal current actually carried */
    double bus_v;                     /* terminal voltage seen from outside; NAN: none */
    double time_s;
    struct pack_energy energy;
    /* Heat summed since the network was last stepped (J). */
    double heat_acc_s;
    double heat_cell_j[PACK_CELLS];
    double heat_case_j, heat_fet_j;
    /* Aging accumulators since the last aging update. */
    double acc_s;
    double acc_temp_cs[PACK_CELLS];
    double acc_soc_s[PACK_CELLS];
    double acc_ah[PACK_CELLS];
    double acc_od_s[PACK_CELLS];      /* depth-weighted seconds below overdischarge_v */
    double acc_side_q[PACK_CELLS];    /* side-reaction charge, in capacities */
    /* Depth-of-discharge tracker on the mean SOC (reversals of more than 2 pp). */
    double dod, dod_turn_soc, dod_extreme_soc;
    int dod_dir;
};

/* Returns 0, or -1 when the configuration is unusable (no cell parameters). */
int pack_init(struct pack *p, const struct pack_config *cfg);

/* Advances by dt_s with a constant terminal current (> 0 charging). A current
 * the MOSFETs do not pass is not carried (pack_current_a() says what was). */
void pack_step(struct pack *p, double current_a, double dt_s, double ambient_c);

void pack_thevenin(const struct pack *p, struct pack_thevenin *out);

/* terminal_j - chem_j - all heat: what the books do not explain (J, ~0). */
double pack_energy_residual_j(const struct pack_energy *e);

/* B+/B-: the cells' sum at the last step's current. */
double pack_battery_v(const struct pack *p);
/* P+/P-: battery voltage, series drop and diode when carrying current; the bus
 * voltage (pack_set_bus_voltage) when not; else what the open MOSFETs let through. */
double pack_terminal_v(const struct pack *p);
double pack_current_a(const struct pack *p);

double pack_mean_soc(const struct pack *p);   /* 0..1, the cells' true SOC */
/* Whether a cell is past its OCV table's full end, where the over-charge side
 * reaction's SOC steps by backward Euler: the one part of a step at constant current
 * whose result depends on the step's length (docs/physics.md "The ends"). */
bool pack_past_full(const struct pack *p);
double pack_cell_v(const struct pack *p, int cell);      /* cell 1..16 */
double pack_cell_temp_c(const struct pack *p, int cell); /* cell 1..16 */
double pack_case_temp_c(const struct pack *p);
double pack_fet_temp_c(const struct pack *p);

void pack_set_fets(struct pack *p, bool charge_on, bool discharge_on);
void pack_set_balancing(struct pack *p, uint16_t cell_mask);   /* bit 0 = cell 1 */
void pack_set_bms_running(struct pack *p, bool running);
void pack_set_bus_voltage(struct pack *p, double bus_v);       /* NAN: nothing connected */
/* Sets every cell, the case and the MOSFETs to temp_c (a soak). */
void pack_set_temperature(struct pack *p, double temp_c);

/* Samples the sensors (advances the sensor noise stream). */
void pack_sample(struct pack *p, struct sensors_sample *out);
/* Samples them with the noise of a scan at t_ms (sensors_sample_at). */
void pack_sample_at(struct pack *p, uint64_t t_ms, struct sensors_sample *out);
/* pack_sample_at of a truth ahead of the last step: each cell drift_v[i] from where
 * the step left it (the stack with their sum), for a caller whose physics lags the
 * scan while the current holds (docs/simulator.md, "Tickless"). */
void pack_sample_drifted_at(struct pack *p, uint64_t t_ms, const double drift_v[PACK_CELLS],
                            struct sensors_sample *out);

/* Fault hooks (cell 1..16, ntc 1..6); each call with the healthy value clears. */
void pack_fault_cell_short(struct pack *p, int cell, double resistance_ohm); /* 0: none */
void pack_fault_cell_weak(struct pack *p, int cell, double capacity_pct);    /* 100: none */
void pack_fault_cell_resistance(struct pack *p, int cell, double factor);    /* 1: none */
void pack_fault_current_offset(struct pack *p, double offset_a);             /* 0: none */
void pack_fault_ntc(struct pack *p, int ntc, enum sensors_ntc_fault f);
void pack_fault_sense_open(struct pack *p, int cell, bool open);
void pack_fault_fet_stuck(struct pack *p, enum pack_fet which, bool stuck_closed);

#endif
