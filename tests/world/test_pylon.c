/* test_pylon: the inverter-side Pylontech decoder (src/world/pylon_decode.c)
 * on frames whose bytes were worked out by hand from docs/spec/CAN.md's layout.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/bms_ids.h"
#include "gtx/pylon.h"

static struct board_can_frame frame(uint32_t id, uint8_t dlc, const uint8_t *bytes)
{
    struct board_can_frame f = {.id = id, .dlc = dlc, .extended = false};
    memcpy(f.data, bytes, dlc);
    return f;
}

/* CVL 55.7 V = 557 = 0x022D, CCL 25.0 A = 250 = 0x00FA, DCL 30.0 A = 300 =
 * 0x012C, DVL 45.6 V = 456 = 0x01C8. */
static const uint8_t b351[8] = {0x2D, 0x02, 0xFA, 0x00, 0x2C, 0x01, 0xC8, 0x01};
/* SOC 60 %, SOH 98 %, SOC 59.87 % = 5987 = 0x1763, 29.9 Ah = 299 = 0x012B. */
static const uint8_t b355[8] = {0x3C, 0x00, 0x62, 0x00, 0x63, 0x17, 0x2B, 0x01};
/* 52.34 V = 5234 = 0x1472, -12.3 A = -123 = 0xFF85, -5.2 °C = -52 = 0xFFCC, 17 cycles. */
static const uint8_t b356[8] = {0x72, 0x14, 0x85, 0xFF, 0xCC, 0xFF, 0x11, 0x00};
/* protect: over-temperature (A bit 3) + system error (B bit 3); alarm:
 * over-voltage (A bit 1) + internal comm (B bit 3); 2 packs; 'P' 'N' 0. */
static const uint8_t b359[8] = {0x08, 0x08, 0x02, 0x08, 0x02, 'P', 'N', 0x00};
static const uint8_t b35e[8] = {'P', 'Y', 'L', 'O', 'N', ' ', ' ', ' '};

/* A fresh decoder state after one frame, which must decode as `seen`. */
static struct pylon_state decoded(uint32_t id, uint8_t dlc, const uint8_t *bytes, uint32_t seen)
{
    struct pylon_state s;
    pylon_state_init(&s);
    struct board_can_frame f = frame(id, dlc, bytes);
    ck_assert_uint_eq(pylon_decode(&s, &f), seen);
    return s;
}

START_TEST(test_351_limits)
{
    struct pylon_state s = decoded(0x351, 8, b351, PYLON_SEEN_LIMITS);
    ck_assert_double_eq_tol(s.cvl_v, 55.7, 1e-9);
    ck_assert_double_eq_tol(s.ccl_a, 25.0, 1e-9);
    ck_assert_double_eq_tol(s.dcl_a, 30.0, 1e-9);
    ck_assert_double_eq_tol(s.dvl_v, 45.6, 1e-9);
    ck_assert_uint_eq(s.seen, PYLON_SEEN_LIMITS);
}
END_TEST

START_TEST(test_355_soc)
{
    struct pylon_state s = decoded(0x355, 8, b355, PYLON_SEEN_SOC);
    ck_assert_int_eq(s.soc_pct, 60);
    ck_assert_int_eq(s.soh_pct, 98);
    ck_assert_double_eq_tol(s.soc_hires_pct, 59.87, 1e-9);
    ck_assert_double_eq_tol(s.remaining_ah, 29.9, 1e-9);
}
END_TEST

START_TEST(test_356_signed)
{
    struct pylon_state s = decoded(0x356, 8, b356, PYLON_SEEN_MEASURE);
    ck_assert_double_eq_tol(s.voltage_v, 52.34, 1e-9);
    ck_assert_double_eq_tol(s.current_a, -12.3, 1e-9);
    ck_assert_double_eq_tol(s.temp_c, -5.2, 1e-9);
    ck_assert_int_eq(s.cycles, 17);
}
END_TEST

START_TEST(test_359_bits)
{
    struct pylon_state s = decoded(0x359, 8, b359, PYLON_SEEN_ALARMS);
    ck_assert_uint_eq(s.protect_a, 0x08);
    ck_assert_uint_eq(s.protect_b, 0x08);
    ck_assert_uint_eq(s.alarm_a, 0x02);
    ck_assert_uint_eq(s.alarm_b, 0x08);
    ck_assert_int_eq(s.packs_online, 2);
    ck_assert_uint_eq(pylon_protect_word(&s), 0x0808);
    ck_assert_uint_eq(pylon_alarm_word(&s), 0x0802);
}
END_TEST

