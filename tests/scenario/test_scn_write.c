/* test_scn_write: the exact bytes of the trace CSV (docs/spec/CLI.md's columns in
 * order, fixed number formats), candump -l lines, XML escaping and the JUnit
 * report.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/bms_ids.h"
#include "gtx/scn_write.h"

static struct scn_trace_row sample_row(void)
{
    struct scn_trace_row r = {
        .t_s = 3600.25,
        .pack = 1,
        .state = BMS_STATE_CHARGING,
        .leds = "1000011b",
        .lit = "10000110",
        .soc = 57,
        .true_soc = 56.789,
        .voltage_v = 53.2126,
        .current_a = 24.996,
        .cell_v_min = 3.3004,
        .cell_v_max = 3.3459,
        .temp_min_c = 24.96,
        .temp_max_c = 31.24,
        .cvl_v = 55.7,
        .ccl_a = 25.0,
        .dcl_a = 30.0,
        .dry_chg = false,
        .dry_dsg = true,
        .protect = (1u << BMS_PROT_CHARGE_OT) | (1u << BMS_PROT_CELL_OV),
        .fault = 0,
        .alarm = 1u << BMS_ALARM_INVERTER_LINK,
        .balancing = 0x8001,
    };
    for (int k = 0; k < SCN_CELLS; k++) {
        r.cell_v[k] = 3.3 + 0.001 * k;
        r.cell_temp_c[k] = 25.0 + 0.5 * k;
    }
    return r;
}

START_TEST(trace_header_is_cli_md)
{
    char b[SCN_TRACE_LINE_MAX];
    int n = scn_trace_header(b, sizeof b, 0);
    ck_assert_str_eq(b, "t_s,pack,state,leds,lit,soc,true_soc,voltage_v,current_a,cell_v_min,"
                        "cell_v_max,temp_min_c,temp_max_c,cvl_v,ccl_a,dcl_a,dry_chg,dry_dsg,"
                        "protect,fault,alarm,balancing\n");
    ck_assert_int_eq(n, (int)strlen(b));
    scn_trace_header(b, sizeof b, SCN_TRACE_CELLS);
    ck_assert_str_eq(b, "t_s,pack,state,leds,lit,soc,true_soc,voltage_v,current_a,cell_v_min,"
                        "cell_v_max,temp_min_c,temp_max_c,cvl_v,ccl_a,dcl_a,dry_chg,dry_dsg,"
                        "protect,fault,alarm,balancing,v1,v2,v3,v4,v5,v6,v7,v8,v9,v10,v11,v12,"
                        "v13,v14,v15,v16,t1,t2,t3,t4,t5,t6,t7,t8,t9,t10,t11,t12,t13,t14,t15,"
                        "t16\n");
    /* a replay's limit comes last, after the cells: the columns before keep their places */
    scn_trace_header(b, sizeof b, SCN_TRACE_LIMIT);
    ck_assert_str_eq(b, "t_s,pack,state,leds,lit,soc,true_soc,voltage_v,current_a,cell_v_min,"
                        "cell_v_max,temp_min_c,temp_max_c,cvl_v,ccl_a,dcl_a,dry_chg,dry_dsg,"
                        "protect,fault,alarm,balancing,limit\n");
    scn_trace_header(b, sizeof b, SCN_TRACE_CELLS | SCN_TRACE_LIMIT);
    ck_assert_ptr_nonnull(strstr(b, ",balancing,v1,"));
    ck_assert_ptr_nonnull(strstr(b, ",t15,t16,limit\n"));
}
END_TEST

/* sample_row() as a trace line, with or without the cell columns. */
static void assert_row(unsigned groups, const char *want)
{
    char b[SCN_TRACE_LINE_MAX];
    struct scn_trace_row r = sample_row();
    r.limit = "ccl";
    scn_trace_format_row(b, sizeof b, &r, groups);
    ck_assert_str_eq(b, want);
}

START_TEST(trace_row_formats)
{
    assert_row(0, "3600.250,1,charging,1000011b,10000110,57,56.79,53.213,25.00,3.300,3.346,"
                      "25.0,31.2,55.7,25.0,30.0,0,1,charge_ot|cell_ov,,inverter_link,32769\n");
    assert_row(SCN_TRACE_LIMIT, "3600.250,1,charging,1000011b,10000110,57,56.79,53.213,25.00,"
                                "3.300,3.346,25.0,31.2,55.7,25.0,30.0,0,1,charge_ot|cell_ov,,"
                                "inverter_link,32769,ccl\n");
}
END_TEST

