/* test_lcd: the extended LCD frames round-trip through the simulator's decoder
 * field by field, survive garbage and corruption by resynchronising, and go
 * out through a throttled UART without blocking or tearing.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bms_lcd.h"
#include "check_main.h"
#include "fake_board.h"
#include "gtx/bms_config.h"
#include "gtx/bms_ids.h"
#include "gtx/lcd_proto.h"

static struct fake_board fb;

static void sample_view(struct bms_lcd_view *v)
{
    *v = (struct bms_lcd_view){
        .pack_id = 3, .state = BMS_STATE_DISCHARGING, .soc_pct = 67, .soh_pct = 98,
        .voltage_mV = 52437, .current_mA = -24512, .power_W = -1285,
        .cell_min_mV = 3271, .cell_max_mV = 3302, .cell_min_no = 14, .cell_max_no = 2,
        .temp_min_ddegC = -105, .temp_max_ddegC = 312, .temp_min_no = 1, .temp_max_no = 4,
        .protect_mask = 1u << BMS_PROT_DISCHARGE_OT,
        .alarm_mask = (1u << BMS_ALARM_INVERTER_LINK) | (1u << BMS_ALARM_CELL_UV),
        .fault_mask = 1u << BMS_FAULT_CODING, .cycles = 6001, .balance_mask = 0x8001u,
        .flags = LCD_FLAG_DISCHARGE_ENABLE | LCD_FLAG_MASTER,
    };
    strcpy(v->text, "link coding failed");
}

static void assert_views_equal(const struct bms_lcd_view *a, const struct bms_lcd_view *b)
{
    ck_assert_uint_eq(a->pack_id, b->pack_id);
    ck_assert_uint_eq(a->state, b->state);
    ck_assert_uint_eq(a->soc_pct, b->soc_pct);
    ck_assert_uint_eq(a->soh_pct, b->soh_pct);
    ck_assert_uint_eq(a->voltage_mV, b->voltage_mV);
    ck_assert_int_eq(a->current_mA, b->current_mA);
    ck_assert_int_eq(a->power_W, b->power_W);
    ck_assert_uint_eq(a->cell_min_mV, b->cell_min_mV);
    ck_assert_uint_eq(a->cell_max_mV, b->cell_max_mV);
    ck_assert_uint_eq(a->cell_min_no, b->cell_min_no);
    ck_assert_uint_eq(a->cell_max_no, b->cell_max_no);
    ck_assert_int_eq(a->temp_min_ddegC, b->temp_min_ddegC);
    ck_assert_int_eq(a->temp_max_ddegC, b->temp_max_ddegC);
    ck_assert_uint_eq(a->temp_min_no, b->temp_min_no);
    ck_assert_uint_eq(a->temp_max_no, b->temp_max_no);
    ck_assert_uint_eq(a->protect_mask, b->protect_mask);
    ck_assert_uint_eq(a->alarm_mask, b->alarm_mask);
    ck_assert_uint_eq(a->fault_mask, b->fault_mask);
    ck_assert_uint_eq(a->cycles, b->cycles);
    ck_assert_uint_eq(a->balance_mask, b->balance_mask);
    ck_assert_uint_eq(a->flags, b->flags);
    ck_assert_str_eq(a->text, b->text);
}

START_TEST(status_frame_bytes_match_the_document)
{
    struct bms_lcd_view v;
    sample_view(&v);
    uint8_t buf[LCD_FRAME_MAX];
    size_t n = bms_lcd_encode_status(&v, buf, sizeof buf);
    ck_assert_uint_eq(n, 3 + 39 + 2);
    ck_assert_uint_eq(buf[0], 0xA5);
    ck_assert_uint_eq(buf[1], 0x01);
    ck_assert_uint_eq(buf[2], 39);
    ck_assert_uint_eq(buf[3], 3);                          /* pack id */
    ck_assert_uint_eq(buf[4], BMS_STATE_DISCHARGING);      /* state */
    ck_assert_uint_eq(buf[5], 67);                         /* SOC % */
    ck_assert_uint_eq(buf[7] | buf[8] << 8, 52437 & 0xFFFF); /* voltage LE */
    ck_assert_uint_eq(buf[11], (uint8_t)(-24512 & 0xFF)); /* current LE, two's complement */
    ck_assert_uint_eq(buf[14], 0xFF);
    ck_assert_uint_eq(buf[3 + 38], LCD_FLAG_DISCHARGE_ENABLE | LCD_FLAG_MASTER);
    ck_assert_uint_eq(bms_lcd_encode_status(&v, buf, 43), 0); /* too small */
    /* text: SOF, type 2, length, the characters, CRC */
    n = bms_lcd_encode_text("OK", buf, sizeof buf);
    ck_assert_uint_eq(n, 7);
    ck_assert_uint_eq(buf[1], 0x02);
    ck_assert_uint_eq(buf[2], 2);
    ck_assert_uint_eq(buf[3], 'O');
    /* CRC-16/CCITT-FALSE over 02 02 4F 4B, little endian */
    ck_assert_uint_eq(buf[5] | buf[6] << 8, 0xE395u);
}
END_TEST

