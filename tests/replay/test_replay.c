/* test_replay: field-log replay (docs/replay.md). Each CSV variant gives the
 * exact values; each malformed file the exact message; a replayed day puts
 * the profile's energy into the pack; a year of 1-minute samples streams with
 * two samples per quantity in memory.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "gtx/cell_params_load.h"
#include "gtx/scenario.h"
#include "gtx/scn_canlog.h"
#include "gtx/scn_compare.h"
#include "gtx/scn_profile.h"
#include "gtx/scn_run.h"

static struct scn_scenario scn;
static char err[SCN_ERR_MAX];
static char dir[256];

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/replay-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void write_file(const char *name, const char *bytes, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

#define HEAD(dur) "{\"format\": \"gtxsim-scenario/1\", \"duration\": \"" dur "\", " \
                  "\"start\": \"2026-07-01T12:00:00\", \"packs\": [{\"soc\": 50}], "
#define SECONDS "\"time\": {\"column\": \"time\", \"format\": \"seconds\"}"

/* Writes day.csv and s.json ({HEAD, "profile": {"file": "day.csv", profile}})
 * and loads it: the loader's return value, err set. */
static int load_case(const char *head, const char *csv, size_t csv_len, const char *profile)
{
    char json[4096];
    write_file("day.csv", csv, csv_len);
    snprintf(json, sizeof json, "%s\"profile\": {\"file\": \"day.csv\", %s}}", head, profile);
    write_file("s.json", json, strlen(json));
    char path[512];
    snprintf(path, sizeof path, "%s/s.json", dir);
    return scn_load(path, &scn, err, sizeof err);
}

/* The pack's cell (REPLAY_CELL_FILE), for the tests that run. */
static void load_cell(struct cell_params *cell)
{
    ck_assert_ptr_nonnull(getenv("REPLAY_CELL_FILE"));
    ck_assert_msg(cell_params_load(getenv("REPLAY_CELL_FILE"), cell, err, sizeof err) == 0,
                  "%s", err);
}

/* Runs the loaded scenario quietly with a trace every every_s: the trace, rewound. */
static FILE *run_traced(double every_s, struct scn_run_result *res)
{
    struct cell_params cell;
    load_cell(&cell);
    FILE *trace = tmpfile();
    ck_assert_ptr_nonnull(trace);
    struct scn_run_opts opts = {.quiet = true, .trace = trace, .every_s = every_s};
    ck_assert_int_eq(scn_run(&scn, &cell, &opts, res, err, sizeof err), 0);
    rewind(trace);
    return trace;
}

/* The message without the temporary folder in front. */
static const char *rel(const char *msg)
{
    size_t n = strlen(dir);
    return strncmp(msg, dir, n) == 0 && msg[n] == '/' ? msg + n + 1 : msg;
}

/* ---- the variants, value by value ---- */

struct probe {
    double t_s;
    int q;          /* SCN_PQ_*, or -1: the drive (power or current), -2: off */
    double value;
};

