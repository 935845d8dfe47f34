#!/usr/bin/env bash
# Runs the scenario library and writes each scenario's trace (with cells) and
# CAN log into OUTDIR, so that two builds' outputs can be compared byte for
# byte (a refactoring must leave them identical):
#   tools/compare_outputs.sh BUILD_DIR OUTDIR          # record
#   tools/compare_outputs.sh --diff OUTDIR_A OUTDIR_B  # compare two records
# The month-long scenario is recorded up to --until (default 1d) to keep it quick.
# Environment: UNTIL (default 1d), EVERY (the trace's period, default the scenario's),
# ARGS (more options for every run, e.g. "--tick 10ms"). tools/compare_modes.sh uses it
# to compare the two time modes.
set -eu
if [ "${1:-}" = "--diff" ]; then
    a=$2 b=$3 bad=0
    for f in "$a"/*; do
        n=$(basename "$f")
        if ! cmp -s "$f" "$b/$n"; then echo "differs: $n"; bad=1; fi
    done
    for f in "$b"/*; do
        [ -e "$a/$(basename "$f")" ] || { echo "only in $b: $(basename "$f")"; bad=1; }
    done
    [ $bad = 0 ] && echo "identical: $(ls "$a" | wc -l) files"
    exit $bad
fi
build=$1 out=$2 until=${UNTIL:-1d}
every=()
[ -n "${EVERY:-}" ] && every=(--every "$EVERY")
read -r -a extra <<<"${ARGS:-}"
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
find "$root/scenarios" -name '*.json' | sort | while read -r s; do
    # named by the path under scenarios/ (training/ repeats two top-level names)
    n=${s#"$root/scenarios/"}
    n=${n%.json}
    n=${n//\//__}
    "$build/gtxsim" run "$s" -q --until "$until" --cells --trace "$out/$n.csv" \
        --candump "$out/$n.log" "${every[@]}" "${extra[@]}" >"$out/$n.out" 2>&1 || true
done
echo "recorded $(ls "$out"/*.csv | wc -l) scenarios in $out"
