//! Shared by the three test binaries (tests/tests.rs, tests/core/main.rs and
//! tests/cli/main.rs); each uses part of it.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate};
use rebound_core::clock::Clock;
use rebound_core::cycle::Cycle;
use rebound_core::store::Store;
use serde_json::{json, Value};
use tempfile::TempDir;

/// A fresh temporary folder, removed when dropped.
pub fn temp_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("rebound-test-")
        .tempdir()
        .expect("a temporary folder")
}

/// 27 November 2026, 09:30 UTC.
pub fn clock() -> Clock {
    Clock {
        now: DateTime::parse_from_rfc3339("2026-11-27T09:30:00Z")
            .unwrap()
            .to_utc(),
        today: day(27),
        time: chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
    }
}

/// The clock `minutes` after `clock()`.
pub fn clock_plus(minutes: i64) -> Clock {
    let base = clock();
    Clock {
        now: base.now + chrono::Duration::minutes(minutes),
        ..base
    }
}

/// A day of November 2026.
pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// A valid draft in `area`, attempted on `on` (YYYY-MM-DD).
pub fn draft(area: &str, attempt: &str, outcome: &str, effort: u8, on: &str) -> Value {
    json!({
        "area": area,
        "attempt": attempt,
        "attempted_on": on,
        "outcome": outcome,
        "difficulty": 6,
        "stakes": 3,
        "effort": effort,
        "safety": 3,
    })
}

/// A draft with every field filled in.
pub fn full_draft() -> Value {
    json!({
        "area": "client pitches",
        "attempt": "Pitched a retainer above my usual rate",
        "attempted_on": "2026-11-20",
        "outcome": "failure",
        "difficulty": 7,
        "stakes": 3,
        "effort": 4,
        "safety": 2,
        "stress": 6,
        "identity": 5,
        "reframe": "This pitch failed because the price came before the value",
        "observation": "They went quiet at the pricing slide",
        "in_my_control": "I showed the price before the outcome",
        "external": "Their budget was set in October",
        "adjustment": "Open every pitch with the result the client gets",
        "check": "The next pitch reaches the pricing slide with questions, not silence"
    })
}

/// Every stored cycle, for comparing a database's content before and after.
pub fn content(store: &Store) -> Vec<Cycle> {
    store.all_by_id().unwrap()
}

/// Damage the database in `data` beyond opening: its folder becomes a file.
pub fn damage(data: &std::path::Path) {
    let db = data.join("db");
    std::fs::remove_dir_all(&db).unwrap();
    std::fs::write(&db, b"not a database").unwrap();
}
