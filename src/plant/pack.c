/* pack.c: 16 cells in series with their hardware: seeded spread, MOSFETs and
 * body diodes, balancing resistors, the BMS draw, heat, sensors, aging and
 * faults. The hot path (pack_step) does one cell_step and two voltage
 * evaluations per cell, one thermal sweep, and a few sums.
 */
#include "gtx/pack.h"

#include <math.h>
#include <string.h>

/* Random streams of one pack, so adding a draw to one purpose never shifts another. */
enum { STREAM_SPREAD = 1, STREAM_SENSORS = 2, STREAMS_PER_PACK = 8 };

const struct pack_spread pack_spread_default = {
    .capacity_pct = 1.0,
    .resistance_pct = 5.0,
    .soc_pp = 0.5,
    .self_discharge_pct = 30.0,
};

const struct pack_hw pack_hw_default = {
    .series_r_ohm = 0.003,
    .fet_r_ohm = 0.001,
    .diode_v = 0.7,
    .balance_r_ohm = 56.0,
    .bms_run_a = 0.015,
    .bms_off_a = 0.0003,
    .bms_brownout_v = 40.0,
    .aging_interval_s = 60.0,
    .thermal_interval_s = 1.0,
};

/* Per-cell aging rates vary uniformly by this fraction (docs/spec/PHYSICS.md: ±5 %). */
static const double aging_rate_spread = 0.05;
/* The profile behind "cycles already done" at init: the datasheet's cycle. */
static const struct aging_cycle_profile prior_cycle = {
    .dod = 0.8, .c_rate = 0.5, .temp_c = 25.0, .mean_soc = 0.5, .rest_s = 0.0,
};
/* A reversal of the mean SOC by more than this ends a half cycle (DOD tracker). */
static const double dod_reversal = 0.02;

void pack_config_default(struct pack_config *cfg, const struct cell_params *cell)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->cell = cell;
    cfg->spread = pack_spread_default;
    cfg->hw = pack_hw_default;
    cfg->thermal = thermal_params_default;
    cfg->thermal.cell_c_j_per_k = 0.0;
    cfg->sensors = sensors_params_default;
    cfg->seed = 1;
    cfg->soc_pct = 50.0;
    cfg->temp_c = 25.0;
    cfg->bms_running = true;
    cfg->charge_fet_on = true;
    cfg->discharge_fet_on = true;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* The cell's voltage is linear in the current for given states: emf + R0·I.
 * Right after cell_step the cell's cache holds every SOC term at the new SOC,
 * so both come from it (the same formula as cell.c's terminal voltage; a unit
 * test checks they agree); otherwise from two evaluations of cell_voltage_v. */
static void update_emf(struct pack *p, int i)
{
    const struct cell_state *s = &p->cell[i];
    const struct cell_cache *c = &s->cache;
    if (c->valid && c->z_valid && c->p == p->cp && c->z == s->soc &&
        cell_cache_temp_close(c, s->temp_c)) {
        p->cell_emf_v[i] = c->ocv_v + c->m_v * s->h + s->v1_v + s->v2_v + s->v3_v;
        p->cell_r0_ohm[i] = p->cp->r0_ohm * c->f * c->k0 * s->r_factor;
        return;
    }
    double v0 = cell_voltage_v(p->cp, s, 0.0);
    p->cell_emf_v[i] = v0;
    p->cell_r0_ohm[i] = cell_voltage_v(p->cp, s, 1.0) - v0;
}

/* Capacity and resistance factor from base values, aging and faults. A cell
 * whose capacity is used up is destroyed for good (an internal short: it
 * reads 0 V, which the BMS sees as a `sense` fault, R-PR-12). */
static void refresh_cell(struct pack *p, int i)
{
    struct cell_state *s = &p->cell[i];
    double frac = aging_capacity_fraction(s, &p->aging[i]);
    if (frac <= AGING_DESTROYED_FRACTION)
        s->destroyed = true;
    if (!s->destroyed)
        s->capacity_ah = p->cap_base_ah[i] * frac * p->weak_factor[i];
    s->r_factor = p->r_base[i] * aging_resistance_factor(&p->aging[i]) * p->r_fault[i];
    update_emf(p, i);
}

