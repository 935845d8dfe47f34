/* cmd_run: `gtxsim run SCENARIO... [options]` (docs/spec/CLI.md): loads every file first
 * (one bad file: exit 2, nothing run), runs each headless, checks its
 * expectations, writes the requested outputs, prints each pack's energy books
 * with --summary, ends with "N passed, M failed".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_common.h"
#include "cmd_signal.h"
#include "gtx/bridge.h"
#include "gtx/scn_match.h"
#include "gtx/scn_run.h"
#include "gtx/scn_write.h"
#include "gtx/sim.h"

static void run_usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim run SCENARIO... [options]\n"
            "Runs each scenario headless, as fast as possible, and checks its expectations.\n\n"
            "  --trace FILE.csv     write the trace (one row per pack per sample)\n"
            "  --every DURATION     trace sample period (default 1s)\n"
            "  --cells              add per-cell columns v1..v16,t1..t16\n"
            "  --thermal            add case_c,fet_c,ntc1_c..ntc6_c (the case and MOSFET\n"
            "                       temperatures, the six NTCs as the BMS reads them)\n"
            "  --candump FILE.log   every CAN frame on the inverter bus (candump -l format)\n"
            "  --junit FILE.xml     JUnit XML, one testcase per expectation\n"
            "  --compare FILE.csv   a replay's logged SOC, V, I against the simulation\n"
            "                       (docs/replay.md); the summary lines are on stdout\n"
            "  --speed X            run at X times real time\n"
            "  --realtime           the same as --speed 1\n"
            "  --can SPEC           the inverter CAN bus for outside tools: socketcand[:PORT],\n"
            "                       slcan, slcan:tcp:PORT or socketcan:IFACE (docs/bridges.md)\n"
            "  --console pty[:PACK] that pack's RS232 service console on a pseudo-terminal\n"
            "  --listen ADDR        the address TCP listeners bind to (default 127.0.0.1)\n"
            "  --until DURATION     stop early\n"
            "  --tick 10ms          the reference mode: every firmware task every 10 ms tick,\n"
            "                       no instant skipped (slow); --tick auto, the default, goes\n"
            "                       from one instant with work to the next (docs/simulator.md)\n"
            "  --plant 100ms        the physics' reference: every tick, and the plant steps its\n"
            "                       physics and scans every 100 ms, never lagging (slower);\n"
            "                       --plant auto, the default, lets it lag (docs/simulator.md)\n"
            "  -q                   only failures and the summary\n"
            "  --summary            each pack's energy balance for the run (Wh, 3 decimals),\n"
            "                       one block per pack on stdout before the last line\n"
            "  --disable-protection ID\n"
            "                       run with that protection (e.g. charge_ot) switched off in\n"
            "                       the firmware's configuration table: a mutation check that\n"
            "                       the scenario really depends on it (repeatable)\n\n"
            "DURATION is seconds (300, 0.5) or a number with a unit: 250ms, 3.5s, 10m, 2h,\n"
            "30d. A file that cannot be written is a usage error (exit 2).\n"
            "With several scenarios, --trace and --candump files get -NAME before their\n"
            "extension, one per scenario. Exit status: 0 all expectations held, 1 one or\n"
            "more failed, 2 bad usage or a bad scenario, 3 internal error; 130/143 stopped\n"
            "by SIGINT/SIGTERM (trace and CAN log written up to there, the undecided\n"
            "expectations an <error> in the JUnit file).\n");
}

struct run_args {
    const char *trace, *candump, *junit, *compare;
    struct bridge_opts bridge; /* --can, --console, --listen */
    struct bms_config *cfg; /* NULL: the default table */
    double every_s, speed, until_s;
    bool cells, thermal, quiet, summary;
    bool reference_tick;    /* --tick 10ms */
    bool fixed_plant;       /* --plant 100ms */
    int n_files;
    char **files;
};

