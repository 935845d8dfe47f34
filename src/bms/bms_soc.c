/* bms_soc: SOC, capacity, SOH and cycles (docs/spec/PRODUCT.md §8). All integer: the
 * estimate moves in whole 0.01 % steps and the rest of the charge waits in a
 * residue, so no charge is lost to rounding however small the ticks.
 */
#include "bms_soc.h"

#include <string.h>

#include "bms_crc.h"

#define SOC_FULL_PPTT 10000
#define CHUNK_MS 1000u         /* dt is counted in chunks so I*dt fits 32 bits */
#define CURRENT_CLAMP_mA 500000 /* beyond any shunt; keeps I*chunk < 2^31 */
#define RECORD_BODY 25u
#define SLOT_SIZE 32u          /* RECORD_BODY + CRC + commit, rounded up */

/* mA*ms of one 0.01 % step of capacity: 1 mAh = 3.6e6 mA*ms, / 10 000. */
static int32_t quantum_uAs(uint32_t capacity_mAh)
{
    return (int32_t)(capacity_mAh * 360u);
}

static int32_t clamp_pptt(int32_t v)
{
    return v < 0 ? 0 : v > SOC_FULL_PPTT ? SOC_FULL_PPTT : v;
}

static void put_le(uint8_t *p, uint32_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8u * i));
}

static uint32_t get_le(const uint8_t *p, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint32_t)p[i] << (8u * i);
    return v;
}

/* Record body: seq 4, soc 2, capacity 4, cycles 4, dis_mAs 4, learn_mAs 4,
 * anchor 2, learn_valid 1 (little endian). */
static void encode(const struct bms_soc *soc, uint32_t seq, uint8_t *b)
{
    put_le(b + 0, seq, 4);
    put_le(b + 4, (uint32_t)soc->soc_pptt, 2);
    put_le(b + 6, soc->capacity_mAh, 4);
    put_le(b + 10, soc->cycles_x100, 4);
    put_le(b + 14, soc->dis_mAs, 4);
    put_le(b + 18, (uint32_t)soc->learn_mAs, 4);
    put_le(b + 22, (uint32_t)soc->learn_anchor_pptt, 2);
    b[24] = soc->learn_valid ? 1u : 0u;
}

static bool decode(struct bms_soc *soc, const uint8_t *b)
{
    uint32_t soc_pptt = get_le(b + 4, 2), capacity_mAh = get_le(b + 6, 4);
    uint32_t anchor = get_le(b + 22, 2);
    if (soc_pptt > SOC_FULL_PPTT || anchor > SOC_FULL_PPTT || capacity_mAh == 0 ||
        capacity_mAh > 2u * soc->cfg->rated_capacity_mAh)
        return false;
    soc->save_seq = get_le(b, 4);
    soc->soc_pptt = (int32_t)soc_pptt;
    soc->capacity_mAh = capacity_mAh;
    soc->cycles_x100 = get_le(b + 10, 4);
    soc->dis_mAs = get_le(b + 14, 4);
    soc->learn_mAs = (int32_t)get_le(b + 18, 4);
    soc->learn_anchor_pptt = (int32_t)anchor;
    soc->learn_valid = b[24] == 1u;
    return true;
}

void bms_soc_init(struct bms_soc *soc, const struct bms_soc_config *cfg, struct board *board,
                  uint32_t nvm_base)
{
    memset(soc, 0, sizeof *soc);
    soc->cfg = cfg;
    soc->board = board;
    soc->nvm_base = nvm_base;
    soc->soc_pptt = SOC_FULL_PPTT / 2;
    soc->capacity_mAh = cfg->rated_capacity_mAh;
    /* Two alternating slots: a cut while writing one leaves the other. */
    uint8_t body[RECORD_BODY];
    uint32_t best_seq = 0;
    for (uint32_t slot = 0; slot < 2; slot++) {
        if (!bms_nvrec_read(board, nvm_base + slot * SLOT_SIZE, body, sizeof body))
            continue;
        uint32_t seq = get_le(body, 4);
        if (soc->loaded && (int32_t)(seq - best_seq) <= 0)
            continue;
        struct bms_soc tmp = *soc;
        if (decode(&tmp, body)) {
            *soc = tmp;
            soc->loaded = true;
            best_seq = seq;
        }
    }
    soc->saved_soc_pptt = soc->soc_pptt;
}

bool bms_soc_save(struct bms_soc *soc, uint32_t now_ms)
{
    uint8_t body[RECORD_BODY];
    uint32_t seq = soc->save_seq + 1u;
    encode(soc, seq, body);
    soc->saved_at_ms = now_ms;
    soc->saved_soc_pptt = soc->soc_pptt;
    soc->dirty = false;
    if (!bms_nvrec_write(soc->board, soc->nvm_base + (seq & 1u) * SLOT_SIZE, body, sizeof body))
        return false;
    soc->save_seq = seq;
    return true;
}

