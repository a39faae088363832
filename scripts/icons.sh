#!/usr/bin/env bash
# Regenerate every app icon bitmap from icons/icon.svg.
#
# Usage: scripts/icons.sh        (from anywhere; paths are relative to the repo)
#
# Needs ImageMagick 6/7 at /usr/bin/convert that can read SVG: either its
# own svg coder or the rsvg-convert delegate (Debian: apt-get install
# librsvg2-bin). /usr/bin/convert is called by full path on purpose:
# a plain `convert` may resolve to something else on PATH. The macOS
# .icns comes from png2icns (Debian: apt-get install icnsutils).
#
# All outputs are RGBA (PNG32), which the Tauri build requires.
set -euo pipefail

CONVERT=/usr/bin/convert
PNG2ICNS=/usr/bin/png2icns
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ICONS="$ROOT/icons"
SRC="$ICONS/icon.svg"

if [[ ! -x "$CONVERT" ]]; then
  echo "icons.sh: $CONVERT not found (apt-get install imagemagick)" >&2
  exit 1
fi
if [[ ! -x "$PNG2ICNS" ]]; then
  echo "icons.sh: $PNG2ICNS not found (apt-get install icnsutils)" >&2
  exit 1
fi
if [[ ! -f "$SRC" ]]; then
  echo "icons.sh: missing $SRC" >&2
  exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# 1. Rasterise the SVG once, large, with a transparent background.
#    -density 192 gives 2048 px with ImageMagick's own svg coder; the rsvg
#    delegate ignores density and gives the SVG's own 1024 px. Either way
#    the result is then resized to exactly 1024 px for a known master.
if ! "$CONVERT" -background none -density 192 "$SRC" \
      -resize 1024x1024 PNG32:"$TMP/master.png" 2>"$TMP/err"; then
  cat "$TMP/err" >&2
  echo "icons.sh: ImageMagick could not read the SVG. Install an SVG" \
       "renderer for it, e.g. apt-get install librsvg2-bin" >&2
  exit 1
fi

# 2. Downscale from the master. Lanczos keeps the edges crisp; the light
#    unsharp at the smallest sizes stops the white mark from going soft
#    (kept mild: stronger settings draw dark halos around the white).
render() { # size outfile
  local size=$1 out=$2 sharpen=()
  if (( size <= 48 )); then sharpen=(-unsharp 0x0.5+0.3+0); fi
  "$CONVERT" "$TMP/master.png" -background none -alpha on \
    -filter Lanczos -resize "${size}x${size}" "${sharpen[@]}" \
    -define png:color-type=6 PNG32:"$out"
}

render 32  "$ICONS/32x32.png"
render 64  "$ICONS/64x64.png"
render 128 "$ICONS/128x128.png"
render 256 "$ICONS/256x256.png"
render 512 "$ICONS/icon.png"

# 3. Windows .ico with 16, 24, 32, 48, 64 and 256 px frames.
ico_frames=()
for s in 16 24 32 48 64 256; do
  render "$s" "$TMP/ico-$s.png"
  ico_frames+=("$TMP/ico-$s.png")
done
"$CONVERT" "${ico_frames[@]}" "$ICONS/icon.ico"

# 4. macOS .icns with 16, 32, 128, 256 and 512 px images (each size png2icns
#    knows how to store as PNG; 48 would be stored in an old, lossy layout).
icns_frames=()
for s in 16 32 128 256 512; do
  render "$s" "$TMP/icns-$s.png"
  icns_frames+=("$TMP/icns-$s.png")
done
"$PNG2ICNS" "$ICONS/icon.icns" "${icns_frames[@]}" >/dev/null

# 5. The small mark the window's sidebar shows.
cp "$ICONS/64x64.png" "$ROOT/ui/img/rebound-64.png"

echo "icons.sh: wrote 32x32.png 64x64.png 128x128.png 256x256.png icon.png icon.ico icon.icns in $ICONS, and ui/img/rebound-64.png"
