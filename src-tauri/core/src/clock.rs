//! The moment an operation happens, passed in rather than read inside, so every use
//! case can be tested on a fixed day. The lowest layer: it imports nothing of Rebound's.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, Utc};

/// The moment an operation happens: the instant for timestamps, and the person's local
/// day and time of day (for "today" and the reminder, which are local). Passed in, so
/// tests can fix it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub time: NaiveTime,
}

impl Clock {
    /// The system clock, with the day and time in the local time zone.
    pub fn system() -> Clock {
        // One reading of the clock, so the instant and the local day always agree.
        let now = Utc::now().trunc_subsecs(3);
        let local = now.with_timezone(&Local).naive_local();
        Clock {
            // Milliseconds are plenty for a journal and keep the JSON readable.
            now,
            today: local.date(),
            time: local.time(),
        }
    }

    /// The person's local date and time.
    pub fn local(&self) -> NaiveDateTime {
        self.today.and_time(self.time)
    }

    /// The last attempt date accepted from a backup: a day of slack for a backup made
    /// in a time zone ahead of this one.
    pub fn latest_backup_day(&self) -> NaiveDate {
        self.today.succ_opt().unwrap_or(self.today)
    }
}

#[cfg(test)]
impl Clock {
    /// 2026-11-27, 09:30 UTC: the fixed moment the unit tests run at.
    pub(crate) fn for_tests() -> Clock {
        use chrono::TimeZone;
        Clock {
            now: Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap(),
            today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            time: NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
        }
    }
}
