# xvfb_lib.sh: what the real-X window tests share (sourced). xvfb_setup OUT
# NAME skips (77) without xvfb-run or xdotool, then works in a fresh OUT/NAME;
# xvfb_window_of PID waits for the window and focuses it; xvfb_quit PID
# presses Ctrl+Q, waits for the exit and returns the program's status;
# xvfb_run SCRIPT runs it on a virtual screen.

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

xvfb_quit() {
    xdotool key ctrl+q
    for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$1" 2>/dev/null || break; sleep 0.5; done
    kill "$1" 2>/dev/null
    wait "$1"
    rc=$?
    echo "gtxsim exited with $rc"
    return $rc
}

xvfb_run() {
    chmod +x "$1"
    xvfb-run -a -s "-screen 0 1280x800x24" "$1"
}
