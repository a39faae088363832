//! Sync from the command line, as scripts drive two computers: `rebound sync`, `edit`
//! and `delete` on two data folders sharing one sync folder, the folder remembered, the
//! passphrase from REBOUND_PASSPHRASE, and syncs killed (SIGKILL) at random moments
//! losing nothing.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_rebound");
const PASSPHRASE: &str = "four calm words here";

/// `rebound --data-dir DIR ARGS` with `stdin`, and the sync passphrase if given.
fn rebound(dir: &Path, args: &[&str], stdin: &str, passphrase: Option<&str>) -> Output {
    let mut command = Command::new(BIN);
    command
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("REBOUND_DATA_DIR")
        .env_remove("REBOUND_PASSPHRASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(passphrase) = passphrase {
        command.env("REBOUND_PASSPHRASE", passphrase);
    }
    let mut child = command.spawn().expect("the rebound binary runs");
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn fails(output: Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let err = String::from_utf8(output.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "one line, not: {err}");
    err
}

fn cycle(area: &str, attempt: &str) -> String {
    format!(
        r#"{{"area": "{area}", "attempt": "{attempt}", "attempted_on": "2026-11-20", "outcome": "failure", "difficulty": 6, "stakes": 3, "effort": 4, "safety": 3}}"#
    )
}

fn log(dir: &Path, area: &str, attempt: &str) -> String {
    ok(rebound(dir, &["log"], &cycle(area, attempt), None))
        .trim()
        .to_string()
}

/// Every cycle, as `list --json` prints it, sorted by id.
fn listed(dir: &Path) -> Value {
    let text = ok(rebound(
        dir,
        &["list", "--json", "--limit", "100000"],
        "",
        None,
    ));
    let mut all: Vec<Value> = serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    all.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Value::Array(all)
}

#[test]
fn rebound_sync_edit_and_delete_drive_two_computers_through_one_folder() {
    let root = temp_dir();
    let (a, b, folder) = (
        root.path().join("a"),
        root.path().join("b"),
        root.path().join("Sync"),
    );
    std::fs::create_dir_all(&folder).unwrap();
    let folder_arg = folder.to_str().unwrap();
    let pitch = log(&a, "client pitches", "Pitched above my rate");

    // Without a folder, and without a passphrase or a terminal: one clear line each.
    let err = fails(rebound(&a, &["sync"], "", Some(PASSPHRASE)));
    assert!(err.contains("give one with --folder DIR"), "{err}");
    let err = fails(rebound(&a, &["sync", "--folder", folder_arg], "", None));
    assert!(err.contains("set REBOUND_PASSPHRASE"), "{err}");

    let said = ok(rebound(
        &a,
        &["sync", "--folder", folder_arg],
        "",
        Some(PASSPHRASE),
    ));
    assert!(said.starts_with("Sent 1 change."), "{said}");
    assert!(
        said.contains("sent: 1 new cycle (seg-00000001.age)"),
        "{said}"
    );
    log(&b, "running", "Hill 10k");
    let said = ok(rebound(
        &b,
        &["sync", "--folder", folder_arg],
        "",
        Some(PASSPHRASE),
    ));
    assert!(said.contains("received from "), "{said}");
    assert!(said.contains("1 new cycle"), "{said}");

    // The folder is remembered, and the passphrase is not needed again.
    let edit = r#"{"observation": "They went quiet at the pricing slide", "outcome": "partial"}"#;
    let said = ok(rebound(&b, &["edit", &pitch[..23]], edit, None));
    assert!(
        said.starts_with(&format!("edited {pitch}")) && said.contains("outcome, observation"),
        "{said}"
    );
    let typo = log(&b, "running", "A typo");
    let said = ok(rebound(&b, &["delete", &typo], "", None));
    assert!(said.starts_with(&format!("deleted {typo}")), "{said}");
    ok(rebound(&b, &["sync"], "", None));
    let said = ok(rebound(&a, &["sync"], "", None));
    assert!(said.contains("received from "), "{said}");
    assert_eq!(listed(&a), listed(&b));
    let all = listed(&a);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let edited = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == pitch.as_str())
        .unwrap();
    assert_eq!(edited["outcome"], "partial");
    assert_eq!(
        edited["observation"],
        "They went quiet at the pricing slide"
    );
}

