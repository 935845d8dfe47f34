/* test_bridge_proto: the bridges' option values and protocol machines
 * (socketcand, SLCAN, the bench frame) byte for byte against docs/spec/CAN.md and
 * docs/bridges.md, with no sockets.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/bridge.h"
#include "gtx/bridge_proto.h"

/* What a session answered and sent, collected by the io callbacks. */
struct capture {
    char out[4096];
    size_t len;
    struct board_can_frame frames[8];
    int n_frames;
    bool refuse; /* the port refuses frames (as the bench does a bad one) */
};

static void cap_reply(void *ctx, const char *text, size_t len)
{
    struct capture *c = ctx;
    ck_assert_uint_lt(c->len + len, sizeof c->out);
    memcpy(c->out + c->len, text, len);
    c->len += len;
    c->out[c->len] = '\0';
}

static bool cap_frame(void *ctx, const struct board_can_frame *f, char *err, size_t err_len)
{
    struct capture *c = ctx;
    if (c->refuse) {
        snprintf(err, err_len, "refused");
        return false;
    }
    if (c->n_frames < 8)
        c->frames[c->n_frames++] = *f;
    return true;
}

static struct capture cap;
static struct bridge_proto_io io = {.ctx = &cap, .reply = cap_reply, .frame = cap_frame};

static void cap_reset(void)
{
    memset(&cap, 0, sizeof cap);
}

static void scd_feed(struct bridge_scd *s, const char *text)
{
    cap_reset();
    bridge_scd_input(s, (const uint8_t *)text, strlen(text), &io);
}

static void slcan_feed(struct bridge_slcan *s, const char *text)
{
    cap_reset();
    bridge_slcan_input(s, (const uint8_t *)text, strlen(text), &io);
}

/* Feeds text, then the session's whole reply must be out. */
static void scd_expect(struct bridge_scd *s, const char *text, const char *out)
{
    scd_feed(s, text);
    ck_assert_str_eq(cap.out, out);
}

static void slcan_expect(struct bridge_slcan *s, const char *text, const char *out)
{
    slcan_feed(s, text);
    ck_assert_str_eq(cap.out, out);
}

/* ---- option values ---- */

/* --can values: accepted ones with what they give (kind and port -1, iface NULL: not
 * looked at), refused ones with their message (NULL: not looked at). */
static const struct {
    const char *value;
    bool ok;
    int kind, port;
    const char *iface, *err;
} can_values[] = {
    {"socketcand", true, BRIDGE_SPEC_SOCKETCAND, 29536, NULL, NULL},
    {"socketcand:0", true, -1, 0, NULL, NULL},
    {"socketcand:30000", true, -1, 30000, NULL, NULL},
    {"socketcand:70000", false, -1, -1, NULL,
     "--can socketcand:PORT needs a port 0-65535 (got '70000')"},
    {"socketcand:", false, -1, -1, NULL, NULL},
    {"socketcand:-1", false, -1, -1, NULL, NULL},
    {"slcan", true, BRIDGE_SPEC_SLCAN_PTY, -1, NULL, NULL},
    {"slcan:tcp:4000", true, BRIDGE_SPEC_SLCAN_TCP, 4000, NULL, NULL},
    {"slcan:tcp:x", false, -1, -1, NULL, NULL},
    {"socketcan:vcan0", true, BRIDGE_SPEC_SOCKETCAN, -1, "vcan0", NULL},
    {"socketcan:", false, -1, -1, NULL, NULL},
    {"socketcan:a/b", false, -1, -1, NULL, NULL},
    {"socketcan:abcdefghijklmnopq", false, -1, -1, NULL, NULL},
    {"kvaser", false, -1, -1, NULL,
     "--can wants socketcand[:PORT], slcan, slcan:tcp:PORT or socketcan:IFACE (got 'kvaser')"},
};