START_TEST(trace_row_cells)
{
    assert_row(SCN_TRACE_CELLS, "3600.250,1,charging,1000011b,10000110,57,56.79,53.213,25.00,3.300,3.346,"
                     "25.0,31.2,55.7,25.0,30.0,0,1,charge_ot|cell_ov,,inverter_link,32769,"
                     "3.300,3.301,3.302,3.303,3.304,3.305,3.306,3.307,3.308,3.309,3.310,"
                     "3.311,3.312,3.313,3.314,3.315,"
                     "25.0,25.5,26.0,26.5,27.0,27.5,28.0,28.5,29.0,29.5,30.0,30.5,31.0,31.5,"
                     "32.0,32.5\n");
}
END_TEST

START_TEST(trace_no_negative_zero_and_10ms_steps)
{
    char b[SCN_TRACE_LINE_MAX];
    struct scn_trace_row r = {
        .t_s = 0.01, .pack = 4, .state = BMS_STATE_FAULT, .leds = "01000000",
        .lit = "01000000", .soc = 0, .true_soc = -0.001, .voltage_v = -0.0001,
        .current_a = -0.004, .cell_v_min = 2.0, .cell_v_max = 2.0, .temp_min_c = -0.04,
        .temp_max_c = -10.06, .fault = (1u << BMS_FAULT_NTC) | (1u << BMS_FAULT_CODING),
        .dry_chg = true, .dry_dsg = true,
        .alarm = (1u << BMS_ALARM_CELL_UV) | (1u << BMS_ALARM_STORAGE_TIME),
    };
    scn_trace_format_row(b, sizeof b, &r, 0);
    ck_assert_str_eq(b, "0.010,4,fault,01000000,01000000,0,0.00,0.000,0.00,2.000,2.000,0.0,-10.1,"
                        "0.0,0.0,0.0,1,1,,ntc|coding,cell_uv|storage_time,0\n");
}
END_TEST

START_TEST(trace_to_stream)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct scn_trace_row r = sample_row();
    ck_assert_int_eq(scn_trace_write_header(f, 0), 0);
    ck_assert_int_eq(scn_trace_write_row(f, &r, 0), 0);
    r.pack = 2;
    ck_assert_int_eq(scn_trace_write_row(f, &r, 0), 0);
    fclose(f);
    ck_assert_int_eq((int)len, 165 + 2 * 140); /* header + two rows */
    ck_assert(strstr(text, "\n3600.250,2,charging,") != NULL);
    free(text);
}
END_TEST

START_TEST(candump_lines)
{
    char b[128];
    struct board_can_frame f = {.id = 0x351, .dlc = 8,
                                .data = {0x2C, 0x02, 0xFA, 0x00, 0x2C, 0x01, 0xC8, 0x01}};
    scn_candump_format(b, sizeof b, 3723000001ull, "can0", &f);
    ck_assert_str_eq(b, "(0000003723.000001) can0 351#2C02FA002C01C801\n");
    struct board_can_frame g = {.id = 0x35C, .dlc = 2, .data = {0xC0, 0x00}};
    scn_candump_format(b, sizeof b, 0, "can0", &g);
    ck_assert_str_eq(b, "(0000000000.000000) can0 35C#C000\n");
    struct board_can_frame h = {.id = 0x305, .dlc = 0};
    scn_candump_format(b, sizeof b, 999999, "vcan0", &h);
    ck_assert_str_eq(b, "(0000000000.999999) vcan0 305#\n");
    struct board_can_frame x = {.id = 0x18FF50E5, .dlc = 3, .extended = true,
                                .data = {0x0a, 0xbc, 0xff}};
    scn_candump_format(b, sizeof b, 34560000000000ull, "can0", &x);
    ck_assert_str_eq(b, "(0034560000.000000) can0 18FF50E5#0ABCFF\n");
    struct board_can_frame s = {.id = 0x7, .dlc = 1, .data = {0x5}};
    scn_candump_format(b, sizeof b, 10000, "can0", &s);
    ck_assert_str_eq(b, "(0000000000.010000) can0 007#05\n");

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ck_assert_int_eq(scn_candump_write(out, 1500000, &g), 0);
    fclose(out);
    ck_assert_str_eq(text, "(0000000001.500000) can0 35C#C000\n");
    free(text);
}
END_TEST