static const struct variant {
    const char *name, *head, *csv, *profile;
    struct probe p[6];
} variants[] = {
    {"comma, step", HEAD("120s"), "time,P_bat\n0,100\n60,-200.5\n120,0\n",
     SECONDS ", \"battery_w\": {\"column\": \"P_bat\", \"sign\": \"charge_positive\"}, "
     "\"interpolate\": \"step\"",
     {{0, -1, 100}, {30, -1, 100}, {60, -1, -200.5}, {119.99, -1, -200.5}, {120, -1, 0}}},
    {"semicolon, decimal comma, kW, BOM, CRLF", HEAD("120s"),
     "\xef\xbb\xbftime;P_bat [kW]\r\n0;1,5\r\n60;-0,25\r\n120;0\r\n",
     SECONDS ", \"battery_w\": \"P_bat\"", {{0, -1, 1500}, {60, -1, -250}, {120, -1, 0}}},
    {"discharge_positive, unit (kW)", HEAD("120s"), "time,P_bat (kW)\n0,1.5\n60,-0.25\n",
     SECONDS ", \"battery_w\": {\"column\": \"P_bat\", \"sign\": \"discharge_positive\"}",
     {{0, -1, -1500}, {60, -1, 250}}},
    {"battery_a, mA", HEAD("120s"), "time,I [mA]\n0,20000\n60,-5000\n",
     SECONDS ", \"battery_a\": {\"column\": \"I\"}", {{0, -1, 20}, {60, -1, -5}}},
    {"pv_w and load_w", HEAD("120s"), "time,pv,load\n0,3000,500\n60,100,900\n",
     SECONDS ", \"pv_w\": \"pv\", \"load_w\": \"load\"",
     {{0, -1, 2500}, {0, SCN_PQ_PV_W, 3000}, {60, -1, -800}, {60, SCN_PQ_LOAD_W, 900}}},
    {"linear, 1 s resampling at the middle", HEAD("100s"), "time,P\n0,0\n100,1000\n",
     SECONDS ", \"battery_w\": \"P\", \"interpolate\": \"linear\"",
     {{0, -1, 5}, {50, -1, 505}, {99, -1, 995}}},
    {"irregular sampling, a gap is off", HEAD("1000s"), "time,P\n0,100\n10,200\n1000,300\n",
     SECONDS ", \"battery_w\": \"P\", \"gap\": \"60s\"",
     {{5, -1, 100}, {10, -2, 0}, {999, -2, 0}, {1000, -1, 300}}},
    {"a blank cell is off", HEAD("120s"), "time,P,soc\n0,100,50\n30,,51\n60,300,\n",
     SECONDS ", \"battery_w\": \"P\", \"soc_pct\": \"soc\"",
     {{0, -1, 100}, {30, -2, 0}, {30, SCN_PQ_SOC_PCT, 51}, {60, -1, 300}}},
    {"epoch with utc_offset", HEAD("120s"), "ts,P\n1782900000,100\n1782900060,200\n",
     "\"time\": {\"column\": \"ts\", \"format\": \"epoch\"}, \"utc_offset\": \"+02:00\", "
     "\"battery_w\": \"P\"", {{0, -1, 100}, {60, -1, 200}}},
    {"ISO 8601 local, Z and offset", HEAD("180s"),
     "t,P\n2026-07-01T12:00:00,100\n2026-07-01T10:01:00Z,200\n"
     "2026-07-01 13:02:00+03:00,300\n2026-07-01T12:03:00.500,400\n",
     "\"time\": {\"column\": \"t\", \"format\": \"iso8601\"}, \"utc_offset\": \"+02:00\", "
     "\"battery_w\": \"P\"", {{0, -1, 100}, {60, -1, 200}, {120, -1, 300}, {180.5, -1, 400}}},
    {"quotes and tabs, decimal comma", HEAD("60s"), "\"time\"\t\"P\"\n\"0\"\t\" 1,5 \"\n",
     SECONDS ", \"battery_w\": \"P\"", {{0, -1, 1.5}}},
    {"comparison columns with units", HEAD("60s"),
     "time,P,T [°C],grid,SOC [%],U [mV],I [A]\n"
     "0,1,21.5,on,55,52100,-3.5\n60,1,22,off,54,52000,3\n",
     SECONDS ", \"battery_w\": \"P\", \"ambient_c\": \"T\", \"grid\": \"grid\", "
     "\"soc_pct\": \"SOC\", \"voltage_v\": \"U\", \"current_a\": {\"column\": \"I\", "
     "\"sign\": \"discharge_positive\"}",
     {{0, SCN_PQ_AMBIENT_C, 21.5}, {0, SCN_PQ_GRID, 1}, {0, SCN_PQ_SOC_PCT, 55},
      {0, SCN_PQ_VOLTAGE_V, 52.1}, {0, SCN_PQ_CURRENT_A, 3.5}, {60, SCN_PQ_GRID, 0}}},
    {"inverter_cloud", HEAD("60s"),
     "Time,PV Power(W),Load Power(W),Battery Power(W),SOC(%)\r\n"
     "2026-07-01 12:00:00,1000,300,-700,50\r\n2026-07-01 12:01:00,0,500,500,49\r\n",
     "\"mapping\": \"inverter_cloud\"",
     {{0, -1, 700}, {0, SCN_PQ_SOC_PCT, 50}, {0, SCN_PQ_PV_W, 1000}, {60, -1, -500},
      {60, SCN_PQ_SOC_PCT, 49}}},
    {"inverter_cloud, PV and load drive", HEAD("60s"),
     "Time,PV Power(W),Load Power(W),Battery Power(W),SOC(%)\r\n"
     "2026-07-01 12:00:00,1000,300,-600,50\r\n2026-07-01 12:01:00,0,500,400,49\r\n",
     "\"mapping\": \"inverter_cloud\", \"battery_w\": null",
     {{0, -1, 700}, {60, -1, -500}, {60, SCN_PQ_BATTERY_W, NAN}}},
    {"home_assistant", HEAD("60s"),
     "entity_id,state,last_changed\n"
     "sensor.p,100,2026-07-01T10:00:00.000Z\nsensor.p,unavailable,2026-07-01T10:00:30Z\n"
     "sensor.p,-50.5,2026-07-01T10:01:00Z\n"
     "sensor.soc,55,2026-07-01T09:59:00Z\nsensor.soc,54,2026-07-01T10:00:45Z\n"
     "sensor.t,21.5,2026-07-01T04:00:00Z\n",
     "\"mapping\": \"home_assistant\", \"utc_offset\": \"+02:00\", "
     "\"battery_w\": {\"entity\": \"sensor.p\"}, \"soc_pct\": \"sensor.soc\", "
     "\"ambient_c\": \"sensor.t\"",
     {{0, -1, 100}, {0, SCN_PQ_SOC_PCT, 55}, {30, -2, 0}, {45, SCN_PQ_SOC_PCT, 54},
      {60, -1, -50.5}, {60, SCN_PQ_AMBIENT_C, 21.5}}},
    {"rows before the start", HEAD("60s"), "time,P\n-120,7\n-60,8\n0,9\n",
     SECONDS ", \"battery_w\": \"P\"", {{0, -1, 9}}},
};

