/* bms_soc: state of charge, full-charge capacity, SOH and cycle count from the
 * firmware's own measurements (docs/spec/PRODUCT.md §8, §13): exact coulomb counting,
 * recalibration at full and empty, OCV correction after a long rest where the
 * LFP curve is steep, capacity learning, and a power-cut-safe NVM record.
 */
#ifndef GTX_BMS_SOC_H
#define GTX_BMS_SOC_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/board.h"

#define BMS_SOC_OCV_POINTS 12

struct bms_soc_ocv_point {
    uint16_t cell_mV;  /* rested cell voltage ... */
    uint16_t soc_pptt; /* ... and its SOC; rows ascending in both */
};

struct bms_soc_config {
    uint32_t rated_capacity_mAh;    /* 50 000 */
    uint16_t rest_current_mA;       /* |I| below this is rest: 500 */
    uint32_t rest_time_ms;          /* rest this long before an OCV correction: 2 h */
    uint16_t ocv_low_pptt;          /* correct only where OCV gives < this (1 500) ... */
    uint16_t ocv_high_pptt;         /* ... or > this (9 500), where the curve is steep */
    uint16_t learn_min_span_pptt;   /* learn capacity over a window >= this (7 000) */
    uint16_t learn_min_soh_pptt;    /* reject learned capacities outside (5 000) ... */
    uint16_t learn_max_soh_pptt;    /* ... (11 000) of rated */
    uint16_t save_step_pptt;        /* save when the estimate moved this much (100) ... */
    uint32_t save_interval_ms;      /* ... or this long after a change (10 min) */
    struct bms_soc_ocv_point ocv[BMS_SOC_OCV_POINTS];
};

/* The values for the GTX2500, for the firmware's one configuration table: 50 Ah
 * LFP; OCV from the A123 C/30 curve, mean of the branches, SOC axis scaled so
 * its 0.99 is 100 % (as docs/spec/PHYSICS.md models the cell). */
#define BMS_SOC_CONFIG_DEFAULT                                                              \
    {                                                                                       \
        .rated_capacity_mAh = 50000, .rest_current_mA = 500, .rest_time_ms = 7200000,       \
        .ocv_low_pptt = 1500, .ocv_high_pptt = 9500, .learn_min_span_pptt = 7000,          \
        .learn_min_soh_pptt = 5000, .learn_max_soh_pptt = 11000, .save_step_pptt = 100,    \
        .save_interval_ms = 600000,                                                         \
        .ocv = {{2295, 0}, {2933, 300}, {3073, 600}, {3179, 1000}, {3215, 1500},           \
                {3268, 2500}, {3305, 5000}, {3339, 8000}, {3346, 9200}, {3357, 9600},      \
                {3379, 9800}, {3459, 10000}},                                               \
    }

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

struct bms_soc {
    const struct bms_soc_config *cfg;
    struct board *board;
    uint32_t nvm_base;
    /* the estimate: soc_pptt plus residue_uAs of a quantum of capacity/10000 */
    int32_t soc_pptt;         /* 0..10000 (0.01 %) */
    int32_t residue_uAs;      /* mA*ms, |residue| < quantum */
    int32_t before_pptt;      /* the estimate before the last recalibration (event value) */
    uint32_t capacity_mAh;    /* learned full-charge capacity */
    uint32_t cycles_x100;     /* discharged Ah / rated Ah, in 0.01 cycles */
    /* the same charge in whole mA*s, for learning and cycles */
    int32_t mAs_residue_uAs;  /* |residue| < 1000 */
    uint32_t dis_mAs;         /* discharge not yet a 0.01 cycle */
    int32_t learn_mAs;        /* net charge since the learning anchor */
    int32_t learn_anchor_pptt; /* estimate at the anchor (10000 full, 0 empty, or an OCV point) */
    bool learn_valid;          /* an anchor is set and the count was not disturbed since */
    /* rest detection */
    uint32_t rest_since_ms;
    bool resting;
    bool rest_corrected;       /* one correction per rest */
    uint32_t last_ms;
    bool started;
    /* persistence */
    uint32_t save_seq;
    int32_t saved_soc_pptt;
    uint32_t saved_at_ms;
    bool dirty;
    bool loaded;               /* init found a valid record */
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
