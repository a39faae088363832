use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use rebound_core::backup::restore::{self, Mode};
use rebound_core::backup::session::RestoreSession;
use rebound_core::backup::Incoming;
use rebound_core::backup::{self, MAX_BACKUP_BYTES};
use rebound_core::backup::{auto, readable};
use rebound_core::cycle::{
    Applied, Cycle, CycleDraft, CycleFields, CycleId, Outcome, TestResult, FIELD_NAMES,
};
use rebound_core::error::Error;
use rebound_core::journal::Base;
use rebound_core::store::Store;
use rebound_core::{local_settings, use_cases};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::util::{clock, clock_plus, content, damage, draft, full_draft, temp_dir};

/// A low scrypt work factor, so the many encrypted cases stay fast. Real backups use
/// age's own choice (about a second of work).
const FAST: Option<u8> = Some(4);
const PASS: &str = "correct horse battery";

/// A store with three cycles, and the path of its plain backup.
fn exported() -> (tempfile::TempDir, Store, std::path::PathBuf) {
    let dir = temp_dir();
    let store = Store::open(&dir.path().join("data")).unwrap();
    use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    use_cases::log_cycle(
        &store,
        draft("running", "hill 10k", "partial", 4, "2026-11-22"),
        clock(),
    )
    .unwrap();
    use_cases::log_cycle(
        &store,
        draft("running", "hill 10k again", "pending", 5, "2026-11-26"),
        clock(),
    )
    .unwrap();
    let file = dir.path().join("backup.json");
    backup::export(&store, &file, clock().now, None).unwrap();
    (dir, store, file)
}

/// A hash of everything stored, to prove a refused file changed nothing.
fn content_hash(store: &Store) -> String {
    let bytes = serde_json::to_vec(&content(store)).unwrap();
    format!("{:x}", Sha256::digest(bytes))
}

/// The error of a restore that must have been refused.
fn refusal<T>(result: Result<T, Error>) -> Error {
    match result {
        Ok(_) => panic!("the restore was accepted"),
        Err(e) => e,
    }
}

/// Read, check and restore `path` into the store in `dir/data`, as the CLI does.
fn restore_file(
    dir: &Path,
    store: &Store,
    path: &Path,
    passphrase: Option<&str>,
    mode: Mode,
) -> Result<(Store, restore::RestoreSummary), Error> {
    let checked = backup::read(path, passphrase, clock().latest_backup_day())?;
    restore::apply(store, &dir.join("data"), &checked, mode, clock_plus(5).now)
}

#[test]
fn a_backup_restored_into_an_empty_database_gives_back_every_cycle_exactly() {
    let (dir, store, file) = exported();
    let empty = Store::open(&dir.path().join("fresh")).unwrap();
    let checked = backup::read(&file, None, clock().latest_backup_day()).unwrap();
    let (fresh, summary) = restore::apply(
        &empty,
        &dir.path().join("fresh"),
        &checked,
        Mode::Replace,
        clock().now,
    )
    .unwrap();
    assert_eq!(content(&fresh), content(&store));
    assert_eq!(
        summary.message,
        "Restored 3 cycles (backup from 2026-11-27)."
    );
    // An empty database had nothing to keep, so no snapshot.
    assert_eq!(summary.snapshot, None);
    drop((empty, fresh));
    let reopened = Store::open(&dir.path().join("fresh")).unwrap();
    assert_eq!(content(&reopened), content(&store));
}

/// The backup at `file` with its cycles in reverse order and its fields in another
/// order (the cycles first, the header last), its checksum made right.
fn reordered_backup(file: &Path) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    v["cycles"].as_array_mut().unwrap().reverse();
    with_checksum(&v, true)
}