START_TEST(variant_values)
{
    const struct variant *v = &variants[_i];
    ck_assert_msg(load_case(v->head, v->csv, strlen(v->csv), v->profile) == 0, "%s: %s",
                  v->name, err);
    struct scn_profile p;
    int bad;
    ck_assert_msg(scn_profile_open(&p, scn.profile, &bad, err, sizeof err) == 0, "%s", err);
    for (int k = 0; k < 6 && (k == 0 || v->p[k].t_s > 0); k++) {
        const struct probe *pr = &v->p[k];
        struct scn_profile_out o;
        uint64_t next;
        ck_assert_int_eq(scn_profile_at(&p, (uint64_t)llround(pr->t_s * 1000), &o, &next, err,
                                        sizeof err), 0);
        double got = pr->q == -1 ? (o.current ? o.drive_a : o.drive_w)
                   : pr->q == -2 ? (o.off ? 0.0 : 1.0)
                                 : o.v[pr->q];
        if (pr->q == -1)
            ck_assert_msg(!o.off, "%s: off at %g s", v->name, pr->t_s);
        if (isnan(pr->value))
            ck_assert_msg(isnan(got), "%s: quantity %d is %g", v->name, pr->q, got);
        else
            ck_assert_msg(fabs(got - pr->value) < 1e-9, "%s: at %g s quantity %d is %.12g, "
                      "expected %.12g", v->name, pr->t_s, pr->q, got, pr->value);
    }
    scn_profile_close(&p);
    scn_free(&scn);
}
END_TEST

/* Linear interpolation changes the set-point on the 1 s grid; a step only at samples. */
START_TEST(next_change_times)
{
    const char *csv = "time,P\n0,0\n2.5,10\n100,10\n";
    ck_assert_msg(load_case(HEAD("100s"), csv, strlen(csv), SECONDS ", \"battery_w\": \"P\", "
                            "\"interpolate\": \"linear\"") == 0, "%s", err);
    struct scn_profile p;
    int bad;
    ck_assert_int_eq(scn_profile_open(&p, scn.profile, &bad, err, sizeof err), 0);
    struct scn_profile_out o;
    /* the last sample holds for the gap (15 min), then the log says nothing */
    uint64_t next, expect[] = {1000, 2000, 2500, 100000, 1000000, UINT64_MAX};
    uint64_t t = 0;
    for (int k = 0; k < 6; k++) {
        ck_assert_int_eq(scn_profile_at(&p, t, &o, &next, err, sizeof err), 0);
        ck_assert_uint_eq(next, expect[k]);
        if (k == 4)
            ck_assert_double_eq_tol(o.drive_w, 10.0, 1e-12);
        t = next;
    }
    ck_assert(o.off);
    scn_profile_close(&p);
    scn_free(&scn);
}
END_TEST

/* ---- malformed files, message by message ---- */

static const struct bad {
    const char *csv, *profile, *message;
} bads[] = {
    {"time,P\n0,1\n60,x\n", NULL,
     "day.csv:3:4: error: bad number 'x' in column 'P' (expected a number such as 1250.5)"},
    {"time;P\n0;1\n60;12W\n", NULL,
     "day.csv:3:4: error: bad number '12W' in column 'P' (expected a number such as 1250,5 or "
     "1250.5)"},
    {"time,P\n0,nan\n", NULL,
     "day.csv:2:3: error: bad number 'nan' in column 'P' (expected a number such as 1250.5)"},
    {"time,P\n0,1\nabc,2\n", NULL,
     "day.csv:3:1: error: bad time 'abc' in column 'time' (expected seconds from the "
     "scenario's start, such as 60 or 90.5)"},
    {"time,P\n0,1\n60,2\n30,3\n", NULL,
     "day.csv:4:1: error: time goes backwards: '30' is earlier than row 3's (expected rows in "
     "time order)"},
    {"time,P [kVA]\n0,1\n", NULL,
     "day.csv:1:6: error: unknown unit 'kVA' in column 'P' for battery_w (expected W or kW)"},
    {"time,Q\n0,1\n", NULL,
     "s.json:1:200: error: no column 'P' in day.csv (expected one of the header's columns: "
     "time, Q)"},
    {"tijd,P\n0,1\n", NULL,
     "s.json:1:157: error: no column 'time' in day.csv (expected one of the header's columns: "
     "tijd, P)"},
    {"time,P\n0,1\n60,2\n", NULL,
     "day.csv:3:1: error: the log ends at 1m, before the scenario's duration 1h (expected "
     "samples up to within the gap 15m of it, or a shorter duration)"},
    {"", NULL, "day.csv:1:1: error: the file is empty (expected a header row naming the "
     "columns)"},
    {"\n  \n", NULL, "day.csv:1:1: error: the file is empty (expected a header row naming "
     "the columns)"},
    {"time,P\n0,\"1\n", NULL,
     "day.csv:2:3: error: quote not closed (expected a closing '\"' on the same row)"},
    {"time,P\n0,\"1\"2\n", NULL,
     "day.csv:2:6: error: text after a closing quote (expected ',' or the end of the row)"},
    {"time,P\n", NULL,
     "s.json:1:200: error: no data rows for column P in day.csv (expected at least one "
     "sample)"},
    {"time,P\n0,1\n", "\"battery_w\": {\"column\": \"P\", \"unit\": \"hp\"}",
     "s.json:1:200: error: unknown unit 'hp' for battery_w (expected W or kW)"},
    {"time,P,g\n0,1,maybe\n", "\"battery_w\": \"P\", \"grid\": \"g\"",
     "day.csv:2:5: error: bad grid state 'maybe' in column 'g' (expected on, off, true, false, "
     "yes, no, 1 or 0)"},
    {"time,P,T\n0,1,90\n", "\"battery_w\": \"P\", \"ambient_c\": \"T\"",
     "day.csv:2:5: error: ambient 90 in column 'T' is out of range (expected -40 to 85 °C)"},
    {"time,P\n0,1\n3600,2,\n", "\"battery_w\": \"P\", \"grid\": null",
     NULL}, /* a trailing empty column is no error */
    {"time,P\n0,1\n60,2e\n", NULL,
     "day.csv:3:4: error: bad number '2e' in column 'P' (expected a number such as 1250.5)"},
    {"time,P\n0,1\n60;2\n", NULL,
     "day.csv:3:1: error: bad time '60;2' in column 'time' (expected seconds from the "
     "scenario's start, such as 60 or 90.5)"},
    {"time,P\n0,1\n60\n", NULL,
     "day.csv:3:3: error: the row ends before column 'P' (expected 2 columns as in the header)"},
    {"time,P\n0,1\n", "\"battery_w\": \"P\", \"battery_a\": \"P\"",
     "s.json:1:205: error: 'battery_a' together with 'battery_w' in profile (expected one of "
     "them)"},
    {"time,P\n0,1\n", "\"pv_w\": \"P\"",
     "s.json:1:187: error: 'pv_w' without 'load_w' in profile (expected both pv_w and load_w, "
     "or battery_w or battery_a)"},
};

