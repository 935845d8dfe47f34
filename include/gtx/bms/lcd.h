/* gtx/bms/lcd.h: the extended LCD sender's instance and configuration structs, as
 * struct bms and struct bms_config embed them. The encoders and the sender are
 * private to the firmware (src/bms/bms_lcd.h); the frames are gtx/lcd_proto.h.
 */
#ifndef GTX_BMS_PUB_LCD_H
#define GTX_BMS_PUB_LCD_H

#include <stdbool.h>
#include <stdint.h>

#include "gtx/lcd_proto.h"

struct bms_lcd_config {
    uint32_t period_ms; /* one status + text frame pair every period */
};

struct bms_lcd {
    uint8_t out[2 * LCD_FRAME_MAX];
    uint16_t out_len;
    uint16_t out_pos;
    uint32_t last_ms;
    bool started;
    uint32_t dropped; /* frame pairs not queued because the last was still going out */
    /* The view the bytes in out were encoded from (sent_len of them): a standby's
     * pair repeats for seconds, and the same view sends the same bytes again. */
    struct bms_lcd_view sent_view;
    uint16_t sent_len;
};

#endif
