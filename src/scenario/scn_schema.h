/* scn_schema.h (internal to src/scenario): the table-driven checks the
 * scenario loader applies to every JSON object: known keys only (with a
 * did-you-mean), no duplicates, each value of the right type and range.
 */
#ifndef GTX_SCN_SCHEMA_H
#define GTX_SCN_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/json_doc.h"
#include "gtx/scenario.h"

/* Valid ranges (docs/spec/SCENARIO.md "Valid ranges", and docs/scenario-notes.md for the
 * keys the spec leaves open), each written as "min, max" for the tables. */
#define SCN_R_SOC 0.0, 100.0
#define SCN_R_TEMP_C (-40.0), 85.0
#define SCN_R_PACK_V 0.0, 100.0
#define SCN_R_CELL_V 0.0, 5.0
#define SCN_R_CURRENT_A (-1000.0), 1000.0
#define SCN_R_LIMIT_A 0.0, 1000.0
#define SCN_R_POWER_W (-100000.0), 100000.0
#define SCN_R_ANY (-1e300), 1e300
#define SCN_R_NONE 0.0, 0.0 /* for types without a numeric range */
#define SCN_R_CYCLES 0.0, 100000.0
#define SCN_R_STANDBY_W 0.0, 10000.0
#define SCN_R_CAPACITY_AH 0.0, 1000.0      /* > 0 */
#define SCN_R_FACTOR 0.0, 1000.0           /* > 0 */
#define SCN_R_RESISTANCE_OHM 0.0, 1000000.0 /* > 0 */
#define SCN_R_CAPACITY_PCT 0.0, 100.0      /* > 0 */
#define SCN_R_CHARGER_V 0.0, 100.0         /* > 0 */
#define SCN_R_SEED 0.0, 9007199254740992.0 /* integers a double holds exactly */

struct scn_ld {
    struct json_doc doc;
    struct scn_scenario *scn;
    char *err;
    size_t err_len;
};

/* Writes "FILE:LINE:COL: error: ..." for node (its key when at_key) into
 * ld->err and returns -1. */
