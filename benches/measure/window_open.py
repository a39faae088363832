#!/usr/bin/env python3
"""Window open time and memory, each target in turn, round after round.

For every run, a fresh tauri-driver (and through it WebKitWebDriver) is started and
made to listen; then the clock starts with the WebDriver new-session request, which
launches the app, and stops when the target's "ready" script first returns true in
its page (for Rebound: Today drawn with its evidence chart, or the first-run welcome).
Then its window is closed the way a person closes it, and the app is given time to
exit on its own (Rebound closes its database then) before the session ends and anything
left is killed: killed half-way, every next open would be an open after a crash,
through a copy of the database, which the daily open is not.
At that moment the CPU time the app and its processes have used so far is read too
(utime + stime from /proc/<pid>/stat): on a busy machine wall time swings with the
load, while the work done to open barely moves. Once memory has settled (settled_memory), PSS (and its
allocated part, see memory_kib) is summed over the app and every process below it (WebKit's web and
network processes) from /proc/<pid>/smaps_rollup. Then the session is closed, which
closes the app, and the driver is stopped.

Each run also reads when the page's navigation began (`performance.timeOrigin`, from
the session request): under WebDriver some opens of every target, the bare window's
too, wait about half a second before it, which a start without WebDriver never did
(docs/performance.md). The summary counts those runs and gives the median of the
others beside the medians of every run, which stay the goal's figures.

Before every run, a Rebound target's data folder is put back as it was at the start
(`cp -a` of a copy taken then, times kept, then synced to disk): closed cleanly, and
already opened today.
So each open is the daily open of the same data, whatever the run before left (a
session that ends by killing the app, or the window's own writes), and never an open
after a crash, which goes through a copy of the database and checks it against the
journal (a different, rarer path).

Targets run interleaved (bare, rebound-0, rebound-10k, then rebound-0, rebound-10k,
bare, ...: each round starts one target later, so none always follows the heaviest),
with a pause before each run, so that on a busy machine load spikes fall on every
target alike and the ratios stay fair. Round 0 is a warm-up
and is not counted (first launches fill caches, and Rebound makes its daily automatic
backup 3 s after its first start of the day).

Needs an X display and a session bus: run it under
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" dbus-run-session -- python3 ...
Standard library only.

    window_open.py --runs 5 --settle 3 --out results.json \
        --target bare=/path/bare-window \
        --target rebound-0=/path/rebound-window:/data/empty ...
"""
import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

# The page says it is ready. `return` the answer: true, false, or a string naming a
# problem (the run fails at once instead of waiting for the deadline).
READY_BARE = "return document.querySelector('#bare-ready') !== null;"
# Rebound's Today, drawn: the first-run welcome, or the evidence with its chart in the
# page (drawn into it, as an SVG element, since 2026-11-30; before, an image that had to
# be decoded) and laid out (a page served on the system's theme holds the chart in both
# themes, one of them not shown). The start-up screen (the data could not be opened) is
# an error.
READY_REBOUND = """
const startup = document.querySelector('#startup');
if (startup && !startup.hidden) return 'the start-up screen is showing: ' + startup.textContent.trim().slice(0, 160);
const welcome = document.querySelector('#welcome');
if (welcome && !welcome.hidden) return true;
const evidence = document.querySelector('#evidence');
const chart = document.querySelector('#evidence-chart svg, img#evidence-chart');
if (!evidence || evidence.hidden || !chart) return false;
if (chart.localName === 'img') return chart.src.startsWith('data:') && chart.complete && chart.naturalWidth > 0;
return [...document.querySelectorAll('#evidence-chart svg')].some((svg) => svg.getBoundingClientRect().height > 0);
"""
READY = {"bare": READY_BARE, "rebound": READY_REBOUND}

DEADLINE_S = 90
TRIES = 3
# How long the app may take to close after its session ends, before it is killed.
CLOSE_WAIT_S = 15


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, deadline):
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on port {port}")


def webdriver(port, method, path, body=None, timeout=DEADLINE_S):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    conn.request(method, path, body=data, headers=headers)
    reply = json.loads(conn.getresponse().read() or b"{}")
    conn.close()
    value = reply.get("value")
    if isinstance(value, dict) and "error" in value:
        raise RuntimeError(f"{method} {path}: {value['error']}: {value.get('message', '')[:200]}")
    return value