#[test]
fn rebound_edit_checks_the_fields_like_a_draft_and_changes_nothing_on_bad_input() {
    let dir = temp_dir();
    let id = log(dir.path(), "client pitches", "Pitched above my rate");
    let before = listed(dir.path());
    for (input, says) in [
        (
            r#"{"outcome": "winning"}"#,
            "outcome must be success, partial, failure or pending",
        ),
        (
            r#"{"difficulty": 11}"#,
            "difficulty must be a whole number from 1 to 10",
        ),
        (r#"{"id": "x"}"#, "id is set by Rebound"),
        (r#"{"colour": "red"}"#, "a field Rebound does not know"),
        ("[1, 2]", "must be a JSON object of the fields to change"),
        ("", "the changes are missing"),
        ("{not json", "not valid JSON"),
    ] {
        let err = fails(rebound(dir.path(), &["edit", &id], input, None));
        assert!(err.contains(says), "{input}: {err}");
    }
    let err = fails(rebound(dir.path(), &["delete", "0000"], "", None));
    assert!(err.contains("no cycle has the id"), "{err}");
    assert_eq!(listed(dir.path()), before, "nothing stored was changed");
    let said = ok(rebound(
        dir.path(),
        &["edit", &id],
        r#"{"difficulty": 6}"#,
        None,
    ));
    assert!(said.starts_with("nothing to change"), "{said}");
    assert_eq!(
        listed(dir.path()),
        before,
        "an edit that changes nothing writes nothing"
    );
}

#[test]
fn a_sync_killed_at_any_moment_loses_nothing() {
    const KILLS: usize = 40;
    let root = temp_dir();
    let dirs = [root.path().join("a"), root.path().join("b")];
    let folder = root.path().join("Sync");
    std::fs::create_dir_all(&folder).unwrap();
    let mut acknowledged = Vec::new();
    for dir in &dirs {
        acknowledged.push(log(dir, "pitches", "before the first sync"));
        ok(rebound(
            dir,
            &["sync", "--folder", folder.to_str().unwrap()],
            "",
            Some(PASSPHRASE),
        ));
    }
    // How long a sync takes today, to spread the kills over a whole one.
    let started = Instant::now();
    ok(rebound(&dirs[0], &["sync"], "", None));
    let window = (started.elapsed().as_micros() as u64 * 13 / 10).max(1);
    // REBOUND_KILL_SEED=N picks other kill moments (to look for a failure seen once).
    let first_seed: u64 = std::env::var("REBOUND_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let mut seed = first_seed;
    let mut killed = 0;
    for n in 0..KILLS {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let dir = &dirs[n % 2];
        acknowledged.push(log(dir, "pitches", &format!("attempt {n}")));
        if n % 5 == 0 {
            let first = &acknowledged[0];
            let patch = format!(r#"{{"observation": "note {n}"}}"#);
            ok(rebound(dir, &["edit", first], &patch, None));
        }
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(dir)
            .arg("sync")
            .env_remove("REBOUND_PASSPHRASE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(seed % window));
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        killed += usize::from(output.status.signal() == Some(9));
        if output.status.signal().is_none() {
            assert!(
                output.status.success(),
                "a sync failed after a kill: {output:?}"
            );
        }
    }
    // Left alone, both sync cleanly, twice round, and hold everything.
    for _ in 0..2 {
        for dir in &dirs {
            let said = ok(rebound(dir, &["sync"], "", None));
            assert!(!said.contains("refused"), "{said}");
        }
    }
    let (a, b) = (listed(&dirs[0]), listed(&dirs[1]));
    assert_eq!(
        a, b,
        "both computers hold the same journal (seed {first_seed})"
    );
    let ids: Vec<&str> = a
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    for id in &acknowledged {
        assert!(
            ids.contains(&id.as_str()),
            "acknowledged cycle {id} was lost"
        );
    }
    let note = format!("note {}", (KILLS - 1) / 5 * 5);
    let first = a
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == acknowledged[0].as_str())
        .unwrap();
    let said = |dir: &Path| {
        std::fs::read_to_string(dir.join("sync").join("status.json")).unwrap_or_default()
    };
    assert_eq!(
        first["observation"],
        note.as_str(),
        "the last edit won (seed {first_seed}); what each computer's last sync said:\n{}\n{}",
        said(&dirs[0]),
        said(&dirs[1])
    );
    println!(
        "{killed} of {KILLS} syncs killed mid-way (a sync takes about {} ms); {} acknowledged cycles, all on both computers",
        window / 1300,
        acknowledged.len()
    );
    assert!(
        killed >= KILLS / 4,
        "too few syncs were killed ({killed}) to test anything"
    );
}
