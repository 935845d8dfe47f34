/* scn_limit: which limit keeps the inverter from following a replayed
 * profile (scn_limit.h). The inverter's own decision (its activity, the
 * current limits it applied) says which current limit or refusal holds; the
 * bus says when the current it asked was not what flowed: no pack's MOSFET
 * for that direction on (the bus then sits at 0 V or at the inverter's own
 * voltage bound), or the bus held at a voltage bound (CV, cut-off), or, inside
 * them, a pack that takes or gives less.
 */
#include "scn_limit.h"

#include <math.h>
#include <stddef.h>

#include "gtx/sim_view.h"

#define CURRENT_TOL_A 0.5  /* less than this short of the set-point is following it */
#define VOLTAGE_TOL_V 0.05 /* the bus this close to a bound is held there */

static const char *const names[SCN_LIMIT_COUNT] = {
#define X(id, name, text) [SCN_LIMIT_##id] = name,
    SCN_LIMIT_LIST(X)
#undef X
};
static const char *const texts[SCN_LIMIT_COUNT] = {
#define X(id, name, text) [SCN_LIMIT_##id] = text,
    SCN_LIMIT_LIST(X)
#undef X
};

const char *scn_limit_name(enum scn_limit l)
{
    return (unsigned)l < SCN_LIMIT_COUNT ? names[l] : "?";
}

const char *scn_limit_text(enum scn_limit l)
{
    return (unsigned)l < SCN_LIMIT_COUNT ? texts[l] : "?";
}

/* Whether some pack's MOSFET for that direction is on. */
static bool fet_on(const struct sim *s, bool charge)
{
    for (int i = 0, n = sim_view_pack_count(s); i < n; i++) {
        const sim_fw_status *st = sim_view_status(s, i);
        if (charge ? st->fet_charge_on : st->fet_discharge_on)
            return true;
    }
    return false;
}

/* Charging (sign +1) or discharging (-1) at the set-point's current want_a.
 * What flowed short of what the inverter allowed: the bus held at a voltage
 * bound, or a pack that takes or gives less; else what it allowed short of
 * the set-point: the current limit it applied. The BMS's limit is named when
 * it is the one that binds (lithium mode, not beyond the inverter's own
 * setting). */
static enum scn_limit moving(const struct sim *s, const struct inverter *inv, double sign,
                             double want_a, double got_a, double bus_v)
{
    bool lithium = inv->set.mode == INV_MODE_LITHIUM;
    bool charge = sign > 0.0;
    if (sign * got_a < sign * inv->req.current_a - CURRENT_TOL_A) {
        if (!fet_on(s, charge))
            return SCN_LIMIT_PACK_OPEN; /* the bus then sits at a bound with no pack on it */
        if (charge && fabs(bus_v - inv->cv_v) <= VOLTAGE_TOL_V)
            return lithium && inv->rx.cvl_v <= inv->set.charge_voltage_v ? SCN_LIMIT_CVL
                                                                          : SCN_LIMIT_INV_CV;
        if (!charge && fabs(bus_v - inv->cutoff_v) <= VOLTAGE_TOL_V)
            return lithium && inv->rx.dvl_v >= inv->set.cutoff_voltage_v ? SCN_LIMIT_DVL
                                                                          : SCN_LIMIT_INV_CUTOFF;
        return SCN_LIMIT_PACK_OPEN;
    }
    if (sign * want_a <= sign * inv->req.current_a + CURRENT_TOL_A)
        return SCN_LIMIT_NONE;
    double bms_a = charge ? inv->rx.ccl_a : inv->rx.dcl_a;
    double own_a = charge ? inv->set.charge_current_a : inv->set.discharge_current_a;
    bool bms = lithium && bms_a <= own_a;
    return charge ? (bms ? SCN_LIMIT_CCL : SCN_LIMIT_INV_CCL)
                  : (bms ? SCN_LIMIT_DCL : SCN_LIMIT_INV_DCL);
}

enum scn_limit scn_limit_now(const struct sim *s, double *want_a, double *allowed_a)
{
    const struct inverter *inv = sim_view_inverter(s);
    *want_a = *allowed_a = 0.0;
    if (!inv)
        return SCN_LIMIT_NONE;
    double bus_v = sim_view_bus_v(s);
    *want_a = inv->sp == INV_SP_POWER ? inv->sp_power_w / (bus_v > 1.0 ? bus_v : 51.2)
            : inv->sp == INV_SP_CURRENT ? inv->sp_current_a : 0.0;
    *allowed_a = inv->req.current_a;
    switch (inv->activity) {
    case INV_ACT_CHARGING: return moving(s, inv, 1.0, *want_a, sim_view_inverter_a(s), bus_v);
    case INV_ACT_DISCHARGING: return moving(s, inv, -1.0, *want_a, sim_view_inverter_a(s), bus_v);
    case INV_ACT_CHARGE_BLOCKED: return SCN_LIMIT_NO_CHARGE;
    case INV_ACT_DISCHARGE_BLOCKED: return SCN_LIMIT_NO_DISCHARGE;
    case INV_ACT_MIN_SOC: return SCN_LIMIT_MIN_SOC;
    case INV_ACT_COMM_LOST: return SCN_LIMIT_CAN_TIMEOUT;
    case INV_ACT_WAITING: return SCN_LIMIT_WAITING;
    case INV_ACT_FORCE_CHARGING: return SCN_LIMIT_FORCE_CHARGE;
    case INV_ACT_FULL_CHARGING: return SCN_LIMIT_FULL_CHARGE;
    case INV_ACT_IDLE: break;
    }
    return SCN_LIMIT_NONE;
}
