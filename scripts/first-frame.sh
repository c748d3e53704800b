#!/usr/bin/env bash
# First frame under Xvfb: posdesk on an empty folder and on a 1,000,000-incident journal, each against a
# bare eframe window (examples/bare.rs), in the same run, alternating, medians of 7 (issue 15, item 2).
# Goal: both within 1.3x of bare. Run by hand (not in CI): scripts/first-frame.sh
#
# How it measures. "First frame" is the time from launch until the window is mapped and its first
# frame painted. The script takes the wall clock just before it starts the program; the program, run
# with POSDESK_FIRST_FRAME_FILE=FILE, writes the wall clock at the start of its second frame, which
# eframe begins only after it presented the first (posdesk: `ui::startup::FirstFrameProbe`; the bare
# window does the same in examples/bare.rs). posdesk is started as a clerk starts it (`posdesk
# --data-dir DIR`, which draws in a child process, see src/ui/renderer.rs); both draw with the same
# renderer (RENDERER, default wgpu; glow also works). After each run the script checks with xdotool
# that a window of that program is mapped, then ends the run (its own process group).
#
# The empty folder is a new one each run (posdesk creates its database there). The journal is the one
# `cargo bench -p posdesk-core --bench journal` builds (benches/journal.rs), kept in JOURNAL_DIR (default
# target/journal-1m) and built on the first run (a few minutes); its file is in the page cache after
# the first round (warm), as on a till that started posdesk before.
#
# Needs: Xvfb, xdotool; a release build (made here).
# Environment: RUNS (7), RENDERER (wgpu|glow), JOURNAL_DIR, JOURNAL_ROWS (1000000), DISPLAY_NUM (171),
# BUILD (0: no build).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
RENDERER=${RENDERER:-wgpu}
TARGET=${CARGO_TARGET_DIR:-target}
JOURNAL_DIR=${JOURNAL_DIR:-$TARGET/journal-1m}
JOURNAL_ROWS=${JOURNAL_ROWS:-1000000}
DISPLAY_NUM=${DISPLAY_NUM:-171}

# BUILD=0 measures the binaries already in the target folder.
[ "${BUILD:-1}" = 0 ] || cargo build --locked --release --bin posdesk --example bare
POSDESK=${POSDESK_BIN:-$TARGET/release/posdesk}
BARE=${BARE_BIN:-$TARGET/release/examples/bare}

mkdir -p "$JOURNAL_DIR"
JOURNAL_DIR=$(cd "$JOURNAL_DIR" && pwd)
if [ ! -f "$JOURNAL_DIR/posdesk.sqlite3" ]; then
    echo "building the journal of $JOURNAL_ROWS incidents in $JOURNAL_DIR (cargo bench -p posdesk-core --bench journal)"
    POSDESK_JOURNAL_DB=$JOURNAL_DIR POSDESK_JOURNAL_ROWS=$JOURNAL_ROWS \
        cargo bench --locked -p posdesk-core --bench journal -- --warm-up-time 0.1 --measurement-time 0.1 --sample-size 10
fi

