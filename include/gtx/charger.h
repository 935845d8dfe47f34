/* charger.h: an external DC charger on the system terminals, constant current
 * then constant voltage (docs/spec/SCENARIO.md event `charger`). With no pack taking
 * current its terminals sit at its set voltage, which is how a ≥ 51 V charger
 * wakes a deep-discharged pack (docs/spec/PRODUCT.md R-PR-13).
 */
#ifndef GTX_CHARGER_H
#define GTX_CHARGER_H

#include <stdbool.h>

#include "gtx/dcbus.h"

enum chg_mode {
    CHG_OFF,
    CHG_CC,      /* delivering its set current */
    CHG_CV,      /* holding its set voltage, current tapering */
    CHG_IDLE,    /* on, but nothing takes current: the terminals at its set voltage */
};

struct charger {
    bool on;
    double voltage_v;   /* CV set-point */
    double current_a;   /* CC set-point, > 0 */
};

void chg_init(struct charger *c);                     /* off */
void chg_set(struct charger *c, double voltage_v, double current_a);
void chg_off(struct charger *c);

/* Its element on the DC bus (a feeding port: current_a up to voltage_v). */
void chg_port(const struct charger *c, struct dcbus_port *port);

/* What it is doing, from the bus solve's result for its port. */
enum chg_mode chg_mode_of(const struct charger *c, double port_a);
const char *chg_mode_name(enum chg_mode m);

/* Its open-circuit terminal voltage: the set voltage when on, 0 when off. */
double chg_open_circuit_v(const struct charger *c);

#endif