START_TEST(round_trip_every_field)
{
    struct bms_lcd_view v, out;
    sample_view(&v);
    memset(&out, 0, sizeof out);
    uint8_t buf[2 * LCD_FRAME_MAX];
    size_t n = bms_lcd_encode_status(&v, buf, sizeof buf);
    n += bms_lcd_encode_text(v.text, buf + n, sizeof buf - n);
    struct lcd_decoder d;
    lcd_decoder_init(&d);
    ck_assert_uint_eq(lcd_decoder_feed(&d, buf, n, &out), 2);
    assert_views_equal(&v, &out);
    ck_assert_uint_eq(d.skipped, 0);
    /* extremes */
    v.voltage_mV = 0xFFFFFFFFu;
    v.current_mA = INT32_MIN;
    v.power_W = INT32_MAX;
    v.temp_min_ddegC = INT16_MIN;
    v.protect_mask = v.alarm_mask = v.fault_mask = 0xFFFF;
    v.text[0] = '\0';
    n = bms_lcd_encode_status(&v, buf, sizeof buf);
    n += bms_lcd_encode_text(v.text, buf + n, sizeof buf - n);
    ck_assert_uint_eq(lcd_decoder_feed(&d, buf, n, &out), 2);
    assert_views_equal(&v, &out);
}
END_TEST

START_TEST(text_is_clipped_and_printable)
{
    uint8_t buf[LCD_FRAME_MAX];
    char long_text[100];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[99] = '\0';
    long_text[3] = '\n';
    size_t n = bms_lcd_encode_text(long_text, buf, sizeof buf);
    ck_assert_uint_eq(n, 3 + LCD_TEXT_MAX + 2);
    struct bms_lcd_view out = {0};
    struct lcd_decoder d;
    lcd_decoder_init(&d);
    ck_assert_uint_eq(lcd_decoder_feed(&d, buf, n, &out), 1);
    ck_assert_uint_eq(strlen(out.text), LCD_TEXT_MAX);
    ck_assert_int_eq(out.text[3], '?');
}
END_TEST

START_TEST(garbage_and_corruption_resynchronise)
{
    struct bms_lcd_view v, out;
    sample_view(&v);
    uint8_t frame[2 * LCD_FRAME_MAX];
    size_t n = bms_lcd_encode_status(&v, frame, sizeof frame);
    n += bms_lcd_encode_text(v.text, frame + n, sizeof frame - n);
    static uint8_t stream[64 * 1024];
    size_t len = 0;
    unsigned seed = 12345, good = 0;
    /* garbage full of SOF bytes and fake headers, corrupted copies, good frames */
    for (int round = 0; len + 600 < sizeof stream; round++) {
        size_t g = (size_t)(round * 37 % 200);
        for (size_t i = 0; i < g; i++) {
            seed = seed * 1103515245u + 12345u;
            uint8_t b = (uint8_t)(seed >> 16);
            stream[len++] = (i % 5 == 0) ? LCD_SOF : b;
        }
        memcpy(stream + len, frame, n);
        if (round % 3 == 1)
            stream[len + 5 + (size_t)round % 30] ^= 0x40; /* corrupt: must be dropped */
        else
            good++;
        len += n;
        if (round % 4 == 2)
            len -= 7; /* a truncated pair: the next frames must still decode */
    }
    struct lcd_decoder d;
    lcd_decoder_init(&d);
    memset(&out, 0, sizeof out);
    /* feed in odd-sized pieces */
    unsigned statuses = 0;
    for (size_t pos = 0; pos < len;) {
        size_t piece = 1 + (pos * 7) % 97;
        if (piece > len - pos)
            piece = len - pos;
        size_t done = 0;
        while (done < piece) {
            done += lcd_decoder_push(&d, stream + pos + done, piece - done);
            unsigned t;
            while ((t = lcd_decoder_next(&d, &out)) != 0) {
                /* never a corrupted value: each frame type sets its fields */
                if (t == LCD_TYPE_STATUS) {
                    statuses++;
                    strcpy(out.text, v.text);
                    assert_views_equal(&v, &out);
                } else {
                    ck_assert_str_eq(out.text, v.text);
                }
            }
        }
        pos += piece;
    }
    /* every intact status frame decoded (a truncated pair loses its text only) */
    ck_assert_uint_ge(statuses, good);
    ck_assert_uint_gt(d.skipped, 0);
    ck_assert_uint_gt(good, 50);
}
END_TEST

