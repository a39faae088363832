#!/usr/bin/env bash
# Make the README's screenshots of the real window: seed a few weeks of cycles into a
# temporary data folder with `rebound log`, open the window on a 1100×760 Xvfb screen,
# and capture it (Today in light and dark, and the cycle editor).
# Needs: xvfb, xdotool, imagemagick (apt-get install xvfb xdotool imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --locked --quiet
bin="$CARGO_TARGET_DIR/debug/rebound"
out=docs/img
mkdir -p "$out"
data=$(mktemp -d)
trap 'kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$data"' EXIT

ago() { date -d "-$1 days" +%F; }
cycle() { # days-ago area outcome difficulty effort stress "attempt" "observation" "adjustment"
  printf '{"attempted_on":"%s","area":"%s","outcome":"%s","difficulty":%s,"stakes":3,"effort":%s,"safety":3,"stress":%s,"attempt":"%s","observation":"%s","adjustment":"%s"}\n' \
    "$(ago "$1")" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9"
}
{
  cycle 68 "client pitches" failure 6 4 8 "Pitched a retainer above my usual rate" "They went quiet at the pricing slide" "Open with the result the client gets, then the price"
  cycle 61 "client pitches" partial 6 4 6 "Pitched the retainer again, result first" "They asked for a smaller first phase" "Offer a two-week pilot as the first step"
  cycle 55 "running" failure 5 5 7 "Entered a 10k I might not finish" "Walked from km 7; started too fast" "Hold 6:10/km for the first half"
  cycle 49 "client pitches" success 7 4 3 "Pitched a pilot to a new client" "Pilot accepted within the week" ""
  cycle 44 "journal submissions" failure 8 5 8 "Submitted to a journal above my usual tier" "Desk-rejected: scope too narrow for them" "Frame the method as general before the case"
  cycle 40 "running" partial 6 4 5 "Ran the 10k again at an even pace" "Finished, but walked the last hill" "Add one hill session a week"
  cycle 33 "journal submissions" partial 8 4 6 "Resubmitted with a broader framing" "Sent to review; major revisions" "Answer each reviewer point in a table"
  cycle 27 "client pitches" failure 8 4 5 "Pitched a larger firm outside my track record" "Procurement needed references I did not have" "Ask about procurement in the first call"
  cycle 20 "running" success 6 4 2 "Hilly 10k with the new pacing" "Negative split, no walking" ""
  cycle 16 "client pitches" partial 8 4 4 "Pitched the large firm with two references" "Shortlisted, lost on timeline" "Show a phased timeline on one slide"
  cycle 9 "journal submissions" success 8 4 3 "Sent the revision back" "Accepted with minor edits" ""
  cycle 6 "running" failure 7 5 4 "Tried a half marathon route" "Cramped at km 15; no fuel plan" "Take a gel every 40 minutes"
  cycle 2 "client pitches" pending 8 5 0 "Pitched a year-long retainer" "" ""
} | sed 's/"stress":0,/"stress":null,/; s/"observation":"",//; s/"adjustment":""//; s/,}/}/' \
  | "$bin" --data-dir "$data" log --jsonl >/dev/null

shoot() { # name [gtk-theme]
  Xvfb :77 -screen 0 1100x760x24 -nolisten tcp & xvfb=$!
  sleep 1
  DISPLAY=:77 GTK_THEME="${2:-Adwaita}" GSETTINGS_BACKEND=memory "$bin" --data-dir "$data" & app=$!
  DISPLAY=:77 timeout 30 xdotool search --sync --onlyvisible --name '^Rebound$' >/dev/null
  sleep 3
  DISPLAY=:77 /usr/bin/import -window root "$out/$1.png"
  if [[ "$1" == today-light ]]; then
    # The cycle editor, opened on the failure from 27 days ago (third row of Recent).
    DISPLAY=:77 xdotool mousemove 700 130 click 1 key ctrl+2
    sleep 1
    DISPLAY=:77 xdotool mousemove 700 340 click 1
    sleep 1.5
    DISPLAY=:77 /usr/bin/import -window root "$out/editor.png"
  fi
  kill "$app" "$xvfb"; wait "$app" "$xvfb" 2>/dev/null || true
}
shoot today-light
shoot today-dark Adwaita:dark
echo "screenshots in $out: $(ls "$out" | tr '\n' ' ')"
