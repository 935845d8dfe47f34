/* scn_profile: plays a field log (gtx/scn_profile.h, docs/replay.md). Each
 * mapped quantity reads the CSV through its own cursor and keeps two samples
 * (the one in force and the next), so the file streams in constant memory and
 * a Home Assistant export, where each entity's rows come in a block, needs no
 * sorting. The set-point changes only at sample times (step) or on the
 * resampling grid (linear), which is when the runner asks again.
 */
#include "gtx/scn_profile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/sim.h"
#include "gtx/sim_view.h"
#include "scn_schema.h"

static const char *const pq_names[SCN_PQ_COUNT] = {
#define X(id, name) [SCN_PQ_##id] = name,
    SCN_PQ_LIST(X)
#undef X
};

const char *scn_pq_name(enum scn_pq q)
{
    return (unsigned)q < SCN_PQ_COUNT ? pq_names[q] : "?";
}

/* Units a header (or the mapping's "unit") may give, per kind of quantity. */
struct unit_row {
    const char *unit;
    double scale; /* to the base unit */
};
static const struct unit_row power_units[] = {{"W", 1.0}, {"kW", 1000.0}, {NULL, 0}};
static const struct unit_row current_units[] = {{"A", 1.0}, {"mA", 0.001}, {NULL, 0}};
static const struct unit_row voltage_units[] = {{"V", 1.0}, {"mV", 0.001}, {NULL, 0}};
static const struct unit_row soc_units[] = {{"%", 1.0}, {NULL, 0}};
static const struct unit_row temp_units[] = {
    {"°C", 1.0}, {"C", 1.0}, {"degC", 1.0}, {NULL, 0}};
static const struct unit_row none_units[] = {{NULL, 0}};

static const struct unit_row *const units_of[SCN_PQ_COUNT] = {
    [SCN_PQ_BATTERY_W] = power_units, [SCN_PQ_BATTERY_A] = current_units,
    [SCN_PQ_PV_W] = power_units,      [SCN_PQ_LOAD_W] = power_units,
    [SCN_PQ_AMBIENT_C] = temp_units,  [SCN_PQ_GRID] = none_units,
    [SCN_PQ_SOC_PCT] = soc_units,     [SCN_PQ_VOLTAGE_V] = voltage_units,
    [SCN_PQ_CURRENT_A] = current_units,
};

static bool is_drive(enum scn_pq q)
{
    return q <= SCN_PQ_LOAD_W;
}

static void unit_list(const struct unit_row *u, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; u[i].unit && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " or " : "", u[i].unit);
    if (!u[0].unit)
        snprintf(buf, len, "no unit");
}

/* ---- times ---- */

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|+HH:MM|-HHMM]" as seconds on the local
 * clock since 1970-01-01T00:00:00. */
static bool parse_iso(const char *s, double utc_offset_s, double *out)
{
    int y, mo, d, h, mi, sec = 0;
    if (strlen(s) < 16 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi))
        return false;
    const char *p = s + 16;
    double frac = 0.0;
    if (*p == ':') {
        if (!digits(p + 1, 2, &sec))
            return false;
        p += 3;
        if (*p == '.' || *p == ',') {
            double scale = 0.1;
            p++;
            if (*p < '0' || *p > '9')
                return false;
            for (; *p >= '0' && *p <= '9'; p++, scale *= 0.1)
                frac += (*p - '0') * scale;
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60)
        return false;
    double t = (double)(scn_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) + frac;
    if (*p == 'Z') {
        t += utc_offset_s;
        p++;
    } else if (*p == '+' || *p == '-') {
        int zh, zm = 0;
        if (!digits(p + 1, 2, &zh))
            return false;
        const char *q = p + 3;
        if (*q == ':')
            q++;
        if (*q && !digits(q, 2, &zm))
            return false;
        double zone = (zh * 3600 + zm * 60) * (*p == '-' ? -1.0 : 1.0);
        t += utc_offset_s - zone;
        p = *q ? q + 2 : q;
    }
    if (*p != '\0')
        return false;
    *out = t;
    return true;
}

