/* lcd_proto.h: the wire format of the extended LCD port (docs/lcd-protocol.md)
 * shared by the firmware's encoder (src/bms/bms_lcd.c) and the simulator's
 * decoder (src/sim/lcd_decode.c), and the content both speak of.
 */
#ifndef GTX_LCD_PROTO_H
#define GTX_LCD_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Frame: SOF, type, len, payload[len], CRC-16/CCITT-FALSE of type..payload (LE). */
#define LCD_SOF 0xA5u
#define LCD_TYPE_STATUS 0x01u
#define LCD_TYPE_TEXT 0x02u
#define LCD_HEADER_SIZE 3u
#define LCD_CRC_SIZE 2u
#define LCD_PAYLOAD_MAX 64u
#define LCD_FRAME_MAX (LCD_HEADER_SIZE + LCD_PAYLOAD_MAX + LCD_CRC_SIZE)
#define LCD_STATUS_SIZE 39u /* status payload bytes (a longer one is accepted) */
#define LCD_TEXT_MAX 40u    /* text payload bytes, printable ASCII, no NUL */

/* flags */
#define LCD_FLAG_CHARGE_ENABLE 0x01u
#define LCD_FLAG_DISCHARGE_ENABLE 0x02u
#define LCD_FLAG_FORCE_CHARGE 0x04u
#define LCD_FLAG_FULL_REQUEST 0x08u
#define LCD_FLAG_MASTER 0x10u

/* Everything the LCD shows (docs/spec/PRODUCT.md R-PT-3). */
struct bms_lcd_view {
    uint8_t pack_id;        /* 1..4 after coding, 0 before */
    uint8_t state;          /* enum bms_state */
    uint8_t soc_pct;        /* shown SOC */
    uint8_t soh_pct;
    uint32_t voltage_mV;    /* battery voltage */
    int32_t current_mA;     /* > 0 charging */
    int32_t power_W;        /* > 0 charging */
    uint16_t cell_min_mV;
    uint16_t cell_max_mV;
    uint8_t cell_min_no;    /* 1..16 */
    uint8_t cell_max_no;
    int16_t temp_min_ddegC; /* over the cell NTCs */
    int16_t temp_max_ddegC;
    uint8_t temp_min_no;    /* NTC 1..6 */
    uint8_t temp_max_no;
    uint16_t protect_mask;  /* bit n = enum bms_protect_id n */
    uint16_t alarm_mask;    /* bit n = enum bms_alarm_id n */
    uint16_t fault_mask;    /* bit n = enum bms_fault_id n */
    uint16_t cycles;        /* whole cycles */
    uint16_t balance_mask;  /* bit 0 = cell 1 */
    uint8_t flags;          /* LCD_FLAG_* */
    char text[LCD_TEXT_MAX + 1]; /* NUL-terminated, e.g. "link coding failed" */
};

/* The decoder: push bytes in, take frames out; garbage and corrupt frames are
 * skipped one byte at a time until the next good frame. */
struct lcd_decoder {
    uint8_t buf[2 * LCD_FRAME_MAX];
    size_t len;
    uint32_t frames;      /* good frames */
    uint32_t skipped;     /* bytes dropped while resynchronising */
};

void lcd_decoder_init(struct lcd_decoder *d);

/* Buffers up to len bytes; returns how many were taken (call lcd_decoder_next
 * until it returns 0, then push the rest). */
size_t lcd_decoder_push(struct lcd_decoder *d, const uint8_t *data, size_t len);

/* Applies the next complete frame to view: a status frame sets every field but
 * text, a text frame sets text. Returns the frame type, or 0 when no complete
 * frame is buffered. */
unsigned lcd_decoder_next(struct lcd_decoder *d, struct bms_lcd_view *view);

/* push + next over all of data; returns the number of frames applied. */
unsigned lcd_decoder_feed(struct lcd_decoder *d, const uint8_t *data, size_t len,
                          struct bms_lcd_view *view);

#endif
