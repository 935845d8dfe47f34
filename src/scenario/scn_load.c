/* scn_load: reads a scenario file into struct scn_scenario: the top level,
 * the packs, the link cables and the inverter (events and expectations are in
 * scn_events.c and scn_expect.c). Defaults are those of docs/spec/SCENARIO.md.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/inverter.h"
#include "gtx/pack.h"
#include "gtx/scenario.h"
#include "gtx/training.h"
#include "scn_schema.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))

_Static_assert(offsetof(struct scn_inverter, window_end_min) ==
                   offsetof(struct scn_inverter, window_start_min) + sizeof(int),
               "the window is stored as two consecutive ints");

static const char *const inverter_mode_names[] = {"lithium", "manual"};

/* The inverter object; the "inverter" event accepts the same keys. */
#define INV_FIELD(key, type, lo_hi, flags, member, bit)                                      \
    {key, type, lo_hi, flags, offsetof(struct scn_inverter, member), bit, NULL, 0}
static const struct scn_field inverter_fields[] = {
    {"mode", SCN_F_ENUM, SCN_R_NONE, 0, offsetof(struct scn_inverter, mode), SCN_INV_SET_MODE,
     inverter_mode_names, 2},
    INV_FIELD("charge_voltage_v", SCN_F_NUM, SCN_R_PACK_V, SCN_F_MIN_EXCLUSIVE,
              charge_voltage_v, SCN_INV_SET_CHARGE_VOLTAGE),
    INV_FIELD("charge_current_a", SCN_F_NUM, SCN_R_LIMIT_A, 0, charge_current_a,
              SCN_INV_SET_CHARGE_CURRENT),
    INV_FIELD("discharge_current_a", SCN_F_NUM, SCN_R_LIMIT_A, 0, discharge_current_a,
              SCN_INV_SET_DISCHARGE_CURRENT),
    INV_FIELD("cutoff_voltage_v", SCN_F_NUM, SCN_R_PACK_V, SCN_F_MIN_EXCLUSIVE,
              cutoff_voltage_v, SCN_INV_SET_CUTOFF_VOLTAGE),
    INV_FIELD("min_soc_pct", SCN_F_NUM, SCN_R_SOC, 0, min_soc_pct, SCN_INV_SET_MIN_SOC),
    INV_FIELD("full_charge_window", SCN_F_WINDOW, SCN_R_NONE, 0, window_start_min,
              SCN_INV_SET_WINDOW),
    INV_FIELD("standby_w", SCN_F_NUM, SCN_R_STANDBY_W, 0, standby_w, SCN_INV_SET_STANDBY),
    INV_FIELD("can_timeout", SCN_F_DUR, SCN_R_NONE, 0, can_timeout_s, SCN_INV_SET_CAN_TIMEOUT),
};

const struct scn_field *scn_ld_inverter_fields(int *count)
{
    *count = COUNT(inverter_fields);
    return inverter_fields;
}

/* The defaults are the world's and the plant's (docs/spec/SCENARIO.md), in the file's units. */
void scn_inverter_defaults(struct scn_inverter *inv)
{
    struct inv_settings d;
    inv_settings_default(&d);
    *inv = (struct scn_inverter){
        .mode = d.mode == INV_MODE_MANUAL ? SCN_INV_MANUAL : SCN_INV_LITHIUM,
        .charge_voltage_v = d.charge_voltage_v,
        .charge_current_a = d.charge_current_a,
        .discharge_current_a = d.discharge_current_a,
        .cutoff_voltage_v = d.cutoff_voltage_v,
        .min_soc_pct = d.min_soc_pct,
        .window_start_min = d.window_start_s / 60,
        .window_end_min = d.window_end_s / 60,
        .standby_w = d.standby_w,
        .can_timeout_s = d.can_timeout_s,
    };
}

void scn_pack_defaults(struct scn_pack *pack, double ambient_c)
{
    const struct pack_spread *d = &pack_spread_default;
    *pack = (struct scn_pack){
        .soc = 50.0,
        .temperature_c = ambient_c,
        .on = true,
        .bms_soc = 50.0,
        .cycles = 0.0,
        .spread = {.capacity_pct = d->capacity_pct, .resistance_pct = d->resistance_pct,
                   .soc_pct = d->soc_pp, .self_discharge_pct = d->self_discharge_pct},
    };
}

