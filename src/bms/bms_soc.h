/* bms_soc: state of charge, full-charge capacity, SOH and cycle count from the
 * firmware's own measurements (docs/spec/PRODUCT.md §8, §13): exact coulomb counting,
 * recalibration at full and empty, OCV correction after a long rest where the
 * LFP curve is steep, capacity learning, and a power-cut-safe NVM record.
 * Private to src/bms/.
 */
#ifndef GTX_BMS_SOC_H
#define GTX_BMS_SOC_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/bms/soc.h"
#include "gtx/board.h"

/* The inputs of one update, from the firmware's own measurements. */
struct bms_soc_input {
    int32_t current_mA;   /* > 0 charging */
    uint16_t cell_avg_mV; /* battery voltage / cells: the OCV lookup */
};

/* What bms_soc_update did, for the event log (bit set). */
enum bms_soc_event {
    BMS_SOC_EV_OCV = 1u << 0,     /* estimate corrected from the rested OCV */
    BMS_SOC_EV_LEARNED = 1u << 1, /* capacity learned (by update or a calibration) */
};

/* Bytes of NVM the SOC store uses at nvm_base (two alternating records). */
#define BMS_SOC_NVM_SIZE 64u

/* Loads the stored state (or starts at 50 %, rated capacity, 0 cycles). */
void bms_soc_init(struct bms_soc *soc, const struct bms_soc_config *cfg, struct board *board,
                  uint32_t nvm_base);

/* Counts the charge since the last call (dt from now_ms, 32-bit wrap safe),
 * runs the rest/OCV correction and saves when due. Returns enum bms_soc_event bits. */
unsigned bms_soc_update(struct bms_soc *soc, uint32_t now_ms, const struct bms_soc_input *in);

/* Recalibrations of the state machine: full charge (R-ST-3) sets 100 %, UVP 0 %.
 * Both learn the capacity when the window since the opposite anchor is valid.
 * Return enum bms_soc_event bits. */
unsigned bms_soc_calibrate_full(struct bms_soc *soc, uint32_t now_ms);
unsigned bms_soc_calibrate_empty(struct bms_soc *soc, uint32_t now_ms);

/* Simulator/service setters; they invalidate the capacity-learning window. */
void bms_soc_set_estimate(struct bms_soc *soc, uint32_t now_ms, int32_t soc_pptt);
void bms_soc_set_cycles(struct bms_soc *soc, uint32_t now_ms, uint32_t cycles_x100);
void bms_soc_set_capacity(struct bms_soc *soc, uint32_t now_ms, uint32_t capacity_mAh);

/* Writes the NVM record now (shutdown); false on NVM error. */
bool bms_soc_save(struct bms_soc *soc, uint32_t now_ms);

/* Shown SOC: the estimate rounded half up to an integer % (LEDs, CAN, LCD). */
uint8_t bms_soc_percent(const struct bms_soc *soc);
int32_t bms_soc_pptt(const struct bms_soc *soc);
uint16_t bms_soc_soh_pptt(const struct bms_soc *soc); /* capacity / rated */
uint8_t bms_soc_soh_percent(const struct bms_soc *soc);
uint32_t bms_soc_cycles_x100(const struct bms_soc *soc);
uint32_t bms_soc_capacity_mAh(const struct bms_soc *soc);

#endif