START_TEST(bad_files)
{
    const struct bad *b = &bads[_i];
    char profile[512];
    snprintf(profile, sizeof profile, SECONDS ", %s",
             b->profile ? b->profile : "\"battery_w\": \"P\"");
    int rc = load_case(HEAD("1h"), b->csv, strlen(b->csv), profile);
    if (!b->message) {
        ck_assert_msg(rc == 0, "%s", err);
        scn_free(&scn);
        return;
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(rel(err), b->message);
}
END_TEST

static const struct bad bads_ha[] = {
    {"entity_id,state,last_changed\nsensor.q,1,2026-07-01T12:00:00\n", NULL,
     "s.json:1:180: error: no rows for entity sensor.p in day.csv (expected at least one "
     "sample)"},
    {"entity,state,last_changed\nsensor.p,1,2026-07-01T12:00:00\n", NULL,
     "day.csv:1:1: error: no column 'entity_id' in a Home Assistant history file (expected "
     "the header entity_id,state,last_changed; it has entity, state, last_changed)"},
    {"entity_id,state,last_changed\nsensor.p,1,2026-07-01T12:00:00\nsensor.p,on,"
     "2026-07-01T12:30:00\n", NULL,
     "day.csv:3:10: error: bad number 'on' in column 'state' (expected a number such as "
     "1250.5)"},
    {"entity_id,state,last_changed\nsensor.p,1,2026-07-01T12:00:00\nsensor.p,2,"
     "2026-13-01T12:30:00\n", NULL,
     "day.csv:3:12: error: bad time '2026-13-01T12:30:00' in column 'last_changed' (expected "
     "an ISO 8601 time such as 2026-07-01T12:00:00)"},
    {"entity_id,state,last_changed\n", "\"battery_w\": {\"column\": \"P\"}",
     "s.json:1:181: error: 'column' in profile.battery_w of a home_assistant profile "
     "(expected 'entity')"},
};

START_TEST(bad_home_assistant)
{
    const struct bad *b = &bads_ha[_i];
    char profile[512];
    snprintf(profile, sizeof profile, "\"mapping\": \"home_assistant\", %s",
             b->profile ? b->profile : "\"battery_w\": \"sensor.p\"");
    ck_assert_int_eq(load_case(HEAD("1h"), b->csv, strlen(b->csv), profile), -1);
    ck_assert_str_eq(rel(err), b->message);
}
END_TEST

START_TEST(long_row_and_many_columns)
{
    static char csv[SCN_CSV_LINE_MAX + 64];
    size_t n = (size_t)snprintf(csv, sizeof csv, "time,P\n0,");
    memset(csv + n, '1', SCN_CSV_LINE_MAX);
    csv[n + SCN_CSV_LINE_MAX] = '\n';
    ck_assert_int_eq(load_case(HEAD("1h"), csv, n + SCN_CSV_LINE_MAX + 1,
                               SECONDS ", \"battery_w\": \"P\""), -1);
    ck_assert_str_eq(rel(err), "day.csv:2:1: error: row longer than 4096 bytes (expected a CSV "
                     "row of a field log)");
    n = (size_t)snprintf(csv, sizeof csv, "time,P");
    for (int i = 0; i < SCN_CSV_FIELDS_MAX; i++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, ",c");
    ck_assert_int_eq(load_case(HEAD("1h"), csv, n, SECONDS ", \"battery_w\": \"P\""), -1);
    ck_assert_str_eq(rel(err), "day.csv:1:132: error: more than 64 columns (expected at most "
                     "64)");
}
END_TEST

START_TEST(missing_file)
{
    char json[512];
    snprintf(json, sizeof json, HEAD("1h") "\"profile\": {\"file\": \"none.csv\", " SECONDS
             ", \"battery_w\": \"P\"}}");
    write_file("s.json", json, strlen(json));
    char path[512];
    snprintf(path, sizeof path, "%s/s.json", dir);
    ck_assert_int_eq(scn_load(path, &scn, err, sizeof err), -1);
    ck_assert_str_eq(rel(err), "none.csv: error: cannot read: No such file or directory "
                     "(expected a CSV file)");
}
END_TEST

/* ---- a replayed day: the energy into the pack is the profile's ---- */

/* Hourly samples, W, charge in the day and discharge at night, within the
 * BMS's limits (the 2.56 kWh pack goes from 30 % through 21 % to 75 %) and
 * never at 0 W (where the inverter's standby would draw). */
static const double day_w[25] = {
    -60, -52, -45, -45, -38, -38, -45, 30, 90, 135, 180, 210, 225,
    210, 180, 135, 75, -45, -105, -135, -120, -105, -90, -75, -60,
};

START_TEST(day_energy)
{
    if (getenv("REPLAY_SKIP_SLOW"))
        return;
    char csv[2048];
    size_t n = (size_t)snprintf(csv, sizeof csv, "time,P [W]\n");
    for (int h = 0; h <= 24; h++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%d,%g\n", h * 3600, day_w[h]);
    const char *head = "{\"format\": \"gtxsim-scenario/1\", \"duration\": \"24h\", "
                       "\"packs\": [{\"soc\": 30}], ";
    ck_assert_msg(load_case(head, csv, n, SECONDS ", \"battery_w\": \"P\", \"interpolate\": "
                            "\"linear\", \"gap\": \"2h\"") == 0, "%s", err);
    /* the profile's integral: trapezoids of the hourly line */
    double want_j = 0.0;
    for (int h = 0; h < 24; h++)
        want_j += 0.5 * (day_w[h] + day_w[h + 1]) * 3600.0;
    struct scn_run_result res;
    FILE *trace = run_traced(60.0, &res);
    ck_assert_int_eq(res.failed, 0);
    /* no limit intervened: the trace's limit column is empty after the BMS's first frames */
    char line[4096];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, trace));
    ck_assert_ptr_nonnull(strstr(line, ",limit\n"));
    int rows = 0;
    while (fgets(line, sizeof line, trace)) {
        const char *limit = strrchr(line, ',') + 1;
        ck_assert_msg(strcmp(limit, "\n") == 0 || (rows == 0 && strcmp(limit, "waiting\n") == 0),
                      "a limit in a day that has none: %s", line);
        rows++;
    }
    ck_assert_int_eq(rows, 24 * 60 + 1);
    fclose(trace);
    double got_j = res.energy[0].terminal_j;
    ck_assert_msg(fabs(got_j - want_j) <= 0.01 * fabs(want_j), "pack took %.0f J, the profile "
                  "says %.0f J (%.3f %%)", got_j, want_j, 100.0 * (got_j - want_j) / want_j);
    if (getenv("REPLAY_SAY"))
        printf("day energy: pack %.3f Wh, profile %.3f Wh, %+.4f %%\n", got_j / 3600.0,
               want_j / 3600.0, 100.0 * (got_j - want_j) / want_j);
    ck_assert_uint_eq(res.replay.profile_rows, 25);
    scn_run_free(&res);
    scn_free(&scn);
}
END_TEST

