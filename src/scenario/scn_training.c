/* scn_training: the "training" block of an exercise (docs/training.md): the
 * brief, the hidden cause, the hints, the success condition (ordinary
 * expectations), the time limit, the reference solution and the wrong fixes.
 * Action lists and expectations go through the scenario's own loaders, so they
 * mean what they mean in "events" and "expect" and fail with the same messages.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/training.h"
#include "scn_schema.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))
#define SCN_R_POINTS 0.0, 100.0

static const struct {
    const char *name;
    double cost;
} harm_table[TRN_HARM_COUNT] = {
#define X(id, name, cost) [TRN_HARM_##id] = {name, cost},
    TRN_HARM_LIST(X)
#undef X
};

const char *trn_harm_name(enum trn_harm_kind kind)
{
    return (unsigned)kind < TRN_HARM_COUNT ? harm_table[kind].name : NULL;
}

double trn_harm_default_cost(enum trn_harm_kind kind)
{
    return (unsigned)kind < TRN_HARM_COUNT ? harm_table[kind].cost : 0.0;
}

/* ---- lists through the scenario's loaders ---- */

/* Runs the scenario's event or expectation loader on list as if it were the
 * file's own "events" / "expect", in a copy of the scenario (same packs,
 * cables, inverter and duration); sub receives what it made. */
static int in_copy(struct scn_ld *ld, const cJSON *list,
                   int (*load)(struct scn_ld *ld, const cJSON *list), struct scn_scenario *sub)
{
    struct scn_scenario *saved = ld->scn;
    *sub = *saved;
    sub->event_count = sub->expect_count = 0;
    sub->events = NULL;
    sub->expects = NULL;
    ld->scn = sub;
    int rc = load(ld, list);
    ld->scn = saved;
    return rc;
}

static int sub_expects(struct scn_ld *ld, const cJSON *list, struct scn_training *t)
{
    struct scn_scenario sub;
    int rc = in_copy(ld, list, scn_ld_expects, &sub);
    t->success_count = sub.expect_count;
    t->success = sub.expects;
    return rc;
}

int trn_ld_actions(struct scn_ld *ld, const cJSON *list, const char *key,
                   struct trn_actions *out)
{
    if (!cJSON_IsArray(list))
        return scn_ld_fail_is(ld, list, key, "a list of actions, each an event such as "
                                             "{\"at\": \"1m\", \"do\": \"can\", \"connected\": "
                                             "true}");
    struct scn_scenario sub;
    int rc = in_copy(ld, list, scn_ld_events, &sub);
    out->count = sub.event_count;
    out->events = sub.events;
    return rc;
}

/* Every action of a list at or before the time limit: the trainee acts within it. */
int trn_ld_within(struct scn_ld *ld, const cJSON *list, const struct trn_actions *a,
                  double limit_s, const char *key)
{
    for (int k = 0; k < a->count; k++) {
        const struct scn_event *e = &a->events[k];
        if (e->at_s <= limit_s)
            continue;
        char lim[32];
        scn_duration_format(limit_s, lim, sizeof lim);
        return scn_ld_fail(ld, scn_ld_member(cJSON_GetArrayItem(list, e->index), "at"), 0,
                           "%s[%d] is after the time limit %s (expected the trainee's actions "
                           "within it)", key, e->index, lim);
    }
    return 0;
}

/* ---- the block ---- */

struct hint_entry {
    char *text;
    double cost;
};

/* A required key of a table, stored at member of type st. */
#define REQUIRED(key, type, lo_hi, st, member)                                               \
    {key, type, lo_hi, SCN_F_REQUIRED, offsetof(st, member), 0, NULL, 0}

static const struct scn_field hint_fields[] = {
    REQUIRED("text", SCN_F_TEXT, SCN_R_NONE, struct hint_entry, text),
    REQUIRED("cost", SCN_F_NUM, SCN_R_POINTS, struct hint_entry, cost),
};

