/* stub_soc.c: a stand-in for src/bms/bms_soc.c, linked into the bms tests only while
 * that module is not in the tree: plain coulomb counting, full/empty calibration. */
#include "bms_soc.h"

void bms_soc_init(struct bms_soc *soc, const struct bms_soc_config *cfg, struct board *board,
                  uint32_t nvm_base)
{
    soc->cfg = cfg;
    soc->board = board;
    soc->nvm_base = nvm_base;
    soc->soc_pptt = 5000;
    soc->capacity_mAh = cfg->rated_capacity_mAh;
    soc->started = false;
}

unsigned bms_soc_update(struct bms_soc *soc, uint32_t now_ms, const struct bms_soc_input *in)
{
    uint32_t dt = soc->started ? now_ms - soc->last_ms : 0;
    soc->started = true;
    soc->last_ms = now_ms;
    /* quantum: capacity/10000 in mA*ms = capacity_mAh * 3600 */
    int32_t quantum = (int32_t)(soc->capacity_mAh * 36u / 100u) * 1000;
    soc->residue_uAs += in->current_mA * (int32_t)dt;
    while (soc->residue_uAs >= quantum) {
        soc->residue_uAs -= quantum;
        soc->soc_pptt += soc->soc_pptt < 10000;
    }
    while (soc->residue_uAs <= -quantum) {
        soc->residue_uAs += quantum;
        soc->soc_pptt -= soc->soc_pptt > 0;
    }
    return 0;
}

unsigned bms_soc_calibrate_full(struct bms_soc *soc, uint32_t now_ms)
{
    (void)now_ms;
    soc->soc_pptt = 10000;
    return 0;
}

unsigned bms_soc_calibrate_empty(struct bms_soc *soc, uint32_t now_ms)
{
    (void)now_ms;
    soc->soc_pptt = 0;
    return 0;
}

void bms_soc_set_estimate(struct bms_soc *soc, uint32_t now_ms, int32_t soc_pptt)
{
    (void)now_ms;
    soc->soc_pptt = soc_pptt;
    soc->residue_uAs = 0;
}

bool bms_soc_save(struct bms_soc *soc, uint32_t now_ms)
{
    (void)soc;
    (void)now_ms;
    return true;
}

uint8_t bms_soc_percent(const struct bms_soc *soc)
{
    return (uint8_t)((soc->soc_pptt + 50) / 100);
}

int32_t bms_soc_pptt(const struct bms_soc *soc) { return soc->soc_pptt; }
uint8_t bms_soc_soh_percent(const struct bms_soc *soc)
{
    return (uint8_t)((soc->capacity_mAh * 100u + soc->cfg->rated_capacity_mAh / 2u) /
                     soc->cfg->rated_capacity_mAh);
}
uint32_t bms_soc_cycles_x100(const struct bms_soc *soc) { return soc->cycles_x100; }
uint32_t bms_soc_capacity_mAh(const struct bms_soc *soc) { return soc->capacity_mAh; }
