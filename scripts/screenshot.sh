#!/usr/bin/env bash
# Make the README's screenshots of the real window from a demo history (rebound demo,
# 400 cycles, seed 7) on a 1100×760 Xvfb screen: Today in light and dark, a new attempt
# in progress (the area's untested adjustment carried forward), and the Lessons view.
# Needs: xvfb, xdotool, imagemagick, python3. DISPLAY_NUMBER picks the display (default 77).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[[ -n "${NO_BUILD:-}" ]] || cargo build --locked --quiet -p rebound-cli -p rebound-window
bin="$CARGO_TARGET_DIR/debug/rebound"
out=docs/img
display=":${DISPLAY_NUMBER:-77}"
mkdir -p "$out"
data=$(mktemp -d)
trap 'kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" demo --data-dir "$data/db" --cycles 400 --seed 7 >/dev/null

# An area whose newest adjustment no later attempt has tested: the editor offers it.
area=$("$bin" --data-dir "$data/db" list --json --limit 100000 | python3 -c '
import json, sys
cycles = json.load(sys.stdin)
tested = {c["tests_cycle"] for c in cycles if c["tests_cycle"]}
newest = {}
for c in cycles:
    if c["adjustment"]:
        key = (c["attempted_on"], c["created_at"])
        if c["area"] not in newest or key > newest[c["area"]][0]:
            newest[c["area"]] = (key, c["id"])
print(next((a for a, (_, i) in sorted(newest.items()) if i not in tested), ""))')

x() { DISPLAY=$display xdotool "$@"; }
shoot() { # name gtk-theme
  Xvfb "$display" -screen 0 1100x760x24 -nolisten tcp & xvfb=$!
  sleep 1
  DISPLAY=$display GTK_THEME="$2" GSETTINGS_BACKEND=memory "$bin" --data-dir "$data/db" & app=$!
  DISPLAY=$display timeout 30 xdotool search --sync --onlyvisible --name '^Rebound$' >/dev/null
  sleep 3
  DISPLAY=$display /usr/bin/import -window root "$out/$1.png"
  if [[ "$1" == today-light ]]; then
    x mousemove 700 60 click 1 key ctrl+5
    sleep 1.5
    DISPLAY=$display /usr/bin/import -window root "$out/lessons.png"
    x key ctrl+n
    sleep 1
    x type --delay 20 "$area"
    x key Tab
    x type --delay 10 "Pitched the next one with the adjustment in place"
    sleep 1.5
    DISPLAY=$display /usr/bin/import -window root "$out/editor.png"
  fi
  kill "$app" "$xvfb"; wait "$app" "$xvfb" 2>/dev/null || true
}
shoot today-light Adwaita
shoot today-dark Adwaita:dark
echo "screenshots in $out: today-light.png today-dark.png editor.png lessons.png (area offered: $area)"
