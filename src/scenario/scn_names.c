/* scn_names: the small vocabularies of scenario files and their parsers:
 * action, fault-kind, state, protection, alarm and fault names, durations,
 * port names and the scenario's wall clock.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/bms_ids.h"
#include "gtx/scenario.h"
#include "gtx/sim_view.h"
#include "scn_schema.h"

#define NAME(id, name) name,
const char *const scn_action_names[SCN_DO_COUNT] = {SCN_ACTION_LIST(NAME)};
const char *const scn_fault_kind_names[SCN_FAULT_KIND_COUNT] = {SCN_FAULT_KIND_LIST(NAME)};
static const char *const check_names[SCN_CHECK_COUNT] = {SCN_CHECK_LIST(NAME)};
#undef NAME

static const char *name_at(const char *const *names, int count, int i)
{
    return (i >= 0 && i < count) ? names[i] : NULL;
}

const char *scn_action_name(enum scn_action a)
{
    return name_at(scn_action_names, SCN_DO_COUNT, (int)a);
}

const char *scn_fault_kind_name(enum scn_fault_kind k)
{
    return name_at(scn_fault_kind_names, SCN_FAULT_KIND_COUNT, (int)k);
}

const char *scn_check_name(enum scn_check_key k)
{
    return name_at(check_names, SCN_CHECK_COUNT, (int)k);
}

/* The firmware's vocabulary (gtx/bms_ids.h) has one set of name tables, the firmware's
 * own; these give NULL instead of "?" outside a list. */
const char *scn_state_name(int s)
{
    return s >= 0 && s < BMS_STATE_COUNT ? bms_state_name((enum bms_state)s) : NULL;
}

const char *scn_protect_name(int i)
{
    return i >= 0 && i < BMS_PROT_COUNT ? bms_protect_name((enum bms_protect_id)i) : NULL;
}

const char *scn_alarm_name(int i)
{
    return i >= 0 && i < BMS_ALARM_COUNT ? bms_alarm_name((enum bms_alarm_id)i) : NULL;
}

const char *scn_fault_name(int i)
{
    return i >= 0 && i < BMS_FAULT_COUNT ? bms_fault_name((enum bms_fault_id)i) : NULL;
}

static int index_of(const char *(*name_of)(int), const char *name)
{
    const char *n;
    for (int i = 0; name && (n = name_of(i)) != NULL; i++)
        if (strcmp(n, name) == 0)
            return i;
    return -1;
}

int scn_state_from_name(const char *n) { return index_of(scn_state_name, n); }
int scn_protect_from_name(const char *n) { return index_of(scn_protect_name, n); }
int scn_alarm_from_name(const char *n) { return index_of(scn_alarm_name, n); }
int scn_fault_from_name(const char *n) { return index_of(scn_fault_name, n); }

int scn_format_ids(char *buf, size_t len, uint32_t mask, const char *(*names)(int id))
{
    size_t n = 0;
    if (len)
        buf[0] = '\0';
    for (int id = 0; id < 32; id++) {
        if (!(mask & (1u << id)))
            continue;
        const char *name = names(id);
        int w = snprintf(len > n ? buf + n : NULL, len > n ? len - n : 0, "%s%s",
                         n ? "|" : "", name ? name : "?");
        if (w < 0)
            return w;
        n += (size_t)w;
    }
    return (int)n;
}

/* ---- event names ---- */

/* Every (kind, id) pair a struct sim_event can hold is named through
 * sim_event_name; all ids of one kind share the part before the first '.'
 * ("protect.charge_ot", "start", "?"), so only the kinds whose part agrees
 * with name have their 256 ids formatted. */
