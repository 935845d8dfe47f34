# xvfb_lib.sh: what the real-X window tests share (sourced). xvfb_setup OUT
# NAME skips (77) without xvfb-run or xdotool, then works in a fresh OUT/NAME;
# inside the script on the virtual screen, xvfb_start GTXSIM ARGS... starts the
# program (stderr to gtxsim.log) and waits for its window (xvfb_window_of PID:
# waits and focuses it), xvfb_until N COMMAND... polls COMMAND every 0.5 s, at
# most N times, and xvfb_quit presses Ctrl+Q, waits for the exit and returns the
# program's status; xvfb_run SCRIPT runs it on a virtual screen, shows
# gtxsim.log and fails the test when the script failed.

xvfb_setup() {
    for tool in xvfb-run xdotool; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "SKIP: $tool is not installed (Debian packages xvfb and xdotool)"
            exit 77
        fi
    done
    rm -rf "$1/$2" && mkdir -p "$1/$2" && cd "$1/$2" || exit 1
}

xvfb_window_of() {
    wid=$(timeout 30 xdotool search --sync --name '^gtxsim' | head -n 1)
    [ -n "$wid" ] || { echo "the window did not appear"; kill "$1"; exit 1; }
    xdotool windowfocus --sync "$wid" 2>/dev/null || true
    sleep 1
}

xvfb_start() {
    "$@" 2> gtxsim.log &
    xvfb_pid=$!
    xvfb_window_of "$xvfb_pid"
}

xvfb_until() {
    n=$1
    shift
    while [ "$n" -gt 0 ]; do
        "$@" && return 0
        sleep 0.5
        n=$((n - 1))
    done
    return 1
}

xvfb_gone() {
    ! kill -0 "$xvfb_pid" 2>/dev/null
}

xvfb_quit() {
    xdotool key ctrl+q
    xvfb_until 10 xvfb_gone
    kill "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid"
    rc=$?
    echo "gtxsim exited with $rc"
    return $rc
}

xvfb_run() {
    chmod +x "$1"
    xvfb-run -a -s "-screen 0 1280x800x24" "$1"
    rc=$?
    cat gtxsim.log
    [ $rc -eq 0 ] || { echo "gtxsim under xvfb-run failed ($rc)"; exit 1; }
}
