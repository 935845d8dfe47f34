/* scn_expect: the "expect" list of a scenario: when (at / by / from+to /
 * whole run), which pack, and what must hold, each key checked for its type
 * and range (docs/spec/SCENARIO.md "Expectations"). Evaluation against a simulation is
 * the runner's; the comparisons themselves are in scn_match.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/pylon.h"
#include "gtx/scenario.h"
#include "scn_schema.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))

enum vtype {
    V_NUMBER, /* a number or a range [min, max] within the key's bounds */
    V_BOOL,
    V_STATE,
    V_LEDS,
    V_PROTECT, /* one protection id or "none" */
    V_FAULT,
    V_ALARM,
    V_PROTECT_LIST, /* a list of protection ids */
    V_ALARM_LIST,
    V_ID,    /* the pack ID after coding, an integer 1-4 */
    V_EVENT, /* an event log entry */
};

struct check_spec {
    const char *key; /* as written in the file (inside "dry" / "can" for those) */
    enum scn_check_key check;
    enum vtype type;
    double min, max;
    const char *in; /* "" at the top level of an expectation, else the object: "dry", "can" */
};

/* Every check an expectation may hold: its own keys, then those inside "dry" and "can". */
static const struct check_spec checks[] = {
    {"state", SCN_CHECK_STATE, V_STATE, SCN_R_NONE, ""},
    {"leds", SCN_CHECK_LEDS, V_LEDS, SCN_R_NONE, ""},
    {"protect", SCN_CHECK_PROTECT, V_PROTECT, SCN_R_NONE, ""},
    {"fault", SCN_CHECK_FAULT, V_FAULT, SCN_R_NONE, ""},
    {"alarm", SCN_CHECK_ALARM, V_ALARM, SCN_R_NONE, ""},
    {"soc", SCN_CHECK_SOC, V_NUMBER, SCN_R_SOC, ""},
    {"true_soc", SCN_CHECK_TRUE_SOC, V_NUMBER, SCN_R_SOC, ""},
    {"voltage_v", SCN_CHECK_VOLTAGE_V, V_NUMBER, SCN_R_PACK_V, ""},
    {"current_a", SCN_CHECK_CURRENT_A, V_NUMBER, SCN_R_CURRENT_A, ""},
    {"cell_v_min", SCN_CHECK_CELL_V_MIN, V_NUMBER, SCN_R_CELL_V, ""},
    {"cell_v_max", SCN_CHECK_CELL_V_MAX, V_NUMBER, SCN_R_CELL_V, ""},
    {"temp_min_c", SCN_CHECK_TEMP_MIN_C, V_NUMBER, SCN_R_TEMP_C, ""},
    {"temp_max_c", SCN_CHECK_TEMP_MAX_C, V_NUMBER, SCN_R_TEMP_C, ""},
    {"id", SCN_CHECK_ID, V_ID, 1.0, SCN_MAX_PACKS, ""},
    {"event", SCN_CHECK_EVENT, V_EVENT, SCN_R_NONE, ""},
    {"prohibit_charge", SCN_CHECK_DRY_PROHIBIT_CHARGE, V_BOOL, SCN_R_NONE, "dry"},
    {"prohibit_discharge", SCN_CHECK_DRY_PROHIBIT_DISCHARGE, V_BOOL, SCN_R_NONE, "dry"},
    {"cvl_v", SCN_CHECK_CAN_CVL_V, V_NUMBER, SCN_R_PACK_V, "can"},
    {"ccl_a", SCN_CHECK_CAN_CCL_A, V_NUMBER, SCN_R_LIMIT_A, "can"},
    {"dcl_a", SCN_CHECK_CAN_DCL_A, V_NUMBER, SCN_R_LIMIT_A, "can"},
    {"dvl_v", SCN_CHECK_CAN_DVL_V, V_NUMBER, SCN_R_PACK_V, "can"},
    {"soc", SCN_CHECK_CAN_SOC, V_NUMBER, SCN_R_SOC, "can"},
    {"soh", SCN_CHECK_CAN_SOH, V_NUMBER, SCN_R_SOC, "can"},
    {"voltage_v", SCN_CHECK_CAN_VOLTAGE_V, V_NUMBER, SCN_R_PACK_V, "can"},
    {"current_a", SCN_CHECK_CAN_CURRENT_A, V_NUMBER, SCN_R_CURRENT_A, "can"},
    {"temp_c", SCN_CHECK_CAN_TEMP_C, V_NUMBER, SCN_R_TEMP_C, "can"},
    {"charge_enable", SCN_CHECK_CAN_CHARGE_ENABLE, V_BOOL, SCN_R_NONE, "can"},
    {"discharge_enable", SCN_CHECK_CAN_DISCHARGE_ENABLE, V_BOOL, SCN_R_NONE, "can"},
    {"force_charge", SCN_CHECK_CAN_FORCE_CHARGE, V_BOOL, SCN_R_NONE, "can"},
    {"full_charge_request", SCN_CHECK_CAN_FULL_CHARGE_REQUEST, V_BOOL, SCN_R_NONE, "can"},
    {"protect", SCN_CHECK_CAN_PROTECT, V_PROTECT_LIST, SCN_R_NONE, "can"},
    {"alarm", SCN_CHECK_CAN_ALARM, V_ALARM_LIST, SCN_R_NONE, "can"},
};

