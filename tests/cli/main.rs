//! The command line's tests (`cargo test -p rebound-cli`): the real `rebound` program,
//! its round trip, its errors, the lock, and the hand-over to the window's program. They
//! link the core and the command line only, never the window's stack.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Temporary folders, a fixed clock and sample drafts, shared with the other tests.
#[path = "../util.rs"]
mod util;

/// `rebound` with no command starts the window's program beside it.
mod window;

/// Nothing of the window in the command line's dependency tree.
mod layering;

/// Sync from the command line: two computers through one folder, edits, deletes, kills.
mod sync;

/// Every file Rebound writes is private; temporary files cannot be planted.
mod privacy;

/// A full disk: every command ends quickly with a clear message and loses nothing.
mod diskfull;

/// Power cuts at every acknowledgement, on LazyFS (scripts/powercut.sh runs it as root).
mod powercut;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use rebound_core::store::Store;
use serde_json::Value;

use crate::util::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_rebound");

/// Run `rebound --data-dir DIR ARGS`, feeding `stdin`.
fn rebound(dir: &Path, args: &[&str], stdin: &str) -> Output {
    rebound_with(dir, args, stdin, None)
}

/// The same, with REBOUND_PASSPHRASE set to `passphrase`.
fn rebound_with(dir: &Path, args: &[&str], stdin: &str, passphrase: Option<&str>) -> Output {
    let mut command = Command::new(BIN);
    command.env_remove("REBOUND_PASSPHRASE");
    if let Some(passphrase) = passphrase {
        command.env("REBOUND_PASSPHRASE", passphrase);
    }
    let mut child = command
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("REBOUND_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the rebound binary runs");
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    // A command may stop reading early (a line too long is refused there).
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Assert success and return stdout.
fn ok(output: Output) -> String {
    assert!(output.status.success(), "failed: {}", stderr(&output));
    stdout(&output)
}

/// Assert a clean failure: exit code 1 and one line on stderr; return that line.
fn fails(output: Output) -> String {
    assert_eq!(output.status.code(), Some(1), "stdout: {}", stdout(&output));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "one line, not: {err}");
    assert!(err.starts_with("rebound: "), "{err}");
    err
}

const THREE: &str = r#"{"area": "client pitches", "attempt": "Pitched above my rate", "attempted_on": "2026-11-02", "outcome": "failure", "difficulty": 7, "stakes": 3, "effort": 4, "safety": 3, "observation": "They went quiet at the pricing slide"}
{"area": "client pitches", "attempt": "Pitched again, result first", "attempted_on": "2026-11-09", "outcome": "success", "difficulty": 7, "stakes": 3, "effort": 5, "safety": 3}

{"area": "running", "attempt": "Hill 10k", "attempted_on": "2026-11-10", "outcome": "partial", "difficulty": 6, "stakes": 2, "effort": 4, "safety": 4, "stress": 3}
"#;

#[test]
fn log_list_export_import_into_a_new_folder_list_gives_identical_cycles() {
    let dir = temp_dir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let ids = ok(rebound(&a, &["log", "--jsonl"], THREE));
    assert_eq!(ids.lines().count(), 3);
    let single = r#"{"area": "running", "attempt": "Hill 10k again", "difficulty": 6, "stakes": 2, "effort": 4, "safety": 4}"#;
    assert_eq!(ok(rebound(&a, &["log"], single)).lines().count(), 1);

    let listed_a = ok(rebound(&a, &["list", "--json"], ""));
    let file = dir.path().join("backup.json");
    let wrote = ok(rebound(
        &a,
        &["export", "--plain", "--out", file.to_str().unwrap()],
        "",
    ));
    assert!(wrote.starts_with("wrote 4 cycles to "), "{wrote}");
    assert!(
        wrote.contains("anyone who can open the file can read it"),
        "{wrote}"
    );
    let imported = ok(rebound(&b, &["import", file.to_str().unwrap()], ""));
    assert!(
        imported.starts_with("Restored 4 cycles (backup from "),
        "{imported}"
    );
    let listed_b = ok(rebound(&b, &["list", "--json"], ""));

    let (va, vb): (Value, Value) = (
        serde_json::from_str(&listed_a).unwrap(),
        serde_json::from_str(&listed_b).unwrap(),
    );
    assert_eq!(va.as_array().unwrap().len(), 4);
    assert_eq!(va, vb, "every field of every cycle came back");
}