#[test]
fn a_restore_session_takes_cycles_in_any_order_and_gives_back_every_one() {
    let (dir, store, file) = exported();
    let path = dir.path().join("reordered.json");
    std::fs::write(&path, reordered_backup(&file)).unwrap();
    let fresh_dir = dir.path().join("fresh");
    let empty = Store::open(&fresh_dir).unwrap();
    let mut session = RestoreSession::open(&path, &fresh_dir).unwrap();
    assert!(!session.is_encrypted());
    assert_eq!(session.check(None, clock()).unwrap().cycles.count(), 3);
    let preview = session.preview(&empty).unwrap();
    assert_eq!((preview.in_file, preview.new, preview.stored), (3, 3, 0));
    let (fresh, summary) = session
        .apply(&empty, &fresh_dir, Mode::Replace, clock())
        .unwrap();
    assert_eq!(content(&fresh), content(&store));
    assert_eq!(summary.total, 3);
    // The spooled cycles had no name in the data folder and are gone with the session.
    let left: Vec<String> = std::fs::read_dir(&fresh_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // Merged into the data it came from, it changes nothing.
    let mut again = RestoreSession::open(&path, &dir.path().join("data")).unwrap();
    again.check(None, clock()).unwrap();
    let (_, summary) = again
        .apply(&store, &dir.path().join("data"), Mode::Merge, clock())
        .unwrap();
    assert!(!summary.changed, "{}", summary.message);
}

#[test]
fn a_restore_session_unlocks_an_encrypted_backup_and_can_be_retried() {
    let (dir, store, file) = exported();
    let path = dir.path().join("sealed.json.age");
    let sealed = backup::encrypt(&reordered_backup(&file), PASS, FAST).unwrap();
    std::fs::write(&path, sealed).unwrap();
    let fresh_dir = dir.path().join("fresh");
    let empty = Store::open(&fresh_dir).unwrap();
    let mut session = RestoreSession::open(&path, &fresh_dir).unwrap();
    assert!(session.is_encrypted());
    let err = session.check(None, clock()).expect_err("needs one");
    assert_eq!(err.kind(), "needsPassphrase");
    let err = session
        .check(Some("not it at all"), clock())
        .expect_err("wrong");
    assert_eq!(err.kind(), "wrongPassphrase");
    assert_eq!(session.preview(&empty).unwrap_err().kind(), "usage");
    session.check(Some(PASS), clock()).unwrap();
    let (fresh, _) = session
        .apply(&empty, &fresh_dir, Mode::Merge, clock())
        .unwrap();
    assert_eq!(content(&fresh), content(&store));
}

#[test]
fn an_encrypted_backup_opens_with_its_passphrase_and_with_age_itself() {
    let (dir, store, _file) = exported();
    let file = dir.path().join("backup.json.age");
    let summary = backup::export(&store, &file, clock().now, Some(PASS)).unwrap();
    assert!(summary.encrypted);
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    let stanza = String::from_utf8_lossy(&bytes[..80])
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    assert!(
        stanza.ends_with(" 18"),
        "age's default work factor: {stanza}"
    );
    assert!(!String::from_utf8_lossy(&bytes).contains("hill 10k"));
    let back = backup::read(&file, Some(PASS), clock().latest_backup_day()).unwrap();
    assert_eq!(back.cycles, content(&store));
    // Without Rebound: the plaintext is the plain backup document.
    let plain = backup::decrypt(&bytes, PASS).unwrap();
    let value: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(value["format"], "rebound-backup");
    // The `age` tool, when this machine has it, opens it too.
    let age_tool = ["age", "rage"].into_iter().find(|tool| {
        std::process::Command::new(tool)
            .arg("--version")
            .output()
            .is_ok()
    });
    if let Some(tool) = age_tool {
        println!("{tool} is installed; its passphrase prompt needs a terminal, so only the header is checked");
    }
}

/// A backup encrypted by the `age` command-line tool itself (`age -p`, Go age 1.1.1, its
/// default work factor 2^18), from a plain backup Rebound wrote: Rebound restores it.
#[test]
fn a_backup_encrypted_by_the_age_tool_restores() {
    let sealed = include_bytes!("fixtures/made-by-age-cli.json.age");
    let back = backup::open_bytes(
        sealed,
        Some("four calm words here"),
        clock().latest_backup_day(),
    )
    .unwrap();
    assert_eq!(back.cycles.len(), 1);
    assert_eq!(back.cycles[0].fields.attempt, "try");
    let err = backup::open_bytes(sealed, Some("four calm words"), clock().latest_backup_day())
        .unwrap_err();
    assert_eq!(err.kind(), "wrongPassphrase");
}

#[test]
fn the_backup_describes_itself() {
    let (_dir, _store, file) = exported();
    let value: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(value["format"], "rebound-backup");
    assert_eq!(value["format_version"], 3);
    assert_eq!(value["app_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        (value["checkin_count"].clone(), value["pref_count"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(value["exported_at"], "2026-11-27T09:30:00Z");
    assert_eq!(value["cycle_count"], 3);
    assert!(value["checksum"].as_str().unwrap().starts_with("sha256:"));
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

/// A backup's content with these cycles and nothing else.
fn cycles_only(cycles: Vec<Cycle>) -> Base {
    Base {
        cycles,
        ..Base::default()
    }
}

#[test]
fn format_three_is_pinned() {
    let mut content = cycles_only(vec![fixed_cycle()]);
    content.checkins.insert(clock().today, [4, 2, 4, 2, 4, 2]);
    content
        .prefs
        .insert("reminder".into(), json!({"enabled": true, "time": "19:30"}));
    let bytes = backup::to_json(&content, clock().now).unwrap();
    insta::assert_snapshot!("backup_format_3", String::from_utf8(bytes).unwrap());
}

#[test]
fn a_format_two_backup_still_restores_its_cycles() {
    let text = include_str!("fixtures/backup-format-2.json");
    let back = backup::parse(text.as_bytes(), clock().latest_backup_day()).unwrap();
    assert_eq!(back.format_version, 2);
    assert_eq!(back.cycles, vec![fixed_cycle()]);
    assert!(!back.holds_more_than_cycles());
}

#[test]
fn a_format_one_backup_is_upgraded_and_restored() {
    let text = include_str!("fixtures/backup-format-1.json");
    let back = backup::parse(text.as_bytes(), clock().latest_backup_day()).unwrap();
    assert_eq!(back.format_version, 1);
    assert_eq!(back.cycles, vec![fixed_cycle()]);
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

// ---- Restore: merge, replace, identical, snapshots ----

#[test]
fn merge_keeps_the_newer_copy_and_replace_gives_exactly_the_file() {
    let (dir, store, file) = exported();
    let original = content(&store);
    // Edit one cycle after the backup, delete another, add a new one.
    let edited = use_cases::edit_cycle(
        &store,
        &original[1].id.to_string(),
        draft("running", "hill 10k, edited", "success", 4, "2026-11-22"),
        clock_plus(10),
    )
    .unwrap();
    use_cases::delete_cycle(&store, &original[2].id.to_string()).unwrap();
    use_cases::log_cycle(
        &store,
        draft("sales", "cold call", "failure", 3, "2026-11-27"),
        clock(),
    )
    .unwrap();

    let checked = backup::read(&file, None, clock().latest_backup_day()).unwrap();
    let preview = restore::preview(&store, &checked).unwrap();
    assert_eq!(
        (
            preview.new,
            preview.changed,
            preview.newer_in_file,
            preview.identical,
            preview.only_here
        ),
        (1, 1, 0, 1, 1)
    );
    assert_eq!(preview.first_day, NaiveDate::from_ymd_opt(2026, 11, 20));
    assert_eq!(preview.last_day, NaiveDate::from_ymd_opt(2026, 11, 26));

    let (merged, summary) = restore_file(dir.path(), &store, &file, None, Mode::Merge).unwrap();
    assert_eq!((summary.added, summary.updated, summary.removed), (1, 0, 0));
    let after = content(&merged);
    assert_eq!(after.len(), 4);
    assert!(after.contains(&edited), "the newer edit is kept");
    assert!(after.contains(&original[2]), "the deleted cycle is back");
    let snapshot = summary.snapshot.expect("a snapshot of the data before");
    let kept = backup::read(&snapshot, None, clock().latest_backup_day()).unwrap();
    assert_eq!(
        kept.cycles.len(),
        3,
        "the snapshot holds the data as it was"
    );

    let (replaced, summary) =
        restore_file(dir.path(), &merged, &file, None, Mode::Replace).unwrap();
    assert_eq!(content(&replaced), original);
    assert_eq!(
        summary.message,
        "Restored 3 cycles (backup from 2026-11-27)."
    );
    drop((store, merged, replaced));
    let reopened = Store::open(&dir.path().join("data")).unwrap();
    assert_eq!(
        content(&reopened),
        original,
        "the restore survives a restart"
    );
}

#[test]
fn an_identical_backup_changes_nothing_and_writes_nothing() {
    let (dir, store, file) = exported();
    let data = dir.path().join("data");
    let listing = |p: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let before = listing(&data);
    for mode in [Mode::Merge, Mode::Replace] {
        let (same, summary) = restore_file(dir.path(), &store, &file, None, mode).unwrap();
        assert!(!summary.changed);
        assert!(
            summary.message.starts_with("Nothing to restore"),
            "{}",
            summary.message
        );
        assert_eq!(content(&same), content(&store));
    }
    assert_eq!(
        listing(&data),
        before,
        "no snapshot, no new database folder"
    );
}

#[test]
fn a_restore_into_a_database_that_will_not_open_keeps_the_damaged_one_aside() {
    let (dir, store, _file) = exported();
    let data = dir.path().join("data");
    let original = content(&store);
    drop(store);
    damage(&data);
    assert!(
        Store::open(&data).is_err(),
        "the damaged database does not open"
    );
    let (fresh, report) = Store::recover(&data, || Ok(None)).unwrap();
    assert_eq!(report.source, "the recovery journal");
    assert_eq!(content(&fresh), original);
    drop(fresh);
    assert_eq!(content(&Store::open(&data).unwrap()), original);
    let aside = std::fs::read_dir(&data)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("damaged-db")
        })
        .count();
    assert_eq!(aside, 1, "the damaged database is kept, not deleted");
}

#[test]
fn an_areas_own_band_and_rule_and_the_planned_attempt_travel_in_a_backup_and_the_journal() {
    let (dir, store, _file) = exported();
    let data = dir.path().join("data");
    use_cases::set_area_guide(&store, "Running", Some((60, 80)), Some((2, 1))).unwrap();
    use_cases::save_plan(
        &store,
        "running",
        "hill 12k",
        5,
        "2026-11-30",
        clock_plus(1),
    )
    .unwrap();
    let guide = use_cases::area_guide(&store, "running").unwrap();
    let plan = use_cases::current_plan(&store, clock()).unwrap();
    assert!(guide.own_band && guide.own_staircase && plan.is_some());

    // Format 3 carries them: restored into an empty database, they are back.
    let file = dir.path().join("guides.json");
    use_cases::export_backup(&store, &file, None, clock()).unwrap();
    let fresh_dir = dir.path().join("fresh");
    let empty = Store::open(&fresh_dir).unwrap();
    let checked = backup::read(&file, None, clock().latest_backup_day()).unwrap();
    let (fresh, _) =
        restore::apply(&empty, &fresh_dir, &checked, Mode::Replace, clock().now).unwrap();
    assert_eq!(use_cases::area_guide(&fresh, "running").unwrap(), guide);
    assert_eq!(use_cases::current_plan(&fresh, clock()).unwrap(), plan);

    // The recovery journal carries them: data that will not open comes back with them.
    drop(store);
    damage(&data);
    let (recovered, _) = Store::recover(&data, || Ok(None)).unwrap();
    assert_eq!(use_cases::area_guide(&recovered, "running").unwrap(), guide);
    assert_eq!(use_cases::current_plan(&recovered, clock()).unwrap(), plan);
}

#[test]
fn a_pointer_to_a_missing_database_is_an_error_not_an_empty_app() {
    let (dir, first, file) = exported();
    let (second, _) = restore_file(dir.path(), &first, &file, None, Mode::Replace).unwrap();
    use_cases::log_cycle(
        &second,
        draft("x", "y", "failure", 3, "2026-11-27"),
        clock(),
    )
    .unwrap();
    let (third, _) = restore_file(dir.path(), &second, &file, None, Mode::Replace).unwrap();
    drop((first, second, third));
    let data = dir.path().join("data");
    let live = std::fs::read_to_string(data.join("current-db")).unwrap();
    std::fs::remove_dir_all(data.join(live.trim())).unwrap();
    let err = Store::open(&data).err().expect("refused");
    assert_eq!(err.kind(), "unopenable", "{err}");
    assert!(err.to_string().contains("is missing"), "{err}");
}

// ---- Hostile and damaged files ----

/// Try to restore `bytes` into a database with three cycles: it must be refused with
/// `kind`, and the database's content hash must not change. Returns the message.
fn refused_with(bytes: &[u8], passphrase: Option<&str>, kind: &str) -> String {
    let (dir, store, _file) = exported();
    let before = content_hash(&store);
    let path = dir.path().join("hostile");
    std::fs::write(&path, bytes).unwrap();
    let mut message = None;
    for mode in [Mode::Merge, Mode::Replace] {
        let err = refusal(restore_file(dir.path(), &store, &path, passphrase, mode));
        assert_eq!(err.kind(), kind, "{err}");
        message = Some(err.to_string());
    }
    assert_eq!(
        content_hash(&store),
        before,
        "a refused file changed the database"
    );
    assert!(
        !dir.path().join("data").join("snapshots").exists(),
        "nothing was even snapshotted"
    );
    message.unwrap()
}

fn refused(bytes: &[u8], kind: &str) -> String {
    refused_with(bytes, None, kind)
}

fn good_backup() -> Value {
    let (_dir, _store, file) = exported();
    serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap()
}

/// A good backup after `change`, with its checksum recomputed as a careful forger
/// would, so the field checks themselves are what refuses it.
fn forged(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut v = good_backup();
    change(&mut v);
    with_checksum(&v, false)
}

/// The text of the backup `v` with its checksum recomputed, its cycles, check-ins and
/// preferences last (as Rebound writes them) or first.
fn with_checksum(v: &Value, parts_first: bool) -> Vec<u8> {
    // serde_json writes each part without spaces, as the checksum needs it: format 3
    // covers the cycles, the check-ins and the preferences, joined by newlines.
    let parts: Vec<String> = ["cycles", "checkins", "prefs"]
        .iter()
        .map(|name| v[*name].to_string())
        .collect();
    let sum = format!("sha256:{:x}", Sha256::digest(parts.join("\n").as_bytes()));
    let mut top = v.as_object().cloned().unwrap();
    for name in ["cycles", "checkins", "prefs"] {
        top.remove(name);
    }
    top.insert("checksum".into(), json!(sum));
    let head = serde_json::to_string(&top).unwrap();
    let parts = format!(
        "\"cycles\":{},\n\"checkins\":{},\"prefs\":{}",
        parts[0], parts[1], parts[2]
    );
    if parts_first {
        format!("{{{parts}, {}\n", &head[1..]).into_bytes()
    } else {
        format!("{},{parts}}}", &head[..head.len() - 1]).into_bytes()
    }
}

/// A format-2 header with a correct checksum around any `cycles` text.
fn with_cycles_text(text: &str, count: usize) -> Vec<u8> {
    let sum = format!("sha256:{:x}", Sha256::digest(text.as_bytes()));
    format!(
        "{{\"format\": \"rebound-backup\", \"format_version\": 2, \"app_version\": \"0.1.0\", \
         \"exported_at\": \"2026-11-27T09:30:00Z\", \"cycle_count\": {count}, \"checksum\": \"{sum}\", \
         \"cycles\": {text}}}"
    )
    .into_bytes()
}

#[test]
fn the_forger_helper_makes_a_file_that_is_accepted_unchanged() {
    let bytes = forged(|_| {});
    assert!(backup::parse(&bytes, clock().latest_backup_day()).is_ok());
}

#[test]
fn hostile_and_damaged_files_are_refused_with_a_specific_message() {
    let mut corpus = 0;
    let mut check = |bytes: &[u8], kind: &str, says: &str| {
        let message = refused(bytes, kind);
        assert!(message.contains(says), "expected {says:?} in: {message}");
        corpus += 1;
    };
    check(b"", "notABackup", "the file is empty");
    check(b"  \n\t ", "notABackup", "the file is empty");
    check(b"\x89PNG\r\n\x1a\n\0\0", "notABackup", "not JSON");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect();
    check(&random, "notABackup", "not JSON");
    check(
        br#"{"habits": [], "version": 3}"#,
        "notABackup",
        "\"format\": \"rebound-backup\"",
    );
    // jrnl's own JSON export: somebody else's journal.
    check(
        br#"{"tags": {}, "entries": [{"title": "x", "body": "y", "date": "2026-11-02"}]}"#,
        "notABackup",
        "\"format\": \"rebound-backup\"",
    );
    check(b"[1, 2, 3]", "notABackup", "not a JSON object");
    check(b"\"rebound-backup\"", "notABackup", "not a JSON object");

    check(
        &forged(|v| v["format_version"] = json!(4)),
        "backupFromNewer",
        "update Rebound to restore this backup",
    );
    check(
        &forged(|v| v["format_version"] = json!("two")),
        "backupDamaged",
        "format_version",
    );
    check(
        &forged(|v| v["exported_at"] = json!("yesterday")),
        "backupDamaged",
        "exported_at",
    );
    check(
        &forged(|v| {
            let first = v["cycles"][0].clone();
            v["cycles"].as_array_mut().unwrap().push(first);
            v["cycle_count"] = json!(4);
        }),
        "backupDamaged",
        "cycle 4 repeats the id",
    );
    check(
        &forged(|v| v["cycles"][1]["difficulty"] = json!(99)),
        "backupDamaged",
        "cycle 2: difficulty must be a whole number from 1 to 10 (got 99)",
    );
    check(
        &forged(|v| v["cycles"][0]["stakes"] = json!(-1)),
        "backupDamaged",
        "cycle 1: stakes",
    );
    check(
        &forged(|v| v["cycles"][0]["difficulty"] = json!(true)),
        "backupDamaged",
        "cycle 1: difficulty",
    );
    check(
        &forged(|v| v["cycles"][2]["attempted_on"] = json!("1850-01-01")),
        "backupDamaged",
        "cycle 3: attempted_on",
    );
    check(
        &forged(|v| v["cycles"][0]["outcome"] = json!("victory")),
        "backupDamaged",
        "cycle 1: outcome",
    );
    check(
        &forged(|v| v["cycles"][0]["id"] = json!("not-an-id")),
        "backupDamaged",
        "is not a cycle id",
    );
    check(
        &forged(|v| v["cycles"][0]["updated_at"] = json!("2001-01-01T00:00:00Z")),
        "backupDamaged",
        "earlier than created_at",
    );
    check(
        &forged(|v| v["cycles"][0]["attempt"] = json!("x".repeat(2_000))),
        "backupDamaged",
        "too long",
    );
    check(
        &forged(|v| v["cycles"][0]["observation"] = json!("y".repeat(5_000_000))),
        "backupDamaged",
        "too long",
    );
    check(
        &forged(|v| v["cycles"][0]["area"] = json!({"nested": [1, 2, 3]})),
        "backupDamaged",
        "cycle 1: area",
    );
    check(
        &forged(|v| v["cycles"][0]["mood"] = json!("sunny")),
        "backupDamaged",
        "cycle 1",
    );
    check(
        &forged(|v| {
            v["checkins"] = json!([{"day": "2026-11-01", "answers": [1, 2, 3, 4, 5, 9]}]);
            v["checkin_count"] = json!(1);
        }),
        "backupDamaged",
        "answer 6 must be a whole number from 1 to 5",
    );
    check(
        &forged(|v| v["checkin_count"] = json!(2)),
        "backupDamaged",
        "it says it holds 2 check-ins but has 0",
    );
    check(
        &forged(|v| v["prefs"] = json!(["reminder"])),
        "backupDamaged",
        "preferences are not an object",
    );
    check(
        &forged(|v| v["cycle_count"] = json!(7)),
        "backupDamaged",
        "says it holds 7",
    );
    let mut v = good_backup();
    v.as_object_mut().unwrap().remove("cycles");
    check(
        v.to_string().as_bytes(),
        "backupDamaged",
        "no list of cycles",
    );
    check(
        &forged(|v| v["cycles"] = json!({"a": 1})),
        "backupDamaged",
        "not a list",
    );
    let nested = format!(
        "{{\"format\": \"rebound-backup\", \"x\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    // Deep nesting beside the cycles is skipped without recursion; inside them it is
    // refused by name.
    check(nested.as_bytes(), "backupDamaged", "format_version");
    let deep = format!(
        "[{{\"area\": {}{}}}]",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    check(&with_cycles_text(&deep, 1), "backupDamaged", "nests");

    // A checksum that does not match: one letter changed after writing.
    let text = String::from_utf8(std::fs::read(exported().2).unwrap()).unwrap();
    check(
        text.replacen("hill 10k again", "hill 10k AGAIN", 1)
            .as_bytes(),
        "backupDamaged",
        "does not match its checksum",
    );
    // A checksum field missing from format 3.
    let mut v = good_backup();
    v.as_object_mut().unwrap().remove("checksum");
    check(
        v.to_string().as_bytes(),
        "backupDamaged",
        "checksum is missing",
    );

    // Encrypted: wrong passphrase, none given, and a file encrypted to a key.
    let plain = serde_json::to_vec(&good_backup()).unwrap();
    let sealed = backup::encrypt(&plain, PASS, FAST).unwrap();
    let message = refused_with(&sealed, Some("the wrong one"), "wrongPassphrase");
    assert!(
        message.contains("passphrase does not open this backup"),
        "{message}"
    );
    let message = refused_with(&sealed, None, "needsPassphrase");
    assert!(message.contains("enter its passphrase"), "{message}");
    corpus += 2;
    println!("hostile corpus: {corpus} named cases refused, database unchanged");
}

#[test]
fn a_backup_cut_short_anywhere_is_refused_and_changes_nothing() {
    let (dir, store, file) = exported();
    let before = content_hash(&store);
    let bytes = std::fs::read(&file).unwrap();
    let path = dir.path().join("cut.json");
    let mut cuts = 0;
    for cut in (0..bytes.len() - 2).step_by((bytes.len() / 60).max(1)) {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let result = restore_file(dir.path(), &store, &path, None, Mode::Replace);
        assert!(result.is_err(), "a backup cut at byte {cut} was accepted");
        cuts += 1;
    }
    assert_eq!(content_hash(&store), before);
    assert!(cuts >= 50);
}

#[test]
fn an_encrypted_backup_cut_short_or_changed_anywhere_is_refused() {
    let (dir, store, _file) = exported();
    let before = content_hash(&store);
    let plain = backup::to_json(&cycles_only(content(&store)), clock().now).unwrap();
    let sealed = backup::encrypt(&plain, PASS, FAST).unwrap();
    let path = dir.path().join("cut.age");
    let step = (sealed.len() / 60).max(1);
    for cut in (0..sealed.len() - 1).step_by(step) {
        std::fs::write(&path, &sealed[..cut]).unwrap();
        let err = refusal(restore_file(
            dir.path(),
            &store,
            &path,
            Some(PASS),
            Mode::Replace,
        ));
        assert_ne!(err.kind(), "io", "cut at {cut}: {err}");
    }
    for position in (0..sealed.len()).step_by(step) {
        let mut damaged = sealed.clone();
        damaged[position] ^= 0x01;
        std::fs::write(&path, &damaged).unwrap();
        let result = restore_file(dir.path(), &store, &path, Some(PASS), Mode::Replace);
        assert!(result.is_err(), "a flipped bit at {position} was accepted");
    }
    assert_eq!(content_hash(&store), before);
}

#[test]
fn a_flipped_byte_in_a_plain_backup_is_refused_or_harmless_never_a_crash() {
    let (dir, store, file) = exported();
    let bytes = std::fs::read(&file).unwrap();
    let path = dir.path().join("flipped.json");
    let cycles_start = String::from_utf8_lossy(&bytes).find("\"cycles\"").unwrap();
    for position in (0..bytes.len()).step_by(13) {
        let mut damaged = bytes.clone();
        damaged[position] ^= 0x20;
        std::fs::write(&path, &damaged).unwrap();
        let result = backup::read(&path, None, clock().latest_backup_day());
        if position > cycles_start + 12 {
            // Inside the cycles, the checksum catches every change.
            assert!(
                result.is_err(),
                "a flip at {position} inside the cycles was accepted"
            );
        }
    }
    assert_eq!(content(&store).len(), 3);
}

#[test]
fn a_huge_file_that_is_not_a_backup_is_refused_at_its_first_bytes() {
    // Backups are read a piece at a time, so size alone refuses nothing; what is not a
    // backup is told at once, without reading on through the rest.
    let dir = temp_dir();
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_BACKUP_BYTES + 1).unwrap();
    let err = backup::read(&path, None, clock().today).unwrap_err();
    assert_eq!(err.kind(), "notABackup", "{err}");
    assert!(err.to_string().contains("not JSON text"), "{err}");
}

#[test]
fn a_missing_file_says_so() {
    let dir = temp_dir();
    let err = backup::read(&dir.path().join("nope.json"), None, clock().today).unwrap_err();
    assert!(err.to_string().starts_with("could not open"), "{err}");
}

// ---- Readable exports ----

#[test]
fn csv_has_a_column_per_field_and_a_row_per_cycle() {
    let (dir, store, _file) = exported();
    let mut tricky = full_draft();
    tricky["attempt"] = json!("Said \"no\", twice,\nthen =SUM(A1)");
    use_cases::log_cycle(&store, tricky, clock()).unwrap();
    let path = dir.path().join("cycles.csv");
    let summary = readable::export(&store, &path, readable::Format::Csv, clock().now).unwrap();
    assert_eq!(summary.cycles, 4);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(&FIELD_NAMES.join(",")));
    assert!(
        text.contains("\"Said \"\"no\"\", twice,\nthen =SUM(A1)\""),
        "{text}"
    );
    // Records: header + 4, each ending in CRLF outside quotes.
    assert_eq!(text.matches("\r\n").count(), 5);
}

#[test]
fn markdown_reads_as_a_journal() {
    let (dir, store, _file) = exported();
    let path = dir.path().join("cycles.md");
    readable::export(&store, &path, readable::Format::Markdown, clock().now).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Rebound cycles\n\n3 cycles exported on 2026-11-27."));
    assert!(text.contains("## 2026-11-20 · client pitches · failure"));
    assert!(text.contains("**Observation**") || text.contains("- Observation: "));
    assert!(text.contains("hill 10k again"));
}

// ---- Automatic backups ----

#[test]
fn automatic_backups_are_made_once_a_day_and_the_newest_kept() {
    let (dir, store, _file) = exported();
    let data = dir.path().join("data");
    local_settings::update(&data, |s| s.backups.keep = 3).unwrap();
    let mut day_clock = clock();
    for n in 0..5 {
        day_clock.today = NaiveDate::from_ymd_opt(2026, 11, 20 + n).unwrap();
        assert!(auto::run_if_due(&store, &data, day_clock)
            .unwrap()
            .is_some());
        assert!(
            auto::run_if_due(&store, &data, day_clock)
                .unwrap()
                .is_none(),
            "only once a day"
        );
    }
    let list = auto::list(&data);
    let days: Vec<String> = list.iter().map(|b| b.day.to_string()).collect();
    assert_eq!(days, ["2026-11-24", "2026-11-23", "2026-11-22"]);
    assert!(list[0].path.starts_with(data.join("backups")));
    // Each is a whole backup that restores.
    let back = backup::read(&list[2].path, None, clock().latest_backup_day()).unwrap();
    assert_eq!(back.cycles, content(&store));
    // Only names from the list are found: never a path.
    assert!(auto::find(&data, "../../etc/passwd").is_err());
    assert!(auto::find(&data, &list[0].name).is_ok());
}

#[test]
fn an_empty_database_is_never_backed_up_over_good_backups() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    assert!(auto::run_if_due(&store, dir.path(), clock())
        .unwrap()
        .is_none());
    assert!(auto::list(dir.path()).is_empty());
}

#[test]
fn automatic_backups_go_into_the_chosen_folder_and_can_be_turned_off() {
    let (dir, store, _file) = exported();
    let data = dir.path().join("data");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    local_settings::update(&data, |s| {
        s.backups.folder = Some(elsewhere.clone());
        s.backups.enabled = false;
    })
    .unwrap();
    assert!(auto::run_if_due(&store, &data, clock()).unwrap().is_none());
    local_settings::update(&data, |s| s.backups.enabled = true).unwrap();
    let made = auto::run_if_due(&store, &data, clock()).unwrap().unwrap();
    assert!(made.path.starts_with(&elsewhere));
}

// ---- Round trips for any data ----

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

fn unique(mut cycles: Vec<Cycle>) -> Vec<Cycle> {
    cycles.sort_by_key(|c| c.id);
    cycles.dedup_by_key(|c| c.id);
    cycles
}

proptest! {
    /// Any cycles → backup text → parsed back: the same cycles.
    #[test]
    fn any_cycles_round_trip_through_the_backup_text(cycles in proptest::collection::vec(any_cycle(), 0..8)) {
        let cycles = unique(cycles);
        let bytes = backup::to_json(&cycles_only(cycles.clone()), clock().now).unwrap();
        let back = backup::parse(&bytes, latest()).unwrap();
        prop_assert_eq!(back.cycles, cycles);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Any cycles → a database → a backup file (plain or encrypted) → restored into an
    /// empty database: the same content.
    #[test]
    fn any_cycles_round_trip_through_export_and_restore(
        cycles in proptest::collection::vec(any_cycle(), 0..12),
        encrypted in any::<bool>(),
    ) {
        let dir = temp_dir();
        let store = Store::open(&dir.path().join("a")).unwrap();
        store.add_cycles(&cycles).unwrap();
        let file = dir.path().join("b");
        let mut bytes = backup::to_json(&cycles_only(store.all_by_id().unwrap()), clock().now).unwrap();
        if encrypted {
            bytes = backup::encrypt(&bytes, PASS, FAST).unwrap();
        }
        backup::write_atomic(&file, &bytes).unwrap();
        let fresh_dir = dir.path().join("c");
        let fresh = Store::open(&fresh_dir).unwrap();
        let checked = backup::read(&file, encrypted.then_some(PASS), latest()).unwrap();
        let (fresh, _) = restore::apply(&fresh, &fresh_dir, &checked, Mode::Replace, clock().now).unwrap();
        prop_assert_eq!(content(&fresh), content(&store));
        // And restoring it again changes nothing.
        let (again, summary) = restore::apply(&fresh, &fresh_dir, &checked, Mode::Merge, clock().now).unwrap();
        prop_assert!(!summary.changed);
        prop_assert_eq!(content(&again), content(&store));
    }
}