/* The keys of an expectation besides its checks. */
static const char *const when_keys[] = {"at", "by", "from", "to", "pack"};

/* Names for the id checks, with "none" added where one id is wanted. */
struct names {
    const char *list[32];
    int count;
};

static void names_of(enum vtype t, struct names *n)
{
    const char *(*name)(int) = t == V_STATE ? scn_state_name
                             : t == V_FAULT ? scn_fault_name
                             : (t == V_PROTECT || t == V_PROTECT_LIST) ? scn_protect_name
                                                                       : scn_alarm_name;
    n->count = 0;
    for (int i = 0; name(i) && n->count < 31; i++)
        n->list[n->count++] = name(i);
    if (t == V_PROTECT || t == V_FAULT || t == V_ALARM)
        n->list[n->count++] = "none";
}

static int name_lookup(const struct names *n, const char *s)
{
    for (int i = 0; i < n->count; i++)
        if (strcmp(n->list[i], s) == 0)
            return strcmp(s, "none") == 0 ? -1 : i;
    return -2;
}

static void range_words(double min, double max, char *buf, size_t len)
{
    snprintf(buf, len, "from %.16g to %.16g", min, max);
}

static int bad_number(struct scn_ld *ld, const cJSON *v, const char *name,
                      const struct check_spec *c)
{
    char got[80], range[80];
    scn_ld_describe(v, got, sizeof got);
    range_words(c->min, c->max, range, sizeof range);
    return scn_ld_fail(ld, v, 0, "'%s' is %s (expected a number %s, or a range [min, max] "
                                 "within it)", name, got, range);
}

static bool number_ok(const cJSON *v, const struct check_spec *c)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= c->min &&
           v->valuedouble <= c->max;
}

static int number_value(struct scn_ld *ld, const cJSON *v, const struct check_spec *c,
                        const char *name, struct scn_check *out)
{
    if (cJSON_IsNumber(v)) {
        if (!number_ok(v, c))
            return bad_number(ld, v, name, c);
        out->kind = SCN_VAL_NUMBER;
        out->num = v->valuedouble;
        return 0;
    }
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
        return bad_number(ld, v, name, c);
    const cJSON *lo = v->child, *hi = lo->next;
    if (!number_ok(lo, c))
        return bad_number(ld, lo, name, c);
    if (!number_ok(hi, c))
        return bad_number(ld, hi, name, c);
    if (lo->valuedouble > hi->valuedouble)
        return scn_ld_fail(ld, v, 0, "'%s' is the range [%.15g, %.15g] (expected [min, max] "
                           "with min <= max)", name, lo->valuedouble, hi->valuedouble);
    out->kind = SCN_VAL_RANGE;
    out->min = lo->valuedouble;
    out->max = hi->valuedouble;
    return 0;
}

