/* rng.c: xoshiro256** (Blackman & Vigna) with splitmix64 seeding, and normal
 * variates by the polar Box-Muller method, truncated at ±3 σ by redrawing.
 */
#include "gtx/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
    /* Mix the stream in through splitmix so streams 0, 1, 2 of one seed are
     * unrelated sequences, not shifted copies. */
    uint64_t x = seed;
    uint64_t mixed = splitmix64(&x) ^ (stream * 0xd1b54a32d192ed03ull);
    for (int i = 0; i < 4; i++) {
        r->s[i] = splitmix64(&mixed);
    }
    r->spare = 0.0;
    r->has_spare = 0;
}

double rng_uniform(struct rng *r)
{
    return (double)(rng_next_u64(r) >> 11) * 0x1.0p-53;
}

double rng_range(struct rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_uniform(r);
}

static double normal_raw(struct rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * rng_uniform(r) - 1.0;
        v = 2.0 * rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    r->spare = v * f;
    r->has_spare = 1;
    return u * f;
}

double rng_normal3(struct rng *r)
{
    double z;
    do {
        z = normal_raw(r);
    } while (z > 3.0 || z < -3.0);
    return z;
}