static const char *time_example(enum scn_prof_time f)
{
    switch (f) {
    case SCN_PT_SECONDS: return "seconds from the scenario's start, such as 60 or 90.5";
    case SCN_PT_EPOCH: return "seconds since 1970-01-01 UTC, such as 1782864000";
    case SCN_PT_ISO8601: return "an ISO 8601 time such as 2026-07-01T12:00:00";
    }
    return "";
}

/* The row's time as milliseconds after the scenario's start. */
static int row_time_ms(const struct scn_profile_spec *spec, struct scn_prof_chan *c,
                       int64_t *out, char *err, size_t err_len)
{
    const char *text = scn_csv_field(&c->csv, c->time_field);
    double v;
    bool ok;
    if (spec->time_format == SCN_PT_ISO8601)
        ok = parse_iso(text, spec->utc_offset_s, &v);
    else
        ok = scn_csv_number(text, c->csv.sep, &v);
    if (!ok)
        return scn_csv_fail(&c->csv, c->time_field, false, err, err_len,
                            "bad time '%.40s' in column '%s' (expected %s)", text,
                            spec->time_column, time_example(spec->time_format));
    if (spec->time_format == SCN_PT_EPOCH)
        v += spec->utc_offset_s;
    if (spec->time_format != SCN_PT_SECONDS)
        v -= (double)spec->start_epoch_s;
    if (fabs(v) > 1e12)
        return scn_csv_fail(&c->csv, c->time_field, false, err, err_len,
                            "time '%.40s' is out of range (expected %s)", text,
                            time_example(spec->time_format));
    *out = llround(v * 1000.0);
    return 0;
}

/* ---- values ---- */

static bool is_blank_state(const char *s)
{
    return s[0] == '\0' || strcmp(s, "unavailable") == 0 || strcmp(s, "unknown") == 0;
}

static bool grid_word(const char *s, double *out)
{
    static const char *const on[] = {"on", "true", "yes", "1"};
    static const char *const off[] = {"off", "false", "no", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, on[i]) == 0)
            return *out = 1.0, true;
        if (strcmp(s, off[i]) == 0)
            return *out = 0.0, true;
    }
    return false;
}

static int row_value(enum scn_pq q, const struct scn_profile_spec *spec,
                     struct scn_prof_chan *c, double *out, char *err, size_t err_len)
{
    const char *text = scn_csv_field(&c->csv, c->value_field);
    const char *col = spec->layout == SCN_PROF_HOME_ASSISTANT ? "state" : spec->map[q].name;
    if (c->value_field >= c->csv.n_fields)
        return scn_csv_fail(&c->csv, c->value_field, false, err, err_len,
                            "the row ends before column '%s' (expected %d columns as in the "
                            "header)", col, c->csv.n_header);
    if (is_blank_state(text)) {
        *out = NAN; /* nothing logged: the inverter is off (drive), no comparison (others) */
        return 0;
    }
    if (q == SCN_PQ_GRID) {
        if (!grid_word(text, out))
            return scn_csv_fail(&c->csv, c->value_field, false, err, err_len,
                                "bad grid state '%.40s' in column '%s' (expected on, off, "
                                "true, false, yes, no, 1 or 0)", text, col);
        return 0;
    }
    double v;
    if (!scn_csv_number(text, c->csv.sep, &v))
        return scn_csv_fail(&c->csv, c->value_field, false, err, err_len,
                            "bad number '%.40s' in column '%s' (expected a number such as %s)",
                            text, col, c->csv.sep == ',' ? "1250.5" : "1250,5 or 1250.5");
    v *= c->scale * c->sign;
    if (q == SCN_PQ_AMBIENT_C && (v < -40.0 || v > 85.0))
        return scn_csv_fail(&c->csv, c->value_field, false, err, err_len,
                            "ambient %.40s in column '%s' is out of range (expected -40 to "
                            "85 °C)", text, col);
    *out = v;
    return 0;
}

