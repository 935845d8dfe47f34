/* The plant's schedule, the same in both time modes (docs/simulator.md, "Tickless"):
 * when the plants' physics steps and when it may lag its scans (a quiet standby, a
 * steady current, storage), by how much the cells may drift meanwhile, and how often
 * the sensors are scanned. SIM_TICK_FIXED_PLANT (--plant 100ms) steps it every scan.
 */
#include "sim_internal.h"

#include <math.h>
#include <string.h>

/* While the physics lags a steady current (physics_may_lag_steady), how far a cell's
 * truth may drift: half the AFE's 1 mV step, a quarter of its 2 mV noise bound; how far
 * the bus solve's total current would: 0.1 mA, a hundredth of the shunt's 10 mA step (a
 * charger or an inverter at its voltage limit tapers the current as the cells rise, and
 * a solve that lags behind them takes the taper's turns late); and how far one pack's
 * share of it would: 5 mA, half the shunt's step and a quarter of its 20 mA noise bound,
 * as for a cell. Packs in parallel share the current by their EMFs, which drift apart at
 * their own rates: the shares move by mA a second while the total stands, and what they
 * move between packs is no energy in or out (a share 5 mA off for the lag's seconds is a
 * few µAh; docs/simulator.md has why not less). */
static const struct {
    double cell_v, current_a, share_a;
} steady_drift = {0.0005, 0.0001, 0.005};

/* How long the physics may lag for a quantity that moved by `moved` over dt_s: as long
 * as that rate takes to move it by `bound`, on the scan grid, at most
 * SIM_STEADY_PHYSICS_MS. */
static uint64_t steady_lag_ms(double moved, double bound, double dt_s)
{
    double lag_ms = moved > 0.0 ? bound / moved * dt_s * 1000.0 : SIM_STEADY_PHYSICS_MS;
    if (lag_ms >= SIM_STEADY_PHYSICS_MS)
        return SIM_STEADY_PHYSICS_MS;
    return (uint64_t)(lag_ms / SIM_PLANT_STEP_MS) * SIM_PLANT_STEP_MS;
}

/* A quiet standby's physics steps every SIM_QUIET_PHYSICS_MS, and up to
 * SIM_QUIET_PHYSICS_MAX_MS once its last step says a plant at rest moves less than
 * this in the longer one: half the AFE's 1 mV step and half an NTC's 0.1 °C, so that
 * the held sample is the one a fresh scan would draw, noise aside. Relaxation and a
 * cooling slow down as they go, so the last step's rate overstates the next one's. */
static const struct {
    double cell_v, temp_c;
} quiet_drift = {0.0005, 0.05};

/* How long the physics of a plant at rest may lag after a step of dt_s in which a cell
 * moved by dv_v and a temperature by dt_c: as long as that rate takes to move one by
 * quiet_drift, on the grid of min_ms, between min_ms and max_ms. A quiet standby's lag
 * (SIM_QUIET_PHYSICS_MS to SIM_QUIET_PHYSICS_MAX_MS) and the storage step
 * (SIM_STORAGE_STEP_MS to SIM_STORAGE_STEP_MAX_MS: the heat network's backward Euler
 * then lags an ambient ramp by half a step, which the bound keeps to hundredths of a
 * degree). */
static uint64_t rest_lag_ms(double dv_v, double dt_c, double dt_s, uint64_t min_ms,
                            uint64_t max_ms)
{
    double lag_ms = (double)max_ms;
    if (dv_v > 0.0)
        lag_ms = fmin(lag_ms, quiet_drift.cell_v / dv_v * dt_s * 1000.0);
    if (dt_c > 0.0)
        lag_ms = fmin(lag_ms, quiet_drift.temp_c / dt_c * dt_s * 1000.0);
    uint64_t lag = (uint64_t)(lag_ms / (double)min_ms) * min_ms;
    return lag > min_ms ? lag : min_ms;
}

/* The largest move of a plant's temperatures from before[] (its cells, case, MOSFETs). */
static double temps_moved_c(const struct pack *p, const double before[PACK_CELLS + 2])
{
    double moved = fmax(fabs(p->th.case_c - before[PACK_CELLS]),
                        fabs(p->th.fet_c - before[PACK_CELLS + 1]));
    for (int c = 0; c < PACK_CELLS; c++)
        moved = fmax(moved, fabs(p->cell[c].temp_c - before[c]));
    return moved;
}

/* Advances every plant's physics to t_ms with the currents of the last bus solve, and
 * says from the cells' drift how long it may lag next. */
