#!/usr/bin/env python3
"""Rebound's command line against jrnl 4.6, on the same N records of ~600 characters.

The data and jrnl's side come from the jrnl-bench harness (its gen_entries.py and its
tested targets.JrnlTarget, run exactly as it runs them); Rebound's side is
rebound_target.ReboundTarget. Each timed run is `/usr/bin/time -v <command>` after an
untimed reset (the harness's pre hooks), and jrnl and Rebound alternate run by run, so
load on a shared machine falls on both alike. One warm-up run of each is discarded.

    cli_vs_jrnl.py --harness DIR --jrnl DIR/venv/bin/jrnl --rebound BIN --runs 5 --n 10000

Prints each operation's median wall time for both, and the ratio jrnl / Rebound.
Standard library only.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rebound_target  # noqa: E402

TIME_FIELDS = {
    "user_s": re.compile(r"User time \(seconds\): (\S+)"),
    "sys_s": re.compile(r"System time \(seconds\): (\S+)"),
    "maxrss_kb": re.compile(r"Maximum resident set size \(kbytes\): (\d+)"),
    "exit": re.compile(r"Exit status: (\d+)"),
}


def timed(argv, env, cwd, stdin_path, log_path, check=True):
    """One run under /usr/bin/time -v: wall ms (measured here), CPU s, max RSS MiB, and
    the exit code. A failed run ends the benchmark unless `check` is false."""
    tfile = log_path + ".time"
    with open(log_path, "wb") as log, open(stdin_path or os.devnull, "rb") as stdin:
        start = time.perf_counter()
        rc = subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + argv, env=env, cwd=cwd,
                            stdin=stdin, stdout=log, stderr=log).returncode
        wall_ms = (time.perf_counter() - start) * 1e3
    with open(tfile) as f:
        text = f.read()
    got = {k: float(m.group(1)) for k, rx in TIME_FIELDS.items() if (m := rx.search(text))}
    with open(log_path, errors="replace") as f:
        tail = f.read()[-400:]
    if rc != 0 and check:
        raise SystemExit(f"cli_vs_jrnl: {' '.join(argv)} failed (exit {rc}): {tail}")
    return {"wall_ms": wall_ms, "cpu_s": got["user_s"] + got["sys_s"],
            "maxrss_mib": got["maxrss_kb"] / 1024, "rc": rc, "output_tail": tail}


def run_output(argv, env):
    return subprocess.run(argv, env=env, capture_output=True, check=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--harness", required=True, help="a writable copy of jrnl-bench")
    ap.add_argument("--jrnl", required=True, help="the jrnl 4.6 program (in the harness venv)")
    ap.add_argument("--rebound", required=True, help="the rebound command-line program")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True, help="JSON file for every run")
    a = ap.parse_args()

    sys.path.insert(0, a.harness)
    import targets  # the harness's own jrnl target  # noqa: E402

    data_dir = os.path.join(a.harness, "data", str(a.n))
    if not os.path.exists(os.path.join(data_dir, "manifest.json")):
        subprocess.run([sys.executable, os.path.join(a.harness, "gen_entries.py"), str(a.n),
                        "--seed", str(a.seed), "--out", data_dir],
                       check=True, stdout=subprocess.DEVNULL)
    work = os.path.join(a.harness, "work")
    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)

    jrnl = targets.JrnlTarget(a.jrnl)
    jctx = jrnl.setup(os.path.join(work, "jrnl", f"plain-{a.n}"), "plain", a.n, data_dir)
    rebound = rebound_target.ReboundTarget(a.rebound)
    rctx = rebound.setup(os.path.join(work, "rebound", str(a.n)), a.n, data_dir)
    jops = {op.name: op for op in jrnl.ops(jctx)}
    rops = rebound.ops(rctx)

    def one(tool, op, ctx, i):
        if op.pre:
            op.pre()
        slug = re.sub(r"[^a-z0-9]+", "_", f"{tool}_{op.name}".lower())
        r = timed(op.argv, ctx.env, ctx.workdir, getattr(op, "stdin", None),
                  os.path.join(logs, f"{slug}_{i}.log"))
        if op.post:
            op.post()
        return r

    results = {}
    print(f"jrnl {jrnl.version} and Rebound on {a.n} records: median of {a.runs} runs, "
          "alternating, after one warm-up of each", flush=True)
    print("  (wall time of the whole command, its peak RSS, and jrnl's time over Rebound's.\n"
          "   Before each timed run jrnl's file and Rebound's folder are restored by copying;\n"
          "   Rebound's is then opened once, untimed, so a run sees it as after earlier use\n"
          "   today. The day's first command also writes the day's automatic backup: that\n"
          "   is 'first command of a day'; see benches/measure/rebound_target.py.)",
          flush=True)
    for rop in rops:
        jop = jops.get(rop.name)
        pair = {"jrnl": [], "rebound": []}
        for i in range(a.runs + 1):
            if jop:
                j = one("jrnl", jop, jctx, i)
                if i:
                    pair["jrnl"].append(j)
            r = one("rebound", rop, rctx, i)
            if i:
                pair["rebound"].append(r)
        results[rop.name] = pair
        med = {tool: statistics.median(x["wall_ms"] for x in runs) if runs else None
               for tool, runs in pair.items()}
        rss = {tool: statistics.median(x["maxrss_mib"] for x in runs) if runs else None
               for tool, runs in pair.items()}
        if med["jrnl"]:
            print(f"  {rop.name:28} jrnl {med['jrnl']:7.0f} ms {rss['jrnl']:6.1f} MiB   "
                  f"rebound {med['rebound']:6.0f} ms {rss['rebound']:6.1f} MiB   "
                  f"jrnl/rebound {med['jrnl'] / med['rebound']:6.1f}x", flush=True)
        else:
            print(f"  {rop.name:28} {'(no jrnl counterpart)':26}   "
                  f"rebound {med['rebound']:6.0f} ms {rss['rebound']:6.1f} MiB", flush=True)

    checks = {"jrnl": jrnl.verify(jctx), "rebound": rebound.verify(rctx, run_output)}
    print(f"  verify jrnl: {checks['jrnl']['ok']} "
          f"({checks['jrnl']['entries_after_import']} entries, "
          f"{checks['jrnl']['work_tag_count']} @work); "
          f"rebound: {checks['rebound']['ok']} ({checks['rebound']['entries_after_import']} "
          f"cycles, {checks['rebound']['work_search_count']} found by @work)")
    with open(a.out, "w") as f:
        json.dump({"n": a.n, "runs": a.runs, "jrnl_version": jrnl.version,
                   "results": results, "verify": checks}, f, indent=1)
    if not (checks["jrnl"]["ok"] and checks["rebound"]["ok"]):
        raise SystemExit("cli_vs_jrnl: a verification failed (see above)")


if __name__ == "__main__":
    main()
