#!/usr/bin/env bash
# CI, the Windows build: cross-build posdesk.exe and posdesk-cli.exe, run the CLI verbs under Wine, open
# the window under Wine + Xvfb with no renderer variable set, then build the NSIS installer and install,
# update and uninstall it under Wine. Called by .ci/run after the native tests; prints each step's time.
#
# Wine 8 (Debian 12) lacks bcryptprimitives.dll!ProcessPrng, which Rust's std calls at start. A test-only
# DLL (tests/wine/processprng.c) is built here and put into the throw-away Wine prefix only; it is never
# beside a shipped file and never in the installer.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-pc-windows-gnu
export DEBIAN_FRONTEND=noninteractive
export CARGO_TERM_COLOR=never

started=$SECONDS
step_started=$SECONDS
timings=()
step() {
    local now=$SECONDS
    if [ -n "${step_name:-}" ]; then
        timings+=("$(printf '%5ss  %s' $((now - step_started)) "$step_name")")
    fi
    step_name=$1
    step_started=$now
    echo "== windows: $1"
}
fail() {
    echo "windows CI: FAILED: $*" >&2
    exit 1
}

step "install packages"
# Each entry is a file that must exist : the Debian package that brings it.
missing=()
for entry in \
    /usr/bin/x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64 \
    /usr/lib/wine/wine64:wine64 \
    /usr/bin/Xvfb:xvfb \
    /usr/bin/xauth:xauth \
    /usr/bin/xwininfo:x11-utils \
    /usr/bin/xdotool:xdotool \
    /usr/bin/makensis:nsis \
    /usr/bin/convert:imagemagick \
    /usr/bin/python3:python3; do
    [ -x "${entry%%:*}" ] || missing+=("${entry#*:}")
done
# `convert` may be a stand-in on some machines: imagemagick's own `identify` tells.
[ -x /usr/bin/identify ] || missing+=(imagemagick)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver64
[ -x "$WINESERVER" ] || WINESERVER=/usr/lib/wine/wineserver

step "rustup target add $TARGET"
rustup target add "$TARGET"

step "cross-build (release, $TARGET)"
# The window and the console program (head office is not a till program).
cargo build --release --locked --target "$TARGET" -p posdesk -p posdesk-cli --bins
exe_dir="${CARGO_TARGET_DIR:-target}/$TARGET/release"
for exe in posdesk.exe posdesk-cli.exe; do
    [ -f "$exe_dir/$exe" ] || fail "$exe was not built"
done

step "check the exe's icon"
# build.rs embeds assets/icons/posdesk.ico with winresource: the exe must carry an icon group.
for exe in posdesk.exe posdesk-cli.exe; do
    python3 .ci/pe_icons.py "$exe_dir/$exe" || fail "$exe has no icon"
done

step "prepare Wine"
work=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    [ -n "${WINEPREFIX:-}" ] && "$WINESERVER" -k 2>/dev/null || true
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export WINEPREFIX="$work/prefix"
export WINEDEBUG=-all
# No Mono or Gecko install prompts; our ProcessPrng DLL before Wine's own (if it has one).
export WINEDLLOVERRIDES="mscoree=;mshtml=;bcryptprimitives=n,b"
# Arguments with Chinese characters must reach the Windows programs intact.
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset WGPU_BACKEND POSDESK_RENDERER POSDESK_DATA_DIR
# The X display comes first: Wine's desktop process starts with the first program and keeps the
# environment it found, so a window opened after the CLI steps would never appear without it.
display=
for n in $(seq 90 120); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=":$n"; break; }
done
[ -n "$display" ] || fail "no free X display"
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.2; done
xwininfo -root >/dev/null 2>&1 || fail "Xvfb did not start"
"$WINE" wineboot --init >/dev/null 2>&1 || fail "wineboot"
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    tests/wine/processprng.c -ladvapi32 -Wl,--kill-at
bin="$work/bin"
mkdir -p "$bin"
cp "$exe_dir/posdesk.exe" "$exe_dir/posdesk-cli.exe" "$bin/"

