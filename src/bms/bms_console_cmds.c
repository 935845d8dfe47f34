/* bms_console_cmds: the firmware console's command table (docs/console.md): each
 * command's name, usage, help line, argument range and renderer (bms_console_show.c).
 * The line engine (bms_console.c) parses against it; `help` is the engine's own.
 */
#include "bms_console.h"

const struct bms_console_cmd bms_console_commands[] = {
    {"status", "status", "state, SOC, voltages, current, alarms", 0, 0, 0, 0,
     bms_console_status_row},
    {"cells", "cells", "cell voltages and temperatures", 0, 0, 0, 0, bms_console_cells_row},
    {"limits", "limits", "CVL, CCL, DCL, DVL and why", 0, 0, 0, 0, bms_console_limits_row},
    {"log", "log [N]", "the last N events (10; at most 1000)", 0, 1, 1, 1000,
     bms_console_log_row},
    {"config", "config", "thresholds, delays and hysteresis", 0, 0, 0, 0,
     bms_console_config_row},
    {"version", "version", "firmware and battery", 0, 0, 0, 0, bms_console_version_row},
};

const size_t bms_console_command_count =
    sizeof bms_console_commands / sizeof bms_console_commands[0];