START_TEST(test_parse_can)
{
    for (size_t i = 0; i < sizeof can_values / sizeof can_values[0]; i++) {
        struct bridge_spec sp;
        char err[160];
        const char *v = can_values[i].value;
        ck_assert_msg(bridge_parse_can(v, &sp, err, sizeof err) == can_values[i].ok, "%s", v);
        if (can_values[i].kind >= 0)
            ck_assert_int_eq(sp.kind, can_values[i].kind);
        if (can_values[i].port >= 0)
            ck_assert_int_eq(sp.port, can_values[i].port);
        if (can_values[i].iface)
            ck_assert_str_eq(sp.iface, can_values[i].iface);
        if (can_values[i].err)
            ck_assert_str_eq(err, can_values[i].err);
    }
}
END_TEST

START_TEST(test_parse_console)
{
    struct bridge_spec sp;
    char err[160];
    ck_assert(bridge_parse_console("pty", &sp, err, sizeof err));
    ck_assert_int_eq(sp.pack, 1);
    ck_assert(bridge_parse_console("pty:4", &sp, err, sizeof err));
    ck_assert_int_eq(sp.pack, 4);
    ck_assert(!bridge_parse_console("pty:5", &sp, err, sizeof err));
    ck_assert_str_eq(err, "--console wants pty or pty:PACK with PACK 1-4 (got 'pty:5')");
    ck_assert(!bridge_parse_console("pty:0", &sp, err, sizeof err));
    ck_assert(!bridge_parse_console("pty:12", &sp, err, sizeof err));
    ck_assert(!bridge_parse_console("tcp", &sp, err, sizeof err));
}
END_TEST

START_TEST(test_opts)
{
    struct bridge_opts o;
    char err[160];
    bridge_opts_init(&o);
    ck_assert(!bridge_opts_any(&o));
    ck_assert(bridge_opts_add(&o, "--listen", "127.0.0.2", err, sizeof err));
    ck_assert(!bridge_opts_any(&o));
    ck_assert_str_eq(o.listen, "127.0.0.2");
    for (int i = 0; i < BRIDGE_MAX_SPECS; i++)
        ck_assert(bridge_opts_add(&o, "--can", "slcan", err, sizeof err));
    ck_assert(!bridge_opts_add(&o, "--can", "slcan", err, sizeof err));
    ck_assert_str_eq(err, "at most 4 --can options");
    ck_assert(bridge_opts_add(&o, "--console", "pty:2", err, sizeof err));
    ck_assert(bridge_opts_any(&o));
    ck_assert(!bridge_opts_add(&o, "--console", NULL, err, sizeof err));
    ck_assert_str_eq(err, "--console needs a value");
    ck_assert(bridge_addr_is_loopback("127.0.0.1"));
    ck_assert(bridge_addr_is_loopback("127.0.0.2"));
    ck_assert(bridge_addr_is_loopback("::1"));
    ck_assert(!bridge_addr_is_loopback("0.0.0.0"));
    ck_assert(!bridge_addr_is_loopback("192.168.1.20"));
    ck_assert(!bridge_addr_is_loopback("::"));
}
END_TEST

/* ---- socketcand ---- */

START_TEST(test_scd_handshake)
{
    struct bridge_scd s;
    bridge_scd_init(&s);
    scd_expect(&s, "< open can0 >", "< ok >"); /* exact: python-can compares it whole */
    ck_assert_int_eq(s.state, BRIDGE_SCD_BCM);
    scd_expect(&s, "< rawmode >", "< ok >");
    ck_assert_int_eq(s.state, BRIDGE_SCD_RAW);
    scd_expect(&s, "< echo >", " < echo >");
    scd_expect(&s, "< open can0 >", " < error a bus is open already >");
    ck_assert_int_eq(s.state, BRIDGE_SCD_RAW);
}
END_TEST

