#!/usr/bin/env bash
# Install what Rebound needs on Debian or Ubuntu: system packages (only those missing),
# Rust (if there is no cargo), and with --test-tools also what the tests need
# (Xvfb, WebKitWebDriver, tauri-driver). Safe to run again: it skips what is there.
set -euo pipefail

want_test_tools=0
[[ "${1:-}" == "--test-tools" ]] && want_test_tools=1

# Build and run: WebKitGTK 4.1, GTK 3 and a C toolchain (Tauri's Linux prerequisites),
# and the tray: libayatana-appindicator3-1 is loaded when the tray icon is first shown
# (Settings → Keep Rebound in the tray), and the -dev package lets the bundler find it
# (without it `tauri build --bundles deb` stops with "Can't detect any appindicator library").
packages=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libssl-dev build-essential
          pkg-config curl ca-certificates file
          libayatana-appindicator3-1 libayatana-appindicator3-dev)
# Tests: a virtual X display, WebKit's WebDriver, a session bus, the one font set the
# tests pin (tests/fonts/fonts.conf), ImageMagick for the screenshots a failed step
# leaves, and procps for kill.
if ((want_test_tools)); then
  packages+=(xvfb xauth webkit2gtk-driver fonts-dejavu-core dbus-daemon imagemagick procps)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "setup: this script knows Debian and Ubuntu (apt-get); install these yourself: ${missing[*]}" >&2
    exit 1
  fi
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
  echo "setup: installing Rust (rustup, stable)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal \
    --component rustfmt,clippy
fi

if ((want_test_tools)) && ! command -v tauri-driver >/dev/null; then
  # 2.x, not the 3.0 alpha that crates.io also carries.
  echo "setup: installing tauri-driver 2.1.0"
  cargo install tauri-driver --locked --version 2.1.0 --quiet
fi