/* The id of the name v holds into *id (-1: "none", when none_ok), or the error
 * "'NAME' VERB GOT (expected one of ...)". */
static int name_id(struct scn_ld *ld, const cJSON *v, const struct names *n, const char *name,
                   const char *verb, bool none_ok, int *id)
{
    *id = cJSON_IsString(v) ? name_lookup(n, v->valuestring) : -2;
    if (*id >= 0 || (*id == -1 && none_ok))
        return 0;
    char got[80], head[200];
    scn_ld_describe(v, got, sizeof got);
    snprintf(head, sizeof head, "'%s' %s %s", name, verb, got);
    return scn_ld_fail_unknown(ld, v, 0, head, cJSON_IsString(v) ? v->valuestring : "",
                               n->list, n->count);
}

static int name_value(struct scn_ld *ld, const cJSON *v, enum vtype t, const char *name,
                      struct scn_check *out)
{
    struct names n;
    names_of(t, &n);
    int id;
    if (name_id(ld, v, &n, name, "is", true, &id) < 0)
        return -1;
    out->kind = SCN_VAL_NAME;
    out->integer = id;
    return 0;
}

static int list_value(struct scn_ld *ld, const cJSON *v, enum vtype t, const char *name,
                      struct scn_check *out)
{
    struct names n;
    names_of(t, &n);
    if (!cJSON_IsArray(v)) {
        char got[80];
        scn_ld_describe(v, got, sizeof got);
        return scn_ld_fail(ld, v, 0, "'%s' is %s (expected a list of %s ids such as "
                           "[\"%s\"], or [] for none)", name, got,
                           t == V_PROTECT_LIST ? "protection" : "alarm", n.list[0]);
    }
    out->kind = SCN_VAL_IDS;
    out->mask = 0;
    for (const cJSON *c = v->child; c; c = c->next) {
        int id;
        if (name_id(ld, c, &n, name, "lists", false, &id) < 0)
            return -1;
        out->mask |= 1u << id;
        uint16_t bit = 0;
        if (t == V_PROTECT_LIST ? pylon_protect_bit_of(n.list[id], &bit)
                                : pylon_alarm_bit_of(n.list[id], &bit))
            out->can_word |= bit;
    }
    return 0;
}

/* An event log entry: free text, except that "protect.", "alarm." and
 * "fault." entries must name a known id. */
static int event_value(struct scn_ld *ld, const cJSON *v, struct scn_check *out)
{
    static const struct {
        const char *prefix;
        enum vtype type;
    } classes[] = {{"protect.", V_PROTECT_LIST}, {"alarm.", V_ALARM_LIST}, {"fault.", V_FAULT}};
    char got[80];
    scn_ld_describe(v, got, sizeof got);
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
        return scn_ld_fail(ld, v, 0, "'event' is %s (expected an event log entry such as "
                                     "\"protect.charge_ot\", \"start\" or \"shutdown\")", got);
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        size_t n = strlen(classes[i].prefix);
        if (strncmp(v->valuestring, classes[i].prefix, n) != 0)
            continue;
        struct names names;
        names_of(classes[i].type, &names);
        if (classes[i].type == V_FAULT)
            names.count--; /* not "none" */
        const char *id = v->valuestring + n;
        if (name_lookup(&names, id) < 0) {
            char head[160];
            snprintf(head, sizeof head, "'event' is %s, an unknown id after '%s'", got,
                     classes[i].prefix);
            return scn_ld_fail_unknown(ld, v, 0, head, id, names.list, names.count);
        }
    }
    out->kind = SCN_VAL_TEXT;
    out->text = scn_ld_strdup(v->valuestring);
    if (!out->text)
        return scn_ld_fail(ld, v, 0, "out of memory (expected a smaller file)");
    scn_event_resolve(out->text, out->ev_kinds, out->ev_ids);
    return 0;
}

