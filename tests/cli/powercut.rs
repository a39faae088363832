//! Power-loss tests: does everything Rebound acknowledged survive a power cut?
//!
//! Rebound promises that a cycle it reported as saved is on disk. A kill alone cannot
//! check that promise: the kernel's page cache outlives the process, so data that was
//! written but never fsync'd still reads back. These tests run Rebound on a LazyFS
//! mount instead (a FUSE filesystem that keeps every write not yet fsync'd in its own
//! cache) and drop that cache at the worst moment, which is what a power cut does.
//!
//! One primitive, used by every scenario: start a process with its data folder on the
//! mount, read its stdout until it acknowledges (the printed id of a `rebound log`, the
//! "Restored" line of an import, the id a window-like save prints once
//! `ops::log_cycle` returned), freeze it with SIGSTOP so nothing after the
//! acknowledgement runs, drop the cache, SIGKILL it, and reopen the data with
//! `rebound list --json` to compare with everything acknowledged so far.
//!
//! Scenarios: single `log` saves, `log --jsonl` batches, `import --replace` restores,
//! saves through the library as the window makes them, and `rebound sync` between two
//! data folders sharing a sync folder (all three on the mount), cut at a random moment
//! of the sync or at its acknowledgement. The control test runs the same
//! steps without dropping the cache: it must lose nothing, or the harness itself is
//! wrong. Both print their figures and assert that nothing acknowledged was lost.
//!
//! Needs root, /dev/fuse and a LazyFS binary in `LAZYFS_BIN`; `scripts/powercut.sh`
//! builds LazyFS and runs these tests. Without `LAZYFS_BIN` they print
//! `SKIPPED power-loss test: …` and pass, unless `POWERCUT_REQUIRED=1`.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rebound_core::store::Store;
use rebound_core::use_cases::{self as ops, Clock};
use serde_json::{json, Value};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_rebound");

/// Single `rebound log` saves, each followed by a cut.
const SINGLE_SAVES: usize = 100;
/// `rebound log --jsonl` runs, and cycles in each.
const BATCHES: usize = 10;
const BATCH_SIZE: usize = 20;
/// `rebound import --replace` runs, each into a fresh data folder.
const RESTORES: usize = 10;
/// `rebound sync` runs, alternately on two data folders, each cut short.
const SYNC_RUNS: usize = 16;
/// The sync passphrase of scenario (e).
const SYNC_PASSPHRASE: &str = "four calm words here";

/// Window-like processes, and the saves each makes before the cut: 1, 2, 3, 4, 1, …
/// (23 in all), so the cut also lands after several saves in one open store.
const WINDOW_RUNS: usize = 10;

/// Set on the re-executed test binary that makes window-like saves (see
/// `powercut_window_child_process`), with the data folder and the number of saves.
const CHILD_ENV: &str = "POWERCUT_CHILD";
const CHILD_DIR_ENV: &str = "POWERCUT_CHILD_DIR";
const CHILD_SAVES_ENV: &str = "POWERCUT_CHILD_SAVES";
/// Marks the window-like child's acknowledgements: its stdout also carries libtest's
/// own lines, and the first id shares a line with "test … ...".
const CHILD_ACK: &str = "powercut-saved:";

/// How long a child may take to acknowledge or finish, and LazyFS to start or drop its
/// cache, before the test gives up instead of hanging.
const CHILD_TIMEOUT: Duration = Duration::from_secs(60);
const LAZYFS_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a killed child may take to end. One that has not ended by then is stuck in
/// a call LazyFS never answers (seen once, after a cache drop: LazyFS's own threads all
/// waiting); LazyFS is then restarted on the same backing folder (see `end_cut_child`).
const STUCK_WAIT: Duration = Duration::from_secs(15);

#[test]
fn acknowledged_saves_survive_a_power_cut() {
    let Some(lazyfs) = lazyfs_or_skip() else {
        return;
    };
    let tallies = run_all(&lazyfs, Mode::PowerCut);
    check(&tallies, Mode::PowerCut);
}

#[test]
fn control_without_a_power_cut_loses_nothing() {
    let Some(lazyfs) = lazyfs_or_skip() else {
        return;
    };
    let tallies = run_all(&lazyfs, Mode::Control);
    check(&tallies, Mode::Control);
}

/// Not a test on its own: the window-like child of scenario (d). The harness runs this
/// test binary again with `POWERCUT_CHILD=window` and this test as the filter; in any
/// other run it returns at once.
#[test]
fn powercut_window_child_process() {
    if std::env::var(CHILD_ENV).as_deref() != Ok("window") {
        return;
    }
    let dir = std::env::var(CHILD_DIR_ENV).expect("the harness names the data folder");
    let saves: usize = std::env::var(CHILD_SAVES_ENV)
        .expect("the harness says how many saves")
        .parse()
        .expect("the number of saves is a whole number");
    // The window opens the store once and keeps it; every save is one command call.
    let store = Store::open(Path::new(&dir)).expect("the window-like child opens the store");
    // Straight to the stdout handle, not println!: libtest's capture only catches the
    // print macros, so the harness sees these lines even if --nocapture were missing.
    let mut out = std::io::stdout();
    for i in 0..saves {
        let draft = draft("window saves", &format!("Saved from the window, {i}"));
        let cycle = ops::log_cycle(&store, draft, Clock::system())
            .expect("the window-like child saves a cycle");
        writeln!(out, "{CHILD_ACK}{}", cycle.id)
            .and_then(|()| out.flush())
            .expect("the window-like child reports its save");
    }
    // A window stays open after saving; this one waits to be frozen and killed. The
    // pause is bounded so a child whose harness died does not linger for ever.
    std::thread::sleep(CHILD_TIMEOUT * 2);
}

