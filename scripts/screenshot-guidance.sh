#!/usr/bin/env bash
# Make the screenshots of guidance in the real window from a demo history (rebound demo,
# 400 cycles, seed 7) on a 1100×760 Xvfb screen: a new attempt with the area's guide
# beside Difficulty, the reflect queue (Cycles, Waiting for me), Lessons as a playbook,
# and the weekly review. Needs: xvfb, xdotool, imagemagick, dbus-daemon.
# DISPLAY_NUMBER picks the display (default 78).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[[ -n "${NO_BUILD:-}" ]] || cargo build --locked --quiet
bin="$CARGO_TARGET_DIR/debug/rebound"
out=docs/img
display=":${DISPLAY_NUMBER:-78}"
mkdir -p "$out"
data=$(mktemp -d)
trap 'kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" demo --data-dir "$data/db" --cycles 400 --seed 7 >/dev/null

x() { DISPLAY=$display xdotool "$@"; }
shot() { sleep "${2:-1.5}"; DISPLAY=$display /usr/bin/import -window root "$out/$1.png"; }

Xvfb "$display" -screen 0 1100x760x24 -nolisten tcp & xvfb=$!
sleep 1
DISPLAY=$display GTK_THEME=Adwaita GSETTINGS_BACKEND=memory "$bin" --data-dir "$data/db" & app=$!
DISPLAY=$display timeout 30 xdotool search --sync --onlyvisible --name '^Rebound$' >/dev/null
sleep 3
x mousemove 700 60 click 1

# The reflect queue: Cycles with "Waiting for me" (the chip beside the search field).
x key ctrl+2
sleep 2
x mousemove "${CHIP_X:-977}" "${CHIP_Y:-136}" click 1
shot reflect-queue 2

# Lessons as a playbook, and the weekly review.
x key ctrl+5
shot playbook 2
x key ctrl+9
shot weekly-review 2

# A new attempt: the last area filled in, its edge beside Difficulty, the scales carried.
x key ctrl+n
sleep 2
x key Tab
x type --delay 10 "Pitched the retainer at the new rate"
x mousemove 850 400
for _ in 1 2 3 4 5 6 7; do x click 5; sleep 0.1; done
shot editor-guide
kill "$app" "$xvfb"; wait "$app" "$xvfb" 2>/dev/null || true
echo "screenshots in $out: editor-guide.png reflect-queue.png playbook.png weekly-review.png"