/* Adds q (mA*ms, > 0 charging) to the estimate, the learning count and cycles. */
static void count_charge(struct bms_soc *soc, int32_t q_uAs)
{
    int32_t quantum = quantum_uAs(soc->capacity_mAh);
    soc->residue_uAs += q_uAs;
    int32_t steps = soc->residue_uAs / quantum;
    soc->residue_uAs -= steps * quantum;
    if (steps != 0) {
        int32_t v = soc->soc_pptt + steps;
        /* Past full or empty the count has lost track; the calibrations fix it. */
        if (v != clamp_pptt(v))
            soc->residue_uAs = 0;
        soc->soc_pptt = clamp_pptt(v);
        soc->dirty = true;
    }
    soc->mAs_residue_uAs += q_uAs;
    int32_t mAs = soc->mAs_residue_uAs / 1000;
    soc->mAs_residue_uAs -= mAs * 1000;
    if (soc->learn_valid) {
        /* 2^30 mAs is 298 Ah, many times the pack: the window is no longer useful */
        if ((mAs > 0 && soc->learn_mAs > (1 << 30)) || (mAs < 0 && soc->learn_mAs < -(1 << 30)))
            soc->learn_valid = false;
        soc->learn_mAs += mAs;
    }
    if (mAs < 0) {
        uint32_t cycle_step_mAs = soc->cfg->rated_capacity_mAh * 36u; /* 0.01 cycle */
        soc->dis_mAs += (uint32_t)-mAs;
        while (soc->dis_mAs >= cycle_step_mAs) {
            soc->dis_mAs -= cycle_step_mAs;
            soc->cycles_x100++;
            soc->dirty = true;
        }
    }
}

/* A learned capacity from `net_mAs` charge over `span_pptt` of the estimate;
 * kept when it is plausible. Returns BMS_SOC_EV_LEARNED or 0. */
static unsigned learn(struct bms_soc *soc, int32_t net_mAs, int32_t span_pptt)
{
    const struct bms_soc_config *cfg = soc->cfg;
    if (!soc->learn_valid || span_pptt < (int32_t)cfg->learn_min_span_pptt || span_pptt <= 0)
        return 0;
    if (net_mAs < 0)
        net_mAs = -net_mAs;
    int32_t mAh = net_mAs / 3600;
    if (mAh > 200000)
        return 0; /* keeps mAh * 10000 inside 32 bits */
    uint32_t learned_mAh = (uint32_t)(mAh * 10000 / span_pptt);
    uint32_t min_mAh = cfg->rated_capacity_mAh / 100u * cfg->learn_min_soh_pptt / 100u;
    uint32_t max_mAh = cfg->rated_capacity_mAh / 100u * cfg->learn_max_soh_pptt / 100u;
    if (learned_mAh < min_mAh || learned_mAh > max_mAh)
        return 0;
    soc->capacity_mAh = learned_mAh;
    soc->residue_uAs = 0; /* its unit changed with the capacity */
    soc->dirty = true;
    return BMS_SOC_EV_LEARNED;
}

static void set_anchor(struct bms_soc *soc, int32_t soc_pptt)
{
    soc->learn_anchor_pptt = soc_pptt;
    soc->learn_mAs = 0;
    soc->learn_valid = true;
}

static int32_t ocv_lookup_pptt(const struct bms_soc_config *cfg, uint16_t cell_mV)
{
    const struct bms_soc_ocv_point *t = cfg->ocv;
    if (cell_mV <= t[0].cell_mV)
        return t[0].soc_pptt;
    for (unsigned i = 1; i < BMS_SOC_OCV_POINTS; i++) {
        if (cell_mV <= t[i].cell_mV) {
            int32_t dv = (int32_t)t[i].cell_mV - t[i - 1].cell_mV;
            int32_t ds = (int32_t)t[i].soc_pptt - t[i - 1].soc_pptt;
            return t[i - 1].soc_pptt + ((int32_t)cell_mV - t[i - 1].cell_mV) * ds / dv;
        }
    }
    return t[BMS_SOC_OCV_POINTS - 1].soc_pptt;
}

/* After a long rest, where the OCV curve is steep enough to trust, the rested
 * voltage overrides the count (and closes a partial learning window). */
static unsigned rest_correction(struct bms_soc *soc, uint32_t prev_ms, uint32_t now_ms,
                                const struct bms_soc_input *in)
{
    const struct bms_soc_config *cfg = soc->cfg;
    int32_t abs_mA = in->current_mA < 0 ? -in->current_mA : in->current_mA;
    if (abs_mA >= (int32_t)cfg->rest_current_mA) {
        soc->resting = false;
        return 0;
    }
    if (!soc->resting) {
        /* this sample covers (prev_ms, now_ms]: the rest began at prev_ms */
        soc->resting = true;
        soc->rest_corrected = false;
        soc->rest_since_ms = prev_ms;
        return 0;
    }
    if (soc->rest_corrected || now_ms - soc->rest_since_ms < cfg->rest_time_ms)
        return 0;
    soc->rest_corrected = true;
    int32_t ocv_pptt = ocv_lookup_pptt(cfg, in->cell_avg_mV);
    if (ocv_pptt >= (int32_t)cfg->ocv_low_pptt && ocv_pptt <= (int32_t)cfg->ocv_high_pptt)
        return 0;
    int32_t span = ocv_pptt - soc->learn_anchor_pptt;
    unsigned ev = BMS_SOC_EV_OCV | learn(soc, soc->learn_mAs, span < 0 ? -span : span);
    soc->before_pptt = soc->soc_pptt;
    soc->soc_pptt = ocv_pptt;
    soc->residue_uAs = 0;
    soc->dirty = true;
    set_anchor(soc, ocv_pptt);
    return ev;
}

