//! The backup document's tests: written in parts as whole, old headers upgraded, the
//! checksum.

use super::*;

/// The document written whole with its cycles as a raw value, as Rebound always
/// wrote it: what the parts must add up to, byte for byte.
fn written_whole(content: &Base, now: DateTime<Utc>) -> Vec<u8> {
    let raw = |text: String| RawValue::from_string(text).unwrap();
    let cycles = raw(list_text(&content.cycles).unwrap());
    let entries = checkin_entries(content);
    let checkins = raw(list_text(&entries).unwrap());
    let prefs = raw(serde_json::to_string(&content.prefs).unwrap());
    let document = Document {
        format: FORMAT_NAME,
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION"),
        exported_at: format_timestamp(&now),
        cycle_count: content.cycles.len(),
        checkin_count: entries.len(),
        pref_count: content.prefs.len(),
        checksum: checksum(&[cycles.get(), checkins.get(), prefs.get()]),
        cycles: &cycles,
        checkins: &checkins,
        prefs: &prefs,
    };
    let mut bytes = serde_json::to_vec_pretty(&document).unwrap();
    bytes.push(b'\n');
    bytes
}

#[test]
fn a_backup_written_in_parts_is_the_document_written_whole() {
    let latest = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap();
    let cycle = |n: u32| {
        let draft = serde_json::json!({
            "area": "work", "attempt": format!("attempt {n}, \"quoted\"\nand on"),
            "attempted_on": "2026-11-02", "outcome": "partial", "difficulty": 5,
            "stakes": 2, "effort": 3, "safety": 3, "observation": "cycles: 0,",
        });
        let fields = crate::cycle::CycleDraft::from_value(draft)
            .unwrap()
            .check(latest)
            .unwrap();
        Cycle::new(fields, now)
    };
    let mut full = Base {
        cycles: (0..3).map(cycle).collect(),
        ..Base::default()
    };
    full.checkins.insert(
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        [4, 2, 4, 2, 4, 2],
    );
    full.prefs
        .insert("reminder".into(), serde_json::json!({"enabled": true}));
    for content in [Base::default(), full] {
        let parts = to_parts_of(CycleList::of(&content.cycles).unwrap(), &content, now).unwrap();
        let len = parts.len();
        let mut joined = Vec::new();
        parts.write_to(&mut joined).unwrap();
        assert_eq!(joined.len() as u64, len);
        assert_eq!(
            String::from_utf8(joined).unwrap(),
            String::from_utf8(written_whole(&content, now)).unwrap()
        );
        assert_eq!(
            to_json(&content, now).unwrap(),
            written_whole(&content, now)
        );
    }
}

#[test]
fn format_one_headers_upgrade_to_format_two_without_a_checksum() {
    let at = DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default();
    let old = Header {
        format_version: 1,
        app_version: "0.1.0".into(),
        exported_at: at,
        cycle_count: Some(3),
        checksum: None,
    };
    let new = upgrade(old.clone());
    assert_eq!(new.format_version, 2);
    assert_eq!((new.cycle_count, new.checksum.clone()), (Some(3), None));
    let newest = upgrade(new.clone());
    assert_eq!(newest.format_version, 3);
    assert_eq!(upgrade(newest.clone()), newest);
}

#[test]
fn the_checksum_is_sha256_in_hex() {
    assert_eq!(
        checksum(&[""]),
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn a_list_that_spills_to_a_file_writes_the_same_document() {
    let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap_or_default();
    let dir = tempfile::tempdir().unwrap();
    let content = Base {
        cycles: (0..40)
            .map(|n| {
                let day = NaiveDate::from_ymd_opt(2026, 1, 1 + n % 28).unwrap();
                let mut fields =
                    crate::cycle::CycleFields::sample("a", day, crate::cycle::Outcome::Failure);
                fields.attempt = format!("attempt {n}");
                Cycle::new(fields, now)
            })
            .collect(),
        ..Base::default()
    };
    let mut list = CycleList::spilling_into(dir.path());
    // A few hundred bytes held at most: nearly every cycle goes through the file.
    list.spill_at = 300;
    for cycle in &content.cycles {
        list.push(&serde_json::to_vec(cycle).unwrap()).unwrap();
    }
    assert!(list.spill.is_some());
    let spilled = to_json_of(list, &content, now).unwrap();
    assert_eq!(spilled, to_json(&content, now).unwrap());
    // The file had no name: nothing is left in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
