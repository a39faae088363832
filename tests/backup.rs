use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use rebound::backup::{self, MAX_BACKUP_BYTES};
use rebound::cycle::{Applied, Cycle, CycleDraft, CycleFields, CycleId, Outcome, TestResult};
use rebound::error::Error;
use rebound::ops;
use rebound::store::Store;
use serde_json::{json, Value};

use crate::util::{clock, content, draft, full_draft, temp_dir};

/// A store with three cycles, and the path of its backup.
fn exported() -> (tempfile::TempDir, Store, std::path::PathBuf) {
    let dir = temp_dir();
    let store = Store::open(&dir.path().join("data")).unwrap();
    ops::log_cycle(&store, full_draft(), clock()).unwrap();
    ops::log_cycle(
        &store,
        draft("running", "hill 10k", "partial", 4, "2026-11-22"),
        clock(),
    )
    .unwrap();
    ops::log_cycle(
        &store,
        draft("running", "hill 10k again", "pending", 5, "2026-11-26"),
        clock(),
    )
    .unwrap();
    let file = dir.path().join("backup.json");
    backup::export(&store, &file, clock().now).unwrap();
    (dir, store, file)
}

#[test]
fn a_backup_imported_into_an_empty_database_gives_back_every_cycle_exactly() {
    let (dir, store, file) = exported();
    let fresh = Store::open(&dir.path().join("fresh")).unwrap();
    let summary = backup::import(&fresh, &file, clock().latest_backup_day()).unwrap();
    assert_eq!((summary.report.added, summary.in_file), (3, 3));
    assert_eq!(content(&fresh), content(&store));
    assert_eq!(
        summary.describe(),
        "imported 3 cycles from a backup of 2026-11-27"
    );
}

#[test]
fn importing_the_same_backup_twice_changes_nothing_the_second_time() {
    let (dir, _store, file) = exported();
    let fresh = Store::open(&dir.path().join("fresh")).unwrap();
    backup::import(&fresh, &file, clock().latest_backup_day()).unwrap();
    let before = content(&fresh);
    let again = backup::import(&fresh, &file, clock().latest_backup_day()).unwrap();
    assert_eq!((again.report.added, again.report.identical), (0, 3));
    assert_eq!(content(&fresh), before);
}

#[test]
fn the_backup_describes_itself() {
    let (_dir, _store, file) = exported();
    let value: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(value["format"], "rebound-backup");
    assert_eq!(value["format_version"], 1);
    assert_eq!(value["app_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(value["exported_at"], "2026-11-27T09:30:00Z");
    assert_eq!(value["cycle_count"], 3);
    assert_eq!(value["cycles"].as_array().unwrap().len(), 3);
}

/// A fixed cycle, so the format's exact text can be pinned.
fn fixed_cycle() -> Cycle {
    let fields = CycleDraft::from_value(full_draft())
        .unwrap()
        .check(clock().today)
        .unwrap();
    let at = DateTime::parse_from_rfc3339("2026-11-20T18:04:05.123Z")
        .unwrap()
        .to_utc();
    Cycle {
        id: "01a21f56-26be-76ae-b2f9-3de4f06e8f8b".parse().unwrap(),
        created_at: at,
        updated_at: at,
        fields,
    }
}

#[test]
fn format_one_is_pinned() {
    let bytes = backup::to_json(&[fixed_cycle()], clock().now).unwrap();
    insta::assert_snapshot!("backup_format_1", String::from_utf8(bytes).unwrap());
}

#[test]
fn writing_is_atomic_and_leaves_no_temporary_file() {
    let dir = temp_dir();
    let file = dir.path().join("b.json");
    std::fs::write(&file, "the previous backup").unwrap();
    backup::write_atomic(&file, b"{}").unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), b"{}");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["b.json"]);
}

#[test]
fn a_write_into_a_missing_folder_fails_clearly_and_writes_nothing() {
    let dir = temp_dir();
    let file = dir.path().join("no-such-folder").join("b.json");
    let err = backup::write_atomic(&file, b"{}").unwrap_err();
    assert!(err.to_string().starts_with("could not write"), "{err}");
    assert!(!file.exists());
}

