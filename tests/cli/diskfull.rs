//! A full disk: every command ends within seconds with a clear message, lets go of the
//! data folder, and loses nothing acknowledged. Runs the real binary on a small tmpfs
//! (mounting one needs root, as CI has); elsewhere it says it skipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_rebound");
/// How long any command may take on a full disk.
const LIMIT: Duration = Duration::from_secs(20);
/// The tmpfs: enough for a small journal, small enough to fill in a moment.
const SIZE: &str = "12m";

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path) -> Result<Tmpfs, String> {
        std::fs::create_dir_all(at).map_err(|e| e.to_string())?;
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={SIZE},mode=0700"),
                "tmpfs",
            ])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if status.success() {
            Ok(Tmpfs(at.to_path_buf()))
        } else {
            Err("mount -t tmpfs failed (not root?)".into())
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Run `rebound --data-dir DIR ARGS` with `stdin`, within [`LIMIT`]: (exit code, stdout,
/// stderr). A command still running at the limit fails the test.
fn run(dir: &Path, args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("REBOUND_PASSPHRASE", "four calm words here")
        .env_remove("REBOUND_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the rebound binary runs");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let output = child.wait_with_output().unwrap();
            return (
                status.code(),
                String::from_utf8_lossy(&output.stdout).to_string(),
                String::from_utf8_lossy(&output.stderr).to_string(),
            );
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("rebound {args:?} did not end within {LIMIT:?} on a full disk");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn cycle(n: usize) -> String {
    format!(
        r#"{{"area": "pitches", "attempt": "Pitch {n} {}", "outcome": "failure", "difficulty": 6, "stakes": 3, "effort": 4, "safety": 3}}"#,
        "with a long enough description ".repeat(8)
    )
}

/// Fill what is left of the file system at `dir` with one file.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    // The last bytes, a few at a time.
    while file.write_all(&[0u8; 512]).is_ok() {}
    while file.write_all(&[0u8; 1]).is_ok() {}
    let _ = file.sync_all();
    path
}

#[test]
fn on_a_full_disk_every_command_ends_quickly_says_so_and_loses_nothing() {
    let scratch = temp_dir();
    let mount = match Tmpfs::mount(&scratch.path().join("disk")) {
        Ok(mount) => mount,
        Err(why) => {
            assert!(
                std::env::var("DISKFULL_REQUIRED").as_deref() != Ok("1"),
                "the disk-full test cannot run: {why}"
            );
            println!("SKIPPED disk-full test: {why}");
            return;
        }
    };
    let data = mount.0.join("data");
    let mut acknowledged = Vec::new();
    let backup = scratch.path().join("backup.json");
    for n in 0..6 {
        if n == 5 {
            // A backup that differs from the data, so restoring it has work to do.
            let out = backup.to_str().unwrap();
            let (code, _, err) = run(&data, &["export", "--plain", "--out", out], "");
            assert_eq!(code, Some(0), "{err}");
        }
        let (code, out, err) = run(&data, &["log"], &cycle(n));
        assert_eq!(code, Some(0), "{err}");
        acknowledged.push(out.trim().to_string());
    }

    let filler = fill(&mount.0);
    let mut said_full = 0;
    let jsonl: String = (10..40).map(|n| cycle(n) + "\n").collect();
    let chart = mount.0.join("chart.svg");
    let one = cycle(99);
    let first = acknowledged[0].clone();
    let commands: Vec<(Vec<&str>, &str)> = vec![
        (vec!["log"], &one),
        (vec!["log", "--jsonl"], &jsonl),
        (vec!["list"], ""),
        (vec!["show", &first], ""),
        (vec!["stats"], ""),
        (
            vec!["chart", "evidence", "--out", chart.to_str().unwrap()],
            "",
        ),
        (vec!["import", backup.to_str().unwrap(), "--merge"], ""),
        (vec!["import", backup.to_str().unwrap(), "--replace"], ""),
        (vec!["recover"], ""),
    ];
    for (args, stdin) in &commands {
        let started = Instant::now();
        let (code, out, err) = run(&data, args, stdin);
        println!(
            "disk full: rebound {} → exit {code:?} in {:.1} s: {}{}",
            args.first().unwrap_or(&""),
            started.elapsed().as_secs_f64(),
            err.trim(),
            out.lines().next().unwrap_or_default()
        );
        if code != Some(0) {
            assert_eq!(code, Some(1), "{args:?}: {err}");
            let line = err.trim();
            assert_eq!(line.lines().count(), 1, "{args:?}: one line, not: {err}");
            assert!(
                !line.contains("Os {") && !line.contains("kind:"),
                "{args:?}: {line}"
            );
            if line.contains("the disk is full") {
                said_full += 1;
            }
        }
        // Whatever a command printed as saved must really be saved.
        if args == &vec!["log"] && code == Some(0) {
            acknowledged.push(out.trim().to_string());
        }
    }
    assert!(said_full > 0, "a full disk was never named");

    // Space again: everything acknowledged is there, and the folder is not held.
    std::fs::remove_file(filler).unwrap();
    let (code, out, err) = run(&data, &["list", "--json", "--limit", "1000"], "");
    assert_eq!(code, Some(0), "{err}");
    let listed: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    for id in &acknowledged {
        assert!(ids.contains(&id.as_str()), "acknowledged {id} was lost");
    }
    drop(mount);
}