START_TEST(test_scd_send)
{
    struct bridge_scd s;
    bridge_scd_init(&s);
    scd_expect(&s, "< send 305 8 0 0 0 0 0 0 0 0 >", " < error open a bus first: < open can0 > >");
    ck_assert_int_eq(cap.n_frames, 0);
    scd_expect(&s, "< open can0 >< rawmode >", "< ok >< ok >");
    /* python-can 4.1.0 writes IDs and bytes in unpadded upper-case hex */
    scd_expect(&s, "< send 305 8 0 0 0 0 0 0 0 0 >", "");
    ck_assert_int_eq(cap.n_frames, 1);
    ck_assert_uint_eq(cap.frames[0].id, 0x305);
    ck_assert_uint_eq(cap.frames[0].dlc, 8);
    ck_assert(!cap.frames[0].extended);
    scd_feed(&s, "< send 1F5E0000 2 A b >< send 7FF 0 >");
    ck_assert_int_eq(cap.n_frames, 2);
    ck_assert_uint_eq(cap.frames[0].id, 0x1F5E0000u);
    ck_assert(cap.frames[0].extended);
    ck_assert_uint_eq(cap.frames[0].data[0], 0x0A);
    ck_assert_uint_eq(cap.frames[0].data[1], 0x0B);
    ck_assert(!cap.frames[1].extended);
    ck_assert_uint_eq(cap.frames[1].dlc, 0);
    /* split anywhere across reads */
    scd_feed(&s, "< se");
    ck_assert_int_eq(cap.n_frames, 0);
    scd_feed(&s, "nd 123 1 ff >");
    ck_assert_int_eq(cap.n_frames, 1);
    ck_assert_uint_eq(cap.frames[0].data[0], 0xFF);
    cap_reset();
    cap.refuse = true;
    bridge_scd_input(&s, (const uint8_t *)"< send 1 0 >", 12, &io);
    ck_assert_str_eq(cap.out, " < error refused >");
}
END_TEST

START_TEST(test_scd_errors)
{
    struct bridge_scd s;
    bridge_scd_init(&s);
    scd_expect(&s, "< open can1 >", " < error no such bus (this server has can0) >");
    scd_expect(&s, "< rawmode >", " < error open a bus first: < open can0 > >");
    scd_feed(&s, "< open can0 >");
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"< send 305 9 >", " < error bad length (0-8) >"},
        {"< send 305 2 1 >", " < error length 2 but 1 data bytes >"},
        {"< send 305 1 100 >", " < error bad data byte 0 (1-2 hex digits) >"},
        {"< send 3G5 0 >", " < error bad CAN ID (1-3 hex digits, or 8 for an extended ID) >"},
        {"< send 123456789 0 >",
         " < error bad CAN ID (1-3 hex digits, or 8 for an extended ID) >"},
        {"< send 305 >", " < error send needs an ID and a length: < send 305 1 0 > >"},
        {"< foo bar >", " < error unknown command 'foo' >"},
        {"< add 1 0 305 0 >", " < error 'add' is not supported (this server has rawmode only) >"},
        {"< rawmode now >", " < error rawmode takes 0 arguments >"},
        {"<>", " < error empty message >"},
        {"hello < echo >", " < error expected '<' > < echo >"},
        {"< ec< echo >", " < error unterminated message > < echo >"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        scd_feed(&s, rows[i].in);
        ck_assert_msg(strcmp(cap.out, rows[i].out) == 0, "%s -> '%s'", rows[i].in, cap.out);
        ck_assert_int_eq(cap.n_frames, 0);
    }
    /* an overlong message: one error, then the session works on */
    char big[1200];
    memset(big, 'x', sizeof big);
    big[0] = '<';
    big[sizeof big - 2] = '>';
    big[sizeof big - 1] = '\0';
    scd_expect(&s, big, " < error message too long (max 256 bytes) >");
    scd_expect(&s, "\x01\x02\xff< echo >", " < error expected '<' > < echo >");
    ck_assert_int_eq(s.state, BRIDGE_SCD_BCM);
}
END_TEST

