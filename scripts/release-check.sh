#!/usr/bin/env bash
# The release check: build the Linux bundles as the README says, then install the .deb
# on this machine and use it as a person would. It checks the package's metadata, the
# desktop entry (desktop-file-validate), the icons and the binary; opens the installed
# app from its desktop entry under Xvfb until its window shows and takes a screenshot;
# then purges the package and checks the data folder was left exactly as it was.
#
# Usage: scripts/release-check.sh [--no-build]
#   --no-build   reuse the bundles of the last build (only when nothing changed since)
#
# Debian or Ubuntu, as root or with sudo: it installs and removes the `rebound` package,
# so it refuses to run where one is already installed. A release build takes about
# five to ten minutes on two cores; that is why CI (.ci/run) does not run this.
# Screenshots and a summary go to $CARGO_TARGET_DIR/release-check/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# The Tauri CLI, pinned: the npm package is a prebuilt binary (seconds to install).
TAURI_CLI_VERSION=2.12.5
PACKAGE=rebound

build=1
[[ "${1:-}" == "--no-build" ]] && build=0

say() { printf '== %s\n' "$*"; }
fail() { printf 'release-check: FAILED: %s\n' "$*" >&2; exit 1; }
trap 'printf "release-check: FAILED at line %s: %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

sudo=()
((EUID == 0)) || sudo=(sudo)

# ---- What the check needs ------------------------------------------------------------