static int check_value(struct scn_ld *ld, const cJSON *v, const struct check_spec *c,
                       struct scn_check *out)
{
    const char *name = scn_check_name(c->check);
    struct json_pos pos = json_doc_pos(&ld->doc, v, 1);
    out->key = c->check;
    out->src = (struct scn_src){pos.line, pos.col};
    char got[80];
    switch (c->type) {
    case V_NUMBER: return number_value(ld, v, c, name, out);
    case V_BOOL:
        if (!cJSON_IsBool(v)) {
            scn_ld_describe(v, got, sizeof got);
            return scn_ld_fail(ld, v, 0, "'%s' is %s (expected true or false)", name, got);
        }
        out->kind = SCN_VAL_BOOL;
        out->flag = cJSON_IsTrue(v);
        return 0;
    case V_STATE:
    case V_PROTECT:
    case V_FAULT:
    case V_ALARM: return name_value(ld, v, c->type, name, out);
    case V_PROTECT_LIST:
    case V_ALARM_LIST: return list_value(ld, v, c->type, name, out);
    case V_LEDS: {
        const char *s = cJSON_IsString(v) ? v->valuestring : "";
        bool ok = cJSON_IsString(v) && strlen(s) == 8 && strspn(s, "01abc") == 8;
        if (!ok) {
            scn_ld_describe(v, got, sizeof got);
            return scn_ld_fail(ld, v, 0, "'leds' is %s (expected an LED word of 8 characters "
                               "for L8 down to L1, each 0, 1, a, b or c, such as "
                               "\"a0000111\")", got);
        }
        out->kind = SCN_VAL_LEDS;
        memcpy(out->leds, s, 9);
        return 0;
    }
    case V_ID: {
        double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
        if (!(x >= c->min && x <= c->max && x == floor(x))) {
            scn_ld_describe(v, got, sizeof got);
            return scn_ld_fail(ld, v, 0, "'id' is %s (expected an integer from %.0f to %.0f)",
                               got, c->min, c->max);
        }
        out->kind = SCN_VAL_INT;
        out->integer = (int)x;
        return 0;
    }
    case V_EVENT: return event_value(ld, v, out);
    }
    return -1;
}

/* The check k in the object in ("" at the top level), or NULL. */
static const struct check_spec *find_spec(const char *in, const char *k)
{
    for (int i = 0; i < COUNT(checks); i++)
        if (strcmp(checks[i].in, in) == 0 && strcmp(checks[i].key, k) == 0)
            return &checks[i];
    return NULL;
}

/* The keys of the checks in the object in; returns how many (at most cap). */
static int spec_keys(const char *in, const char **keys, int cap)
{
    int n = 0;
    for (int i = 0; i < COUNT(checks) && n < cap; i++)
        if (strcmp(checks[i].in, in) == 0)
            keys[n++] = checks[i].key;
    return n;
}

static int duplicate(struct scn_ld *ld, const cJSON *obj, const cJSON *m, const char *what)
{
    for (const cJSON *p = obj->child; p != m; p = p->next)
        if (strcmp(p->string, m->string) == 0)
            return scn_ld_fail(ld, m, 1, "duplicate key '%.40s' in %s (expected each key "
                                         "once)", m->string, what);
    return 0;
}