void scn_event_resolve(const char *name, uint64_t kinds[4], uint64_t ids[4])
{
    memset(kinds, 0, 4 * sizeof *kinds);
    memset(ids, 0, 4 * sizeof *ids);
    char buf[SIM_EVENT_NAME_MAX];
    for (int kind = 0; kind < 256; kind++) {
        struct sim_event e = {.kind = (uint8_t)kind};
        sim_event_name(&e, buf, sizeof buf);
        size_t head = strcspn(buf, ".");
        if (strncmp(buf, name, head) != 0 || (name[head] != '\0' && name[head] != '.'))
            continue;
        for (int id = 0; id < 256; id++) {
            e.id = (uint8_t)id;
            sim_event_name(&e, buf, sizeof buf);
            if (strcmp(buf, name) != 0)
                continue;
            kinds[kind / 64] |= 1ull << (kind % 64);
            ids[id / 64] |= 1ull << (id % 64);
        }
    }
}

/* ---- durations ---- */

/* Seconds per unit; longest suffix first so "ms" is not read as "m". */
static const struct {
    const char *suffix;
    double seconds;
} duration_units[] = {
    {"ms", 0.001}, {"s", 1.0}, {"m", 60.0}, {"h", 3600.0}, {"d", 86400.0},
};

static size_t skip_digits(const char **p)
{
    const char *start = *p;
    while (**p >= '0' && **p <= '9')
        (*p)++;
    return (size_t)(*p - start);
}

/* The one duration grammar: DIGITS[.DIGITS] then a unit, which may be left
 * out (seconds) where the text stands for a bare number. */
static int duration_parse(const char *text, bool unit_optional, double *seconds)
{
    const char *p = text;
    if (skip_digits(&p) == 0)
        return -1;
    if (*p == '.') {
        p++;
        if (skip_digits(&p) == 0)
            return -1;
    }
    size_t number_len = (size_t)(p - text);
    if (number_len > 40)
        return -1;
    if (*p == '\0' && unit_optional) {
        *seconds = strtod(text, NULL);
        return 0;
    }
    for (size_t i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++) {
        if (strcmp(p, duration_units[i].suffix) == 0) {
            char num[48];
            memcpy(num, text, number_len);
            num[number_len] = '\0';
            *seconds = strtod(num, NULL) * duration_units[i].seconds;
            return 0;
        }
    }
    return -1;
}

int scn_duration_parse(const char *text, double *seconds)
{
    return duration_parse(text, false, seconds);
}

int scn_duration_parse_arg(const char *text, double *seconds)
{
    return duration_parse(text, true, seconds);
}

void scn_duration_format(double seconds, char *buf, size_t len)
{
    static const struct {
        const char *suffix;
        double seconds;
    } units[] = {{"d", 86400.0}, {"h", 3600.0}, {"m", 60.0}, {"s", 1.0}};
    if (seconds > 0) {
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
            double n = seconds / units[i].seconds;
            if (n >= 1 && fabs(n - round(n)) < 1e-9) {
                snprintf(buf, len, "%.0f%s", round(n), units[i].suffix);
                return;
            }
        }
        double ms = seconds * 1000.0;
        if (seconds < 1 && fabs(ms - round(ms)) < 1e-6) {
            snprintf(buf, len, "%.0fms", round(ms));
            return;
        }
    }
    snprintf(buf, len, "%.9gs", seconds);
}

/* ---- ports ---- */

int scn_port_parse(const char *text, struct scn_port *out)
{
    if (text[0] < '1' || text[0] > '0' + SCN_MAX_PACKS || text[1] != '.')
        return -1;
    out->pack = text[0] - '0';
    if (strcmp(text + 2, "in") == 0)
        out->side = SCN_PORT_IN;
    else if (strcmp(text + 2, "out") == 0)
        out->side = SCN_PORT_OUT;
    else
        return -1;
    return 0;
}

void scn_port_format(struct scn_port port, char *buf, size_t len)
{
    snprintf(buf, len, "%d.%s", port.pack, port.side == SCN_PORT_IN ? "in" : "out");
}

/* ---- the wall clock ---- */

/* Civil date from days since 1970-01-01 (H. Hinnant's algorithm). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

void scn_local_time(const struct scn_scenario *scn, double t_s, struct scn_datetime *out)
{
    int64_t s = scn->start_epoch_s + (int64_t)floor(t_s);
    int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    int64_t sod = s - days * 86400;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(sod / 3600);
    out->minute = (int)(sod / 60 % 60);
    out->second = (int)(sod % 60);
}
