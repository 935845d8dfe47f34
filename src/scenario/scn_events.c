/* scn_events: the "events" list of a scenario: each {"at": TIME, "do": ACTION,
 * ...} checked against the keys of its action (and of its fault kind), then
 * sorted by time (file order at equal times) and the link cables followed
 * through the timeline so that wiring a busy port or unwiring a missing cable
 * is caught before anything runs.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/scenario.h"
#include "scn_schema.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))
#define MAX_FIELDS 24

/* The event plus what has no place in struct scn_event. */
struct ev_scratch {
    struct scn_event ev;
    bool idle;
};

/* Bits of the "set" mask for keys the loader must see together; the
 * SCN_INV_SET_* bits (0-8) come from the inverter's own table. */
enum {
    SET_POWER = 1u << 16,     /* inverter "power_w" */
    SET_CURRENT = 1u << 17,   /* inverter "current_a" */
    SET_IDLE = 1u << 18,      /* inverter "idle" */
    SET_CHARGER_V = 1u << 19, /* charger "voltage_v" */
    SET_CHARGER_I = 1u << 20, /* charger "current_a" */
    SET_OFF = 1u << 21,       /* charger "off" */
};

#define EV(member) offsetof(struct scn_event, member)
#define FIELD(key, type, range, flags, member, bit)                                       \
    {key, type, range, flags, EV(member), bit, NULL, 0}

static const char *const fet_names[] = {"charge", "discharge"};

