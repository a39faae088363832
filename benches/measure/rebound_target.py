"""Rebound's command line as a target of the jrnl-bench harness, on the same records.

Adapted from the harness's untested `targets.AppTarget` template, in our own code (the
shared harness stays as it is). The operations carry the same names as
`targets.JrnlTarget`'s, so the two can be paired and interleaved:

  startup (--version)           rebound --version
  import N (--import --file)    rebound log --jsonl < entries.jsonl   (into an empty folder)
  list last 10 (-n 10)          rebound list --limit 10
  search tag (@work)            rebound list --search @work --limit N (every match printed,
                                as jrnl prints every @work entry)
  export all to JSON            rebound export --plain --out export.json
  add 1 entry to N              rebound log < one.json
  first command of a day        rebound list --limit 10, when the day's automatic backup
                                is still to be made                   (Rebound only)
  restore a plain backup        rebound import backup.json            (Rebound only)

What the timed runs see. jrnl's data is one file, which the harness restores by copying
it before each run. Rebound's is a folder, restored the same way, and then opened once
by an untimed `rebound list --limit 1` (the harness's reset), so each timed run sees
the folder as a person does who already used Rebound today: opened and closed cleanly
before, today's automatic backup made. Without that step every timed run would be the
first open of a copied folder (sled rebuilding its snapshot of the log, the files
fsync'd once) and the first command of a day (which writes the day's automatic backup,
a whole export): that cost is measured on its own as "first command of a day", after
the same reset with the last automatic backup dated yesterday.

Each harness record becomes one cycle draft (`draft_of`): the title is the attempt, the
rest of the ~600 characters (fields, notes, gratitude, the @tags line) the observation,
the first tag the area; the numeric fields fill the scales. So `--search @work` finds
exactly the records jrnl's `@work` finds.
"""
import dataclasses
import datetime
import json
import os
import shutil
import subprocess
from typing import Callable, Optional

# The single entry jrnl-bench adds: "2026-06-01 09:00: Bench entry title. Mood: 5/10. @work"
ONE_ENTRY = {"area": "work", "attempt": "Bench entry title.", "observation": "Mood: 5/10. @work",
             "attempted_on": "2026-06-01", "outcome": "partial",
             "difficulty": 5, "stakes": 2, "effort": 3, "safety": 3}


@dataclasses.dataclass
class Op:
    name: str
    argv: list
    stdin: Optional[str] = None
    pre: Optional[Callable[[], None]] = None
    post: Optional[Callable[[], None]] = None
    per_size: bool = True


@dataclasses.dataclass
class Context:
    workdir: str
    n: int
    env: dict
    paths: dict


def draft_of(record):
    """One harness record (gen_entries.make_record) as a Rebound cycle draft."""
    title, _, body = record["text"].partition("\n")
    mood = record["mood"]
    return {
        "area": record["tags"][0].lstrip("@"),
        "attempted_on": record["date"][:10],
        "attempt": title,
        "observation": body,
        "outcome": "failure" if mood <= 3 else "partial" if mood <= 6 else "success",
        "difficulty": record["energy"],
        "stakes": 1 + record["cycle_day"] % 5,
        "effort": min(5, max(1, round(record["sleep_hours"]) - 4)),
        "safety": 1 + record["id"] % 5,
    }


def write_jsonl(records, path):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(draft_of(r), ensure_ascii=False) + "\n")