START_TEST(pure_noise_decodes_nothing)
{
    struct lcd_decoder d;
    lcd_decoder_init(&d);
    struct bms_lcd_view out = {0};
    uint8_t noise[4096];
    unsigned seed = 7;
    for (size_t i = 0; i < sizeof noise; i++) {
        seed = seed * 1103515245u + 12345u;
        noise[i] = (uint8_t)(seed >> 13);
    }
    ck_assert_uint_eq(lcd_decoder_feed(&d, noise, sizeof noise, &out), 0);
    ck_assert_uint_eq(d.frames, 0);
}
END_TEST

START_TEST(sender_is_periodic_and_never_blocks)
{
    const struct bms_lcd_config *cfg = &bms_config_default.lcd;
    struct bms_lcd lcd;
    struct bms_lcd_view v, out;
    sample_view(&v);
    memset(&out, 0, sizeof out);
    fake_board_init(&fb, NULL);
    fb.uart[BOARD_UART_LCD].tx_room = 5; /* a slow UART: 5 bytes per tick */
    bms_lcd_init(&lcd);
    uint32_t now = 0xFFFFF000u; /* across the ms wrap */
    unsigned sent = 0;
    for (int tick = 0; tick < 1000; tick++, now += 10) {
        if (bms_lcd_due(&lcd, cfg, now)) {
            bms_lcd_send(&lcd, now, &v);
            sent++;
        }
        bms_lcd_flush(&lcd, &fb.board);
    }
    ck_assert_uint_eq(sent, 10); /* one pair per 1000 ms over 10 s */
    ck_assert_uint_eq(lcd.dropped, 0);
    struct lcd_decoder d;
    lcd_decoder_init(&d);
    struct fake_uart *ua = &fb.uart[BOARD_UART_LCD];
    ck_assert_uint_eq(lcd_decoder_feed(&d, ua->tx, ua->tx_len, &out), 20);
    assert_views_equal(&v, &out);
    ck_assert_uint_eq(d.skipped, 0);
    /* a UART that takes nothing: the pair waits, later ones are dropped whole */
    ua->tx_len = 0;
    ua->tx_room = 0;
    for (int tick = 0; tick < 300; tick++, now += 10) {
        if (bms_lcd_due(&lcd, cfg, now))
            bms_lcd_send(&lcd, now, &v);
        bms_lcd_flush(&lcd, &fb.board);
    }
    ck_assert_uint_eq(ua->tx_len, 0);
    ck_assert_uint_eq(lcd.dropped, 2);
    ua->tx_room = SIZE_MAX;
    bms_lcd_flush(&lcd, &fb.board);
    lcd_decoder_init(&d);
    ck_assert_uint_eq(lcd_decoder_feed(&d, ua->tx, ua->tx_len, &out), 2);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("R-PT-3", status_frame_bytes_match_the_document),
    GTX_TEST(round_trip_every_field),
    GTX_TEST(text_is_clipped_and_printable),
    GTX_TEST(garbage_and_corruption_resynchronise),
    GTX_TEST(pure_noise_decodes_nothing),
    GTX_TEST(sender_is_periodic_and_never_blocks),
};

int main(void)
{
    return gtx_check_main("bms_lcd", tests, GTX_COUNT(tests), 0, NULL, false);
}
