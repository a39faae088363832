#!/usr/bin/env bash
# Install what is missing, build Rebound, and open its window.
# Arguments go to rebound, e.g. scripts/run.sh --data-dir /tmp/rebound-try; with a
# command it runs that instead (scripts/run.sh list).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
# Both programs: `rebound` (the command line) opens `rebound-window` beside it.
cargo build --locked --quiet -p rebound-cli -p rebound-window
exec "$CARGO_TARGET_DIR/debug/rebound" "$@"