#[test]
fn list_and_show_read_like_a_journal() {
    let dir = temp_dir();
    let ids = ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    let first = ids.lines().next().unwrap();
    let table = ok(rebound(dir.path(), &["list", "--limit", "2"], ""));
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("ID"), "{table}");
    assert!(
        lines[1].contains("2026-11-10")
            && lines[1].contains("partial")
            && lines[1].contains("Hill 10k"),
        "{table}"
    );
    assert_eq!(
        lines.last().unwrap(),
        &"(2 of 3 cycles; --limit N shows more)"
    );

    let page = ok(rebound(
        dir.path(),
        &["show", &first[..first.len() - 4]],
        "",
    ));
    assert!(page.starts_with("Pitched above my rate\n"), "{page}");
    assert!(
        page.contains("Observation\n  They went quiet at the pricing slide"),
        "{page}"
    );
    let json: Value =
        serde_json::from_str(&ok(rebound(dir.path(), &["show", first, "--json"], ""))).unwrap();
    assert_eq!(json["id"], first);
    assert_eq!(json["outcome"], "failure");
}

#[test]
fn an_empty_database_says_what_to_do_first() {
    let dir = temp_dir();
    let text = ok(rebound(dir.path(), &["list"], ""));
    assert!(text.starts_with("No cycles yet."), "{text}");
    let svg = dir.path().join("e.svg");
    let said = ok(rebound(
        dir.path(),
        &["chart", "evidence", "--out", svg.to_str().unwrap()],
        "",
    ));
    assert!(said.contains("No evidence yet"), "{said}");
    assert!(roxmltree::Document::parse(&std::fs::read_to_string(svg).unwrap()).is_ok());
}

#[test]
fn the_evidence_chart_is_written_as_svg() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    let svg = dir.path().join("evidence.svg");
    let said = ok(rebound(
        dir.path(),
        &[
            "chart",
            "evidence",
            "--out",
            svg.to_str().unwrap(),
            "--theme",
            "dark",
        ],
        "",
    ));
    assert!(
        said.contains("1 failure followed by another attempt, in 1 area."),
        "{said}"
    );
    let text = std::fs::read_to_string(svg).unwrap();
    assert!(text.contains("Evidence of recovery"));
    assert!(roxmltree::Document::parse(&text).is_ok());
}

#[test]
fn bad_input_gets_one_clear_line_and_changes_nothing() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    let before = ok(rebound(dir.path(), &["list", "--json"], ""));

    let err = fails(rebound(
        dir.path(),
        &["log"],
        r#"{"area": "a", "attempt": "b", "difficulty": 12, "stakes": 3, "effort": 4, "safety": 3}"#,
    ));
    assert!(
        err.contains("difficulty must be a whole number from 1 to 10 (got 12)"),
        "{err}"
    );
    let err = fails(rebound(dir.path(), &["log"], "not json"));
    assert!(err.contains("not valid JSON"), "{err}");
    let err = fails(rebound(dir.path(), &["log"], ""));
    assert!(err.contains("pipe one JSON object"), "{err}");
    let err = fails(rebound(
        dir.path(),
        &["log"],
        r#"{"area": "a", "atempt": "b"}"#,
    ));
    assert!(err.contains("\"atempt\""), "{err}");
    let err = fails(rebound(
        dir.path(),
        &["log", "--jsonl"],
        &format!("{THREE}{{\"area\": \"x\"}}\n"),
    ));
    assert!(err.contains("line 5: attempt is required"), "{err}");
    let err = fails(rebound(dir.path(), &["show", "nope"], ""));
    assert!(err.contains("is not a cycle id"), "{err}");
    let err = fails(rebound(dir.path(), &["show", "0123456789ab"], ""));
    assert!(err.contains("no cycle has the id"), "{err}");
    let err = fails(rebound(dir.path(), &["import", "/no/such/backup.json"], ""));
    assert!(err.contains("could not open /no/such/backup.json"), "{err}");
    let junk = dir.path().join("junk.json");
    std::fs::write(
        &junk,
        "{\"format\": \"rebound-backup\", \"format_version\": 9}",
    )
    .unwrap();
    let err = fails(rebound(dir.path(), &["import", junk.to_str().unwrap()], ""));
    assert!(
        err.contains("update Rebound to restore this backup"),
        "{err}"
    );
    let err = fails(rebound(
        dir.path(),
        &["export", "--plain", "--out", dir.path().to_str().unwrap()],
        "",
    ));
    assert!(err.contains("is a folder"), "{err}");

    assert_eq!(ok(rebound(dir.path(), &["list", "--json"], "")), before);
}

