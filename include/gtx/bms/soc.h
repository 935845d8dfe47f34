/* gtx/bms/soc.h: the SOC estimator's instance and configuration structs, as struct bms
 * and struct bms_config embed them (docs/spec/PRODUCT.md §8, §13). Its functions are private to
 * the firmware (src/bms/bms_soc.h); the values are rows of bms_config.c.
 */
#ifndef GTX_BMS_PUB_SOC_H
#define GTX_BMS_PUB_SOC_H

#include <stdbool.h>
#include <stdint.h>

struct board;

#define BMS_SOC_OCV_POINTS 12

struct bms_soc_ocv_point {
    uint16_t cell_mV;  /* rested cell voltage ... */
    uint16_t soc_pptt; /* ... and its SOC; rows ascending in both */
};

struct bms_soc_config {
    uint32_t rated_capacity_mAh;
    uint16_t rest_current_mA;       /* |I| below this is rest */
    uint32_t rest_time_ms;          /* rest this long before an OCV correction */
    uint16_t ocv_low_pptt;          /* correct only where OCV gives < this ... */
    uint16_t ocv_high_pptt;         /* ... or > this, where the curve is steep */
    uint16_t learn_min_span_pptt;   /* learn capacity over a window >= this */
    uint16_t learn_min_soh_pptt;    /* reject learned capacities outside ... */
    uint16_t learn_max_soh_pptt;    /* ... these of rated */
    uint16_t save_step_pptt;        /* save when the estimate moved this much ... */
    uint32_t save_interval_ms;      /* ... or this long after a change */
    struct bms_soc_ocv_point ocv[BMS_SOC_OCV_POINTS];
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

#endif
