/* cpg_report: a campaign's outputs made from its per-seed results alone, so
 * that one process, N workers or N shards merged give the same bytes:
 * results.tsv (one line per seed), summary.json (invariant x count, first
 * seed) and junit.xml (one testcase per seed).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "campaign.h"
#include "gtx/scn_write.h"

void cpg_result_format(const struct cpg_result *r, char *buf, size_t len)
{
    if (r->invariant < 0)
        snprintf(buf, len, "%" PRIu64 "\tpass\n", r->seed);
    else
        snprintf(buf, len, "%" PRIu64 "\t%s\t%d\t%.1f\t%s\n", r->seed,
                 cpg_invariant_name(r->invariant), r->pack, r->t_s, r->detail);
}

int cpg_result_parse(const char *line, struct cpg_result *r)
{
    memset(r, 0, sizeof *r);
    char *end;
    errno = 0;
    unsigned long long seed = strtoull(line, &end, 10);
    if (end == line || *end != '\t' || errno)
        return -1;
    r->seed = seed;
    const char *p = end + 1;
    if (strncmp(p, "pass", 4) == 0 && (p[4] == '\n' || p[4] == '\0')) {
        r->invariant = -1;
        return 0;
    }
    const char *tab = strchr(p, '\t');
    if (!tab)
        return -1;
    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)(tab - p), p);
    r->invariant = cpg_invariant_from_name(name);
    if (r->invariant < 0)
        return -1;
    int used = 0;
    if (sscanf(tab + 1, "%d\t%lf\t%n", &r->pack, &r->t_s, &used) != 2 || used == 0)
        return -1;
    snprintf(r->detail, sizeof r->detail, "%s", tab + 1 + used);
    r->detail[strcspn(r->detail, "\n")] = '\0';
    return 0;
}

static int by_seed(const void *a, const void *b)
{
    uint64_t x = ((const struct cpg_result *)a)->seed, y = ((const struct cpg_result *)b)->seed;
    return x < y ? -1 : x > y;
}

int cpg_results_sort(struct cpg_result *rs, size_t n, uint64_t *dup)
{
    qsort(rs, n, sizeof rs[0], by_seed);
    for (size_t i = 1; i < n; i++)
        if (rs[i].seed == rs[i - 1].seed) {
            *dup = rs[i].seed;
            return -1;
        }
    return 0;
}

static FILE *open_in(const char *cmd, const char *dir, const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "gtxsim %s: error: cannot write %s: %s\n", cmd, path, strerror(errno));
    return f;
}

static int close_in(const char *cmd, const char *path, FILE *f)
{
    if (ferror(f) | (fclose(f) != 0)) {
        fprintf(stderr, "gtxsim %s: error: cannot write %s\n", cmd, path);
        return -1;
    }
    return 0;
}

static void write_summary(FILE *f, const struct cpg_result *rs, size_t n)
{
    size_t failed = 0, count[CPG_INV_COUNT] = {0};
    uint64_t first[CPG_INV_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        if (rs[i].invariant < 0)
            continue;
        failed++;
        if (count[rs[i].invariant]++ == 0)
            first[rs[i].invariant] = rs[i].seed;
    }
    fprintf(f, "{\n  \"runs\": %zu,\n  \"passed\": %zu,\n  \"failed\": %zu,\n  \"invariants\": {\n",
            n, n - failed, failed);
    for (int k = 0; k < CPG_INV_COUNT; k++) {
        fprintf(f, "    \"%s\": {\"count\": %zu, \"first_seed\": ", cpg_invariant_name(k),
                count[k]);
        if (count[k])
            fprintf(f, "%" PRIu64 "}", first[k]);
        else
            fprintf(f, "null}");
        fprintf(f, "%s\n", k + 1 < CPG_INV_COUNT ? "," : "");
    }
    fprintf(f, "  },\n  \"failing_seeds\": [");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (rs[i].invariant >= 0)
            fprintf(f, "%s%" PRIu64, k++ ? ", " : "", rs[i].seed);
    fprintf(f, "]\n}\n");
}

static int write_junit(FILE *f, const struct cpg_result *rs, size_t n)
{
    struct scn_junit_case *cases = calloc(n + 1, sizeof *cases);
    char (*names)[32] = calloc(n + 1, sizeof *names);
    char (*msgs)[320] = calloc(n + 1, sizeof *msgs);
    int rc = -1;
    if (cases && names && msgs) {
        for (size_t i = 0; i < n; i++) {
            snprintf(names[i], sizeof names[i], "seed %" PRIu64, rs[i].seed);
            cases[i].name = names[i];
            if (rs[i].invariant >= 0) {
                snprintf(msgs[i], sizeof msgs[i], "%s (pack %d, t = %.1f s): %s",
                         cpg_invariant_name(rs[i].invariant), rs[i].pack, rs[i].t_s,
                         rs[i].detail);
                cases[i].failure = msgs[i];
            }
        }
        struct scn_junit_suite suite = {.name = "campaign", .file = "campaign",
                                        .cases = cases, .case_count = (int)n};
        rc = scn_junit_write(f, &suite, 1);
    }
    free(cases);
    free(names);
    free(msgs);
    return rc;
}

int cpg_mkdirs(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

int cpg_report_write(const char *cmd, const char *dir, const struct cpg_result *rs, size_t n)
{
    if (cpg_mkdirs(dir) != 0) {
        fprintf(stderr, "gtxsim %s: error: cannot create %s: %s\n", cmd, dir, strerror(errno));
        return -1;
    }
    char path[1100];
    int rc = 0;
    FILE *f = open_in(cmd, dir, "results.tsv", path, sizeof path);
    if (!f)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char line[512];
        cpg_result_format(&rs[i], line, sizeof line);
        fputs(line, f);
    }
    rc |= close_in(cmd, path, f);
    if (!(f = open_in(cmd, dir, "summary.json", path, sizeof path)))
        return -1;
    write_summary(f, rs, n);
    rc |= close_in(cmd, path, f);
    if (!(f = open_in(cmd, dir, "junit.xml", path, sizeof path)))
        return -1;
    rc |= write_junit(f, rs, n);
    rc |= close_in(cmd, path, f);
    return rc ? -1 : 0;
}
