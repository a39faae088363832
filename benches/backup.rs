//! Backup and restore on 10,000 cycles of about 600 characters each, timed and printed.
//!
//! `cargo bench --bench backup` (optimised build). The figures to beat are jrnl 4.6's on
//! the same amount of data on this machine: 6.45 s to export 10,000 entries as JSON and
//! 1.11 s to import them. Rebound aims for 50× (under 129 ms) and 20× (under 55 ms).
//!
//! Encryption is measured without the key derivation: the scrypt work factor of a real
//! backup (2^18, the `age` tool's default) takes about a second on purpose (it slows
//! down guessing), so the encrypted figures use a work factor of 2^2, and the key
//! derivation at 2^18 is timed on its own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use rebound_core::backup;
use rebound_core::backup::restore::{self, Mode};
use rebound_core::cycle::{Cycle, CycleFields, CycleId, Outcome};
use rebound_core::store::Store;

const CYCLES: usize = 10_000;
const RUNS: usize = 9;
const PASSPHRASE: &str = "a benchmark passphrase";
const JRNL_EXPORT: Duration = Duration::from_millis(6_450);
const JRNL_IMPORT: Duration = Duration::from_millis(1_110);

/// Text of `len` characters that reads like a journal, different for each `n`.
fn prose(n: usize, len: usize) -> String {
    const WORDS: [&str; 12] = [
        "pitched", "the", "price", "before", "value", "and", "they", "went", "quiet", "next",
        "time", "results",
    ];
    let mut text = String::with_capacity(len + 16);
    let mut i = n;
    while text.len() < len {
        text.push_str(WORDS[i % WORDS.len()]);
        text.push(' ');
        i = i.wrapping_mul(31).wrapping_add(7);
    }
    text.truncate(len);
    text.trim_end().to_string()
}

fn cycles() -> Vec<Cycle> {
    let start = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
    (0..CYCLES)
        .map(|n| {
            let at = start + chrono::Duration::minutes(n as i64 * 37);
            // A version-7 layout: time-ordered prefix, then the number.
            let mut id = [0u8; 16];
            id[..6].copy_from_slice(&[0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00]);
            id[6] = 0x70;
            id[8] = 0x80;
            id[12..].copy_from_slice(&(n as u32 + 1).to_be_bytes());
            Cycle {
                id: CycleId::from_bytes(id),
                created_at: at,
                updated_at: at,
                fields: CycleFields {
                    area: format!("area {}", n % 12),
                    attempted_on: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
                        + chrono::Duration::days((n / 5) as i64),
                    attempt: prose(n, 180),
                    outcome: Outcome::ALL[n % 4],
                    difficulty: (n % 10) as u8 + 1,
                    stakes: (n % 5) as u8 + 1,
                    effort: (n % 5) as u8 + 1,
                    safety: (n % 5) as u8 + 1,
                    stress: Some((n % 11) as u8),
                    identity: None,
                    reframe: None,
                    observation: Some(prose(n + 1, 160)),
                    in_my_control: Some(prose(n + 2, 90)),
                    external: None,
                    adjustment: Some(prose(n + 3, 120)),
                    check: Some(prose(n + 4, 50)),
                    predicted_success: Some((n % 101) as u8),
                    tests_cycle: None,
                    applied: None,
                    result: None,
                },
            }
        })
        .collect()
}

/// The median of `RUNS` timed runs of `work` (after `setup`, which is not timed).
fn median<S>(mut setup: impl FnMut() -> S, mut work: impl FnMut(S)) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let prepared = setup();
            let start = Instant::now();
            work(prepared);
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn report(what: &str, took: Duration, peer: Option<Duration>) {
    match peer {
        Some(peer) => println!(
            "{what:<52} {:>10}   {:>5.0}× faster than jrnl ({})",
            ms(took),
            peer.as_secs_f64() / took.as_secs_f64(),
            ms(peer)
        ),
        None => println!("{what:<52} {:>10}", ms(took)),
    }
}

fn fresh_store(root: &Path, n: &mut usize) -> (std::path::PathBuf, Store) {
    *n += 1;
    let dir = root.join(format!("empty-{n}"));
    let store = Store::open(&dir).unwrap();
    (dir, store)
}

