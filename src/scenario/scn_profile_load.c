/* scn_profile_load: the scenario's "profile" key (docs/replay.md): the CSV's
 * mapping checked like every other object of the file, the ready mappings
 * filled in, and the whole CSV read once so that a bad row, a missing column
 * or a log shorter than the scenario stops it before anything runs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/scn_profile.h"
#include "scn_schema.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))

enum { MAP_GENERIC, MAP_INVERTER_CLOUD, MAP_HOME_ASSISTANT };
static const char *const mapping_names[] = {"generic", "inverter_cloud", "home_assistant"};
static const char *const time_format_names[] = {"seconds", "epoch", "iso8601"};
static const char *const interp_names[] = {"step", "linear"};
static const char *const sign_names[] = {"charge_positive", "discharge_positive"};

struct top_scratch {
    int mapping, interp;
    double resample_s, gap_s;
};

static const struct scn_field top_fields[] = {
    {"file", SCN_F_SKIP, SCN_R_NONE, SCN_F_REQUIRED, 0, 0, NULL, 0},
    {"mapping", SCN_F_ENUM, SCN_R_NONE, 0, offsetof(struct top_scratch, mapping), 0,
     mapping_names, 3},
    {"time", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
    {"utc_offset", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
    {"separator", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
    {"interpolate", SCN_F_ENUM, SCN_R_NONE, 0, offsetof(struct top_scratch, interp), 0,
     interp_names, 2},
    {"resample", SCN_F_DUR, SCN_R_NONE, 0, offsetof(struct top_scratch, resample_s), 0, NULL, 0},
    {"gap", SCN_F_DUR, SCN_R_NONE, 0, offsetof(struct top_scratch, gap_s), 0, NULL, 0},
    {"tolerance", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
#define X(id, name) {name, SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
    SCN_PQ_LIST(X)
#undef X
};

struct time_scratch {
    int format;
};
static const struct scn_field time_fields[] = {
    {"column", SCN_F_SKIP, SCN_R_NONE, SCN_F_REQUIRED, 0, 0, NULL, 0},
    {"format", SCN_F_ENUM, SCN_R_NONE, SCN_F_REQUIRED, offsetof(struct time_scratch, format), 0,
     time_format_names, 3},
};

struct map_scratch {
    int sign;
};
static const struct scn_field map_fields[] = {
    {"column", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
    {"entity", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
    {"unit", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
    {"sign", SCN_F_ENUM, SCN_R_NONE, 0, offsetof(struct map_scratch, sign), 0, sign_names, 2},
};

/* Comparison tolerances: SOC points, volts, amps (scn_compare). */
static const struct scn_field tolerance_fields[] = {
    {"soc_pct", SCN_F_NUM, 0.0, 100.0, SCN_F_MIN_EXCLUSIVE, 0, 0, NULL, 0},
    {"voltage_v", SCN_F_NUM, 0.0, 100.0, SCN_F_MIN_EXCLUSIVE, sizeof(double), 0, NULL, 0},
    {"current_a", SCN_F_NUM, 0.0, 1000.0, SCN_F_MIN_EXCLUSIVE, 2 * sizeof(double), 0, NULL, 0},
};

/* A string member into a fixed buffer; absent: left as it is. */
static int text_member(struct scn_ld *ld, const cJSON *o, const char *key, char *buf,
                       size_t len, const char *expected)
{
    const cJSON *v = scn_ld_member(o, key);
    if (!v)
        return 0;
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0' || strlen(v->valuestring) >= len)
        return scn_ld_fail_is(ld, v, key, expected);
    snprintf(buf, len, "%s", v->valuestring);
    return 0;
}

static void set_map(struct scn_prof_map *m, const char *name, double sign)
{
    m->used = true;
    snprintf(m->name, sizeof m->name, "%s", name);
    m->unit[0] = '\0';
    m->sign = sign;
}

