#!/usr/bin/env python3
"""How `rebound log --jsonl` grows with its input: wall time and peak memory (max RSS
from /usr/bin/time -v) for N cycles into an empty folder, N doubling, and the time
ratio per doubling (linear growth is 2.0).

The cycles are the jrnl-bench harness's records (~600 characters, 12 tags; see
rebound_target.draft_of), made once for the largest N; each smaller N is a prefix.
A size whose run would likely not fit in the free memory is skipped, and said so.

    log_scale.py --harness DIR --rebound BIN --sizes 50000 100000 200000 400000
"""
import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cli_vs_jrnl  # noqa: E402
import rebound_target  # noqa: E402

# Seen before streaming: 400,000 cycles peaked at 7.75 GB, about 20 KB per cycle.
BYTES_PER_CYCLE_GUESS = 20_000


def records(harness, n, seed):
    """The harness's records, made the way its gen_entries.py makes them."""
    sys.path.insert(0, harness)
    import gen_entries  # noqa: E402
    rng = random.Random(seed)
    total = int((gen_entries.END - gen_entries.START).total_seconds() // 60)
    minutes = sorted(rng.sample(range(total), n))
    for i, m in enumerate(minutes):
        yield gen_entries.make_record(rng, i, gen_entries.START + dt.timedelta(minutes=m))


def mem_available():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--harness", required=True)
    ap.add_argument("--rebound", required=True)
    ap.add_argument("--sizes", type=int, nargs="+", default=[50000, 100000, 200000, 400000])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", required=True, help="a scratch folder")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    os.makedirs(a.work, exist_ok=True)
    sizes = sorted(a.sizes)
    biggest = os.path.join(a.work, f"cycles-{sizes[-1]}.jsonl")
    if not os.path.exists(biggest):
        with open(biggest + ".tmp", "w", encoding="utf-8") as f:
            for r in records(a.harness, sizes[-1], a.seed):
                f.write(json.dumps(rebound_target.draft_of(r), ensure_ascii=False) + "\n")
        os.replace(biggest + ".tmp", biggest)
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
    env.pop("REBOUND_DATA_DIR", None)

    rows = []
    print(f"rebound log --jsonl into an empty folder ({a.runs} run(s) each):", flush=True)
    for n in sizes:
        path = os.path.join(a.work, f"cycles-{n}.jsonl")
        if not os.path.exists(path):
            with open(biggest, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
                for i, line in enumerate(src):
                    if i == n:
                        break
                    dst.write(line)
        if n * BYTES_PER_CYCLE_GUESS > mem_available() * 0.8:
            print(f"  {n:>7} cycles: skipped, may need about {n * BYTES_PER_CYCLE_GUESS / 2**30:.1f} GiB "
                  f"and {mem_available() / 2**30:.1f} GiB is free", flush=True)
            continue
        best = None
        for i in range(a.runs):
            data = os.path.join(a.work, "data")
            shutil.rmtree(data, ignore_errors=True)
            r = cli_vs_jrnl.timed([a.rebound, "--data-dir", data, "log", "--jsonl"], env, a.work,
                                  path, os.path.join(a.work, f"log-{n}-{i}.log"))
            best = r if best is None or r["wall_ms"] < best["wall_ms"] else best
        shutil.rmtree(os.path.join(a.work, "data"), ignore_errors=True)
        prev = rows[-1] if rows else None
        ratio = (best["wall_ms"] / prev["wall_ms"]) if prev and n == 2 * prev["n"] else None
        rows.append({"n": n, **best, "time_ratio_per_doubling": ratio})
        print(f"  {n:>7} cycles: {best['wall_ms'] / 1e3:7.1f} s  peak RSS {best['maxrss_mib']:8.0f} MiB"
              + (f"  x{ratio:.2f} the time of half as many" if ratio else ""), flush=True)
    with open(a.out, "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
