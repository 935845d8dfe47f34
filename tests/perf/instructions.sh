#!/bin/sh
# Instructions per simulated second through the runner (docs/performance.md): valgrind's
# callgrind counts every instruction of `gtxsim run` of a scenario up to two instants,
# and the difference over the simulated seconds between them leaves out the start-up
# (loading the cell, the scenario). The scenarios are the bench's own
# (`gtxsim bench --scenario [month|year] [--packs 4]`).
# - by default, the standard day (figures 4 and 5), 1 pack and 4 packs. Tickless: from
#   1 h to 24 h (the whole day's mix); the reference mode (--tick 10ms), whose cost per
#   second hardly depends on what the pack does: from 1 h to 3 h. 4 packs, tickless:
#   from 1 h to 24 h, and the ratio to 1 pack (figure 4's target: at most 4).
# - --quiet: figures 2 and 3, the month in standby with CAN running from 1 h to 25 h,
#   the shut-down year in storage from day 1 to day 31.
# usage: tests/perf/instructions.sh [--quiet] [build/gtxsim]
set -eu
quiet=false
if [ "${1:-}" = --quiet ]; then
    quiet=true
    shift
fi
gtxsim=${1:-build/gtxsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ir() { # SCENARIO UNTIL_S [run options...]: instructions of gtxsim run up to UNTIL_S
    scenario=$1 until_s=$2
    shift 2
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
        "$gtxsim" run "$scenario" -q --until "$until_s" "$@" >/dev/null 2>"$tmp/vg.err"
    sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$tmp/cg.out"
}

per_s() { # SCENARIO FROM_S TO_S [run options...]
    scenario=$1 from_s=$2 to_s=$3
    shift 3
    a=$(ir "$scenario" "$from_s" "$@")
    b=$(ir "$scenario" "$to_s" "$@")
    echo $(( (b - a) / (to_s - from_s) ))
}

if $quiet; then
    "$gtxsim" bench --scenario month > "$tmp/month.json"
    "$gtxsim" bench --scenario year > "$tmp/year.json"
    echo "instructions per simulated second, 1 pack, through the runner:"
    echo "  a month in standby, CAN running  $(per_s "$tmp/month.json" 3600 90000)"
    echo "  a shut-down year in storage      $(per_s "$tmp/year.json" 86400 2678400)"
    exit 0
fi
"$gtxsim" bench --scenario > "$tmp/day.json"
"$gtxsim" bench --scenario --packs 4 > "$tmp/day4.json"
echo "instructions per simulated second, standard day, through the runner:"
one=$(per_s "$tmp/day.json" 3600 86400)
echo "  1 pack, tickless                $one"
echo "  1 pack, reference (--tick 10ms) $(per_s "$tmp/day.json" 3600 10800 --tick 10ms)"
four=$(per_s "$tmp/day4.json" 3600 86400)
echo "  4 packs, tickless               $four ($(echo "$four $one" | awk '{printf "%.2f", $1 / $2}')x 1 pack)"