/* The ready mappings (docs/replay.md "Ready mappings"). */
static void preset(struct scn_profile_spec *spec, int mapping)
{
    spec->layout = SCN_PROF_COLUMNS;
    if (mapping == MAP_INVERTER_CLOUD) {
        snprintf(spec->time_column, sizeof spec->time_column, "Time");
        spec->time_format = SCN_PT_ISO8601;
        set_map(&spec->map[SCN_PQ_PV_W], "PV Power", 1.0);
        set_map(&spec->map[SCN_PQ_LOAD_W], "Load Power", 1.0);
        set_map(&spec->map[SCN_PQ_BATTERY_W], "Battery Power", -1.0);
        set_map(&spec->map[SCN_PQ_SOC_PCT], "SOC", 1.0);
    } else if (mapping == MAP_HOME_ASSISTANT) {
        spec->layout = SCN_PROF_HOME_ASSISTANT;
        snprintf(spec->time_column, sizeof spec->time_column, "last_changed");
        spec->time_format = SCN_PT_ISO8601;
    }
}

static int load_quantity(struct scn_ld *ld, const cJSON *v, enum scn_pq q,
                         struct scn_profile_spec *spec)
{
    const char *key = scn_pq_name(q);
    bool ha = spec->layout == SCN_PROF_HOME_ASSISTANT;
    const char *name_key = ha ? "entity" : "column";
    char expected[200];
    snprintf(expected, sizeof expected, "the %s's name, an object such as {\"%s\": \"%s\"%s}, "
             "or null", name_key, name_key, ha ? "sensor.battery_power" : "P_bat",
             q == SCN_PQ_BATTERY_W || q == SCN_PQ_BATTERY_A || q == SCN_PQ_CURRENT_A
                 ? ", \"sign\": \"charge_positive\"" : "");
    struct scn_prof_map *m = &spec->map[q];
    if (cJSON_IsNull(v)) {
        memset(m, 0, sizeof *m); /* a ready mapping's column left out */
        return 0;
    }
    if (cJSON_IsString(v)) {
        if (v->valuestring[0] == '\0' || strlen(v->valuestring) >= sizeof m->name)
            return scn_ld_fail_is(ld, v, key, expected);
        set_map(m, v->valuestring, 1.0);
        return 0;
    }
    if (!cJSON_IsObject(v))
        return scn_ld_fail_is(ld, v, key, expected);
    char what[48];
    snprintf(what, sizeof what, "profile.%s", key);
    struct map_scratch s = {m->sign < 0.0};
    if (scn_ld_fields(ld, v, what, map_fields, COUNT(map_fields), &s, NULL) < 0)
        return -1;
    const char *wrong = ha ? "column" : "entity";
    if (scn_ld_member(v, wrong))
        return scn_ld_fail(ld, scn_ld_member(v, wrong), 1, "'%s' in %s of a %s profile "
                           "(expected '%s')", wrong, what, ha ? "home_assistant" : "column",
                           name_key);
    char name[SCN_PROF_NAME_MAX] = "";
    if (m->used)
        snprintf(name, sizeof name, "%s", m->name);
    if (text_member(ld, v, name_key, name, sizeof name, "a non-empty string") < 0 ||
        text_member(ld, v, "unit", m->unit, sizeof m->unit, "a unit such as \"kW\"") < 0)
        return -1;
    if (name[0] == '\0')
        return scn_ld_fail(ld, v, 0, "missing key '%s' in %s (expected the %s's name)",
                           name_key, what, name_key);
    char unit[sizeof m->unit];
    memcpy(unit, m->unit, sizeof unit);
    set_map(m, name, s.sign ? -1.0 : 1.0);
    memcpy(m->unit, unit, sizeof unit);
    return 0;
}

static int load_time(struct scn_ld *ld, const cJSON *t, struct scn_profile_spec *spec)
{
    if (!cJSON_IsObject(t))
        return scn_ld_fail_is(ld, t, "time", "an object such as {\"column\": \"time\", "
                              "\"format\": \"seconds\"}");
    struct time_scratch s = {0};
    if (scn_ld_fields(ld, t, "profile.time", time_fields, COUNT(time_fields), &s, NULL) < 0 ||
        text_member(ld, t, "column", spec->time_column, sizeof spec->time_column,
                    "the time column's name") < 0)
        return -1;
    spec->time_format = (enum scn_prof_time)s.format;
    return 0;
}

