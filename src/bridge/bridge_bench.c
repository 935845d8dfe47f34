/* bridge_bench: the test bench's power-stage frame, the documented way for an
 * outside program playing the inverter to put current into the battery or take
 * it out (docs/bridges.md). Extended ID 0x1F5E0000, DLC 8, little endian:
 * bytes 0-1 s16 current 0.1 A (> 0 charges), 2-3 u16 v_max 0.1 V,
 * 4-5 u16 v_min 0.1 V, 6 flags (bit 0: on), 7 reserved (0).
 */
#include "gtx/bridge_proto.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool bridge_bench_is_for_bench(const struct board_can_frame *f)
{
    return f->extended && f->id == BRIDGE_BENCH_ID;
}

bool bridge_bench_decode(const struct board_can_frame *f, struct bridge_bench_cmd *out,
                         char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    if (!bridge_bench_is_for_bench(f)) {
        snprintf(err, err_len, "bench frame: not ID 1F5E0000 (extended)");
        return false;
    }
    if (f->dlc != 8) {
        snprintf(err, err_len, "bench frame: length %u, wanted 8", (unsigned)f->dlc);
        return false;
    }
    if ((f->data[6] & 0xFEu) != 0 || f->data[7] != 0) {
        snprintf(err, err_len, "bench frame: reserved bits of bytes 6-7 must be 0");
        return false;
    }
    int16_t cur = (int16_t)(uint16_t)(f->data[0] | f->data[1] << 8);
    uint16_t vmax = (uint16_t)(f->data[2] | f->data[3] << 8);
    uint16_t vmin = (uint16_t)(f->data[4] | f->data[5] << 8);
    out->on = f->data[6] & 1u;
    out->current_a = cur / 10.0;
    out->v_max_v = vmax / 10.0;
    out->v_min_v = vmin / 10.0;
    if (!out->on)
        return true; /* off: the other fields do not matter */
    if (fabs(out->current_a) > BRIDGE_BENCH_CURRENT_MAX_A) {
        snprintf(err, err_len, "bench frame: current %.1f A beyond +-%.0f A", out->current_a,
                 BRIDGE_BENCH_CURRENT_MAX_A);
        return false;
    }
    if (out->v_max_v > BRIDGE_BENCH_VOLTAGE_MAX_V || out->v_min_v > out->v_max_v) {
        snprintf(err, err_len, "bench frame: want v_min %.1f V <= v_max %.1f V <= %.0f V",
                 out->v_min_v, out->v_max_v, BRIDGE_BENCH_VOLTAGE_MAX_V);
        return false;
    }
    return true;
}

static uint16_t deci(double v)
{
    return (uint16_t)(int16_t)lround(v * 10.0);
}

void bridge_bench_encode(const struct bridge_bench_cmd *c, struct board_can_frame *f)
{
    memset(f, 0, sizeof *f);
    f->id = BRIDGE_BENCH_ID;
    f->extended = true;
    f->dlc = 8;
    uint16_t fields[3] = {deci(c->current_a), deci(c->v_max_v), deci(c->v_min_v)};
    for (int k = 0; k < 3; k++) {
        f->data[2 * k] = (uint8_t)(fields[k] & 0xFFu);
        f->data[2 * k + 1] = (uint8_t)(fields[k] >> 8);
    }
    f->data[6] = c->on ? 1u : 0u;
}