/// One scenario: runs its steps on the harness and returns its figures.
type Scenario = fn(&mut Harness) -> Tally;

/// With the cache dropped at every acknowledgement (the test) or not (the control).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    PowerCut,
    Control,
}

impl Mode {
    fn prefix(self) -> &'static str {
        match self {
            Mode::PowerCut => "cut",
            Mode::Control => "control",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Mode::PowerCut => "cache dropped at every acknowledgement",
            Mode::Control => "control: the same steps, the cache never dropped",
        }
    }
}

/// The LazyFS binary from `LAZYFS_BIN`, or `None` after printing why the test is
/// skipped. With `POWERCUT_REQUIRED=1` a skip is a failure instead.
fn lazyfs_or_skip() -> Option<PathBuf> {
    let reason = match std::env::var_os("LAZYFS_BIN") {
        Some(bin) if !bin.is_empty() => {
            let bin = PathBuf::from(bin);
            // Set but missing is a broken setup, not a machine without LazyFS.
            assert!(bin.is_file(), "LAZYFS_BIN={} is not a file", bin.display());
            return Some(bin);
        }
        _ => "LAZYFS_BIN is not set (scripts/powercut.sh builds LazyFS and sets it)",
    };
    if std::env::var("POWERCUT_REQUIRED").as_deref() == Ok("1") {
        panic!("SKIPPED power-loss test: {reason}, and POWERCUT_REQUIRED=1 makes that a failure");
    }
    // A leading newline: libtest has already printed "test … ... " on this line.
    println!("\nSKIPPED power-loss test: {reason}");
    None
}

/// Every scenario on one LazyFS mount, each in fresh folders on it.
fn run_all(lazyfs: &Path, mode: Mode) -> Vec<Tally> {
    let started = Instant::now();
    let mount = Mount::start(lazyfs);
    let mut harness = Harness {
        mount,
        freezer: Freezer::start(),
        mode,
        folders: 0,
    };
    println!(
        "power-loss harness: LazyFS mounted at {} in {:.1} s; mode: {}",
        harness.mount.mnt.display(),
        started.elapsed().as_secs_f64(),
        mode.describe()
    );
    let scenarios: [(&str, Scenario); 5] = [
        ("a", single_saves),
        ("b", batches),
        ("c", restores),
        ("d", window_saves),
        ("e", syncs),
    ];
    // POWERCUT_ONLY=e (letters) runs only those scenarios, while working on one.
    let only = std::env::var("POWERCUT_ONLY").unwrap_or_default();
    let mut tallies = Vec::new();
    for (letter, scenario) in scenarios {
        if !only.is_empty() && !only.contains(letter) {
            continue;
        }
        let began = Instant::now();
        let mut tally = scenario(&mut harness);
        tally.seconds = began.elapsed().as_secs_f64();
        tally.name = format!("{letter}. {}", tally.name);
        println!("  {}", tally.line());
        tallies.push(tally);
    }
    println!(
        "power-loss harness ({}): all scenarios in {:.1} s",
        mode.prefix(),
        started.elapsed().as_secs_f64()
    );
    tallies
}

/// Print the figures and fail on any loss or failed reopen.
fn check(tallies: &[Tally], mode: Mode) {
    println!(
        "\npower-loss figures ({}):\n{:<40} {:>6} {:>6} {:>7} {:>9} {:>6}",
        mode.describe(),
        "scenario",
        "acked",
        "lost",
        "failed",
        "finished",
        "secs"
    );
    for tally in tallies {
        println!(
            "{:<40} {:>6} {:>6} {:>7} {:>9} {:>6.1}",
            tally.name,
            tally.acknowledged,
            tally.lost,
            tally.failed_reopens,
            tally.finished_before_freeze,
            tally.seconds
        );
        if tally.cuts > 0 {
            println!(
                "    reopens that missed a cycle: {} of {}; cycles missing after an earlier \
                 reopen had listed them: {}",
                tally.cuts_losing, tally.cuts, tally.lost_after_surviving
            );
        }
        for note in tally.notes.iter().take(6) {
            println!("    {note}");
        }
        if tally.notes.len() > 6 {
            println!("    … and {} more", tally.notes.len() - 6);
        }
    }
    println!(
        "(acked: acknowledged cycles, restores for c; lost: acknowledged cycles missing \
         after the reopen, restores that came back as neither the old nor the new set for c; \
         failed: reopens that could not open the data; finished: children that had already \
         exited when the freeze came)"
    );
    let lost: usize = tallies.iter().map(|t| t.lost).sum();
    let failed: usize = tallies.iter().map(|t| t.failed_reopens).sum();
    let what = match mode {
        Mode::PowerCut => "after a power cut",
        // The control never drops the cache, so a loss there is the harness's own fault.
        Mode::Control => "in the control run (no cache drop), so the harness itself is wrong",
    };
    assert!(
        lost == 0 && failed == 0,
        "{lost} acknowledged saves or restores lost and {failed} failed reopens {what}"
    );
}