int scn_ld_utc_offset(struct scn_ld *ld, const cJSON *v, double *out_s)
{
    const char *expected = "a time zone offset such as \"+01:00\" or \"-05:30\" or \"Z\"";
    if (!cJSON_IsString(v))
        return scn_ld_fail_is(ld, v, "utc_offset", expected);
    const char *s = v->valuestring;
    int h, m;
    if (strcmp(s, "Z") == 0) {
        *out_s = 0.0;
        return 0;
    }
    if (strlen(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' ||
        sscanf(s + 1, "%2d:%2d", &h, &m) != 2 || h > 14 || m > 59)
        return scn_ld_fail_is(ld, v, "utc_offset", expected);
    *out_s = (h * 3600.0 + m * 60.0) * (s[0] == '-' ? -1.0 : 1.0);
    return 0;
}

static int load_separator(struct scn_ld *ld, const cJSON *v, struct scn_profile_spec *spec)
{
    static const char *const words[] = {",", ";", "\t"};
    for (int i = 0; cJSON_IsString(v) && i < 3; i++)
        if (strcmp(v->valuestring, words[i]) == 0) {
            spec->sep = words[i][0];
            return 0;
        }
    return scn_ld_fail_is(ld, v, "separator", "\",\", \";\" or \"\\t\"");
}

int scn_ld_path(struct scn_ld *ld, const cJSON *v, const char *what, char *file,
                size_t file_len, char *path, size_t path_len)
{
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
        return scn_ld_fail_is(ld, v, "file", what);
    const char *name = v->valuestring, *scn_path = ld->scn->path;
    const char *slash = strrchr(scn_path, '/');
    int dir = name[0] == '/' || !slash ? 0 : (int)(slash - scn_path + 1);
    int n = snprintf(path, path_len, "%.*s%s", dir, scn_path, name);
    if (n < 0 || (size_t)n >= path_len || strlen(name) >= file_len)
        return scn_ld_fail_is(ld, v, "file", "a shorter file name");
    snprintf(file, file_len, "%s", name);
    return 0;
}

static int check_drive(struct scn_ld *ld, const cJSON *o, const struct scn_profile_spec *spec)
{
    const struct scn_prof_map *m = spec->map;
    if (m[SCN_PQ_BATTERY_W].used && m[SCN_PQ_BATTERY_A].used)
        return scn_ld_fail(ld, scn_ld_member(o, "battery_a"), 1, "'battery_a' together with "
                           "'battery_w' in profile (expected one of them)");
    bool battery = m[SCN_PQ_BATTERY_W].used || m[SCN_PQ_BATTERY_A].used;
    if (!battery && m[SCN_PQ_PV_W].used != m[SCN_PQ_LOAD_W].used) {
        const char *has = m[SCN_PQ_PV_W].used ? "pv_w" : "load_w";
        return scn_ld_fail(ld, scn_ld_member(o, has), 1, "'%s' without '%s' in profile "
                           "(expected both pv_w and load_w, or battery_w or battery_a)", has,
                           m[SCN_PQ_PV_W].used ? "load_w" : "pv_w");
    }
    if (!battery && !m[SCN_PQ_PV_W].used)
        return scn_ld_fail(ld, o, 0, "profile drives nothing (expected battery_w, battery_a, "
                           "or pv_w and load_w)");
    if (!ld->scn->has_inverter)
        return scn_ld_fail(ld, o, 0, "a profile, but the scenario has \"inverter\": null "
                           "(expected an inverter to follow the profile)");
    if (spec->layout == SCN_PROF_COLUMNS && spec->time_column[0] == '\0')
        return scn_ld_fail(ld, o, 0, "missing key 'time' in profile (expected {\"column\": "
                           "\"time\", \"format\": \"seconds\"})");
    return 0;
}

/* The CSV read once: every row checked, the log long enough for the run. */
static int scan_file(struct scn_ld *ld, const cJSON *o, struct scn_profile_spec *spec)
{
    int bad = -1;
    uint64_t rows = 0;
    int64_t last_ms = 0;
    long last_row = 0;
    char msg[SCN_ERR_MAX];
    if (scn_profile_scan(spec, &bad, &rows, &last_ms, &last_row, msg, sizeof msg) < 0) {
        if (bad == -1) {
            snprintf(ld->err, ld->err_len, "%s", msg);
            return -1;
        }
        const cJSON *at = bad == -2 ? scn_ld_member(scn_ld_member(o, "time"), "column")
                                    : scn_ld_member(o, scn_pq_name((enum scn_pq)bad));
        if (!at)
            at = scn_ld_member(o, bad == -2 ? "mapping" : "mapping");
        return scn_ld_fail(ld, at ? at : o, 0, "%s", msg);
    }
    spec->rows = rows;
    int64_t dur_ms = llround(spec->duration_s * 1000.0);
    if (last_ms + llround(spec->gap_s * 1000.0) < dur_ms) {
        char end[32], dur[32], gap[32];
        scn_duration_format((double)last_ms / 1000.0, end, sizeof end);
        scn_duration_format(spec->duration_s, dur, sizeof dur);
        scn_duration_format(spec->gap_s, gap, sizeof gap);
        snprintf(ld->err, ld->err_len, "%s:%ld:1: error: the log ends at %s%s, before the "
                 "scenario's duration %s (expected samples up to within the gap %s of it, or "
                 "a shorter duration)", spec->path, last_row, last_ms < 0 ? "-" : "",
                 end, dur, gap);
        return -1;
    }
    return 0;
}

int scn_ld_profile(struct scn_ld *ld, const cJSON *o)
{
    if (!cJSON_IsObject(o))
        return scn_ld_fail_is(ld, o, "profile", "an object such as {\"file\": \"day.csv\", "
                              "\"time\": {\"column\": \"time\", \"format\": \"seconds\"}, "
                              "\"battery_w\": \"P_bat\"}");
    struct scn_profile_spec *spec = calloc(1, sizeof *spec);
    if (!spec)
        return scn_ld_fail(ld, o, 0, "out of memory (expected a smaller file)");
    ld->scn->profile = spec;
    struct top_scratch s = {.mapping = MAP_GENERIC, .interp = SCN_PI_STEP, .resample_s = 1.0,
                            .gap_s = 900.0};
    if (scn_ld_fields(ld, o, "profile", top_fields, COUNT(top_fields), &s, NULL) < 0)
        return -1;
    preset(spec, s.mapping);
    /* Home Assistant writes a row only when a state changes: hours without
     * one are normal, so only a day without any is a gap. */
    if (s.mapping == MAP_HOME_ASSISTANT && !scn_ld_member(o, "gap"))
        s.gap_s = 86400.0;
    spec->interp = (enum scn_prof_interp)s.interp;
    spec->resample_s = s.resample_s;
    spec->gap_s = s.gap_s;
    spec->start_epoch_s = ld->scn->start_epoch_s;
    spec->duration_s = ld->scn->duration_s;
    spec->tolerance[0] = 5.0;
    spec->tolerance[1] = 1.0;
    spec->tolerance[2] = 5.0;
    const cJSON *v;
    if (scn_ld_path(ld, scn_ld_member(o, "file"), "the CSV's file name, relative to the "
                    "scenario", spec->file, sizeof spec->file, spec->path, sizeof spec->path) < 0)
        return -1;
    if ((v = scn_ld_member(o, "time")) && load_time(ld, v, spec) < 0)
        return -1;
    if ((v = scn_ld_member(o, "utc_offset")) &&
        scn_ld_utc_offset(ld, v, &spec->utc_offset_s) < 0)
        return -1;
    if ((v = scn_ld_member(o, "separator")) && load_separator(ld, v, spec) < 0)
        return -1;
    if ((v = scn_ld_member(o, "tolerance")) &&
        scn_ld_fields(ld, v, "profile.tolerance", tolerance_fields, COUNT(tolerance_fields),
                      spec->tolerance, NULL) < 0)
        return -1;
    for (int q = 0; q < SCN_PQ_COUNT; q++)
        if ((v = scn_ld_member(o, scn_pq_name((enum scn_pq)q))) &&
            load_quantity(ld, v, (enum scn_pq)q, spec) < 0)
            return -1;
    if (check_drive(ld, o, spec) < 0)
        return -1;
    return scan_file(ld, o, spec);
}