int scn_ld_fail(struct scn_ld *ld, const cJSON *node, int at_key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A short description of a JSON value for messages: 101, "abc", true, null,
 * an object, an array. */
void scn_ld_describe(const cJSON *v, char *buf, size_t len);

/* "'KEY' is GOT (expected EXPECTED)" for node, a value of the wrong kind; returns -1. */
int scn_ld_fail_is(struct scn_ld *ld, const cJSON *node, const char *key, const char *expected);

/* The JSON list under key, each element loaded by load(ld, element, index, slot) into a
 * zeroed array of size-byte slots: *array (NULL when the list is empty), *count the slots
 * handed to load so far (the failing one included, so the caller frees what was made).
 * -1 with the error ("'KEY' is GOT (expected EXPECTED)", out of memory, or load's own). */
int scn_ld_list(struct scn_ld *ld, const cJSON *list, const char *key, const char *expected,
                size_t size, int (*load)(struct scn_ld *ld, const cJSON *o, int index, void *slot),
                void **array, int *count);

/* " did you mean 'x'?" style help: the known word nearest to word, or NULL
 * when none is close enough. */
const char *scn_ld_nearest(const char *word, const char *const *known, int count);

/* "a, b, c" into buf. */
/* The words of "do" and of a fault "kind" (scn_names.c), for the event loader. */
extern const char *const scn_action_names[SCN_DO_COUNT];
extern const char *const scn_fault_kind_names[SCN_FAULT_KIND_COUNT];

void scn_ld_join(char *buf, size_t len, const char *const *words, int count);

/* The error for a string value that is not one of names:
 * "unknown WHAT 'x' (expected one of a, b, c; did you mean 'y'?)". */
int scn_ld_fail_unknown(struct scn_ld *ld, const cJSON *node, int at_key, const char *what,
                        const char *word, const char *const *names, int count);

enum scn_ftype {
    SCN_F_SKIP,     /* known key, handled by the caller */
    SCN_F_NUM,      /* double in [min, max] */
    SCN_F_INT,      /* int in [min, max] */
    SCN_F_U64,      /* uint64_t in [min, max] */
    SCN_F_BOOL,     /* bool */
    SCN_F_TRUE,     /* bool that must be true ("idle": true, "off": true) */
    SCN_F_TEXT,     /* char *, malloc'ed */
    SCN_F_DUR,      /* double seconds, > 0 and <= 400 d */
    SCN_F_TIME,     /* double seconds, 0 .. the scenario's duration */
    SCN_F_PACK,     /* int, 1 .. the scenario's pack count */
    SCN_F_CELL,     /* int 1-16 */
    SCN_F_SENSOR,   /* int 1-6 */
    SCN_F_ENUM,     /* int: index into names */
    SCN_F_CABLE,    /* struct scn_cable: ["1.out", "2.in"] */
    SCN_F_WINDOW,   /* int[2]: ["03:00", "06:00"] as minutes */
    SCN_F_DATETIME, /* struct scn_datetime: "2026-07-01T12:00:00" */
};

enum {
    SCN_F_REQUIRED = 1u << 0,
    SCN_F_MIN_EXCLUSIVE = 1u << 1, /* > min instead of >= min */
};

struct scn_field {
    const char *key;
    enum scn_ftype type;
    double min, max;
    unsigned flags;
    size_t offset;    /* where the value goes in the target */
    unsigned set_bit; /* or'ed into *set when the key is present */
    const char *const *names; /* SCN_F_ENUM */
    int name_count;
};

/* Checks obj (which must be an object; what names it in messages, e.g.
 * "packs[1]") against the table and stores every value in target. Keys of
 * type SCN_F_SKIP are allowed and left to the caller. set may be NULL. */
int scn_ld_fields(struct scn_ld *ld, const cJSON *obj, const char *what,
                  const struct scn_field *fields, int count, void *target, unsigned *set);

/* One value of the table's type, alone (for callers that walk by hand). */
int scn_ld_value(struct scn_ld *ld, const cJSON *v, const struct scn_field *f, void *target);

/* A time (at, by, from, to) or a duration; the same checks as the table. */
int scn_ld_time(struct scn_ld *ld, const cJSON *v, const char *key, double *out_s);

/* A cable ["1.out", "2.in"] with packs that exist and two different ports. */
int scn_ld_cable(struct scn_ld *ld, const cJSON *v, const char *key, struct scn_cable *out);

/* The member called key, or NULL. */
const cJSON *scn_ld_member(const cJSON *obj, const char *key);

/* The keys of the inverter object (offsets into struct scn_inverter). */
const struct scn_field *scn_ld_inverter_fields(int *count);

int scn_ld_events(struct scn_ld *ld, const cJSON *events);
int scn_ld_expects(struct scn_ld *ld, const cJSON *expects);

char *scn_ld_strdup(const char *s);

/* Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian). */
int64_t scn_days_from_civil(int y, int m, int d);

/* The scenario's "profile" and "can_log" keys (scn_profile_load.c, scn_canlog_load.c). */
int scn_ld_profile(struct scn_ld *ld, const cJSON *profile);
int scn_ld_canlog(struct scn_ld *ld, const cJSON *can_log);

/* A "file" relative to the scenario's folder: the name as written into file,
 * the path to open into path (what: the expected text of a wrong value). */
int scn_ld_path(struct scn_ld *ld, const cJSON *v, const char *what, char *file,
                size_t file_len, char *path, size_t path_len);

/* "utc_offset": "+01:00", "-05:30" or "Z" as seconds. */
int scn_ld_utc_offset(struct scn_ld *ld, const cJSON *v, double *out_s);

/* An exercise's "training" block into ld->scn->training (scn_training.c). */
int scn_ld_training(struct scn_ld *ld, const cJSON *o);
struct trn_actions;
/* A list of trainee actions under key, loaded as "events" are (scn_training.c). */
int trn_ld_actions(struct scn_ld *ld, const cJSON *list, const char *key,
                   struct trn_actions *out);
/* Fails at the first action of list later than limit_s ("KEY[i] is after the time limit"). */
int trn_ld_within(struct scn_ld *ld, const cJSON *list, const struct trn_actions *a,
                  double limit_s, const char *key);

#endif