static const struct scn_field common_fields[] = {
    FIELD("at", SCN_F_TIME, SCN_R_NONE, SCN_F_REQUIRED, at_s, 0),
    {"do", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
};

static const struct scn_field press_fields[] = {
    FIELD("pack", SCN_F_PACK, SCN_R_NONE, 0, u.press.pack, 0),
    FIELD("hold", SCN_F_DUR, SCN_R_NONE, SCN_F_REQUIRED, u.press.hold_s, 0),
};
static const struct scn_field ambient_fields[] = {
    FIELD("temperature_c", SCN_F_NUM, SCN_R_TEMP_C, SCN_F_REQUIRED, u.ambient.temperature_c, 0),
    FIELD("ramp", SCN_F_DUR, SCN_R_NONE, 0, u.ambient.ramp_s, 0),
};
static const struct scn_field inverter_demand_fields[] = {
    FIELD("power_w", SCN_F_NUM, SCN_R_POWER_W, 0, u.inverter.power_w, SET_POWER),
    FIELD("current_a", SCN_F_NUM, SCN_R_CURRENT_A, 0, u.inverter.current_a, SET_CURRENT),
    {"idle", SCN_F_TRUE, SCN_R_NONE, 0, offsetof(struct ev_scratch, idle), SET_IDLE, NULL, 0},
};
static const struct scn_field charger_fields[] = {
    FIELD("voltage_v", SCN_F_NUM, SCN_R_CHARGER_V, SCN_F_MIN_EXCLUSIVE, u.charger.voltage_v,
          SET_CHARGER_V),
    FIELD("current_a", SCN_F_NUM, SCN_R_LIMIT_A, SCN_F_MIN_EXCLUSIVE, u.charger.current_a,
          SET_CHARGER_I),
    FIELD("off", SCN_F_TRUE, SCN_R_NONE, 0, u.charger.off, SET_OFF),
};
static const struct scn_field can_fields[] = {
    FIELD("connected", SCN_F_BOOL, SCN_R_NONE, SCN_F_REQUIRED, u.can.connected, 0),
};
static const struct scn_field cable_fields[] = {
    FIELD("cable", SCN_F_CABLE, SCN_R_NONE, SCN_F_REQUIRED, u.cable, 0),
};
static const struct scn_field power_fields[] = {
    FIELD("pack", SCN_F_PACK, SCN_R_NONE, 0, u.power.pack, 0),
    FIELD("connected", SCN_F_BOOL, SCN_R_NONE, SCN_F_REQUIRED, u.power.connected, 0),
};
static const struct scn_field note_fields[] = {
    FIELD("text", SCN_F_TEXT, SCN_R_NONE, SCN_F_REQUIRED, u.note.text, 0),
};

/* Fault arguments; each kind takes some of them (fault_args below). */
enum { A_SENSOR, A_CELL, A_RESISTANCE, A_CAPACITY, A_FACTOR, A_AMPS, A_WHICH, A_COUNT };
static const struct scn_field fault_arg_fields[A_COUNT] = {
    [A_SENSOR] = FIELD("sensor", SCN_F_SENSOR, SCN_R_NONE, SCN_F_REQUIRED, u.fault.sensor, 0),
    [A_CELL] = FIELD("cell", SCN_F_CELL, SCN_R_NONE, SCN_F_REQUIRED, u.fault.cell, 0),
    [A_RESISTANCE] = FIELD("resistance_ohm", SCN_F_NUM, SCN_R_RESISTANCE_OHM,
                           SCN_F_REQUIRED | SCN_F_MIN_EXCLUSIVE, u.fault.resistance_ohm, 0),
    [A_CAPACITY] = FIELD("capacity_pct", SCN_F_NUM, SCN_R_CAPACITY_PCT,
                         SCN_F_REQUIRED | SCN_F_MIN_EXCLUSIVE, u.fault.capacity_pct, 0),
    [A_FACTOR] = FIELD("factor", SCN_F_NUM, SCN_R_FACTOR, SCN_F_REQUIRED | SCN_F_MIN_EXCLUSIVE,
                       u.fault.factor, 0),
    [A_AMPS] = FIELD("amps", SCN_F_NUM, SCN_R_CURRENT_A, SCN_F_REQUIRED, u.fault.amps, 0),
    [A_WHICH] = {"which", SCN_F_ENUM, SCN_R_NONE, SCN_F_REQUIRED, EV(u.fault.which), 0,
                 fet_names, 2},
};

/* The arguments of each fault kind (docs/spec/SCENARIO.md "Fault kinds"). */
#define ARG(a) (1u << (a))
static const unsigned fault_args[SCN_FAULT_KIND_COUNT] = {
    [SCN_FAULT_NTC_OPEN] = ARG(A_SENSOR),
    [SCN_FAULT_NTC_SHORT] = ARG(A_SENSOR),
    [SCN_FAULT_SENSE_OPEN] = ARG(A_CELL),
    [SCN_FAULT_CELL_SHORT] = ARG(A_CELL) | ARG(A_RESISTANCE),
    [SCN_FAULT_CELL_WEAK] = ARG(A_CELL) | ARG(A_CAPACITY),
    [SCN_FAULT_CELL_RESISTANCE] = ARG(A_CELL) | ARG(A_FACTOR),
    [SCN_FAULT_CURRENT_OFFSET] = ARG(A_AMPS),
    [SCN_FAULT_FET_STUCK] = ARG(A_WHICH),
    [SCN_FAULT_LINK_BREAK] = 0,
};
/* "clear" names the fault (which sensor, cell, MOSFET) but sets nothing. */
#define CLEAR_ARGS (ARG(A_SENSOR) | ARG(A_CELL) | ARG(A_WHICH))

/* Every key any event may have: the list for a misspelt key when even "do"
 * is missing. */
static const char *const any_event_keys[] = {
    "at", "do", "pack", "hold", "temperature_c", "ramp", "mode", "charge_voltage_v",
    "charge_current_a", "discharge_current_a", "cutoff_voltage_v", "min_soc_pct",
    "full_charge_window", "standby_w", "can_timeout", "power_w", "current_a", "idle",
    "voltage_v", "off", "connected", "cable", "kind", "sensor", "cell", "resistance_ohm",
    "capacity_pct", "factor", "amps", "which", "text",
};

struct table {
    struct scn_field f[MAX_FIELDS];
    int n;
};

static void add(struct table *t, const struct scn_field *f, int count)
{
    for (int i = 0; i < count && t->n < MAX_FIELDS; i++)
        t->f[t->n++] = f[i];
}

static int name_index(const char *const *names, int count, const char *s)
{
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* Reads "do" (or "kind") as an index into names, with the right message when
 * it is missing or unknown. */
static int word_member(struct scn_ld *ld, const cJSON *o, const char *key, const char *noun,
                       const char *what, const char *const *names, int count)
{
    char list[600], got[80], head[160];
    const cJSON *v = scn_ld_member(o, key);
    scn_ld_join(list, sizeof list, names, count);
    if (!v)
        return scn_ld_fail(ld, o, 0, "missing key '%s' in %s (expected one of %s)", key, what,
                           list);
    if (!cJSON_IsString(v)) {
        scn_ld_describe(v, got, sizeof got);
        return scn_ld_fail(ld, v, 0, "'%s' is %s (expected one of %s)", key, got, list);
    }
    int i = name_index(names, count, v->valuestring);
    if (i >= 0)
        return i;
    snprintf(head, sizeof head, "unknown %s '%.40s'", noun, v->valuestring);
    return scn_ld_fail_unknown(ld, v, 0, head, v->valuestring, names, count);
}

static int check_inverter(struct scn_ld *ld, const cJSON *o, const char *what,
                          struct ev_scratch *s, unsigned set)
{
    struct scn_inverter_change *c = &s->ev.u.inverter;
    if (!ld->scn->has_inverter)
        return scn_ld_fail(ld, scn_ld_member(o, "do"), 0, "an 'inverter' event, but the "
                           "scenario has \"inverter\": null (expected an inverter at the top "
                           "level)");
    c->set = set & 0xffffu;
    const char *first = NULL;
    for (const cJSON *m = o->child; m; m = m->next) {
        if (strcmp(m->string, "power_w") && strcmp(m->string, "current_a") &&
            strcmp(m->string, "idle"))
            continue;
        if (first)
            return scn_ld_fail(ld, m, 1, "'%s' together with '%s' in %s (expected only one "
                               "of power_w, current_a, idle)", m->string, first, what);
        first = m->string;
    }
    c->demand = (set & SET_POWER) ? SCN_DEMAND_POWER
              : (set & SET_CURRENT) ? SCN_DEMAND_CURRENT
              : (set & SET_IDLE) ? SCN_DEMAND_IDLE
                                 : SCN_DEMAND_KEEP;
    if (!c->set && c->demand == SCN_DEMAND_KEEP)
        return scn_ld_fail(ld, o, 0, "%s changes nothing (expected an inverter key, or "
                           "power_w, current_a or \"idle\": true)", what);
    return 0;
}

static int check_charger(struct scn_ld *ld, const cJSON *o, const char *what, unsigned set)
{
    if (set & SET_OFF) {
        const char *extra = (set & SET_CHARGER_V) ? "voltage_v"
                          : (set & SET_CHARGER_I) ? "current_a" : NULL;
        if (extra)
            return scn_ld_fail(ld, scn_ld_member(o, extra), 1, "'%s' with \"off\": true in %s "
                               "(expected either \"off\": true or voltage_v and current_a)",
                               extra, what);
        return 0;
    }
    if (!(set & SET_CHARGER_V))
        return scn_ld_fail(ld, o, 0, "missing key 'voltage_v' in %s (expected the charger's "
                           "constant voltage, a number greater than 0 and at most 100, or "
                           "\"off\": true)", what);
    if (!(set & SET_CHARGER_I))
        return scn_ld_fail(ld, o, 0, "missing key 'current_a' in %s (expected the charger's "
                           "constant current, a number greater than 0 and at most 1000)", what);
    return 0;
}

static int load_event(struct scn_ld *ld, const cJSON *o, int index, void *slot)
{
    struct scn_event *out = slot;
    char what[64];
    snprintf(what, sizeof what, "events[%d]", index);
    if (!cJSON_IsObject(o)) {
        char got[80];
        scn_ld_describe(o, got, sizeof got);
        return scn_ld_fail(ld, o, 0, "%s is %s (expected an event such as {\"at\": \"1h\", "
                           "\"do\": \"press\", \"pack\": 1, \"hold\": \"3s\"})", what, got);
    }
    /* Without "do", a misspelt key (perhaps "do" itself) is the better message. */
    if (!scn_ld_member(o, "do")) {
        for (const cJSON *m = o->child; m; m = m->next)
            if (name_index(any_event_keys, COUNT(any_event_keys), m->string) < 0) {
                char head[160];
                snprintf(head, sizeof head, "unknown key '%.40s' in %s", m->string, what);
                return scn_ld_fail_unknown(ld, m, 1, head, m->string, any_event_keys,
                                           COUNT(any_event_keys));
            }
    }
    int a = word_member(ld, o, "do", "action", what, scn_action_names, SCN_DO_COUNT);
    if (a < 0)
        return -1;
    snprintf(what, sizeof what, "events[%d] (%s)", index, scn_action_names[a]);

    struct ev_scratch s = {.ev = {.action = (enum scn_action)a, .index = index}};
    struct json_pos pos = json_doc_pos(&ld->doc, o, 0);
    s.ev.src = (struct scn_src){pos.line, pos.col};
    struct table t = {.n = 0};
    add(&t, common_fields, COUNT(common_fields));
    int kind = -1;
    switch (s.ev.action) {
    case SCN_DO_PRESS:
        s.ev.u.press.pack = 1;
        add(&t, press_fields, COUNT(press_fields));
        break;
    case SCN_DO_AMBIENT: add(&t, ambient_fields, COUNT(ambient_fields)); break;
    case SCN_DO_INVERTER: {
        int n;
        const struct scn_field *inv = scn_ld_inverter_fields(&n);
        for (int i = 0; i < n && t.n < MAX_FIELDS; i++) {
            t.f[t.n] = inv[i];
            t.f[t.n++].offset += EV(u.inverter.v);
        }
        s.ev.u.inverter.v = ld->scn->inverter;
        add(&t, inverter_demand_fields, COUNT(inverter_demand_fields));
        break;
    }
    case SCN_DO_CHARGER: add(&t, charger_fields, COUNT(charger_fields)); break;
    case SCN_DO_CAN: add(&t, can_fields, COUNT(can_fields)); break;
    case SCN_DO_WIRE:
    case SCN_DO_UNWIRE: add(&t, cable_fields, COUNT(cable_fields)); break;
    case SCN_DO_POWER:
        s.ev.u.power.pack = 1;
        add(&t, power_fields, COUNT(power_fields));
        break;
    case SCN_DO_FAULT:
    case SCN_DO_CLEAR: {
        kind = word_member(ld, o, "kind", "fault kind", what, scn_fault_kind_names,
                           SCN_FAULT_KIND_COUNT);
        if (kind < 0)
            return -1;
        s.ev.u.fault.kind = (enum scn_fault_kind)kind;
        s.ev.u.fault.pack = 1;
        s.ev.u.fault.which = SCN_FET_BOTH;
        snprintf(what, sizeof what, "events[%d] (%s %s)", index, scn_action_names[a],
                 scn_fault_kind_names[kind]);
        static const struct scn_field kind_pack[] = {
            {"kind", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
            FIELD("pack", SCN_F_PACK, SCN_R_NONE, 0, u.fault.pack, 0),
        };
        add(&t, kind_pack, COUNT(kind_pack));
        unsigned args = fault_args[kind];
        if (s.ev.action == SCN_DO_CLEAR)
            args &= CLEAR_ARGS;
        for (int k = 0; k < A_COUNT; k++) {
            if (!(args & ARG(k)))
                continue;
            add(&t, &fault_arg_fields[k], 1);
            /* Which MOSFET to clear may be left out: both. */
            if (k == A_WHICH && s.ev.action == SCN_DO_CLEAR)
                t.f[t.n - 1].flags &= ~(unsigned)SCN_F_REQUIRED;
        }
        break;
    }
    case SCN_DO_NOTE: add(&t, note_fields, COUNT(note_fields)); break;
    case SCN_DO_COUNT: break;
    }
    unsigned set = 0;
    int rc = scn_ld_fields(ld, o, what, t.f, t.n, &s, &set);
    if (rc == 0 && s.ev.action == SCN_DO_INVERTER)
        rc = check_inverter(ld, o, what, &s, set);
    if (rc == 0 && s.ev.action == SCN_DO_CHARGER)
        rc = check_charger(ld, o, what, set);
    *out = s.ev; /* also on failure, so that a note's text is freed */
    return rc;
}

static int by_time(const void *pa, const void *pb)
{
    const struct scn_event *a = pa, *b = pb;
    if (a->at_s != b->at_s)
        return a->at_s < b->at_s ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static int slot(struct scn_port p)
{
    return (p.pack - 1) * 2 + (p.side == SCN_PORT_OUT);
}

/* The "cable" of events[index], for a message only: walking the list for
 * every event would make loading quadratic in the number of events. */
static const cJSON *cable_node(const cJSON *list, int index)
{
    return scn_ld_member(cJSON_GetArrayItem(list, index), "cable");
}

/* Follows the link cables through the sorted timeline. */
static int check_wiring(struct scn_ld *ld, const cJSON *list)
{
    const struct scn_scenario *s = ld->scn;
    int partner[2 * SCN_MAX_PACKS];
    for (int k = 0; k < 2 * SCN_MAX_PACKS; k++)
        partner[k] = -1;
    for (int k = 0; k < s->link.cable_count; k++) {
        int a = slot(s->link.cable[k].a), b = slot(s->link.cable[k].b);
        partner[a] = b;
        partner[b] = a;
    }
    for (int i = 0; i < s->event_count; i++) {
        const struct scn_event *e = &s->events[i];
        if (e->action != SCN_DO_WIRE && e->action != SCN_DO_UNWIRE)
            continue;
        int a = slot(e->u.cable.a), b = slot(e->u.cable.b);
        char pa[16], pb[16];
        scn_port_format(e->u.cable.a, pa, sizeof pa);
        scn_port_format(e->u.cable.b, pb, sizeof pb);
        if (e->action == SCN_DO_WIRE) {
            if (partner[a] >= 0 || partner[b] >= 0)
                return scn_ld_fail(ld, cable_node(list, e->index), 0, "port %s already has "
                                   "a cable at that time (expected free ports: unwire the other cable first)",
                                   partner[a] >= 0 ? pa : pb);
            partner[a] = b;
            partner[b] = a;
        } else {
            if (partner[a] != b)
                return scn_ld_fail(ld, cable_node(list, e->index), 0, "no cable joins %s and "
                                   "%s at that time (expected a cable that is plugged in)", pa,
                                   pb);
            partner[a] = partner[b] = -1;
        }
    }
    return 0;
}

int scn_ld_events(struct scn_ld *ld, const cJSON *list)
{
    struct scn_scenario *s = ld->scn;
    void *events;
    int rc = scn_ld_list(ld, list, "events", "a list of events", sizeof *s->events, load_event,
                         &events, &s->event_count);
    s->events = events;
    if (rc < 0 || s->event_count == 0)
        return rc;
    qsort(s->events, (size_t)s->event_count, sizeof *s->events, by_time);
    return check_wiring(ld, list);
}