/* The BMS board is supplied by the cells only above its brown-out voltage
 * (R-PR-13): below it nothing on the board draws, the balancing neither. */
static bool bms_supplied(const struct pack *p)
{
    return pack_battery_v(p) >= p->hw.bms_brownout_v;
}

static double cell_current(const struct pack *p, int i, double current_a, double bms_a,
                           bool supplied)
{
    double bal_a = supplied && (p->balance_mask >> i & 1u)
                       ? p->cell_v[i] / p->hw.balance_r_ohm : 0.0;
    return current_a - bms_a - bal_a;
}

static double bms_draw_a(const struct pack *p, bool supplied)
{
    if (!supplied)
        return 0.0;
    return p->bms_running ? p->hw.bms_run_a : p->hw.bms_off_a;
}

int pack_init(struct pack *p, const struct pack_config *cfg)
{
    if (cfg == NULL || cfg->cell == NULL) {
        return -1;
    }
    memset(p, 0, sizeof *p);
    const struct cell_params *cp = cfg->cell;
    p->cp = cp;
    p->hw = cfg->hw;

    struct rng rng;
    uint64_t stream0 = (uint64_t)cfg->pack_index * STREAMS_PER_PACK;
    rng_seed(&rng, cfg->seed, stream0 + STREAM_SPREAD);

    double cell_temp[PACK_CELLS];
    for (int i = 0; i < PACK_CELLS; i++) {
        /* Always draw all five, in this order, so a spread of 0 keeps the others. */
        double n_cap = rng_normal3(&rng);
        double n_r = rng_normal3(&rng);
        double n_soc = rng_normal3(&rng);
        double n_sd = rng_normal3(&rng);
        double u_age = rng_range(&rng, -aging_rate_spread, aging_rate_spread);

        double soc_pct = clamp(cfg->soc_pct + cfg->spread.soc_pp * n_soc, 0.0, 100.0);
        p->cap_base_ah[i] = cp->capacity_ah * (1.0 + cfg->spread.capacity_pct / 100.0 * n_cap);
        p->r_base[i] = 1.0 + cfg->spread.resistance_pct / 100.0 * n_r;
        double sd = 1.0 + cfg->spread.self_discharge_pct / 100.0 * n_sd;
        cell_temp[i] = cfg->temp_c;

        for (int k = 0; k < cfg->n_overrides && k < PACK_CELLS; k++) {
            const struct pack_cell_override *o = &cfg->overrides[k];
            if (o->cell != i + 1) {
                continue;
            }
            if (!isnan(o->soc_pct)) {
                soc_pct = clamp(o->soc_pct, 0.0, 100.0);
            }
            if (!isnan(o->capacity_ah)) {
                p->cap_base_ah[i] = o->capacity_ah;
            }
            if (!isnan(o->resistance_factor)) {
                p->r_base[i] = o->resistance_factor;
            }
            if (!isnan(o->temperature_c)) {
                cell_temp[i] = o->temperature_c;
            }
        }

        struct cell_state *s = &p->cell[i];
        cell_init(s, cp, soc_pct / 100.0, cell_temp[i]);
        s->self_discharge_factor = sd > 0.0 ? sd : 0.0;
        s->aging_rate_factor = 1.0 + u_age;
        aging_cell_init(&p->aging[i]);
        if (cfg->prior_efc > 0.0) {
            aging_fast_cycles(&cp->aging, s, &p->aging[i], &prior_cycle,
                              cfg->prior_efc / prior_cycle.dod);
        }
        p->weak_factor[i] = 1.0;
        p->r_fault[i] = 1.0;
        refresh_cell(p, i);
    }

    struct thermal_params tp = cfg->thermal;
    if (tp.cell_c_j_per_k <= 0.0) {
        tp.cell_c_j_per_k = cp->mass_kg * cp->cp_j_per_kg_k;
    }
    thermal_init(&p->th, &tp, cfg->temp_c);
    for (int i = 0; i < PACK_CELLS; i++) {
        p->th.cell_c[i] = cell_temp[i];
    }
    sensors_init(&p->sens, &cfg->sensors, cfg->seed, stream0 + STREAM_SENSORS);

    p->fet_on[PACK_FET_CHARGE] = cfg->charge_fet_on;
    p->fet_on[PACK_FET_DISCHARGE] = cfg->discharge_fet_on;
    p->bms_running = cfg->bms_running;
    p->bus_v = NAN;
    p->dod = prior_cycle.dod;
    p->dod_turn_soc = pack_mean_soc(p);
    p->dod_extreme_soc = p->dod_turn_soc;
    for (int i = 0; i < PACK_CELLS; i++) {
        update_emf(p, i);
        p->cell_v[i] = p->cell_emf_v[i];
    }
    return 0;
}