def children_map():
    """pid -> ppid for every process."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            # comm may hold spaces and parentheses: split after the last ')'
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return parents


def descendants(root):
    parents = children_map()
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == pid]
        found.extend(kids)
        frontier.extend(kids)
    return found


def comm(pid):
    """The program's name, untruncated (comm holds only 15 characters)."""
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        try:
            with open(f"/proc/{pid}/comm") as f:
                return f.read().strip()
        except OSError:
            return "?"


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    """CPU time used by the process so far (its threads, living and ended), in ms."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def memory_kib(pid):
    """PSS, and the part of it the processes allocated themselves (Pss_Anon + Pss_Shmem:
    heaps, the JavaScript heap, buffers shared between the app and its WebKit
    processes), in KiB.

    PSS splits each page of a shared library among every process on the machine that
    maps it, so it drops while other programs (another WebKit app, say) run, and rises
    when they stop; the allocated part does not move with them."""
    got = {"Pss": 0, "Pss_Anon": 0, "Pss_Shmem": 0}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                key = line.split(":", 1)[0]
                if key in got:
                    got[key] = int(line.split()[1])
    except OSError:
        pass
    return got["Pss"], got["Pss_Anon"] + got["Pss_Shmem"]


def app_processes(driver_pid):
    """The app and everything below it: the processes under WebKitWebDriver."""
    procs = []
    for pid in descendants(driver_pid):
        name = comm(pid)
        if name not in ("WebKitWebDriver", "tauri-driver"):
            procs.append((pid, name))
    return procs


def memory_now(driver_pid):
    by_name, allocated = {}, 0
    for pid, name in app_processes(driver_pid):
        pss_of, allocated_of = memory_kib(pid)
        by_name[name] = by_name.get(name, 0) + pss_of
        allocated += allocated_of
    return {"pss_kib": sum(by_name.values()), "allocated_kib": allocated,
            "pss_by_process_kib": by_name}


def settled_memory(driver_pid, settle):
    """Memory once it has settled: at least `settle` s after ready, then until PSS moves
    by under 1% in half a second (WebKit frees start-up memory for a while), at most
    10 s more."""
    time.sleep(settle)
    last = memory_now(driver_pid)
    for _ in range(20):
        time.sleep(0.5)
        now = memory_now(driver_pid)
        if abs(now["pss_kib"] - last["pss_kib"]) <= 0.01 * last["pss_kib"]:
            return now
        last = now
    return last


def stop_group(proc):
    """SIGTERM tauri-driver (it stops WebKitWebDriver), then make sure nothing is left."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def pristine(data):
    return data.rstrip("/") + ".pristine"


def keep_pristine(data):
    """Keep a copy of `data` as it is now (times kept), once."""
    if not os.path.isdir(pristine(data)):
        subprocess.run(["cp", "-a", data, pristine(data)], check=True)


def put_back(data):
    """`data` as it was kept by keep_pristine, whatever a run did to it, and on disk: a
    copy just made is still being written back, and the database's open (which fsyncs
    its file) would wait for all of it, as no daily open does (at 100,000 cycles that
    doubled the core's part of the start, 30 -> 80 ms)."""
    subprocess.run(["rm", "-rf", data], check=True)
    subprocess.run(["cp", "-a", pristine(data), data], check=True)
    os.sync()