fn main() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    let all = cycles();
    let chars: usize = all
        .iter()
        .map(|c| serde_json::to_string(&c.fields.attempt).unwrap().len())
        .sum::<usize>()
        + all
            .iter()
            .map(|c| {
                [
                    &c.fields.observation,
                    &c.fields.in_my_control,
                    &c.fields.adjustment,
                    &c.fields.check,
                ]
                .iter()
                .filter_map(|t| t.as_ref().map(String::len))
                .sum::<usize>()
            })
            .sum::<usize>();
    let empty = Store::open(&root.join("source")).unwrap();
    let content = rebound_core::journal::Base {
        cycles: all,
        ..Default::default()
    };
    let store = empty.replace_all(&content, empty.position()).unwrap();
    drop(empty);
    let now = Utc::now();
    let plain_file = root.join("backup.json");
    let sealed_file = root.join("backup.json.age");
    let summary = backup::export(&store, &plain_file, now, None).unwrap();
    println!(
        "{} cycles, {} characters of text each on average; the plain backup is {:.1} MB\n",
        summary.cycles,
        chars / CYCLES,
        summary.bytes as f64 / 1e6
    );

    let export = median(
        || (),
        |()| {
            backup::export(&store, &plain_file, now, None).unwrap();
        },
    );
    report(
        "export (read all, encode, checksum, fsync'd write)",
        export,
        Some(JRNL_EXPORT),
    );

    let sealed = median(
        || (),
        |()| {
            let content = store.contents().unwrap();
            let plain = backup::to_json(&content, now).unwrap();
            let bytes = backup::encrypt(&plain, PASSPHRASE, Some(2)).unwrap();
            backup::write_atomic(&sealed_file, &bytes).unwrap();
        },
    );
    report(
        "encrypted export, without the key derivation",
        sealed,
        Some(JRNL_EXPORT),
    );

    let bytes = std::fs::read(&plain_file).unwrap();
    let latest = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    let validate = median(
        || (),
        |()| {
            backup::parse(&bytes, latest).unwrap();
        },
    );
    report("validate the whole file (no database)", validate, None);

    let mut n = 0;
    let import = median(
        || fresh_store(root, &mut n),
        |(dir, empty)| {
            let checked = backup::read(&plain_file, None, latest).unwrap();
            let (restored, summary) =
                restore::apply(&empty, &dir, &checked, Mode::Replace, now).unwrap();
            assert_eq!(summary.total, CYCLES);
            drop((restored, empty));
        },
    );
    report(
        "validate and import into an empty database",
        import,
        Some(JRNL_IMPORT),
    );

    let checked_once = backup::read(&plain_file, None, latest).unwrap();
    let write_only = median(
        || fresh_store(root, &mut n),
        |(dir, empty)| {
            let (restored, _) =
                restore::apply(&empty, &dir, &checked_once, Mode::Replace, now).unwrap();
            drop((restored, empty));
        },
    );
    report(
        "  of which: write the new database (flushed, switched)",
        write_only,
        None,
    );

    let sealed_import = median(
        || fresh_store(root, &mut n),
        |(dir, empty)| {
            let checked = backup::read(&sealed_file, Some(PASSPHRASE), latest).unwrap();
            let (restored, _) = restore::apply(&empty, &dir, &checked, Mode::Replace, now).unwrap();
            drop((restored, empty));
        },
    );
    report(
        "decrypt, validate and import, without the key derivation",
        sealed_import,
        Some(JRNL_IMPORT),
    );

    let merge = median(
        || (),
        |()| {
            let checked = backup::read(&plain_file, None, latest).unwrap();
            let (_, summary) = restore::apply(&store, root, &checked, Mode::Merge, now).unwrap();
            assert!(!summary.changed);
        },
    );
    report(
        "restore an identical backup (checks, changes nothing)",
        merge,
        None,
    );

    // The key derivation itself, at a real backup's work factor.
    let start = Instant::now();
    let small = backup::encrypt(b"{}", PASSPHRASE, None).unwrap();
    let kdf_encrypt = start.elapsed();
    let start = Instant::now();
    backup::decrypt(&small, PASSPHRASE).unwrap();
    let kdf_decrypt = start.elapsed();
    let log_n = String::from_utf8_lossy(&small)
        .lines()
        .find(|l| l.starts_with("-> scrypt "))
        .and_then(|l| l.split(' ').nth(3).map(str::to_string))
        .unwrap_or_default();
    println!(
        "\nkey derivation at a real backup's work factor (scrypt N = 2^{log_n}): \
         {} to encrypt, {} to decrypt (once per file; deliberate, it slows down guessing)",
        ms(kdf_encrypt),
        ms(kdf_decrypt)
    );
}
