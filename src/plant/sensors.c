/* sensors.c: quantisation, noise, offsets and faults of the pack's sensors.
 * A failed NTC reads like a real divider: open = the pull-up rail = colder
 * than any table entry, short = 0 Ω = hotter than any; an open cell sense
 * line leaves that AFE channel at about 0 V.
 */
#include "gtx/sensors.h"

#include <math.h>

const struct sensors_params sensors_params_default = {
    .cell_res_mV = 1.0, .cell_noise_mV = 2.0, .cell_offset_mV = 1.0,
    .stack_res_mV = 10.0, .stack_noise_mV = 20.0,
    .current_res_mA = 10.0, .current_noise_mA = 20.0,
    .temp_res_ddegC = 1.0, .temp_noise_c = 0.1, .temp_offset_c = 0.0,
    .ntc_open_ddegC = -550, .ntc_short_ddegC = 1700,
};

void sensors_init(struct sensors *s, const struct sensors_params *p, uint64_t seed,
                  uint64_t stream)
{
    s->p = *p;
    rng_seed(&s->rng, seed, stream);
    for (int i = 0; i < SENSORS_CELLS; i++) {
        s->cell_offset_mV[i] = p->cell_offset_mV / 3.0 * rng_normal3(&s->rng);
    }
    for (int i = 0; i < SENSORS_NTCS; i++) {
        s->temp_offset_c[i] = p->temp_offset_c / 3.0 * rng_normal3(&s->rng);
        s->ntc_fault[i] = SENSORS_NTC_OK;
    }
    s->current_offset_a = 0.0;
    s->current_gain_error = 0.0;
    s->sense_open_mask = 0;
    s->noise_seed = rng_next_u64(&s->rng);
}

/* Rounds x / res to the nearest step and clamps to [lo, hi]. */
static double quantise(double x, double res, double lo, double hi)
{
    double q = floor(x / res + 0.5) * res;
    return q < lo ? lo : (q > hi ? hi : q);
}

static double noise(struct sensors *s, double bound)
{
    return bound * rng_bell(&s->rng);
}

void sensors_sample(struct sensors *s, const struct sensors_truth *t, struct sensors_sample *out)
{
    const struct sensors_params *p = &s->p;
    for (int i = 0; i < SENSORS_CELLS; i++) {
        double mv = t->cell_v[i] * 1000.0 + s->cell_offset_mV[i] + noise(s, p->cell_noise_mV);
        if (s->sense_open_mask & (1u << i)) {
            /* The channel input floats down to its pull-down: a few mV of noise. */
            mv = fabs(noise(s, p->cell_noise_mV));
        }
        out->cell_mV[i] = (uint16_t)quantise(mv, p->cell_res_mV, 0.0, 65535.0);
    }
    double bmv = t->battery_v * 1000.0 + noise(s, p->stack_noise_mV);
    double pmv = t->pack_v * 1000.0 + noise(s, p->stack_noise_mV);
    out->battery_mV = (uint32_t)quantise(bmv, p->stack_res_mV, 0.0, 4.0e9);
    out->pack_mV = (uint32_t)quantise(pmv, p->stack_res_mV, 0.0, 4.0e9);

    double ma = (t->current_a * (1.0 + s->current_gain_error) + s->current_offset_a) * 1000.0
                + noise(s, p->current_noise_mA);
    out->current_mA = (int32_t)quantise(ma, p->current_res_mA, -2.0e9, 2.0e9);

    for (int i = 0; i < SENSORS_NTCS; i++) {
        double dd = (t->temp_c[i] + s->temp_offset_c[i] + noise(s, p->temp_noise_c)) * 10.0;
        int16_t v = (int16_t)quantise(dd, p->temp_res_ddegC, -32768.0, 32767.0);
        if (s->ntc_fault[i] == SENSORS_NTC_OPEN) {
            v = p->ntc_open_ddegC;
        } else if (s->ntc_fault[i] == SENSORS_NTC_SHORT) {
            v = p->ntc_short_ddegC;
        }
        out->temp_ddegC[i] = v;
    }
}

void sensors_sample_at(struct sensors *s, uint64_t t_ms, const struct sensors_truth *t,
                       struct sensors_sample *out)
{
    rng_seed(&s->rng, s->noise_seed, t_ms);
    sensors_sample(s, t, out);
}

void sensors_set_current_error(struct sensors *s, double offset_a, double gain_error)
{
    s->current_offset_a = offset_a;
    s->current_gain_error = gain_error;
}

void sensors_set_ntc_fault(struct sensors *s, int ntc, enum sensors_ntc_fault f)
{
    if (ntc >= 1 && ntc <= SENSORS_NTCS) {
        s->ntc_fault[ntc - 1] = (uint8_t)f;
    }
}

void sensors_set_sense_open(struct sensors *s, int cell, bool open)
{
    if (cell < 1 || cell > SENSORS_CELLS) {
        return;
    }
    uint16_t bit = (uint16_t)(1u << (cell - 1));
    s->sense_open_mask = open ? (uint16_t)(s->sense_open_mask | bit)
                              : (uint16_t)(s->sense_open_mask & ~bit);
}