class ReboundTarget:
    name = "rebound"

    def __init__(self, rebound_bin):
        self.bin = rebound_bin

    def setup(self, workdir, n, data_dir):
        if os.path.exists(workdir):
            shutil.rmtree(workdir)
        os.makedirs(workdir)
        jsonl = os.path.join(workdir, "entries.jsonl")
        with open(os.path.join(data_dir, "entries.json"), encoding="utf-8") as f:
            write_jsonl(json.load(f), jsonl)
        one = os.path.join(workdir, "one.json")
        with open(one, "w") as f:
            json.dump(ONE_ENTRY, f)
        env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
        env.pop("REBOUND_DATA_DIR", None)
        env.pop("REBOUND_PASSPHRASE", None)
        paths = dict(data=os.path.join(workdir, "data"),
                     snapshot=os.path.join(workdir, "data.snapshot"),
                     export=os.path.join(workdir, "export.json"),
                     backup=os.path.join(workdir, "backup.json"),
                     restored=os.path.join(workdir, "restored"),
                     jsonl=jsonl, one=one,
                     manifest=os.path.join(data_dir, "manifest.json"))
        return Context(workdir, n, env, paths)

    def ops(self, ctx):
        p = ctx.paths
        r = [self.bin, "--data-dir", p["data"]]

        def rm_data():
            shutil.rmtree(p["data"], ignore_errors=True)

        def settle():
            """One untimed command, as the day's first one: it makes the day's automatic
            backup and leaves the folder as Rebound closes it."""
            subprocess.run(r + ["list", "--limit", "1"], env=ctx.env, check=True,
                           stdout=subprocess.DEVNULL)

        def snapshot():
            settle()
            shutil.rmtree(p["snapshot"], ignore_errors=True)
            shutil.copytree(p["data"], p["snapshot"])

        def restore():
            shutil.rmtree(p["data"], ignore_errors=True)
            shutil.copytree(p["snapshot"], p["data"])
            settle()

        def restore_before_todays_backup():
            restore()
            settings = os.path.join(p["data"], "settings.json")
            with open(settings) as f:
                kept = json.load(f)
            yesterday = datetime.date.fromisoformat(kept["last_auto_backup"]) \
                - datetime.timedelta(days=1)
            kept["last_auto_backup"] = yesterday.isoformat()
            with open(settings, "w") as f:
                json.dump(kept, f, indent=2)

        def rm_export():
            if os.path.exists(p["export"]):
                os.remove(p["export"])

        def keep_backup():
            shutil.copyfile(p["export"], p["backup"])

        def rm_restored():
            shutil.rmtree(p["restored"], ignore_errors=True)

        return [
            Op("startup (--version)", [self.bin, "--version"], per_size=False),
            Op("import N (--import --file)", r + ["log", "--jsonl"], stdin=p["jsonl"],
               pre=rm_data, post=snapshot),
            Op("list last 10 (-n 10)", r + ["list", "--limit", "10"], pre=restore),
            Op("search tag (@work)", r + ["list", "--search", "@work", "--limit", str(ctx.n)],
               pre=restore),
            Op("export all to JSON", r + ["export", "--plain", "--out", p["export"]],
               pre=lambda: (restore(), rm_export()), post=keep_backup),
            Op("add 1 entry to N", r + ["log"], stdin=p["one"], pre=restore),
            Op("first command of a day", r + ["list", "--limit", "10"],
               pre=restore_before_todays_backup),
            Op("restore a plain backup", [self.bin, "--data-dir", p["restored"], "import", p["backup"]],
               pre=rm_restored),
        ]

    def verify(self, ctx, run):
        """Counts after the import, checked against the harness's manifest."""
        p = ctx.paths
        restore_dir = p["data"]
        shutil.rmtree(restore_dir, ignore_errors=True)
        shutil.copytree(p["snapshot"], restore_dir)
        with open(p["manifest"]) as f:
            man = json.load(f)
        listed = json.loads(run([self.bin, "--data-dir", restore_dir, "list", "--json",
                                 "--limit", str(ctx.n + 10)], ctx.env))
        found = json.loads(run([self.bin, "--data-dir", restore_dir, "list", "--json",
                                "--search", "@work", "--limit", str(ctx.n + 10)], ctx.env))
        res = {"entries_after_import": len(listed), "expected_entries": ctx.n,
               "work_search_count": len(found),
               "expected_work_tag_count": man["tag_counts"]["@work"]}
        res["ok"] = (res["entries_after_import"] == ctx.n
                     and res["work_search_count"] == res["expected_work_tag_count"])
        return res
