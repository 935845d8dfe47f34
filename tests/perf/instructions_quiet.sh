#!/bin/sh
# Instructions per simulated second of `gtxsim bench` figures 2 and 3 (docs/performance.md),
# through the runner: valgrind's callgrind counts `gtxsim run` of each scenario up to two
# instants, and the difference over the simulated seconds between them leaves out the
# start-up. The scenarios are the bench's own (`gtxsim bench --scenario month|year`):
# the month in standby with CAN running from 1 h to 25 h, the shut-down year in storage
# from day 1 to day 31.
# usage: tests/perf/instructions_quiet.sh [build/gtxsim]
set -eu
gtxsim=${1:-build/gtxsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gtxsim" bench --scenario month > "$tmp/month.json"
"$gtxsim" bench --scenario year > "$tmp/year.json"

ir() { # SCENARIO UNTIL_S: instructions of gtxsim run up to UNTIL_S
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
        "$gtxsim" run "$1" -q --until "$2" >/dev/null 2>"$tmp/vg.err"
    sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$tmp/cg.out"
}

per_s() { # SCENARIO FROM_S TO_S
    a=$(ir "$1" "$2"); b=$(ir "$1" "$3")
    echo $(( (b - a) / ($3 - $2) ))
}

echo "instructions per simulated second, 1 pack, through the runner:"
echo "  a month in standby, CAN running  $(per_s "$tmp/month.json" 3600 90000)"
echo "  a shut-down year in storage      $(per_s "$tmp/year.json" 86400 2678400)"
