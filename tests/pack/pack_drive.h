/* pack_drive.h: test drivers for a pack: CC/CV charge, constant-current
 * discharge, rest, each measuring the energy at the terminals independently of
 * the pack's own books (trapezoid of the terminal voltage over each step).
 */
#ifndef PACK_DRIVE_H
#define PACK_DRIVE_H

#include "gtx/pack.h"

/* Loads assets/cells/lfp50.json under src_root into p; 0 or -1 (message on stderr). */
int drive_load_lfp50(const char *src_root, struct cell_params *p);

/* A pack of cell as pack_config_default makes it, with its seed, SOC and temperature;
 * pack_init's result (0 or -1). */
int drive_new_pack(struct pack *p, const struct cell_params *cell, uint64_t seed,
                   double soc_pct, double temp_c);

struct drive {
    struct pack *pack;
    double dt_s;
    double ambient_c;
    double time_s;
    double energy_in_j;   /* ∫ I·V_terminal dt, > 0 into the pack */
    double max_cell_temp_c;
    double time_limit_s;  /* every driver stops here too (default: none) */
};

void drive_init(struct drive *d, struct pack *pack, double dt_s, double ambient_c);

/* One step at current_a, counting terminal energy. */
void drive_step(struct drive *d, double current_a);

/* CC at cc_a, then CV at cv_v (terminal) until the current falls below end_a.
 * Returns the energy that entered (J). */
double drive_cccv(struct drive *d, double cc_a, double cv_v, double end_a);

/* Discharges at current_a (> 0 here) until the battery voltage falls to
 * stop_v. Returns the energy delivered (J, > 0). */
double drive_discharge_to_v(struct drive *d, double current_a, double stop_v);

/* Constant current (either sign) until the mean true SOC crosses soc. */
void drive_until_soc(struct drive *d, double current_a, double soc);

void drive_rest(struct drive *d, double duration_s);

#endif