static bool conducts(const struct pack *p, enum pack_fet f)
{
    return p->fet_on[f] || p->fet_stuck[f];
}

/* The DOD of the cycling going on: the depth of the last completed half cycle
 * of the mean SOC, or of the running one when that is already deeper. */
static void track_dod(struct pack *p, double soc)
{
    if (p->dod_dir >= 0) {
        if (soc >= p->dod_extreme_soc) {
            p->dod_extreme_soc = soc;
        } else if (p->dod_extreme_soc - soc > dod_reversal) {
            p->dod = p->dod_extreme_soc - p->dod_turn_soc;
            p->dod_turn_soc = p->dod_extreme_soc;
            p->dod_extreme_soc = soc;
            p->dod_dir = -1;
        }
    } else {
        if (soc <= p->dod_extreme_soc) {
            p->dod_extreme_soc = soc;
        } else if (soc - p->dod_extreme_soc > dod_reversal) {
            p->dod = p->dod_turn_soc - p->dod_extreme_soc;
            p->dod_turn_soc = p->dod_extreme_soc;
            p->dod_extreme_soc = soc;
            p->dod_dir = 1;
        }
    }
    double running = fabs(p->dod_extreme_soc - p->dod_turn_soc);
    if (running > p->dod) {
        p->dod = running;
    }
}

static void apply_aging(struct pack *p)
{
    double t = p->acc_s;
    track_dod(p, pack_mean_soc(p));
    for (int i = 0; i < PACK_CELLS; i++) {
        struct cell_state *s = &p->cell[i];
        struct aging_stress st = {
            .dt_s = t,
            .temp_c = p->acc_temp_cs[i] / t,
            .soc = p->acc_soc_s[i] / t,
            .d_efc = p->acc_ah[i] / (2.0 * s->capacity_ah),
            .dod = p->dod,
            .below_od_s = p->acc_od_s[i],
            .side_q = p->acc_side_q[i],
        };
        aging_apply(&p->cp->aging, s, &p->aging[i], &st);
        refresh_cell(p, i);
        p->acc_temp_cs[i] = 0.0;
        p->acc_soc_s[i] = 0.0;
        p->acc_ah[i] = 0.0;
        p->acc_od_s[i] = 0.0;
        p->acc_side_q[i] = 0.0;
    }
    p->acc_s = 0.0;
}

static void step_heat(struct pack *p, double ambient_c)
{
    double t = p->heat_acc_s;
    double cell_w[PACK_CELLS];
    for (int i = 0; i < PACK_CELLS; i++) {
        cell_w[i] = p->heat_cell_j[i] / t;
        p->heat_cell_j[i] = 0.0;
    }
    thermal_step(&p->th, cell_w, p->heat_case_j / t, p->heat_fet_j / t, ambient_c, t);
    for (int i = 0; i < PACK_CELLS; i++) {
        p->cell[i].temp_c = p->th.cell_c[i];
        update_emf(p, i);   /* the OCV and R0 at the new temperature */
    }
    p->heat_case_j = 0.0;
    p->heat_fet_j = 0.0;
    p->heat_acc_s = 0.0;
}

