/* test_scn_match: docs/spec/SCENARIO.md's matching rules (|x - v| <= max(0.5 % of |v|,
 * 0.01), inclusive ranges, exact LED words) and the one-line failure message.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/bms_ids.h"
#include "gtx/scn_match.h"

START_TEST(numbers_relative_tolerance)
{
    ck_assert(scn_match_number(100, 100));
    ck_assert(scn_match_number(100, 100.49));
    ck_assert(scn_match_number(100, 99.51));
    ck_assert(!scn_match_number(100, 100.51));
    ck_assert(!scn_match_number(100, 99.49));
    ck_assert(scn_match_number(-50, -50.24));
    ck_assert(!scn_match_number(-50, -50.26));
    ck_assert(scn_match_number(3.65, 3.668)); /* 0.5 % of 3.65 = 0.01825 */
    ck_assert(!scn_match_number(3.65, 3.67));
}
END_TEST

START_TEST(numbers_absolute_floor)
{
    /* Near zero the tolerance is 0.01, not 0.5 % of nothing. */
    ck_assert(scn_match_number(0, 0.0099));
    ck_assert(scn_match_number(0, -0.0099));
    ck_assert(!scn_match_number(0, 0.0101));
    ck_assert(scn_match_number(1, 1.0099));
    ck_assert(!scn_match_number(1, 1.011));
    ck_assert(!scn_match_number(1, NAN));
    ck_assert(!scn_match_number(NAN, 1));
}
END_TEST

START_TEST(ranges_inclusive)
{
    ck_assert(scn_match_range(2.5, 3.65, 2.5));
    ck_assert(scn_match_range(2.5, 3.65, 3.65));
    ck_assert(scn_match_range(2.5, 3.65, 3.0));
    ck_assert(!scn_match_range(2.5, 3.65, 3.6500001));
    ck_assert(!scn_match_range(2.5, 3.65, 2.4999999));
    ck_assert(!scn_match_range(2.5, 3.65, NAN));
    struct scn_check c = {.key = SCN_CHECK_CELL_V_MAX, .kind = SCN_VAL_RANGE, .min = 2.5,
                          .max = 3.65};
    ck_assert(scn_check_match_number(&c, 3.65));
    ck_assert(!scn_check_match_number(&c, 3.66)); /* no tolerance on range ends */
    c.kind = SCN_VAL_NUMBER;
    c.num = 3.65;
    ck_assert(scn_check_match_number(&c, 3.66));
    c.kind = SCN_VAL_BOOL;
    ck_assert(!scn_check_match_number(&c, 3.65));
}
END_TEST

START_TEST(led_words)
{
    ck_assert(scn_leds_valid("a0000111"));
    ck_assert(scn_leds_valid("cb10a010"));
    ck_assert(!scn_leds_valid("a000011"));
    ck_assert(!scn_leds_valid("a00001111"));
    ck_assert(!scn_leds_valid("a000011d"));
    ck_assert(!scn_leds_valid("A0000111"));
    ck_assert(!scn_leds_valid(NULL));
    ck_assert(scn_match_leds("a0000111", "a0000111"));
    ck_assert(!scn_match_leds("a0000111", "10000111"));
    ck_assert(!scn_match_leds("a0000111", "a0000111 "));
    ck_assert(!scn_match_leds("x", "x"));
}
END_TEST

