/* lcd_decode: the simulator's side of the extended LCD port. Turns the bytes
 * the firmware wrote on its LCD UART back into a struct bms_lcd_view, skipping
 * garbage and corrupt frames (include/gtx/lcd_proto.h, docs/lcd-protocol.md).
 */
#include "gtx/lcd_proto.h"

#include <string.h>

/* CRC-16/CCITT-FALSE, bitwise: the decoder must not depend on firmware code. */
static uint16_t crc16(const uint8_t *p, size_t len)
{
    uint16_t crc = 0xFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int b = 0; b < 8; b++)
            crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    }
    return crc;
}

static uint32_t get_le(const uint8_t *p, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint32_t)p[i] << (8u * i);
    return v;
}

void lcd_decoder_init(struct lcd_decoder *d)
{
    memset(d, 0, sizeof *d);
}

size_t lcd_decoder_push(struct lcd_decoder *d, const uint8_t *data, size_t len)
{
    size_t room = sizeof d->buf - d->len;
    if (len > room)
        len = room;
    memcpy(d->buf + d->len, data, len);
    d->len += len;
    return len;
}

static void drop(struct lcd_decoder *d, size_t n, bool garbage)
{
    memmove(d->buf, d->buf + n, d->len - n);
    d->len -= n;
    if (garbage)
        d->skipped += (uint32_t)n;
}

static void apply_status(const uint8_t *p, struct bms_lcd_view *v)
{
    v->pack_id = p[0];
    v->state = p[1];
    v->soc_pct = p[2];
    v->soh_pct = p[3];
    v->voltage_mV = get_le(p + 4, 4);
    v->current_mA = (int32_t)get_le(p + 8, 4);
    v->power_W = (int32_t)get_le(p + 12, 4);
    v->cell_min_mV = (uint16_t)get_le(p + 16, 2);
    v->cell_max_mV = (uint16_t)get_le(p + 18, 2);
    v->cell_min_no = p[20];
    v->cell_max_no = p[21];
    v->temp_min_ddegC = (int16_t)get_le(p + 22, 2);
    v->temp_max_ddegC = (int16_t)get_le(p + 24, 2);
    v->temp_min_no = p[26];
    v->temp_max_no = p[27];
    v->protect_mask = (uint16_t)get_le(p + 28, 2);
    v->alarm_mask = (uint16_t)get_le(p + 30, 2);
    v->fault_mask = (uint16_t)get_le(p + 32, 2);
    v->cycles = (uint16_t)get_le(p + 34, 2);
    v->balance_mask = (uint16_t)get_le(p + 36, 2);
    v->flags = p[38];
}

static bool text_ok(const uint8_t *p, size_t len)
{
    if (len > LCD_TEXT_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < 0x20u || p[i] >= 0x7Fu)
            return false;
    }
    return true;
}

unsigned lcd_decoder_next(struct lcd_decoder *d, struct bms_lcd_view *view)
{
    for (;;) {
        size_t sof = 0;
        while (sof < d->len && d->buf[sof] != LCD_SOF)
            sof++;
        if (sof > 0)
            drop(d, sof, true);
        if (d->len < LCD_HEADER_SIZE)
            return 0;
        uint8_t type = d->buf[1];
        size_t plen = d->buf[2];
        bool known = (type == LCD_TYPE_STATUS && plen >= LCD_STATUS_SIZE) ||
                     (type == LCD_TYPE_TEXT && plen <= LCD_TEXT_MAX);
        if (!known || plen > LCD_PAYLOAD_MAX) {
            drop(d, 1, true); /* not a header: resynchronise on the next SOF */
            continue;
        }
        size_t need = LCD_HEADER_SIZE + plen + LCD_CRC_SIZE;
        if (d->len < need)
            return 0;
        const uint8_t *payload = d->buf + LCD_HEADER_SIZE;
        uint16_t crc = (uint16_t)get_le(payload + plen, 2);
        if (crc16(d->buf + 1, plen + 2u) != crc ||
            (type == LCD_TYPE_TEXT && !text_ok(payload, plen))) {
            drop(d, 1, true);
            continue;
        }
        if (type == LCD_TYPE_STATUS) {
            apply_status(payload, view);
        } else {
            memcpy(view->text, payload, plen);
            view->text[plen] = '\0';
        }
        drop(d, need, false);
        d->frames++;
        return type;
    }
}

unsigned lcd_decoder_feed(struct lcd_decoder *d, const uint8_t *data, size_t len,
                          struct bms_lcd_view *view)
{
    unsigned frames = 0;
    size_t done = 0;
    do {
        done += lcd_decoder_push(d, data + done, len - done);
        while (lcd_decoder_next(d, view) != 0)
            frames++;
    } while (done < len);
    return frames;
}
