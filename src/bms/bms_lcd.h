/* bms_lcd: the extended LCD sender. Encodes a struct bms_lcd_view into the
 * frames of include/gtx/lcd_proto.h and trickles them out of the LCD UART
 * without ever blocking. Private to src/bms/.
 */
#ifndef GTX_BMS_LCD_H
#define GTX_BMS_LCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/bms/lcd.h"
#include "gtx/board.h"
#include "gtx/lcd_proto.h"

/* Frame encoders; each returns the frame length, or 0 when cap is too small. */
size_t bms_lcd_encode_status(const struct bms_lcd_view *v, uint8_t *buf, size_t cap);
size_t bms_lcd_encode_text(const char *text, uint8_t *buf, size_t cap);

void bms_lcd_init(struct bms_lcd *lcd);

/* True when the next frame pair is due (so the caller fills a view only then). Inline:
 * it is asked at every tick of a powered pack. */
static inline bool bms_lcd_due(const struct bms_lcd *lcd, const struct bms_lcd_config *cfg,
                               uint32_t now_ms)
{
    return !lcd->started || now_ms - lcd->last_ms >= cfg->period_ms;
}

/* Queues a status and a text frame and restarts the period. */
void bms_lcd_send(struct bms_lcd *lcd, uint32_t now_ms, const struct bms_lcd_view *view);

/* Writes what the UART accepts; call every tick (a look at two counters when nothing
 * waits). */
void bms_lcd_flush_out(struct bms_lcd *lcd, struct board *board);
static inline void bms_lcd_flush(struct bms_lcd *lcd, struct board *board)
{
    if (lcd->out_pos < lcd->out_len)
        bms_lcd_flush_out(lcd, board);
}

#endif