/* ---- a year of 1-minute samples streams ---- */

START_TEST(year_streams)
{
    char path[512];
    snprintf(path, sizeof path, "%s/day.csv", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("time;P_bat [kW];SOC [%]\r\n", f);
    for (long i = 0; i < 525600; i++)
        fprintf(f, "%ld;%ld,%03ld;%ld\r\n", i * 60, (i % 7) - 3, i % 1000, 20 + i % 60);
    fclose(f);
    char json[1024];
    snprintf(json, sizeof json, HEAD("365d") "\"profile\": {\"file\": \"day.csv\", " SECONDS
             ", \"battery_w\": \"P_bat\", \"soc_pct\": \"SOC\"}}");
    write_file("s.json", json, strlen(json));
    snprintf(path, sizeof path, "%s/s.json", dir);
    ck_assert_msg(scn_load(path, &scn, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(scn.profile->rows, 525600);
    struct scn_profile *p = malloc(sizeof *p);
    int bad;
    ck_assert_int_eq(scn_profile_open(p, scn.profile, &bad, err, sizeof err), 0);
    uint64_t t = 0, next, changes = 0;
    struct scn_profile_out o;
    do {
        ck_assert_int_eq(scn_profile_at(p, t, &o, &next, err, sizeof err), 0);
        if (t == 1000 * 60 * 525599ull) /* the last row: i = 525599 */
            ck_assert_double_eq_tol(o.drive_w, 1000.0 * ((525599 % 7) - 3) + 599.0, 1e-9);
        changes++;
        t = next;
    } while (next != UINT64_MAX);
    ck_assert_uint_eq(changes, 525600 + 1); /* every row, then the end of the last one's hold */
    ck_assert_uint_eq(p->ch[SCN_PQ_BATTERY_W].csv.rows, 525600);
    ck_assert_uint_le(p->samples_held_peak, 4); /* two samples per quantity, never more */
    ck_assert_uint_le(p->ch[SCN_PQ_BATTERY_W].csv.peak_line_bytes, 32);
    scn_profile_close(p);
    free(p);
    scn_free(&scn);
}
END_TEST

/* ---- a CAN log as input ---- */

static int load_canlog(const char *log, const char *can_log)
{
    char json[1024];
    write_file("f.log", log, strlen(log));
    snprintf(json, sizeof json, HEAD("1h") "\"inverter\": null, \"can_log\": {\"file\": "
             "\"f.log\"%s}}", can_log);
    write_file("s.json", json, strlen(json));
    char path[512];
    snprintf(path, sizeof path, "%s/s.json", dir);
    return scn_load(path, &scn, err, sizeof err);
}

static const struct canlog_variant {
    const char *name, *log, *can_log;
    int n;
    struct {
        int64_t t_us;
        uint32_t id;
        bool ext;
        int dlc;
        uint8_t data[8];
    } f[3];
} canlog_variants[] = {
    {"candump -l, first frame at 0", "(100.250000) can0 305#0011223344556677\r\n"
     "# a comment\n\n(100.750000) can0 351#2D02FA00\n(101.5) vcan1 18FF50E5#01.02\n", "",
     2, {{0, 0x305, false, 8, {0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}},
         {1250000, 0x18FF50E5, true, 2, {1, 2}}}},
    {"candump -ta, at 30s", "(1782900000.000000)  can0  305   [2]  AB CD\n"
     "(1782900001.000001)  can0  305   [0]\n", ", \"at\": \"30s\"",
     2, {{30000000, 0x305, false, 2, {0xab, 0xcd}}, {31000001, 0x305, false, 0, {0}}}},
    {"python-can, clock with utc_offset",
     "Timestamp: 1782900000.500000    ID: 0305    S Rx                DL:  8    "
     "00 00 00 00 00 00 00 01     Channel: can0\n"
     "Timestamp: 1782900060.000000    ID: 18ff50e5    X Rx                DL:  1    ff\n",
     ", \"align\": \"clock\", \"utc_offset\": \"+02:00\"",
     2, {{500000, 0x305, false, 8, {0, 0, 0, 0, 0, 0, 0, 1}},
         {60000000, 0x18FF50E5, true, 1, {0xff}}}},
    {"ids chooses, before the start is dropped",
     "(1782899999.000000) can0 305#01\n(1782900000.000000) can0 351#02\n"
     "(1782900001.000000) can0 305#03\n(1782900002.000000) can0 306#04\n",
     ", \"align\": \"clock\", \"utc_offset\": \"+02:00\", \"ids\": [\"305\", \"0x351\"]",
     2, {{0, 0x351, false, 1, {2}}, {1000000, 0x305, false, 1, {3}}}},
};

START_TEST(canlog_frames)
{
    const struct canlog_variant *v = &canlog_variants[_i];
    ck_assert_msg(load_canlog(v->log, v->can_log) == 0, "%s: %s", v->name, err);
    ck_assert_uint_eq(scn.can_log->frames, (uint64_t)v->n);
    struct scn_canlog c;
    ck_assert_int_eq(scn_canlog_open(&c, scn.can_log, err, sizeof err), 0);
    for (int k = 0; k < v->n; k++) {
        ck_assert_msg(scn_canlog_next(&c, err, sizeof err) == 1, "%s", err);
        ck_assert_int_eq(c.next_us, v->f[k].t_us);
        ck_assert_uint_eq(c.next.id, v->f[k].id);
        ck_assert(c.next.extended == v->f[k].ext);
        ck_assert_int_eq(c.next.dlc, v->f[k].dlc);
        ck_assert_mem_eq(c.next.data, v->f[k].data, (size_t)v->f[k].dlc);
    }
    ck_assert_int_eq(scn_canlog_next(&c, err, sizeof err), 0);
    ck_assert_uint_eq(scn_canlog_next_change_ms(&c), UINT64_MAX);
    scn_canlog_close(&c);
    scn_free(&scn);
}
END_TEST

static const struct {
    const char *log, *message;
} canlog_bads[] = {
    {"(1.0) can0 3051#00\n", "f.log:1:12: error: bad CAN id '3051' (expected 3 hex digits up "
     "to 7FF, or 8 up to 1FFFFFFF)"},
    {"(1.0) can0 805#00\n", "f.log:1:12: error: bad CAN id '805' (expected 3 hex digits up to "
     "7FF, or 8 up to 1FFFFFFF)"},
    {"(1.0) can0 305#0G\n", "f.log:1:16: error: bad data '0G' (expected hex bytes, two digits "
     "each)"},
    {"(1.0) can0 305#001\n", "f.log:1:18: error: bad data '1' (expected hex bytes, two digits "
     "each)"},
    {"(1.0) can0 305#000102030405060708\n", "f.log:1:32: error: more than 8 data bytes "
     "(expected at most 8)"},
    {"(1.0) can0 305##1001122\n", "f.log:1:16: error: a CAN FD frame (expected a classic CAN "
     "data frame)"},
    {"(1.0) can0 305#R\n", "f.log:1:16: error: a remote frame (expected a classic CAN data "
     "frame)"},
    {"(1.x) can0 305#00\n", "f.log:1:2: error: bad timestamp (expected seconds such as "
     "1782900000.250000 between the parentheses)"},
    {"(2.0) can0 305#00\n(1.0) can0 305#00\n", "f.log:2:1: error: time goes backwards "
     "(expected lines in time order)"},
    {"can0 305#00\n", "f.log:1:1: error: unknown line (expected a candump line such as "
     "'(1782900000.000000) can0 305#0000000000000000' or python-can's 'Timestamp: "
     "1782900000.000000 ID: 0305 S Rx DL: 8 00 00 00 00 00 00 00 00')"},
    {"(1.0) can0\n", "f.log:1:11: error: no frame after the timestamp (expected a candump "
     "line such as '(1782900000.000000) can0 305#0000000000000000' or python-can's "
     "'Timestamp: 1782900000.000000 ID: 0305 S Rx DL: 8 00 00 00 00 00 00 00 00')"},
    {"(1.0) can0 305 [9] 00\n", "f.log:1:16: error: bad length (expected [0] to [8] after the "
     "id)"},
    {"(1.0) can0 305 [2] 00\n", "f.log:1:22: error: bad data byte '' (expected 2 hex bytes)"},
    {"(1.0) can0 305#00 junk\n", "f.log:1:19: error: text after the frame (expected the end "
     "of the line)"},
    {"Timestamp: 1.0 ID: 0305 S E Rx DL: 0\n", "f.log:1:27: error: an error frame (expected a "
     "classic CAN data frame)"},
    {"Timestamp: 1.0 ID: 0305 S Rx\n", "f.log:1:29: error: no 'DL:' (expected a candump line "
     "such as '(1782900000.000000) can0 305#0000000000000000' or python-can's 'Timestamp: "
     "1782900000.000000 ID: 0305 S Rx DL: 8 00 00 00 00 00 00 00 00')"},
    {"Timestamp: 1.0 ID: 0905 S Rx DL: 0\n", "f.log:1:20: error: bad CAN id '0905' (expected "
     "hex up to 7FF, or 1FFFFFFF with X)"},
};

START_TEST(canlog_bad_lines)
{
    ck_assert_int_eq(load_canlog(canlog_bads[_i].log, ""), -1);
    ck_assert_str_eq(rel(err), canlog_bads[_i].message);
}
END_TEST

/* ---- the inverter's limits, named in the run's log ---- */

/* 3000 W asked of a pack whose BMS allows 25 A: the log names the CCL; then
 * 500 W of discharge it can follow. */
START_TEST(limits_named)
{
    const char *csv = "time,P\n0,3000\n60,3000\n120,-500\n300,-500\n";
    ck_assert_msg(load_case(HEAD("300s"), csv, strlen(csv), SECONDS ", \"battery_w\": \"P\"")
                  == 0, "%s", err);
    struct cell_params cell;
    load_cell(&cell);
    FILE *log = tmpfile();
    ck_assert_ptr_nonnull(log);
    struct scn_run_opts opts = {.log = log};
    struct scn_run_result res;
    ck_assert_int_eq(scn_run(&scn, &cell, &opts, &res, err, sizeof err), 0);
    rewind(log);
    char line[512];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, log));
    const char *want = "s.json: profile at 2026-07-01 12:00:00: the inverter holds the charge "
                       "at the BMS's CCL 25.0 A (the profile asks ";
    ck_assert_msg(strncmp(rel(line), want, strlen(want)) == 0, "%s", line);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, log));
    ck_assert_str_eq(rel(line), "s.json: profile at 2026-07-01 12:02:00: the inverter follows "
                     "the profile again\n");
    ck_assert_ptr_null(fgets(line, sizeof line, log));
    fclose(log);
    scn_run_free(&res);
    scn_free(&scn);
}
END_TEST