def one_run(target, env, settle, log, probe=None):
    """Open the target's window once and time it; see the module's docstring. `probe`:
    a function (port, session, driver_pid) -> dict, called once the page is ready, whose answer joins
    the run's (page_timing.py reads the page's own timing so); `settle` None skips the
    memory."""
    port, native = free_port(), free_port()
    while native == port:
        native = free_port()
    run_env = dict(env)
    if target["data"]:
        run_env["REBOUND_DATA_DIR"] = target["data"]
        put_back(target["data"])
    driver = subprocess.Popen(
        ["tauri-driver", "--port", str(port), "--native-port", str(native),
         "--native-driver", "/usr/bin/WebKitWebDriver"],
        env=run_env, stdout=log, stderr=log, start_new_session=True)
    session = None
    try:
        deadline = time.monotonic() + 30
        wait_listening(port, deadline)
        wait_listening(native, deadline)
        caps = {"tauri:options": {"application": target["bin"]}}
        started = time.perf_counter()
        started_wall_ms = time.time() * 1e3
        created = webdriver(port, "POST", "/session",
                            {"capabilities": {"alwaysMatch": caps}, "desiredCapabilities": caps})
        session = created["sessionId"]
        session_ms = (time.perf_counter() - started) * 1e3
        script = "return (function () {" + READY[target["kind"]] + "})();"
        deadline = time.monotonic() + DEADLINE_S
        while True:
            try:
                ready = webdriver(port, "POST", f"/session/{session}/execute/sync",
                                  {"script": script, "args": []})
            except RuntimeError:
                ready = False  # the page is still loading; ask again
            if isinstance(ready, str):
                raise RuntimeError(f"{target['name']}: {ready}")
            if ready is True:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{target['name']}: not ready within {DEADLINE_S} s")
            time.sleep(0.005)
        open_ms = (time.perf_counter() - started) * 1e3
        cpu = sum(cpu_ms(pid) for pid, _ in app_processes(driver.pid))
        # When the page's navigation began, from the session request (see STALL_MS).
        origin = webdriver(port, "POST", f"/session/{session}/execute/sync",
                           {"script": "return performance.timeOrigin;", "args": []})
        page_ms = origin - started_wall_ms if isinstance(origin, (int, float)) else None
        probed = probe(port, session, driver.pid) if probe else {}
        memory = settled_memory(driver.pid, settle) if settle is not None else {}
        return {"open_ms": open_ms, "session_ms": session_ms, "page_ms": page_ms, "cpu_ms": cpu,
                **memory, **probed}
    finally:
        if session:
            # Close the window through WebDriver and give the app time to end before the
            # session does. The app is ended with the window without closing its database
            # cleanly (measured 2026-11-30: gone within 0.1 s, the folder marked open; a
            # window manager's close, as a person's, does close it cleanly). Every run
            # starts from the folder put back as kept, so none opens after that.
            try:
                webdriver(port, "DELETE", f"/session/{session}/window", timeout=20)
            except (OSError, RuntimeError):
                pass
            wait_until = time.monotonic() + CLOSE_WAIT_S
            while driver.poll() is None and time.monotonic() < wait_until:
                if not [p for p, name in app_processes(driver.pid) if not name.startswith("WebKit")]:
                    break
                time.sleep(0.05)
            try:
                webdriver(port, "DELETE", f"/session/{session}", timeout=20)
            except (OSError, RuntimeError):
                pass
        leftovers = app_processes(driver.pid) if driver.poll() is None else []
        stop_group(driver)
        for pid, _ in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def targets_of(specs):
    """The targets named by --target NAME=BIN[:DATA] (each data folder's copy taken, to be
    put back before every run), and the environment to run them in."""
    targets = []
    for spec in specs:
        name, _, rest = spec.partition("=")
        binary, _, data = rest.partition(":")
        targets.append({"name": name, "bin": os.path.abspath(binary), "data": data or None,
                        "kind": "bare" if name.startswith("bare") else "rebound"})
    for t in targets:
        if t["data"]:
            os.makedirs(t["data"], exist_ok=True)
            keep_pristine(t["data"])
    return targets, dict(os.environ, WEBKIT_DISABLE_DMABUF_RENDERER="1")


def interleaved(targets, rounds, gap, log, run, tool, line):
    """Open every target `rounds` times after one warm-up round, round after round, each
    round starting one target later, with `gap` seconds of pause before each open.
    `run(target, log)` opens it once (tried up to TRIES times); `line(result)` says what
    one open gave. Returns the counted results (not the warm-up's) by target name."""
    runs = {t["name"]: [] for t in targets}
    for round_no in range(rounds + 1):
        label = "warm-up" if round_no == 0 else f"run {round_no}/{rounds}"
        shift = round_no % len(targets)
        for t in targets[shift:] + targets[:shift]:
            for attempt in range(1, TRIES + 1):
                time.sleep(gap)
                try:
                    r = run(t, log)
                    break
                except (OSError, RuntimeError, KeyError, TypeError) as e:
                    print(f"  {t['name']}: try {attempt} failed: {e}", flush=True)
                    if attempt == TRIES:
                        raise SystemExit(f"{tool}: {t['name']} never opened")
                    time.sleep(1)
            print(f"  {label:9} {t['name']:14} {line(r)}", flush=True)
            if round_no > 0:
                runs[t["name"]].append(r)
    # Each folder as it was kept, not as the last run's window left it (marked open):
    # a later measurement that starts from it then opens it as a day's first open does.
    for t in targets:
        if t["data"]:
            put_back(t["data"])
    return runs


def median(values):
    return statistics.median(values) if values else float("nan")


def lower_quartile(values):
    """The open time a quarter of the runs beat: below the medians, which some runs' wait
    of about 500 ms inside WebKit's automation moves (see docs/performance.md)."""
    return statistics.quantiles(values, n=4)[0] if len(values) > 1 else median(values)


# Under WebDriver, some opens of every target (the bare window too) wait about half a
# second between the web view being made and WebKit starting the page's navigation;
# started without WebDriver, the same program never did (docs/performance.md, "a stall
# before the page"). A run whose navigation began this much later than the target's
# earliest is counted as stalled. The goal's figures stay the medians of every run.
STALL_MS = 300


