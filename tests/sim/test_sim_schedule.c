/* test_sim_schedule: what the simulator keeps from one instant to the next instead of
 * working it out again at each (docs/simulator.md, "One instant"), against what it must
 * follow: the plant's scan period follows a firmware that reprograms its AFE watch
 * between two scans, and is asked again after each of the other changes it reads (the
 * firmware's power hold, the physics' step).
 * Argument: the default cell file (assets/cells/lfp50.json).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/scn_run.h"
#include "gtx/sim.h"
#include "gtx/sim_io.h"
#include "gtx/sim_rig.h"
#include "gtx/sim_view.h"
#include "cell_arg.h"
#include "check_main.h"

static struct cell_params cell;

/* One pack at 50 %, 25 °C, running, with no inverter: a calm standby. */
static struct sim *calm_pack(void)
{
    static const char text[] =
        "{\"format\": \"gtxsim-scenario/1\", \"name\": \"schedule\", \"duration\": \"1h\","
        " \"packs\": [{\"soc\": 50, \"on\": true}], \"inverter\": null}";
    char err[SCN_ERR_MAX];
    struct scn_scenario scn;
    ck_assert_msg(scn_load_text("schedule.json", text, strlen(text), &scn, err,
                                sizeof err) == 0, "%s", err);
    struct sim_config cfg;
    scn_sim_config(&scn, &cell, NULL, &cfg);
    struct sim *s = sim_new(&cfg);
    scn_free(&scn);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* A calm standby scans once a second (its quiet watch); a press of the button makes the
 * firmware active between two scans, and it asks for a scan every 100 ms: the next scan
 * then comes on the 100 ms grid of the last one (docs/simulator.md, "A longer scan period
 * waits for the scan already due"), not at the quiet second. The simulator works the
 * period out again only when a firmware reprogrammed its watch: without that, the next
 * scan came up to 1 s after the press. */
START_TEST(test_scan_follows_a_watch_changed_between_scans)
{
    struct sim *s = calm_pack();
    sim_run_until(s, 20000); /* calm by now */
    /* Wait for a quiet scan: right after it, the next one is a second away. */
    int guard = 0;
    while (sim_rig_next_scan_ms(s) > sim_view_now_ms(s) && guard++ < 200)
        sim_step(s);
    sim_step(s); /* the scan */
    uint64_t press_ms = sim_view_now_ms(s);
    ck_assert_msg(sim_rig_next_scan_ms(s) >= press_ms + 900,
                  "not a quiet scan: the next at %llu ms, now %llu ms",
                  (unsigned long long)sim_rig_next_scan_ms(s), (unsigned long long)press_ms);
    sim_set_button(s, 0, true);
    uint64_t scanned_ms = 0;
    while (!scanned_ms && sim_view_now_ms(s) < press_ms + 1000) {
        if (sim_rig_next_scan_ms(s) <= sim_view_now_ms(s))
            scanned_ms = sim_view_now_ms(s);
        sim_step(s);
    }
    ck_assert_msg(scanned_ms && scanned_ms <= press_ms + 200,
                  "pressed at %llu ms, first scan after it at %llu ms",
                  (unsigned long long)press_ms, (unsigned long long)scanned_ms);
    sim_set_button(s, 0, false);
    sim_free(s);
}
END_TEST

/* The scan period reads a firmware's power hold (a pack that lets its power go scans at
 * the storage step, or every plant step while it carries current; one that holds it, at
 * its watch's period): the board flags a change of the hold, not the same hold again.
 * The system never shows this source alone: the firmware reprograms its watch in the tick
 * it takes or lets go its power (the watch's own flag), and a power change catches the
 * physics up (the physics' flag). So the board is driven here as a firmware would. */
START_TEST(test_power_hold_change_flags_the_scan_period)
{
    struct sim_io *io = calloc(1, sizeof *io);
    ck_assert_ptr_nonnull(io);
    sim_io_init(io);
    const struct board_ops *ops = io->board.ops;
    ops->power_hold(&io->board, false); /* as it starts: not held */
    ck_assert_msg(!io->scan_asked_changed, "flagged a hold that did not change");
    ops->power_hold(&io->board, true);
    ck_assert_msg(io->scan_asked_changed, "taking the power was not flagged");
    io->scan_asked_changed = false;
    ops->power_hold(&io->board, true);
    ck_assert_msg(!io->scan_asked_changed, "holding it again was flagged");
    ops->power_hold(&io->board, false);
    ck_assert_msg(io->scan_asked_changed, "letting the power go was not flagged");
    free(io);
}
END_TEST

/* A step of the physics works its storage step out again (storage_step_ms: how often a
 * system shut down scans, longer as the plants come to rest), so the scan period is
 * asked again after it. A step outside a scan: a fault's, which acts from now (the
 * physics lags in a calm standby, by 10 s and more). In a run, each such step comes with
 * a resync or a power change that asks again anyway, so the flag is looked at itself. */
START_TEST(test_physics_step_flags_the_scan_period)
{
    struct sim *s = calm_pack();
    sim_run_until(s, 20000);
    ck_assert_msg(!sim_rig_scan_asked_changed(s), "the flag was left set by an instant");
    uint64_t gen = sim_view_plant_gen(s);
    struct sim_fault f = {.kind = SIM_FAULT_CELL_RESISTANCE, .pack = 0, .where = 1,
                          .value = 1.0}; /* the cell as it was: only the catch-up counts */
    sim_inject_fault(s, &f);
    ck_assert_msg(sim_view_plant_gen(s) > gen, "the fault did not step the physics");
    ck_assert_msg(sim_rig_scan_asked_changed(s),
                  "a physics step at %llu ms did not ask for the scan period again",
                  (unsigned long long)sim_view_now_ms(s));
    sim_step(s); /* the scan the fault's resync brings works it out */
    ck_assert(!sim_rig_scan_asked_changed(s));
    sim_free(s);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_TEST(test_scan_follows_a_watch_changed_between_scans),
    GTX_TEST(test_power_hold_change_flags_the_scan_period),
    GTX_TEST(test_physics_step_flags_the_scan_period),
};

int main(int argc, char **argv)
{
    return gtx_check_main_cell("sim_schedule", tests, GTX_COUNT(tests), 60, argc, argv, &cell);
}