START_TEST(xml_escaping)
{
    char b[128];
    size_t n = scn_xml_escape(b, sizeof b, "a<b & \"c\" 'd'>\n\t\x01\xc3\xa9\xff\xe2\x82");
    ck_assert_str_eq(b, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;&#9;?\xc3\xa9???");
    ck_assert_uint_eq(n, strlen(b));
    /* Overlong and surrogate forms are not UTF-8 either. */
    scn_xml_escape(b, sizeof b, "\xc0\xaf|\xed\xa0\x80|\xf0\x9f\x94\x8b");
    ck_assert_str_eq(b, "??|???|\xf0\x9f\x94\x8b");
    /* Too small a buffer: cut, terminated, full length returned. */
    n = scn_xml_escape(b, 5, "a&b");
    ck_assert_uint_eq(n, 7);
    ck_assert_str_eq(b, "a&am");
}
END_TEST

START_TEST(junit_document)
{
    const struct scn_junit_case cases[] = {
        {"expect[0] (at 5s, pack 1)", NULL, false, NULL},
        {"expect[1] (by 2h, pack 1)",
         "a&b.json: expect[1] (by 2h, pack 1): protect wanted charge_ot, got none (state "
         "<charging>)",
         false, NULL},
    };
    const struct scn_junit_case none[] = {{"expect[0] (whole run, system)", NULL, false, NULL},
                                          {"expect[1] (at 2h, system)", NULL, true, NULL}};
    /* A run stopped by a signal: the undecided case is an <error>, the suite
     * says how it was cut short. */
    const struct scn_junit_case cut[] = {
        {"expect[0] (at 5s, pack 1)", NULL, false, NULL},
        {"expect[1] (at 2h, pack 1)", "not decided", false, "not decided: interrupted at 90s"},
    };
    const struct scn_junit_suite suites[] = {
        {"hot \"garage\"", "a&b.json", cases, 2, NULL},
        {"quiet", NULL, none, 2, NULL},
        {"cut", "c.json", cut, 2, "SIGINT at simulated time 90s"},
    };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_int_eq(scn_junit_write(f, suites, 3), 0);
    fclose(f);
    ck_assert_str_eq(text,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"gtxsim\" tests=\"6\" failures=\"1\" errors=\"1\">\n"
        "  <testsuite name=\"hot &quot;garage&quot;\" tests=\"2\" failures=\"1\" errors=\"0\" "
        "skipped=\"0\" file=\"a&amp;b.json\">\n"
        "    <testcase name=\"expect[0] (at 5s, pack 1)\" classname=\"hot &quot;garage&quot;\"/>\n"
        "    <testcase name=\"expect[1] (by 2h, pack 1)\" classname=\"hot &quot;garage&quot;\">\n"
        "      <failure type=\"expectation\" message=\"a&amp;b.json: expect[1] (by 2h, pack 1): "
        "protect wanted charge_ot, got none (state &lt;charging&gt;)\">a&amp;b.json: expect[1] "
        "(by 2h, pack 1): protect wanted charge_ot, got none (state &lt;charging&gt;)</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "  <testsuite name=\"quiet\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\">\n"
        "    <testcase name=\"expect[0] (whole run, system)\" classname=\"quiet\"/>\n"
        "    <testcase name=\"expect[1] (at 2h, system)\" classname=\"quiet\">\n"
        "      <skipped message=\"not reached before --until\"/>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "  <testsuite name=\"cut\" tests=\"2\" failures=\"0\" errors=\"1\" skipped=\"0\" "
        "file=\"c.json\">\n"
        "    <properties>\n"
        "      <property name=\"interrupted\" value=\"SIGINT at simulated time 90s\"/>\n"
        "    </properties>\n"
        "    <testcase name=\"expect[0] (at 5s, pack 1)\" classname=\"cut\"/>\n"
        "    <testcase name=\"expect[1] (at 2h, pack 1)\" classname=\"cut\">\n"
        "      <error type=\"interrupted\" message=\"not decided: interrupted at 90s\"/>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
    free(text);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("core", trace_header_is_cli_md),
    GTX_TEST(trace_row_formats),
    GTX_TEST(trace_row_cells),
    GTX_TEST(trace_no_negative_zero_and_10ms_steps),
    GTX_TEST(trace_to_stream),
    GTX_TEST(candump_lines),
    GTX_TEST(xml_escaping),
    GTX_TEST(junit_document),
};

int main(void)
{
    return gtx_check_main("scn_write", tests, GTX_COUNT(tests), 0, NULL, false);
}