START_TEST(test_scd_format)
{
    struct board_can_frame f = {.id = 0x351, .dlc = 8, .data = {1, 2, 3, 4, 5, 6, 7, 8}};
    char buf[BRIDGE_SCD_FRAME_MAX];
    ck_assert_uint_eq(bridge_scd_format_frame(buf, sizeof buf, 12340000, &f), 41);
    ck_assert_str_eq(buf, " < frame 351 12.340000 0102030405060708 >");
    struct board_can_frame c = {.id = 0x35C, .dlc = 2, .data = {0xC0, 0}};
    bridge_scd_format_frame(buf, sizeof buf, 5000001, &c);
    ck_assert_str_eq(buf, " < frame 35C 5.000001 C000 >");
    struct board_can_frame e = {.id = 0x1F5E0000, .dlc = 0, .extended = true};
    bridge_scd_format_frame(buf, sizeof buf, 0, &e);
    ck_assert_str_eq(buf, " < frame 1F5E0000 0.000000  >");
    struct board_can_frame x = {.id = 0x5, .dlc = 1, .extended = true, .data = {0xAB}};
    bridge_scd_format_frame(buf, sizeof buf, 0, &x);
    ck_assert_str_eq(buf, " < frame 00000005 0.000000 AB >"); /* 8 digits: extended */
    ck_assert_uint_eq(bridge_scd_format_frame(buf, 10, 0, &f), 0);
}
END_TEST

/* ---- SLCAN ---- */

START_TEST(test_slcan_session)
{
    struct bridge_slcan s;
    bridge_slcan_init(&s);
    /* python-can 4.1.0 with bitrate=500000: C, S6, O, O, never waiting */
    slcan_expect(&s, "C\rS6\rO\rO\r", "\r\r\r\r");
    ck_assert(s.open);
    slcan_expect(&s, "t30580000000000000000\r", "z\r");
    ck_assert_int_eq(cap.n_frames, 1);
    ck_assert_uint_eq(cap.frames[0].id, 0x305);
    ck_assert_uint_eq(cap.frames[0].dlc, 8);
    slcan_expect(&s, "T1F5E000020102\r", "Z\r");
    ck_assert(cap.frames[0].extended);
    ck_assert_uint_eq(cap.frames[0].data[1], 0x02);
    slcan_expect(&s, "S6\r", "\a"); /* no bit rate change while open (LAWICEL) */
    slcan_expect(&s, "V\rN\rF\rZ1\r", "V0101\rNGTX0\rF00\r\r");
    ck_assert(s.timestamps);
    slcan_feed(&s, "C\r");
    ck_assert(!s.open);
    slcan_expect(&s, "t1230\r", "\a"); /* closed: no frames */
    ck_assert_int_eq(cap.n_frames, 0);
}
END_TEST

START_TEST(test_slcan_errors)
{
    struct bridge_slcan s;
    bridge_slcan_init(&s);
    slcan_feed(&s, "O\r");
    static const char *const bad[] = {
        "t305\r", "t3051\r", "t30510\r", "t3059\r", "t8001AA\r", "tX001AA\r",
        "r1230\r", "R123456780\r", "Q\r", "S9\r", "Z2\r", "s12\r", "O1\r", "T2000000000\r",
        "t1232AABBCC\r", "\x01\x02\r", "M1234\r",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        slcan_feed(&s, bad[i]);
        ck_assert_msg(strcmp(cap.out, "\a") == 0, "'%s' -> '%s'", bad[i], cap.out);
        ck_assert_int_eq(cap.n_frames, 0);
    }
    /* overlong: one BEL, then it works on */
    char big[300];
    memset(big, 't', sizeof big);
    big[sizeof big - 2] = '\r';
    big[sizeof big - 1] = '\0';
    slcan_expect(&s, big, "\a");
    slcan_expect(&s, "\r\n\n\r", ""); /* empty lines and LF: no reply */
    slcan_expect(&s, "t1230\r\n", "z\r");
    ck_assert(strchr(cap.out, '\n') == NULL);
}
END_TEST

