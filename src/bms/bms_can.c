/* bms_can.c: the inverter CAN profile of docs/spec/CAN.md (Pylontech low-voltage V1.2): the six
 * frames 0x351 0x355 0x356 0x359 0x35C 0x35E every second, built byte for byte from
 * the status view, and the inverter's 0x305 heartbeat with the inverter_link alarm.
 */
#include <string.h>

#include "bms_core.h"

#define CAN_ID_HEARTBEAT 0x305u

static void put_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)((v >> 8) & 0xFFu);
}

static void put_s16(uint8_t *p, int32_t v)
{
    if (v > INT16_MAX)
        v = INT16_MAX;
    if (v < INT16_MIN)
        v = INT16_MIN;
    put_u16(p, (uint16_t)(int16_t)v);
}

/* Measurements are sent rounded to nearest, halves away from zero. */
static int32_t div_nearest(int32_t v, int32_t d)
{
    return v >= 0 ? (v + d / 2) / d : -((-v + d / 2) / d);
}

/* Table A of docs/spec/CAN.md from a mask of protection ids (alarm ids share the first ids). */
static uint8_t table_a(uint32_t m)
{
    uint8_t b = 0;
    if (m & ((1u << BMS_PROT_CELL_OV) | (1u << BMS_PROT_PACK_HV)))
        b |= 1u << 1;
    if (m & ((1u << BMS_PROT_CELL_UV) | (1u << BMS_PROT_PACK_LV)))
        b |= 1u << 2;
    if (m & ((1u << BMS_PROT_CHARGE_OT) | (1u << BMS_PROT_DISCHARGE_OT) |
             (1u << BMS_PROT_MOSFET_OT)))
        b |= 1u << 3;
    if (m & ((1u << BMS_PROT_CHARGE_UT) | (1u << BMS_PROT_DISCHARGE_UT)))
        b |= 1u << 4;
    if (m & (1u << BMS_PROT_OVERCURRENT_DISCHARGE))
        b |= 1u << 7;
    return b;
}

static uint8_t table_b(uint32_t m)
{
    return (m & (1u << BMS_PROT_OVERCURRENT_CHARGE)) ? 1u : 0u;
}

static void frame(struct board_can_frame *f, uint32_t id, uint8_t dlc)
{
    memset(f, 0, sizeof *f);
    f->id = id;
    f->dlc = dlc;
}

void bms_can_build(const struct bms_status *st, const struct bms_config *cfg,
                   struct board_can_frame out[BMS_CAN_FRAMES])
{
    struct board_can_frame *f = out;

    frame(f, 0x351, 8);
    put_u16(&f->data[0], st->cvl_dV);
    put_s16(&f->data[2], st->ccl_dA);
    put_s16(&f->data[4], st->dcl_dA);
    put_u16(&f->data[6], st->dvl_dV);

    f++;
    frame(f, 0x355, 8);
    put_u16(&f->data[0], st->soc_shown_pct);
    put_u16(&f->data[2], st->soh_pct);
    put_u16(&f->data[4], (uint32_t)(st->soc_pptt < 0 ? 0 : st->soc_pptt));
    /* remaining capacity 0.1 Ah = capacity_mAh * soc_pptt / 10^4 / 100, to nearest */
    uint32_t soc = st->soc_pptt < 0 ? 0u : (uint32_t)st->soc_pptt;
    put_u16(&f->data[6], (st->capacity_mAh * soc + 500000u) / 1000000u);

    f++;
    frame(f, 0x356, 8);
    put_s16(&f->data[0], div_nearest((int32_t)st->battery_mV, 10));
    put_s16(&f->data[2], div_nearest(st->current_mA, 100));
    put_s16(&f->data[4], st->temp_mean_ddegC);
    put_u16(&f->data[6], st->cycles);

    f++;
    frame(f, 0x359, 8);
    f->data[0] = table_a(st->protect_mask);
    f->data[1] = (uint8_t)(table_b(st->protect_mask) | (st->fault_mask ? 1u << 3 : 0u));
    f->data[2] = table_a(st->alarm_mask);
    f->data[3] = (uint8_t)(table_b(st->alarm_mask) |
                           ((st->alarm_mask & (1u << BMS_ALARM_LINK_COMM)) ? 1u << 3 : 0u));
    f->data[4] = st->pack_count;
    f->data[5] = 'P';
    f->data[6] = 'N';

    f++;
    frame(f, 0x35C, 2);
    f->data[0] = (uint8_t)((st->charge_enable ? 1u << 7 : 0u) |
                           (st->discharge_enable ? 1u << 6 : 0u) |
                           (st->force_charge ? (1u << 5) | (1u << 4) : 0u) |
                           (st->full_charge_request ? 1u << 3 : 0u));

    f++;
    frame(f, 0x35E, 8);
    memcpy(f->data, cfg->can_vendor, 8);
}

bool bms_can_poll(struct bms *bms)
{
    struct board_can_frame f;
    uint32_t bit = 1u << BMS_ALARM_INVERTER_LINK;
    bool alarmed = (bms->diag.ext_alarm_mask & bit) != 0;

    while (bms->board->ops->can_recv(bms->board, &f)) {
        if (f.id == CAN_ID_HEARTBEAT && !f.extended && f.dlc <= 8) {
            bms->can.last_305_ms = bms->now_ms;
            bms->can.rx_305++;
            bms->diag.ext_alarm_mask &= ~bit;
        } else {
            bms->can.rx_ignored++; /* other IDs, extended, DLC > 8: not ours */
        }
    }
    return alarmed && !(bms->diag.ext_alarm_mask & bit);
}

void bms_can_watch(struct bms *bms)
{
    uint32_t bit = 1u << BMS_ALARM_INVERTER_LINK;
    if (!bms->status.can_on) {
        bms->diag.ext_alarm_mask &= ~bit;
        return;
    }
    if ((uint32_t)(bms->now_ms - bms->can.last_305_ms) >= bms->cfg->inverter_link_ms)
        bms->diag.ext_alarm_mask |= bit;
}

void bms_can_service(struct bms *bms)
{
    struct board_can_frame f[BMS_CAN_FRAMES];
    uint32_t period = bms->cfg->can_period_ms;

    if (!bms->status.can_on || (uint32_t)(bms->now_ms - bms->can.last_tx_ms) < period)
        return;
    bms->can.last_tx_ms += period;
    if ((uint32_t)(bms->now_ms - bms->can.last_tx_ms) >= period)
        bms->can.last_tx_ms = bms->now_ms; /* a gap: restart the cadence */
    bms_can_build(&bms->sys_status, bms->cfg, f); /* the system, R-PA-3 */
    for (int i = 0; i < BMS_CAN_FRAMES; i++)
        if (!bms->board->ops->can_send(bms->board, &f[i]))
            bms->can.tx_dropped++;
}