static void physics_to(struct sim *s, uint64_t t_ms)
{
    if (t_ms <= s->physics_ms)
        return;
    double dt_s = (double)(t_ms - s->physics_ms) / 1000.0;
    double ambient_c = room_temp_c(&s->room, (double)t_ms / 1000.0);
    double dv_v = 0.0, dt_c = 0.0;
    bool exact = true;
    for (int i = 0; i < s->n; i++) {
        struct sim_pack *sp = &s->pack[i];
        struct pack *p = &sp->plant;
        /* The drift at the step's current: the EMF's (a current that changed at the
         * step's start moved the terminal voltage by R0·ΔI at once, no drift). */
        double emf0[PACK_CELLS], temp0_c[PACK_CELLS + 2];
        memcpy(emf0, p->cell_emf_v, sizeof emf0);
        for (int c = 0; c < PACK_CELLS; c++)
            temp0_c[c] = p->cell[c].temp_c;
        temp0_c[PACK_CELLS] = p->th.case_c;
        temp0_c[PACK_CELLS + 1] = p->th.fet_c;
        pack_step(p, sp->current_a, dt_s, ambient_c);
        for (int c = 0; c < PACK_CELLS; c++) {
            double d = p->cell_emf_v[c] - emf0[c];
            sp->cell_rate_v_per_s[c] = d / dt_s;
            dv_v = fmax(dv_v, fabs(d));
        }
        dt_c = fmax(dt_c, temps_moved_c(p, temp0_c));
        exact = exact && !pack_past_full(p);
    }
    s->steady_lag_ms = exact ? steady_lag_ms(dv_v, steady_drift.cell_v, dt_s) : 0;
    s->quiet_lag_ms = rest_lag_ms(dv_v, dt_c, dt_s, SIM_QUIET_PHYSICS_MS, SIM_QUIET_PHYSICS_MAX_MS);
    s->storage_step_ms =
        rest_lag_ms(dv_v, dt_c, dt_s, SIM_STORAGE_STEP_MS, SIM_STORAGE_STEP_MAX_MS);
    s->physics_dt_s = dt_s;
    s->physics_ms = t_ms;
    s->plant_gen++;
    s->scan_asked_changed = true; /* storage_step_ms */
}

void sim_physics_catch_up(struct sim *s)
{
    physics_to(s, s->now_ms);
}

void sim_physics_sync(struct sim *s)
{
    physics_to(s, s->plant_ms);
}

/* After a solve that followed a physics step: how long the currents allow the physics
 * to lag, from how far the solve moved them from what the plants carried over it. */
void sim_lag_limit_by_currents(struct sim *s)
{
    double di_a = 0.0, total_a = 0.0;
    for (int i = 0; i < s->n; i++) {
        double d = s->pack[i].current_a - pack_current_a(&s->pack[i].plant);
        total_a += d;
        di_a = fmax(di_a, fabs(d));
    }
    uint64_t lag = steady_lag_ms(fabs(total_a), steady_drift.current_a, s->physics_dt_s);
    uint64_t share = steady_lag_ms(di_a, steady_drift.share_a, s->physics_dt_s);
    lag = share < lag ? share : lag;
    if (lag < s->steady_lag_ms)
        s->steady_lag_ms = lag;
}

/* Whether a sample sits well inside its watch window: what a quiet standby's
 * physics can move in SIM_QUIET_PHYSICS_MS with no current (a few mV of relaxation,
 * mK of room drift) cannot reach the window's edge. */
static bool deep_inside_window(const struct board_afe_watch *w, const struct board_afe *a)
{
    enum { CELL_MARGIN_MV = 20, BATTERY_MARGIN_MV = 200, TEMP_MARGIN_DDEGC = 10 };
    for (int c = 0; c < PACK_CELLS; c++)
        if (a->cell_mV[c] < w->cell_min_mV + CELL_MARGIN_MV ||
            a->cell_mV[c] + CELL_MARGIN_MV > w->cell_max_mV)
            return false;
    for (int k = 0; k < SENSORS_NTCS; k++)
        if (a->temp_ddegC[k] < w->temp_min_ddegC + TEMP_MARGIN_DDEGC ||
            a->temp_ddegC[k] + TEMP_MARGIN_DDEGC > w->temp_max_ddegC)
            return false;
    return a->battery_mV >= w->battery_min_mV + BATTERY_MARGIN_MV &&
           a->battery_mV + BATTERY_MARGIN_MV <= w->battery_max_mV;
}

/* A quiet standby (both time modes, not SIM_TICK_FIXED_PLANT): every running pack's watch is quiet with its last sample
 * deep inside the window, no pack carries current, nothing charges or balances. Its
 * physics is then exact with any step (the RC branches decay as exponentials, the
 * heat network is stable), so it steps every quiet_lag_ms (10-60 s) and the scans in
 * between sample the last truth with fresh noise. */
