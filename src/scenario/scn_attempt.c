/* scn_attempt: a trainee's attempt at an exercise as a JSON file
 * (docs/training.md, "Attempt files"): read with positioned errors against
 * the exercise, and written by the window one action per line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/training.h"
#include "scn_schema.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))

struct head_entry {
    char *exercise, *trainee;
    double done_s;
};

static const struct scn_field attempt_fields[] = {
    {"format", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"exercise", SCN_F_TEXT, SCN_R_NONE, SCN_F_REQUIRED, offsetof(struct head_entry, exercise),
     0, NULL, 0},
    {"trainee", SCN_F_TEXT, SCN_R_NONE, 0, offsetof(struct head_entry, trainee), 0, NULL, 0},
    {"done", SCN_F_TIME, SCN_R_NONE, 0, offsetof(struct head_entry, done_s), 1, NULL, 0},
    {"hints", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"actions", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
};

static int load_hints(struct scn_ld *ld, const cJSON *list, const struct scn_training *t,
                      struct trn_attempt *a)
{
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : -1;
    if (n < 0 || n > t->hint_count) {
        char want[120];
        snprintf(want, sizeof want, "a list of the times at most %d hints were revealed, "
                                    "such as [\"2m\", \"5m\"]", t->hint_count);
        return scn_ld_fail_is(ld, list, "hints", want);
    }
    int k = 0;
    for (const cJSON *h = list->child; h; h = h->next, k++) {
        if (scn_ld_time(ld, h, "hints", &a->hint_at_s[k]) < 0)
            return -1;
        if (k > 0 && a->hint_at_s[k] < a->hint_at_s[k - 1])
            return scn_ld_fail(ld, h, 0, "hint %d is revealed before hint %d (expected the "
                                         "times in order)", k + 1, k);
    }
    a->hint_count = n;
    return 0;
}

static int load_root(struct scn_ld *ld, const struct scn_training *t, struct trn_attempt *a)
{
    const cJSON *root = ld->doc.root;
    if (!cJSON_IsObject(root))
        return scn_ld_fail_is(ld, root, "the attempt", "an object with \"format\": \""
                                                        TRN_ATTEMPT_FORMAT "\"");
    const cJSON *format = scn_ld_member(root, "format");
    if (!format)
        return scn_ld_fail(ld, root, 0, "missing key 'format' (expected \"format\": \""
                                        TRN_ATTEMPT_FORMAT "\")");
    if (!cJSON_IsString(format) || strcmp(format->valuestring, TRN_ATTEMPT_FORMAT) != 0)
        return scn_ld_fail_is(ld, format, "format", "\"" TRN_ATTEMPT_FORMAT "\"");
    struct head_entry h = {0};
    unsigned set = 0;
    int rc = scn_ld_fields(ld, root, "the attempt", attempt_fields, COUNT(attempt_fields), &h,
                           &set);
    a->exercise = h.exercise;
    a->trainee = h.trainee ? h.trainee : scn_ld_strdup("");
    a->done_s = set ? h.done_s : t->time_limit_s;
    if (rc < 0)
        return -1;
    if (!a->trainee)
        return scn_ld_fail(ld, root, 0, "out of memory (expected a smaller file)");
    char lim[32];
    scn_duration_format(t->time_limit_s, lim, sizeof lim);
    if (a->done_s > t->time_limit_s)
        return scn_ld_fail(ld, scn_ld_member(root, "done"), 0, "'done' is after the time "
                           "limit %s (expected the time the trainee said done)", lim);
    const cJSON *m;
    if ((m = scn_ld_member(root, "hints")) && load_hints(ld, m, t, a) < 0)
        return -1;
    struct trn_actions acts = {0};
    m = scn_ld_member(root, "actions");
    if (m) {
        rc = trn_ld_actions(ld, m, "actions", &acts);
        a->action_count = acts.count;
        a->actions = acts.events;
        if (rc < 0 || trn_ld_within(ld, m, &acts, a->done_s, "actions") < 0)
            return -1;
        if (acts.count > TRN_MAX_ACTIONS)
            return scn_ld_fail(ld, m, 0, "%d actions (expected at most %d)", acts.count,
                               TRN_MAX_ACTIONS);
    }
    return 0;
}

int trn_attempt_load(const char *path, const struct scn_scenario *ex, struct trn_attempt *out,
                     char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    if (!ex->training) {
        snprintf(err, err_len, "%s: error: not an exercise (expected a scenario with a "
                               "'training' block)", ex->path);
        return -1;
    }
    struct scn_ld ld = {.err = err, .err_len = err_len};
    if (json_doc_load(&ld.doc, path, err, err_len) < 0)
        return -1;
    struct scn_scenario sub = *ex; /* the exercise's packs, cables and duration */
    ld.scn = &sub;
    int rc = load_root(&ld, ex->training, out);
    json_doc_free(&ld.doc);
    if (rc < 0)
        trn_attempt_free(out);
    return rc;
}