#[test]
fn usage_mistakes_exit_2_with_help_nearby() {
    let dir = temp_dir();
    for args in [
        &["list", "--limit", "0"][..],
        &["frobnicate"],
        &["chart", "sparkles", "--out", "x.svg"],
        &["export"],
    ] {
        let output = rebound(dir.path(), args, "");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains("--help") || stderr(&output).contains("Usage"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn every_command_has_help() {
    let dir = temp_dir();
    for command in [
        "log", "list", "show", "export", "import", "chart", "stats", "demo", "edit", "delete",
        "sync",
    ] {
        let help = ok(rebound(dir.path(), &[command, "--help"], ""));
        assert!(help.contains("Usage: rebound"), "{command}: {help}");
    }
    assert!(ok(rebound(dir.path(), &["--help"], ""))
        .contains("With no command, opens the Rebound window"));
}

#[test]
fn a_database_held_by_the_window_gives_already_open() {
    let dir = temp_dir();
    let held = Store::open(dir.path()).unwrap(); // as the open window holds it
    let err = fails(rebound(dir.path(), &["list"], ""));
    assert!(err.contains("already open"), "{err}");
    let err = fails(rebound(
        dir.path(),
        &["log"],
        r#"{"area": "a", "attempt": "b", "difficulty": 1, "stakes": 1, "effort": 1, "safety": 1}"#,
    ));
    assert!(err.contains("already open"), "{err}");
    assert_eq!(held.count().unwrap(), 0);
}

#[test]
fn a_data_folder_that_is_a_file_is_refused_and_the_file_left_alone() {
    let dir = temp_dir();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "my notes\n").unwrap();
    for data in [file.clone(), file.join("rebound")] {
        let err = fails(rebound(&data, &["list"], ""));
        assert!(
            err.contains(&format!("{} is a file, not a folder", file.display())),
            "{err}"
        );
        assert!(err.contains("--data-dir"), "{err}");
        let err = fails(rebound(
            &data,
            &["log"],
            r#"{"area": "a", "attempt": "b", "difficulty": 1, "stakes": 1, "effort": 1, "safety": 1}"#,
        ));
        assert!(err.contains("is a file, not a folder"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my notes\n");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing made beside it"
    );
}

#[test]
fn the_data_folder_also_comes_from_rebound_data_dir() {
    let dir = temp_dir();
    let output = Command::new(BIN)
        .args(["list", "--json"])
        .env("REBOUND_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(ok(output).trim(), "[]");
    assert!(
        dir.path().join("db").is_dir(),
        "the database was created where asked"
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `rebound list | head -0`
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

/// Kill `rebound log` with SIGKILL at scattered moments, many times: the database must
/// open after every kill, and every cycle whose id was printed (saved and flushed) must
/// be there.
#[cfg(unix)]
#[test]
fn a_log_killed_at_any_moment_never_loses_an_acknowledged_cycle() {
    use std::os::unix::process::ExitStatusExt;
    const KILLS: usize = 100;
    let dir = temp_dir();
    let mut acknowledged = Vec::new();
    let mut seed: u64 = 0x5eed_cafe;
    let mut killed = 0;
    // Spread the kills over a whole run, however fast this machine is today.
    let calm = r#"{"area": "a", "attempt": "a calm try", "difficulty": 5, "stakes": 2, "effort": 4, "safety": 3}"#;
    let run =
        time_runs(|| acknowledged.push(ok(rebound(dir.path(), &["log"], calm)).trim().to_string()));
    let window = (run.as_micros() as u64 * 13 / 10).max(1);
    for n in 0..KILLS {
        // xorshift: a repeatable spread of delays over a whole run.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % window);
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(dir.path())
            .arg("log")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let cycle = format!(
            r#"{{"area": "a", "attempt": "try {n}", "difficulty": 5, "stakes": 2, "effort": 4, "safety": 3}}"#
        );
        child
            .stdin
            .take()
            .unwrap()
            .write_all(cycle.as_bytes())
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        killed += usize::from(output.status.signal() == Some(9));
        let id = stdout(&output).trim().to_string();
        if !id.is_empty() {
            acknowledged.push(id);
        } else if output.status.signal().is_none() {
            panic!("rebound log failed after a kill: {}", stderr(&output));
        }
    }
    // And after all that, a run left alone saves normally.
    let last = r#"{"area": "a", "attempt": "the last try", "difficulty": 5, "stakes": 2, "effort": 4, "safety": 3}"#;
    acknowledged.push(ok(rebound(dir.path(), &["log"], last)).trim().to_string());
    let store = Store::open(dir.path()).expect("the database opens after the kills");
    for id in &acknowledged {
        assert!(store.find(id).is_ok(), "acknowledged cycle {id} was lost");
    }
    println!(
        "{killed} of {KILLS} runs killed mid-way (a run takes about {run:?}); {} acknowledged, all kept",
        acknowledged.len()
    );
    assert!(
        killed >= KILLS / 4,
        "too few runs were killed ({killed}) to test anything"
    );
}

#[test]
fn an_encrypted_export_restores_only_with_its_passphrase() {
    let dir = temp_dir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    ok(rebound(&a, &["log", "--jsonl"], THREE));
    let file = dir.path().join("backup.json.age");
    let out = file.to_str().unwrap();
    let err = fails(rebound(&a, &["export", "--out", out], ""));
    assert!(
        err.contains("set REBOUND_PASSPHRASE, or use --plain"),
        "{err}"
    );
    let err = fails(rebound_with(
        &a,
        &["export", "--out", out],
        "",
        Some("short"),
    ));
    assert!(err.contains("too short"), "{err}");
    assert!(!file.exists());
    let wrote = ok(rebound_with(
        &a,
        &["export", "--out", out],
        "",
        Some(PASSPHRASE),
    ));
    assert!(wrote.contains("an encrypted backup"), "{wrote}");
    assert!(std::fs::read(&file)
        .unwrap()
        .starts_with(b"age-encryption.org/v1"));

    let err = fails(rebound_with(
        &b,
        &["import", out],
        "",
        Some("not the passphrase"),
    ));
    assert!(
        err.contains("that passphrase does not open this backup"),
        "{err}"
    );
    let err = fails(rebound(&b, &["import", out], ""));
    assert!(err.contains("REBOUND_PASSPHRASE"), "{err}");
    let dry = ok(rebound_with(
        &b,
        &["import", out, "--dry-run"],
        "",
        Some(PASSPHRASE),
    ));
    assert!(
        dry.contains("new: 3") && dry.contains("dry run: nothing was changed"),
        "{dry}"
    );
    assert!(ok(rebound(&b, &["list"], "")).starts_with("No cycles yet."));
    let done = ok(rebound_with(
        &b,
        &["import", out, "--replace"],
        "",
        Some(PASSPHRASE),
    ));
    assert!(
        done.starts_with("Restored 3 cycles (backup from "),
        "{done}"
    );
    assert_eq!(
        ok(rebound(&a, &["list", "--json"], "")),
        ok(rebound(&b, &["list", "--json"], ""))
    );
    let again = ok(rebound_with(&b, &["import", out], "", Some(PASSPHRASE)));
    assert!(again.starts_with("Nothing to restore"), "{again}");
}

#[test]
fn readable_exports_are_csv_and_markdown() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    let csv = dir.path().join("c.csv");
    let said = ok(rebound(
        dir.path(),
        &["export", "--format", "csv", "--out", csv.to_str().unwrap()],
        "",
    ));
    assert!(said.contains("only a backup can be restored"), "{said}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("id,area,attempted_on,"), "{text}");
    assert_eq!(text.lines().count(), 4);
    let md = dir.path().join("c.md");
    ok(rebound(
        dir.path(),
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            md.to_str().unwrap(),
        ],
        "",
    ));
    assert!(std::fs::read_to_string(&md)
        .unwrap()
        .contains("## 2026-11-10 · running · partial"));
}

const PASSPHRASE: &str = "a long enough passphrase";

/// The longest of three timed runs of `work`.
fn time_runs(mut work: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let start = std::time::Instant::now();
            work();
            start.elapsed()
        })
        .max()
        .unwrap_or_default()
}

/// Kill `rebound import --replace` with SIGKILL at scattered moments, many times, while
/// it swaps between two different sets of cycles: after every kill the database opens
/// and holds exactly one of the two sets, never a mix and never nothing.
#[cfg(unix)]
#[test]
fn a_restore_killed_at_any_moment_leaves_the_old_data_or_the_new() {
    use std::os::unix::process::ExitStatusExt;
    const KILLS: usize = 100;
    let dir = temp_dir();
    let (data, source) = (dir.path().join("data"), dir.path().join("source"));
    // Two sets: A (3 cycles) and B (A's 3 edited, plus 40 more).
    ok(rebound(&source, &["log", "--jsonl"], THREE));
    let a_file = dir.path().join("a.json");
    ok(rebound(
        &source,
        &["export", "--plain", "--out", a_file.to_str().unwrap()],
        "",
    ));
    let many: String = (0..40)
        .map(|n| format!("{{\"area\": \"b\", \"attempt\": \"set b {n}\", \"difficulty\": 5, \"stakes\": 2, \"effort\": 4, \"safety\": 3, \"observation\": \"{}\"}}\n", "x".repeat(500)))
        .collect();
    ok(rebound(&source, &["log", "--jsonl"], &many));
    let b_file = dir.path().join("b.json");
    ok(rebound(
        &source,
        &["export", "--plain", "--out", b_file.to_str().unwrap()],
        "",
    ));
    let set = |file: &Path| -> Vec<Value> {
        let value: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        value["cycles"].as_array().unwrap().clone()
    };
    let (set_a, set_b) = (set(&a_file), set(&b_file));
    let stored = |data: &Path| -> Vec<Value> {
        let store = Store::open(data).expect("the database opens after a kill");
        let all = store.all_by_id().unwrap();
        serde_json::from_value(serde_json::to_value(all).unwrap()).unwrap()
    };
    let mut flip = false;
    let run = time_runs(|| {
        flip = !flip;
        let file = if flip { &b_file } else { &a_file };
        ok(rebound(
            &data,
            &["import", file.to_str().unwrap(), "--replace"],
            "",
        ));
    });
    let window = (run.as_micros() as u64 * 13 / 10).max(1);
    let mut seed: u64 = 0x0dd_ba11;
    let (mut killed, mut finished, mut killed_after_switch) = (0, 0, 0);
    for n in 0..KILLS {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % window);
        let target = if n % 2 == 0 { &b_file } else { &a_file };
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(&data)
            .args(["import", target.to_str().unwrap(), "--replace"])
            .env_remove("REBOUND_PASSPHRASE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        let now = stored(&data);
        if output.status.signal() == Some(9) {
            killed += 1;
            if now == set(target) {
                killed_after_switch += 1;
            }
        } else {
            assert!(output.status.success(), "{}", stderr(&output));
            finished += 1;
        }
        assert!(
            now == set_a || now == set_b,
            "after kill {n} the database holds {} cycles, neither set",
            now.len()
        );
        if output.status.success() {
            assert_eq!(&now, &set(target), "a finished restore holds its file");
        }
    }
    println!(
        "{killed} of {KILLS} restores killed ({killed_after_switch} of them already holding the backup's data, \
         the rest the old data), {finished} finished (a run takes about {run:?}); every time old or new, \
         never a mix"
    );
    assert!(
        killed >= KILLS / 4,
        "too few runs were killed ({killed}) to test anything"
    );
    // Leftover folders from killed restores are cleared; snapshots are bounded.
    let folders = std::fs::read_dir(&data)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("db")
        })
        .count();
    assert_eq!(folders, 1, "only the live database folder is left");
}

#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn without_a_display_the_window_explains_instead_of_crashing() {
    let dir = temp_dir();
    let output = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let err = fails(output);
    assert!(err.contains("no display to open the window on"), "{err}");
}

#[test]
fn list_searches_and_filters_and_show_lists_the_nudges() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--json"];
        all.extend_from_slice(args);
        let json: Value = serde_json::from_str(&ok(rebound(dir.path(), &all, ""))).unwrap();
        json.as_array()
            .unwrap()
            .iter()
            .map(|c| c["attempt"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(&["--search", "PRICING slide"]),
        ["Pitched above my rate"]
    );
    assert_eq!(
        ids(&["--area", "Client Pitches"]),
        ["Pitched again, result first", "Pitched above my rate"]
    );
    assert_eq!(ids(&["--outcome", "partial"]), ["Hill 10k"]);
    assert_eq!(
        ids(&["--from", "2026-11-05", "--to", "2026-11-09"]),
        ["Pitched again, result first"]
    );
    let table = ok(rebound(
        dir.path(),
        &["list", "--search", "nothing like this"],
        "",
    ));
    assert!(table.starts_with("No cycles match"), "{table}");

    let err = fails(rebound(dir.path(), &["list", "--outcome", "won"], ""));
    assert!(
        err.contains("success, partial, failure or pending"),
        "{err}"
    );
    let err = fails(rebound(
        dir.path(),
        &["list", "--from", "2026-12-01", "--to", "2026-11-01"],
        "",
    ));
    assert!(err.contains("swap"), "{err}");
    let err = fails(rebound(dir.path(), &["list", "--to", "yesterday"], ""));
    assert!(err.contains("2026-11-27"), "{err}");

    let vague = r#"{"area": "running", "attempt": "Track intervals", "outcome": "failure", "difficulty": 6, "stakes": 5, "effort": 2, "safety": 3, "observation": "it went badly", "reframe": "I'm useless at this"}"#;
    let id = ok(rebound(dir.path(), &["log"], vague)).trim().to_string();
    let json: Value =
        serde_json::from_str(&ok(rebound(dir.path(), &["show", &id, "--json"], ""))).unwrap();
    let fired: Vec<(&str, &str)> = json["nudges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["rule"].as_str().unwrap(), n["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fired,
        [
            ("unbounded_stakes", "stakes"),
            ("low_effort", "effort"),
            ("identity_language", "reframe"),
            ("vague_observation", "observation")
        ]
    );
    assert!(json["nudges"][0]["message"].as_str().unwrap().len() > 20);
    let page = ok(rebound(dir.path(), &["show", &id], ""));
    assert!(
        page.contains("Suggestions\n  [stakes · unbounded_stakes]"),
        "{page}"
    );
}

#[test]
fn a_demo_fills_a_new_folder_and_refuses_one_with_cycles() {
    let dir = temp_dir();
    let said = ok(rebound(
        dir.path(),
        &["demo", "--cycles", "80", "--seed", "3"],
        "",
    ));
    assert!(said.contains("80 cycles in 4 areas"), "{said}");
    let err = fails(rebound(dir.path(), &["demo", "--cycles", "5"], ""));
    assert!(err.contains("already holds 80 cycles"), "{err}");
    // The same seed makes the same history.
    let again = temp_dir();
    ok(rebound(
        again.path(),
        &["demo", "--cycles", "80", "--seed", "3"],
        "",
    ));
    assert_eq!(
        ok(rebound(
            dir.path(),
            &["list", "--json", "--limit", "80"],
            ""
        )),
        ok(rebound(
            again.path(),
            &["list", "--json", "--limit", "80"],
            ""
        ))
    );
}

#[test]
fn stats_and_every_chart_come_from_the_command_line() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["demo", "--cycles", "120"], ""));
    let text = ok(rebound(dir.path(), &["stats"], ""));
    for heading in [
        "Evidence",
        "Recovery time",
        "Aftermath",
        "Loop quality",
        "Calibration",
        "Predictions",
        "Practice",
        "Brief Resilience Scale",
    ] {
        assert!(text.contains(heading), "{heading}: {text}");
    }
    let json: Value = serde_json::from_str(&ok(rebound(
        dir.path(),
        &["stats", "--json", "--range", "90d"],
        "",
    )))
    .unwrap();
    assert_eq!(json["range"], "90d");
    assert_eq!(json["cycles"], 120);
    assert!(json["sentences"]["recovery"].as_str().unwrap().len() > 10);
    for kind in rebound_core::charts::Kind::ALL.map(|k| k.as_str()) {
        let svg = dir.path().join(format!("{kind}.svg"));
        let said = ok(rebound(
            dir.path(),
            &[
                "chart",
                kind,
                "--out",
                svg.to_str().unwrap(),
                "--range",
                "1y",
                "--theme",
                "dark",
            ],
            "",
        ));
        assert!(
            said.starts_with(&format!("wrote the {kind} chart to ")),
            "{said}"
        );
        assert!(roxmltree::Document::parse(&std::fs::read_to_string(svg).unwrap()).is_ok());
    }
}