def stalled(rs):
    """The runs of one target whose page was asked for late (see STALL_MS)."""
    pages = [r["page_ms"] for r in rs if r.get("page_ms") is not None]
    if not pages:
        return []
    return [r for r in rs if r.get("page_ms") is not None and r["page_ms"] > min(pages) + STALL_MS]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", action="append", required=True,
                    help="NAME=BINARY[:DATA_DIR]; a NAME starting with 'bare' uses the bare "
                         "window's ready marker, any other Rebound's Today")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--settle", type=float, default=3.0,
                    help="seconds at least between 'ready' and reading memory")
    ap.add_argument("--gap", type=float, default=1.0,
                    help="seconds of pause before each run, for the last one's exit to settle")
    ap.add_argument("--out", required=True, help="JSON file for every run")
    ap.add_argument("--log", default=os.devnull, help="file for the drivers' output")
    a = ap.parse_args()

    targets, env = targets_of(a.target)

    with open(a.log, "a") as log:
        runs = interleaved(
            targets, a.runs, a.gap, log, lambda t, log: one_run(t, env, a.settle, log),
            "window_open",
            lambda r: (f"open {r['open_ms']:6.0f} ms (session {r['session_ms']:5.0f} ms, "
                       f"page {r['page_ms'] or float('nan'):5.0f} ms, "
                       f"CPU {r['cpu_ms']:5.0f} ms)  PSS {r['pss_kib'] / 1024:6.1f} MiB "
                       f"(allocated {r['allocated_kib'] / 1024:5.1f})"))

    summary = {}
    for t in targets:
        rs = runs[t["name"]]
        late = [id(r) for r in stalled(rs)]
        names = sorted({n for r in rs for n in r["pss_by_process_kib"]})
        summary[t["name"]] = {
            "open_ms": median([r["open_ms"] for r in rs]),
            "open_ms_min": min(r["open_ms"] for r in rs),
            "open_ms_max": max(r["open_ms"] for r in rs),
            "open_ms_q1": lower_quartile([r["open_ms"] for r in rs]),
            "stalled": len(late),
            "open_ms_unstalled": median([r["open_ms"] for r in rs if id(r) not in late] or [0]),
            "cpu_ms": median([r["cpu_ms"] for r in rs]),
            "pss_mib": median([r["pss_kib"] for r in rs]) / 1024,
            "allocated_mib": median([r["allocated_kib"] for r in rs]) / 1024,
            "pss_by_process_mib": {n: median([r["pss_by_process_kib"].get(n, 0) for r in rs]) / 1024
                                   for n in names},
        }
    with open(a.out, "w") as f:
        json.dump({"runs": runs, "summary": summary, "targets": targets}, f, indent=1)

    base = summary[targets[0]["name"]]
    print(f"\nWindow open (median of {a.runs}, interleaved), CPU used until then, and memory "
          f"settled (at least {a.settle:g} s after), against {targets[0]['name']}:")
    print(f"  {'':14} {'open':>8} {'(min-max)':>13} {'ratio':>6}   {'CPU to open':>11} {'ratio':>6}"
          f"   {'PSS':>9} {'ratio':>6}   {'allocated':>9} {'ratio':>6}   PSS by process")
    for t in targets:
        s = summary[t["name"]]
        parts = ", ".join(f"{n} {v:.0f}" for n, v in s["pss_by_process_mib"].items())
        print(f"  {t['name']:14} {s['open_ms']:6.0f} ms {s['open_ms_min']:5.0f}-{s['open_ms_max']:<5.0f} "
              f"{s['open_ms'] / base['open_ms']:5.2f}x   {s['cpu_ms']:8.0f} ms "
              f"{s['cpu_ms'] / base['cpu_ms']:5.2f}x   {s['pss_mib']:5.0f} MiB "
              f"{s['pss_mib'] / base['pss_mib']:5.2f}x   {s['allocated_mib']:5.0f} MiB "
              f"{s['allocated_mib'] / base['allocated_mib']:5.2f}x   {parts}")
    print("  lower quartile of open (a quarter of the runs were faster), against "
          f"{targets[0]['name']}: " + ", ".join(
              f"{t['name']} {summary[t['name']]['open_ms_q1']:.0f} ms "
              f"({summary[t['name']]['open_ms_q1'] / base['open_ms_q1']:.2f}x)" for t in targets))
    print(f"  stalled under WebDriver (the page's navigation began over {STALL_MS} ms after the "
          "earliest): " + ", ".join(f"{t['name']} {summary[t['name']]['stalled']}/{a.runs}"
                                     for t in targets))
    if all(summary[t["name"]]["open_ms_unstalled"] > 0 for t in targets):
        print("  median open of the runs not stalled, against "
              f"{targets[0]['name']}: " + ", ".join(
                  f"{t['name']} {summary[t['name']]['open_ms_unstalled']:.0f} ms "
                  f"({summary[t['name']]['open_ms_unstalled'] / base['open_ms_unstalled']:.2f}x)"
                  for t in targets))


if __name__ == "__main__":
    sys.exit(main())
