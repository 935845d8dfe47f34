/* scn_trace: the trace CSV and the candump log of `gtxsim run` (docs/spec/CLI.md).
 * Every number has a fixed format, so that the same run writes the same
 * bytes: t_s %.3f, V %.3f, A %.2f, degC %.1f, SOC %.2f, CAN limits %.1f
 * (their 0.1 V / 0.1 A resolution); "-0.000" is written "0.000".
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gtx/scn_write.h"

/* An snprintf that appends and keeps counting past the end of the buffer. */
struct out {
    char *buf;
    size_t len;
    size_t n;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *at = o->n < o->len ? o->buf + o->n : NULL;
    size_t room = o->n < o->len ? o->len - o->n : 0;
    int w = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (w > 0)
        o->n += (size_t)w;
}

/* ",%.Nf" without negative zero; NaN and infinities as nan / inf / -inf. */
static void put_fixed(struct out *o, int decimals, double x)
{
    if (isnan(x)) {
        put(o, ",nan");
        return;
    }
    if (isinf(x)) {
        put(o, x > 0 ? ",inf" : ",-inf");
        return;
    }
    char num[64];
    snprintf(num, sizeof num, "%.*f", decimals, x);
    const char *s = num;
    if (s[0] == '-' && strspn(s + 1, "0.") == strlen(s + 1))
        s++;
    put(o, ",%s", s);
}

/* The LED word and lit columns: 8 characters; anything else as "?". */
static void put_word(struct out *o, const char *w)
{
    size_t n = strnlen(w, 9);
    put(o, ",%s", n == 8 ? w : "?");
}

static void put_ids(struct out *o, uint32_t mask, const char *(*names)(int))
{
    char ids[512];
    scn_format_ids(ids, sizeof ids, mask, names);
    put(o, ",%s", ids);
}

/* The column order of docs/spec/CLI.md. */
static const char trace_columns[] =
    "t_s,pack,state,leds,lit,soc,true_soc,voltage_v,current_a,cell_v_min,cell_v_max,"
    "temp_min_c,temp_max_c,cvl_v,ccl_a,dcl_a,dry_chg,dry_dsg,protect,fault,alarm,balancing";

int scn_trace_header(char *buf, size_t len, unsigned groups)
{
    bool cells = groups & SCN_TRACE_CELLS;
    struct out o = {buf, len, 0};
    if (len)
        buf[0] = '\0';
    put(&o, "%s", trace_columns);
    for (int k = 1; cells && k <= SCN_CELLS; k++)
        put(&o, ",v%d", k);
    for (int k = 1; cells && k <= SCN_CELLS; k++)
        put(&o, ",t%d", k);
    if (groups & SCN_TRACE_THERMAL) {
        put(&o, ",case_c,fet_c");
        for (int k = 1; k <= SCN_SENSORS; k++)
            put(&o, ",ntc%d_c", k);
    }
    if (groups & SCN_TRACE_LIMIT)
        put(&o, ",limit");
    put(&o, "\n");
    return (int)o.n;
}

int scn_trace_format_row(char *buf, size_t len, const struct scn_trace_row *r, unsigned groups)
{
    bool cells = groups & SCN_TRACE_CELLS;
    struct out o = {buf, len, 0};
    if (len)
        buf[0] = '\0';
    char t[64];
    snprintf(t, sizeof t, "%.3f", r->t_s);
    put(&o, "%s,%d", strcmp(t, "-0.000") == 0 ? "0.000" : t, r->pack);
    const char *state = scn_state_name(r->state);
    put(&o, ",%s", state ? state : "?");
    put_word(&o, r->leds);
    put_word(&o, r->lit);
    put(&o, ",%d", r->soc);
    put_fixed(&o, 2, r->true_soc);
    put_fixed(&o, 3, r->voltage_v);
    put_fixed(&o, 2, r->current_a);
    put_fixed(&o, 3, r->cell_v_min);
    put_fixed(&o, 3, r->cell_v_max);
    put_fixed(&o, 1, r->temp_min_c);
    put_fixed(&o, 1, r->temp_max_c);
    put_fixed(&o, 1, r->cvl_v);
    put_fixed(&o, 1, r->ccl_a);
    put_fixed(&o, 1, r->dcl_a);
    put(&o, ",%d,%d", r->dry_chg ? 1 : 0, r->dry_dsg ? 1 : 0);
    put_ids(&o, r->protect, scn_protect_name);
    put_ids(&o, r->fault, scn_fault_name);
    put_ids(&o, r->alarm, scn_alarm_name);
    put(&o, ",%u", (unsigned)r->balancing);
    for (int k = 0; cells && k < SCN_CELLS; k++)
        put_fixed(&o, 3, r->cell_v[k]);
    for (int k = 0; cells && k < SCN_CELLS; k++)
        put_fixed(&o, 1, r->cell_temp_c[k]);
    if (groups & SCN_TRACE_THERMAL) {
        put_fixed(&o, 1, r->case_c);
        put_fixed(&o, 1, r->fet_c);
        for (int k = 0; k < SCN_SENSORS; k++)
            put_fixed(&o, 1, r->ntc_c[k]);
    }
    if (groups & SCN_TRACE_LIMIT)
        put(&o, ",%s", r->limit ? r->limit : "");
    put(&o, "\n");
    return (int)o.n;
}

int scn_trace_write_header(FILE *f, unsigned groups)
{
    char line[SCN_TRACE_LINE_MAX];
    int n = scn_trace_header(line, sizeof line, groups);
    if (n < 0 || (size_t)n >= sizeof line)
        return -1;
    return fputs(line, f) == EOF ? -1 : 0;
}

int scn_trace_write_row(FILE *f, const struct scn_trace_row *row, unsigned groups)
{
    char line[SCN_TRACE_LINE_MAX];
    int n = scn_trace_format_row(line, sizeof line, row, groups);
    if (n < 0 || (size_t)n >= sizeof line)
        return -1;
    return fputs(line, f) == EOF ? -1 : 0;
}

/* ---- candump -l ---- */

int scn_candump_format(char *buf, size_t len, uint64_t t_us, const char *iface,
                       const struct board_can_frame *fr)
{
    struct out o = {buf, len, 0};
    if (len)
        buf[0] = '\0';
    put(&o, "(%010" PRIu64 ".%06" PRIu64 ") %s ", t_us / 1000000u, t_us % 1000000u, iface);
    if (fr->extended)
        put(&o, "%08" PRIX32 "#", fr->id & 0x1FFFFFFFu);
    else
        put(&o, "%03" PRIX32 "#", fr->id & 0x7FFu);
    int dlc = fr->dlc > 8 ? 8 : fr->dlc;
    for (int i = 0; i < dlc; i++)
        put(&o, "%02X", fr->data[i]);
    put(&o, "\n");
    return (int)o.n;
}

int scn_candump_write(FILE *f, uint64_t t_us, const struct board_can_frame *frame)
{
    char line[96];
    int n = scn_candump_format(line, sizeof line, t_us, "can0", frame);
    if (n < 0 || (size_t)n >= sizeof line)
        return -1;
    return fputs(line, f) == EOF ? -1 : 0;
}
