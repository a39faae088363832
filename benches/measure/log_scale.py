#!/usr/bin/env python3
"""How `rebound log --jsonl` and `rebound import` grow with their input: wall time and
peak memory (max RSS from /usr/bin/time -v) for N cycles into an empty folder, N
doubling, and the time ratio per doubling (linear growth is 2.0).

Two kinds of input, both from the jrnl-bench harness's records:
  full    each record whole (~600 characters, ~800 bytes of JSON; rebound_target.draft_of),
          as in the comparison with jrnl;
  short   the same cycles with a shorter attempt and no text besides (~148 bytes of
          JSON), so that 400,000 of them stay under the 64 MiB `rebound log` reads at
          most (src-tauri/cli/input.rs) and the growth shows at every size.
and a third:
  restore each full input logged into a folder and exported as a plain backup, then
          restored with `rebound import` (its cycles checked and spooled a piece at a
          time, src-tauri/core/src/backup/session.rs).
Made once for the largest N; each smaller N is a prefix. A refused input is reported
with Rebound's message; a size whose run would likely not fit in the free memory is
skipped, and said so.

    log_scale.py --harness DIR --rebound BIN --sizes 50000 100000 200000 400000 --work DIR
"""
import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cli_vs_jrnl  # noqa: E402
import rebound_target  # noqa: E402

# Seen before streaming: about 20 KB of peak memory per cycle logged in one batch.
BYTES_PER_CYCLE_GUESS = 20_000
SHORT_FIELDS = ("area", "attempted_on", "attempt", "outcome", "difficulty", "stakes",
                "effort", "safety")


def records(harness, n, seed):
    """The harness's records, made the way its gen_entries.py makes them."""
    sys.path.insert(0, harness)
    import gen_entries  # noqa: E402
    rng = random.Random(seed)
    total = int((gen_entries.END - gen_entries.START).total_seconds() // 60)
    minutes = sorted(rng.sample(range(total), n))
    for i, m in enumerate(minutes):
        yield gen_entries.make_record(rng, i, gen_entries.START + dt.timedelta(minutes=m))


def line_of(record, kind):
    draft = rebound_target.draft_of(record)
    if kind == "short":
        short = {k: draft[k] for k in SHORT_FIELDS}
        short["attempt"] = draft["attempt"].split(",")[0]  # "Quiet weekend at home"
        return json.dumps(short, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(draft, ensure_ascii=False)


def backup_file(a, n, biggest_n, env):
    """A plain backup of the full input's first n cycles, made once."""
    path = os.path.join(a.work, f"backup-{n}.json")
    if os.path.exists(path):
        return path
    folder = os.path.join(a.work, "backup-source")
    shutil.rmtree(folder, ignore_errors=True)
    with open(input_file(a, "full", n, biggest_n), "rb") as stdin:
        subprocess.run([a.rebound, "--data-dir", folder, "log", "--jsonl"], env=env, stdin=stdin,
                       stdout=subprocess.DEVNULL, check=True)
    subprocess.run([a.rebound, "--data-dir", folder, "export", "--plain", "--out", path + ".tmp"],
                   env=env, stdout=subprocess.DEVNULL, check=True)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(path + ".tmp", path)
    return path


def mem_available():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def input_file(a, kind, n, biggest_n):
    path = os.path.join(a.work, f"{kind}-{n}.jsonl")
    if os.path.exists(path):
        return path
    biggest = os.path.join(a.work, f"{kind}-{biggest_n}.jsonl")
    if not os.path.exists(biggest):
        with open(biggest + ".tmp", "w", encoding="utf-8") as f:
            for r in records(a.harness, biggest_n, a.seed):
                f.write(line_of(r, kind) + "\n")
        os.replace(biggest + ".tmp", biggest)
    if n != biggest_n:
        with open(biggest, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i == n:
                    break
                dst.write(line)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--harness", required=True)
    ap.add_argument("--rebound", required=True)
    ap.add_argument("--sizes", type=int, nargs="+", default=[50000, 100000, 200000, 400000])
    ap.add_argument("--kinds", nargs="+", default=["full", "short", "restore"],
                    choices=["full", "short", "restore"])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", required=True, help="a scratch folder")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    os.makedirs(a.work, exist_ok=True)
    sizes = sorted(a.sizes)
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
    env.pop("REBOUND_DATA_DIR", None)
    data = os.path.join(a.work, "data")
    rows = []
    for kind in a.kinds:
        what = ("rebound import, a plain backup of full cycles," if kind == "restore"
                else f"rebound log --jsonl, {kind} cycles,")
        print(f"{what} into an empty folder (best of {a.runs}):", flush=True)
        prev = None
        for n in sizes:
            if kind == "restore":
                path = backup_file(a, n, sizes[-1], env)
                argv = [a.rebound, "--data-dir", data, "import", path]
                stdin = None
            else:
                path = input_file(a, kind, n, sizes[-1])
                argv = [a.rebound, "--data-dir", data, "log", "--jsonl"]
                stdin = path
            mib = os.path.getsize(path) / 2**20
            if n * BYTES_PER_CYCLE_GUESS > mem_available() * 0.8:
                print(f"  {n:>7} cycles ({mib:4.0f} MiB): skipped, may need about "
                      f"{n * BYTES_PER_CYCLE_GUESS / 2**30:.1f} GiB and "
                      f"{mem_available() / 2**30:.1f} GiB is free", flush=True)
                continue
            best = None
            for i in range(a.runs):
                shutil.rmtree(data, ignore_errors=True)
                r = cli_vs_jrnl.timed(argv, env, a.work, stdin,
                                      os.path.join(a.work, f"log-{kind}-{n}-{i}.log"),
                                      check=False)
                if r["rc"] != 0:
                    best = r
                    break
                best = r if best is None or r["wall_ms"] < best["wall_ms"] else best
            shutil.rmtree(data, ignore_errors=True)
            row = {"kind": kind, "n": n, "input_mib": mib, **best}
            rows.append(row)
            if best["rc"] != 0:
                said = best["output_tail"].strip().splitlines()[-1:] or ["(no message)"]
                print(f"  {n:>7} cycles ({mib:4.0f} MiB): refused after {best['wall_ms'] / 1e3:.1f} s "
                      f"(exit {best['rc']}): {said[0]}", flush=True)
                continue
            ratio = (best["wall_ms"] / prev["wall_ms"]) if prev and n == 2 * prev["n"] else None
            row["time_ratio_per_doubling"] = ratio
            print(f"  {n:>7} cycles ({mib:4.0f} MiB): {best['wall_ms'] / 1e3:6.1f} s  "
                  f"peak RSS {best['maxrss_mib']:6.0f} MiB"
                  + (f"  x{ratio:.2f} the time of half as many" if ratio else ""), flush=True)
            prev = row
    with open(a.out, "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
