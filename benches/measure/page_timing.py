#!/usr/bin/env python3
"""Where a window's start goes inside its page: the page's own navigation and paint timing.

Each run opens the target's window the way window_open.py does (its helpers, imported:
a fresh tauri-driver, the data folder put back as it was, the window closed the way a
person closes it), waits until the page is ready (Rebound: Today drawn with its chart, or
the first-run welcome), lets it finish what it does next for a moment, and reads, in
milliseconds from the start of the page's navigation:

  parsed        the page's HTML received and parsed (domInteractive; for the app's own
                tauri:// pages WebKitGTK gives responseStart 0 and responseEnd the same)
  dom ready     and its script modules fetched and run (domContentLoadedEventEnd)
  asked         Rebound: the start-up request sent (ui/js/app.js marks it)
  answered      Rebound: the start-up request answered (marked too)
  first paint   the first text or image painted (first-contentful-paint); for Rebound,
                Today (the page stays unseen until the start-up request has answered)
  drawn         Rebound: Today drawn with its chart and painted (marked too)

(WebKitGTK keeps no resource timing for tauri:// files, so which scripts were fetched
by the first paint cannot be read here.)

Targets are interleaved round by round as in window_open.py; round 0 is a warm-up and
is not counted. Data folders are prepared as scripts/bench.sh prepares them (after a run
it leaves them in $CARGO_TARGET_DIR/bench/run/window-data/), and the page opened in the
environment it sets (a scratch XDG home, GSETTINGS_BACKEND=memory, the pinned fonts of
tests/fonts/fonts.conf). Without FONTCONFIG_FILE the page uses the machine's own fonts,
where how the font list resolves shows (see docs/performance.md). Needs an X display
and a session bus:
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" dbus-run-session -- \\
        python3 benches/measure/page_timing.py --runs 9 \\
        --target bare=/path/bare-window \\
        --target old-empty=/path/old/rebound-window:/data/empty \\
        --target new-empty=/path/rebound-window:/data/empty ...
Standard library only.
"""
import argparse
import json
import os
import statistics
import sys
import time

import window_open as wo

# How long after ready the page is left before it is read, so that what it does next
# (loading the other views) is not still competing with the reads.
AFTER_READY_S = 1.0

# The page's timing, as one object; times in ms from the start of its navigation.
READ_TIMING = """
const nav = performance.getEntriesByType('navigation')[0];
const fcp = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
return {
  parsed: nav ? nav.domInteractive : null,
  dom_ready: nav ? nav.domContentLoadedEventEnd : null,
  first_paint: fcp ? fcp.startTime : null,
  asked: performance.getEntriesByName('rebound:start-asked')[0]?.startTime ?? null,
  answered: performance.getEntriesByName('rebound:start-answered')[0]?.startTime ?? null,
  drawn: performance.getEntriesByName('rebound:today-drawn')[0]?.startTime ?? null,
};
"""


def probe(port, session, _driver_pid):
    """The page's timing, read a moment after one_run saw it ready."""
    time.sleep(AFTER_READY_S)
    return wo.webdriver(port, "POST", f"/session/{session}/execute/sync",
                        {"script": READ_TIMING, "args": []})


COLUMNS = [("parsed", "parsed"), ("dom_ready", "dom ready"), ("asked", "asked"),
           ("answered", "answered"),
           ("first_paint", "first paint"), ("drawn", "drawn")]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", action="append", required=True,
                    help="NAME=BINARY[:DATA_DIR], as window_open.py takes them")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gap", type=float, default=1.0,
                    help="seconds of pause before each run")
    ap.add_argument("--out", help="JSON file for every run")
    ap.add_argument("--log", default=os.devnull, help="file for the drivers' output")
    a = ap.parse_args()

    targets, env = wo.targets_of(a.target)

    with open(a.log, "a") as log:
        runs = wo.interleaved(
            targets, a.runs, a.gap, log, lambda t, log: wo.one_run(t, env, None, log, probe),
            "page_timing",
            lambda r: "  ".join(f"{title} {r[key] if r[key] is not None else float('nan'):5.1f}"
                                for key, title in COLUMNS))

    if a.out:
        with open(a.out, "w") as f:
            json.dump({"runs": runs, "targets": targets}, f, indent=1)
    print(f"\nThe page's own timing, ms from the start of its navigation "
          f"(median of {a.runs}, min-max):")
    print(f"  {'':14}" + "".join(f" {title:>17}" for _, title in COLUMNS))
    for t in targets:
        rs = runs[t["name"]]
        cells = []
        for key, _ in COLUMNS:
            values = [r[key] for r in rs if r[key] is not None]
            cells.append(f"{median(values):5.1f} ({min(values, default=float('nan')):4.0f}-"
                         f"{max(values, default=float('nan')):<4.0f})")
        print(f"  {t['name']:14}" + "".join(f" {c:>17}" for c in cells))


if __name__ == "__main__":
    sys.exit(main())