void pack_step(struct pack *p, double current_a, double dt_s, double ambient_c)
{
    if (dt_s <= 0.0) {
        return;
    }
    const struct cell_params *cp = p->cp;
    bool can_chg = conducts(p, PACK_FET_CHARGE);
    bool can_dsg = conducts(p, PACK_FET_DISCHARGE);
    if ((current_a > 0.0 && !can_chg) || (current_a < 0.0 && !can_dsg)) {
        current_a = 0.0;
    }
    bool supplied = bms_supplied(p);
    double bms_a = bms_draw_a(p, supplied);
    double od_v = cp->aging.overdischarge_v;
    double battery_v_old = 0.0;
    double battery_v_start = 0.0;
    double battery_v = 0.0;
    double bal_w = 0.0;
    struct pack_energy *e = &p->energy;

    for (int i = 0; i < PACK_CELLS; i++) {
        struct cell_state *s = &p->cell[i];
        double ic = cell_current(p, i, current_a, bms_a, supplied);
        double v_old = p->cell_v[i];
        /* The terminals' own measure: the cell at this step's current, before it. */
        battery_v_start += p->cell_emf_v[i] + p->cell_r0_ohm[i] * ic;
        struct cell_step_out out;
        cell_step(cp, s, ic, dt_s, &out);

        update_emf(p, i);
        double v = p->cell_emf_v[i] + p->cell_r0_ohm[i] * ic;
        p->cell_v[i] = v;
        p->cell_i_a[i] = ic;
        battery_v_old += v_old;
        battery_v += v;
        /* Balancing bleeds through the resistor at the cell's voltage over the step. */
        if (p->balance_mask >> i & 1u) {
            bal_w += (current_a - bms_a - ic) * 0.5 * (v + v_old);
        }

        p->heat_cell_j[i] += (out.joule_w + out.reversible_w + out.self_discharge_w
                              + out.side_reaction_w) * dt_s;
        e->chem_j += out.chem_energy_j;
        e->joule_j += out.joule_w * dt_s;
        e->reversible_j += out.reversible_w * dt_s;
        e->self_discharge_j += out.self_discharge_w * dt_s;
        e->side_reaction_j += out.side_reaction_w * dt_s;

        p->acc_temp_cs[i] += s->temp_c * dt_s;
        p->acc_soc_s[i] += s->soc * dt_s;
        p->acc_ah[i] += fabs(ic) * dt_s / 3600.0;
        if (v < od_v) { /* deeper is worse: weight 1 at 0 V (and below) */
            p->acc_od_s[i] += dt_s * fmin((od_v - v) / od_v, 1.0);
        }
        if (out.side_a > 0.0) {
            p->acc_side_q[i] += out.side_a * dt_s / (3600.0 * s->capacity_ah);
        }
    }

    /* Heat outside the cells: the series resistance (the MOSFET part warms the
     * MOSFETs first), a conducting body diode, the balancing resistors and the
     * BMS board, all in the enclosure. */
    double i2 = current_a * current_a;
    double fet_w = i2 * p->hw.fet_r_ohm;
    double other_series_w = i2 * (p->hw.series_r_ohm - p->hw.fet_r_ohm);
    double diode_w = 0.0;
    if ((current_a > 0.0 && !can_dsg) || (current_a < 0.0 && !can_chg)) {
        diode_w = p->hw.diode_v * fabs(current_a);
    }
    double bms_w = bms_a * 0.5 * (battery_v + battery_v_old);
    double in_j = (current_a * (0.5 * (battery_v_start + battery_v) + current_a
                                * p->hw.series_r_ohm) + diode_w) * dt_s;
    e->terminal_j += in_j;
    if (in_j > 0.0)
        e->terminal_in_j += in_j;
    e->series_j += (fet_w + other_series_w) * dt_s;
    e->diode_j += diode_w * dt_s;
    e->balance_j += bal_w * dt_s;
    e->bms_j += bms_w * dt_s;

    /* The network's fastest time constant is minutes: summing the heat over
     * thermal_interval_s and stepping it once keeps it cheap at 10 ms steps. */
    p->heat_case_j += (other_series_w + bal_w + bms_w) * dt_s;
    p->heat_fet_j += (fet_w + diode_w) * dt_s;
    p->heat_acc_s += dt_s;
    if (p->heat_acc_s >= p->hw.thermal_interval_s) {
        step_heat(p, ambient_c);
    }
    p->current_a = current_a;
    p->time_s += dt_s;
    p->acc_s += dt_s;
    if (p->acc_s >= p->hw.aging_interval_s) {
        apply_aging(p);
    }
}

