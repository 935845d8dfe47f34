/* scn_compare: the field log against the simulation (gtx/scn_compare.h,
 * docs/replay.md "Comparison"). Fixed number formats, so the same run writes
 * the same bytes.
 */
#include "gtx/scn_compare.h"

#include <math.h>
#include <string.h>

#include "gtx/scenario.h"

static const char *const names[SCN_CMP_COUNT] = {"soc_pct", "voltage_v", "current_a"};
static const char *const formats[SCN_CMP_COUNT] = {"%.2f", "%.3f", "%.2f"};

const char *scn_compare_name(enum scn_cmp_q q)
{
    return (unsigned)q < SCN_CMP_COUNT ? names[q] : "?";
}

void scn_compare_add(struct scn_compare_stat *st, double t_s, double sim, double log)
{
    double d = fabs(sim - log);
    if (st->n == 0)
        st->first_beyond_t_s = -1.0;
    st->n++;
    st->sum_sq += d * d;
    if (d > st->max_abs || st->n == 1) {
        st->max_abs = d;
        st->max_t_s = t_s;
    }
    if (d > st->tolerance && st->first_beyond_t_s < 0.0)
        st->first_beyond_t_s = t_s;
}

void scn_compare_format(const struct scn_compare_stat *st, enum scn_cmp_q q, char *buf,
                        size_t len)
{
    if (st->n == 0) {
        snprintf(buf, len, "%s: no points", names[q]);
        return;
    }
    char at[32], first[32];
    scn_duration_format(st->max_t_s, at, sizeof at);
    if (st->first_beyond_t_s >= 0.0)
        scn_duration_format(st->first_beyond_t_s, first, sizeof first);
    snprintf(buf, len, "%s: %llu points, rms %.3g, max %.3g at %s, %s %g%s%s", names[q],
             (unsigned long long)st->n, sqrt(st->sum_sq / (double)st->n), st->max_abs, at,
             st->first_beyond_t_s >= 0.0 ? "first beyond" : "never beyond", st->tolerance,
             st->first_beyond_t_s >= 0.0 ? " at " : "",
             st->first_beyond_t_s >= 0.0 ? first : "");
}

void scn_compare_write_header(FILE *f)
{
    fputs("t_s,soc_log_pct,soc_sim_pct,voltage_log_v,voltage_sim_v,current_log_a,"
          "current_sim_a\n", f);
}

static void cell(FILE *f, const char *fmt, double v)
{
    char buf[64];
    fputc(',', f);
    if (isnan(v))
        return;
    snprintf(buf, sizeof buf, fmt, v);
    /* no "-0.00": a value that rounds to zero is written without a sign */
    bool zero = buf[strspn(buf, "-0.")] == '\0';
    fputs(zero && buf[0] == '-' ? buf + 1 : buf, f);
}

void scn_compare_write_row(FILE *f, double t_s, const double log[SCN_CMP_COUNT],
                           const double sim[SCN_CMP_COUNT])
{
    fprintf(f, "%.3f", t_s);
    for (int q = 0; q < SCN_CMP_COUNT; q++) {
        cell(f, formats[q], log[q]);
        cell(f, formats[q], isnan(log[q]) ? NAN : sim[q]);
    }
    fputc('\n', f);
}