#[test]
fn data_that_will_not_open_is_named_in_one_line_and_rebound_recover_brings_back_every_cycle() {
    let dir = temp_dir();
    let ids = ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    let first_line = ids.lines().next().unwrap().to_string();
    // sled's log damaged in the middle: the kind of damage sled's own recovery made
    // worse before Rebound opened through a copy.
    let db = dir.path().join("db").join("db");
    let mut bytes = std::fs::read(&db).unwrap();
    let middle = bytes.len() / 3;
    let end = (middle + 4096).min(bytes.len());
    for byte in &mut bytes[middle..end] {
        *byte = 0xff;
    }
    std::fs::write(&db, &bytes).unwrap();
    std::fs::remove_file(dir.path().join("db").join("conf")).unwrap();
    let damaged = std::fs::read(&db).unwrap();

    let listed = rebound(dir.path(), &["list"], "");
    let said = if listed.status.success() {
        // sled read a copy of it: all three are there anyway, from the journal.
        stdout(&listed)
    } else {
        let err = fails(listed);
        assert!(err.contains("rebound recover"), "{err}");
        // Nothing was written to what would not open.
        assert_eq!(std::fs::read(&db).unwrap(), damaged);
        let report = ok(rebound(dir.path(), &["recover"], ""));
        assert!(report.starts_with("Recovered 3 cycles"), "{report}");
        assert!(report.contains("recovery journal"), "{report}");
        ok(rebound(dir.path(), &["list"], ""))
    };
    assert!(said.contains(&first_line), "{said}");
    assert_eq!(
        said.lines().count(),
        4,
        "a head line and three cycles: {said}"
    );
}

