/* rng.h: a small seeded pseudo-random generator (xoshiro256** seeded through
 * splitmix64). One instance per purpose (cell spread, sensor noise, ...), no
 * globals, so a run is reproducible bit for bit from its seed.
 */
#ifndef GTX_RNG_H
#define GTX_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s[4];
    double spare;      /* second normal variate of the last Box-Muller pair */
    int has_spare;
};

/* Seeds from a scenario seed and a stream number (one stream per purpose). */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);

uint64_t rng_next_u64(struct rng *r);

/* Uniform in [0, 1), 53 bits. */
double rng_uniform(struct rng *r);

/* Uniform in [lo, hi). */
double rng_range(struct rng *r, double lo, double hi);

/* Standard normal variate cut at ±3 σ (values beyond are drawn again). */
double rng_normal3(struct rng *r);

/* A cheap bell-shaped variate in [-1, 1] (Irwin-Hall: the mean of four 16-bit
 * uniforms, rescaled; σ = 0.289), one generator call: for sensor noise. */
double rng_bell(struct rng *r);

#endif
