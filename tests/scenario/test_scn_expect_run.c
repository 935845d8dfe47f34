/* test_scn_expect_run: expectations cost little (issue 11, item 5). An
 * expectation is evaluated when something it reads changed or when its own
 * instant comes (at, a deadline, a window's start or end), so a run evaluates
 * far fewer times than it steps; and one whose instant comes while nothing
 * changes still settles exactly then (docs/spec/SCENARIO.md "Expectations").
 * Arguments: the default cell file, then the scenario library's directory.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/scn_run.h"
#include "gtx/sim.h"
#include "gtx/sim_view.h"
#include "cell_arg.h"
#include "check_main.h"
#include "scn_expect_run.h"

static struct cell_params cell;
static const char *library;

/* A running pack at 50 % with the inverter idle: in standby, nothing of what
 * the checks below read changes. */
static const char quiet_text[] =
    "{\"format\": \"gtxsim-scenario/1\", \"name\": \"quiet\", \"duration\": \"30s\","
    " \"packs\": [{\"soc\": 50}], \"expect\": ["
    "{\"from\": \"10s\", \"to\": \"20s\", \"state\": \"charging\"},"   /* 0: fails as it opens */
    "{\"from\": \"10s\", \"to\": \"20s\", \"state\": \"standby\"},"    /* 1: passes as it closes */
    "{\"by\": \"5s\", \"state\": \"charging\"},"                       /* 2: fails at its deadline */
    "{\"at\": \"7s\", \"state\": \"standby\", \"soc\": 50},"           /* 3: passes at 7 s */
    "{\"by\": \"5s\", \"event\": \"protect.charge_ot\"},"              /* 4: fails at its deadline */
    "{\"state\": \"standby\", \"fault\": \"none\"}]}";                 /* 5: passes at the end */

static void load(const char *path, const char *text, struct scn_scenario *scn)
{
    char err[SCN_ERR_MAX];
    int rc = text ? scn_load_text(path, text, strlen(text), scn, err, sizeof err)
                  : scn_load(path, scn, err, sizeof err);
    ck_assert_msg(rc == 0, "%s", err);
}

/* The quiet scenario's system, not yet stepped (free scn and the sim). */
static struct sim *quiet_sim(struct scn_scenario *scn)
{
    load("quiet.json", quiet_text, scn);
    struct sim_config cfg;
    scn_sim_config(scn, &cell, NULL, &cfg);
    struct sim *s = sim_new(&cfg);
    ck_assert_ptr_nonnull(s);
    return s;
}

static void run(const struct scn_scenario *scn, double until_s, struct scn_run_result *res)
{
    FILE *log = tmpfile();
    ck_assert_ptr_nonnull(log);
    struct scn_run_opts opts = {.quiet = true, .log = log, .until_s = until_s};
    char err[256];
    ck_assert_int_eq(scn_run(scn, &cell, &opts, res, err, sizeof err), 0);
    fclose(log);
}

START_TEST(test_quiet_run_settles_at_the_instants)
{
    struct scn_scenario scn;
    load("quiet.json", quiet_text, &scn);
    struct scn_run_result res;
    run(&scn, 0.0, &res);
    ck_assert_int_eq(res.passed, 3);
    ck_assert_int_eq(res.failed, 3);
    static const struct {
        bool passed;
        uint64_t settled_ms;
    } want[] = {{false, 10000}, {true, 20000}, {false, 5000}, {true, 7000}, {false, 5000},
                {true, 30000}};
    for (size_t i = 0; i < GTX_COUNT(want); i++) {
        ck_assert_msg(res.outcomes[i].passed == want[i].passed, "expect[%zu]", i);
        ck_assert_msg(res.outcomes[i].settled_ms == want[i].settled_ms,
                      "expect[%zu] settled at %llu ms, not %llu", i,
                      (unsigned long long)res.outcomes[i].settled_ms,
                      (unsigned long long)want[i].settled_ms);
    }
    ck_assert_str_eq(res.outcomes[0].message, "quiet.json: expect[0] (from 10s to 20s, pack 1): "
                                              "state wanted charging, got standby (at 10s)");
    ck_assert_str_eq(res.outcomes[4].message, "quiet.json: expect[4] (by 5s, pack 1): event "
                                              "wanted protect.charge_ot, got no such event "
                                              "(state standby)");
    /* 3000 steps; each expectation is evaluated when it arms, when its
     * instant comes and when what it reads changes (which here is seldom). */
    ck_assert_msg(res.expect_evals >= 6 && res.expect_evals <= 30, "%llu evaluations",
                  (unsigned long long)res.expect_evals);
    scn_run_free(&res);
    scn_free(&scn);
}
END_TEST

/* The instants the loop must stop at even if nothing changes, in order: the
 * first step (for 'by' and the whole run), 5 s, 7 s, 10 s, then 20 s. Stepping
 * the expectations only there (as a loop that jumps from event to event would,
 * with nothing else happening) decides them as a 10 ms loop does. */