#[test]
fn a_data_folder_that_held_cycles_never_opens_empty() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    std::fs::remove_dir_all(dir.path().join("db")).unwrap();
    let err = fails(rebound(dir.path(), &["list"], ""));
    assert!(
        err.contains("is missing") && err.contains("rebound recover"),
        "{err}"
    );
    let report = ok(rebound(dir.path(), &["recover"], ""));
    assert!(report.starts_with("Recovered 3 cycles"), "{report}");
    assert_eq!(ok(rebound(dir.path(), &["list"], "")).lines().count(), 4);
}

#[test]
fn the_command_line_makes_the_daily_automatic_backup_too() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    assert!(
        !dir.path().join("backups").exists(),
        "nothing to back up yet"
    );
    ok(rebound(dir.path(), &["list"], ""));
    let made: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].starts_with("rebound-auto-"), "{made:?}");
}

#[test]
fn a_passphrase_of_only_spaces_is_refused() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], THREE));
    let out = dir.path().join("b.json.age");
    let err = fails(rebound_with(
        dir.path(),
        &["export", "--out", out.to_str().unwrap()],
        "",
        Some("        "),
    ));
    assert!(err.contains("only spaces"), "{err}");
    assert!(!out.exists());
}

/// The reflect queue and the next difficulty (tests/cli/guidance.rs).
mod guidance;

