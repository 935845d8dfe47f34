#!/bin/sh
# A real X mouse on the real window: under xvfb-run, xdotool moves the pointer
# to the start button of a shut-down pack, holds it 3.6 s and lets go; 7 s
# later the program's own screenshot key (F12) saves the window, whose LEDs
# must show the started pack (standby at 50 %: L1-L3 lit).
# usage: xvfb_press.sh GTXSIM TESTS_DIR OUT_DIR
set -u
gtxsim=$1 tests=$2 out=$3
. "$tests/xvfb_lib.sh"
xvfb_setup "$out" xvfb-press
# The start button's centre in window pixels (the window opens at 1280x800).
xy=$("$gtxsim" gui --layout | awk -F, '$1==1 && $2==1 && $3=="button" {print $4, $5}')
[ -n "$xy" ] || { echo "no button in gtxsim gui --layout"; exit 1; }
cat > inner.sh <<INNER
#!/bin/sh
set -u
. "$tests/xvfb_lib.sh"
xvfb_start "$gtxsim" gui "$tests/input.json"
xdotool mousemove --window "\$wid" $xy
sleep 0.3
xdotool mousedown 1
sleep 3.6
xdotool mouseup 1
sleep 7
xdotool key F12
xvfb_until 10 test -s gtxsim-1.png
xvfb_quit
INNER
xvfb_run ./inner.sh
[ -s gtxsim-1.png ] || { echo "F12 saved no screenshot"; exit 1; }
"$gtxsim" gui --layout > layout.csv
/usr/bin/python3 "$tests/png_leds.py" gtxsim-1.png layout.csv
