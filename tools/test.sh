#!/usr/bin/env bash
# The README's second command and what CI runs (.ci/run): installs what is
# missing, builds debug and release, runs every test, then runs the suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
start_s=$(date +%s)
tools/setup.sh

configure() { # DIR [meson options...]
    local dir=$1; shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
}

status=0
summary=()
phases=()   # "NAME SECONDS" of each step, printed at the end
phase_s=$start_s
phase() { # NAME: the step that just ended
    local now
    now=$(date +%s)
    phases+=("$1 $((now - phase_s))s")
    phase_s=$now
}
phase "setup"
run_suite() { # NAME DIR [env...]
    local name=$1 dir=$2; shift 2
    if env "$@" meson test -C "$dir" --print-errorlogs --num-processes 2; then :
    else status=1; fi
    local counts
    counts=$(/usr/bin/python3 - "$dir/meson-logs/testlog.json" <<'PY'
import json, sys
ok = bad = skip = 0
for line in open(sys.argv[1]):
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"): ok += 1
    elif r == "SKIP": skip += 1
    else: bad += 1
print(ok, bad, skip)
PY
)
    summary+=("$name: $counts")
}

configure build
meson compile -C build
phase "debug-build"
run_suite debug build
phase "debug-tests"

configure build-release --buildtype=release
meson compile -C build-release
phase "release-build"

configure build-asan -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C build-asan
phase "asan-build"
run_suite asan build-asan UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ASAN_OPTIONS=detect_leaks=1
phase "asan-tests"

passed=0; failed=0; skipped=0
for s in "${summary[@]}"; do
    read -r _ ok bad skip <<<"$s"
    echo "$s" | awk '{printf "%s %s passed, %s failed, %s skipped\n", $1, $2, $3, $4}'
    passed=$((passed + ok)); failed=$((failed + bad)); skipped=$((skipped + skip))
done
echo "$passed passed, $failed failed, $skipped skipped"
total_s=$(($(date +%s) - start_s))
echo "steps: ${phases[*]}"
printf 'total time %dm%02ds (both passes, setup and builds included)\n' $((total_s / 60)) $((total_s % 60))
exit $status
