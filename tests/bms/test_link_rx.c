/* test_link_rx.c: the link's frame receiver (docs/link-protocol.md, "Frames") on one slave,
 * pack 2 of 2, fed raw bytes on its Link Port In. Noise between frames is skipped up to the
 * next 0xA5, a frame may arrive in pieces over several ticks, a length above 48 or a bad
 * CRC drops what was assembled (counted in crc_errors) and the hunt goes on from the next
 * byte; a POLL for it is answered with a REPLY on In, one for pack 3 goes on out of Out
 * unchanged. The same bytes in one piece or one byte a tick give the same frames. A port
 * is read only when its UART says bytes wait, and a burst longer than a tick's share
 * comes out whole over two ticks.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "crc_spec.h"
#include "rig.h"

#define REPLY_LEN (6u + 44u + 2u)

static struct rig R;

/* A frame without payload from the master: type, dst; its CRC (the spec's, bit by bit:
 * crc_spec, not the firmware's) good or spoilt. */
static size_t frame(uint8_t *f, uint8_t type, uint8_t dst, bool good_crc)
{
    f[0] = 0xA5;
    f[1] = type;
    f[2] = 1; /* src: the master */
    f[3] = dst;
    f[4] = 0;
    f[5] = 0;
    uint16_t crc = crc_spec(f + 1, 5, CRC_SPEC_INIT);
    if (!good_crc)
        crc ^= 0x0100u;
    f[6] = (uint8_t)(crc & 0xFFu);
    f[7] = (uint8_t)(crc >> 8);
    return 8;
}

enum { T_POLL = 3 };

/* The test stream: noise, a POLL for 3 (forwarded), a header with length 49, a POLL
 * with a bad CRC, noise that holds no 0xA5, and a good POLL for this pack. */
static size_t stream(uint8_t *s)
{
    static const uint8_t noise[] = {0x00, 0x13, 0xFF, 0x5A};
    static const uint8_t bad_len[] = {0xA5, T_POLL, 1, 2, 0, 49};
    size_t n = 0;
    memcpy(s + n, noise, sizeof noise);
    n += sizeof noise;
    n += frame(s + n, T_POLL, 3, true);
    memcpy(s + n, bad_len, sizeof bad_len);
    n += sizeof bad_len;
    n += frame(s + n, T_POLL, 2, false);
    memcpy(s + n, noise, sizeof noise);
    n += sizeof noise;
    n += frame(s + n, T_POLL, 2, true);
    return n;
}

static void slave_start(void)
{
    rig_init(&R, 1000);
    bms_start_running_linked(&R.bms, R.now, 2, 2);
    rig_tick(&R);
}

static void expect_outcome(void)
{
    const struct fake_uart *in = &R.fb.uart[BOARD_UART_LINK_IN];
    const struct fake_uart *out = &R.fb.uart[BOARD_UART_LINK_OUT];
    ck_assert_uint_eq(R.bms.link.rx[0].crc_errors, 2);      /* the length, the CRC */
    ck_assert_uint_eq(in->tx_len, REPLY_LEN);                /* one REPLY */
    ck_assert_uint_eq(in->tx[0], 0xA5);
    ck_assert_uint_eq(in->tx[1], 4);                         /* REPLY */
    ck_assert_uint_eq(in->tx[2], 2);                         /* from pack 2 */
    ck_assert_uint_eq(in->tx[3], 1);                         /* to the master */
    ck_assert_uint_eq(in->tx[5], 44);
    uint16_t crc = crc_spec(in->tx + 1, REPLY_LEN - 3u, CRC_SPEC_INIT);
    ck_assert_uint_eq(in->tx[REPLY_LEN - 2], crc & 0xFFu);
    ck_assert_uint_eq(in->tx[REPLY_LEN - 1], crc >> 8);
    uint8_t fwd[8];
    frame(fwd, T_POLL, 3, true);
    ck_assert_uint_eq(out->tx_len, sizeof fwd);              /* the POLL for 3, unchanged */
    ck_assert_mem_eq(out->tx, fwd, sizeof fwd);
    ck_assert_uint_eq(R.bms.link.frames_in, 2);
}

START_TEST(one_piece)
{
    slave_start();
    uint8_t s[128];
    size_t n = stream(s);
    fake_uart_input(&R.fb, BOARD_UART_LINK_IN, s, n);
    rig_tick(&R);
    expect_outcome();
}
END_TEST

START_TEST(byte_a_tick)
{
    slave_start();
    uint8_t s[128];
    size_t n = stream(s);
    for (size_t i = 0; i < n; i++) {
        fake_uart_input(&R.fb, BOARD_UART_LINK_IN, s + i, 1);
        rig_tick(&R);
        if (i + 1 < n) /* the REPLY only once the last byte of the good POLL is in */
            ck_assert_uint_eq(R.fb.uart[BOARD_UART_LINK_IN].tx_len, 0);
    }
    expect_outcome();
}
END_TEST

