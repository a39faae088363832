//! The fixed moment the core's benchmarks run at, so their figures never depend on the
//! date they are run on (included by each bench with `#[path]`).

use chrono::{DateTime, NaiveDate};
use rebound_core::clock::Clock;

/// 2026-11-27, 09:30 UTC.
pub fn clock() -> Clock {
    Clock {
        now: DateTime::parse_from_rfc3339("2026-11-27T09:30:00Z")
            .map(|t| t.to_utc())
            .unwrap_or_default(),
        today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default(),
        time: chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default(),
    }
}