static bool physics_may_lag(const struct sim *s)
{
    /* world_moved: the last solve changed a current the plant has not carried yet (a
     * MOSFET let go): the physics takes it at once, as a fixed plant's next step does. */
    if (s->mode == SIM_TICK_FIXED_PLANT || s->resync || s->world_moved || s->chg.on ||
        s->ext_on || s->now_ms - s->physics_ms >= s->quiet_lag_ms)
        return false;
    for (int i = 0; i < s->n; i++) {
        const struct sim_pack *sp = &s->pack[i];
        const struct board_afe_watch *w = &sp->io.afe_watch;
        if (sp->current_a != 0.0 || sp->plant.balance_mask || sp->sensors_pinned)
            return false;
        if (sp->io.power_hold && (w->scan_period_ms <= SIM_PLANT_STEP_MS ||
                                  w->current_wake_mA <= 0 ||
                                  !deep_inside_window(w, &sp->io.afe)))
            return false;
    }
    return true;
}

/* A steady current (both time modes, not SIM_TICK_FIXED_PLANT): the last bus solve left every pack's current where its
 * plant carried it (within the shunt's 10 mA) and nothing changed the world since. The
 * physics is exact for a constant current over any step, so it may lag by as long as
 * its last step says the cells take to drift by steady_drift.cell_v (steady_lag_ms); the
 * scans in between sample the last truth with their own noise, and the bus solve
 * stands. Anything that changes a current or a plant catches the physics up first. */
static bool physics_may_lag_steady(const struct sim *s)
{
    if (s->mode == SIM_TICK_FIXED_PLANT || s->resync || s->world_moved || s->bus_near_limit ||
        s->now_ms - s->physics_ms >= s->steady_lag_ms)
        return false;
    for (int i = 0; i < s->n; i++)
        if (s->pack[i].sensors_pinned)
            return false;
    return true;
}

/* The plant step of a scan: the physics, unless a quiet standby lets it lag (the AFE
 * holds its last conversion, which sits deep inside the window: nothing a sample of
 * the same truth could show would alert) or a steady current does. */
enum sim_scan_kind sim_plant_scan(struct sim *s)
{
    enum sim_scan_kind k = physics_may_lag(s)          ? SIM_SCAN_HOLD
                           : physics_may_lag_steady(s) ? SIM_SCAN_RESAMPLE
                                                       : SIM_SCAN_STEP;
    if (k == SIM_SCAN_STEP)
        sim_physics_catch_up(s);
    s->plant_ms = s->now_ms;
    return k;
}

/* Whether a quiet watch's wake comparator may trip on the current the pack carries: its
 * measure (gain and offset errors included) lies within the noise bound and one
 * resolution step of the threshold. The comparator watches between scans; a fixed plant
 * (--plant 100ms) draws its measure every 100 ms, so near the threshold the scans come that often
 * too, and a noisy crossing trips at the same sample with either plant. */
static bool near_wake_comparator(const struct sim_pack *sp)
{
    const struct board_afe_watch *w = &sp->io.afe_watch;
    if (w->scan_period_ms == 0 || w->current_wake_mA <= 0)
        return false;
    const struct sensors *sn = &sp->plant.sens;
    double measured_mA = fabs((sp->current_a * (1.0 + sn->current_gain_error)
                               + sn->current_offset_a) * 1000.0);
    return measured_mA + sn->p.current_noise_mA + sn->p.current_res_mA >= w->current_wake_mA;
}

/* The plant and sensor scan period: the fastest any running pack needs (its
 * firmware's AFE scan, SIM_PLANT_STEP_MS while it does not say); with every
 * pack shut down and no current, only the physics runs, SIM_STORAGE_STEP_MS at a
 * time, and up to SIM_STORAGE_STEP_MAX_MS while the plants rest (storage_step_ms).
 * A shut-down pack that still carries current (a MOSFET stuck closed) is stepped as
 * a fixed plant is: its current changes the world. A running pack's own
 * firmware says how often it needs a scan (its AFE watch). */
uint64_t sim_scan_period_ms(const struct sim *s)
{
    uint64_t period = s->storage_step_ms ? s->storage_step_ms : SIM_STORAGE_STEP_MS;
    for (int i = 0; i < s->n; i++) {
        const struct sim_pack *sp = &s->pack[i];
        uint64_t asked = sp->io.afe_watch.scan_period_ms;
        if (!sp->io.power_hold && fabs(sp->current_a) > CURRENT_MOVED_A)
            period = SIM_PLANT_STEP_MS < period ? SIM_PLANT_STEP_MS : period;
        if (sp->io.power_hold)
            period = asked > 0 && asked < period ? asked : period;
        /* (the comparator can only bring it down to a plant step: once there, its
         * arithmetic is skipped, on every instant with a firmware run) */
        if (sp->io.power_hold && period > SIM_PLANT_STEP_MS && near_wake_comparator(sp))
            period = SIM_PLANT_STEP_MS;
    }
    return period;
}
