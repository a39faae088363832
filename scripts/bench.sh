#!/usr/bin/env bash
# Rebound's figures against its yardsticks, printed (no test asserts a time):
#   1. window: open time (WebDriver new-session request, which launches the app, until
#      Today is drawn with its evidence chart), the CPU time used until then, and PSS
#      once settled (with its allocated part, which other programs cannot change) of
#      the app and its WebKit processes, for a bare Tauri 2 window (benches/bare-window:
#      the same Tauri and release profile), Rebound empty, and Rebound with 10,000 and
#      100,000 demo cycles; then (1b) PSS as the window is used at 10,000 and 100,000
#      cycles: at start, with New attempt open on its guide, and after saving it;
#   2. cli: the command line against jrnl 4.6 on the same 10,000 records (~600
#      characters): import, list 10, search, export, add one, and --version alone;
#   3. log: wall time and peak memory of `rebound log --jsonl` (batch logging) and of
#      `rebound import` (restoring a plain backup) at 50k to 400k cycles (best of 3 runs
#      each).
# Release builds; medians of --runs runs (default 5) after one warm-up, the targets
# interleaved run by run so that a busy machine slows them alike.
#
# Usage: scripts/bench.sh [--runs N] [--only window,cli,log] [--no-build] [--bin-dir DIR]
#   --only      the parts to run (default all three)
#   --no-build  use the release builds already in $CARGO_TARGET_DIR
#   --bin-dir   measure the Rebound programs in DIR instead (e.g. a saved older build:
#               DIR/rebound, and DIR/rebound-window when the window is a program of its
#               own; before the command line had its own program, DIR/rebound was both)
#
# Debian or Ubuntu. Installs what is missing (scripts/setup.sh --test-tools, GNU time,
# python3-venv), builds the release programs (the first time 15 to 25 minutes on two
# cores, for Rebound and the bare window; later only what changed), makes jrnl 4.6's
# venv from PyPI once (20 s), then measures: about 5 minutes with 5 runs (1: 2.5 min,
# 1b: 1 min, 2: 1.5 min, 3: 5 min). Everything it writes goes to $CARGO_TARGET_DIR/bench/; the
# figures also go to $CARGO_TARGET_DIR/bench/report-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

runs=5
only="window,cli,log"
build=1
bin_dir=""
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --bin-dir) bin_dir=$(cd "$2" && pwd); build=0; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
wants() { [[ ",$only," == *",$1,"* ]]; }

