#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the
# main job: the window when there is a display, else the headless demo scenario.
set -eu
cd "$(dirname "$0")/.."
tools/setup.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && ./build/gtxsim gui --help >/dev/null 2>&1; then
    exec ./build/gtxsim "$@"
fi
echo "run.sh: no display; running the headless demo (gtxsim run scenarios/default.json)" >&2
exec ./build/gtxsim run scenarios/default.json "$@"
