/* cmd_gui: `gtxsim` and `gtxsim gui [SCENARIO]` (docs/spec/CLI.md): the window, or with
 * --screenshot FILE.png --at DURATION one rendered frame saved with no display;
 * --layout prints where the LEDs and dry-contact indicators are drawn.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "cmd_common.h"
#include "cmd_signal.h"
#include "gtx/bridge.h"
#include "gtx/ui.h"

static void gui_usage(FILE *out)
{
    fprintf(out,
            "usage: gtxsim gui [SCENARIO] [options]\n"
            "Opens the window on SCENARIO (default: scenarios/default.json).\n\n"
            "  --screenshot FILE.png  run the scenario as fast as possible to --at, render\n"
            "                         the window once, save it as PNG and exit (no display\n"
            "                         needed: offscreen, software renderer)\n"
            "  --at DURATION          the instant of the screenshot (default 0): seconds\n"
            "                         (300) or with a unit (250ms, 10m, 2h, 30d)\n"
            "  --dialog NAME          open faults, scenarios or help at start (screenshots)\n"
            "  --layout               print the centres of every pack's LEDs, dry-contact\n"
            "                         indicators and start button (logical pixels), and exit\n\n"
            "With no display, `gtxsim` exits with status 2: use `gtxsim run` instead.\n"
            "SIGINT/SIGTERM close the window or stop a screenshot run (no file written)\n"
            "with status 130/143.\n"
            "In the window, F1 lists the keys.\n");
}

static void print_layout(void)
{
    static const struct {
        enum ui_panel_item item;
        const char *name;
    } rows[] = {
        {UI_PI_LED1, "L1"},   {UI_PI_LED2, "L2"},        {UI_PI_LED3, "L3"},
        {UI_PI_LED4, "L4"},   {UI_PI_LED5, "L5"},        {UI_PI_LED6, "L6"},
        {UI_PI_LED7, "L7"},   {UI_PI_LED8, "L8"},        {UI_PI_DRY_CHG, "dry_chg"},
        {UI_PI_DRY_DSG, "dry_dsg"}, {UI_PI_BUTTON, "button"},
    };
    printf("packs,pack,item,x,y\n");
    for (int n = 1; n <= UI_MAX_PACKS; n++)
        for (int p = 0; p < n; p++)
            for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
                struct ui_rect r;
                int x, y;
                ui_layout_panel(n, p, rows[i].item, &r);
                ui_rect_centre(&r, &x, &y);
                printf("%d,%d,%s,%d,%d\n", n, p + 1, rows[i].name, x, y);
            }
}

int cmd_gui(int argc, char **argv)
{
    struct ui_opts o = {0};
    struct bridge_opts ports;
    bridge_opts_init(&ports);
    bool at_given = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = cmd_option_value(argc, argv, i);
        if (cmd_help(a, gui_usage))
            return GTX_EXIT_OK;
        if (strcmp(a, "--layout") == 0) {
            print_layout();
            return GTX_EXIT_OK;
        } else if (strcmp(a, "--screenshot") == 0) {
            if (!val) {
                cmd_usage_error("gui", "--screenshot needs a file name");
                return GTX_EXIT_USAGE;
            }
            o.screenshot = val;
            i++;
        } else if (strcmp(a, "--dialog") == 0) {
            if (!val || (strcmp(val, "faults") && strcmp(val, "scenarios") && strcmp(val, "help"))) {
                cmd_usage_error("gui", "--dialog takes faults, scenarios or help (got '%s')",
                                val ? val : "");
                return GTX_EXIT_USAGE;
            }
            o.dialog = val;
            i++;
        } else if (strcmp(a, "--at") == 0) {
            if (!val || cmd_parse_duration(val, &o.at_s) != 0 || o.at_s < 0) {
                cmd_usage_error("gui", "--at needs a duration of 0 or more: seconds or a "
                                "number with a unit ms, s, m, h, d such as 0, 300, 10m, 2h "
                                "(got '%s')", val ? val : "");
                return GTX_EXIT_USAGE;
            }
            at_given = true;
            i++;
        } else if (strcmp(a, "--can") == 0 || strcmp(a, "--console") == 0 ||
                   strcmp(a, "--listen") == 0) {
            char why[160];
            if (!bridge_opts_add(&ports, a, val, why, sizeof why)) {
                cmd_usage_error("gui", "%s", why);
                return GTX_EXIT_USAGE;
            }
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            cmd_usage_error("gui", "unknown option '%s'", a);
            return GTX_EXIT_USAGE;
        } else if (o.scenario) {
            cmd_usage_error("gui", "only one scenario at a time (got '%s' and '%s')", o.scenario,
                            a);
            return GTX_EXIT_USAGE;
        } else {
            o.scenario = a;
        }
    }
    if (at_given && !o.screenshot) {
        cmd_usage_error("gui", "--at goes with --screenshot");
        return GTX_EXIT_USAGE;
    }
    /* Before the run to --at, which may take a while. */
    if (o.screenshot && cmd_probe_output("gui", o.screenshot) != 0)
        return GTX_EXIT_USAGE;
    if (bridge_opts_any(&ports)) {
        char err[256];
        if (!(o.bridge = bridge_open(&ports, err, sizeof err))) {
            fprintf(stderr, "%s\n", err);
            return GTX_EXIT_USAGE;
        }
    }
    o.stop = cmd_stop_signals();
    int rc = ui_run(&o);
    if (o.bridge)
        bridge_close(o.bridge);
    return *o.stop ? cmd_stop_status(*o.stop) : rc;
}