void pack_thevenin(const struct pack *p, struct pack_thevenin *out)
{
    bool supplied = bms_supplied(p);
    double bms_a = bms_draw_a(p, supplied);
    double emf = 0.0;
    double r = p->hw.series_r_ohm;
    for (int i = 0; i < PACK_CELLS; i++) {
        /* The internal draws pass through R0 whatever the terminal current. */
        emf += p->cell_emf_v[i] + p->cell_r0_ohm[i] * cell_current(p, i, 0.0, bms_a, supplied);
        r += p->cell_r0_ohm[i];
    }
    bool chg = conducts(p, PACK_FET_CHARGE);
    bool dsg = conducts(p, PACK_FET_DISCHARGE);
    out->emf_v = emf;
    out->r_ohm = r;
    out->can_charge = chg;
    out->can_discharge = dsg;
    out->charge_diode_v = dsg ? 0.0 : p->hw.diode_v;
    out->discharge_diode_v = chg ? 0.0 : p->hw.diode_v;
}

double pack_energy_residual_j(const struct pack_energy *e)
{
    return e->terminal_j - e->chem_j - e->joule_j - e->reversible_j - e->self_discharge_j
           - e->side_reaction_j - e->series_j - e->diode_j - e->balance_j - e->bms_j;
}

double pack_battery_v(const struct pack *p)
{
    double v = 0.0;
    for (int i = 0; i < PACK_CELLS; i++) {
        v += p->cell_v[i];
    }
    return v;
}

double pack_terminal_v(const struct pack *p)
{
    double vb = pack_battery_v(p);
    bool chg = conducts(p, PACK_FET_CHARGE);
    bool dsg = conducts(p, PACK_FET_DISCHARGE);
    double i = p->current_a;
    if (i > 0.0) {
        return vb + i * p->hw.series_r_ohm + (dsg ? 0.0 : p->hw.diode_v);
    }
    if (i < 0.0) {
        return vb + i * p->hw.series_r_ohm - (chg ? 0.0 : p->hw.diode_v);
    }
    if (!isnan(p->bus_v)) {
        return p->bus_v;
    }
    /* Nothing connected: the terminals follow the battery through whatever
     * passes towards them (a closed discharge path, or its diode). */
    if (dsg) {
        return chg ? vb : vb - p->hw.diode_v;
    }
    return 0.0;
}

double pack_current_a(const struct pack *p)
{
    return p->current_a;
}

double pack_mean_soc(const struct pack *p)
{
    double z = 0.0;
    for (int i = 0; i < PACK_CELLS; i++) {
        z += p->cell[i].soc;
    }
    return z / PACK_CELLS;
}

bool pack_past_full(const struct pack *p)
{
    const struct cell_table *t = &p->cp->ocv25_v;
    if (t->n < 2)
        return false;
    for (int i = 0; i < PACK_CELLS; i++)
        if (p->cell[i].soc > t->x[t->n - 1])
            return true;
    return false;
}

static int cell_index(int cell)
{
    return cell >= 1 && cell <= PACK_CELLS ? cell - 1 : -1;
}

double pack_cell_v(const struct pack *p, int cell)
{
    int i = cell_index(cell);
    return i >= 0 ? p->cell_v[i] : NAN;
}

double pack_cell_temp_c(const struct pack *p, int cell)
{
    int i = cell_index(cell);
    return i >= 0 ? p->cell[i].temp_c : NAN;
}

double pack_case_temp_c(const struct pack *p)
{
    return p->th.case_c;
}

double pack_fet_temp_c(const struct pack *p)
{
    return p->th.fet_c;
}

void pack_set_fets(struct pack *p, bool charge_on, bool discharge_on)
{
    p->fet_on[PACK_FET_CHARGE] = charge_on;
    p->fet_on[PACK_FET_DISCHARGE] = discharge_on;
}