/* "dry" and "can": objects of checks. */
static int sub_checks(struct scn_ld *ld, const cJSON *obj, const char *key, struct scn_expect *e)
{
    const char *keys[32];
    int n = spec_keys(key, keys, 32);
    char list[600], got[80], what[64];
    scn_ld_join(list, sizeof list, keys, n);
    if (!cJSON_IsObject(obj) || !obj->child) {
        scn_ld_describe(obj, got, sizeof got);
        if (cJSON_IsObject(obj))
            snprintf(got, sizeof got, "empty");
        return scn_ld_fail(ld, obj, 0, "'%s' is %s (expected an object with one or more of "
                                       "%s)", key, got, list);
    }
    snprintf(what, sizeof what, "'%s' of expect[%d]", key, e->index);
    for (const cJSON *m = obj->child; m; m = m->next) {
        const struct check_spec *c = find_spec(key, m->string);
        if (!c) {
            char head[160];
            snprintf(head, sizeof head, "unknown key '%.40s' in %s", m->string, what);
            return scn_ld_fail_unknown(ld, m, 1, head, m->string, keys, n);
        }
        if (duplicate(ld, obj, m, what) < 0 ||
            check_value(ld, m, c, &e->checks[e->check_count++]) < 0)
            return -1;
    }
    return 0;
}

static void time_text(const cJSON *v, char *buf, size_t len)
{
    if (cJSON_IsString(v))
        snprintf(buf, len, "%.30s", v->valuestring);
    else
        snprintf(buf, len, "%.15gs", v->valuedouble);
}

/* at / by / from / to: which were given, and their consistency. */
static int load_when(struct scn_ld *ld, const cJSON *o, struct scn_expect *e)
{
    const cJSON *at = scn_ld_member(o, "at"), *by = scn_ld_member(o, "by");
    const cJSON *from = scn_ld_member(o, "from"), *to = scn_ld_member(o, "to");
    const cJSON *given[4] = {at, by, from, to};
    const char *names[4] = {"at", "by", "from", "to"};
    double t[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++)
        if (given[i] && scn_ld_time(ld, given[i], names[i], &t[i]) < 0)
            return -1;
    /* Two ways of saying when: point at whichever comes second in the file. */
    const cJSON *first = NULL;
    for (const cJSON *m = o->child; m; m = m->next) {
        bool is_when = m == at || m == by || m == from;
        if (!is_when)
            continue;
        if (first)
            return scn_ld_fail(ld, m, 1, "'%s' together with '%s' in expect[%d] (expected "
                               "only one of at, by, or from with to)", m->string,
                               first->string, e->index);
        first = m;
    }
    if (from && !to)
        return scn_ld_fail(ld, from, 1, "'from' without 'to' in expect[%d] (expected both, "
                           "such as \"from\": \"1h\", \"to\": \"2h\")", e->index);
    if (to && !from)
        return scn_ld_fail(ld, to, 1, "'to' without 'from' in expect[%d] (expected both, "
                           "such as \"from\": \"1h\", \"to\": \"2h\")", e->index);
    char a[40], b[40];
    if (at) {
        e->when = SCN_WHEN_AT;
        e->t_s = e->from_s = e->to_s = t[0];
        time_text(at, a, sizeof a);
        snprintf(e->when_text, sizeof e->when_text, "at %s", a);
    } else if (by) {
        e->when = SCN_WHEN_BY;
        e->t_s = e->to_s = t[1];
        e->from_s = 0;
        time_text(by, a, sizeof a);
        snprintf(e->when_text, sizeof e->when_text, "by %s", a);
    } else if (from) {
        if (!(t[3] > t[2])) {
            time_text(to, b, sizeof b);
            time_text(from, a, sizeof a);
            return scn_ld_fail(ld, to, 0, "'to' is %s, not after 'from' %s (expected a time "
                               "after 'from')", b, a);
        }
        e->when = SCN_WHEN_WINDOW;
        e->from_s = t[2];
        e->to_s = t[3];
        time_text(from, a, sizeof a);
        time_text(to, b, sizeof b);
        snprintf(e->when_text, sizeof e->when_text, "from %s to %s", a, b);
    } else {
        e->when = SCN_WHEN_RUN;
        e->from_s = 0;
        e->to_s = ld->scn->duration_s;
        snprintf(e->when_text, sizeof e->when_text, "whole run");
    }
    return 0;
}

