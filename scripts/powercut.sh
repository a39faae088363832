#!/usr/bin/env bash
# The power-loss test (tests/cli/powercut.rs): Rebound runs on a LazyFS mount, LazyFS drops
# every write not yet fsync'd (a power cut) the moment Rebound acknowledges a save or a
# restore, and the data is reopened and compared. A control run does the same without
# the drop and must lose nothing.
#
#   bash scripts/powercut.sh [FILTER]     FILTER defaults to powercut:: (both tests);
#                                         powercut::control runs the control alone
#
# Builds LazyFS once into $CARGO_TARGET_DIR/lazyfs (sources: $LAZYFS_SRC, else
# ../shared/tools/lazyfs beside the repository, else /work/shared/tools/lazyfs) and runs
# the test with LAZYFS_BIN set. Without root, /dev/fuse or the sources it prints
# "SKIPPED power-loss test: <why>" and exits 0; with POWERCUT_REQUIRED=1 it exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
source scripts/env.sh
filter="${1:-powercut::}"

skip() {
  echo "SKIPPED power-loss test: $1"
  if [ "${POWERCUT_REQUIRED:-0}" = 1 ]; then
    echo "powercut.sh: POWERCUT_REQUIRED=1, so a skipped power-loss test is a failure" >&2
    exit 1
  fi
  exit 0
}

[ "$(id -u)" = 0 ] || skip "not root (LazyFS mounts with FUSE as root, and its build installs packages)"
[ -c /dev/fuse ] || skip "/dev/fuse is missing (no FUSE on this machine)"

src=""
for candidate in "${LAZYFS_SRC:-}" "$repo/../shared/tools/lazyfs" /work/shared/tools/lazyfs; do
  if [ -n "$candidate" ] && [ -f "$candidate/build.sh" ] && [ -d "$candidate/lazyfs" ]; then
    src="$(cd "$candidate" && pwd)"
    break
  fi
done
[ -n "$src" ] || skip "LazyFS sources not found (looked at \$LAZYFS_SRC${LAZYFS_SRC:+=$LAZYFS_SRC}, $repo/../shared/tools/lazyfs and /work/shared/tools/lazyfs)"

dest="$CARGO_TARGET_DIR/lazyfs"
bin="$dest/lazyfs/build/lazyfs"
# fusermount3 comes with the packages build.sh installs: without it (a new machine with
# an old build folder) build again, which installs them. A build folder copied from
# elsewhere points at libraries by their old path: build again then too.
if [ ! -x "$bin" ] || ! command -v fusermount3 >/dev/null || ldd "$bin" | grep -q "not found"; then
  echo "== building LazyFS from $src into $dest"
  rm -rf "$dest"
  mkdir -p "$CARGO_TARGET_DIR"
  if ! bash "$src/build.sh" "$dest" >"$CARGO_TARGET_DIR/lazyfs-build.log" 2>&1 || [ ! -x "$bin" ]; then
    tail -n 30 "$CARGO_TARGET_DIR/lazyfs-build.log" >&2
    echo "powercut.sh: building LazyFS failed; the whole log is $CARGO_TARGET_DIR/lazyfs-build.log" >&2
    exit 1
  fi
fi
export LAZYFS_BIN="$bin"
export POWERCUT_REQUIRED="${POWERCUT_REQUIRED:-0}"

echo "== power-loss test (LazyFS $LAZYFS_BIN)"
exec cargo test --locked -p rebound-cli --test cli_tests "$filter" -- --nocapture --test-threads=1
