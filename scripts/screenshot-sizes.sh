#!/usr/bin/env bash
# Picture every view of a 400-cycle demo history, light and dark, at the window's
# smallest size (800×600) and on a big screen (2560×1440): the end-to-end test
# e2e::screens::in_the_window_every_view_fits_and_is_pictured_in_both_themes, run on an
# Xvfb screen the size of the window, with E2E_SCREENSHOT_DIR set. The pictures go to
# $OUT (default $CARGO_TARGET_DIR/screens), named VIEW-THEME-SIZE.png; the best of them
# are copied by hand into docs/img. Needs what the end-to-end tests need (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
out="${OUT:-$CARGO_TARGET_DIR/screens}"
mkdir -p "$out"
export FONTCONFIG_FILE="$PWD/tests/fonts/fonts.conf" GSETTINGS_BACKEND=memory E2E_REQUIRED=1
for size in 800x600 2560x1440; do
  E2E_WINDOW=$size E2E_SCREENSHOT_DIR="$out" \
    xvfb-run -a -s "-screen 0 ${size}x24 -nolisten tcp" dbus-run-session -- \
    cargo test --locked --test tests e2e::screens::in_the_window_every_view -- --nocapture
done
echo "pictures in $out"