/* The next sample of this quantity into b: 1, 0 at the end, -1 on error. */
static int read_sample(enum scn_pq q, const struct scn_profile_spec *spec,
                       struct scn_prof_chan *c, char *err, size_t err_len)
{
    const struct scn_prof_map *m = &spec->map[q];
    for (;;) {
        long prev_row = c->b_row;
        int rc = scn_csv_next(&c->csv, err, err_len);
        if (rc <= 0)
            return rc;
        if (c->entity_field >= 0 && strcmp(scn_csv_field(&c->csv, c->entity_field), m->name))
            continue;
        int64_t t_ms = 0;
        double v = NAN;
        if (row_time_ms(spec, c, &t_ms, err, err_len) < 0 ||
            row_value(q, spec, c, &v, err, err_len) < 0)
            return -1;
        bool had = c->has_b || c->has_a;
        int64_t last = c->has_b ? c->tb_ms : c->ta_ms;
        if (had && t_ms < last)
            return scn_csv_fail(&c->csv, c->time_field, false, err, err_len,
                                "time goes backwards: '%.40s' is earlier than row %ld's "
                                "(expected rows in time order)",
                                scn_csv_field(&c->csv, c->time_field), prev_row);
        c->tb_ms = t_ms;
        c->vb = v;
        c->has_b = true;
        c->b_row = c->csv.line_no;
        return 1;
    }
}

/* Moves the samples on so that a <= t < b. */
static int advance(enum scn_pq q, struct scn_profile *p, int64_t t_ms, char *err, size_t err_len)
{
    struct scn_prof_chan *c = &p->ch[q];
    if (!c->has_a && !c->has_b && !c->eof) {
        int rc = read_sample(q, p->spec, c, err, err_len);
        if (rc < 0)
            return -1;
        c->eof = rc == 0;
    }
    while (c->has_b && c->tb_ms <= t_ms) {
        c->ta_ms = c->tb_ms;
        c->va = c->vb;
        c->has_a = true;
        c->has_b = false;
        int rc = c->eof ? 0 : read_sample(q, p->spec, c, err, err_len);
        if (rc < 0)
            return -1;
        c->eof = rc == 0;
    }
    return 0;
}

static int64_t gap_ms(const struct scn_profile_spec *spec)
{
    return llround(spec->gap_s * 1000.0);
}

/* Whether the quantity has a value at t (and may be interpolated to b). */
static bool holds(const struct scn_profile *p, const struct scn_prof_chan *c, int64_t t_ms)
{
    if (!c->has_a || isnan(c->va))
        return false;
    if (c->has_b)
        return c->tb_ms - c->ta_ms <= gap_ms(p->spec);
    return t_ms - c->ta_ms < gap_ms(p->spec); /* the last sample holds for a gap's length */
}

static bool interpolates(const struct scn_profile *p, const struct scn_prof_chan *c, int64_t t)
{
    return p->spec->interp == SCN_PI_LINEAR && holds(p, c, t) && c->has_b && !isnan(c->vb) &&
           c->vb != c->va; /* a flat stretch changes nothing until b */
}

/* When this quantity's value changes next after t; INT64_MAX: never. */
static int64_t chan_next_ms(const struct scn_profile *p, const struct scn_prof_chan *c,
                            int64_t t_ms)
{
    if (!c->has_a)
        return c->has_b ? c->tb_ms : INT64_MAX;
    if (interpolates(p, c, t_ms)) {
        int64_t r = llround(p->spec->resample_s * 1000.0);
        return t_ms + r < c->tb_ms ? t_ms + r : c->tb_ms;
    }
    if (c->has_b)
        return c->tb_ms;
    int64_t end = c->ta_ms + gap_ms(p->spec);
    return t_ms < end ? end : INT64_MAX;
}

/* The value over [t, next): a step holds a's value; linear takes the line at
 * the middle of the interval, so the energy over it is the line's exactly. */
static double chan_value(const struct scn_profile *p, const struct scn_prof_chan *c,
                         int64_t t_ms, int64_t next_ms)
{
    if (!holds(p, c, t_ms))
        return NAN;
    if (!interpolates(p, c, t_ms))
        return c->va;
    double mid = 0.5 * ((double)t_ms + (double)next_ms);
    double f = (mid - (double)c->ta_ms) / (double)(c->tb_ms - c->ta_ms);
    return c->va + (c->vb - c->va) * f;
}

/* ---- opening ---- */

