/* sim_table: the firmware configuration table a system runs (sim.h), built by
 * the sim layer so that the commands never name the firmware's table or its
 * rows: `run --disable-protection` asks for a copy of the default with some
 * protections switched off.
 */
#include <stdlib.h>

#include "gtx/bms_config.h"
#include "gtx/sim.h"

struct bms_config *sim_table_new(void)
{
    struct bms_config *t = malloc(sizeof *t);
    if (t)
        *t = bms_config_default;
    return t;
}

void sim_table_disable_protection(struct bms_config *t, int protect_id)
{
    for (int r = 0; r < BMS_DIAG_ROW_COUNT; r++)
        if (t->diag[r].kind == BMS_DIAG_PROTECT && t->diag[r].id == protect_id)
            t->diag[r].enabled = false;
}

void sim_table_free(struct bms_config *t)
{
    free(t);
}