/// The figures of one scenario.
#[derive(Default)]
struct Tally {
    name: String,
    acknowledged: usize,
    lost: usize,
    failed_reopens: usize,
    finished_before_freeze: usize,
    /// Cuts after which something newly went missing, of `cuts`.
    cuts: usize,
    cuts_losing: usize,
    /// Lost cycles that an earlier reopen had still listed.
    lost_after_surviving: usize,
    seconds: f64,
    /// What went wrong, one line each (shown under the figures).
    notes: Vec<String>,
}

impl Tally {
    fn named(name: &str) -> Tally {
        Tally {
            name: name.to_string(),
            ..Tally::default()
        }
    }

    fn line(&self) -> String {
        format!(
            "{}: acknowledged {}, lost {}, failed reopens {}, finished before the freeze {}",
            self.name,
            self.acknowledged,
            self.lost,
            self.failed_reopens,
            self.finished_before_freeze
        )
    }
}

/// The mount, the freezer and the data folders handed out so far.
struct Harness {
    mount: Mount,
    freezer: Freezer,
    mode: Mode,
    folders: usize,
}

/// What a child printed up to its acknowledgement, and whether it had already exited
/// when the freeze came (then the cut was not at the worst moment, only after it).
struct Acked {
    lines: Vec<String>,
    finished_first: bool,
}

/// A data folder that keeps its cycles across cuts, as a person's folder does.
struct Folder {
    dir: PathBuf,
    acked: Vec<String>,
    /// Acknowledged cycles that some reopen listed: losing one of these later means a
    /// cut damaged data that had already survived one.
    seen: BTreeSet<String>,
    lost: BTreeSet<String>,
}

impl Folder {
    fn new(dir: PathBuf) -> Folder {
        Folder {
            dir,
            acked: Vec::new(),
            seen: BTreeSet::new(),
            lost: BTreeSet::new(),
        }
    }
}

impl Harness {
    /// A new, empty data folder on the mount.
    fn fresh_folder(&mut self, name: &str) -> PathBuf {
        self.folders += 1;
        let dir = self
            .mount
            .mnt
            .join(format!("{}-{name}-{}", self.mode.prefix(), self.folders));
        std::fs::create_dir(&dir).expect("a data folder on the LazyFS mount");
        dir
    }

    /// The primitive: run `command` with `input` on stdin until `acknowledged` holds for
    /// the stdout lines read so far, freeze it, drop the cache (unless this is the
    /// control), and kill it. An error says how the child ended without acknowledging.
    fn cut_at_ack(
        &mut self,
        command: Command,
        input: &str,
        acknowledged: impl Fn(&[String]) -> bool,
    ) -> Result<Acked, String> {
        let mut child = Running::spawn(command, input);
        let deadline = Instant::now() + CHILD_TIMEOUT;
        let mut lines = Vec::new();
        while !acknowledged(&lines) {
            let left = deadline.saturating_duration_since(Instant::now());
            match child.stdout.recv_timeout(left) {
                Ok(line) => lines.push(line),
                Err(RecvTimeoutError::Disconnected) => {
                    let (status, stderr) = child.finish();
                    return Err(format!(
                        "ended ({status}) without acknowledging: {}",
                        first_line(&stderr)
                    ));
                }
                Err(RecvTimeoutError::Timeout) => {
                    let (_, stderr) = child.finish();
                    return Err(format!(
                        "no acknowledgement within {} s: {}",
                        CHILD_TIMEOUT.as_secs(),
                        first_line(&stderr)
                    ));
                }
            }
        }
        // Freeze first: whatever the child would do after acknowledging (close files,
        // let sled's flusher run) must not happen before the cut.
        self.freezer.freeze(child.pid());
        if self.mode == Mode::PowerCut {
            self.mount.drop_cache();
        }
        let status = self.end_cut_child(&mut child);
        // SIGKILL on a frozen child ends it by signal 9; an exit code means it had
        // already finished by the time the freeze arrived.
        Ok(Acked {
            lines,
            finished_first: status.signal() != Some(9),
        })
    }

    /// Run `command` for `delay`, then freeze it wherever it is, drop the cache (unless
    /// this is the control) and kill it: a power cut at an arbitrary moment of its work.
    /// Returns whether it had already finished.
    fn cut_after(&mut self, command: Command, delay: Duration) -> bool {
        let mut child = Running::spawn(command, "");
        std::thread::sleep(delay);
        self.freezer.freeze(child.pid());
        if self.mode == Mode::PowerCut {
            self.mount.drop_cache();
        }
        self.end_cut_child(&mut child).signal() != Some(9)
    }

    /// Kill the frozen child and reap it. If it does not end, it is stuck in a call
    /// LazyFS will never answer: LazyFS is restarted on the same backing folder, which
    /// fails that call so the child can end. The cut stands: the backing folder holds
    /// what was fsync'd, as after the cache drop, and the next reopen reads it.
    fn end_cut_child(&mut self, child: &mut Running) -> ExitStatus {
        if let Some((status, _)) = child.end_within(STUCK_WAIT) {
            return status;
        }
        println!(
            "    (a killed child was stuck in LazyFS for {} s; LazyFS restarted on the same \
             backing folder)",
            STUCK_WAIT.as_secs()
        );
        self.mount.restart();
        child.finish().0
    }

