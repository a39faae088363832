//! What durability costs: one save, timed in the store (the way the window saves) and
//! end to end through `rebound log` (a process that opens, saves, closes), p50 and p99.
//!
//!     cargo bench -p rebound-core --bench durability
//!     REBOUND_BIN=target/release/rebound cargo bench -p rebound-core --bench durability
//!
//! It writes to a temporary folder on the same disk as the build (not a tmpfs, where
//! fsync costs nothing). Figures are printed; nothing is asserted.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rebound_core::clock::Clock;
use rebound_core::store::Store;
use rebound_core::use_cases;
use serde_json::json;

/// Saves timed in the store.
const STORE_SAVES: usize = 500;
/// `rebound log` runs timed end to end.
const CLI_SAVES: usize = 100;
/// Cycles already stored before timing, so the store is not trivially small.
const EXISTING: usize = 1_000;

fn draft(n: usize) -> serde_json::Value {
    let area = ["client pitches", "running", "writing"][n % 3];
    json!({
        "area": area,
        "attempt": format!("Attempt {n}: pitched a retainer above my usual rate, results first"),
        "outcome": "failure",
        "difficulty": 6, "stakes": 3, "effort": 4, "safety": 3,
        "observation": "They went quiet at the pricing slide, before the results were shown",
        "adjustment": "Open every pitch with the result the client gets, price last",
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(what: &str, mut runs: Vec<Duration>) {
    runs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} runs)",
        ms(percentile(&runs, 0.5)),
        ms(percentile(&runs, 0.99)),
        ms(*runs.last().unwrap_or(&Duration::ZERO)),
        runs.len()
    );
}

fn main() {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&base).unwrap_or_default();
    let root = tempfile::tempdir_in(&base).unwrap_or_else(|e| panic!("a temporary folder: {e}"));
    let data = root.path().join("data");

    let store = Store::open(&data).unwrap_or_else(|e| panic!("{e}"));
    let bulk: Vec<(usize, serde_json::Value)> = (0..EXISTING).map(|n| (n, draft(n))).collect();
    use_cases::log_cycles(&store, bulk, Clock::system()).unwrap_or_else(|e| panic!("{e}"));
    let mut runs = Vec::with_capacity(STORE_SAVES);
    for n in 0..STORE_SAVES {
        let started = Instant::now();
        use_cases::log_cycle(&store, draft(n), Clock::system()).unwrap_or_else(|e| panic!("{e}"));
        runs.push(started.elapsed());
    }
    report("one save in the store (acknowledged = durable)", runs);
    drop(store);

    let Some(bin) = std::env::var_os("REBOUND_BIN") else {
        println!("rebound log end to end: skipped (set REBOUND_BIN to the binary to time it)");
        return;
    };
    let mut runs = Vec::with_capacity(CLI_SAVES);
    for n in 0..CLI_SAVES {
        let started = Instant::now();
        let mut child = Command::new(&bin)
            .arg("--data-dir")
            .arg(&data)
            .arg("log")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(mut input) = child.stdin.take() {
            let _ = input.write_all(draft(n).to_string().as_bytes());
        }
        let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
        assert!(status.success());
        runs.push(started.elapsed());
    }
    report("rebound log, end to end (open, save, close)", runs);
}