START_TEST(test_next_due_instants)
{
    struct scn_scenario scn;
    struct sim *s = quiet_sim(&scn);
    struct scn_run_result res;
    memset(&res, 0, sizeof res);
    res.outcomes = calloc((size_t)scn.expect_count, sizeof *res.outcomes);
    FILE *log = tmpfile();
    struct scn_expect_run *x = scn_expect_run_new(&scn, s, &res, log, 30000);
    ck_assert_ptr_nonnull(x);
    ck_assert_uint_eq(scn_expect_next_due_ms(x), 0);
    static const uint64_t due[] = {5000, 7000, 10000, 20000, UINT64_MAX};
    size_t k = 0;
    for (;;) {
        uint64_t t = sim_view_now_ms(s);
        sim_step(s);
        bool last = t + SIM_TICK_MS > 30000;
        if (t < scn_expect_next_due_ms(x) && !last)
            continue; /* not looked at: nothing it reads changes here */
        scn_expect_after_step(x, t, last);
        if (last)
            break;
        ck_assert_uint_lt(k, GTX_COUNT(due));
        ck_assert_uint_eq(scn_expect_next_due_ms(x), due[k]);
        k++;
    }
    ck_assert_uint_eq(k, 5);
    ck_assert_int_eq(res.passed, 3);
    ck_assert_int_eq(res.failed, 3);
    ck_assert_uint_eq(res.outcomes[0].settled_ms, 10000);
    ck_assert_uint_eq(res.outcomes[1].settled_ms, 20000);
    ck_assert_uint_eq(res.outcomes[2].settled_ms, 5000);
    ck_assert_uint_eq(res.expect_evals, 8); /* 0:1 1:1 2:1+1 3:1 4:1+1 5:1 */
    scn_expect_run_free(x);
    fclose(log);
    free(res.outcomes);
    sim_free(s);
    scn_free(&scn);
}
END_TEST

/* A library scenario: the same verdicts, with evaluations a small fraction of
 * the steps (every 10 ms step evaluated every pending expectation before). */
START_TEST(test_library_scenario_evaluates_seldom)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/hot-garage-charge-ot.json", library);
    struct scn_scenario scn;
    load(path, NULL, &scn);
    struct scn_run_result res;
    run(&scn, 7200.0, &res); /* 720 000 steps */
    ck_assert_int_eq(res.passed, 3);
    ck_assert_int_eq(res.failed, 0);
    ck_assert_int_eq(res.skipped, 4);
    ck_assert_uint_eq(res.outcomes[0].settled_ms, 1800000); /* at 30m */
    ck_assert_msg(res.expect_evals < 720000 / 20, "%llu evaluations in 720000 steps",
                  (unsigned long long)res.expect_evals);
    scn_run_free(&res);
    scn_free(&scn);
}
END_TEST

/* sim_view_plant_gen: the truth the runner keeps while it stays the same
 * changes only with the plant (every 100 ms in a quiet standby), and a fault
 * moves it at once. */
START_TEST(test_plant_gen_follows_the_plant)
{
    struct scn_scenario scn;
    struct sim *s = quiet_sim(&scn);
    sim_set_tick_mode(s, SIM_TICK_FIXED_PLANT); /* the plant every 100 ms (tickless: 1 s) */
    sim_run_until(s, 1000); /* past the start's MOSFET switching */
    struct sim_pack_obs before, after;
    uint64_t gen = sim_view_plant_gen(s);
    sim_view_observe(s, 0, &before);
    int changes = 0;
    for (int k = 0; k < 100; k++) { /* 1 s of 10 ms steps */
        sim_step(s);
        uint64_t g = sim_view_plant_gen(s);
        sim_view_observe(s, 0, &after);
        if (g == gen) { /* unchanged: so is the truth */
            ck_assert(before.true_soc_pct == after.true_soc_pct);
            ck_assert(before.terminal_v == after.terminal_v);
            ck_assert(before.current_a == after.current_a);
            ck_assert(before.cell_v_max == after.cell_v_max);
            ck_assert(before.temp_min_c == after.temp_min_c);
        }
        changes += g != gen;
        gen = g;
        before = after;
    }
    ck_assert_int_eq(changes, 10);
    struct sim_fault f = {.kind = SIM_FAULT_FET_STUCK, .pack = 0, .fet = SIM_FET_CHARGE};
    sim_inject_fault(s, &f);
    ck_assert_uint_ne(sim_view_plant_gen(s), gen);
    sim_free(s);
    scn_free(&scn);
}
END_TEST

/* A window that reads only what the packs said on CAN is decided again at the frame
 * that changes it (the runner compares the decoded frames again only when
 * sim_view_can_gen moved): the inverter starts charging at 5 s, the master's next 0x356
 * reports the current, and the window fails there, not at its end. */
START_TEST(test_can_window_fails_at_the_frame)
{
    static const char text[] =
        "{\"format\": \"gtxsim-scenario/1\", \"name\": \"can\", \"duration\": \"30s\","
        " \"packs\": [{\"soc\": 50}],"
        " \"events\": [{\"at\": \"5s\", \"do\": \"inverter\", \"power_w\": 1000}],"
        " \"expect\": [{\"from\": \"0s\", \"to\": \"20s\","
        " \"can\": {\"current_a\": [-0.5, 0.5]}}]}";
    struct scn_scenario scn;
    load("can.json", text, &scn);
    struct scn_run_result res;
    run(&scn, 0.0, &res);
    ck_assert_int_eq(res.failed, 1);
    ck_assert_msg(res.outcomes[0].settled_ms > 5000 && res.outcomes[0].settled_ms <= 7000,
                  "settled at %llu ms", (unsigned long long)res.outcomes[0].settled_ms);
    scn_run_free(&res);
    scn_free(&scn);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("expect_run", test_quiet_run_settles_at_the_instants),
    GTX_TEST(test_next_due_instants),
    GTX_TEST(test_library_scenario_evaluates_seldom),
    GTX_TEST(test_plant_gen_follows_the_plant),
    GTX_TEST(test_can_window_fails_at_the_frame),
};

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_scn_expect_run CELL.json SCENARIO_DIR\n");
        return EXIT_FAILURE;
    }
    library = argv[2];
    return gtx_check_main_cell("scn_expect_run", tests, GTX_COUNT(tests), 60, argc, argv, &cell);
}