    /// Open the data in `dir` as the next start would, and return the ids it lists.
    fn reopen(&self, dir: &Path) -> Result<BTreeSet<String>, String> {
        let mut command = rebound(dir);
        command.args(["list", "--json", "--limit", "1000000"]);
        let (status, stdout, stderr) = run_to_end(command, "");
        if !status.success() {
            return Err(format!("list failed ({status}): {}", first_line(&stderr)));
        }
        listed_ids(&stdout).map_err(|e| format!("list printed no cycle list: {e}"))
    }

    /// Run a command on data that is not under test (setup), to its end.
    fn setup(&self, command: Command, input: &str) -> String {
        let (status, stdout, stderr) = run_to_end(command, input);
        assert!(status.success(), "setup step failed ({status}): {stderr}");
        stdout
    }

    /// Reopen `folder` and count every acknowledged cycle it no longer lists. A folder
    /// that cannot be opened loses all of them, and the scenario goes on in a new one.
    fn check_folder(&mut self, folder: &mut Folder, tally: &mut Tally) {
        tally.cuts += 1;
        match self.reopen(&folder.dir) {
            Ok(listed) => {
                let mut lost_now = 0;
                for id in &folder.acked {
                    if listed.contains(id) {
                        folder.seen.insert(id.clone());
                    } else if folder.lost.insert(id.clone()) {
                        lost_now += 1;
                        tally.lost_after_surviving += usize::from(folder.seen.contains(id));
                    }
                }
                tally.lost += lost_now;
                tally.cuts_losing += usize::from(lost_now > 0);
            }
            Err(e) => self.give_up_folder(folder, tally, e),
        }
    }

    /// Count `folder` as unopenable (`why`) and carry on in a fresh one.
    fn give_up_folder(&mut self, folder: &mut Folder, tally: &mut Tally, why: String) {
        tally.failed_reopens += 1;
        tally.lost += folder.acked.len() - folder.lost.len();
        tally.notes.push(format!("{}: {why}", folder.dir.display()));
        let name = folder
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        *folder = Folder::new(self.fresh_folder(&format!("{name}-again")));
    }

    /// Scenarios (a) and (b): `runs` runs of `rebound log`, each with `per_run` cycles
    /// (`--jsonl` when more than one), a cut at each acknowledgement, and a cumulative
    /// check after each cut.
    fn log_runs(&mut self, name: &str, runs: usize, per_run: usize) -> Tally {
        let mut tally = Tally::named(name);
        let mut folder =
            Folder::new(self.fresh_folder(if per_run == 1 { "single" } else { "batch" }));
        for run in 0..runs {
            let mut command = rebound(&folder.dir);
            command.arg("log");
            if per_run > 1 {
                command.arg("--jsonl");
            }
            let input = drafts("client pitches", &format!("Pitch {run}"), per_run);
            let acked = self.cut_at_ack(command, &input, |lines| ids(lines).len() >= per_run);
            match acked {
                Ok(acked) => {
                    let new = ids(&acked.lines);
                    tally.acknowledged += new.len();
                    tally.finished_before_freeze += usize::from(acked.finished_first);
                    folder.acked.extend(new);
                }
                Err(e) => {
                    // The data could not even be opened for the next save.
                    self.give_up_folder(&mut folder, &mut tally, format!("log {e}"));
                    continue;
                }
            }
            self.check_folder(&mut folder, &mut tally);
        }
        tally
    }
}

/// Scenario (a): single saves with `rebound log`.
fn single_saves(harness: &mut Harness) -> Tally {
    harness.log_runs("log, one cycle per run", SINGLE_SAVES, 1)
}

/// Scenario (b): batches with `rebound log --jsonl`.
fn batches(harness: &mut Harness) -> Tally {
    harness.log_runs(
        &format!("log --jsonl, {BATCH_SIZE} cycles per run"),
        BATCHES,
        BATCH_SIZE,
    )
}

/// Scenario (c): `import --replace` of a backup with other cycles into a folder whose
/// cycles were made durable first. After the cut the folder must list exactly the old
/// cycles or exactly the backup's: a mix, or nothing, is a lost restore.
fn restores(harness: &mut Harness) -> Tally {
    let mut tally = Tally::named("import --replace (counts restores)");
    // The backups are made off the mount: only the restore itself is under test.
    let sources = tempfile::Builder::new()
        .prefix("rebound-powercut-backups-")
        .tempdir()
        .expect("a temporary folder for the backups");
    let (mut kept_old, mut got_new, mut torn) = (0, 0, 0);
    for round in 0..RESTORES {
        // Different sizes each round, so the new database is not always the same shape.
        let (old_count, new_count) = (3 + 7 * round % 17, 2 + 11 * round % 23);
        let dir = harness.fresh_folder("restore");
        let old: BTreeSet<String> = {
            let mut command = rebound(&dir);
            command.args(["log", "--jsonl"]);
            let input = drafts("running", &format!("Old run {round}"), old_count);
            lines(&harness.setup(command, &input)).into_iter().collect()
        };
        // The old cycles must be on disk before the restore starts, whether or not
        // `rebound log` made them durable: fsync every file the folder has.
        make_durable(&dir);
        let backup = sources.path().join(format!("backup-{round}.json"));
        let new: BTreeSet<String> = {
            let source = sources.path().join(format!("source-{round}"));
            let mut command = rebound(&source);
            command.args(["log", "--jsonl"]);
            let input = drafts("client pitches", &format!("New pitch {round}"), new_count);
            let ids = lines(&harness.setup(command, &input)).into_iter().collect();
            let mut command = rebound(&source);
            command.args(["export", "--plain", "--out"]).arg(&backup);
            harness.setup(command, "");
            ids
        };
        let mut command = rebound(&dir);
        command.arg("import").arg(&backup).arg("--replace");
        let acked = harness.cut_at_ack(command, "", |lines| {
            lines.iter().any(|line| line.starts_with("Restored"))
        });
        match acked {
            Ok(acked) => {
                tally.acknowledged += 1;
                tally.finished_before_freeze += usize::from(acked.finished_first);
            }
            Err(e) => {
                tally.failed_reopens += 1;
                tally.notes.push(format!("import {e}"));
                continue;
            }
        }
        match harness.reopen(&dir) {
            Ok(listed) if listed == new => got_new += 1,
            Ok(listed) if listed == old => kept_old += 1,
            Ok(listed) => {
                torn += 1;
                tally.lost += 1;
                tally.notes.push(format!(
                    "round {round}: {} listed, not the old {old_count} nor the new {new_count} \
                     ({} old, {} new among them)",
                    listed.len(),
                    listed.intersection(&old).count(),
                    listed.intersection(&new).count()
                ));
            }
            Err(e) => {
                tally.failed_reopens += 1;
                tally.notes.push(format!("round {round}: {e}"));
            }
        }
    }
    tally.notes.insert(
        0,
        format!(
            "after the cut: the backup's cycles {got_new}, the old ones {kept_old}, neither {torn}"
        ),
    );
    tally
}

