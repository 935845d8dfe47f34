/* charger.c: the external CC/CV DC charger. It only describes itself to the
 * DC bus; dcbus.c does the CC/CV physics for every source alike.
 */
#include "gtx/charger.h"

/* Below this a CC/CV source counts as delivering nothing (A). */
#define CHG_IDLE_A 1e-6
/* Within this of the set current it is in constant current (A). */
#define CHG_CC_BAND_A 1e-6

void chg_init(struct charger *c)
{
    *c = (struct charger){.on = false, .voltage_v = 0.0, .current_a = 0.0};
}

void chg_set(struct charger *c, double voltage_v, double current_a)
{
    c->on = voltage_v > 0.0 && current_a > 0.0;
    c->voltage_v = voltage_v;
    c->current_a = current_a;
}

void chg_off(struct charger *c)
{
    c->on = false;
}

void chg_port(const struct charger *c, struct dcbus_port *port)
{
    *port = (struct dcbus_port){.on = c->on, .current_a = c->on ? c->current_a : 0.0,
                                .v_max_v = c->voltage_v, .v_min_v = 0.0, .power_w = 0.0};
}

enum chg_mode chg_mode_of(const struct charger *c, double port_a)
{
    if (!c->on)
        return CHG_OFF;
    if (port_a < CHG_IDLE_A)
        return CHG_IDLE;
    if (port_a >= c->current_a - CHG_CC_BAND_A)
        return CHG_CC;
    return CHG_CV;
}

const char *chg_mode_name(enum chg_mode m)
{
    switch (m) {
    case CHG_OFF:
        return "off";
    case CHG_CC:
        return "constant current";
    case CHG_CV:
        return "constant voltage";
    case CHG_IDLE:
        return "idle";
    }
    return "?";
}

double chg_open_circuit_v(const struct charger *c)
{
    return c->on ? c->voltage_v : 0.0;
}