/// Refuse `bytes` as a backup with `kind`, leaving a database's content unchanged.
fn refused(bytes: &[u8], kind: &str) -> String {
    let (dir, store, _file) = exported();
    let before = content(&store);
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, bytes).unwrap();
    let err = backup::import(&store, &path, clock().latest_backup_day()).unwrap_err();
    assert_eq!(err.kind(), kind, "{err}");
    assert_eq!(
        content(&store),
        before,
        "a refused file changed the database"
    );
    err.to_string()
}

fn good_backup() -> Value {
    let (_dir, _store, file) = exported();
    serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap()
}

#[test]
fn hostile_and_damaged_files_are_refused_with_a_specific_message() {
    assert!(refused(b"", "notABackup").contains("the file is empty"));
    assert!(refused(b"\x89PNG\r\n\x1a\n\0\0", "notABackup").contains("not JSON"));
    assert!(refused(br#"{"habits": []}"#, "notABackup").contains("\"format\": \"rebound-backup\""));
    assert!(refused(b"[1, 2, 3]", "notABackup").contains("not a JSON object"));

    let mut v = good_backup();
    v["format_version"] = json!(3);
    let message = refused(v.to_string().as_bytes(), "backupFromNewer");
    assert!(message.contains("update Rebound"), "{message}");

    let mut v = good_backup();
    let first = v["cycles"][0].clone();
    v["cycles"].as_array_mut().unwrap().push(first);
    v["cycle_count"] = json!(4);
    assert!(refused(v.to_string().as_bytes(), "backupDamaged").contains("repeats the id"));

    let mut v = good_backup();
    v["cycles"][1]["difficulty"] = json!(99);
    let message = refused(v.to_string().as_bytes(), "backupDamaged");
    assert!(
        message.contains("cycle 2: difficulty must be a whole number from 1 to 10 (got 99)"),
        "{message}"
    );

    let mut v = good_backup();
    v["cycle_count"] = json!(7);
    assert!(refused(v.to_string().as_bytes(), "backupDamaged").contains("says it holds 7"));

    let mut v = good_backup();
    v["cycles"][0]["attempt"] = json!("x".repeat(2_000));
    assert!(refused(v.to_string().as_bytes(), "backupDamaged").contains("too long"));

    let nested = format!(
        "{{\"format\": \"rebound-backup\", \"x\": {}{}}}",
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    refused(nested.as_bytes(), "backupDamaged");
}

#[test]
fn a_backup_cut_short_anywhere_is_refused_and_changes_nothing() {
    let bytes = serde_json::to_vec_pretty(&good_backup()).unwrap();
    let step = (bytes.len() / 40).max(1);
    for cut in (1..bytes.len() - 2).step_by(step) {
        let (dir, store, _file) = exported();
        let before = content(&store);
        let path = dir.path().join("cut.json");
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let result = backup::import(&store, &path, clock().latest_backup_day());
        assert!(result.is_err(), "a backup cut at byte {cut} was accepted");
        assert_eq!(content(&store), before);
    }
}

#[test]
fn a_flipped_byte_is_refused_or_harmless_never_a_crash() {
    let bytes = serde_json::to_vec(&good_backup()).unwrap();
    let (dir, store, _file) = exported();
    let path = dir.path().join("flipped.json");
    for position in (0..bytes.len()).step_by(97) {
        let mut damaged = bytes.clone();
        damaged[position] ^= 0x20;
        std::fs::write(&path, &damaged).unwrap();
        // Either it is refused, or it parsed as a valid backup (a flipped letter inside
        // free text); in both cases the call returns and stored cycles stay as they were.
        let before = content(&store);
        if backup::read(&path, clock().latest_backup_day()).is_err() {
            assert!(backup::import(&store, &path, clock().latest_backup_day()).is_err());
            assert_eq!(content(&store), before);
        }
    }
}

#[test]
fn a_file_over_the_size_cap_is_refused_before_it_is_read() {
    let dir = temp_dir();
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_BACKUP_BYTES + 1).unwrap();
    let err = backup::read(&path, clock().today).unwrap_err();
    assert!(matches!(err, Error::TooLarge(..)), "{err}");
    assert!(err.to_string().contains("larger than 256 MB"), "{err}");
}

#[test]
fn a_missing_file_says_so() {
    let dir = temp_dir();
    let err = backup::read(&dir.path().join("nope.json"), clock().today).unwrap_err();
    assert!(err.to_string().starts_with("could not open"), "{err}");
}

fn text() -> impl Strategy<Value = String> {
    // Printable text of any script, trimmed the way a stored field is.
    "[\\PC]{1,60}"
        .prop_map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .prop_filter("not blank", |s| !s.is_empty())
}

fn note() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

prop_compose! {
    fn any_cycle()(
        area in text(), attempt in text(),
        day in 0i64..40_000, outcome in 0usize..4,
        difficulty in 1u8..=10, stakes in 1u8..=5, effort in 1u8..=5, safety in 1u8..=5,
        stress in proptest::option::of(0u8..=10), identity in proptest::option::of(0u8..=10),
        notes in (note(), note(), note(), note(), note(), note()),
        id in any::<u128>(), created in 0i64..2_000_000_000, edited in 0i64..1_000_000,
        predicted_success in proptest::option::of(0u8..=100),
        link in proptest::option::of((any::<u128>(), 0usize..3, 0usize..4)),
    ) -> Cycle {
        let at = DateTime::<Utc>::from_timestamp(created, 0).unwrap();
        Cycle {
            id: CycleId::from_bytes(id.to_be_bytes()),
            created_at: at,
            updated_at: at + chrono::Duration::seconds(edited),
            fields: CycleFields {
                area, attempt,
                attempted_on: NaiveDate::from_ymd_opt(1910, 1, 1).unwrap() + chrono::Duration::days(day),
                outcome: Outcome::ALL[outcome],
                difficulty, stakes, effort, safety, stress, identity,
                reframe: notes.0, observation: notes.1, in_my_control: notes.2,
                external: notes.3, adjustment: notes.4, check: notes.5,
                predicted_success,
                tests_cycle: link.map(|(id, _, _)| CycleId::from_bytes(id.to_be_bytes())),
                applied: link.map(|(_, a, _)| Applied::ALL[a]),
                result: link.map(|(_, _, r)| TestResult::ALL[r]),
            },
        }
    }
}

fn latest() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()
}

proptest! {
    /// Any cycles → backup text → parsed back: the same cycles.
    #[test]
    fn any_cycles_round_trip_through_the_backup_text(cycles in proptest::collection::vec(any_cycle(), 0..8)) {
        let mut unique = cycles;
        unique.sort_by_key(|c| c.id);
        unique.dedup_by_key(|c| c.id);
        let bytes = backup::to_json(&unique, clock().now).unwrap();
        let back = backup::parse(&bytes, latest()).unwrap();
        prop_assert_eq!(back.cycles, unique);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Any cycles → a database → a backup file → an empty database: the same content.
    #[test]
    fn any_cycles_round_trip_through_export_and_import(cycles in proptest::collection::vec(any_cycle(), 0..12)) {
        let dir = temp_dir();
        let store = Store::open(&dir.path().join("a")).unwrap();
        store.add_cycles(&cycles).unwrap();
        let file = dir.path().join("b.json");
        backup::export(&store, &file, clock().now).unwrap();
        let fresh = Store::open(&dir.path().join("c")).unwrap();
        let mut file_handle = std::fs::OpenOptions::new().append(true).open(&file).unwrap();
        file_handle.write_all(b"\n").unwrap(); // trailing whitespace is fine
        backup::import(&fresh, &file, latest()).unwrap();
        prop_assert_eq!(content(&fresh), content(&store));
    }
}