static int load_pack(struct scn_ld *ld, const cJSON *v, struct scn_expect *e)
{
    if (cJSON_IsString(v) && strcmp(v->valuestring, "system") == 0) {
        e->pack = SCN_PACK_SYSTEM;
        return 0;
    }
    double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (!(x >= 1 && x <= ld->scn->pack_count && x == floor(x))) {
        char got[80];
        scn_ld_describe(v, got, sizeof got);
        if (ld->scn->pack_count == 1)
            return scn_ld_fail(ld, v, 0, "'pack' is %s (expected 1, the only pack of this "
                               "scenario, or \"system\")", got);
        return scn_ld_fail(ld, v, 0, "'pack' is %s (expected a pack number from 1 to %d, or "
                           "\"system\")", got, ld->scn->pack_count);
    }
    e->pack = (int)x;
    return 0;
}

static int load_expect(struct scn_ld *ld, const cJSON *o, int index, void *slot)
{
    struct scn_expect *e = slot;
    char what[32];
    snprintf(what, sizeof what, "expect[%d]", index);
    e->index = index;
    e->pack = 1;
    if (!cJSON_IsObject(o)) {
        char got[80];
        scn_ld_describe(o, got, sizeof got);
        return scn_ld_fail(ld, o, 0, "%s is %s (expected an expectation such as {\"at\": "
                           "\"5s\", \"pack\": 1, \"state\": \"standby\"})", what, got);
    }
    struct json_pos pos = json_doc_pos(&ld->doc, o, 0);
    e->src = (struct scn_src){pos.line, pos.col};
    e->checks = calloc(SCN_CHECK_COUNT, sizeof *e->checks);
    if (!e->checks)
        return scn_ld_fail(ld, o, 0, "out of memory (expected a smaller file)");

    const char *keys[40];
    int nkeys = 0;
    for (int i = 0; i < COUNT(when_keys); i++)
        keys[nkeys++] = when_keys[i];
    nkeys += spec_keys("", keys + nkeys, 40 - nkeys - 2);
    keys[nkeys++] = "dry";
    keys[nkeys++] = "can";

    for (const cJSON *m = o->child; m; m = m->next) {
        bool known = false;
        for (int i = 0; i < nkeys && !known; i++)
            known = strcmp(keys[i], m->string) == 0;
        if (!known) {
            char head[160];
            snprintf(head, sizeof head, "unknown key '%.40s' in %s", m->string, what);
            return scn_ld_fail_unknown(ld, m, 1, head, m->string, keys, nkeys);
        }
        if (duplicate(ld, o, m, what) < 0)
            return -1;
    }
    if (load_when(ld, o, e) < 0)
        return -1;
    const cJSON *pack = scn_ld_member(o, "pack");
    if (pack && load_pack(ld, pack, e) < 0)
        return -1;
    for (const cJSON *m = o->child; m; m = m->next) {
        const struct check_spec *c = find_spec("", m->string);
        int rc = 0;
        if (c)
            rc = check_value(ld, m, c, &e->checks[e->check_count++]);
        else if (strcmp(m->string, "dry") == 0)
            rc = sub_checks(ld, m, "dry", e);
        else if (strcmp(m->string, "can") == 0)
            rc = sub_checks(ld, m, "can", e);
        if (rc < 0)
            return -1;
    }
    if (e->check_count == 0)
        return scn_ld_fail(ld, o, 0, "%s checks nothing (expected at least one of state, "
                           "leds, protect, fault, alarm, soc, true_soc, voltage_v, current_a, "
                           "cell_v_min, cell_v_max, temp_min_c, temp_max_c, dry, can, id, "
                           "event)", what);
    return 0;
}

int scn_ld_expects(struct scn_ld *ld, const cJSON *list)
{
    struct scn_scenario *s = ld->scn;
    void *expects;
    int rc = scn_ld_list(ld, list, "expect", "a list of expectations", sizeof *s->expects,
                         load_expect, &expects, &s->expect_count);
    s->expects = expects;
    return rc;
}