START_TEST(test_35c_flags)
{
    struct pylon_state s;
    pylon_state_init(&s);
    uint8_t b[2] = {0xC0, 0x00}; /* both enables, nothing requested */
    struct board_can_frame f = frame(0x35C, 2, b);
    ck_assert_uint_eq(pylon_decode(&s, &f), PYLON_SEEN_FLAGS);
    ck_assert(s.charge_enable && s.discharge_enable);
    ck_assert(!s.force_charge && !s.full_charge_request);

    b[0] = 0x20; /* force charge I alone (bit 5) */
    f = frame(0x35C, 2, b);
    pylon_decode(&s, &f);
    ck_assert(s.force_charge && !s.charge_enable && !s.discharge_enable);
    b[0] = 0x10; /* force charge II alone (bit 4) */
    f = frame(0x35C, 2, b);
    pylon_decode(&s, &f);
    ck_assert(s.force_charge);
    b[0] = 0x88; /* charge enable + full charge request (bit 3) */
    f = frame(0x35C, 2, b);
    pylon_decode(&s, &f);
    ck_assert(s.charge_enable && !s.discharge_enable && !s.force_charge);
    ck_assert(s.full_charge_request);
    ck_assert_uint_eq(s.flags, 0x88);
}
END_TEST

START_TEST(test_35e_name_and_seen_mask)
{
    struct pylon_state s;
    pylon_state_init(&s);
    struct board_can_frame f = frame(0x35E, 8, b35e);
    ck_assert_uint_eq(pylon_decode(&s, &f), PYLON_SEEN_NAME);
    ck_assert_str_eq(s.manufacturer, "PYLON   ");
    f = frame(0x351, 8, b351);
    pylon_decode(&s, &f);
    ck_assert_uint_eq(s.seen, PYLON_SEEN_NAME | PYLON_SEEN_LIMITS);
    const uint8_t *all[] = {b355, b356, b359};
    const uint32_t ids[] = {0x355, 0x356, 0x359};
    for (int i = 0; i < 3; i++) {
        f = frame(ids[i], 8, all[i]);
        pylon_decode(&s, &f);
    }
    uint8_t b35c[2] = {0xC0, 0};
    f = frame(0x35C, 2, b35c);
    pylon_decode(&s, &f);
    ck_assert_uint_eq(s.seen, PYLON_SEEN_ALL);
}
END_TEST

