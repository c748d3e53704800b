#!/usr/bin/env bash
# Soak: a working day in 10 minutes (issue 15, item 9). Drives the real posdesk window under Xvfb with
# xdotool through every screen (searching codes, logging incidents from them, reading the journal and
# an incident, ticking maintenance tasks, Settings, zooming with Ctrl +/-) and prints the window
# process's resident memory (VmRSS) each minute. Goal: after minute 2 RSS grows by less than 10%, and
# stays under 200 MB. Run by hand (not in CI): scripts/soak.sh   (MINUTES=10 by default)
#
# The data: a new folder with 30 terminals (150 tasks due today, so the Maintenance badge and the tab
# positions stay put for the whole run) made with posdesk-cli. Clicks go to the top bar's tabs at
# text size 1.0 (every zoom step is undone before the next click), at their places in a 1100x760
# window; keys go to the window through XTest after `xdotool windowfocus` (Xvfb has no window manager).
# Needs: Xvfb, xdotool, ImageMagick's `import` (SHOT=1 and KEEP=1 keep a screenshot per minute).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-10}
DISPLAY_NUM=${DISPLAY_NUM:-172}
TARGET=${CARGO_TARGET_DIR:-target}
# PROFILE=debug soaks the debug build (no release build needed; frames are slower, fewer rounds).
PROFILE=${PROFILE:-release}
# BUILD=0 soaks the binaries already in the target folder.
if [ "${BUILD:-1}" = 0 ]; then
    :
elif [ "$PROFILE" = release ]; then
    cargo build --locked --release -p posdesk -p posdesk-cli --bin posdesk --bin posdesk-cli
else
    cargo build --locked -p posdesk -p posdesk-cli --bin posdesk --bin posdesk-cli
fi
POSDESK=$TARGET/$PROFILE/posdesk
CLI=$TARGET/$PROFILE/posdesk-cli

WORK=$(mktemp -d)
DATA=$WORK/data
for i in $(seq 1 30); do "$CLI" --data-dir "$DATA" terminal add "Till $i" >/dev/null; done

Xvfb ":$DISPLAY_NUM" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
APP=
cleanup() {
    [ -n "$APP" ] && kill -- "-$APP" 2>/dev/null || true
    kill "$XVFB" 2>/dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
export DISPLAY=":$DISPLAY_NUM"
# Under load Xvfb takes a while to accept clients; a program started before fails to connect.
for _ in $(seq 1 100); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
setsid "$POSDESK" --data-dir "$DATA" >"$WORK/posdesk.log" 2>&1 &
APP=$!
W=
for _ in $(seq 1 120); do
    W=$(xdotool search --onlyvisible --name '^posdesk$' 2>/dev/null | head -1 || true)
    [ -n "$W" ] && break
    sleep 0.5
done
[ -n "$W" ] || { cat "$WORK/posdesk.log"; echo "no posdesk window" >&2; exit 1; }
# The process that owns the window (posdesk draws in a child process, see src/ui/renderer.rs).
PID=$(xdotool getwindowpid "$W")
xdotool windowfocus --sync "$W"
sleep 2

rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status"; }
tab() { # x of the tab in the top bar
    xdotool mousemove "$1" 23 click 1
    sleep 0.6
}
keys() { xdotool key --delay 120 "$@"; sleep 0.4; }
typed() { xdotool type --delay 70 "$1"; sleep 0.4; }

QUERIES=("51" "05" "A0" "timeout" "no communication" "insufficient" "E1" "declined" "91" "96" "余额")
start=$SECONDS
minute=0
cycle=0
declare -a RSS
RSS[0]=$(rss_mb)
echo "minute 0: RSS ${RSS[0]} MB (pid $PID)"
while [ $((SECONDS - start)) -lt $((MINUTES * 60)) ]; do
    q=${QUERIES[$((cycle % ${#QUERIES[@]}))]}
    # Codes: a new search, then log an incident for the chosen code (F2, typing, Ctrl+Enter).
    tab 180
    keys ctrl+f
    typed "$q"
    keys Down Up
    keys F2
    typed "soak $cycle: terminal showed $q"
    keys ctrl+Return
    # Journal: move through the list, open an incident, back.
    tab 469
    keys Down Down Return
    sleep 0.5
    keys Escape Escape
    # Maintenance: tick the chosen task.
    tab 295
    keys Down space
    # Settings.
    tab 568
    sleep 0.5
    # Zoom out and back in with egui's keys (the window holds no more than 1.0 at this size, so
    # the way back ends at 1.0 and the clicks land on the tabs).
    keys ctrl+minus ctrl+minus ctrl+equal ctrl+equal
    cycle=$((cycle + 1))
    now=$(((SECONDS - start) / 60))
    if [ "$now" -gt "$minute" ]; then
        minute=$now
        kill -0 "$PID" 2>/dev/null || { cat "$WORK/posdesk.log"; echo "posdesk stopped" >&2; exit 1; }
        RSS[$minute]=$(rss_mb)
        echo "minute $minute: RSS ${RSS[$minute]} MB ($cycle rounds)"
        [ -n "${SHOT:-}" ] && import -window root "$WORK/minute-$minute.png"
    fi
done
incidents=$("$CLI" --data-dir "$DATA" incident list --json 2>/dev/null | grep -o '"id"' | wc -l || true)
done_tasks=$("$CLI" --data-dir "$DATA" due 2>/dev/null | grep -c '^due' || true)
echo "rounds: $cycle; incidents logged: $incidents; tasks still due: $done_tasks of 150"
base=${RSS[2]}
last=${RSS[$minute]}
max=$(printf '%s\n' "${RSS[@]:2}" | sort -g | tail -1)
growth=$(echo "($max - $base) * 100 / $base" | bc -l)
printf 'RSS at minute 2: %s MB; highest after: %s MB (+%.1f%%); at the end: %s MB\n' "$base" "$max" "$growth" "$last"
ok=$(echo "$growth < 10 && $max < 200" | bc -l)
if [ "$ok" = 1 ]; then echo "goal met: < 10% growth after minute 2, < 200 MB"; else echo "goal NOT met"; exit 1; fi