/* ---- the limit in the trace ---- */

/* A 2 h profile of constant battery power against the BMS's and the
 * inverter's limits: the trace's last column names the limit at each row. */
static const struct limit_case {
    const char *name, *inverter;
    int soc, power_w;
    struct {
        int t_s;
        const char *limit;
    } at[5];
} limit_cases[] = {
    {"charging into full, lithium", "{\"mode\": \"lithium\"}", 90, 600,
     {{0, "waiting"}, {600, ""}, {1500, "ccl"}, {2000, "cvl"}, {2400, "no_charge"}}},
    {"discharging to min SOC, lithium", "{\"mode\": \"lithium\"}", 12, -1000,
     {{60, ""}, {600, "min_soc"}}},
    {"manual, its own cut-off", "{\"mode\": \"manual\", \"cutoff_voltage_v\": 50}", 12,
     -1000, {{60, ""}, {600, "inv_cutoff"}}},
    {"manual, its own current, then the pack opens",
     "{\"mode\": \"manual\", \"cutoff_voltage_v\": 40, \"discharge_current_a\": 10}", 12,
     -1000, {{600, "inv_dcl"}, {1800, "pack_open"}}},
};

/* The trace's field `name` of pack 1's row at t_s ("" when no such row). */
static void trace_field(FILE *trace, int t_s, const char *name, char *out, size_t len)
{
    char line[4096], want[32];
    rewind(trace);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, trace));
    int col = 0;
    for (char *h = strtok(line, ",\n"); h && strcmp(h, name) != 0; h = strtok(NULL, ",\n"))
        col++;
    snprintf(want, sizeof want, "%d.000,1,", t_s);
    out[0] = '\0';
    while (fgets(line, sizeof line, trace)) {
        if (strncmp(line, want, strlen(want)) != 0)
            continue;
        char *p = line;
        for (int k = 0; k < col && p; k++)
            p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
        ck_assert_ptr_nonnull(p);
        snprintf(out, len, "%.*s", (int)strcspn(p, ",\n"), p);
        return;
    }
    ck_abort_msg("no trace row at %d s", t_s);
}

