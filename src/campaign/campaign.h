/* campaign.h: random fault campaigns (docs/campaigns.md). A seed becomes a site
 * (packs, inverter, a timeline of power steps, ambient ramps, CAN pulls and
 * faults), the site becomes an ordinary scenario file, the runner plays it and
 * a checker watches the safety invariants of docs/spec/SAFETY.md through
 * gtx/sim_view.h. A failing site is shrunk to a small scenario that fails the
 * same invariant. Private to src/campaign and the cmd_campaign / cmd_sweep
 * commands: it uses only gtx/sim.h, gtx/sim_view.h and the runner's API.
 */
#ifndef GTX_CAMPAIGN_H
#define GTX_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gtx/cell.h"
#include "gtx/scenario.h"

struct bms_config; /* the firmware table a run uses (NULL: the default) */

/* ---- the generator's distribution (docs/campaigns.md, "The config") ---- */

struct cpg_range {
    double lo, hi; /* uniform in [lo, hi]; lo == hi: that value */
};

struct cpg_config {
    struct cpg_range packs;           /* 1-4, integer */
    struct cpg_range duration_s;      /* log-uniform */
    struct cpg_range ambient_c;
    struct cpg_range ambient_ramps;   /* integer count */
    struct cpg_range ramp_c;          /* temperatures the ramps go to */
    struct cpg_range soc_pct;
    struct cpg_range temperature_c;   /* each pack's start temperature */
    struct cpg_range capacity_spread_pct, resistance_spread_pct, soc_spread_pct,
        self_discharge_spread_pct;
    struct cpg_range cable_mohm;
    struct cpg_range cycles;
    double manual_p;                  /* chance of a manual (misconfigured) inverter */
    struct cpg_range charge_voltage_v;
    struct cpg_range inverter_current_a; /* the inverter's own charge/discharge settings */
    struct cpg_range cutoff_voltage_v;
    struct cpg_range setting_changes; /* integer count of later "inverter" setting events */
    struct cpg_range power_steps;     /* integer count */
    struct cpg_range power_w;         /* > 0 charges */
    double current_step_p;            /* chance a step is a current, not a power */
    struct cpg_range step_current_a;
    double charger_p;
    struct cpg_range charger_voltage_v, charger_current_a;
    double can_pull_p;
    struct cpg_range faults;          /* integer count */
    unsigned fault_kinds;             /* bit (1u << enum scn_fault_kind) */
    double clear_p;                   /* a fault is cleared later */
    double restart_p;                 /* ... and the pack restarted with its button */
    /* The wall-clock backstop (docs/campaigns.md, "Hangs"): wall seconds a worker
     * may spend in one call into the simulator before it is killed as `hang`. The
     * hang guard proper counts simulated progress (cpg_check.c). */
    double hang_timeout_s;
    /* Test only (0: off): from this simulated second the checker sees the clock
     * stand still, as a simulator that stopped moving it would show, so that a
     * test can provoke the hang guard (tests/campaign "hang_guard"). */
    double test_stall_at_s;
};

void cpg_config_defaults(struct cpg_config *c);
/* Reads a JSON config over the defaults; 0, or -1 with "FILE:LINE:COL: error: ...". */
int cpg_config_load(struct cpg_config *c, const char *path, char *err, size_t err_len);

/* ---- a site ---- */

enum cpg_ev_kind {
    CPG_EV_POWER,     /* inverter power_w (a), or current_a (a) when i1, or idle when i2 */
    CPG_EV_SETTINGS,  /* inverter mode (i1: manual), charge_voltage_v a, currents b c, cutoff d */
    CPG_EV_AMBIENT,   /* temperature a, ramp b */
    CPG_EV_CHARGER,   /* voltage a, current b */
    CPG_EV_CHARGER_OFF,
    CPG_EV_CAN,       /* connected: i1 */
    CPG_EV_FAULT,     /* fault kind i1 on pack, where i2, value a, which i3 */
    CPG_EV_CLEAR,     /* the same fault cleared */
    CPG_EV_PRESS,     /* pack's button, hold a */
};

struct cpg_event {
    double at_s;
    enum cpg_ev_kind kind;
    int pack;  /* 1-4, 0: none */
    int group; /* events of one group (a fault, its clear and restart) go together */
    int i1, i2, i3;
    double a, b, c, d;
};

struct cpg_pack {
    double soc, temperature_c, cable_mohm, cycles;
    double spread[4]; /* capacity, resistance, soc, self-discharge; < 0: default */
};

#define CPG_MAX_EVENTS 64

struct cpg_site {
    uint64_t seed;
    double duration_s;
    double ambient_c;
    int start_hour;
    int pack_count;
    struct cpg_pack pack[SCN_MAX_PACKS];
    bool manual;
    double charge_voltage_v, charge_current_a, discharge_current_a, cutoff_voltage_v;
    bool inverter_default; /* the settings are the defaults (not written) */
    int event_count;
    struct cpg_event ev[CPG_MAX_EVENTS];
};

void cpg_generate(const struct cpg_config *c, uint64_t seed, struct cpg_site *out);