static int parse_args(int argc, char **argv, struct run_args *a)
{
    memset(a, 0, sizeof *a);
    a->every_s = 1.0;
    a->files = calloc((size_t)argc + 1, sizeof *a->files);
    if (!a->files)
        return -1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *val = cmd_option_value(argc, argv, i);
        if (cmd_help(o, run_usage))
            return 1;
        if (strcmp(o, "--cells") == 0) {
            a->cells = true;
        } else if (strcmp(o, "--thermal") == 0) {
            a->thermal = true;
        } else if (strcmp(o, "-q") == 0 || strcmp(o, "--quiet") == 0) {
            a->quiet = true;
        } else if (strcmp(o, "--summary") == 0) {
            a->summary = true;
        } else if (strcmp(o, "--realtime") == 0) {
            a->speed = 1.0;
        } else if (strcmp(o, "--trace") == 0 || strcmp(o, "--candump") == 0 ||
                   strcmp(o, "--junit") == 0 || strcmp(o, "--compare") == 0) {
            if (!val)
                return cmd_usage_error("run", "%s needs a file name", o);
            *(o[2] == 't' ? &a->trace : o[3] == 'a' ? &a->candump : o[2] == 'j' ? &a->junit
                                                                        : &a->compare) = val;
            i++;
        } else if (strcmp(o, "--every") == 0 || strcmp(o, "--until") == 0) {
            double *dst = o[2] == 'e' ? &a->every_s : &a->until_s;
            if (!val || cmd_parse_duration(val, dst) != 0 || *dst <= 0)
                return cmd_usage_error("run", "%s needs a duration greater than 0: seconds "
                                       "or a number with a unit ms, s, m, h, d such as 300, "
                                       "250ms, 10m, 2h (got '%s')", o, val ? val : "");
            i++;
        } else if (strcmp(o, "--tick") == 0) {
            double tick_s = 0.0;
            bool is_auto = val && strcmp(val, "auto") == 0;
            if (!val || (!is_auto && (cmd_parse_duration(val, &tick_s) != 0 ||
                                      llround(tick_s * 1000.0) != SIM_TICK_MS)))
                return cmd_usage_error("run", "--tick takes 10ms (the reference mode: every "
                                       "tick) or auto (tickless, the default) (got '%s')",
                                       val ? val : "");
            a->reference_tick = !is_auto;
            i++;
        } else if (strcmp(o, "--plant") == 0) {
            if (!val || (strcmp(val, "100ms") != 0 && strcmp(val, "auto") != 0))
                return cmd_usage_error("run", "--plant takes 100ms (the physics' reference: "
                                       "the plant steps every 100 ms) or auto (it may lag, "
                                       "the default) (got '%s')", val ? val : "");
            a->fixed_plant = strcmp(val, "100ms") == 0;
            i++;
        } else if (strcmp(o, "--disable-protection") == 0) {
            if (cmd_disable_protection("run", val, &a->cfg) != 0)
                return -1;
            i++;
        } else if (strcmp(o, "--speed") == 0) {
            if (!cmd_number(val, &a->speed) || a->speed <= 0)
                return cmd_usage_error("run", "--speed needs a positive number (got '%s')",
                                       val ? val : "");
            i++;
        } else if (strcmp(o, "--can") == 0 || strcmp(o, "--console") == 0 ||
                   strcmp(o, "--listen") == 0) {
            char why[160];
            if (!bridge_opts_add(&a->bridge, o, val, why, sizeof why))
                return cmd_usage_error("run", "%s", why);
            i++;
        } else if (o[0] == '-' && o[1] != '\0') {
            return cmd_usage_error("run", "unknown option '%s'", o);
        } else {
            a->files[a->n_files++] = argv[i];
        }
    }
    if (a->n_files == 0)
        return cmd_usage_error("run", "no scenario file given");
    return 0;
}

/* FILE.csv -> FILE-NAME.csv when several scenarios share one option. */
static FILE *open_output(const char *path, const char *name, bool several, char *used,
                         size_t used_len)
{
    used[0] = '\0';
    if (!path)
        return NULL;
    if (!several) {
        snprintf(used, used_len, "%s", path);
    } else {
        const char *dot = strrchr(path, '.');
        const char *slash = strrchr(path, '/');
        if (!dot || (slash && dot < slash))
            dot = path + strlen(path);
        snprintf(used, used_len, "%.*s-%s%s", (int)(dot - path), path, name, dot);
    }
    return cmd_open_output("run", used);
}

/* One line of the energy block: joules as Wh, 3 decimals, never "-0.000". */
static void ledger_line(const char *what, double j)
{
    double wh = j / 3600.0;
    if (fabs(wh) < 0.0005)
        wh = 0.0;
    printf("  %-20s %14.3f Wh\n", what, wh);
}

/* The pack's energy books for the run (docs/spec/CLI.md, --summary): what came
 * in at the terminals, where it went, and what the books do not explain. */
