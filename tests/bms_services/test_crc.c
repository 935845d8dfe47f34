/* test_crc: bms_crc16 is CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no
 * final XOR), against the definition bit by bit (tests/support/crc_spec.c): its check
 * value, every length from 0 to 300 bytes at every start offset (the 8-byte slices and
 * the bytes after them), and a CRC carried over pieces equals the CRC of the whole. The
 * link frames and the NVM records depend on it byte for byte.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "bms_crc.h"
#include "check_main.h"
#include "crc_spec.h"

/* Deterministic bytes (a 32-bit LCG's top byte). */
static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (uint8_t)(seed >> 24);
    }
}

START_TEST(check_value)
{
    static const char digits[] = "123456789";
    ck_assert_uint_eq(bms_crc16(digits, 9, 0xFFFFu), 0x29B1u); /* the catalogue's check */
    ck_assert_uint_eq(bms_crc16(digits, 0, 0x1234u), 0x1234u); /* nothing: unchanged */
}
END_TEST

START_TEST(every_length_and_offset)
{
    uint8_t buf[304];
    fill(buf, sizeof buf, 7u);
    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; n + off <= 300; n++) {
            uint16_t want = crc_spec(buf + off, n, CRC_SPEC_INIT);
            ck_assert_msg(bms_crc16(buf + off, n, 0xFFFFu) == want, "offset %zu length %zu",
                          off, n);
        }
}
END_TEST

START_TEST(every_byte_value_after_every_register)
{
    /* Each table entry in every slice: a block of 8 equal bytes after registers that put
     * every value in front of them. */
    for (unsigned v = 0; v < 256; v++) {
        uint8_t w[8];
        memset(w, (int)v, sizeof w);
        for (unsigned r = 0; r < 0x10000u; r += 0x0101u)
            ck_assert_uint_eq(bms_crc16(w, sizeof w, (uint16_t)r),
                              crc_spec(w, sizeof w, (uint16_t)r));
    }
}
END_TEST

START_TEST(pieces_carry_the_register)
{
    uint8_t buf[200];
    fill(buf, sizeof buf, 99u);
    uint16_t whole = crc_spec(buf, sizeof buf, CRC_SPEC_INIT);
    for (size_t cut = 0; cut <= sizeof buf; cut++) {
        uint16_t crc = bms_crc16(buf, cut, 0xFFFFu);
        ck_assert_uint_eq(bms_crc16(buf + cut, sizeof buf - cut, crc), whole);
    }
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("crc16", check_value),
    GTX_TEST(every_length_and_offset),
    GTX_TEST(every_byte_value_after_every_register),
    GTX_TEST(pieces_carry_the_register),
};

int main(void)
{
    return gtx_check_main("bms_crc", tests, GTX_COUNT(tests), 60.0, NULL, false);
}