/* A frame cut at every place: the first part in one tick, the rest in the next. */
START_TEST(split_anywhere)
{
    uint8_t f[8];
    frame(f, T_POLL, 2, true);
    for (size_t cut = 1; cut < sizeof f; cut++) {
        slave_start();
        fake_uart_input(&R.fb, BOARD_UART_LINK_IN, f, cut);
        rig_tick(&R);
        ck_assert_uint_eq(R.fb.uart[BOARD_UART_LINK_IN].tx_len, 0);
        fake_uart_input(&R.fb, BOARD_UART_LINK_IN, f + cut, sizeof f - cut);
        rig_tick(&R);
        ck_assert_msg(R.fb.uart[BOARD_UART_LINK_IN].tx_len == REPLY_LEN, "cut at %zu", cut);
        ck_assert_uint_eq(R.bms.link.rx[0].crc_errors, 0);
    }
}
END_TEST

/* An idle port is not read: the firmware looks at the UART's count of waiting bytes
 * (board.h, uart_waiting) and calls uart_read only when bytes wait. */
START_TEST(idle_ports_not_read)
{
    slave_start();
    struct fake_uart *in = &R.fb.uart[BOARD_UART_LINK_IN];
    struct fake_uart *out = &R.fb.uart[BOARD_UART_LINK_OUT];
    in->reads = out->reads = 0;
    rig_run(&R, 10000); /* 1000 ticks, nothing on the cables */
    ck_assert_uint_eq(in->reads, 0);
    ck_assert_uint_eq(out->reads, 0);
    uint8_t f[8];
    frame(f, T_POLL, 2, true);
    size_t sent = in->tx_len; /* the ANNOUNCEs of a slave whose master is silent */
    fake_uart_input(&R.fb, BOARD_UART_LINK_IN, f, sizeof f);
    rig_tick(&R);
    ck_assert_uint_eq(in->tx_len - sent, REPLY_LEN); /* the waiting bytes read, answered */
    ck_assert_uint_eq(in->tx[sent + 1u], 4);         /* REPLY */
    ck_assert_uint_eq(in->reads, 1);          /* 8 bytes: one read */
    ck_assert_uint_eq(out->reads, 0);
}
END_TEST

/* More bytes than a tick reads (512): the rest waits for the next tick, which the
 * firmware asks for at once, and not a byte is lost at the tick's or a read's edge. */
#define BURST_FRAMES 70u /* 560 bytes of POLLs for pack 3 behind 3 bytes of noise */
START_TEST(burst_loses_no_byte)
{
    slave_start();
    static const uint8_t noise[] = {0x00, 0x13, 0x5A};
    uint8_t s[sizeof noise + (BURST_FRAMES + 1u) * 8u], fwd[BURST_FRAMES * 8u];
    memcpy(s, noise, sizeof noise);
    for (size_t k = 0; k < BURST_FRAMES; k++) {
        frame(s + sizeof noise + k * 8u, T_POLL, 3, true);
        s[sizeof noise + k * 8u + 4u] = (uint8_t)k; /* aux: each frame its own bytes */
        uint16_t crc = crc_spec(s + sizeof noise + k * 8u + 1u, 5, CRC_SPEC_INIT);
        s[sizeof noise + k * 8u + 6u] = (uint8_t)(crc & 0xFFu);
        s[sizeof noise + k * 8u + 7u] = (uint8_t)(crc >> 8);
        memcpy(fwd + k * 8u, s + sizeof noise + k * 8u, 8u);
    }
    frame(s + sizeof noise + BURST_FRAMES * 8u, T_POLL, 2, true); /* the last: answered */
    fake_uart_input(&R.fb, BOARD_UART_LINK_IN, s, sizeof s);

    rig_tick(&R);
    const struct fake_uart *in = &R.fb.uart[BOARD_UART_LINK_IN];
    const struct fake_uart *out = &R.fb.uart[BOARD_UART_LINK_OUT];
    ck_assert_uint_eq(in->rx_len - in->rx_pos, sizeof s - 512u); /* a tick's share read */
    ck_assert_uint_eq(out->tx_len, (512u - sizeof noise) / 8u * 8u);
    ck_assert_uint_eq(bms_next_wakeup_ms(&R.bms), R.now); /* the rest at the next tick */
    rig_tick(&R);
    ck_assert_uint_eq(in->rx_len, in->rx_pos);
    ck_assert_uint_eq(out->tx_len, sizeof fwd); /* every POLL for 3 forwarded unchanged */
    ck_assert_mem_eq(out->tx, fwd, sizeof fwd);
    ck_assert_uint_eq(in->tx_len, REPLY_LEN);
    ck_assert_uint_eq(R.bms.link.rx[0].crc_errors, 0);
    ck_assert_uint_eq(R.bms.link.frames_in, BURST_FRAMES + 1u);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("receiver", one_piece),
    GTX_TEST(byte_a_tick),
    GTX_TEST(split_anywhere),
    GTX_TEST(idle_ports_not_read),
    GTX_TEST(burst_loses_no_byte),
};

int main(void)
{
    return gtx_check_main("bms_link_rx", tests, GTX_COUNT(tests), 60.0, NULL, false);
}