unsigned bms_soc_update(struct bms_soc *soc, uint32_t now_ms, const struct bms_soc_input *in)
{
    if (!soc->started) {
        soc->started = true;
        soc->last_ms = now_ms;
        soc->saved_at_ms = now_ms;
        soc->rest_since_ms = now_ms;
    }
    uint32_t prev_ms = soc->last_ms;
    uint32_t dt_ms = now_ms - prev_ms;
    soc->last_ms = now_ms;
    int32_t i_mA = in->current_mA;
    if (i_mA > CURRENT_CLAMP_mA)
        i_mA = CURRENT_CLAMP_mA;
    if (i_mA < -CURRENT_CLAMP_mA)
        i_mA = -CURRENT_CLAMP_mA;
    while (dt_ms > 0 && i_mA != 0) {
        uint32_t chunk = dt_ms < CHUNK_MS ? dt_ms : CHUNK_MS;
        count_charge(soc, i_mA * (int32_t)chunk);
        dt_ms -= chunk;
    }
    unsigned ev = rest_correction(soc, prev_ms, now_ms, in);
    int32_t moved = soc->soc_pptt - soc->saved_soc_pptt;
    if (moved < 0)
        moved = -moved;
    if ((ev & BMS_SOC_EV_LEARNED) != 0 || moved >= (int32_t)soc->cfg->save_step_pptt ||
        (soc->dirty && now_ms - soc->saved_at_ms >= soc->cfg->save_interval_ms))
        bms_soc_save(soc, now_ms);
    return ev;
}

unsigned bms_soc_calibrate_full(struct bms_soc *soc, uint32_t now_ms)
{
    unsigned ev = learn(soc, soc->learn_mAs, SOC_FULL_PPTT - soc->learn_anchor_pptt);
    soc->before_pptt = soc->soc_pptt;
    soc->soc_pptt = SOC_FULL_PPTT;
    soc->residue_uAs = 0;
    set_anchor(soc, SOC_FULL_PPTT);
    bms_soc_save(soc, now_ms);
    return ev;
}

unsigned bms_soc_calibrate_empty(struct bms_soc *soc, uint32_t now_ms)
{
    unsigned ev = learn(soc, soc->learn_mAs, soc->learn_anchor_pptt);
    soc->before_pptt = soc->soc_pptt;
    soc->soc_pptt = 0;
    soc->residue_uAs = 0;
    set_anchor(soc, 0);
    bms_soc_save(soc, now_ms);
    return ev;
}

void bms_soc_set_estimate(struct bms_soc *soc, uint32_t now_ms, int32_t soc_pptt)
{
    soc->before_pptt = soc->soc_pptt;
    soc->soc_pptt = clamp_pptt(soc_pptt);
    soc->residue_uAs = 0;
    soc->learn_valid = false;
    bms_soc_save(soc, now_ms);
}

void bms_soc_set_cycles(struct bms_soc *soc, uint32_t now_ms, uint32_t cycles_x100)
{
    soc->cycles_x100 = cycles_x100;
    soc->dis_mAs = 0;
    bms_soc_save(soc, now_ms);
}

void bms_soc_set_capacity(struct bms_soc *soc, uint32_t now_ms, uint32_t capacity_mAh)
{
    if (capacity_mAh == 0 || capacity_mAh > 2u * soc->cfg->rated_capacity_mAh)
        return;
    soc->capacity_mAh = capacity_mAh;
    soc->residue_uAs = 0;
    soc->learn_valid = false;
    bms_soc_save(soc, now_ms);
}

uint8_t bms_soc_percent(const struct bms_soc *soc)
{
    return (uint8_t)((soc->soc_pptt + 50) / 100);
}

int32_t bms_soc_pptt(const struct bms_soc *soc)
{
    return soc->soc_pptt;
}

uint16_t bms_soc_soh_pptt(const struct bms_soc *soc)
{
    uint32_t soh = soc->capacity_mAh * 10000u / soc->cfg->rated_capacity_mAh;
    return (uint16_t)(soh > 65535u ? 65535u : soh);
}

uint8_t bms_soc_soh_percent(const struct bms_soc *soc)
{
    uint32_t pct = (bms_soc_soh_pptt(soc) + 50u) / 100u;
    return (uint8_t)(pct > 255u ? 255u : pct);
}

uint32_t bms_soc_cycles_x100(const struct bms_soc *soc)
{
    return soc->cycles_x100;
}

uint32_t bms_soc_capacity_mAh(const struct bms_soc *soc)
{
    return soc->capacity_mAh;
}
