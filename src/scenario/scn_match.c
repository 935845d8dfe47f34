/* scn_match: comparisons of docs/spec/SCENARIO.md "Durations and numbers" and the
 * one-line failure message, shared by the runner and the tests so that both
 * read the contract the same way.
 */
#include "gtx/scn_match.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The tolerance of a bare number: 0.5 % of |v|, at least 0.01. */
#define SCN_MATCH_REL 0.005
#define SCN_MATCH_ABS 0.01

bool scn_match_number(double want, double got)
{
    if (isnan(want) || isnan(got))
        return false;
    double tol = fmax(SCN_MATCH_REL * fabs(want), SCN_MATCH_ABS);
    return fabs(got - want) <= tol;
}

bool scn_match_range(double min, double max, double got)
{
    return got >= min && got <= max; /* false for NaN */
}

bool scn_check_match_number(const struct scn_check *c, double got)
{
    if (c->kind == SCN_VAL_RANGE)
        return scn_match_range(c->min, c->max, got);
    if (c->kind == SCN_VAL_NUMBER)
        return scn_match_number(c->num, got);
    return false;
}

bool scn_leds_valid(const char *word)
{
    return word && strlen(word) == 8 && strspn(word, "01abc") == 8;
}

bool scn_match_leds(const char *want, const char *got)
{
    return scn_leds_valid(want) && scn_leds_valid(got) && strcmp(want, got) == 0;
}

int scn_check_format_want(const struct scn_check *c, char *buf, size_t len)
{
    switch (c->kind) {
    case SCN_VAL_NUMBER: return snprintf(buf, len, "%.15g", c->num);
    case SCN_VAL_RANGE: return snprintf(buf, len, "[%.15g, %.15g]", c->min, c->max);
    case SCN_VAL_BOOL: return snprintf(buf, len, "%s", c->flag ? "true" : "false");
    case SCN_VAL_INT: return snprintf(buf, len, "%d", c->integer);
    case SCN_VAL_LEDS: return snprintf(buf, len, "%s", c->leds);
    case SCN_VAL_TEXT: return snprintf(buf, len, "%s", c->text ? c->text : "");
    case SCN_VAL_NAME: {
        const char *name = NULL;
        if (c->integer < 0)
            name = "none";
        else if (c->key == SCN_CHECK_STATE)
            name = scn_state_name(c->integer);
        else if (c->key == SCN_CHECK_PROTECT)
            name = scn_protect_name(c->integer);
        else if (c->key == SCN_CHECK_FAULT)
            name = scn_fault_name(c->integer);
        else
            name = scn_alarm_name(c->integer);
        return snprintf(buf, len, "%s", name ? name : "?");
    }
    case SCN_VAL_IDS: {
        if (c->mask == 0)
            return snprintf(buf, len, "none");
        return scn_format_ids(buf, len, c->mask,
                              c->key == SCN_CHECK_CAN_PROTECT ? scn_protect_name
                                                              : scn_alarm_name);
    }
    }
    return snprintf(buf, len, "?");
}

int scn_format_expect_label(char *buf, size_t len, const struct scn_expect *e)
{
    if (e->pack == SCN_PACK_SYSTEM)
        return snprintf(buf, len, "expect[%d] (%s, system)", e->index, e->when_text);
    return snprintf(buf, len, "expect[%d] (%s, pack %d)", e->index, e->when_text, e->pack);
}

int scn_format_failure(char *buf, size_t len, const char *file, const struct scn_expect *e,
                       const struct scn_check *c, const char *got, const char *context)
{
    char label[160], want[256];
    scn_format_expect_label(label, sizeof label, e);
    scn_check_format_want(c, want, sizeof want);
    const char *key = scn_check_name(c->key);
    if (context && context[0])
        return snprintf(buf, len, "%s: %s: %s wanted %s, got %s (%s)", file, label,
                        key ? key : "?", want, got, context);
    return snprintf(buf, len, "%s: %s: %s wanted %s, got %s", file, label, key ? key : "?",
                    want, got);
}