void pack_set_balancing(struct pack *p, uint16_t cell_mask)
{
    p->balance_mask = cell_mask;
}

void pack_set_bms_running(struct pack *p, bool running)
{
    p->bms_running = running;
}

void pack_set_bus_voltage(struct pack *p, double bus_v)
{
    p->bus_v = bus_v;
}

void pack_set_temperature(struct pack *p, double temp_c)
{
    for (int i = 0; i < PACK_CELLS; i++) {
        p->th.cell_c[i] = temp_c;
        p->cell[i].temp_c = temp_c;
        update_emf(p, i);
    }
    p->th.case_c = temp_c;
    p->th.fet_c = temp_c;
}

/* NTC positions of docs/spec/PRODUCT.md §13: cells 2, 6, 11, 15 (0-based below). */
static const int ntc_cell_index[4] = {1, 5, 10, 14};

/* What the sensors see of the pack now. */
static void sensor_truth(const struct pack *p, struct sensors_truth *t)
{
    for (int i = 0; i < PACK_CELLS; i++) {
        t->cell_v[i] = p->cell_v[i];
    }
    t->battery_v = pack_battery_v(p);
    t->pack_v = pack_terminal_v(p);
    t->current_a = p->current_a;
    for (int k = 0; k < 4; k++) {
        t->temp_c[k] = p->cell[ntc_cell_index[k]].temp_c;
    }
    t->temp_c[4] = p->th.fet_c;
    t->temp_c[5] = p->th.case_c;
}

void pack_sample(struct pack *p, struct sensors_sample *out)
{
    struct sensors_truth t;
    sensor_truth(p, &t);
    sensors_sample(&p->sens, &t, out);
}

/* With no drift: adding 0.0 leaves every value as it was (a -0.0 becomes +0.0,
 * which the sensors' noise and rounding do not tell apart). */
void pack_sample_at(struct pack *p, uint64_t t_ms, struct sensors_sample *out)
{
    static const double no_drift_v[PACK_CELLS];
    pack_sample_drifted_at(p, t_ms, no_drift_v, out);
}

void pack_sample_drifted_at(struct pack *p, uint64_t t_ms, const double drift_v[PACK_CELLS],
                            struct sensors_sample *out)
{
    struct sensors_truth t;
    sensor_truth(p, &t);
    double sum_v = 0.0;
    for (int i = 0; i < PACK_CELLS; i++) {
        t.cell_v[i] += drift_v[i];
        sum_v += drift_v[i];
    }
    t.battery_v += sum_v;
    if (p->current_a != 0.0) /* else the terminals show the bus */
        t.pack_v += sum_v;
    sensors_sample_at(&p->sens, t_ms, &t, out);
}

void pack_fault_cell_short(struct pack *p, int cell, double resistance_ohm)
{
    int i = cell_index(cell);
    if (i >= 0) {
        p->cell[i].soft_short_ohm = resistance_ohm > 0.0 ? resistance_ohm : 0.0;
    }
}

void pack_fault_cell_weak(struct pack *p, int cell, double capacity_pct)
{
    int i = cell_index(cell);
    if (i >= 0 && capacity_pct > 0.0) {
        p->weak_factor[i] = capacity_pct / 100.0;
        refresh_cell(p, i);
    }
}

void pack_fault_cell_resistance(struct pack *p, int cell, double factor)
{
    int i = cell_index(cell);
    if (i >= 0 && factor > 0.0) {
        p->r_fault[i] = factor;
        refresh_cell(p, i);
    }
}

void pack_fault_current_offset(struct pack *p, double offset_a)
{
    sensors_set_current_error(&p->sens, offset_a, p->sens.current_gain_error);
}

void pack_fault_ntc(struct pack *p, int ntc, enum sensors_ntc_fault f)
{
    sensors_set_ntc_fault(&p->sens, ntc, f);
}

void pack_fault_sense_open(struct pack *p, int cell, bool open)
{
    sensors_set_sense_open(&p->sens, cell, open);
}

void pack_fault_fet_stuck(struct pack *p, enum pack_fet which, bool stuck_closed)
{
    p->fet_stuck[which] = stuck_closed;
}
