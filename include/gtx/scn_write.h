/* scn_write.h: the output files of `gtxsim run` (docs/spec/CLI.md): the trace CSV, the
 * candump -l log of the inverter bus and the JUnit XML report. Pure writers
 * over plain structs; number formats are fixed so that outputs are
 * deterministic (docs/scenario-notes.md lists them).
 */
#ifndef GTX_SCN_WRITE_H
#define GTX_SCN_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gtx/board.h"
#include "gtx/scenario.h"

/* ---- trace CSV ---- */

/* One pack at one sample instant. */
struct scn_trace_row {
    double t_s;        /* seconds since t = 0 */
    int pack;          /* 1-4 */
    int state;         /* enum bms_state */
    char leds[9];      /* LED word, L8 first */
    char lit[9];       /* 0/1 per LED at this instant, L8 first */
    int soc;           /* SOC shown by the BMS, integer % */
    double true_soc;   /* mean true SOC of the cells, % */
    double voltage_v;  /* pack terminal voltage */
    double current_a;  /* > 0 charging */
    double cell_v_min, cell_v_max;
    double temp_min_c, temp_max_c;
    double cvl_v, ccl_a, dcl_a; /* as sent on CAN */
    bool dry_chg, dry_dsg;      /* prohibit contacts closed */
    uint32_t protect;  /* bit (1u << enum bms_protect_id) per active protection */
    uint32_t fault;    /* bit per enum bms_fault_id */
    uint32_t alarm;    /* bit per enum bms_alarm_id */
    uint16_t balancing; /* bit k-1: cell k bleeding */
    double cell_v[SCN_CELLS];      /* SCN_TRACE_CELLS only */
    double cell_temp_c[SCN_CELLS]; /* SCN_TRACE_CELLS only */
    double case_c, fet_c;          /* SCN_TRACE_THERMAL only: the plant's case and MOSFETs */
    double ntc_c[SCN_SENSORS];     /* SCN_TRACE_THERMAL only: the NTCs as the AFE reads them */
    const char *limit; /* SCN_TRACE_LIMIT only: the replay's limit name, "" none */
};

/* Optional column groups, after the fixed ones in this order: cells, thermal,
 * limit (the format is a contract: a group only adds columns, and limit stays
 * the last column). */
enum {
    SCN_TRACE_CELLS = 1u << 0,   /* --cells: v1..v16,t1..t16 */
    SCN_TRACE_LIMIT = 1u << 1,   /* a profile drives the inverter: limit */
    SCN_TRACE_THERMAL = 1u << 2, /* --thermal: case_c,fet_c,ntc1_c..ntc6_c */
};

/* Longest line the trace writer produces, newline and NUL included. */
#define SCN_TRACE_LINE_MAX 2048

/* The header line (with '\n'); groups is a set of SCN_TRACE_* flags. Returns
 * the length (as snprintf). */
int scn_trace_header(char *buf, size_t len, unsigned groups);
/* One row (with '\n'). */
int scn_trace_format_row(char *buf, size_t len, const struct scn_trace_row *row, unsigned groups);
/* The same to a stream; 0 or -1 on a write error. */
int scn_trace_write_header(FILE *f, unsigned groups);
int scn_trace_write_row(FILE *f, const struct scn_trace_row *row, unsigned groups);

/* ---- candump -l ---- */

/* "(SECONDS.MICROS) IFACE ID#HEXDATA\n" with SECONDS zero-padded to 10 digits
 * as candump does, the ID as 3 hex digits (8 when extended), the data in
 * upper-case hex. Returns the length (as snprintf). */
int scn_candump_format(char *buf, size_t len, uint64_t t_us, const char *iface,
                       const struct board_can_frame *frame);
/* The same to a stream, on "can0"; 0 or -1. */
int scn_candump_write(FILE *f, uint64_t t_us, const struct board_can_frame *frame);

/* ---- JUnit XML ---- */

/* Escapes text for XML content and attribute values (& < > " ' and control
 * characters; invalid XML characters become '?'). Writes at most len - 1
 * characters and a NUL; returns the full escaped length. */
size_t scn_xml_escape(char *buf, size_t len, const char *text);

struct scn_junit_case {
    const char *name;    /* e.g. "expect[3] (at 2h, pack 1)" */
    const char *failure; /* NULL when it passed; else the one-line failure message */
    bool skipped;        /* not reached: the run was stopped early (--until) */
    const char *error;   /* not NULL: undecided, the run was interrupted (an <error>) */
};

struct scn_junit_suite {
    const char *name;   /* the scenario's name */
    const char *file;   /* the scenario file */
    const struct scn_junit_case *cases;
    int case_count;
    const char *interrupted; /* not NULL: how the run was cut short (a property) */
};

/* One <testsuite> per scenario inside <testsuites>. 0, or -1 on a write error. */
int scn_junit_write(FILE *f, const struct scn_junit_suite *suites, int suite_count);

#endif