static void print_ledger(const char *name, int pack, const struct pack_energy *e)
{
    printf("energy %s pack %d\n", name, pack + 1);
    ledger_line("delivered", e->terminal_j);
    ledger_line("delivered in", e->terminal_in_j);
    ledger_line("delivered out", e->terminal_in_j - e->terminal_j);
    ledger_line("stored (chemical)", e->chem_j);
    ledger_line("joule heat", e->joule_j);
    ledger_line("reversible heat", e->reversible_j);
    ledger_line("side-reaction heat", e->side_reaction_j);
    ledger_line("series heat", e->series_j);
    ledger_line("diode heat", e->diode_j);
    ledger_line("balancing", e->balance_j);
    ledger_line("bms supply", e->bms_j);
    ledger_line("self-discharge", e->self_discharge_j);
    ledger_line("residual", pack_energy_residual_j(e));
}

/* The outcomes of a scenario that a signal kept from starting: every
 * expectation undecided. */
static struct scn_outcome *not_run(const struct scn_scenario *scn, int *count)
{
    struct scn_outcome *o = calloc((size_t)scn->expect_count + 1, sizeof *o);
    *count = o ? scn->expect_count : 0;
    for (int j = 0; j < *count; j++) {
        scn_format_expect_label(o[j].label, sizeof o[j].label, &scn->expects[j]);
        o[j].interrupted = true;
        snprintf(o[j].message, sizeof o[j].message, "not decided: the run was interrupted "
                 "before this scenario started");
    }
    return o;
}

/* A replay's logged values against the run: one line per logged quantity. */
static void print_compare(const char *name, const struct scn_replay_stats *r)
{
    for (int q = 0; q < SCN_CMP_COUNT; q++) {
        if (!r->compare[q].used)
            continue;
        char line[256];
        scn_compare_format(&r->compare[q], (enum scn_cmp_q)q, line, sizeof line);
        printf("compare %s %s\n", name, line);
    }
}