/// Scenario (d): saves the way the window makes them, through `ops::log_cycle` on a
/// store held open, by this test binary run again as a child; cut after its last save.
fn window_saves(harness: &mut Harness) -> Tally {
    let mut tally = Tally::named("window-like saves (ops::log_cycle)");
    let exe = std::env::current_exe().expect("the path of this test binary");
    let mut folder = Folder::new(harness.fresh_folder("window"));
    for run in 0..WINDOW_RUNS {
        let saves = 1 + run % 4;
        let mut command = Command::new(&exe);
        command
            .args([
                "powercut_window_child_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, "window")
            .env(CHILD_DIR_ENV, &folder.dir)
            .env(CHILD_SAVES_ENV, saves.to_string());
        match harness.cut_at_ack(command, "", |lines| child_acks(lines).len() >= saves) {
            Ok(acked) => {
                let new = child_acks(&acked.lines);
                tally.acknowledged += new.len();
                tally.finished_before_freeze += usize::from(acked.finished_first);
                folder.acked.extend(new);
            }
            Err(e) => {
                harness.give_up_folder(&mut folder, &mut tally, format!("window {e}"));
                continue;
            }
        }
        harness.check_folder(&mut folder, &mut tally);
    }
    tally
}

/// Scenario (e): two data folders and their sync folder on the mount. Each round logs a
/// cycle on one of them (acknowledged), then runs `rebound sync` there and cuts it:
/// at a random moment of the sync, or at its acknowledgement (the report it prints),
/// each folder getting both in turn. After an acknowledged sync, every cycle it said it brought
/// in must still be there. At the end both sync with nothing cut, twice round: every
/// acknowledged cycle must be on both, and the two must list the same cycles.
fn syncs(harness: &mut Harness) -> Tally {
    let mut tally = Tally::named("sync between two folders (counts cycles)");
    let dirs = [
        harness.fresh_folder("sync-a"),
        harness.fresh_folder("sync-b"),
    ];
    let folder = harness.fresh_folder("sync-folder");
    let sync = |dir: &Path| {
        let mut command = rebound(dir);
        command
            .args(["sync", "--folder"])
            .arg(&folder)
            .env("REBOUND_PASSPHRASE", SYNC_PASSPHRASE);
        command
    };
    let mut acked: Vec<String> = Vec::new();
    for dir in &dirs {
        let mut command = rebound(dir);
        command.arg("log");
        acked.extend(lines(
            &harness.setup(command, &drafts("syncing", "Before syncing", 1)),
        ));
        harness.setup(sync(dir), "");
    }
    // How long a sync takes here, to spread the cuts over a whole one.
    let started = Instant::now();
    harness.setup(sync(&dirs[0]), "");
    let window = (started.elapsed().as_micros() as u64 * 12 / 10).max(1);
    for dir in &dirs {
        make_durable(dir);
    }
    make_durable(&folder);
    let mut seed: u64 = 0x5eed_5eed;
    let (mut mid_sync, mut brought_in) = (0, 0);
    for round in 0..SYNC_RUNS {
        let dir = &dirs[round % 2];
        let mut command = rebound(dir);
        command.arg("log");
        let input = drafts("syncing", &format!("Round {round}"), 1);
        match harness.cut_at_ack(command, &input, |lines| !ids(lines).is_empty()) {
            Ok(done) => {
                tally.acknowledged += 1;
                tally.finished_before_freeze += usize::from(done.finished_first);
                acked.extend(ids(&done.lines));
            }
            Err(e) => {
                tally.failed_reopens += 1;
                tally.notes.push(format!("round {round}: log {e}"));
                continue;
            }
        }
        let before = harness.reopen(dir).map(|l| l.len()).unwrap_or(0);
        // Each folder gets both kinds of cut, in turn.
        if (round / 2) % 2 == 0 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let finished = harness.cut_after(sync(dir), Duration::from_micros(seed % window));
            tally.finished_before_freeze += usize::from(finished);
            mid_sync += usize::from(!finished);
        } else {
            match harness.cut_at_ack(sync(dir), "", |lines| {
                lines.iter().any(|l| l.contains("sync folder:"))
            }) {
                Ok(done) => {
                    // What the acknowledged sync brought in must have survived the cut.
                    let brought: usize = done
                        .lines
                        .iter()
                        .filter(|l| l.trim_start().starts_with("received"))
                        .filter_map(|l| l.split(": ").nth(1))
                        .filter_map(|kinds| {
                            kinds
                                .split(", ")
                                .find(|k| k.contains("new cycle"))
                                .and_then(|k| k.split(' ').next()?.parse::<usize>().ok())
                        })
                        .sum();
                    brought_in += usize::from(brought > 0);
                    match harness.reopen(dir) {
                        Ok(listed) if listed.len() >= before + brought => {}
                        Ok(listed) => {
                            tally.lost += before + brought - listed.len();
                            tally.notes.push(format!(
                                "round {round}: an acknowledged sync brought in {brought}, but \
                                 {} of {} are listed after the cut",
                                listed.len(),
                                before + brought
                            ));
                        }
                        Err(e) => {
                            tally.failed_reopens += 1;
                            tally.notes.push(format!("round {round}: {e}"));
                        }
                    }
                }
                Err(e) => tally.notes.push(format!("round {round}: sync {e}")),
            }
        }
        if let Err(e) = harness.reopen(dir) {
            tally.failed_reopens += 1;
            tally
                .notes
                .push(format!("round {round}: after the cut, {e}"));
        }
    }
    // Nothing cut: both sync twice round, and must then hold every acknowledged cycle.
    for _ in 0..2 {
        for dir in &dirs {
            let (status, _, stderr) = run_to_end(sync(dir), "");
            if !status.success() {
                tally.failed_reopens += 1;
                tally.notes.push(format!(
                    "a sync after the cuts failed: {}",
                    first_line(&stderr)
                ));
            }
        }
    }
    let listed: Vec<BTreeSet<String>> = dirs
        .iter()
        .map(|d| harness.reopen(d).unwrap_or_default())
        .collect();
    for id in &acked {
        for (n, held) in listed.iter().enumerate() {
            if !held.contains(id) {
                tally.lost += 1;
                tally
                    .notes
                    .push(format!("{id} is missing from folder {}", ["a", "b"][n]));
            }
        }
    }
    if listed[0] != listed[1] {
        tally.notes.push(format!(
            "the two folders differ: {} and {} cycles",
            listed[0].len(),
            listed[1].len()
        ));
        tally.lost += listed[0].symmetric_difference(&listed[1]).count();
    }
    tally.notes.insert(
        0,
        format!(
            "{} cycles acknowledged; of {SYNC_RUNS} syncs, {mid_sync} cut mid-way and {} at their \
             acknowledgement ({brought_in} of those had brought cycles in); both folders list {} \
             after syncing again",
            acked.len(),
            SYNC_RUNS / 2,
            listed[0].len()
        ),
    );
    tally
}

/// `rebound --data-dir DIR`, with nothing from the environment choosing another
/// folder or a passphrase.
fn rebound(dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--data-dir")
        .arg(dir)
        .env_remove("REBOUND_DATA_DIR")
        .env_remove("REBOUND_PASSPHRASE");
    command
}

/// A valid draft in `area`.
fn draft(area: &str, attempt: &str) -> Value {
    json!({
        "area": area,
        "attempt": attempt,
        "outcome": "failure",
        "difficulty": 6,
        "stakes": 3,
        "effort": 4,
        "safety": 3,
    })
}

/// `count` drafts, one JSON object per line.
fn drafts(area: &str, attempt: &str, count: usize) -> String {
    (0..count)
        .map(|i| format!("{}\n", draft(area, &format!("{attempt}, cycle {i}"))))
        .collect()
}

/// The non-empty lines of `text`, trimmed.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The ids among `rebound log`'s output lines.
fn ids(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The ids the window-like child reported, wherever libtest put them on a line.
fn child_acks(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.split_once(CHILD_ACK).map(|(_, id)| id.trim().to_string()))
        .collect()
}

/// The ids in `rebound list --json` output.
fn listed_ids(json: &str) -> Result<BTreeSet<String>, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let cycles = value.as_array().ok_or("not a JSON array")?;
    cycles
        .iter()
        .map(|c| {
            c["id"]
                .as_str()
                .map(String::from)
                .ok_or_else(|| format!("a cycle without an id: {c}"))
        })
        .collect()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("(nothing on stderr)")
}