# A Linux path as the Windows programs see it (Wine maps / to Z:).
winpath() { printf 'Z:%s' "${1//\//\\}"; }
data="$work/shop data 店"
D=$(winpath "$data")
cli() { "$WINE" "$bin/posdesk-cli.exe" --data-dir "$D" "$@"; }
expect() { # expect NAME TEXT: the last output holds TEXT
    grep -qF -- "$2" "$work/out" || { cat "$work/out" >&2; fail "$1: output lacks \"$2\""; }
}
run() { # run NAME ARGS...: exit 0, output in $work/out
    local name=$1
    shift
    local rc=0
    cli "$@" >"$work/out" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || { cat "$work/out" >&2; fail "$name exited $rc"; }
}

step "CLI under Wine"
run "search 51" search 51
expect "search 51" "51"
run "terminal add" terminal add "Till 2" --provider "银联商务" --phone 95534
expect "terminal add" "Till 2"
run "incident add" incident add --code 51 --terminal "Till 2" --note "card 4111 1111 1111 1111 declined 余额不足"
run "incident list" incident list --json
expect "incident list" "411111"
if grep -qE "4111 1111 1111 1111|4111111111111111" "$work/out"; then
    cat "$work/out" >&2
    fail "incident list shows the whole card number"
fi
run "check" check
run "backup" backup
backup_win=$(tr -d '\r' <"$work/out" | grep -iE '\.sqlite3?$' | tail -1)
[ -n "$backup_win" ] || { cat "$work/out" >&2; fail "backup printed no file"; }
backup_unix=$("$WINE" winepath -u "$backup_win" 2>/dev/null | tr -d '\r')
[ -s "$backup_unix" ] || fail "backup printed $backup_win, which does not exist"
echo "backup wrote $backup_win"
run "restore" restore "$backup_win"
run "check after restore" check
run "incident list after restore" incident list --json
expect "incident list after restore" "411111"
run "print checklist" print checklist -o "$(winpath "$work/清单 list.pdf")"
[ -s "$work/清单 list.pdf" ] || fail "print checklist wrote no PDF"
head -c 5 "$work/清单 list.pdf" | grep -q '%PDF-' || fail "print checklist: not a PDF"
printf 'code,title_zh,title_en,retry\nM1,商户限额,Shop limit reached,never\n' >"$work/mine.csv"
run "codes import" codes import "$(winpath "$work/mine.csv")"
expect "codes import" "1 new"
run "codes export" codes export "$(winpath "$work/out codes.json")"
grep -q '商户限额' "$work/out codes.json" || fail "codes export lacks the imported code"
cli search 限额 >"$work/out" 2>&1 || true
expect "search for the imported code" "M1"

