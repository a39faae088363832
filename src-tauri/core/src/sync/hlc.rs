//! The hybrid logical clock every change is stamped with: milliseconds of wall time and
//! a counter. It never runs backwards on one computer, and it moves past every stamp a
//! computer has read from another, so a change made after seeing another one always
//! carries the later stamp, whatever the two computers' clocks say. Ties between two
//! computers are broken by their device ids, outside this type.
//!
//! Written in a segment as `[milliseconds, counter]`. Pure: no files, no clock reads.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A stamp: wall time in milliseconds since 1970, then a counter for stamps made within
/// the same millisecond (or while the wall clock lags a stamp already seen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Hlc(pub u64, pub u32);

impl Ord for Hlc {
    fn cmp(&self, other: &Hlc) -> Ordering {
        (self.0, self.1).cmp(&(other.0, other.1))
    }
}

impl PartialOrd for Hlc {
    fn partial_cmp(&self, other: &Hlc) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Hlc {
    /// The next stamp after `self`, for a change made at `wall` (a hint: the edit's own
    /// time when known). Always later than `self`.
    pub fn tick(self, wall: DateTime<Utc>) -> Hlc {
        let millis = u64::try_from(wall.timestamp_millis()).unwrap_or(0);
        if millis > self.0 {
            Hlc(millis, 0)
        } else if self.1 == u32::MAX {
            Hlc(self.0.saturating_add(1), 0)
        } else {
            Hlc(self.0, self.1 + 1)
        }
    }

    /// Take in a stamp read from another computer: the clock is now at least there.
    pub fn observe(self, seen: Hlc) -> Hlc {
        self.max(seen)
    }

    /// The wall time of this stamp.
    pub fn wall(self) -> DateTime<Utc> {
        i64::try_from(self.0)
            .ok()
            .and_then(DateTime::from_timestamp_millis)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(millis: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(millis).unwrap_or_default()
    }

    #[test]
    fn a_clock_never_runs_backwards_and_passes_what_it_has_seen() {
        let a = Hlc::default().tick(at(1_000));
        assert_eq!(a, Hlc(1_000, 0));
        // The wall clock stepped back: the counter carries on.
        let b = a.tick(at(900));
        assert_eq!(b, Hlc(1_000, 1));
        assert!(b > a);
        // A stamp from a computer whose clock runs ahead.
        let seen = b.observe(Hlc(5_000, 3));
        let c = seen.tick(at(1_001));
        assert!(c > Hlc(5_000, 3), "{c:?}");
        assert_eq!(Hlc(u64::MAX - 1, u32::MAX).tick(at(0)), Hlc(u64::MAX, 0));
    }
}