/* ---- packs ---- */

enum { PACK_SET_SOC = 1u << 0, PACK_SET_BMS_SOC = 1u << 1 };

#define SCN_R_CABLE_MOHM 0.0, 1000.0 /* R-PA-5: a pack's cables and contacts */

#define PACK_FIELD(key, type, lo_hi, flags, member, bit)                                     \
    {key, type, lo_hi, flags, offsetof(struct scn_pack, member), bit, NULL, 0}
static const struct scn_field pack_fields[] = {
    PACK_FIELD("soc", SCN_F_NUM, SCN_R_SOC, 0, soc, PACK_SET_SOC),
    PACK_FIELD("temperature_c", SCN_F_NUM, SCN_R_TEMP_C, 0, temperature_c, 0),
    PACK_FIELD("on", SCN_F_BOOL, SCN_R_NONE, 0, on, 0),
    PACK_FIELD("bms_soc", SCN_F_NUM, SCN_R_SOC, 0, bms_soc, PACK_SET_BMS_SOC),
    PACK_FIELD("cycles", SCN_F_NUM, SCN_R_CYCLES, 0, cycles, 0),
    PACK_FIELD("cable_mohm", SCN_F_NUM, SCN_R_CABLE_MOHM, 0, cable_mohm, 0),
    {"cells", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"cell", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
};

/* Spreads are standard deviations cut at 3 sigma: capacity, resistance and
 * self-discharge up to 33 % keep every cell's value positive. */
#define SPREAD_FIELD(key, hi, member)                                                       \
    {key, SCN_F_NUM, 0.0, hi, 0, offsetof(struct scn_spread, member), 0, NULL, 0}
static const struct scn_field spread_fields[] = {
    SPREAD_FIELD("capacity_spread_pct", 33.0, capacity_pct),
    SPREAD_FIELD("resistance_spread_pct", 33.0, resistance_pct),
    SPREAD_FIELD("soc_spread_pct", 100.0, soc_pct),
    SPREAD_FIELD("self_discharge_spread_pct", 33.0, self_discharge_pct),
};

struct cell_entry {
    int cell;
    struct scn_cell_override o;
};

#define CELL_FIELD(key, type, lo_hi, flags, member, bit)                                     \
    {key, type, lo_hi, flags, offsetof(struct cell_entry, member), bit, NULL, 0}
static const struct scn_field cell_fields[] = {
    CELL_FIELD("cell", SCN_F_CELL, SCN_R_NONE, SCN_F_REQUIRED, cell, 0),
    CELL_FIELD("soc", SCN_F_NUM, SCN_R_SOC, 0, o.soc, SCN_CELL_SET_SOC),
    CELL_FIELD("capacity_ah", SCN_F_NUM, SCN_R_CAPACITY_AH, SCN_F_MIN_EXCLUSIVE, o.capacity_ah,
               SCN_CELL_SET_CAPACITY),
    CELL_FIELD("resistance_factor", SCN_F_NUM, SCN_R_FACTOR, SCN_F_MIN_EXCLUSIVE,
               o.resistance_factor, SCN_CELL_SET_RESISTANCE),
    CELL_FIELD("temperature_c", SCN_F_NUM, SCN_R_TEMP_C, 0, o.temperature_c,
               SCN_CELL_SET_TEMPERATURE),
};

static int load_cells(struct scn_ld *ld, const cJSON *list, int pack_index, struct scn_pack *p)
{
    char what[64];
    if (!cJSON_IsArray(list)) {
        char got[80];
        scn_ld_describe(list, got, sizeof got);
        return scn_ld_fail(ld, list, 0, "'cell' is %s (expected a list of per-cell overrides "
                                        "such as [{\"cell\": 7, \"soc\": 30}])", got);
    }
    bool listed[SCN_CELLS] = {false};
    int k = 0;
    for (const cJSON *c = list->child; c; c = c->next, k++) {
        snprintf(what, sizeof what, "packs[%d].cell[%d]", pack_index, k);
        struct cell_entry e = {0};
        if (scn_ld_fields(ld, c, what, cell_fields, COUNT(cell_fields), &e, &e.o.set) < 0)
            return -1;
        /* A second override of the same cell would silently win: refuse it. */
        if (listed[e.cell - 1])
            return scn_ld_fail(ld, scn_ld_member(c, "cell"), 0, "cell %d is overridden twice "
                               "in packs[%d] (expected each cell once)", e.cell, pack_index);
        listed[e.cell - 1] = true;
        p->cell[e.cell - 1] = e.o;
    }
    return 0;
}

static int load_packs(struct scn_ld *ld, const cJSON *packs)
{
    struct scn_scenario *s = ld->scn;
    int n = cJSON_IsArray(packs) ? cJSON_GetArraySize(packs) : -1;
    if (n < 1 || n > SCN_MAX_PACKS) {
        char got[80];
        scn_ld_describe(packs, got, sizeof got);
        const cJSON *at = packs;
        if (n > SCN_MAX_PACKS)
            at = cJSON_GetArrayItem(packs, SCN_MAX_PACKS);
        if (n >= 0)
            snprintf(got, sizeof got, "a list of %d packs", n);
        return scn_ld_fail(ld, at, 0, "'packs' is %s (expected a list of 1 to %d pack "
                                      "objects, master first)", got, SCN_MAX_PACKS);
    }
    s->pack_count = n;
    int i = 0;
    for (const cJSON *p = packs->child; p; p = p->next, i++) {
        struct scn_pack *pack = &s->packs[i];
        char what[32];
        snprintf(what, sizeof what, "packs[%d]", i);
        scn_pack_defaults(pack, s->ambient_c);
        unsigned set = 0;
        if (scn_ld_fields(ld, p, what, pack_fields, COUNT(pack_fields), pack, &set) < 0)
            return -1;
        if (!(set & PACK_SET_BMS_SOC))
            pack->bms_soc = pack->soc;
        const cJSON *cells = scn_ld_member(p, "cells");
        if (cells) {
            char cw[48];
            snprintf(cw, sizeof cw, "packs[%d].cells", i);
            if (scn_ld_fields(ld, cells, cw, spread_fields, COUNT(spread_fields), &pack->spread,
                              NULL) < 0)
                return -1;
        }
        const cJSON *cell = scn_ld_member(p, "cell");
        if (cell && load_cells(ld, cell, i, pack) < 0)
            return -1;
    }
    return 0;
}

/* ---- link ---- */

static int port_slot(struct scn_port p)
{
    return (p.pack - 1) * 2 + (p.side == SCN_PORT_OUT);
}

static int load_link(struct scn_ld *ld, const cJSON *link)
{
    static const char *const link_words[] = {"chain", "none"};
    struct scn_link *l = &ld->scn->link;
    if (!link || (cJSON_IsString(link) && strcmp(link->valuestring, "chain") == 0)) {
        l->kind = SCN_LINK_CHAIN;
        l->cable_count = ld->scn->pack_count - 1;
        for (int k = 0; k < l->cable_count; k++)
            l->cable[k] = (struct scn_cable){{k + 1, SCN_PORT_OUT}, {k + 2, SCN_PORT_IN}};
        return 0;
    }
    if (cJSON_IsString(link) && strcmp(link->valuestring, "none") == 0) {
        l->kind = SCN_LINK_NONE;
        return 0;
    }
    if (cJSON_IsString(link)) {
        char head[120], got[80];
        scn_ld_describe(link, got, sizeof got);
        snprintf(head, sizeof head, "'link' is %s", got);
        return scn_ld_fail_unknown(ld, link, 0, head, link->valuestring, link_words, 2);
    }
    if (!cJSON_IsArray(link)) {
        char got[80];
        scn_ld_describe(link, got, sizeof got);
        return scn_ld_fail(ld, link, 0, "'link' is %s (expected \"chain\", \"none\" or a list "
                                        "of cables such as [[\"1.out\", \"2.in\"]])", got);
    }
    l->kind = SCN_LINK_CABLES;
    int used_by[2 * SCN_MAX_PACKS];
    for (int k = 0; k < 2 * SCN_MAX_PACKS; k++)
        used_by[k] = -1;
    int k = 0;
    for (const cJSON *c = link->child; c; c = c->next, k++) {
        char key[32];
        snprintf(key, sizeof key, "link[%d]", k);
        struct scn_cable cable;
        if (scn_ld_cable(ld, c, key, &cable) < 0)
            return -1;
        const struct scn_port ends[2] = {cable.a, cable.b};
        const cJSON *nodes[2] = {c->child, c->child->next};
        for (int e = 0; e < 2; e++) {
            int slot = port_slot(ends[e]);
            if (used_by[slot] >= 0)
                return scn_ld_fail(ld, nodes[e], 0, "port %s already has the cable link[%d] "
                                   "(expected each port in at most one cable)",
                                   nodes[e]->valuestring, used_by[slot]);
            used_by[slot] = k;
        }
        l->cable[l->cable_count++] = cable; /* at most 4: 8 ports, each used once */
    }
    return 0;
}

/* ---- inverter ---- */

static int load_inverter(struct scn_ld *ld, const cJSON *inv)
{
    struct scn_scenario *s = ld->scn;
    scn_inverter_defaults(&s->inverter);
    s->has_inverter = true;
    if (!inv)
        return 0;
    /* docs/spec/SCENARIO.md says null; "none" is accepted too, as for "link". */
    if (cJSON_IsNull(inv) || (cJSON_IsString(inv) && strcmp(inv->valuestring, "none") == 0)) {
        s->has_inverter = false;
        return 0;
    }
    if (!cJSON_IsObject(inv)) {
        char got[80];
        scn_ld_describe(inv, got, sizeof got);
        return scn_ld_fail(ld, inv, 0, "'inverter' is %s (expected an inverter object such as "
                                       "{\"mode\": \"lithium\"}, or null for none)", got);
    }
    return scn_ld_fields(ld, inv, "'inverter'", inverter_fields, COUNT(inverter_fields),
                         &s->inverter, NULL);
}

/* ---- top level ---- */

static const struct scn_field top_fields[] = {
    {"format", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"name", SCN_F_TEXT, 0, 0, 0, offsetof(struct scn_scenario, name), 0, NULL, 0},
    {"description", SCN_F_TEXT, 0, 0, 0, offsetof(struct scn_scenario, description), 0, NULL,
     0},
    {"seed", SCN_F_U64, SCN_R_SEED, 0, offsetof(struct scn_scenario, seed), 0,
     NULL, 0},
    {"start", SCN_F_DATETIME, 0, 0, 0, offsetof(struct scn_scenario, start), 0, NULL, 0},
    {"duration", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"ambient_c", SCN_F_NUM, SCN_R_TEMP_C, 0, offsetof(struct scn_scenario, ambient_c), 0,
     NULL, 0},
    {"packs", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"link", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"inverter", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"events", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"expect", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"profile", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
    {"training", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0}, /* an exercise: scn_training.c */
    {"can_log", SCN_F_SKIP, 0, 0, 0, 0, 0, NULL, 0},
};

int64_t scn_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The optional top-level sections after the packs, the link and the inverter, each
 * loaded by its own module, in this order (a file's first error is the one said). */
static const struct {
    const char *key;
    int (*load)(struct scn_ld *ld, const cJSON *v);
} optional_sections[] = {
    {"events", scn_ld_events},
    {"expect", scn_ld_expects},
    {"profile", scn_ld_profile},
    {"training", scn_ld_training},
    {"can_log", scn_ld_canlog},
};

static int default_name(struct scn_scenario *s)
{
    const char *base = strrchr(s->path, '/');
    base = base ? base + 1 : s->path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    s->name = malloc(n + 1);
    if (!s->name)
        return -1;
    memcpy(s->name, base, n);
    s->name[n] = '\0';
    return 0;
}

static int load_root(struct scn_ld *ld)
{
    struct scn_scenario *s = ld->scn;
    const cJSON *root = ld->doc.root;
    if (!cJSON_IsObject(root)) {
        char got[80];
        scn_ld_describe(root, got, sizeof got);
        return scn_ld_fail(ld, root, 0, "the scenario is %s (expected an object with "
                                        "\"format\": \"" SCN_FORMAT "\")", got);
    }
    /* The format first: with another format, nothing else can be judged. */
    const cJSON *format = scn_ld_member(root, "format");
    if (!format)
        return scn_ld_fail(ld, root, 0, "missing key 'format' (expected \"format\": \""
                                        SCN_FORMAT "\")");
    if (!cJSON_IsString(format) || strcmp(format->valuestring, SCN_FORMAT) != 0) {
        char got[80];
        scn_ld_describe(format, got, sizeof got);
        return scn_ld_fail(ld, format, 0, "'format' is %s (expected \"" SCN_FORMAT "\")", got);
    }
    const cJSON *duration = scn_ld_member(root, "duration");
    if (!duration)
        return scn_ld_fail(ld, root, 0, "missing key 'duration' (expected how long to "
                                        "simulate, such as \"6h\")");
    struct scn_field dur = {.key = "duration", .type = SCN_F_DUR};
    if (scn_ld_value(ld, duration, &dur, &s->duration_s) < 0)
        return -1;
    scn_duration_format(s->duration_s, s->duration_text, sizeof s->duration_text);

    s->seed = 1;
    s->ambient_c = 25.0;
    s->start = (struct scn_datetime){2026, 1, 1, 0, 0, 0};
    if (scn_ld_fields(ld, root, "the top level", top_fields, COUNT(top_fields), s, NULL) < 0)
        return -1;
    s->start_epoch_s = scn_days_from_civil(s->start.year, s->start.month, s->start.day) * 86400 +
                       s->start.hour * 3600 + s->start.minute * 60 + s->start.second;
    if (!s->name && default_name(s) < 0)
        return scn_ld_fail(ld, root, 0, "out of memory (expected a smaller file)");
    if (!s->description && !(s->description = scn_ld_strdup("")))
        return scn_ld_fail(ld, root, 0, "out of memory (expected a smaller file)");

    const cJSON *packs = scn_ld_member(root, "packs");
    if (!packs)
        return scn_ld_fail(ld, root, 0, "missing key 'packs' (expected a list of 1 to %d pack "
                                        "objects, such as [{\"soc\": 40}])", SCN_MAX_PACKS);
    if (load_packs(ld, packs) < 0 || load_link(ld, scn_ld_member(root, "link")) < 0 ||
        load_inverter(ld, scn_ld_member(root, "inverter")) < 0)
        return -1;
    for (int i = 0; i < COUNT(optional_sections); i++) {
        const cJSON *v = scn_ld_member(root, optional_sections[i].key);
        if (v && optional_sections[i].load(ld, v) < 0)
            return -1;
    }
    return 0;
}

static int load_doc(struct scn_ld *ld, const char *path, struct scn_scenario *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", path);
    ld->scn = out;
    int rc = load_root(ld);
    json_doc_free(&ld->doc);
    if (rc < 0)
        scn_free(out);
    return rc;
}

int scn_load(const char *path, struct scn_scenario *out, char *err, size_t err_len)
{
    struct scn_ld ld = {.err = err, .err_len = err_len};
    memset(out, 0, sizeof *out);
    if (json_doc_load(&ld.doc, path, err, err_len) < 0)
        return -1;
    return load_doc(&ld, path, out);
}

int scn_load_text(const char *path, const char *text, size_t len, struct scn_scenario *out,
                  char *err, size_t err_len)
{
    struct scn_ld ld = {.err = err, .err_len = err_len};
    memset(out, 0, sizeof *out);
    if (json_doc_parse(&ld.doc, path, text, len, err, err_len) < 0)
        return -1;
    return load_doc(&ld, path, out);
}

void scn_free(struct scn_scenario *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->description);
    scn_events_free(s->events, s->event_count);
    scn_expects_free(s->expects, s->expect_count);
    free(s->profile);
    scn_training_free(s->training);
    free(s->can_log);
    memset(s, 0, sizeof *s);
}

void scn_events_free(struct scn_event *events, int count)
{
    for (int i = 0; i < count; i++)
        if (events[i].action == SCN_DO_NOTE)
            free(events[i].u.note.text);
    free(events);
}

void scn_expects_free(struct scn_expect *expects, int count)
{
    for (int i = 0; i < count; i++) {
        for (int k = 0; k < expects[i].check_count; k++)
            free(expects[i].checks[k].text);
        free(expects[i].checks);
    }
    free(expects);
}
