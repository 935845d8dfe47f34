/* cpg_config: the campaign generator's distribution, its defaults (the table
 * of docs/campaigns.md) and the JSON file that narrows it. Every key is
 * optional; an unknown key, a wrong type or a range outside what a scenario
 * accepts is an error naming FILE:LINE:COL.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "campaign.h"
#include "gtx/json_doc.h"

/* One config key: a range (or a single number), a single number, a probability,
 * or the fault list. */
enum key_type { K_RANGE, K_NUMBER, K_PROB, K_KINDS };

struct key {
    const char *name;
    enum key_type type;
    size_t offset;
    double lo, hi; /* what a scenario accepts */
};

#define R(field, lo, hi) {#field, K_RANGE, offsetof(struct cpg_config, field), lo, hi}
#define N(field, lo, hi) {#field, K_NUMBER, offsetof(struct cpg_config, field), lo, hi}
#define P(field) {#field, K_PROB, offsetof(struct cpg_config, field), 0.0, 1.0}

static const struct key keys[] = {
    R(packs, 1, 4),
    R(duration_s, 1, SCN_MAX_DURATION_S),
    R(ambient_c, -40, 85),
    R(ambient_ramps, 0, 8),
    R(ramp_c, -40, 85),
    R(soc_pct, 0, 100),
    R(temperature_c, -40, 85),
    R(capacity_spread_pct, 0, 33),
    R(resistance_spread_pct, 0, 33),
    R(soc_spread_pct, 0, 100),
    R(self_discharge_spread_pct, 0, 33),
    R(cable_mohm, 0, 100),
    R(cycles, 0, 10000),
    P(manual_p),
    R(charge_voltage_v, 40, 64),
    R(inverter_current_a, 0, 300),
    R(cutoff_voltage_v, 36, 56),
    R(setting_changes, 0, 8),
    R(power_steps, 0, 20),
    R(power_w, -20000, 20000),
    P(current_step_p),
    R(step_current_a, -300, 300),
    P(charger_p),
    R(charger_voltage_v, 40, 64),
    R(charger_current_a, 0, 200),
    P(can_pull_p),
    R(faults, 0, 3),
    {"fault_kinds", K_KINDS, offsetof(struct cpg_config, fault_kinds), 0, 0},
    P(clear_p),
    P(restart_p),
    N(hang_timeout_s, 1, 86400),
    N(test_stall_at_s, 0, SCN_MAX_DURATION_S),
};

static struct cpg_range rng_of(double lo, double hi)
{
    return (struct cpg_range){lo, hi};
}

void cpg_config_defaults(struct cpg_config *c)
{
    memset(c, 0, sizeof *c);
    c->packs = rng_of(1, 4);
    /* Hours, not yet weeks: at about 6 000x real time per pack a week is minutes
     * of CPU (docs/campaigns.md). */
    c->duration_s = rng_of(600, 6 * 3600);
    c->ambient_c = rng_of(-15, 45);
    c->ambient_ramps = rng_of(0, 2);
    c->ramp_c = rng_of(-20, 55);
    c->soc_pct = rng_of(2, 100);
    c->temperature_c = rng_of(-15, 50);
    c->capacity_spread_pct = rng_of(0, 3);
    c->resistance_spread_pct = rng_of(0, 20);
    c->soc_spread_pct = rng_of(0, 5);
    c->self_discharge_spread_pct = rng_of(0, 33);
    c->cable_mohm = rng_of(0, 5);
    c->cycles = rng_of(0, 4000);
    c->manual_p = 0.3;
    c->charge_voltage_v = rng_of(50, 60);
    c->inverter_current_a = rng_of(10, 200);
    c->cutoff_voltage_v = rng_of(40, 50);
    c->setting_changes = rng_of(0, 1);
    c->power_steps = rng_of(1, 6);
    c->power_w = rng_of(-9000, 9000);
    c->current_step_p = 0.3;
    c->step_current_a = rng_of(-250, 250);
    c->charger_p = 0.3;
    c->charger_voltage_v = rng_of(52, 60);
    c->charger_current_a = rng_of(5, 100);
    c->can_pull_p = 0.2;
    c->faults = rng_of(0, 3);
    c->fault_kinds = (1u << SCN_FAULT_KIND_COUNT) - 1u;
    c->clear_p = 0.5;
    c->restart_p = 0.5;
    /* An hour of wall time in one call: far beyond the slowest step of a site on
     * a loaded machine (a site's whole run is seconds of CPU), so that only a
     * call that never returns reaches it (docs/campaigns.md, "Hangs"). */
    c->hang_timeout_s = 3600;
}

