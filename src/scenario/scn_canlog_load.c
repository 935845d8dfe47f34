/* scn_canlog_load: the scenario's "can_log" key (docs/replay.md "A CAN log as
 * input"): which file, how its timestamps land on the scenario's clock, which
 * ids to replay; the whole log read once so that a bad line stops the
 * scenario before anything runs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/scn_canlog.h"
#include "scn_schema.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof(a)[0]))

static const char *const align_names[] = {"first", "clock"};

struct canlog_scratch {
    int align;
    double at_s;
};

static const struct scn_field canlog_fields[] = {
    {"file", SCN_F_SKIP, SCN_R_NONE, SCN_F_REQUIRED, 0, 0, NULL, 0},
    {"align", SCN_F_ENUM, SCN_R_NONE, 0, offsetof(struct canlog_scratch, align), 0,
     align_names, 2},
    {"at", SCN_F_TIME, SCN_R_NONE, 0, offsetof(struct canlog_scratch, at_s), 0, NULL, 0},
    {"utc_offset", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
    {"ids", SCN_F_SKIP, SCN_R_NONE, 0, 0, 0, NULL, 0},
};

/* "ids": ["305", "0x1806E5F4"]: hex strings (extended ids have 8 digits). */
static int load_ids(struct scn_ld *ld, const cJSON *v, struct scn_canlog_spec *spec)
{
    const char *expected = "a list of CAN ids in hex such as [\"305\"]";
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0 ||
        cJSON_GetArraySize(v) > SCN_CANLOG_IDS_MAX)
        return scn_ld_fail_is(ld, v, "ids", expected);
    for (const cJSON *e = v->child; e; e = e->next) {
        const char *s = cJSON_IsString(e) ? e->valuestring : "";
        if (strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0)
            s += 2;
        char *end;
        unsigned long id = strtoul(s, &end, 16);
        if (*s == '\0' || *end != '\0' || id > 0x1FFFFFFFul || strspn(s, "0123456789abcdef"
                                                                    "ABCDEF") != strlen(s))
            return scn_ld_fail(ld, e, 0, "bad CAN id in 'ids' (expected %s)", expected);
        spec->ids[spec->n_ids++] = (uint32_t)id;
    }
    return 0;
}

int scn_ld_canlog(struct scn_ld *ld, const cJSON *o)
{
    if (!cJSON_IsObject(o))
        return scn_ld_fail_is(ld, o, "can_log", "an object such as {\"file\": "
                              "\"inverter.log\"}");
    struct scn_canlog_spec *spec = calloc(1, sizeof *spec);
    if (!spec)
        return scn_ld_fail(ld, o, 0, "out of memory (expected a smaller file)");
    ld->scn->can_log = spec;
    struct canlog_scratch s = {0};
    double utc_offset_s = 0.0;
    const cJSON *v;
    if (scn_ld_fields(ld, o, "can_log", canlog_fields, COUNT(canlog_fields), &s, NULL) < 0 ||
        scn_ld_path(ld, scn_ld_member(o, "file"), "the log's file name, relative to the "
                    "scenario", spec->file, sizeof spec->file, spec->path,
                    sizeof spec->path) < 0 ||
        ((v = scn_ld_member(o, "utc_offset")) && scn_ld_utc_offset(ld, v, &utc_offset_s) < 0) ||
        ((v = scn_ld_member(o, "ids")) && load_ids(ld, v, spec) < 0))
        return -1;
    if (s.align == 0 && scn_ld_member(o, "utc_offset"))
        return scn_ld_fail(ld, scn_ld_member(o, "utc_offset"), 1, "'utc_offset' with "
                           "\"align\": \"first\" (expected it only with \"align\": \"clock\")");
    spec->clock = s.align == 1;
    spec->at_us = llround(s.at_s * 1e6);
    spec->utc_offset_us = llround(utc_offset_s * 1e6);
    spec->start_epoch_us = ld->scn->start_epoch_s * 1000000;
    return scn_canlog_scan(spec, ld->err, ld->err_len);
}