static int load_hints(struct scn_ld *ld, const cJSON *list, struct scn_training *t)
{
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > TRN_MAX_HINTS)
        return scn_ld_fail_is(ld, list, "hints", "a list of at most 8 hints such as "
                                                 "{\"text\": \"Look at the LCD\", \"cost\": 10}");
    int k = 0;
    for (const cJSON *h = list->child; h; h = h->next, k++) {
        char what[40];
        snprintf(what, sizeof what, "training.hints[%d]", k);
        struct hint_entry e = {0};
        int rc = scn_ld_fields(ld, h, what, hint_fields, COUNT(hint_fields), &e, NULL);
        t->hints[k] = (struct trn_hint){e.text, e.cost};
        t->hint_count = k + 1;
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int load_harmful(struct scn_ld *ld, const cJSON *obj, struct scn_training *t)
{
    struct scn_field f[TRN_HARM_COUNT];
    for (int k = 0; k < TRN_HARM_COUNT; k++)
        f[k] = (struct scn_field){trn_harm_name((enum trn_harm_kind)k), SCN_F_NUM, SCN_R_POINTS,
                                  0, (size_t)k * sizeof(double), 0, NULL, 0};
    return scn_ld_fields(ld, obj, "training.harmful", f, TRN_HARM_COUNT, t->harm_cost, NULL);
}

struct wrong_entry {
    char *name;
};

static int load_wrong(struct scn_ld *ld, const cJSON *list, struct scn_training *t)
{
    static const struct scn_field fields[] = {
        REQUIRED("name", SCN_F_TEXT, SCN_R_NONE, struct wrong_entry, name),
        {"actions", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    };
    if (!cJSON_IsArray(list))
        return scn_ld_fail_is(ld, list, "wrong", "a list of wrong fixes such as {\"name\": "
                                                 "\"restart the pack\", \"actions\": [...]}");
    int n = cJSON_GetArraySize(list);
    if (n == 0)
        return 0;
    t->wrong = calloc((size_t)n, sizeof *t->wrong);
    if (!t->wrong)
        return scn_ld_fail(ld, list, 0, "out of memory (expected a smaller file)");
    int k = 0;
    for (const cJSON *w = list->child; w; w = w->next, k++) {
        char what[40];
        snprintf(what, sizeof what, "training.wrong[%d]", k);
        struct wrong_entry e = {0};
        t->wrong_count = k + 1;
        int rc = scn_ld_fields(ld, w, what, fields, COUNT(fields), &e, NULL);
        t->wrong[k].name = e.name;
        if (rc < 0)
            return -1;
        const cJSON *actions = scn_ld_member(w, "actions");
        if (!actions)
            return scn_ld_fail(ld, w, 0, "missing key 'actions' in %s (expected the wrong fix's "
                                         "list of actions)", what);
        if (trn_ld_actions(ld, actions, "actions", &t->wrong[k]) < 0 ||
            trn_ld_within(ld, actions, &t->wrong[k], t->time_limit_s, "actions") < 0)
            return -1;
    }
    return 0;
}

struct head_entry {
    char *title, *brief, *cause;
    double time_limit_s;
};

static const struct scn_field training_fields[] = {
    REQUIRED("title", SCN_F_TEXT, SCN_R_NONE, struct head_entry, title),
    REQUIRED("brief", SCN_F_TEXT, SCN_R_NONE, struct head_entry, brief),
    REQUIRED("cause", SCN_F_TEXT, SCN_R_NONE, struct head_entry, cause),
    REQUIRED("time_limit", SCN_F_TIME, SCN_R_NONE, struct head_entry, time_limit_s),
    {"hints", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"success", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"harmful", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"solution", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"wrong", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
};

static int load_block(struct scn_ld *ld, const cJSON *o, struct scn_training *t)
{
    struct head_entry h = {0};
    int rc = scn_ld_fields(ld, o, "'training'", training_fields, COUNT(training_fields), &h,
                           NULL);
    t->title = h.title;
    t->brief = h.brief;
    t->cause = h.cause;
    t->time_limit_s = h.time_limit_s;
    if (rc < 0)
        return -1;
    const cJSON *tl = scn_ld_member(o, "time_limit");
    if (!(t->time_limit_s > 0))
        return scn_ld_fail(ld, tl, 0, "'time_limit' is 0 (expected a time after the start, "
                                      "at most the scenario's duration %s)",
                           ld->scn->duration_text);
    for (int k = 0; k < TRN_HARM_COUNT; k++)
        t->harm_cost[k] = trn_harm_default_cost((enum trn_harm_kind)k);
    const cJSON *m;
    if ((m = scn_ld_member(o, "hints")) && load_hints(ld, m, t) < 0)
        return -1;
    if ((m = scn_ld_member(o, "harmful")) && load_harmful(ld, m, t) < 0)
        return -1;
    m = scn_ld_member(o, "success");
    if (!m)
        return scn_ld_fail(ld, o, 0, "missing key 'success' in 'training' (expected the "
                                     "expectations that hold when the system works again)");
    if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) == 0)
        return scn_ld_fail_is(ld, m, "success", "a non-empty list of expectations that must "
                                                "hold when the system works again");
    if (sub_expects(ld, m, t) < 0)
        return -1;
    const cJSON *sol = scn_ld_member(o, "solution");
    if (!sol)
        return scn_ld_fail(ld, o, 0, "missing key 'solution' in 'training' (expected the "
                                     "reference solution: a list of actions, [] when doing "
                                     "nothing is right)");
    if (trn_ld_actions(ld, sol, "solution", &t->solution) < 0 ||
        trn_ld_within(ld, sol, &t->solution, t->time_limit_s, "solution") < 0)
        return -1;
    if ((m = scn_ld_member(o, "wrong")) && load_wrong(ld, m, t) < 0)
        return -1;
    return 0;
}

int scn_ld_training(struct scn_ld *ld, const cJSON *o)
{
    struct scn_training *t = calloc(1, sizeof *t);
    if (!t)
        return scn_ld_fail(ld, o, 0, "out of memory (expected a smaller file)");
    ld->scn->training = t;
    return load_block(ld, o, t);
}

static void actions_free(struct trn_actions *a)
{
    free(a->name);
    scn_events_free(a->events, a->count);
}

void scn_training_free(struct scn_training *t)
{
    if (!t)
        return;
    free(t->title);
    free(t->brief);
    free(t->cause);
    for (int k = 0; k < t->hint_count; k++)
        free(t->hints[k].text);
    scn_expects_free(t->success, t->success_count);
    actions_free(&t->solution);
    for (int k = 0; k < t->wrong_count; k++)
        actions_free(&t->wrong[k]);
    free(t->wrong);
    free(t);
}
