#!/usr/bin/env bash
# Run every check Rebound has: formatting, clippy, the unit and integration tests, and
# the end-to-end tests in the real window under Xvfb. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test-tools
source scripts/env.sh

# Keep the window's WebKit data, GTK settings and caches out of $HOME.
scratch="$CARGO_TARGET_DIR/test-home"
mkdir -p "$scratch"
export XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache" XDG_CONFIG_HOME="$scratch/config"
export GSETTINGS_BACKEND=memory
# A skipped end-to-end test is a failure here.
export E2E_REQUIRED=1

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --all-targets --quiet -- -D warnings

xvfb=(xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp")
echo "== tests (unit, store, backup, charts, CLI, commands on the mock runtime)"
"${xvfb[@]}" cargo test --locked -- --skip e2e::
echo "== end-to-end tests in the real window (tauri-driver + WebKitWebDriver, Xvfb)"
# A session bus of their own, so the reminder's desktop notification has somewhere to go
# (without one, D-Bus clients try to autolaunch a bus per process).
"${xvfb[@]}" dbus-run-session -- cargo test --locked --test tests e2e:: -- --nocapture --test-threads=1
