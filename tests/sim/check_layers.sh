#!/bin/sh
# The layer rule of docs/simulator.md: the window, the runner, the bridges, the
# trainer's scoring, the campaigns and the commands look at a running system
# only through gtx/sim_view.h and change it only through gtx/sim.h. Fails, naming
# each line, when one of them reaches into the firmware's status, private
# headers or configuration table, a pack's firmware or plant, the test rigs' hooks (gtx/sim_rig.h) or
# the simulated board, or the simulator's private header.
# Usage: check_layers.sh SOURCE_ROOT
root=${1:?usage: check_layers.sh SOURCE_ROOT}
cd "$root" || exit 2
bad=0
outside="src/ui src/scenario src/bridge src/train src/campaign"
cmds=$(ls src/cmd_*.c)
if grep -rn 'bms_status\|src/bms/\|\.fw\.\|\.plant\.' $outside $cmds; then
    echo "check_layers: error: the lines above reach around gtx/sim_view.h" >&2
    bad=1
fi
# The firmware's private headers (src/bms/*.h); the console fuzzer in
# src/bridge/fuzz tests the firmware's parser itself and is exempt.
if grep -rn --exclude-dir=fuzz '#include "bms_[a-z_]*\.h"' $outside $cmds; then
    echo "check_layers: error: the lines above include a private firmware header" >&2
    bad=1
fi
# The test rigs' hooks (held sensors, CAN taps) and the simulated board itself:
# an observer sees only what a real system shows.
if grep -rn '#include "gtx/sim_rig\.h"\|#include "gtx/sim_io\.h"' $outside $cmds; then
    echo "check_layers: error: the lines above use a test rig's hook or the simulated board" >&2
    bad=1
fi
# The firmware's configuration table: made by sim_table_* (gtx/sim.h), read by
# an observer through the view (sim_view_button_hold_ms, sim_view_*_trip), so that
# its header, its rows and its default stay out of the observers.
if grep -rn 'gtx/bms_config\.h\|BMS_ROW_\|bms_config_default\|protect_stops' \
        $outside $cmds include/gtx/scn_run.h; then
    echo "check_layers: error: the lines above read the firmware's table around gtx/sim_view.h" >&2
    bad=1
fi
if grep -rln 'sim_internal\.h' src include | grep -v '^src/sim/'; then
    echo "check_layers: error: sim_internal.h is private to src/sim/" >&2
    bad=1
fi
[ $bad = 0 ] && echo "check_layers: the layers hold"
exit $bad
