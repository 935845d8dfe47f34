/* stub_balance.c: a stand-in for src/bms/bms_balance.c while it is not in the tree. */
#include "bms_balance.h"

void bms_balance_init(struct bms_balance *bal)
{
    bal->active = false;
    bal->cell_mask = 0;
}

uint16_t bms_balance_update(struct bms_balance *bal, const struct bms_balance_config *cfg,
                            const uint16_t cell_mV[BOARD_CELLS], bool allowed, bool any_protection)
{
    (void)cfg;
    (void)cell_mV;
    (void)allowed;
    (void)any_protection;
    bal->cell_mask = 0;
    return 0;
}