START_TEST(limits_in_trace)
{
    const struct limit_case *lc = &limit_cases[_i];
    char csv[128], head[512], line[4096];
    int n = snprintf(csv, sizeof csv, "time,P\n0,%d\n7200,%d\n", lc->power_w, lc->power_w);
    snprintf(head, sizeof head, "{\"format\": \"gtxsim-scenario/1\", \"duration\": \"2h\", "
             "\"packs\": [{\"soc\": %d}], \"inverter\": %s, ", lc->soc, lc->inverter);
    ck_assert_msg(load_case(head, csv, (size_t)n, SECONDS ", \"battery_w\": \"P\", \"gap\": "
                            "\"3h\"") == 0, "%s", err);
    struct scn_run_result res;
    FILE *trace = run_traced(10.0, &res);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, trace));
    ck_assert_msg(strstr(line, ",alarm,balancing,limit\n"), "%s", line); /* appended, last */
    for (int k = 0; k < 5 && lc->at[k].limit; k++) {
        trace_field(trace, lc->at[k].t_s, "limit", line, sizeof line);
        ck_assert_msg(strcmp(line, lc->at[k].limit) == 0, "%s: at %d s the limit is '%s', "
                      "expected '%s'", lc->name, lc->at[k].t_s, line, lc->at[k].limit);
    }
    fclose(trace);
    scn_run_free(&res);
    scn_free(&scn);
}
END_TEST