START_TEST(test_slcan_format)
{
    struct bridge_slcan s;
    bridge_slcan_init(&s);
    struct board_can_frame f = {.id = 0x351, .dlc = 8,
                                .data = {0x2E, 2, 0xFA, 0, 0x2C, 1, 0xC8, 1}};
    char buf[BRIDGE_SLCAN_FRAME_MAX];
    ck_assert_uint_eq(bridge_slcan_format_frame(&s, buf, sizeof buf, 0, &f), 22);
    ck_assert_str_eq(buf, "t35182E02FA002C01C801\r");
    struct board_can_frame e = {.id = 0x1F5E0000, .dlc = 1, .extended = true, .data = {7}};
    bridge_slcan_format_frame(&s, buf, sizeof buf, 0, &e);
    ck_assert_str_eq(buf, "T1F5E0000107\r");
    s.timestamps = true;
    bridge_slcan_format_frame(&s, buf, sizeof buf, 61234000, &e); /* 61.234 s -> 1234 ms */
    ck_assert_str_eq(buf, "T1F5E000010704D2\r");
    struct board_can_frame g;
    ck_assert(bridge_slcan_parse_frame("t35182E02FA002C01C801", 21, &g));
    ck_assert_mem_eq(g.data, f.data, 8);
    ck_assert_uint_eq(bridge_slcan_format_frame(&s, buf, 8, 0, &f), 0);
}
END_TEST

/* ---- bench ---- */

START_TEST(test_bench)
{
    struct bridge_bench_cmd c = {.on = true, .current_a = 20.0, .v_max_v = 56.0, .v_min_v = 44.0};
    struct board_can_frame f;
    bridge_bench_encode(&c, &f);
    ck_assert(f.extended);
    ck_assert_uint_eq(f.id, 0x1F5E0000u);
    static const uint8_t want[8] = {0xC8, 0x00, 0x30, 0x02, 0xB8, 0x01, 0x01, 0x00};
    ck_assert_mem_eq(f.data, want, 8);
    struct bridge_bench_cmd d;
    char err[BRIDGE_ERR_MAX];
    ck_assert(bridge_bench_decode(&f, &d, err, sizeof err));
    ck_assert(d.on);
    ck_assert_double_eq_tol(d.current_a, 20.0, 1e-9);
    ck_assert_double_eq_tol(d.v_max_v, 56.0, 1e-9);
    ck_assert_double_eq_tol(d.v_min_v, 44.0, 1e-9);
    c.current_a = -35.5;
    bridge_bench_encode(&c, &f);
    ck_assert(bridge_bench_decode(&f, &d, err, sizeof err));
    ck_assert_double_eq_tol(d.current_a, -35.5, 1e-9);

    struct board_can_frame bad = f;
    bad.dlc = 7;
    ck_assert(!bridge_bench_decode(&bad, &d, err, sizeof err));
    ck_assert_str_eq(err, "bench frame: length 7, wanted 8");
    bad = f;
    bad.data[7] = 1;
    ck_assert(!bridge_bench_decode(&bad, &d, err, sizeof err));
    ck_assert_str_eq(err, "bench frame: reserved bits of bytes 6-7 must be 0");
    c.current_a = 300.0;
    bridge_bench_encode(&c, &bad);
    ck_assert(!bridge_bench_decode(&bad, &d, err, sizeof err));
    ck_assert_str_eq(err, "bench frame: current 300.0 A beyond +-200 A");
    c = (struct bridge_bench_cmd){.on = true, .current_a = 1, .v_max_v = 40, .v_min_v = 50};
    bridge_bench_encode(&c, &bad);
    ck_assert(!bridge_bench_decode(&bad, &d, err, sizeof err));
    c.on = false;
    bridge_bench_encode(&c, &bad);
    ck_assert(bridge_bench_decode(&bad, &d, err, sizeof err)); /* off: fields ignored */
    ck_assert(!d.on);
    bad.extended = false;
    ck_assert(!bridge_bench_is_for_bench(&bad));
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("all", test_parse_can),
    GTX_TEST(test_parse_console),
    GTX_TEST(test_opts),
    GTX_TEST(test_scd_handshake),
    GTX_TEST(test_scd_send),
    GTX_TEST(test_scd_errors),
    GTX_TEST(test_scd_format),
    GTX_TEST(test_slcan_session),
    GTX_TEST(test_slcan_errors),
    GTX_TEST(test_slcan_format),
    GTX_TEST(test_bench),
};

int main(void)
{
    return gtx_check_main("bridge_proto", tests, GTX_COUNT(tests), 0, NULL, false);
}