bash scripts/setup.sh --test-tools
need=()
[[ -x /usr/bin/time ]] || need+=(time)
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
if ((${#need[@]})); then
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${need[@]}" >/dev/null
fi
source scripts/env.sh

# ---- The yardstick must match what it measures --------------------------------------

profile() { sed -n '/^\[profile.release\]$/,/^$/{/^[a-z-]* = /p}' "$1"; }
if [[ "$(profile Cargo.toml)" != "$(profile benches/bare-window/Cargo.toml)" ]]; then
  echo "bench: benches/bare-window/Cargo.toml's [profile.release] differs from Cargo.toml's;" \
    "make them the same" >&2
  exit 1
fi
locked() { sed -n "/^name = \"$1\"$/{n;s/^version = \"\(.*\)\"$/\1/p}" "$2" | head -1; }
for crate in tauri wry tao webkit2gtk; do
  if [[ "$(locked $crate Cargo.lock)" != "$(locked $crate benches/bare-window/Cargo.lock)" ]]; then
    echo "bench: $crate is $(locked $crate Cargo.lock) in Cargo.lock but" \
      "$(locked $crate benches/bare-window/Cargo.lock) in benches/bare-window/Cargo.lock;" \
      "copy Cargo.lock there and run cargo update -p bare-window in that folder" >&2
    exit 1
  fi
done

# ---- Build ---------------------------------------------------------------------------

release="$CARGO_TARGET_DIR/release"
if ((build)); then
  # Only what the chosen parts measure: the command line alone builds in a minute, the
  # window and the bare window take many more.
  if wants window; then
    echo "== release builds: Rebound, and the bare window (minutes the first time)"
    cargo build --release --locked --quiet -p rebound-cli -p rebound-window
    cargo build --release --locked --quiet --manifest-path benches/bare-window/Cargo.toml
  else
    echo "== release build: the command line"
    cargo build --release --locked --quiet -p rebound-cli
  fi
fi
bin_dir=${bin_dir:-$release}
cli="$bin_dir/rebound"
window="$bin_dir/rebound-window"
[[ -x "$window" ]] || window="$cli" # a build from before the window had its own program
bare="$release/bare-window"
needed=("$cli")
if wants window; then needed+=("$window" "$bare"); fi
for program in "${needed[@]}"; do
  [[ -x "$program" ]] || { echo "bench: $program is not built (drop --no-build)" >&2; exit 1; }
done

# ---- A scratch place, the same for every run -----------------------------------------

bench="$CARGO_TARGET_DIR/bench"
stamp=$(date +%Y%m%d-%H%M%S)
report="$bench/report-$stamp.txt"
mkdir -p "$bench"
scratch="$bench/run"
rm -rf "$scratch"
mkdir -p "$scratch"
export XDG_DATA_HOME="$scratch/xdg/data" XDG_CACHE_HOME="$scratch/xdg/cache" \
  XDG_CONFIG_HOME="$scratch/xdg/config" GSETTINGS_BACKEND=memory \
  FONTCONFIG_FILE="$root/tests/fonts/fonts.conf" LC_ALL=C.UTF-8 TZ=UTC
unset REBOUND_DATA_DIR REBOUND_PASSPHRASE

exec > >(tee "$report") 2>&1
echo "Rebound benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/^Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "programs: ${needed[*]}"

# ---- 1. The window ---------------------------------------------------------------------

if wants window; then
  echo
  echo "== 1. window open and memory (Xvfb, WebDriver), $runs runs + 1 warm-up per target"
  data="$scratch/window-data"
  mkdir -p "$data/empty"
  for n in 10000 100000; do
    start=$SECONDS
    rm -rf "$data/$n" "$data/$n.pristine"
    "$cli" demo --data-dir "$data/$n" --cycles "$n" --seed 7 >/dev/null
    # Once opened today, as on a day of use: the day's automatic backup is made, so the
    # window does not make it during a timed run. (The demo's close left the cycles'
    # summaries packed, as every close that changed cycles does: see store/pack.rs.) window_open.py then restores the
    # folder from this state before every run (see there).
    "$cli" --data-dir "$data/$n" list --limit 1 >/dev/null
    echo "   demo data, $n cycles: written in $((SECONDS - start)) s"
  done
  # The session bus's own chatter (it starts the accessibility bus) is left out.
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" dbus-run-session -- \
    python3 benches/measure/window_open.py --runs "$runs" --settle 3 \
    --out "$bench/window-$stamp.json" --log "$scratch/drivers.log" \
    --target "bare=$bare" \
    --target "rebound-empty=$window:$data/empty" \
    --target "rebound-10k=$window:$data/10000" \
    --target "rebound-100k=$window:$data/100000" \
    2>&1 | grep -v -e '^dbus-daemon\[' -e '^SpiRegistry daemon'
  echo "   load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "== 1b. the window's memory in use: at start, New attempt open, after saving it"
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" dbus-run-session -- \
    python3 benches/measure/editor_memory.py --runs 3 \
    --out "$bench/editor-$stamp.json" --log "$scratch/drivers.log" \
    --target "rebound-10k=$window:$data/10000" \
    --target "rebound-100k=$window:$data/100000" \
    2>&1 | grep -v -e '^dbus-daemon\[' -e '^SpiRegistry daemon'
fi

# ---- 2. The command line against jrnl 4.6 ----------------------------------------------

if wants cli || wants log; then
  # A writable copy of the shared harness (never edited in place), and jrnl 4.6 in a
  # venv made from the harness's lock file, once.
  harness="$bench/jrnl-bench"
  if [[ ! -d "$harness" ]]; then
    shared=${JRNL_BENCH:-$root/../shared/tools/jrnl-bench}
    [[ -d "$shared" ]] || { echo "bench: no jrnl-bench at $shared (set JRNL_BENCH)" >&2; exit 1; }
    cp -r "$shared" "$harness"
    chmod -R u+w "$harness"
  fi
  venv="$bench/venv"
  if [[ ! -x "$venv/bin/jrnl" ]]; then
    echo "== making jrnl 4.6's venv from PyPI (once)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q -r "$harness/requirements-lock.txt"
  fi
fi

if wants cli; then
  echo
  echo "== 2. the command line against jrnl $("$venv/bin/jrnl" --version 2>/dev/null | awk 'NR == 1 {print $2}'), 10,000 records, $runs runs + 1 warm-up"
  rm -rf "$harness/work"
  python3 benches/measure/cli_vs_jrnl.py --harness "$harness" --jrnl "$venv/bin/jrnl" \
    --rebound "$cli" --n 10000 --runs "$runs" --out "$bench/cli-$stamp.json"
  echo "   load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

# ---- 3. Batch log, growing --------------------------------------------------------------

if wants log; then
  echo
  echo "== 3. rebound log --jsonl and rebound import at 50k, 100k, 200k and 400k cycles"
  python3 benches/measure/log_scale.py --harness "$harness" --rebound "$cli" \
    --sizes 50000 100000 200000 400000 --runs 3 --work "$bench/log-scale" \
    --out "$bench/log-$stamp.json"
  echo "   load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

echo
echo "figures: $report"