/* What a check wants, as the failure line writes it. */
static const struct {
    struct scn_check c;
    const char *want;
} wanted[] = {
    {{.key = SCN_CHECK_STATE, .kind = SCN_VAL_NAME, .integer = BMS_STATE_DISCHARGE_PROTECT},
     "discharge_protect"},
    {{.key = SCN_CHECK_PROTECT, .kind = SCN_VAL_NAME, .integer = -1}, "none"},
    {{.key = SCN_CHECK_ALARM, .kind = SCN_VAL_NAME, .integer = BMS_ALARM_LINK_COMM},
     "link_comm"},
    {{.key = SCN_CHECK_FAULT, .kind = SCN_VAL_NAME, .integer = BMS_FAULT_FET}, "fet"},
    {{.key = SCN_CHECK_CELL_V_MAX, .kind = SCN_VAL_RANGE, .min = 2.5, .max = 3.65},
     "[2.5, 3.65]"},
    {{.key = SCN_CHECK_SOC, .kind = SCN_VAL_NUMBER, .num = 52.1}, "52.1"},
    {{.key = SCN_CHECK_DRY_PROHIBIT_CHARGE, .kind = SCN_VAL_BOOL, .flag = true}, "true"},
    {{.key = SCN_CHECK_ID, .kind = SCN_VAL_INT, .integer = 3}, "3"},
    {{.key = SCN_CHECK_CAN_PROTECT, .kind = SCN_VAL_IDS,
      .mask = (1u << BMS_PROT_CHARGE_OT) | (1u << BMS_PROT_CELL_OV)},
     "charge_ot|cell_ov"},
    {{.key = SCN_CHECK_CAN_PROTECT, .kind = SCN_VAL_IDS, .mask = 0}, "none"},
    {{.key = SCN_CHECK_CAN_ALARM, .kind = SCN_VAL_IDS, .mask = 1u << BMS_ALARM_STORAGE_TEMP},
     "storage_temp"},
};

START_TEST(wanted_values_as_text)
{
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        char b[128];
        scn_check_format_want(&wanted[i].c, b, sizeof b);
        ck_assert_str_eq(b, wanted[i].want);
    }
}
END_TEST

/* The example line of docs/spec/SCENARIO.md, from a loaded scenario. */
START_TEST(failure_line_of_the_spec)
{
    static const char text[] =
        "{\"format\": \"gtxsim-scenario/1\", \"duration\": \"6h\", \"packs\": [{}, {}],\n"
        " \"expect\": [{\"at\": \"1s\", \"soc\": 50}, {\"by\": \"30m\", \"pack\": 2, "
        "\"soc\": 1}, {\"from\": \"1h\", \"to\": \"2h\", \"pack\": \"system\", \"soc\": 1},\n"
        "  {\"at\": \"2h\", \"pack\": 1, \"leds\": \"a0000111\"}]}";
    struct scn_scenario scn;
    char err[SCN_ERR_MAX], line[512];
    ck_assert_msg(scn_load_text("x.json", text, strlen(text), &scn, err, sizeof err) == 0, "%s",
                  err);
    const struct scn_expect *e = &scn.expects[3];
    scn_format_failure(line, sizeof line, "scenarios/charge.json", e, &e->checks[0],
                       "00000000", "state uvp");
    ck_assert_str_eq(line, "scenarios/charge.json: expect[3] (at 2h, pack 1): leds wanted "
                           "a0000111, got 00000000 (state uvp)");
    scn_format_failure(line, sizeof line, "f.json", &scn.expects[1],
                       &scn.expects[1].checks[0], "3", NULL);
    ck_assert_str_eq(line, "f.json: expect[1] (by 30m, pack 2): soc wanted 1, got 3");
    scn_format_expect_label(line, sizeof line, &scn.expects[2]);
    ck_assert_str_eq(line, "expect[2] (from 1h to 2h, system)");
    scn_free(&scn);
}
END_TEST

START_TEST(failure_line_nested_key)
{
    struct scn_check c = {.key = SCN_CHECK_CAN_CCL_A, .kind = SCN_VAL_NUMBER, .num = 25};
    struct scn_expect e = {.index = 0, .when = SCN_WHEN_RUN, .pack = SCN_PACK_SYSTEM};
    strcpy(e.when_text, "whole run");
    char line[256];
    scn_format_failure(line, sizeof line, "f.json", &e, &c, "0", "");
    ck_assert_str_eq(line, "f.json: expect[0] (whole run, system): can.ccl_a wanted 25, got 0");
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("core", numbers_relative_tolerance),
    GTX_TEST(numbers_absolute_floor),
    GTX_TEST(ranges_inclusive),
    GTX_TEST(led_words),
    GTX_TEST(wanted_values_as_text),
    GTX_TEST(failure_line_of_the_spec),
    GTX_TEST(failure_line_nested_key),
};

int main(void)
{
    return gtx_check_main("scn_match", tests, GTX_COUNT(tests), 0, NULL, false);
}
