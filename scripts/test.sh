#!/usr/bin/env bash
# Run every check Rebound has: formatting, clippy, the unit and integration tests, and
# the end-to-end tests in the real window under Xvfb. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test-tools
source scripts/env.sh

# Keep the window's WebKit data, GTK settings and caches out of $HOME, and start from
# none: nothing an earlier run left there (a web view's stored state) reaches this one.
scratch="$CARGO_TARGET_DIR/test-home"
rm -rf "$scratch" "$CARGO_TARGET_DIR/e2e-failures"
mkdir -p "$scratch"
export XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache" XDG_CONFIG_HOME="$scratch/config"
export GSETTINGS_BACKEND=memory
# One pinned font set (DejaVu), whatever else is installed: the same text metrics, so
# the same layout, on every machine.
export FONTCONFIG_FILE="$PWD/tests/fonts/fonts.conf"
# A skipped end-to-end test is a failure here.
export E2E_REQUIRED=1

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --locked --workspace --all-targets --quiet -- -D warnings

xvfb=(xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp")
echo "== tests (unit, store, backup, charts, CLI, commands on the mock runtime)"
"${xvfb[@]}" cargo test --locked --workspace -- --skip e2e:: --skip powercut::
# A session bus of their own, so the reminder's desktop notification has somewhere to go
# (without one, D-Bus clients try to autolaunch a bus per process). A failed step leaves
# a screenshot and the page's HTML in $CARGO_TARGET_DIR/e2e-failures/.
echo "== end-to-end tests in the real window at its default size (tauri-driver + WebKitWebDriver, Xvfb)"
"${xvfb[@]}" dbus-run-session -- cargo test --locked --test tests e2e:: -- --nocapture --test-threads=1
echo "== end-to-end tests in the real window at its smallest size, 800x600"
E2E_WINDOW=800x600 "${xvfb[@]}" dbus-run-session -- \
  cargo test --locked --test tests e2e:: -- --nocapture --test-threads=1
# Power cuts at every acknowledgement: LazyFS drops whatever was not fsync'd. Needs root
# and /dev/fuse; without them it prints "SKIPPED power-loss test: <why>".
bash scripts/powercut.sh
