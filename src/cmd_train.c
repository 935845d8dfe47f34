/* cmd_train: `gtxsim train` (docs/training.md): the trainer mode in the window,
 * and headless scoring: --check an exercise against its reference solution,
 * no actions and its wrong fixes; --replay an attempt file; --report a folder
 * of attempts as CSV.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_common.h"
#include "cmd_signal.h"
#include "gtx/bridge.h"
#include "gtx/json_doc.h"
#include "gtx/paths.h"
#include "gtx/train_score.h"
#include "gtx/ui.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim train [EXERCISE] [--trainee NAME] [--out ATTEMPT.json]\n"
            "                    [--console pty[:PACK]]\n"
            "       gtxsim train EXERCISE --check [--timeline]\n"
            "       gtxsim train EXERCISE --replay ATTEMPT.json [--junit FILE] [--timeline]\n"
            "       gtxsim train --report DIR\n\n"
            "Troubleshooting exercises (docs/training.md). With no option, opens the window\n"
            "in trainer mode on EXERCISE (a picker of scenarios/training/ when none is\n"
            "given); the trainee's actions are saved as an attempt file at the end\n"
            "(--out, default NAME-attempt.json in the current folder). --console gives\n"
            "the trainee the pack's RS232 service console on a pseudo-terminal.\n\n"
            "  --check        the reference solution must pass, no actions must fail (unless\n"
            "                 the solution is to do nothing), each wrong fix must fail or be\n"
            "                 marked harmful; exit 0 when all hold, 1 otherwise\n"
            "  --replay FILE  score an attempt: the PASS/FAIL line, the score, the deductions;\n"
            "                 exit 0 when it passed, 1 when not\n"
            "  --junit FILE   with --replay: one testcase per success expectation\n"
            "  --timeline     print the cause and the timeline of actions and changes\n"
            "  --report DIR   score every attempt (*.json) in DIR against its exercise and\n"
            "                 print CSV: trainee,exercise,file,passed,score,time_s,hints,harmful\n"
            "Exit status 2 for bad usage or a bad exercise or attempt file.\n");
}

/* An exercise by path, or by name in scenarios/training/. */
static int load_exercise(const char *arg, struct scn_scenario *ex)
{
    char err[SCN_ERR_MAX], path[1024];
    const char *use = arg;
    FILE *probe = fopen(arg, "r");
    if (probe)
        fclose(probe);
    else {
        char rel[600];
        snprintf(rel, sizeof rel, "scenarios/training/%s%s", arg,
                 strstr(arg, ".json") ? "" : ".json");
        if (gtx_path_find(rel, path, sizeof path) == 0)
            use = path;
    }
    if (scn_load(use, ex, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    if (!ex->training) {
        fprintf(stderr, "%s: error: not an exercise (expected a scenario with a 'training' "
                        "block, docs/training.md)\n", use);
        scn_free(ex);
        return -1;
    }
    return 0;
}

static int score_one(const struct scn_scenario *ex, const struct cell_params *cell,
                     const struct trn_attempt *a, struct trn_score *s)
{
    char err[SCN_ERR_MAX];
    if (trn_score(ex, cell, a, s, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

/* One line of --check; returns whether it went the way the exercise says. */
static bool check_case(const struct scn_scenario *ex, const struct cell_params *cell,
                       const char *what, const struct trn_actions *acts, bool want_pass,
                       bool harm_is_enough, bool timeline, int *internal)
{
    struct trn_attempt a;
    trn_attempt_of(ex, acts, &a);
    struct trn_score s;
    if (score_one(ex, cell, &a, &s) < 0) {
        (*internal)++;
        return false;
    }
    bool ok = s.passed == want_pass || (harm_is_enough && s.harm_count > 0);
    printf("%s: %s: %s, score %.0f/100, %d harmful (%s)\n", ex->name, what,
           s.passed ? "PASS" : "FAIL", s.score, s.harm_count,
           ok ? "as it should" : want_pass ? "WRONG: it must pass" : "WRONG: it must not pass");
    if (!ok || timeline)
        trn_score_print(stdout, ex, &a, &s, timeline);
    trn_score_free(&s);
    return ok;
}

static int do_check(const struct scn_scenario *ex, const struct cell_params *cell,
                    bool timeline)
{
    const struct scn_training *t = ex->training;
    int internal = 0;
    bool ok = check_case(ex, cell, "solution", &t->solution, true, false, timeline, &internal);
    if (t->solution.count > 0) {
        struct trn_actions none = {0};
        ok &= check_case(ex, cell, "no actions", &none, false, false, timeline, &internal);
    }
    for (int k = 0; k < t->wrong_count; k++) {
        char what[200];
        snprintf(what, sizeof what, "wrong fix \"%s\"", t->wrong[k].name);
        ok &= check_case(ex, cell, what, &t->wrong[k], false, true, timeline, &internal);
    }
    if (internal)
        return GTX_EXIT_INTERNAL;
    printf("%s: check %s\n", ex->name, ok ? "ok" : "FAILED");
    return ok ? GTX_EXIT_OK : GTX_EXIT_FAILED;
}

static int write_junit(const char *path, const struct scn_scenario *ex,
                       const struct trn_score *s)
{
    FILE *f = cmd_open_output("train", path);
    if (!f)
        return GTX_EXIT_USAGE;
    struct scn_scenario as_run = *ex;
    as_run.expects = ex->training->success;
    as_run.expect_count = ex->training->success_count;
    struct scn_outcome *outcomes = s->run.outcomes;
    int count = s->run.outcome_count;
    cmd_write_junit(f, &as_run, 1, &outcomes, &count, NULL);
    return cmd_close_output("train", path, f) < 0 ? GTX_EXIT_USAGE : GTX_EXIT_OK;
}

static int do_replay(const struct scn_scenario *ex, const struct cell_params *cell,
                     const char *attempt, const char *junit, bool timeline)
{
    if (junit && cmd_probe_output("train", junit) < 0)
        return GTX_EXIT_USAGE;
    struct trn_attempt a;
    char err[SCN_ERR_MAX];
    if (trn_attempt_load(attempt, ex, &a, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return GTX_EXIT_USAGE;
    }
    struct trn_score s;
    if (score_one(ex, cell, &a, &s) < 0) {
        trn_attempt_free(&a);
        return GTX_EXIT_INTERNAL;
    }
    trn_score_print(stdout, ex, &a, &s, timeline);
    int rc = s.passed ? GTX_EXIT_OK : GTX_EXIT_FAILED;
    if (junit && write_junit(junit, ex, &s) != GTX_EXIT_OK)
        rc = GTX_EXIT_USAGE;
    trn_score_free(&s);
    trn_attempt_free(&a);
    return rc;
}

/* The exercise an attempt names: its "exercise" value, in scenarios/training/. */
static int attempt_exercise(const char *path, char *name, size_t len)
{
    struct json_doc doc;
    char err[SCN_ERR_MAX];
    if (json_doc_load(&doc, path, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc.root, "exercise");
    int rc = cJSON_IsString(e) && strlen(e->valuestring) < len ? 0 : -1;
    if (rc == 0)
        snprintf(name, len, "%s", e->valuestring);
    else
        json_doc_errorf(&doc, doc.root, 0, err, sizeof err, "no \"exercise\" in the attempt "
                        "(expected the exercise's name)");
    if (rc < 0)
        fprintf(stderr, "%s\n", err);
    json_doc_free(&doc);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int do_report(const char *dir, const struct cell_params *cell)
{
    DIR *d = opendir(dir);
    if (!d) {
        cmd_usage_error("train", "cannot read the folder %s", dir);
        return GTX_EXIT_USAGE;
    }
    char **names = NULL;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        char **grown = realloc(names, (size_t)(n + 1) * sizeof *names);
        if (!grown || !(grown[n] = strdup(e->d_name))) {
            names = grown ? grown : names;
            break;
        }
        names = grown;
        n++;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, by_name); /* the same CSV whatever readdir's order */
    int rc = GTX_EXIT_OK;
    printf("trainee,exercise,file,passed,score,time_s,hints,harmful\n");
    for (int i = 0; i < n; i++) {
        char path[2048], exname[256], err[SCN_ERR_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct scn_scenario ex;
        if (attempt_exercise(path, exname, sizeof exname) < 0) {
            rc = GTX_EXIT_USAGE;
            continue;
        }
        if (load_exercise(exname, &ex) < 0) {
            rc = GTX_EXIT_USAGE;
            continue;
        }
        struct trn_attempt a;
        struct trn_score s;
        if (trn_attempt_load(path, &ex, &a, err, sizeof err) < 0) {
            fprintf(stderr, "%s\n", err);
            rc = GTX_EXIT_USAGE;
        } else {
            if (score_one(&ex, cell, &a, &s) == 0) {
                printf("%s,%s,%s,%d,%.0f,%.2f,%d,%d\n", a.trainee, ex.name, names[i], s.passed,
                       s.score, a.done_s, a.hint_count, s.harm_count);
                trn_score_free(&s);
            } else {
                rc = GTX_EXIT_INTERNAL;
            }
            trn_attempt_free(&a);
        }
        scn_free(&ex);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Trainer mode in the window (ui_train.c); console: the RS232 service console
 * on a pty (read-only commands: the installer's laptop), or NULL. */
static int window(const char *exercise, const char *out, const char *trainee,
                  const char *console)
{
    char path[1024];
    struct ui_opts o = {.train = "", .train_out = out, .trainee = trainee};
    if (console) {
        struct bridge_opts ports;
        char why[256];
        bridge_opts_init(&ports);
        if (!bridge_opts_add(&ports, "--console", console, why, sizeof why)) {
            cmd_usage_error("train", "%s", why);
            return GTX_EXIT_USAGE;
        }
        if (!(o.bridge = bridge_open(&ports, why, sizeof why))) {
            fprintf(stderr, "%s\n", why);
            return GTX_EXIT_USAGE;
        }
    }
    if (exercise) {
        struct scn_scenario ex;
        if (load_exercise(exercise, &ex) < 0)
            return GTX_EXIT_USAGE;
        snprintf(path, sizeof path, "%s", ex.path);
        scn_free(&ex);
        o.scenario = path;
    }
    o.stop = cmd_stop_signals();
    int rc = ui_run(&o);
    if (o.bridge)
        bridge_close(o.bridge);
    return *o.stop ? cmd_stop_status(*o.stop) : rc;
}

int cmd_train(int argc, char **argv)
{
    const char *exercise = NULL, *attempt = NULL, *junit = NULL, *report = NULL;
    const char *out = NULL, *trainee = NULL, *console = NULL;
    bool check = false, timeline = false;
    /* The options that take a value, and where it goes. */
    const struct {
        const char *name;
        const char **value;
    } valued[] = {
        {"--replay", &attempt}, {"--junit", &junit},     {"--report", &report},
        {"--out", &out},        {"--trainee", &trainee}, {"--console", &console},
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
            if (strcmp(a, valued[k].name) == 0)
                slot = valued[k].value;
        if (cmd_help(a, usage))
            return GTX_EXIT_OK;
        if (strcmp(a, "--check") == 0) {
            check = true;
        } else if (strcmp(a, "--timeline") == 0) {
            timeline = true;
        } else if (slot && i + 1 < argc) {
            *slot = argv[++i];
        } else if (a[0] == '-') {
            cmd_usage_error("train", "unknown option or missing value '%s'", a);
            return GTX_EXIT_USAGE;
        } else if (!exercise) {
            exercise = a;
        } else {
            cmd_usage_error("train", "more than one exercise ('%s')", a);
            return GTX_EXIT_USAGE;
        }
    }
    if ((check || attempt) && !exercise) {
        cmd_usage_error("train", "--check and --replay need an EXERCISE");
        return GTX_EXIT_USAGE;
    }
    if (junit && !attempt) {
        cmd_usage_error("train", "--junit goes with --replay");
        return GTX_EXIT_USAGE;
    }
    if (check && attempt) {
        cmd_usage_error("train", "--check or --replay, not both");
        return GTX_EXIT_USAGE;
    }
    struct cell_params cell;
    char err[SCN_ERR_MAX];
    if (cmd_load_default_cell(&cell, err, sizeof err) != 0) {
        fprintf(stderr, "gtxsim train: error: %s\n", err);
        return GTX_EXIT_INTERNAL;
    }
    if (report)
        return do_report(report, &cell);
    if (!check && !attempt)
        return window(exercise, out, trainee, console);
    struct scn_scenario ex;
    if (load_exercise(exercise, &ex) < 0)
        return GTX_EXIT_USAGE;
    int rc = check ? do_check(&ex, &cell, timeline)
                   : do_replay(&ex, &cell, attempt, junit, timeline);
    scn_free(&ex);
    return rc;
}
