#!/usr/bin/env bash
# Make the README's dashboard screenshots: a demo history (rebound demo) in a temporary
# data folder, the window on a 1100×760 Xvfb screen, the Dashboard (Ctrl+4) in the
# light theme and, scrolled to the ladder and calendar, in the dark one.
# Needs: xvfb, xdotool, imagemagick. DISPLAY_NUMBER picks the Xvfb display (default 95).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[[ -n "${NO_BUILD:-}" ]] || cargo build --locked --quiet -p rebound-cli -p rebound-window
bin="$CARGO_TARGET_DIR/debug/rebound"
out=docs/img
display=":${DISPLAY_NUMBER:-95}"
mkdir -p "$out"
data=$(mktemp -d)
trap 'kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" demo --data-dir "$data/db" --cycles 400 --seed 7 >/dev/null

shoot() { # name gtk-theme page-downs
  Xvfb "$display" -screen 0 1100x760x24 -nolisten tcp & xvfb=$!
  sleep 1
  DISPLAY=$display GTK_THEME="$2" GSETTINGS_BACKEND=memory "$bin" --data-dir "$data/db" & app=$!
  DISPLAY=$display timeout 30 xdotool search --sync --onlyvisible --name '^Rebound$' >/dev/null
  sleep 2
  DISPLAY=$display xdotool mousemove 600 45 click 1 key ctrl+4
  sleep 3
  # Focus the scrolling main area (a click on a chart does nothing else), then page down.
  DISPLAY=$display xdotool mousemove 650 400 click 1
  for ((i = 0; i < $3; i++)); do DISPLAY=$display xdotool key Page_Down; done
  sleep 1
  DISPLAY=$display /usr/bin/import -window root "$out/$1.png"
  kill "$app" "$xvfb"; wait "$app" "$xvfb" 2>/dev/null || true
}
shoot dashboard-light Adwaita 0
shoot dashboard-dark Adwaita:dark 2
echo "screenshots in $out: dashboard-light.png dashboard-dark.png"