int cmd_run(int argc, char **argv)
{
    struct run_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) {
        free(a.files);
        sim_table_free(a.cfg);
        return rc > 0 ? GTX_EXIT_OK : GTX_EXIT_USAGE;
    }
    struct scn_scenario *scns = calloc((size_t)a.n_files, sizeof *scns);
    struct cell_params *cell = calloc(1, sizeof *cell);
    if (!scns || !cell) {
        free(a.files);
        sim_table_free(a.cfg);
        free(scns);
        free(cell);
        return GTX_EXIT_INTERNAL;
    }
    char err[SCN_ERR_MAX];
    int bad = 0;
    for (int i = 0; i < a.n_files; i++) {
        if (scn_load(a.files[i], &scns[i], err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            bad++;
        }
    }
    int status = GTX_EXIT_OK;
    struct bridge *bridge = NULL;
    FILE *junit = NULL;
    if (bad) {
        status = GTX_EXIT_USAGE;
        goto out;
    }
    if (cmd_load_default_cell(cell, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        status = GTX_EXIT_INTERNAL;
        goto out;
    }
    /* The report's file is opened now: a path that cannot be written is a usage
     * error before hours of simulation, not after. */
    if (a.junit && !(junit = cmd_open_output("run", a.junit))) {
        status = GTX_EXIT_USAGE;
        goto out;
    }
    a.bridge.quiet = a.quiet;
    if (bridge_opts_any(&a.bridge) && !(bridge = bridge_open(&a.bridge, err, sizeof err))) {
        fprintf(stderr, "gtxsim run: error: %s\n", err);
        status = GTX_EXIT_USAGE;
        goto out;
    }

    struct scn_outcome **outcomes = calloc((size_t)a.n_files, sizeof *outcomes);
    int *counts = calloc((size_t)a.n_files, sizeof *counts);
    /* How a signal cut each run short (a JUnit property), NULL when it did not. */
    char (*cut)[96] = calloc((size_t)a.n_files, sizeof *cut);
    const char **cut_text = calloc((size_t)a.n_files, sizeof *cut_text);
    int passed = 0, failed = 0, undecided = 0, stop_sig = 0;
    char stop_when[32] = "";
    bool several = a.n_files > 1;
    const atomic_int *stop = cmd_stop_signals();
    for (int i = 0; i < a.n_files && outcomes && counts && cut && cut_text; i++) {
        if (*stop) { /* the scenarios after the interrupted one are not run */
            stop_sig = *stop;
            snprintf(cut[i], sizeof cut[i], "%s before it started", cmd_stop_name(stop_sig));
            cut_text[i] = cut[i];
            outcomes[i] = not_run(&scns[i], &counts[i]);
            undecided += counts[i];
            continue;
        }
        struct scn_run_opts o = {.every_s = a.every_s, .cells = a.cells, .thermal = a.thermal,
                                 .until_s = a.until_s,
                                 .speed = a.speed, .quiet = a.quiet, .bms_cfg = a.cfg,
                                 .reference_tick = a.reference_tick,
                                 .fixed_plant = a.fixed_plant,
                                 .progress = isatty(STDERR_FILENO) && !a.quiet, .stop = stop};
        if (bridge) { /* the outside ports follow the simulation tick by tick */
            o.on_start = bridge_hook_start;
            o.on_tick = bridge_hook_tick;
            o.on_end = bridge_hook_end;
            o.hook_ctx = bridge;
        }
        char trace_path[1024], candump_path[1024], compare_path[1024];
        o.trace = open_output(a.trace, scns[i].name, several, trace_path, sizeof trace_path);
        o.candump = open_output(a.candump, scns[i].name, several, candump_path,
                                sizeof candump_path);
        o.compare = open_output(a.compare, scns[i].name, several, compare_path,
                                sizeof compare_path);
        if ((a.trace && !o.trace) || (a.candump && !o.candump) || (a.compare && !o.compare)) {
            if (o.trace)
                fclose(o.trace);
            if (o.candump)
                fclose(o.candump);
            if (o.compare)
                fclose(o.compare);
            status = GTX_EXIT_USAGE;
            break;
        }
        struct scn_run_result res;
        if (scn_run(&scns[i], cell, &o, &res, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            status = GTX_EXIT_INTERNAL;
        }
        if (o.trace && cmd_close_output("run", trace_path, o.trace) != 0)
            status = GTX_EXIT_USAGE;
        if (o.candump && cmd_close_output("run", candump_path, o.candump) != 0)
            status = GTX_EXIT_USAGE;
        if (o.compare && cmd_close_output("run", compare_path, o.compare) != 0)
            status = GTX_EXIT_USAGE;
        print_compare(scns[i].name, &res.replay);
        passed += res.passed;
        failed += res.failed;
        undecided += res.interrupted;
        outcomes[i] = res.outcomes;
        counts[i] = res.outcome_count;
        for (int p = 0; a.summary && p < res.pack_count && p < SIM_MAX_PACKS; p++)
            print_ledger(scns[i].name, p, &res.energy[p]);
        if (res.stop_signal) {
            stop_sig = res.stop_signal;
            scn_duration_format(res.sim_s, stop_when, sizeof stop_when);
            snprintf(cut[i], sizeof cut[i], "%s at simulated time %s", cmd_stop_name(stop_sig),
                     stop_when);
            cut_text[i] = cut[i];
        }
        if (!a.quiet)
            fprintf(stderr, "%s: %d passed, %d failed%s%s%s (%.0f s simulated in %.2f s)\n",
                    scns[i].path, res.passed, res.failed,
                    res.skipped ? ", some not reached before --until" : "",
                    res.stop_signal ? ", interrupted by " : "", cut_text[i] ? cut[i] : "",
                    res.sim_s, res.wall_s);
    }
    if (junit) {
        if (outcomes && counts && status == GTX_EXIT_OK)
            cmd_write_junit(junit, scns, a.n_files, outcomes, counts, cut_text);
        if (cmd_close_output("run", a.junit, junit) != 0 && status == GTX_EXIT_OK)
            status = GTX_EXIT_USAGE;
        junit = NULL;
    }
    for (int i = 0; i < a.n_files && outcomes; i++)
        free(outcomes[i]);
    free(outcomes);
    free(counts);
    free(cut);
    free(cut_text);
    if (stop_sig) { /* the summary still starts "N passed, M failed" */
        printf("%d passed, %d failed, %d not decided: interrupted by %s", passed, failed,
               undecided, cmd_stop_name(stop_sig));
        if (stop_when[0])
            printf(" at simulated time %s", stop_when);
        printf("\n");
        status = cmd_stop_status(stop_sig);
        goto out;
    }
    printf("%d passed, %d failed\n", passed, failed);
    if (status == GTX_EXIT_OK && failed)
        status = GTX_EXIT_FAILED;
out:
    if (junit)
        fclose(junit);
    bridge_close(bridge);
    for (int i = 0; i < a.n_files; i++)
        scn_free(&scns[i]);
    free(scns);
    free(cell);
    free(a.files);
    sim_table_free(a.cfg);
    return status;
}