static int load_range(const struct json_doc *d, const cJSON *v, const struct key *k,
                      struct cpg_range *out, char *err, size_t err_len)
{
    double lo, hi;
    if (cJSON_IsNumber(v)) {
        lo = hi = v->valuedouble;
    } else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2 &&
               cJSON_IsNumber(cJSON_GetArrayItem(v, 0)) &&
               cJSON_IsNumber(cJSON_GetArrayItem(v, 1))) {
        lo = cJSON_GetArrayItem(v, 0)->valuedouble;
        hi = cJSON_GetArrayItem(v, 1)->valuedouble;
    } else {
        json_doc_errorf(d, v, 0, err, err_len, "%s must be a number or [min, max] "
                        "(expected e.g. [%g, %g])", k->name, k->lo, k->hi);
        return -1;
    }
    if (!(lo <= hi) || lo < k->lo || hi > k->hi) {
        json_doc_errorf(d, v, 0, err, err_len, "%s [%g, %g] is not a range inside "
                        "[%g, %g] (expected min <= max inside it)", k->name, lo, hi, k->lo,
                        k->hi);
        return -1;
    }
    *out = rng_of(lo, hi);
    return 0;
}

static int load_kinds(const struct json_doc *d, const cJSON *v, unsigned *out, char *err,
                      size_t err_len)
{
    if (!cJSON_IsArray(v)) {
        json_doc_errorf(d, v, 0, err, err_len, "fault_kinds must be a list of fault kinds "
                        "(expected e.g. [\"current_offset\", \"ntc_open\"])");
        return -1;
    }
    unsigned mask = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        int kind = -1;
        for (int k = 0; cJSON_IsString(it) && k < SCN_FAULT_KIND_COUNT; k++)
            if (strcmp(it->valuestring, scn_fault_kind_name(k)) == 0)
                kind = k;
        if (kind < 0) {
            json_doc_errorf(d, it, 0, err, err_len, "unknown fault kind (expected one of "
                            "ntc_open ntc_short sense_open cell_short cell_weak "
                            "cell_resistance current_offset fet_stuck link_break)");
            return -1;
        }
        mask |= 1u << kind;
    }
    *out = mask;
    return 0;
}

int cpg_config_load(struct cpg_config *c, const char *path, char *err, size_t err_len)
{
    struct json_doc d;
    if (json_doc_load(&d, path, err, err_len) != 0)
        return -1;
    int rc = 0;
    if (!cJSON_IsObject(d.root)) {
        json_doc_errorf(&d, d.root, 0, err, err_len, "a campaign config is a JSON object "
                        "(expected {\"packs\": [1, 4], ...})");
        rc = -1;
    }
    const cJSON *m;
    for (m = rc == 0 ? d.root->child : NULL; m && rc == 0; m = m->next) {
        const struct key *k = NULL;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (strcmp(m->string, keys[i].name) == 0)
                k = &keys[i];
        if (!k) {
            json_doc_errorf(&d, m, 1, err, err_len, "unknown key '%s' (expected a key of "
                            "docs/campaigns.md, e.g. packs, ambient_c, fault_kinds)", m->string);
            rc = -1;
        } else if (k->type == K_RANGE) {
            rc = load_range(&d, m, k, (struct cpg_range *)((char *)c + k->offset), err,
                            err_len);
        } else if (k->type == K_PROB || k->type == K_NUMBER) {
            if (!cJSON_IsNumber(m) || !(m->valuedouble >= k->lo && m->valuedouble <= k->hi)) {
                json_doc_errorf(&d, m, 0, err, err_len, "%s must be %s from %g to %g)",
                                k->name, k->type == K_PROB ? "a probability (expected a number"
                                : "one number (expected it", k->lo, k->hi);
                rc = -1;
            } else {
                *(double *)((char *)c + k->offset) = m->valuedouble;
            }
        } else {
            rc = load_kinds(&d, m, &c->fault_kinds, err, err_len);
        }
    }
    if (rc == 0 && c->faults.hi >= 1 && c->fault_kinds == 0) {
        snprintf(err, err_len, "%s: error: fault_kinds is empty while faults allows some "
                 "(expected at least one kind, or \"faults\": 0)", path);
        rc = -1;
    }
    json_doc_free(&d);
    return rc;
}
