#!/bin/sh
# Trainer mode with real X input: under xvfb-run, xdotool types on the real
# window of `gtxsim train can-cable-unplugged`: Return (start, the brief
# read), H (a hint), C (the CAN cable back in), D (done). The window saves the
# attempt and prints its score; `gtxsim train --replay` of that file must give
# the same PASS line and score, headless.
# usage: xvfb_train.sh GTXSIM TESTS_DIR OUT_DIR
set -u
gtxsim=$1 tests=$2 out=$3
. "$tests/xvfb_lib.sh"
xvfb_setup "$out" xvfb-train
cat > inner.sh <<INNER
#!/bin/sh
set -u
. "$tests/xvfb_lib.sh"
xvfb_start "$gtxsim" train can-cable-unplugged --trainee xdotool --out attempt.json
for k in Return h c; do xdotool key "\$k"; sleep 1; done
sleep 2
xdotool key d
xvfb_until 20 grep -q score gtxsim.log
xvfb_quit
INNER
xvfb_run ./inner.sh
[ -s attempt.json ] || { echo "no attempt saved"; exit 1; }
grep -q '"do": "can", "connected": true' attempt.json ||
    { echo "the CAN key was not recorded"; cat attempt.json; exit 1; }
window=$(sed -n 's/^gtxsim train: \(can-cable-unplugged: .*score [0-9]*\/100\)$/\1/p' gtxsim.log)
replay=$("$gtxsim" train can-cable-unplugged --replay attempt.json | head -n 1)
echo "window: $window"
echo "replay: $replay"
case "$window" in *PASS*) ;; *) echo "the window's attempt did not pass"; exit 1 ;; esac
[ "$window" = "$replay" ] || { echo "the replay scores differently"; exit 1; }
