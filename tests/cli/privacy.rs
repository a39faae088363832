//! Private by default (Unix): after a session that touches everything Rebound writes
//! (cycles, a check-in, a preference, a restore and its snapshot, an automatic backup,
//! exports, readable copies, a chart, settings, a sync), every file in the data folder is 0600
//! and every folder 0700, and so is every file written outside it. Replacing a file
//! keeps it private, and temporary files cannot be planted or redirected.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_rebound");

fn rebound(dir: &Path, args: &[&str], stdin: &str) {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("REBOUND_PASSPHRASE", "four calm words here")
        .env_remove("REBOUND_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "rebound {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// Every path under `dir` (itself included) whose mode is not private.
fn not_private(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        let want = if at.is_dir() { 0o700 } else { 0o600 };
        if mode(&at) != want {
            found.push(format!("{} is {:o}", at.display(), mode(&at)));
        }
        if at.is_dir() {
            stack.extend(std::fs::read_dir(&at).unwrap().flatten().map(|e| e.path()));
        }
    }
    found
}

const CYCLE: &str = r#"{"area": "pitches", "attempt": "Pitched above my rate", "outcome": "failure", "difficulty": 6, "stakes": 3, "effort": 4, "safety": 3}"#;

#[test]
fn every_file_rebound_writes_is_private() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // The person's own folder is theirs to set; only what Rebound writes is checked.
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();

    rebound(&data, &["log"], CYCLE);
    rebound(&data, &["log", "--jsonl"], &format!("{CYCLE}\n{CYCLE}\n"));
    {
        let store = rebound_core::store::Store::open(&data).unwrap();
        let clock = crate::util::clock();
        rebound_core::use_cases::save_checkin(&store, &[4, 2, 4, 2, 4, 2], clock).unwrap();
        rebound_core::use_cases::set_target_band(&store, 60, 80).unwrap();
    }
    let backup = out.join("backup.json.age");
    let plain = out.join("backup.json");
    // A file the person made private stays private when Rebound writes over it, and
    // one they left open becomes private.
    std::fs::write(&plain, "old").unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    rebound(&data, &["export", "--out", backup.to_str().unwrap()], "");
    rebound(
        &data,
        &["export", "--plain", "--out", plain.to_str().unwrap()],
        "",
    );
    for (format, name) in [("csv", "cycles.csv"), ("markdown", "cycles.md")] {
        let path = out.join(name);
        rebound(
            &data,
            &[
                "export",
                "--format",
                format,
                "--out",
                path.to_str().unwrap(),
            ],
            "",
        );
    }
    let chart = out.join("evidence.svg");
    rebound(
        &data,
        &["chart", "evidence", "--out", chart.to_str().unwrap()],
        "",
    );
    rebound(&data, &["log"], CYCLE);
    // A restore writes a snapshot and a new database folder.
    rebound(&data, &["import", plain.to_str().unwrap(), "--replace"], "");
    // A sync that brings a cycle in: this computer's sync state and a snapshot in the
    // data folder, its own files in the sync folder (which is the person's own).
    let synced = out.join("Sync");
    std::fs::create_dir_all(&synced).unwrap();
    std::fs::set_permissions(&synced, std::fs::Permissions::from_mode(0o755)).unwrap();
    let other = dir.path().join("other");
    rebound(&other, &["log"], CYCLE);
    let folder_arg = synced.to_str().unwrap();
    rebound(&other, &["sync", "--folder", folder_arg], "");
    rebound(&data, &["sync", "--folder", folder_arg], "");
    assert!(data.join("sync").join("state.json").is_file());
    assert_eq!(
        not_private(&synced.join("rebound-sync")),
        Vec::<String>::new()
    );

    assert!(
        data.join("snapshots").is_dir(),
        "the restore kept a snapshot"
    );
    assert!(
        data.join("backups").is_dir(),
        "an automatic backup was made"
    );
    assert!(data.join("journal").is_dir());
    assert_eq!(not_private(&data), Vec::<String>::new());
    for name in [
        "backup.json.age",
        "backup.json",
        "cycles.csv",
        "cycles.md",
        "evidence.svg",
    ] {
        assert_eq!(mode(&out.join(name)), 0o600, "{name}");
    }
    assert_eq!(
        mode(&out),
        0o755,
        "a folder the person chose keeps its mode"
    );
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn a_temporary_file_planted_or_linked_beforehand_is_never_used() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    rebound(&data, &["log"], CYCLE);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep me").unwrap();
    // The old temporary names were `.NAME.PID.tmp`: plant a file and a symlink under
    // every name a process of this run could have had.
    let pid = std::process::id();
    for guess in pid..pid + 2000 {
        let planted = out.join(format!(".backup.json.{guess}.tmp"));
        if guess % 2 == 0 {
            std::fs::write(&planted, "planted").unwrap();
        } else {
            std::os::unix::fs::symlink(&victim, &planted).unwrap();
        }
    }
    let target = out.join("backup.json");
    rebound(
        &data,
        &["export", "--plain", "--out", target.to_str().unwrap()],
        "",
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(mode(&target), 0o600);
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(written["cycle_count"], 1);
    // Nothing planted was used or removed.
    let planted = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(planted, 2000);
}
