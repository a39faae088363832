#!/usr/bin/env python3
"""The window's memory as a person uses it: after start, with New attempt open, and
after saving that attempt.

Each run opens the target's window the way window_open.py does (its helpers, imported:
a fresh tauri-driver, the data folder put back as it was, the window closed the way a
person closes it). Once Today is drawn and memory has settled, it reads PSS; then it
clicks New attempt, waits for the editor (and, when the folder has cycles, the guide
for the last area practised), and reads again once memory settles; then it writes an
attempt, saves it, waits for the editor to close, and reads a third time. PSS is given
for the app's own process and for it with its WebKit processes.

What it guards: the editor's guide and open adjustment read the summaries and one area's
cycles, not every whole cycle, so a large history costs the window little more memory
once New attempt is used than at start (see docs/performance.md).

Needs an X display and a session bus, as window_open.py does:
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" dbus-run-session -- \\
        python3 benches/measure/editor_memory.py --runs 3 \\
        --target rebound-100k=/path/rebound-window:/data/100000 ...
Standard library only.
"""
import argparse
import json
import os
import statistics
import sys
import time

import window_open as wo

WAIT_S = 30

EDITOR_OPEN = """
const editor = document.querySelector('#editor');
if (!editor || editor.hidden) return false;
const area = document.querySelector('#f-area');
return arguments[0] ? area.value !== '' && !document.querySelector('#attempt-guide').hidden : true;
"""

WRITE_AND_SAVE = """
const set = (id, value) => {
  const field = document.querySelector(id);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
};
if (document.querySelector('#f-area').value === '') set('#f-area', 'measuring');
set('#f-attempt', 'asked for the memory figure');
for (const scale of ['difficulty', 'stakes', 'effort', 'safety']) {
  if (!document.querySelector(`input[name="${scale}"]:checked`)) {
    document.querySelector(`input[name="${scale}"][value="3"]`)?.click();
  }
}
document.querySelector('#save').click();
return true;
"""

EDITOR_CLOSED = "return document.querySelector('#editor').hidden;"


def script(port, session, body, *args):
    return wo.webdriver(port, "POST", f"/session/{session}/execute/sync",
                        {"script": body, "args": list(args)})


def wait_for(port, session, body, *args):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        try:
            if script(port, session, body, *args) is True:
                return True
        except RuntimeError:
            pass
        time.sleep(0.05)
    return False


def reading(driver_pid):
    """PSS of the app's own process and of it with its WebKit processes, in MiB, once
    memory has settled."""
    memory = wo.settled_memory(driver_pid, 1.0)
    own = sum(kib for name, kib in memory["pss_by_process_kib"].items()
              if not name.startswith("WebKit"))
    return {"own_mib": own / 1024, "all_mib": memory["pss_kib"] / 1024}


def probe_for(has_cycles):
    def probe(port, session, driver_pid):
        got = {"start": reading(driver_pid)}
        clicked = time.perf_counter()
        script(port, session, "document.querySelector('#new-attempt').click(); return true;")
        if not wait_for(port, session, EDITOR_OPEN, has_cycles):
            raise RuntimeError("New attempt did not open with its guide")
        got["guide_ms"] = (time.perf_counter() - clicked) * 1e3
        got["editor"] = reading(driver_pid)
        script(port, session, WRITE_AND_SAVE)
        if not wait_for(port, session, EDITOR_CLOSED):
            raise RuntimeError("the attempt was not saved")
        got["saved"] = reading(driver_pid)
        return got
    return probe


STAGES = [("start", "at start"), ("editor", "New attempt open"), ("saved", "after saving")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", action="append", required=True,
                    help="NAME=BINARY:DATA_DIR, as window_open.py takes them (Rebound only)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gap", type=float, default=1.0)
    ap.add_argument("--out", help="JSON file for every run")
    ap.add_argument("--log", default=os.devnull, help="file for the drivers' output")
    a = ap.parse_args()

    targets, env = wo.targets_of(a.target)
    for t in targets:
        t["has_cycles"] = bool(t["data"]) and not t["name"].endswith("empty")

    def line(r):
        return f"guide {r['guide_ms']:5.0f} ms  " + "  ".join(f"{title} {r[key]['own_mib']:5.0f}/{r[key]['all_mib']:4.0f}"
                         for key, title in STAGES)

    with open(a.log, "a") as log:
        runs = wo.interleaved(
            targets, a.runs, a.gap, log,
            lambda t, log: wo.one_run(t, env, None, log, probe_for(t["has_cycles"])),
            "editor_memory", line)

    if a.out:
        with open(a.out, "w") as f:
            json.dump({"runs": runs, "targets": targets}, f, indent=1)
    print(f"\nPSS in MiB, the app's own process / with its WebKit processes "
          f"(median of {a.runs}):")
    print(f"  {'':14}" + "".join(f" {title:>20}" for _, title in STAGES) + "   guide shown")
    for t in targets:
        rs = runs[t["name"]]
        cells = [f"{statistics.median(r[k]['own_mib'] for r in rs):5.0f} / "
                 f"{statistics.median(r[k]['all_mib'] for r in rs):4.0f}" for k, _ in STAGES]
        guide = statistics.median(r["guide_ms"] for r in rs)
        print(f"  {t['name']:14}" + "".join(f" {c:>20}" for c in cells) + f"   {guide:6.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