/* The site as scenario JSON (one event per line). Expectations: expect_json,
 * a comma-separated list of objects, or NULL. Returns a heap string. */
char *cpg_site_json(const struct cpg_site *s, const char *name, const char *expect_json);

/* ---- the safety invariants (docs/spec/SAFETY.md) ---- */

#define CPG_INVARIANT_LIST(X)                                                               \
    X(CELL_OV, "cell_ov")                                                                   \
    X(CELL_UV, "cell_uv")                                                                   \
    X(CHARGE_TEMP, "charge_temp")                                                           \
    X(DISCHARGE_TEMP, "discharge_temp")                                                     \
    X(OVERCURRENT, "overcurrent")                                                           \
    X(DIRECTION, "direction")                                                               \
    X(FAULT_OPENS, "fault_opens")                                                           \
    X(LIMIT_TOLD, "limit_told")                                                             \
    X(FET_REPORTED, "fet_reported")                                                         \
    X(NAN, "nan")                                                                           \
    X(CRASH, "crash")                                                                       \
    X(HANG, "hang")

enum cpg_invariant {
#define X(id, name) CPG_INV_##id,
    CPG_INVARIANT_LIST(X)
#undef X
    CPG_INV_COUNT
};

const char *cpg_invariant_name(int inv);
int cpg_invariant_from_name(const char *name);

/* A site's verdict: the first violation (by time) or none. */
struct cpg_verdict {
    bool failed;
    int invariant;   /* enum cpg_invariant */
    int pack;        /* 1-4, 0: the system */
    double t_s;      /* when the invariant was found broken */
    int dir;         /* the current's direction it is about: 1 charge, -1 discharge, 0 both */
    double bound;    /* limit_told: the largest limit it could have told (A) */
    char detail[160];
};

/* Runs a site (JSON text) and checks the invariants, with the hang guard and
 * the wall-clock backstop and test stall of cc (NULL: the defaults). Returns 0,
 * or -1 with err (the text did not load: a generator bug). */
int cpg_run_text(const char *json, const struct cpg_config *cc, const struct cell_params *cell,
                 const struct bms_config *cfg, struct cpg_verdict *out, char *err,
                 size_t err_len);
/* Generates, runs and checks one seed. */
int cpg_run_seed(const struct cpg_config *c, uint64_t seed, const struct cell_params *cell,
                 const struct bms_config *cfg, struct cpg_verdict *out, char *err,
                 size_t err_len);

/* ---- minimisation (docs/campaigns.md, "Minimisation") ---- */

/* Shrinks site (which fails invariant v->invariant) in place: the duration
 * first, then packs, event groups and pack details, keeping every step that
 * still fails the same invariant. out is its verdict. Returns the runs made. */
int cpg_minimise(struct cpg_site *site, const struct cpg_config *cc,
                 const struct cell_params *cell, const struct bms_config *cfg,
                 const struct cpg_verdict *v, struct cpg_verdict *out);

/* The expectation that states the invariant at the instant it broke, as
 * scenario JSON (for the minimised file to check itself). */
void cpg_expectation(const struct cpg_verdict *v, char *buf, size_t len);

/* ---- results and reports (docs/campaigns.md, "Outputs") ---- */

/* One seed's result: one line of results.tsv,
 * "SEED\tpass" or "SEED\tINVARIANT\tPACK\tT_S\tDETAIL". */
struct cpg_result {
    uint64_t seed;
    int invariant; /* -1: passed */
    int pack;
    double t_s;
    char detail[200];
};

void cpg_result_format(const struct cpg_result *r, char *buf, size_t len); /* with '\n' */
/* 0, or -1 when the line is not a result line. */
int cpg_result_parse(const char *line, struct cpg_result *r);
/* Sorts by seed; -1 (and the seed in *dup) when a seed is there twice. */
int cpg_results_sort(struct cpg_result *rs, size_t n, uint64_t *dup);
/* mkdir -p: 0, or -1 with errno. */
int cpg_mkdirs(const char *dir);
/* DIR/results.tsv, DIR/summary.json, DIR/junit.xml from sorted results (the
 * same bytes whatever shards or workers made them). 0, or -1 after a message. */
int cpg_report_write(const char *cmd, const char *dir, const struct cpg_result *rs, size_t n);

/* ---- running many sites in forked workers ---- */

/* One unit of work: writes its one-line result to the stream it is given. */
typedef void (*cpg_job_fn)(void *ctx, uint64_t item, FILE *out);
/* Runs job for each item in [0, n) on up to jobs worker processes (one fork per
 * item, so that a crash or a hang is that item's result); result(ctx, item,
 * line, status) gets each item's text in item order and how the worker ended
 * (0: normally; else the signal). hang_s > 0: a worker is killed by SIGALRM
 * after it, unless it re-arms its alarm (cpg_check does while it makes progress). */
int cpg_pool_run(uint64_t n, int jobs, double hang_s, cpg_job_fn job,
                 void (*result)(void *ctx, uint64_t item, const char *text, int signal),
                 void *ctx);

#endif