START_TEST(test_rejects_bad_frames)
{
    struct pylon_state s, before;
    pylon_state_init(&s);
    struct board_can_frame f = frame(0x351, 8, b351);
    pylon_decode(&s, &f);
    memcpy(&before, &s, sizeof s);
    static const uint8_t junk[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    f = frame(0x123, 8, junk); /* unknown id */
    ck_assert_uint_eq(pylon_decode(&s, &f), 0);
    f = frame(0x351, 4, junk); /* too short */
    ck_assert_uint_eq(pylon_decode(&s, &f), 0);
    f = frame(0x351, 8, junk);
    f.extended = true; /* 29-bit 0x351 is another frame */
    ck_assert_uint_eq(pylon_decode(&s, &f), 0);
    f = frame(0x351, 8, junk);
    f.dlc = 9; /* impossible DLC */
    ck_assert_uint_eq(pylon_decode(&s, &f), 0);
    ck_assert_mem_eq(&s, &before, sizeof s);
    f = frame(0x305, 8, junk); /* the inverter's own heartbeat is not a BMS frame */
    ck_assert_uint_eq(pylon_decode(&s, &f), 0);
}
END_TEST

/* pylon_decode_heard: a frame with the bytes of the last one of its identifier is not
 * decoded again (a field marked in between keeps the mark); a byte or the DLC changed,
 * or another identifier, is; a frame pylon_decode refuses stays refused. */
START_TEST(test_heard_skips_same_bytes)
{
    struct pylon_state s;
    struct pylon_heard h;
    pylon_state_init(&s);
    memset(&h, 0, sizeof h);
    static const uint8_t zero[8] = {0};
    struct board_can_frame f = frame(0x359, 8, zero); /* zero bytes: a zeroed h holds none */
    ck_assert_uint_eq(pylon_decode_heard(&s, &h, &f), PYLON_SEEN_ALARMS);
    ck_assert_uint_eq(s.seen, PYLON_SEEN_ALARMS);
    f = frame(0x351, 8, b351);
    ck_assert_uint_eq(pylon_decode_heard(&s, &h, &f), PYLON_SEEN_LIMITS);
    ck_assert_double_eq_tol(s.ccl_a, 25.0, 1e-9);

    s.ccl_a = -1.0; /* only a decode overwrites the mark */
    ck_assert_uint_eq(pylon_decode_heard(&s, &h, &f), PYLON_SEEN_LIMITS);
    ck_assert(s.ccl_a == -1.0);
    f.data[2] = 0xFB; /* CCL 25.1 A */
    ck_assert_uint_eq(pylon_decode_heard(&s, &h, &f), PYLON_SEEN_LIMITS);
    ck_assert_double_eq_tol(s.ccl_a, 25.1, 1e-9);

    s.packs_online = -1; /* 0x351's bytes do not stand for 0x359's */
    f = frame(0x359, 8, b351);
    ck_assert_uint_eq(pylon_decode_heard(&s, &h, &f), PYLON_SEEN_ALARMS);
    ck_assert_int_eq(s.packs_online, 0x2C);

    uint8_t b35c[2] = {0xC0, 0};
    f = frame(0x35C, 2, b35c);
    ck_assert_uint_eq(pylon_decode_heard(&s, &h, &f), PYLON_SEEN_FLAGS);
    s.flags = 0;
    f.dlc = 1; /* the same first byte, another length: decoded */
    ck_assert_uint_eq(pylon_decode_heard(&s, &h, &f), PYLON_SEEN_FLAGS);
    ck_assert_uint_eq(s.flags, 0xC0);

    f = frame(0x351, 4, b351); /* too short, extended: refused, s unchanged */
    ck_assert_uint_eq(pylon_decode_heard(&s, &h, &f), 0);
    f = frame(0x351, 8, b351);
    f.extended = true;
    ck_assert_uint_eq(pylon_decode_heard(&s, &h, &f), 0);
    ck_assert_double_eq_tol(s.ccl_a, 25.1, 1e-9);
    ck_assert_uint_eq(s.seen, PYLON_SEEN_ALARMS | PYLON_SEEN_LIMITS | PYLON_SEEN_FLAGS);
}
END_TEST

START_TEST(test_encode_round_trip)
{
    const uint8_t *bytes[] = {b351, b355, b356, b359, b35e};
    const uint32_t ids[] = {0x351, 0x355, 0x356, 0x359, 0x35E};
    struct pylon_state s;
    pylon_state_init(&s);
    for (int i = 0; i < 5; i++) {
        struct board_can_frame f = frame(ids[i], 8, bytes[i]), g;
        pylon_decode(&s, &f);
        ck_assert(pylon_encode(&s, ids[i], &g));
        ck_assert_uint_eq(g.dlc, 8);
        ck_assert_mem_eq(g.data, bytes[i], 8);
    }
    uint8_t b35c[2] = {0xF8, 0};
    struct board_can_frame f = frame(0x35C, 2, b35c), g;
    pylon_decode(&s, &f);
    ck_assert(pylon_encode(&s, 0x35C, &g));
    ck_assert_uint_eq(g.dlc, 2);
    ck_assert_mem_eq(g.data, b35c, 2);
    ck_assert(!pylon_encode(&s, 0x305, &g));
}
END_TEST

START_TEST(test_heartbeat)
{
    struct board_can_frame f;
    memset(&f, 0xAA, sizeof f);
    pylon_heartbeat(&f);
    ck_assert_uint_eq(f.id, 0x305);
    ck_assert_uint_eq(f.dlc, 8);
    ck_assert(!f.extended);
    static const uint8_t zero[8] = {0};
    ck_assert_mem_eq(f.data, zero, 8);
}
END_TEST

/* docs/spec/CAN.md tables A and B, id by id. */
START_TEST(test_id_bits)
{
    static const struct {
        const char *name;
        uint16_t protect, alarm;
    } rows[] = {
        {"pack_hv", 0x0002, 0x0002},     {"cell_ov", 0x0002, 0x0002},
        {"pack_lv", 0x0004, 0x0004},     {"cell_uv", 0x0004, 0x0004},
        {"charge_ot", 0x0008, 0x0008},   {"discharge_ot", 0x0008, 0x0008},
        {"charge_ut", 0x0010, 0x0010},   {"discharge_ut", 0x0010, 0x0010},
        {"overcurrent_discharge", 0x0080, 0x0080},
        {"overcurrent_charge", 0x0100, 0x0100},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint16_t p = 0xFFFF, a = 0xFFFF;
        ck_assert_msg(pylon_protect_bit_of(rows[i].name, &p), "%s", rows[i].name);
        ck_assert_msg(pylon_alarm_bit_of(rows[i].name, &a), "%s", rows[i].name);
        ck_assert_uint_eq(p, rows[i].protect);
        ck_assert_uint_eq(a, rows[i].alarm);
    }
    uint16_t bit = 0;
    static const char *faults[] = {"ntc", "sense", "fet", "overdischarge", "coding"};
    for (int i = 0; i < 5; i++) {
        ck_assert(pylon_protect_bit_of(faults[i], &bit));
        ck_assert_uint_eq(bit, 0x0800); /* protection byte 1 bit 3: system error */
    }
    ck_assert(pylon_alarm_bit_of("link_comm", &bit));
    ck_assert_uint_eq(bit, 0x0800); /* alarm byte 3 bit 3: internal communication */
    ck_assert(pylon_alarm_bit_of("inverter_link", &bit));
    ck_assert_uint_eq(bit, 0);
    ck_assert(!pylon_protect_bit_of("link_comm", &bit));
    ck_assert(!pylon_alarm_bit_of("ntc", &bit));
    ck_assert(!pylon_protect_bit_of("chrage_ot", &bit));

    const char *names[8];
    ck_assert_uint_eq(pylon_protect_names(0x0002, names, 8), 2);
    ck_assert_str_eq(names[0], "pack_hv");
    ck_assert_str_eq(names[1], "cell_ov");
    ck_assert_uint_eq(pylon_alarm_names(0x0800, names, 8), 1);
    ck_assert_str_eq(names[0], "link_comm");
    ck_assert_uint_eq(pylon_protect_names(0x0000, names, 8), 0);
}
END_TEST

/* The protocol's own names of the 0x359 bits (CAN.md tables A and B): one
 * name per set bit, whatever BMS ids stand behind it. */
START_TEST(test_bit_names)
{
    const char *names[16];
    ck_assert_uint_eq(pylon_protect_bit_names(0x0008, names, 16), 1);
    ck_assert_str_eq(names[0], "over-temperature");
    ck_assert_uint_eq(pylon_protect_bit_names(0x0896, names, 16), 5);
    ck_assert_str_eq(names[0], "over-voltage");
    ck_assert_str_eq(names[1], "under-voltage");
    ck_assert_str_eq(names[2], "under-temperature");
    ck_assert_str_eq(names[3], "discharge over-current");
    ck_assert_str_eq(names[4], "BMS system error");
    ck_assert_uint_eq(pylon_protect_bit_names(0x0100, names, 16), 1);
    ck_assert_str_eq(names[0], "charge over-current");
    ck_assert_uint_eq(pylon_alarm_bit_names(0x0800, names, 16), 1);
    ck_assert_str_eq(names[0], "internal communication failure");
    ck_assert_uint_eq(pylon_alarm_bit_names(0x0020, names, 16), 1); /* not in table A */
    ck_assert_str_eq(names[0], "table A bit 5");
    ck_assert_uint_eq(pylon_alarm_bit_names(0x0000, names, 16), 0);
    ck_assert_uint_eq(pylon_protect_bit_names(0xffff, names, 2), 16); /* counts past cap */
}
END_TEST

/* Every id of bms_ids.h has a row: protections and faults for the protection
 * bytes, alarms for the alarm bytes (a new id must say which bit it sets). */
START_TEST(test_every_id_mapped)
{
    uint16_t bit;
#define X(id, name) ck_assert_msg(pylon_protect_bit_of(name, &bit), "protect %s", name);
    BMS_PROTECT_LIST(X)
    BMS_FAULT_LIST(X)
#undef X
#define X(id, name) ck_assert_msg(pylon_alarm_bit_of(name, &bit), "alarm %s", name);
    BMS_PROTECT_LIST(X)
    BMS_ALARM_EXTRA_LIST(X)
#undef X
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("decode", test_351_limits),
    GTX_TEST(test_355_soc),
    GTX_TEST(test_356_signed),
    GTX_TEST(test_359_bits),
    GTX_TEST(test_35c_flags),
    GTX_TEST(test_35e_name_and_seen_mask),
    GTX_TEST(test_rejects_bad_frames),
    GTX_TEST(test_heard_skips_same_bytes),
    GTX_TEST(test_encode_round_trip),
    GTX_TEST(test_heartbeat),
    GTX_TEST(test_id_bits),
    GTX_TEST(test_every_id_mapped),
    GTX_TEST(test_bit_names),
};

int main(void)
{
    return gtx_check_main("pylon", tests, GTX_COUNT(tests), 0, NULL, false);
}
