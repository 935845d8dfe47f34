/* scn_profile.h: a field log replayed as the inverter's set-point (the
 * scenario's "profile" key, docs/replay.md). The loader checks the whole CSV
 * once (streaming); the runner opens it again and asks the player for the
 * set-point at each instant its output changes (scn_profile_next_change_ms),
 * so a year at 1-minute samples is never in memory.
 */
#ifndef GTX_SCN_PROFILE_H
#define GTX_SCN_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtx/scn_csv.h"

struct sim;

/* What a mapped column or entity means. */
#define SCN_PQ_LIST(X)                                                                      \
    X(BATTERY_W, "battery_w")                                                               \
    X(BATTERY_A, "battery_a")                                                               \
    X(PV_W, "pv_w")                                                                         \
    X(LOAD_W, "load_w")                                                                     \
    X(AMBIENT_C, "ambient_c")                                                               \
    X(GRID, "grid")                                                                         \
    X(SOC_PCT, "soc_pct")                                                                   \
    X(VOLTAGE_V, "voltage_v")                                                               \
    X(CURRENT_A, "current_a")

enum scn_pq {
#define X(id, name) SCN_PQ_##id,
    SCN_PQ_LIST(X)
#undef X
    SCN_PQ_COUNT
};

enum scn_prof_layout {
    SCN_PROF_COLUMNS,        /* one row per sample, one column per quantity */
    SCN_PROF_HOME_ASSISTANT, /* entity_id,state,last_changed: one row per change */
};
enum scn_prof_time { SCN_PT_SECONDS, SCN_PT_EPOCH, SCN_PT_ISO8601 };
enum scn_prof_interp { SCN_PI_STEP, SCN_PI_LINEAR };

#define SCN_PROF_NAME_MAX 128

struct scn_prof_map {
    bool used;
    char name[SCN_PROF_NAME_MAX]; /* the column (or the Home Assistant entity) */
    char unit[16];                /* "" : from the header, else the base unit */
    double sign;                  /* +1, or -1 for discharge_positive */
};

struct scn_profile_spec {
    char file[512];                /* as the scenario writes it, for messages at its key */
    char path[1024];               /* the CSV, as opened (relative to the scenario's folder) */
    enum scn_prof_layout layout;
    char time_column[SCN_PROF_NAME_MAX];
    enum scn_prof_time time_format;
    double utc_offset_s;           /* local time = UTC + this (epoch, ISO times with a zone) */
    int64_t start_epoch_s;         /* the scenario's t = 0 on its local clock */
    double duration_s;             /* the scenario's */
    enum scn_prof_interp interp;
    double resample_s;             /* linear: the set-point is renewed this often */
    double gap_s;                  /* samples further apart: the inverter is off */
    char sep;                      /* 0: from the header */
    struct scn_prof_map map[SCN_PQ_COUNT];
    double tolerance[3];           /* comparison: soc_pct, voltage_v, current_a */
    /* Found by the loader's pass over the file. */
    uint64_t rows;
};

/* What the log says at one instant (NAN where it says nothing). */
struct scn_profile_out {
    bool off;                      /* no drive data here (before the log, a gap, a blank) */
    bool current;                  /* the set-point is drive_a, else drive_w */
    double drive_w, drive_a;       /* > 0 charges the battery */
    double v[SCN_PQ_COUNT];        /* every mapped quantity, in base units, sign applied */
};

/* The player: one CSV cursor per mapped quantity and two samples each. */
struct scn_prof_chan {
    bool used;
    struct scn_csv csv;
    int time_field, value_field, entity_field;
    double scale, sign;
    bool has_a, has_b, eof;
    int64_t ta_ms, tb_ms;
    double va, vb;                 /* NAN: a blank or "unavailable" */
    long b_row;                    /* the row of sample b, for messages */
};

struct scn_profile {
    const struct scn_profile_spec *spec;
    struct scn_prof_chan ch[SCN_PQ_COUNT];
    uint64_t next_ms;              /* when the output next changes */
    bool applied, off_applied;
    double saved_standby_w;
    uint64_t samples_held_peak;    /* samples in memory at once, all quantities */
};

/* Opens the CSV for every mapped quantity and finds its columns. -1 with the
 * message in err; *bad is then the quantity whose column is missing (or -1
 * for any other error), so that the loader can point at its key. */
int scn_profile_open(struct scn_profile *p, const struct scn_profile_spec *spec, int *bad,
                     char *err, size_t err_len);
void scn_profile_close(struct scn_profile *p);

/* What the log says at t_ms (non-decreasing from call to call); *next_ms is
 * when it changes next (UINT64_MAX: never). -1 with a CSV error in err. */
int scn_profile_at(struct scn_profile *p, uint64_t t_ms, struct scn_profile_out *out,
                   uint64_t *next_ms, char *err, size_t err_len);

/* The runner's hook: at t_ms >= scn_profile_next_change_ms, sets the inverter
 * (and the ambient) from the log. 0, or -1 with the message. */
int scn_profile_apply(struct scn_profile *p, struct sim *s, uint64_t t_ms, char *err,
                      size_t err_len);
uint64_t scn_profile_next_change_ms(const struct scn_profile *p);

/* Reads the whole file once as the player would (the loader's check): every
 * number, time and order. *last_ms is the earliest of the drive quantities'
 * last sample times, *last_row that sample's row. */
int scn_profile_scan(const struct scn_profile_spec *spec, int *bad, uint64_t *rows,
                     int64_t *last_ms, long *last_row, char *err, size_t err_len);

const char *scn_pq_name(enum scn_pq q);

#endif