step "window under Wine + Xvfb"
"$WINE" "$bin/posdesk.exe" --data-dir "$D" >"$work/window.log" 2>&1 &
app_pid=$!
window_started=$SECONDS
wid=
while [ $((SECONDS - window_started)) -lt 30 ]; do
    wid=$(xdotool search --onlyvisible --name '^posdesk$' 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && break
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.5
done
if [ -z "$wid" ]; then
    cat "$work/window.log" >&2
    echo "windows now open:" >&2
    for w in $(xdotool search --name . 2>/dev/null); do
        echo "  $w: $(xdotool getwindowname "$w" 2>/dev/null)" >&2
    done
    kill -0 "$app_pid" 2>/dev/null || echo "posdesk.exe had exited" >&2
    fail "no window titled posdesk within $((SECONDS - window_started)) s"
fi
echo "window $wid titled posdesk after $((SECONDS - window_started)) s"
# It paints: a capture of the window is not one flat colour, and the renderer that drew it is remembered.
painted=
while [ $((SECONDS - window_started)) -lt 60 ]; do
    sleep 2
    import -window "$wid" "$work/window.png" 2>/dev/null || continue
    colours=$(identify -format '%k' "$work/window.png" 2>/dev/null || echo 0)
    if [ "$colours" -gt 20 ] && grep -q '^works' "$data/renderer.txt" 2>/dev/null; then
        painted=yes
        break
    fi
done
[ -n "$painted" ] || { cat "$work/window.log" >&2; fail "the window did not paint (colours: ${colours:-?})"; }
echo "painted: $colours colours; $(grep '^works' "$data/renderer.txt")"
grep 'could not draw' "$work/window.log" || true
if [ -n "${POSDESK_WINDOWS_SHOT:-}" ]; then
    cp "$work/window.png" "$POSDESK_WINDOWS_SHOT"
fi
# The window runs in a child posdesk.exe (see src/ui/renderer.rs): end every process of this prefix.
"$WINESERVER" -k 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
app_pid=

step "installer (makensis)"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
setup="${CARGO_TARGET_DIR:-target}/windows/posdesk-$version-setup.exe"
mkdir -p "$(dirname "$setup")"
makensis -V2 -DVERSION="$version" -DEXEDIR="$(realpath "$exe_dir")" -DOUTFILE="$(realpath -m "$setup")" \
    "$(realpath packaging/windows/posdesk.nsi)"
[ -s "$setup" ] || fail "makensis wrote no installer"
ls -l "$setup"

step "install, update and uninstall under Wine"
progs="$WINEPREFIX/drive_c/Program Files/posdesk"
menu="$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/posdesk.lnk"
"$WINE" "$setup" /S || fail "the installer exited $?"
"$WINESERVER" -w
[ -f "$progs/posdesk.exe" ] || fail "posdesk.exe not installed in Program Files\\posdesk"
[ -f "$progs/posdesk-cli.exe" ] || fail "posdesk-cli.exe is not beside posdesk.exe"
[ -f "$menu" ] || fail "no Start-menu shortcut"
[ -f "$progs/uninstall.exe" ] || fail "no uninstaller"
[ ! -e "$progs/bcryptprimitives.dll" ] || fail "the test-only DLL was installed"
"$WINE" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\posdesk' >"$work/out" 2>&1 ||
    fail "not listed in Add/Remove Programs"
expect "uninstall entry" "$version"
# The installed CLI, with no --data-dir: the data goes to %LOCALAPPDATA%\posdesk\data.
"$WINE" "$progs/posdesk-cli.exe" terminal add "Till 9" >"$work/out" 2>&1 || { cat "$work/out" >&2; fail "installed posdesk-cli.exe"; }
"$WINE" "$progs/posdesk-cli.exe" search 余额不足 >"$work/out" 2>&1 || { cat "$work/out" >&2; fail "installed posdesk-cli.exe search"; }
expect "installed search" "51"
user_data=$(find "$WINEPREFIX/drive_c/users" -path '*/AppData/Local/posdesk/data' -type d | head -1)
[ -n "$user_data" ] || fail "no data folder in %LOCALAPPDATA%\\posdesk\\data"
ls "$user_data"
before=$(cd "$user_data" && find . -type f | sort | xargs -d '\n' sha256sum)
# An update: the same installer over the installed one keeps the data.
"$WINE" "$setup" /S || fail "the update exited $?"
"$WINESERVER" -w
[ "$(cd "$user_data" && find . -type f | sort | xargs -d '\n' sha256sum)" = "$before" ] ||
    fail "the update changed the data folder"
"$WINE" "$progs/posdesk-cli.exe" terminal list >"$work/out" 2>&1 || fail "posdesk-cli.exe after the update"
expect "terminal list after the update" "Till 9"
# Uninstall, waiting for it (_?= runs the uninstaller in place).
"$WINE" "$progs/uninstall.exe" /S "_?=C:\\Program Files\\posdesk" || fail "the uninstaller exited $?"
"$WINESERVER" -w
[ ! -e "$progs/posdesk.exe" ] && [ ! -e "$progs/posdesk-cli.exe" ] || fail "uninstall left the programs"
[ ! -e "$menu" ] || fail "uninstall left the Start-menu shortcut"
if "$WINE" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\posdesk' >/dev/null 2>&1; then
    fail "uninstall left the Add/Remove Programs entry"
fi
[ "$(cd "$user_data" && find . -type f | sort | xargs -d '\n' sha256sum)" = "$before" ] ||
    fail "uninstall touched the data folder"
"$WINE" "$bin/posdesk-cli.exe" --data-dir "$(winpath "$user_data")" check >"$work/out" 2>&1 ||
    { cat "$work/out" >&2; fail "the data left after uninstall does not check"; }
step ""

echo "== windows: step times"
printf '%s\n' "${timings[@]}"
echo "== windows: all checks passed in $((SECONDS - started)) s"