static int open_chan(struct scn_profile *p, enum scn_pq q, int *bad, char *err, size_t err_len)
{
    const struct scn_profile_spec *spec = p->spec;
    const struct scn_prof_map *m = &spec->map[q];
    struct scn_prof_chan *c = &p->ch[q];
    c->used = true;
    c->sign = m->sign != 0.0 ? m->sign : 1.0;
    c->entity_field = -1;
    if (scn_csv_open(&c->csv, spec->path, spec->sep, err, err_len) < 0)
        return -1;
    char list[512];
    scn_csv_header_list(&c->csv, list, sizeof list);
    const char *value_col = m->name;
    if (spec->layout == SCN_PROF_HOME_ASSISTANT) {
        static const char *const ha_cols[] = {"entity_id", "state", "last_changed"};
        int *fields[] = {&c->entity_field, &c->value_field, &c->time_field};
        for (int k = 0; k < 3; k++) {
            *fields[k] = scn_csv_column(&c->csv, k == 2 ? spec->time_column : ha_cols[k]);
            if (*fields[k] < 0)
                return scn_csv_fail(&c->csv, -1, true, err, err_len, "no column '%s' in a "
                                    "Home Assistant history file (expected the header "
                                    "entity_id,state,last_changed; it has %s)",
                                    k == 2 ? spec->time_column : ha_cols[k], list);
        }
        value_col = "state";
    } else {
        c->time_field = scn_csv_column(&c->csv, spec->time_column);
        c->value_field = scn_csv_column(&c->csv, m->name);
        if (c->time_field < 0 || c->value_field < 0) {
            *bad = c->time_field < 0 ? -2 : (int)q;
            snprintf(err, err_len, "no column '%s' in %s (expected one of the header's "
                     "columns: %s)", c->time_field < 0 ? spec->time_column : m->name,
                     spec->file, list);
            return -1;
        }
    }
    const char *unit = m->unit[0] ? m->unit : c->csv.head_unit[c->value_field];
    const struct unit_row *u = units_of[q];
    c->scale = 1.0;
    if (unit[0] != '\0' || !u[0].unit) {
        int k = 0;
        while (u[k].unit && strcmp(u[k].unit, unit) != 0)
            k++;
        if (unit[0] != '\0' && !u[k].unit) {
            char units[64];
            unit_list(u, units, sizeof units);
            if (m->unit[0]) {
                *bad = (int)q;
                snprintf(err, err_len, "unknown unit '%.20s' for %s (expected %s)", unit,
                         pq_names[q], units);
                return -1;
            }
            return scn_csv_fail(&c->csv, c->value_field, true, err, err_len,
                                "unknown unit '%.20s' in column '%s' for %s (expected %s)",
                                unit, value_col, pq_names[q], units);
        }
        if (u[k].unit)
            c->scale = u[k].scale;
    }
    return 0;
}

int scn_profile_open(struct scn_profile *p, const struct scn_profile_spec *spec, int *bad,
                     char *err, size_t err_len)
{
    memset(p, 0, sizeof *p);
    p->spec = spec;
    *bad = -1;
    for (int q = 0; q < SCN_PQ_COUNT; q++) {
        if (!spec->map[q].used)
            continue;
        if (open_chan(p, (enum scn_pq)q, bad, err, err_len) < 0) {
            scn_profile_close(p);
            return -1;
        }
    }
    return 0;
}

void scn_profile_close(struct scn_profile *p)
{
    for (int q = 0; q < SCN_PQ_COUNT; q++)
        if (p->ch[q].used)
            scn_csv_close(&p->ch[q].csv);
}

/* ---- playing ---- */

