/* test_sim_schedule: what the simulator keeps from one instant to the next instead of
 * working it out again at each (docs/simulator.md, "One instant"), against what it must
 * follow: the plant's scan period follows a firmware that reprograms its AFE watch
 * between two scans.
 * Argument: the default cell file (assets/cells/lfp50.json).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtx/scn_run.h"
#include "gtx/sim.h"
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

static const struct gtx_test tests[] = {
    GTX_TEST(test_scan_follows_a_watch_changed_between_scans),
};

int main(int argc, char **argv)
{
    return gtx_check_main_cell("sim_schedule", tests, GTX_COUNT(tests), 60, argc, argv, &cell);
}
