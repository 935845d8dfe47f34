/* pack_drive.c: CC/CV, discharge and rest drivers for the pack tests. */
#include "pack_drive.h"

#include <stdio.h>

#include "gtx/cell_params_load.h"

int drive_load_lfp50(const char *src_root, struct cell_params *p)
{
    char path[1024];
    char err[512];
    snprintf(path, sizeof path, "%s/assets/cells/lfp50.json", src_root);
    int rc = cell_params_load(path, p, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
    }
    return rc;
}

void drive_init(struct drive *d, struct pack *pack, double dt_s, double ambient_c)
{
    d->pack = pack;
    d->dt_s = dt_s;
    d->ambient_c = ambient_c;
    d->time_s = 0.0;
    d->energy_in_j = 0.0;
    d->max_cell_temp_c = -1e9;
    d->time_limit_s = 1e300;
}

void drive_step(struct drive *d, double current_a)
{
    /* The terminal voltage at the step's current with the starting states,
     * from the Thevenin view, and at its end from the pack: trapezoid. */
    struct pack_thevenin th;
    pack_thevenin(d->pack, &th);
    double v0 = th.emf_v + current_a * th.r_ohm;
    if (current_a > 0.0) {
        v0 += th.charge_diode_v;
    } else if (current_a < 0.0) {
        v0 -= th.discharge_diode_v;
    }
    pack_step(d->pack, current_a, d->dt_s, d->ambient_c);
    double carried = pack_current_a(d->pack);
    double v1 = pack_terminal_v(d->pack);
    if (carried != 0.0) {
        d->energy_in_j += carried * 0.5 * (v0 + v1) * d->dt_s;
    }
    d->time_s += d->dt_s;
    for (int c = 1; c <= PACK_CELLS; c++) {
        double t = pack_cell_temp_c(d->pack, c);
        if (t > d->max_cell_temp_c) {
            d->max_cell_temp_c = t;
        }
    }
}

double drive_cccv(struct drive *d, double cc_a, double cv_v, double end_a)
{
    double e0 = d->energy_in_j;
    bool in_cv = false;
    for (int guard = 0; guard < 10000000 && d->time_s < d->time_limit_s; guard++) {
        struct pack_thevenin th;
        pack_thevenin(d->pack, &th);
        double i_cv = (cv_v - th.charge_diode_v - th.emf_v) / th.r_ohm;
        double i = cc_a;
        if (i_cv < cc_a) {
            i = i_cv > 0.0 ? i_cv : 0.0;
            in_cv = true;
        }
        if (in_cv && i < end_a) {
            break;
        }
        drive_step(d, i);
    }
    return d->energy_in_j - e0;
}

double drive_discharge_to_v(struct drive *d, double current_a, double stop_v)
{
    double e0 = d->energy_in_j;
    for (int guard = 0; guard < 10000000 && d->time_s < d->time_limit_s; guard++) {
        drive_step(d, -current_a);
        if (pack_battery_v(d->pack) <= stop_v) {
            break;
        }
    }
    return -(d->energy_in_j - e0);
}

void drive_until_soc(struct drive *d, double current_a, double soc)
{
    for (int guard = 0; guard < 10000000 && d->time_s < d->time_limit_s; guard++) {
        double z = pack_mean_soc(d->pack);
        if ((current_a > 0.0 && z >= soc) || (current_a < 0.0 && z <= soc)) {
            break;
        }
        drive_step(d, current_a);
    }
}

void drive_rest(struct drive *d, double duration_s)
{
    double end = d->time_s + duration_s - 1e-9;
    while (d->time_s < end && d->time_s < d->time_limit_s) {
        drive_step(d, 0.0);
    }
}

int drive_new_pack(struct pack *p, const struct cell_params *cell, uint64_t seed,
                   double soc_pct, double temp_c)
{
    struct pack_config cfg;
    pack_config_default(&cfg, cell);
    cfg.seed = seed;
    cfg.soc_pct = soc_pct;
    cfg.temp_c = temp_c;
    return pack_init(p, &cfg);
}
