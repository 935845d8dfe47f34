/* scn_compare.h: the simulated pack against what the field's BMS logged
 * (docs/replay.md, "Comparison"): at each logged sample, the difference of
 * SOC, voltage and current, summed into RMS, max and the first instant
 * beyond a tolerance; one CSV row per logged sample.
 */
#ifndef GTX_SCN_COMPARE_H
#define GTX_SCN_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum scn_cmp_q { SCN_CMP_SOC, SCN_CMP_VOLTAGE, SCN_CMP_CURRENT, SCN_CMP_COUNT };

struct scn_compare_stat {
    bool used;              /* the log has this quantity */
    double tolerance;
    uint64_t n;             /* samples compared */
    double sum_sq;
    double max_abs, max_t_s;  /* the largest |sim - log| and when */
    double first_beyond_t_s;  /* the first instant |sim - log| > tolerance; < 0: never */
};

/* Adds one pair (sim - log) at t_s. */
void scn_compare_add(struct scn_compare_stat *st, double t_s, double sim, double log);

/* "soc_pct: 289 points, rms 3.21, max 8.00 at 12h5m, first beyond 5 at 11h40m"
 * (or "..., never beyond 5"; "no points" when none). */
void scn_compare_format(const struct scn_compare_stat *st, enum scn_cmp_q q, char *buf,
                        size_t len);

const char *scn_compare_name(enum scn_cmp_q q); /* soc_pct, voltage_v, current_a */

/* The CSV: header, then rows of t and (log, sim) per quantity; NAN is blank. */
void scn_compare_write_header(FILE *f);
void scn_compare_write_row(FILE *f, double t_s, const double log[SCN_CMP_COUNT],
                           const double sim[SCN_CMP_COUNT]);

#endif