/// fsync every file under `dir`, so that what is there survives the next cut.
fn make_durable(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("the data folder lists") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            make_durable(&path);
        } else {
            File::open(&path)
                .and_then(|f| f.sync_all())
                .unwrap_or_else(|e| panic!("could not fsync {}: {e}", path.display()));
        }
    }
}

/// Run `command` with `input` to its end; its status, stdout and stderr.
fn run_to_end(command: Command, input: &str) -> (ExitStatus, String, String) {
    let mut child = Running::spawn(command, input);
    let deadline = Instant::now() + CHILD_TIMEOUT;
    let mut stdout = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match child.stdout.recv_timeout(left) {
            Ok(line) => {
                stdout.push_str(&line);
                stdout.push('\n');
            }
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                panic!(
                    "a child did not finish within {} s",
                    CHILD_TIMEOUT.as_secs()
                )
            }
        }
    }
    let (status, stderr) = child.finish();
    (status, stdout, stderr)
}

/// A child process whose stdout lines arrive on a channel (so reading can time out)
/// and whose stderr is collected. Killed when dropped, so no child outlives a failed
/// test on the mount (which would keep it busy).
struct Running {
    child: Child,
    stdout: Receiver<String>,
    stderr: Option<JoinHandle<String>>,
}

impl Running {
    fn spawn(mut command: Command, input: &str) -> Running {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {command:?}: {e}"));
        let stdin = child.stdin.take().expect("a piped stdin");
        let stdout = child.stdout.take().expect("a piped stdout");
        let mut stderr = child.stderr.take().expect("a piped stderr");
        feed(stdin, input);
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        Running {
            child,
            stdout: receiver,
            stderr: Some(stderr),
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kill the child and reap it if it ends within `wait`; None if it is still there.
    fn end_within(&mut self, wait: Duration) -> Option<(ExitStatus, String)> {
        let _ = self.child.kill();
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Some(self.finish());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Kill the child (if it still runs), reap it and return its status and stderr.
    fn finish(&mut self) -> (ExitStatus, String) {
        // An error here only means it had already exited; `wait` tells how.
        let _ = self.child.kill();
        let status = self.child.wait().expect("a child can be waited for");
        let stderr = self
            .stderr
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        (status, stderr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Never wait for good: a child stuck in LazyFS (see STUCK_WAIT) ends once the
        // mount goes, which happens after this, as the failed test unwinds.
        let _ = self.end_within(STUCK_WAIT);
    }
}

/// Write `input` to a child's stdin and close it. The CLI reads all of its input before
/// it opens the data, so this cannot block on a child that is waiting for us.
fn feed(mut stdin: ChildStdin, input: &str) {
    // A child that fails early closes its stdin; its exit status tells that story.
    let _ = stdin.write_all(input.as_bytes());
}

/// Sends SIGSTOP with a shell's builtin `kill`, through a shell kept running.
///
/// Why a shell: std can only SIGKILL a child, unsafe code is forbidden here and no
/// signal crate is a dependency. Running `/bin/kill` each time would cost a fork and
/// exec (about a millisecond), during which the child runs on past its
/// acknowledgement; a shell already waiting on a pipe sends the signal within
/// microseconds.
struct Freezer {
    shell: Child,
    commands: ChildStdin,
    replies: BufReader<ChildStdout>,
}

impl Freezer {
    fn start() -> Freezer {
        let mut shell = Command::new("sh")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("sh runs, to send SIGSTOP");
        let commands = shell.stdin.take().expect("the shell's piped stdin");
        let replies = BufReader::new(shell.stdout.take().expect("the shell's piped stdout"));
        Freezer {
            shell,
            commands,
            replies,
        }
    }

    /// SIGSTOP `pid` and wait until the signal has been sent. The child has not been
    /// reaped yet, so its pid cannot belong to another process, even if it exited.
    fn freeze(&mut self, pid: u32) {
        let command = format!("kill -s STOP {pid} && echo frozen || echo missed\n");
        self.commands
            .write_all(command.as_bytes())
            .expect("the freezing shell takes a command");
        let mut reply = String::new();
        self.replies
            .read_line(&mut reply)
            .expect("the freezing shell replies");
        assert_eq!(reply.trim(), "frozen", "SIGSTOP to {pid} failed");
    }
}

impl Drop for Freezer {
    fn drop(&mut self) {
        let _ = self.shell.kill();
        let _ = self.shell.wait();
    }
}

/// A LazyFS mount on a fresh temporary folder, unmounted when dropped (even while a
/// failed test unwinds).
struct Mount {
    mnt: PathBuf,
    /// The LazyFS program, for a restart.
    lazyfs: PathBuf,
    process: Child,
    /// The fault fifo, where `lazyfs::clear-cache` goes.
    faults: File,
    /// Lines LazyFS writes to the completion fifo, read by a thread.
    done: Receiver<String>,
    log: PathBuf,
    /// Last, so it is removed only after the unmount in `drop`.
    root: TempDir,
}

impl Mount {
    fn start(lazyfs: &Path) -> Mount {
        let root = tempfile::Builder::new()
            .prefix("rebound-powercut-")
            .tempdir()
            .expect("a temporary folder for the LazyFS mount");
        let at = |name: &str| root.path().join(name);
        let (mnt, backing) = (at("mnt"), at("backing"));
        let (faults_fifo, done_fifo) = (at("faults.fifo"), at("done.fifo"));
        let (config, log) = (at("lazyfs.toml"), at("lazyfs.log"));
        for dir in [&mnt, &backing] {
            std::fs::create_dir(dir).expect("the mount and backing folders");
        }
        // Made here rather than by LazyFS, so they exist before either side opens them.
        let made = Command::new("mkfifo")
            .arg(&faults_fifo)
            .arg(&done_fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success(), "mkfifo failed: {made}");
        let quoted = |p: &Path| {
            let text = p.display().to_string();
            assert!(
                !text.contains(['"', '\\']),
                "a path LazyFS's TOML config cannot hold: {text}"
            );
            format!("\"{text}\"")
        };
        // No eviction: every unsynced write stays in LazyFS's cache until a drop. 1 GB
        // holds far more than these runs write between two drops (or in the control).
        let toml = format!(
            "[faults]\nfifo_path={}\nfifo_path_completed={}\n\
             [cache]\napply_eviction=false\n\
             [cache.simple]\ncustom_size=\"1gb\"\nblocks_per_page=1\n\
             [filesystem]\nlog_all_operations=false\nlogfile={}\n",
            quoted(&faults_fifo),
            quoted(&done_fifo),
            quoted(&log)
        );
        std::fs::write(&config, toml).expect("the LazyFS config is written");
        let process = spawn_lazyfs(lazyfs, root.path());
        let done = completions(done_fifo);
        // Read and write: on Linux opening a fifo so never blocks, even before LazyFS
        // has its end open; the command waits in the pipe until LazyFS reads it.
        let faults = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&faults_fifo)
            .expect("the LazyFS fault fifo opens");
        let mut mount = Mount {
            mnt,
            lazyfs: lazyfs.to_path_buf(),
            process,
            faults,
            done,
            log,
            root,
        };
        mount.wait_until_mounted();
        mount
    }

    /// Stop LazyFS (every call it had not answered fails), unmount, and start it again
    /// on the same backing folder, config and fifos.
    fn restart(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        unmount(&self.mnt);
        self.process = spawn_lazyfs(&self.lazyfs, self.root.path());
        self.done = completions(self.root.path().join("done.fifo"));
        self.wait_until_mounted();
    }

    fn wait_until_mounted(&mut self) {
        let deadline = Instant::now() + LAZYFS_TIMEOUT;
        loop {
            let mounted = Command::new("mountpoint")
                .arg("-q")
                .arg(&self.mnt)
                .status()
                .expect("mountpoint runs");
            if mounted.success() {
                return;
            }
            if let Ok(Some(status)) = self.process.try_wait() {
                panic!(
                    "LazyFS exited ({status}) before mounting:\n{}",
                    self.output()
                );
            }
            assert!(
                Instant::now() < deadline,
                "LazyFS did not mount within {} s:\n{}",
                LAZYFS_TIMEOUT.as_secs(),
                self.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The power cut: LazyFS drops every write not yet fsync'd. Returns once LazyFS
    /// reports the drop finished, so the reopen never reads a half-dropped cache.
    fn drop_cache(&self) {
        // One write, ending in the newline LazyFS cuts off before matching the command.
        (&self.faults)
            .write_all(b"lazyfs::clear-cache\n")
            .expect("the fault fifo takes the command");
        match self.done.recv_timeout(LAZYFS_TIMEOUT) {
            Ok(line) if line.trim() == "finished::clear-cache" => {}
            Ok(other) => panic!("LazyFS answered {other:?} to clear-cache"),
            Err(e) => panic!(
                "LazyFS did not confirm the cache drop ({e}):\n{}",
                self.output()
            ),
        }
    }

    /// LazyFS's own output and log, for failure messages.
    fn output(&self) -> String {
        let read = |p: PathBuf| std::fs::read_to_string(p).unwrap_or_default();
        let out = read(self.root.path().join("lazyfs.out"));
        let log = read(self.log.clone());
        let tail = |t: &str| {
            let lines: Vec<&str> = t.lines().collect();
            lines[lines.len().saturating_sub(20)..].join("\n")
        };
        format!("{}\n{}", tail(&out), tail(&log))
    }
}

/// Start LazyFS in `root` (the mount's folder, with lazyfs.toml, mnt and backing in
/// it), its output appended to lazyfs.out.
fn spawn_lazyfs(lazyfs: &Path, root: &Path) -> Child {
    let output = OpenOptions::new()
        .create(true)
        .append(true)
        .open(root.join("lazyfs.out"))
        .expect("LazyFS's output file");
    // The config is named relative to LazyFS's working folder: LazyFS ignores a
    // --config-path containing "-o" in any case (it takes it for a FUSE option) and
    // falls back to config/default.toml, and a temporary folder's random name can hold
    // one. It also keeps only 10 arguments: these are 9.
    Command::new(lazyfs)
        .current_dir(root)
        .arg(root.join("mnt"))
        .arg("--config-path")
        .arg("lazyfs.toml")
        .args(["-o", "allow_other", "-o", "modules=subdir", "-o"])
        .arg(format!("subdir={}", root.join("backing").display()))
        .arg("-f")
        .stdin(Stdio::null())
        .stdout(output.try_clone().expect("LazyFS's output file, twice"))
        .stderr(output)
        .spawn()
        .unwrap_or_else(|e| panic!("could not start LazyFS {}: {e}", lazyfs.display()))
}

/// The lines LazyFS writes to its completion fifo, read by a thread. LazyFS opens the
/// fifo for writing once at start and keeps it; the thread sees every "finished::…"
/// line, and EOF when LazyFS exits.
fn completions(done_fifo: PathBuf) -> Receiver<String> {
    let (sender, done) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok(fifo) = File::open(&done_fifo) else {
            return;
        };
        for line in BufReader::new(fifo).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    done
}

/// Unmount `mnt`; lazily if something still holds it busy, so it never stays mounted.
fn unmount(mnt: &Path) {
    let run = |lazy: bool| {
        let mut command = Command::new("fusermount3");
        command.arg("-u");
        if lazy {
            command.arg("-z");
        }
        command
            .arg(mnt)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !run(false) {
        run(true);
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        unmount(&self.mnt);
        // LazyFS exits by itself once unmounted (aborting on its way out, which is its
        // own habit and harmless); kill it if it lingers.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.process.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
