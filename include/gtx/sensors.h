/* sensors.h: what the BMS firmware reads from the pack, as the AFE, the shunt
 * amplifier and the NTC dividers deliver it: quantised integers with seeded
 * noise, per-channel offsets, and sensor faults that read like real ones.
 */
#ifndef GTX_SENSORS_H
#define GTX_SENSORS_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/rng.h"

#define SENSORS_CELLS 16
#define SENSORS_NTCS 6   /* NTC 1-4 on cells 2, 6, 11, 15; 5 MOSFETs; 6 enclosure air */

/* The true values the sensors look at. */
struct sensors_truth {
    double cell_v[SENSORS_CELLS];
    double battery_v;       /* B+/B- */
    double pack_v;          /* P+/P- */
    double current_a;       /* > 0 charging */
    double temp_c[SENSORS_NTCS];
};

/* One sample as the firmware gets it (same fields and types as struct board_afe). */
struct sensors_sample {
    uint16_t cell_mV[SENSORS_CELLS];
    int16_t temp_ddegC[SENSORS_NTCS];
    uint32_t battery_mV;
    uint32_t pack_mV;
    int32_t current_mA;
};

enum sensors_ntc_fault { SENSORS_NTC_OK, SENSORS_NTC_OPEN, SENSORS_NTC_SHORT };

/* Accuracy figures: each "±x" is a bound. Noise is bell-shaped within ±x
 * (rng_bell, σ ≈ x/3.5); offsets are drawn once, normal with σ = x/3 cut at ±3 σ. */
struct sensors_params {
    double cell_res_mV, cell_noise_mV, cell_offset_mV;   /* 1, ±2, ±1 */
    double stack_res_mV, stack_noise_mV;                  /* battery and pack voltage */
    double current_res_mA, current_noise_mA;              /* 10, ±20 */
    double temp_res_ddegC, temp_noise_c, temp_offset_c;   /* 0.1 °C; ≤ ±0.3 (offset 0: physics-pack.md) */
    int16_t ntc_open_ddegC, ntc_short_ddegC;              /* what a failed NTC reads */
};

extern const struct sensors_params sensors_params_default;

struct sensors {
    struct sensors_params p;
    struct rng rng;
    double cell_offset_mV[SENSORS_CELLS];
    double temp_offset_c[SENSORS_NTCS];
    double current_offset_a;    /* fault parameter, 0 when healthy */
    double current_gain_error;  /* relative, 0 when healthy */
    uint8_t ntc_fault[SENSORS_NTCS];  /* enum sensors_ntc_fault */
    uint16_t sense_open_mask;   /* bit i: the sense line of cell i + 1 is open */
    uint64_t noise_seed;        /* sensors_sample_at: the noise of a scan from its time */
};

/* Draws the per-channel offsets from (seed, stream); noise continues that stream
 * (sensors_sample), or is drawn from the scan's time (sensors_sample_at). */
void sensors_init(struct sensors *s, const struct sensors_params *p, uint64_t seed,
                  uint64_t stream);

void sensors_sample(struct sensors *s, const struct sensors_truth *t, struct sensors_sample *out);
/* The same, with the noise a function of the seed and the scan's time t_ms alone: a
 * scan at t reads the same noise however many scans came before (the simulator's
 * tickless and reference modes scan at different rates, docs/simulator.md). */
void sensors_sample_at(struct sensors *s, uint64_t t_ms, const struct sensors_truth *t,
                       struct sensors_sample *out);

void sensors_set_current_error(struct sensors *s, double offset_a, double gain_error);
/* ntc: 1..6 */
void sensors_set_ntc_fault(struct sensors *s, int ntc, enum sensors_ntc_fault f);
/* cell: 1..16 */
void sensors_set_sense_open(struct sensors *s, int cell, bool open);

#endif
