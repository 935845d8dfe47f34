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

/* The generator's step (xoshiro256**). Inline with rng_bell below: the sensors draw
 * some 25 of them a scan for every pack, and the calls cost as much as the draws. */
static inline uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next_u64(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1), 53 bits. */
double rng_uniform(struct rng *r);

/* Uniform in [lo, hi). */
double rng_range(struct rng *r, double lo, double hi);

/* Standard normal variate cut at ±3 σ (values beyond are drawn again). */
double rng_normal3(struct rng *r);

/* A cheap bell-shaped variate in [-1, 1] (Irwin-Hall: the mean of four 16-bit
 * uniforms, rescaled; σ = 0.289), one generator call: for sensor noise. */
static inline double rng_bell(struct rng *r)
{
    uint64_t x = rng_next_u64(r);
    uint32_t sum = (uint32_t)(x & 0xffff) + (uint32_t)(x >> 16 & 0xffff)
                   + (uint32_t)(x >> 32 & 0xffff) + (uint32_t)(x >> 48);
    /* sum spans 0 .. 4·65535; centre and scale to [-1, 1]. */
    return ((double)sum - 2.0 * 65535.0) / (2.0 * 65535.0);
}

#endif
