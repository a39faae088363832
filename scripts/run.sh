#!/usr/bin/env bash
# Install what is missing, build Rebound, and open its window.
# Arguments go to rebound, e.g. scripts/run.sh --data-dir /tmp/rebound-try
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo build --locked --quiet
exec "$CARGO_TARGET_DIR/debug/rebound" "$@"
