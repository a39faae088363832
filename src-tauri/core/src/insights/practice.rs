//! The practice calendar: attempts per day over the last 52 weeks. It shows practice,
//! never a streak: a quiet week is just a quiet week.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::cycle::Cycle;

/// Whole weeks shown before the current one.
pub const WEEKS: i64 = 52;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Practice {
    /// The Monday the calendar starts on.
    pub start: Option<NaiveDate>,
    /// Attempts per day from `start` to today.
    pub days: Vec<u32>,
    pub attempts: usize,
    pub active_days: usize,
    pub busiest: u32,
}

/// Count attempts per day over the 52 weeks before this one, and this week so far.
pub fn practice(cycles: &[Cycle], today: NaiveDate) -> Practice {
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let start = this_monday - Duration::weeks(WEEKS);
    let len = usize::try_from((today - start).num_days() + 1).unwrap_or(0);
    let mut days = vec![0u32; len];
    for cycle in cycles {
        let offset = (cycle.fields.attempted_on - start).num_days();
        if let Some(slot) = usize::try_from(offset).ok().and_then(|i| days.get_mut(i)) {
            *slot += 1;
        }
    }
    Practice {
        start: Some(start),
        attempts: days.iter().map(|&n| n as usize).sum(),
        active_days: days.iter().filter(|&&n| n > 0).count(),
        busiest: days.iter().copied().max().unwrap_or(0),
        days,
    }
}

impl Practice {
    pub fn sentence(&self) -> String {
        match (self.attempts, self.active_days) {
            (0, _) => "No attempts in the last 52 weeks yet. Each day you log one fills a \
                       square; quiet days stay quiet, nothing is lost."
                .to_string(),
            (1, _) => "1 attempt in the last 52 weeks.".to_string(),
            (n, 1) => format!("{n} attempts, all on one day, in the last 52 weeks."),
            (n, d) => format!("{n} attempts on {d} different days in the last 52 weeks."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Success};
    use crate::insights::testing::{cycle, day};

    #[test]
    fn counts_by_day_from_a_monday_52_weeks_back() {
        // Day 300 of 2026 is Tuesday 27 October; this week's Monday is 26 October, so
        // the calendar starts on Monday 27 October 2025 and holds 366 + 2 days.
        let today = day(300);
        let cycles = [
            cycle(1, "a", 300, Failure),
            cycle(2, "b", 300, Success),
            cycle(3, "a", 299, Success),
            cycle(4, "a", -100, Success), // too long ago
        ];
        let p = practice(&cycles, today);
        assert_eq!(p.start, NaiveDate::from_ymd_opt(2025, 10, 27));
        assert_eq!(p.days.len(), 366);
        assert_eq!((p.attempts, p.active_days, p.busiest), (3, 2, 2));
        assert_eq!(p.days[365], 2);
        assert_eq!(
            p.sentence(),
            "3 attempts on 2 different days in the last 52 weeks."
        );
    }
}