/* ---- comparison ---- */

START_TEST(compare_format)
{
    struct scn_compare_stat st = {.used = true, .tolerance = 5.0};
    char line[256];
    scn_compare_format(&st, SCN_CMP_SOC, line, sizeof line);
    ck_assert_str_eq(line, "soc_pct: no points");
    scn_compare_add(&st, 0.0, 50.0, 50.0);
    scn_compare_add(&st, 60.0, 53.0, 50.0);
    scn_compare_add(&st, 3600.0, 40.0, 50.0);
    scn_compare_add(&st, 7200.0, 50.0, 41.0);
    scn_compare_format(&st, SCN_CMP_SOC, line, sizeof line);
    /* rms of 0, 3, 10, 9: sqrt(190 / 4) = 6.892 */
    ck_assert_str_eq(line, "soc_pct: 4 points, rms 6.89, max 10 at 1h, first beyond 5 at 1h");
    struct scn_compare_stat v = {.used = true, .tolerance = 1.0};
    scn_compare_add(&v, 90.0, 52.0, 52.5);
    scn_compare_format(&v, SCN_CMP_VOLTAGE, line, sizeof line);
    ck_assert_str_eq(line, "voltage_v: 1 points, rms 0.5, max 0.5 at 90s, never beyond 1");
}
END_TEST

/* The logged SOC jumps 10 points at 300 s while the simulated pack charges
 * on at 10 A: the comparison sees it part ways there and not before. The
 * logged current is 0 at t = 0, as the simulated one (the inverter waits for
 * the BMS's first 0x351), then 10 A. */
START_TEST(compare_run)
{
    char csv[1024];
    size_t n = (size_t)snprintf(csv, sizeof csv, "time,I [A],soc [%%],U [V],I_bms\n");
    for (int t = 0; t <= 600; t += 60)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%d,10,%d,53,%d\n", t, t < 300 ? 50 : 60,
                              t ? 10 : 0);
    ck_assert_msg(load_case(HEAD("600s"), csv, n, SECONDS ", \"battery_a\": \"I\", "
                            "\"current_a\": \"I_bms\", \"soc_pct\": \"soc\", \"voltage_v\": "
                            "\"U\", \"tolerance\": {\"soc_pct\": 5}") == 0, "%s", err);
    struct cell_params cell;
    load_cell(&cell);
    FILE *out = tmpfile();
    ck_assert_ptr_nonnull(out);
    struct scn_run_opts opts = {.quiet = true, .compare = out};
    struct scn_run_result res;
    ck_assert_int_eq(scn_run(&scn, &cell, &opts, &res, err, sizeof err), 0);
    const struct scn_compare_stat *soc = &res.replay.compare[SCN_CMP_SOC];
    const struct scn_compare_stat *cur = &res.replay.compare[SCN_CMP_CURRENT];
    ck_assert(soc->used && cur->used && res.replay.compare[SCN_CMP_VOLTAGE].used);
    ck_assert_uint_eq(soc->n, 11);
    ck_assert_double_eq(soc->first_beyond_t_s, 300.0);
    ck_assert_double_eq(soc->tolerance, 5.0);
    ck_assert_uint_eq(cur->n, 11);
    ck_assert_double_lt(cur->first_beyond_t_s, 0.0); /* the current follows the log */
    ck_assert_double_lt(cur->max_abs, 0.5);
    rewind(out);
    char line[256];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, out));
    ck_assert_str_eq(line, "t_s,soc_log_pct,soc_sim_pct,voltage_log_v,voltage_sim_v,"
                     "current_log_a,current_sim_a\n");
    ck_assert_ptr_nonnull(fgets(line, sizeof line, out));
    ck_assert_int_eq(strncmp(line, "0.000,50.00,50.00,53.000,", 25), 0);
    int rows = 1;
    while (fgets(line, sizeof line, out))
        rows++;
    ck_assert_int_eq(rows, 11);
    fclose(out);
    scn_run_free(&res);
    scn_free(&scn);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE_LOOP("variants", variant_values, 0, GTX_COUNT(variants)),
    GTX_TEST(next_change_times),
    GTX_CASE_LOOP("errors", bad_files, 0, GTX_COUNT(bads)),
    GTX_LOOP(bad_home_assistant, 0, GTX_COUNT(bads_ha)),
    GTX_TEST(long_row_and_many_columns),
    GTX_TEST(missing_file),
    GTX_CASE_LOOP("can_log", canlog_frames, 0, GTX_COUNT(canlog_variants)),
    GTX_LOOP(canlog_bad_lines, 0, GTX_COUNT(canlog_bads)),
    GTX_CASE("limits", limits_named),
    GTX_CASE_LOOP("limit column", limits_in_trace, 0, GTX_COUNT(limit_cases)),
    GTX_CASE("compare", compare_format),
    GTX_TEST(compare_run),
    GTX_CASE("energy", day_energy),
    GTX_CASE("year", year_streams),
};

int main(void)
{
    return gtx_check_main("replay", tests, GTX_COUNT(tests), 120, setup, false);
}
