/* bms_lcd: the extended LCD sender (docs/lcd-protocol.md). One status frame and
 * one text frame per period; bytes the UART does not take now go next tick.
 */
#include "bms_lcd.h"

#include <string.h>

#include "bms_crc.h"

static void put_le(uint8_t *p, uint32_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8u * i));
}

/* Wraps payload[0..len) (already at buf + LCD_HEADER_SIZE) into a frame. */
static size_t finish_frame(uint8_t *buf, uint8_t type, size_t len)
{
    buf[0] = LCD_SOF;
    buf[1] = type;
    buf[2] = (uint8_t)len;
    uint16_t crc = bms_crc16(buf + 1, len + 2u, 0xFFFFu);
    put_le(buf + LCD_HEADER_SIZE + len, crc, 2);
    return LCD_HEADER_SIZE + len + LCD_CRC_SIZE;
}

size_t bms_lcd_encode_status(const struct bms_lcd_view *v, uint8_t *buf, size_t cap)
{
    if (cap < LCD_HEADER_SIZE + LCD_STATUS_SIZE + LCD_CRC_SIZE)
        return 0;
    uint8_t *p = buf + LCD_HEADER_SIZE;
    p[0] = v->pack_id;
    p[1] = v->state;
    p[2] = v->soc_pct;
    p[3] = v->soh_pct;
    put_le(p + 4, v->voltage_mV, 4);
    put_le(p + 8, (uint32_t)v->current_mA, 4);
    put_le(p + 12, (uint32_t)v->power_W, 4);
    put_le(p + 16, v->cell_min_mV, 2);
    put_le(p + 18, v->cell_max_mV, 2);
    p[20] = v->cell_min_no;
    p[21] = v->cell_max_no;
    put_le(p + 22, (uint16_t)v->temp_min_ddegC, 2);
    put_le(p + 24, (uint16_t)v->temp_max_ddegC, 2);
    p[26] = v->temp_min_no;
    p[27] = v->temp_max_no;
    put_le(p + 28, v->protect_mask, 2);
    put_le(p + 30, v->alarm_mask, 2);
    put_le(p + 32, v->fault_mask, 2);
    put_le(p + 34, v->cycles, 2);
    put_le(p + 36, v->balance_mask, 2);
    p[38] = v->flags;
    return finish_frame(buf, LCD_TYPE_STATUS, LCD_STATUS_SIZE);
}

size_t bms_lcd_encode_text(const char *text, uint8_t *buf, size_t cap)
{
    size_t len = 0;
    while (len < LCD_TEXT_MAX && text[len] != '\0')
        len++;
    if (cap < LCD_HEADER_SIZE + len + LCD_CRC_SIZE)
        return 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)text[i];
        /* the display has printable ASCII only */
        buf[LCD_HEADER_SIZE + i] = (c >= 0x20u && c < 0x7Fu) ? c : (uint8_t)'?';
    }
    return finish_frame(buf, LCD_TYPE_TEXT, len);
}

void bms_lcd_init(struct bms_lcd *lcd)
{
    memset(lcd, 0, sizeof *lcd);
}

/* memcmp's answer for equal or not (the firmware links no C library but memcpy,
 * memset and memmove): eight bytes at a time, then the rest. */
static bool same_view(const struct bms_lcd_view *a, const struct bms_lcd_view *b)
{
    const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
    size_t i = 0;
    for (; i + sizeof(uint64_t) <= sizeof *a; i += sizeof(uint64_t)) {
        uint64_t u, v;
        memcpy(&u, x + i, sizeof u);
        memcpy(&v, y + i, sizeof v);
        if (u != v)
            return false;
    }
    for (; i < sizeof *a; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

void bms_lcd_send(struct bms_lcd *lcd, uint32_t now_ms, const struct bms_lcd_view *view)
{
    lcd->started = true;
    lcd->last_ms = now_ms;
    if (lcd->out_pos < lcd->out_len) {
        /* the last pair is still going out (a slow or blocked UART): a display
         * is better served by finishing it than by a torn frame */
        lcd->dropped++;
        return;
    }
    if (lcd->sent_len == 0 || !same_view(view, &lcd->sent_view)) {
        size_t n = bms_lcd_encode_status(view, lcd->out, sizeof lcd->out);
        n += bms_lcd_encode_text(view->text, lcd->out + n, sizeof lcd->out - n);
        lcd->sent_view = *view;
        lcd->sent_len = (uint16_t)n;
    }
    lcd->out_len = lcd->sent_len;
    lcd->out_pos = 0;
}

void bms_lcd_flush_out(struct bms_lcd *lcd, struct board *board)
{
    size_t n = board->ops->uart_write(board, BOARD_UART_LCD, lcd->out + lcd->out_pos,
                                      (size_t)(lcd->out_len - lcd->out_pos));
    lcd->out_pos = (uint16_t)(lcd->out_pos + n);
    if (lcd->out_pos >= lcd->out_len)
        lcd->out_pos = lcd->out_len = 0;
}