int scn_profile_at(struct scn_profile *p, uint64_t t_ms, struct scn_profile_out *out,
                   uint64_t *next_ms, char *err, size_t err_len)
{
    int64_t t = (int64_t)t_ms, next = INT64_MAX;
    uint64_t held = 0;
    for (int q = 0; q < SCN_PQ_COUNT; q++) {
        struct scn_prof_chan *c = &p->ch[q];
        out->v[q] = NAN;
        if (!c->used)
            continue;
        if (advance((enum scn_pq)q, p, t, err, err_len) < 0)
            return -1;
        int64_t n = chan_next_ms(p, c, t);
        if (n < next)
            next = n;
        held += (uint64_t)c->has_a + (uint64_t)c->has_b;
    }
    if (held > p->samples_held_peak)
        p->samples_held_peak = held;
    for (int q = 0; q < SCN_PQ_COUNT; q++)
        if (p->ch[q].used)
            out->v[q] = chan_value(p, &p->ch[q], t, next == INT64_MAX ? t : next);
    const double *v = out->v;
    out->current = p->ch[SCN_PQ_BATTERY_A].used;
    out->drive_a = v[SCN_PQ_BATTERY_A];
    out->drive_w = p->ch[SCN_PQ_BATTERY_W].used ? v[SCN_PQ_BATTERY_W]
                                                : v[SCN_PQ_PV_W] - v[SCN_PQ_LOAD_W];
    out->off = isnan(out->current ? out->drive_a : out->drive_w);
    *next_ms = next == INT64_MAX ? UINT64_MAX : (uint64_t)next;
    return 0;
}

uint64_t scn_profile_next_change_ms(const struct scn_profile *p)
{
    return p->applied ? p->next_ms : 0;
}

/* An inverter that is off draws nothing: idle with no standby, put back
 * when the log resumes. */
static void inverter_off(struct scn_profile *p, struct sim *s, bool off)
{
    const struct inverter *inv = sim_view_inverter(s);
    if (!inv || off == p->off_applied)
        return;
    struct inv_settings set = inv->set;
    if (off) {
        p->saved_standby_w = set.standby_w;
        set.standby_w = 0.0;
    } else {
        set.standby_w = p->saved_standby_w;
    }
    p->off_applied = off;
    sim_inverter_set(s, &set, off ? SIM_DEMAND_IDLE : SIM_DEMAND_KEEP, 0.0);
}

int scn_profile_apply(struct scn_profile *p, struct sim *s, uint64_t t_ms, char *err,
                      size_t err_len)
{
    if (p->applied && t_ms < p->next_ms)
        return 0;
    struct scn_profile_out o;
    if (scn_profile_at(p, t_ms, &o, &p->next_ms, err, err_len) < 0)
        return -1;
    p->applied = true;
    inverter_off(p, s, o.off);
    if (!o.off)
        sim_inverter_set(s, NULL, o.current ? SIM_DEMAND_CURRENT : SIM_DEMAND_POWER,
                         o.current ? o.drive_a : o.drive_w);
    double amb = o.v[SCN_PQ_AMBIENT_C];
    if (!isnan(amb) && amb != sim_view_room_c(s))
        sim_set_ambient(s, amb, 0.0);
    return 0;
}

int scn_profile_scan(const struct scn_profile_spec *spec, int *bad, uint64_t *rows,
                     int64_t *last_ms, long *last_row, char *err, size_t err_len)
{
    struct scn_profile *p = malloc(sizeof *p);
    if (!p) {
        snprintf(err, err_len, "%s: error: out of memory", spec->path);
        return -1;
    }
    int rc = scn_profile_open(p, spec, bad, err, err_len);
    *rows = 0;
    *last_ms = INT64_MAX;
    for (int q = 0; rc == 0 && q < SCN_PQ_COUNT; q++) {
        struct scn_prof_chan *c = &p->ch[q];
        if (!c->used)
            continue;
        uint64_t n = 0;
        int got;
        while ((got = read_sample((enum scn_pq)q, spec, c, err, err_len)) == 1) {
            n++;
            c->has_a = false; /* only the order against the previous row matters here */
        }
        if (got < 0) {
            rc = -1;
            break;
        }
        if (n == 0) {
            *bad = q;
            snprintf(err, err_len, "%s %s in %s (expected at least one sample)",
                     spec->layout == SCN_PROF_HOME_ASSISTANT ? "no rows for entity"
                                                             : "no data rows for column",
                     spec->map[q].name, spec->file);
            rc = -1;
            break;
        }
        if (c->csv.rows > *rows)
            *rows = c->csv.rows;
        if (is_drive((enum scn_pq)q) && c->tb_ms < *last_ms) {
            *last_ms = c->tb_ms;
            *last_row = c->b_row;
        }
    }
    scn_profile_close(p);
    free(p);
    return rc;
}