WORK=$(mktemp -d)
XVFB=
cleanup() { [ -z "$XVFB" ] || kill "$XVFB" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
export DISPLAY=":$DISPLAY_NUM"
# (Re)start the X server when it is not running: Xvfb here sometimes stops (with nothing in its log)
# after a GL client is killed, and the next program then cannot connect. Such a launch is not
# measured: the X server is started again and the launch repeated.
ensure_x() {
    if [ -n "$XVFB" ] && kill -0 "$XVFB" 2>/dev/null && xdotool getmouselocation >/dev/null 2>&1; then
        return
    fi
    [ -z "$XVFB" ] || { echo "(the X server stopped; starting it again)" >&2; kill "$XVFB" 2>/dev/null || true; }
    rm -f "/tmp/.X$DISPLAY_NUM-lock" "/tmp/.X11-unix/X$DISPLAY_NUM"
    Xvfb ":$DISPLAY_NUM" -screen 0 1280x1024x24 -nolisten tcp >>"$WORK/xvfb.log" 2>&1 &
    XVFB=$!
    # Under load Xvfb takes a while to accept clients; a program started before fails to connect.
    for _ in $(seq 1 100); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
}
ensure_x

# One launch: prints the seconds to the first painted frame.
first_frame() { # name command...
    local name=$1 stamp=$WORK/stamp start end pgid
    shift
    rm -f "$stamp"
    start=$(date +%s.%N)
    POSDESK_FIRST_FRAME_FILE=$stamp POSDESK_RENDERER=$RENDERER BARE_RENDERER=$RENDERER \
        setsid "$@" >"$WORK/$name.log" 2>&1 &
    pgid=$!
    for _ in $(seq 1 1200); do
        [ -s "$stamp" ] && break
        sleep 0.05
    done
    if [ ! -s "$stamp" ]; then
        echo "$name: no frame within 60 s (see its log and the X server's below)" >&2
        tail -5 "$WORK/xvfb.log" >&2
        cat "$WORK/$name.log" >&2
        kill -- "-$pgid" 2>/dev/null || true
        exit 1
    fi
    end=$(cat "$stamp")
    if ! xdotool search --onlyvisible --name "^($name|posdesk|bare)\$" >/dev/null 2>&1; then
        echo "$name: painted, but no mapped window found" >&2
    fi
    kill -- "-$pgid" 2>/dev/null || true
    wait "$pgid" 2>/dev/null || true
    echo "$end - $start" | bc -l
}

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

: >"$WORK/bare" ; : >"$WORK/empty" ; : >"$WORK/journal"
# One unmeasured round first: the binaries and the journal come into the page cache.
first_frame bare "$BARE" >/dev/null
first_frame posdesk "$POSDESK" --data-dir "$JOURNAL_DIR" >/dev/null
for i in $(seq 1 "$RUNS"); do
    empty=$(mktemp -d "$WORK/empty-XXXX")
    # Alternating: the order turns each round, so drift in the machine's load falls on all three.
    case $((i % 3)) in
        0) order="bare empty journal" ;;
        1) order="empty journal bare" ;;
        2) order="journal bare empty" ;;
    esac
    line="run $i:"
    for what in $order; do
        t=
        for attempt in 1 2; do
            ensure_x
            case $what in
                bare) t=$(first_frame bare "$BARE") ;;
                empty) t=$(first_frame posdesk "$POSDESK" --data-dir "$empty") ;;
                journal) t=$(first_frame posdesk "$POSDESK" --data-dir "$JOURNAL_DIR") ;;
            esac && break
            # A program that failed while the X server still runs is a real failure.
            if [ "$attempt" = 2 ] || kill -0 "$XVFB" 2>/dev/null; then exit 1; fi
        done
        echo "$t" >>"$WORK/$what"
        line="$line $what $(printf %.3f "$t") s"
    done
    echo "$line"
done

bare=$(median <"$WORK/bare")
empty=$(median <"$WORK/empty")
journal=$(median <"$WORK/journal")
size=$(du -m "$JOURNAL_DIR/posdesk.sqlite3" | cut -f1)
echo
echo "first frame, medians of $RUNS (renderer $RENDERER; journal $size MB):"
printf '  bare eframe         %.3f s\n' "$bare"
printf '  posdesk, empty      %.3f s  (%.2fx bare)\n' "$empty" "$(echo "$empty / $bare" | bc -l)"
printf '  posdesk, 1M journal %.3f s  (%.2fx bare)\n' "$journal" "$(echo "$journal / $bare" | bc -l)"
ok=$(echo "$empty <= 1.3 * $bare && $journal <= 1.3 * $bare" | bc -l)
if [ "$ok" = 1 ]; then echo "goal met: both within 1.3x of bare"; else echo "goal NOT met"; exit 1; fi
