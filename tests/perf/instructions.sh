#!/bin/sh
# Instructions per simulated second of the standard day through the runner, 1 pack and
# 4 packs (docs/performance.md, figures 4 and 5): valgrind's callgrind counts every instruction of
# `gtxsim run` up to two instants, and the difference over the simulated seconds
# between them leaves out the start-up (loading the cell, the scenario).
# Tickless: from 1 h to 24 h (the whole day's mix); the reference mode (--tick 10ms),
# whose cost per second hardly depends on what the pack does: from 1 h to 3 h.
# 4 packs (`gtxsim bench --scenario --packs 4`), tickless: from 1 h to 24 h, and the
# ratio to 1 pack (figure 4's target: at most 4).
# usage: tests/perf/instructions.sh [build/gtxsim]
set -eu
gtxsim=${1:-build/gtxsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gtxsim" bench --scenario > "$tmp/day.json"
"$gtxsim" bench --scenario --packs 4 > "$tmp/day4.json"

ir() { # UNTIL_S [run options...]: instructions of gtxsim run up to UNTIL_S
    until_s=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
        "$gtxsim" run "${day:-$tmp/day.json}" -q --until "$until_s" "$@" >/dev/null 2>"$tmp/vg.err"
    sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$tmp/cg.out"
}

per_s() { # FROM_S TO_S [run options...]
    from_s=$1; to_s=$2; shift 2
    a=$(ir "$from_s" "$@"); b=$(ir "$to_s" "$@")
    echo $(( (b - a) / (to_s - from_s) ))
}

echo "instructions per simulated second, standard day, through the runner:"
one=$(per_s 3600 86400)
echo "  1 pack, tickless                $one"
echo "  1 pack, reference (--tick 10ms) $(per_s 3600 10800 --tick 10ms)"
four=$(day="$tmp/day4.json" per_s 3600 86400)
echo "  4 packs, tickless               $four ($(echo "$four $one" | awk '{printf "%.2f", $1 / $2}')x 1 pack)"
