#!/usr/bin/env bash
# Every scenario of scenarios/ whole, tickless and in the reference mode (--tick 10ms):
# their traces (with cells), CAN logs and verdicts must be the same bytes
# (docs/simulator.md, "Tickless"). The test suite compares runs longer than 2 days over
# their first 2 days; this compares them whole, which takes a while (the year of storage
# in the reference mode: some minutes of a release build's CPU).
#   tools/compare_modes.sh BUILD_DIR OUTDIR
# Environment: EVERY, the traces' period (default 10s: a year at 1 s rows would
# need gigabytes); the CAN logs hold every frame.
set -eu
build=$1 out=$2
here=$(dirname "$0")
EVERY=${EVERY:-10s} UNTIL=400d "$here/compare_outputs.sh" "$build" "$out/tickless" &
EVERY=${EVERY:-10s} UNTIL=400d ARGS="--tick 10ms" "$here/compare_outputs.sh" "$build" "$out/reference"
wait
"$here/compare_outputs.sh" --diff "$out/tickless" "$out/reference"
