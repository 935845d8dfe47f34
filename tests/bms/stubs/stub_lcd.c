/* stub_lcd.c: a stand-in for src/bms/bms_lcd.c while it is not in the tree. */
#include "bms_lcd.h"

void bms_lcd_init(struct bms_lcd *lcd)
{
    lcd->started = false;
    lcd->out_len = lcd->out_pos = 0;
}

bool bms_lcd_due(const struct bms_lcd *lcd, const struct bms_lcd_config *cfg, uint32_t now_ms)
{
    return !lcd->started || now_ms - lcd->last_ms >= cfg->period_ms;
}

void bms_lcd_send(struct bms_lcd *lcd, uint32_t now_ms, const struct bms_lcd_view *view)
{
    (void)view;
    lcd->started = true;
    lcd->last_ms = now_ms;
}

void bms_lcd_flush(struct bms_lcd *lcd, struct board *board)
{
    (void)lcd;
    (void)board;
}