void trn_attempt_free(struct trn_attempt *a)
{
    if (!a)
        return;
    free(a->exercise);
    free(a->trainee);
    scn_events_free(a->actions, a->action_count);
    memset(a, 0, sizeof *a);
}

/* ---- writing ---- */

struct out {
    char *buf;
    size_t len, n;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->n < o->len ? o->len - o->n : 0;
    int k = vsnprintf(o->buf + (room ? o->n : 0), room, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->n += (size_t)k;
}

/* A JSON string literal of text (cJSON does the escaping). */
static void put_string(struct out *o, const char *text)
{
    cJSON *s = cJSON_CreateString(text ? text : "");
    char *lit = s ? cJSON_PrintUnformatted(s) : NULL;
    put(o, "%s", lit ? lit : "\"\"");
    cJSON_free(lit);
    cJSON_Delete(s);
}

static void put_port(struct out *o, struct scn_cable c)
{
    char a[16], b[16];
    scn_port_format(c.a, a, sizeof a);
    scn_port_format(c.b, b, sizeof b);
    put(o, ", \"cable\": [\"%s\", \"%s\"]", a, b);
}

static void put_inverter(struct out *o, const struct scn_inverter_change *c)
{
    const struct scn_inverter *v = &c->v;
    if (c->set & SCN_INV_SET_MODE)
        put(o, ", \"mode\": \"%s\"", v->mode == SCN_INV_MANUAL ? "manual" : "lithium");
    if (c->set & SCN_INV_SET_CHARGE_VOLTAGE)
        put(o, ", \"charge_voltage_v\": %.2f", v->charge_voltage_v);
    if (c->set & SCN_INV_SET_CHARGE_CURRENT)
        put(o, ", \"charge_current_a\": %.2f", v->charge_current_a);
    if (c->set & SCN_INV_SET_DISCHARGE_CURRENT)
        put(o, ", \"discharge_current_a\": %.2f", v->discharge_current_a);
    if (c->set & SCN_INV_SET_CUTOFF_VOLTAGE)
        put(o, ", \"cutoff_voltage_v\": %.2f", v->cutoff_voltage_v);
    if (c->set & SCN_INV_SET_MIN_SOC)
        put(o, ", \"min_soc_pct\": %.2f", v->min_soc_pct);
    if (c->set & SCN_INV_SET_WINDOW)
        put(o, ", \"full_charge_window\": [\"%02d:%02d\", \"%02d:%02d\"]",
            v->window_start_min / 60, v->window_start_min % 60, v->window_end_min / 60,
            v->window_end_min % 60);
    if (c->set & SCN_INV_SET_STANDBY)
        put(o, ", \"standby_w\": %.2f", v->standby_w);
    if (c->set & SCN_INV_SET_CAN_TIMEOUT)
        put(o, ", \"can_timeout\": %.3f", v->can_timeout_s);
    if (c->demand == SCN_DEMAND_POWER)
        put(o, ", \"power_w\": %.1f", c->power_w);
    else if (c->demand == SCN_DEMAND_CURRENT)
        put(o, ", \"current_a\": %.2f", c->current_a);
    else if (c->demand == SCN_DEMAND_IDLE)
        put(o, ", \"idle\": true");
}

static void put_fault(struct out *o, const struct scn_event *ev)
{
    const struct scn_fault *f = &ev->u.fault;
    bool inject = ev->action == SCN_DO_FAULT;
    put(o, ", \"kind\": \"%s\", \"pack\": %d", scn_fault_kind_name(f->kind), f->pack);
    if (f->sensor)
        put(o, ", \"sensor\": %d", f->sensor);
    if (f->cell)
        put(o, ", \"cell\": %d", f->cell);
    if (f->kind == SCN_FAULT_FET_STUCK && f->which != SCN_FET_BOTH)
        put(o, ", \"which\": \"%s\"", f->which == SCN_FET_CHARGE ? "charge" : "discharge");
    if (!inject)
        return;
    if (f->kind == SCN_FAULT_CELL_SHORT)
        put(o, ", \"resistance_ohm\": %g", f->resistance_ohm);
    if (f->kind == SCN_FAULT_CELL_WEAK)
        put(o, ", \"capacity_pct\": %g", f->capacity_pct);
    if (f->kind == SCN_FAULT_CELL_RESISTANCE)
        put(o, ", \"factor\": %g", f->factor);
    if (f->kind == SCN_FAULT_CURRENT_OFFSET)
        put(o, ", \"amps\": %g", f->amps);
}

int trn_action_format(char *buf, size_t len, const struct scn_event *ev)
{
    struct out o = {buf, len, 0};
    if (len)
        buf[0] = '\0';
    put(&o, "{\"at\": %.2f, \"do\": \"%s\"", ev->at_s, scn_action_name(ev->action));
    switch (ev->action) {
    case SCN_DO_PRESS:
        put(&o, ", \"pack\": %d, \"hold\": %.2f", ev->u.press.pack, ev->u.press.hold_s);
        break;
    case SCN_DO_AMBIENT:
        put(&o, ", \"temperature_c\": %.2f", ev->u.ambient.temperature_c);
        if (ev->u.ambient.ramp_s > 0)
            put(&o, ", \"ramp\": %.2f", ev->u.ambient.ramp_s);
        break;
    case SCN_DO_INVERTER: put_inverter(&o, &ev->u.inverter); break;
    case SCN_DO_CHARGER:
        if (ev->u.charger.off)
            put(&o, ", \"off\": true");
        else
            put(&o, ", \"voltage_v\": %.2f, \"current_a\": %.2f", ev->u.charger.voltage_v,
                ev->u.charger.current_a);
        break;
    case SCN_DO_CAN:
        put(&o, ", \"connected\": %s", ev->u.can.connected ? "true" : "false");
        break;
    case SCN_DO_WIRE:
    case SCN_DO_UNWIRE: put_port(&o, ev->u.cable); break;
    case SCN_DO_POWER:
        put(&o, ", \"pack\": %d, \"connected\": %s", ev->u.power.pack,
            ev->u.power.connected ? "true" : "false");
        break;
    case SCN_DO_FAULT:
    case SCN_DO_CLEAR: put_fault(&o, ev); break;
    case SCN_DO_NOTE:
        put(&o, ", \"text\": ");
        put_string(&o, ev->u.note.text);
        break;
    case SCN_DO_COUNT: break;
    }
    put(&o, "}");
    return (int)o.n;
}

int trn_attempt_write(FILE *f, const struct trn_attempt *a)
{
    char line[1024];
    struct out o = {line, sizeof line, 0};
    fprintf(f, "{\n  \"format\": \"" TRN_ATTEMPT_FORMAT "\",\n  \"exercise\": ");
    put_string(&o, a->exercise);
    fprintf(f, "%s,\n  \"trainee\": ", line);
    o.n = 0;
    put_string(&o, a->trainee);
    fprintf(f, "%s,\n  \"hints\": [", line);
    for (int k = 0; k < a->hint_count; k++)
        fprintf(f, "%s%.2f", k ? ", " : "", a->hint_at_s[k]);
    fprintf(f, "],\n  \"done\": %.2f,\n  \"actions\": [", a->done_s);
    for (int k = 0; k < a->action_count; k++) {
        trn_action_format(line, sizeof line, &a->actions[k]);
        fprintf(f, "%s\n    %s", k ? "," : "", line);
    }
    fprintf(f, "%s]\n}\n", a->action_count ? "\n  " : "");
    return ferror(f) ? -1 : 0;
}
