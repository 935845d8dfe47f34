/* scn_limit.h: which limit keeps the inverter from giving the battery what a
 * replayed profile asks (docs/replay.md, "When a limit intervenes"): one
 * table of names (the trace's `limit` column) and texts (the run's log),
 * and the rule that picks one from what the inverter did at its last step.
 */
#ifndef GTX_SCN_LIMIT_H
#define GTX_SCN_LIMIT_H

struct sim;

#define SCN_LIMIT_LIST(X)                                                                   \
    X(NONE, "", "follows the profile again")                                                \
    X(CCL, "ccl", "holds the charge at the BMS's CCL")                                      \
    X(DCL, "dcl", "holds the discharge at the BMS's DCL")                                   \
    X(INV_CCL, "inv_ccl", "holds the charge at its own charge current setting")             \
    X(INV_DCL, "inv_dcl", "holds the discharge at its own discharge current setting")       \
    X(CVL, "cvl", "holds the bus at the BMS's CVL (constant voltage)")                      \
    X(DVL, "dvl", "holds the bus at the BMS's discharge cut-off voltage")                   \
    X(INV_CV, "inv_cv", "holds the bus at its own charge voltage setting")                  \
    X(INV_CUTOFF, "inv_cutoff", "holds the bus at its own cut-off voltage")                 \
    X(PACK_OPEN, "pack_open", "gets less than it asks: a pack's MOSFET is open")            \
    X(NO_CHARGE, "no_charge", "cannot charge: the BMS allows none")                         \
    X(NO_DISCHARGE, "no_discharge", "cannot discharge: the BMS allows none")                \
    X(MIN_SOC, "min_soc", "stops discharging at its min SOC")                               \
    X(CAN_TIMEOUT, "can_timeout", "has lost the BMS (CAN timeout)")                         \
    X(WAITING, "waiting", "waits for the BMS's first limits")                               \
    X(FORCE_CHARGE, "force_charge", "charges on the BMS's force charge request instead")    \
    X(FULL_CHARGE, "full_charge", "charges on the BMS's full charge request instead")

enum scn_limit {
#define X(id, name, text) SCN_LIMIT_##id,
    SCN_LIMIT_LIST(X)
#undef X
    SCN_LIMIT_COUNT
};

/* The limit in force after the simulator's last step, and the currents the
 * set-point asked and the inverter was allowed (A, > 0 charges). NONE when
 * there is no inverter or it does what it was asked (idle included). */
enum scn_limit scn_limit_now(const struct sim *s, double *want_a, double *allowed_a);

const char *scn_limit_name(enum scn_limit l); /* "ccl" ...; "" for NONE */
const char *scn_limit_text(enum scn_limit l); /* for "the inverter %s" */

#endif