/// `log --jsonl` streams its input: a bad line late in a long batch stores nothing and
/// is named; a line too long is refused by its number; a batch bigger than the old
/// 64 MiB cap on stdin is stored whole; the ids printed are exactly the cycles stored.
#[test]
fn a_streamed_batch_names_its_bad_line_and_prints_only_stored_ids() {
    let dir = temp_dir();
    let line = |n: usize| {
        format!(
            "{{\"area\": \"a\", \"attempt\": \"try {n}\", \"attempted_on\": \"2026-11-02\", \
             \"difficulty\": 5, \"stakes\": 2, \"effort\": 4, \"safety\": 3}}\n"
        )
    };
    let many: String = (1..=3000).map(line).collect();
    let empty = ok(rebound(dir.path(), &["list", "--json"], ""));

    // A bad line near the end: nothing stored, nothing printed, the line named.
    let bad = format!(
        "{many}{{\"area\": \"a\", \"attempt\": \"x\", \"difficulty\": 9}}\n{}",
        line(1)
    );
    let output = rebound(dir.path(), &["log", "--jsonl"], &bad);
    assert!(stdout(&output).is_empty(), "no id for a batch not stored");
    let err = fails(output);
    assert!(err.contains("line 3001: "), "{err}");
    assert!(err.contains("nothing was logged"), "{err}");
    // Empty input, or a first line that is not JSON, never even opens the data.
    let fresh = dir.path().join("never-opened");
    let err = fails(rebound(&fresh, &["log", "--jsonl"], "\n\n"));
    assert!(err.contains("is missing"), "{err}");
    let err = fails(rebound(&fresh, &["log", "--jsonl"], "{not json\n"));
    assert!(
        err.contains("not valid JSON") && err.contains("(line 1)"),
        "{err}"
    );
    assert!(
        !fresh.exists(),
        "no data folder made for input that holds no cycle"
    );
    let not_json = format!("{many}{{not json\n");
    let err = fails(rebound(dir.path(), &["log", "--jsonl"], &not_json));
    assert!(
        err.contains("not valid JSON") && err.contains("(line 3001)"),
        "{err}"
    );

    // A line too long: refused by its number, before it is read whole.
    let long = format!(
        "{}{}{}",
        line(1),
        line(2).replace("try 2", &"x".repeat(2 << 20)),
        line(3)
    );
    let err = fails(rebound(dir.path(), &["log", "--jsonl"], &long));
    assert!(err.contains("on line 2 is longer than 1 MiB"), "{err}");
    assert!(err.contains("nothing was logged"), "{err}");
    assert_eq!(ok(rebound(dir.path(), &["list", "--json"], "")), empty);

    // More than 64 MiB of input (each line padded with spaces, which JSON allows).
    let padding = " ".repeat(30_000);
    let big: String = (1..=2300)
        .map(|n| line(n).replace('}', &format!("{padding}}}")))
        .collect();
    assert!(big.len() > 64 << 20);
    let ids = ok(rebound(dir.path(), &["log", "--jsonl"], &big));
    let mut printed: Vec<&str> = ids.lines().collect();
    assert_eq!(printed.len(), 2300);
    let listed = ok(rebound(
        dir.path(),
        &["list", "--json", "--limit", "10000"],
        "",
    ));
    let listed: Vec<Value> = serde_json::from_str(&listed).unwrap();
    let mut stored: Vec<&str> = listed.iter().map(|c| c["id"].as_str().unwrap()).collect();
    printed.sort_unstable();
    stored.sort_unstable();
    assert_eq!(printed, stored, "the ids printed are the cycles stored");
}