bash scripts/setup.sh
need=(desktop-file-utils xvfb xauth xdotool x11-utils imagemagick fonts-dejavu-core rpm)
command -v npx >/dev/null || need+=(nodejs npm)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q 'install ok installed'; then
  fail "a '$PACKAGE' package is already installed here; this check installs and purges its own"
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
out="$CARGO_TARGET_DIR/release-check"
bundles="$CARGO_TARGET_DIR/release/bundle"
rm -rf "$out"
mkdir -p "$out"
scratch=$(mktemp -d)
installed=0
app=""
xvfb=""
cleanup() {
  [[ -n "$app" ]] && kill "$app" 2>/dev/null
  [[ -n "$xvfb" ]] && kill "$xvfb" 2>/dev/null
  if ((installed)); then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get purge -y -qq "$PACKAGE" >/dev/null 2>&1 || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# ---- 1. Build: the README's command --------------------------------------------------

if ((build)); then
  say "npx @tauri-apps/cli@$TAURI_CLI_VERSION build --bundles deb,rpm (a release build)"
  start=$SECONDS
  npx --yes "@tauri-apps/cli@$TAURI_CLI_VERSION" build --bundles deb,rpm -- --locked
  echo "build took $((SECONDS - start)) s" | tee "$out/build-time.txt"
fi
# Named after the product: Rebound_0.1.0_amd64.deb, Rebound-0.1.0-1.x86_64.rpm.
deb="$bundles/deb/Rebound_${version}_amd64.deb"
rpm="$bundles/rpm/Rebound-${version}-1.x86_64.rpm"
[[ -f "$deb" ]] || fail "no $deb (build first, without --no-build)"
[[ -f "$rpm" ]] || fail "no $rpm (build first, without --no-build)"

# ---- 2. The packages' metadata -------------------------------------------------------

say "the .deb's control file"
control=$(dpkg-deb --field "$deb")
echo "$control"
for field in "Package: $PACKAGE" "Version: $version" "Section: utils" \
             "Depends: .*libwebkit2gtk-4.1-0" "Depends: .*libgtk-3-0" \
             "Depends: .*libayatana-appindicator3-1" \
             "Maintainer: The Rebound engineers" "Description: A calm journal"; do
  grep -q "^$field" <<<"$control" || fail ".deb control lacks '$field'"
done

say "the .rpm's requirements and files"
rpm -qp --queryformat '%{NAME} %{VERSION} %{LICENSE}: %{SUMMARY}\n' "$rpm"
rpm -qpR "$rpm" | tee "$scratch/rpm-requires"
grep -q 'libwebkit2gtk-4.1.so.0' "$scratch/rpm-requires" || fail ".rpm does not require WebKitGTK 4.1"
grep -q 'libayatana-appindicator3.so.1' "$scratch/rpm-requires" || fail ".rpm does not require the tray library"
rpm -qpl "$rpm" | tee "$scratch/rpm-files"
grep -qx /usr/bin/rebound "$scratch/rpm-files" || fail ".rpm lacks /usr/bin/rebound"
grep -q '^/usr/share/applications/.*\.desktop$' "$scratch/rpm-files" || fail ".rpm lacks a desktop entry"
grep -qx /usr/share/licenses/rebound/LICENSE "$scratch/rpm-files" || fail ".rpm lacks its licence"

# ---- 3. Some data, made by the person before the install -----------------------------

# The data folder lives under XDG_DATA_HOME; a scratch one keeps this machine's own
# Rebound data out of it. The dev build writes it, as an older Rebound would have.
export XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache" XDG_CONFIG_HOME="$scratch/config"
data="$XDG_DATA_HOME/org.rebound.Rebound"
cargo build --locked --quiet
dev="$CARGO_TARGET_DIR/debug/rebound"
printf '%s\n' \
  '{"area":"client pitches","attempt":"Pitched a retainer above my usual rate","outcome":"failure","difficulty":7,"stakes":3,"effort":4,"safety":3}' \
  '{"area":"client pitches","attempt":"Pitched the retainer again, result first","outcome":"partial","difficulty":7,"stakes":3,"effort":4,"safety":3}' \
  | "$dev" log --jsonl >/dev/null
[[ -d "$data/db" ]] || fail "the dev build did not write $data"
fingerprint() { (cd "$data" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# ---- 4. Install ----------------------------------------------------------------------

say "apt-get install $deb"
installed=1
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$deb" >/dev/null
dpkg -L "$PACKAGE" | sort | tee "$scratch/deb-files"

[[ -x /usr/bin/rebound ]] || fail "/usr/bin/rebound is not there"
grep -q "MIT License" /usr/share/doc/rebound/copyright || fail "the .deb lacks its licence"
got=$(/usr/bin/rebound --version)
[[ "$got" == "rebound $version" ]] || fail "rebound --version says '$got', not 'rebound $version'"
echo "/usr/bin/rebound --version: $got"
[[ "$(/usr/bin/rebound list --json | grep -c '"id"')" == 2 ]] \
  || fail "the installed rebound does not see the two cycles in $data"

desktop=$(grep '^/usr/share/applications/.*\.desktop$' "$scratch/deb-files" | head -1)
[[ -n "$desktop" ]] || fail "no desktop entry in the package"
say "desktop-file-validate $desktop"
desktop-file-validate "$desktop" || fail "the desktop entry is not valid"
cat "$desktop"
entry() { sed -n "s/^$1=//p" "$desktop" | head -1; }
[[ "$(entry Name)" == Rebound ]] || fail "the desktop entry's Name is '$(entry Name)'"
[[ -n "$(entry Comment)" ]] || fail "the desktop entry has no Comment"
[[ "$(entry Categories)" == *Office* ]] || fail "the desktop entry's Categories are '$(entry Categories)'"
icon=$(entry Icon)
say "icons named '$icon' under /usr/share/icons/hicolor"
icons=$(grep "^/usr/share/icons/hicolor/.*/apps/$icon\.png$" "$scratch/deb-files" || true)
echo "$icons"
for size in 32x32 64x64 128x128 256x256 512x512; do
  grep -q "/$size/apps/" <<<"$icons" || fail "no $size icon for '$icon'"
done
for file in $icons; do # hicolor/NxN/ holds N px images, hicolor/NxN@2/ 2N px ones
  dir=$(basename "$(dirname "$(dirname "$file")")")
  n=${dir%%x*}
  [[ "$dir" == *@2 ]] && n=$((n * 2))
  dims=$(/usr/bin/identify -format '%wx%h' "$file")
  [[ "$dims" == "${n}x${n}" ]] || fail "$file is $dims"
done

# ---- 5. Open it from its desktop entry, as the app menu would ------------------------

say "opening the installed Rebound under Xvfb"
# -displayfd: Xvfb picks a free display and writes its number.
Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$scratch/display" >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [[ -s "$scratch/display" ]] && break; sleep 0.1; done
export DISPLAY=":$(cat "$scratch/display")" GSETTINGS_BACKEND=memory
read -r -a exec_line <<<"$(entry Exec | sed 's/ %[a-zA-Z]//g')"
started=$(date +%s%N)
"${exec_line[@]}" >"$out/app.log" 2>&1 &
app=$!
wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^Rebound$' | head -1) \
  || fail "no Rebound window within 60 s (log: $out/app.log)"
shown_ms=$((($(date +%s%N) - started) / 1000000))
eval "$(xdotool getwindowgeometry --shell "$wid")" # WINDOW X Y WIDTH HEIGHT SCREEN
echo "window $wid at $X,$Y, ${WIDTH}x$HEIGHT, shown $shown_ms ms after the launch"
class=$(xprop -id "$wid" WM_CLASS)
echo "$class"
grep -qi "\"$(entry StartupWMClass)\"" <<<"$class" \
  || fail "the window's WM_CLASS ($class) does not match StartupWMClass=$(entry StartupWMClass)"
sleep 4 # let the page and the chart paint
/usr/bin/import -window root "$out/installed-today.png"
colours=$(/usr/bin/convert "$out/installed-today.png" -format %k info:)
((colours > 50)) || fail "the window looks blank ($colours colours in the screenshot)"
# The About panel: "About Rebound" sits at the foot of the sidebar.
xdotool mousemove $((X + 70)) $((Y + HEIGHT - 78)) click 1
sleep 1.5
/usr/bin/import -window root "$out/installed-about.png"
kill "$app"
wait "$app" 2>/dev/null || true
app=""
echo "screenshots: $out/installed-today.png $out/installed-about.png"

# ---- 6. Uninstall: the app goes, the data stays --------------------------------------

fingerprint >"$scratch/data-before"
say "apt-get purge $PACKAGE"
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get purge -y -qq "$PACKAGE" >/dev/null
installed=0
[[ ! -e /usr/bin/rebound ]] || fail "/usr/bin/rebound is still there after purge"
[[ ! -e "$desktop" ]] || fail "$desktop is still there after purge"
fingerprint >"$scratch/data-after"
diff -u "$scratch/data-before" "$scratch/data-after" || fail "the purge changed the data folder"
[[ "$("$dev" list --json | grep -c '"id"')" == 2 ]] || fail "the data folder lost cycles"
echo "data folder $data: unchanged ($(wc -l <"$scratch/data-after") files)"

# ---- Sizes ---------------------------------------------------------------------------

size() { stat -c %s "$1" | numfmt --to=iec-i --suffix=B --format=%.2f; }
{
  echo "binary $CARGO_TARGET_DIR/release/rebound: $(size "$CARGO_TARGET_DIR/release/rebound")"
  echo "deb $(basename "$deb"): $(size "$deb")"
  echo "rpm $(basename "$rpm"): $(size "$rpm")"
  echo "installed window shown $shown_ms ms after the launch (Xvfb, no window manager)"
} | tee "$out/sizes.txt"
say "release check passed"
