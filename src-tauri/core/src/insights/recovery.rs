//! Recovery time: for each genuine setback, the days until the next genuine attempt in
//! its area. The essay's claim is that this shrinks with practice ("recovery gets
//! quicker"); the rolling median shows whether it does for this person.

use chrono::NaiveDate;
use serde::Serialize;

use super::{by_area, days_text, is_genuine, median, Bucket, Range};
use crate::cycle::Cycle;

/// How many recent recoveries the rolling median looks at.
pub const ROLLING: usize = 5;

/// One setback and the days until the next genuine attempt in its area.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecoveryItem {
    pub setback_on: NaiveDate,
    pub followed_on: NaiveDate,
    pub days: i64,
}

/// A genuine setback with no genuine attempt after it yet in its area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpenSetback {
    pub area: String,
    pub setback_on: NaiveDate,
    /// Days from the setback to today.
    pub age_days: i64,
}

/// One mark on the recovery chart: one setback, or a week or month of them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecoveryPoint {
    /// The setback's day, or the first day of its week or month.
    pub day: NaiveDate,
    /// Days to try again: the setback's, or the median of its bucket.
    pub days: f64,
    /// The median of the last [`ROLLING`] recoveries up to this point.
    pub rolling_median: f64,
    /// How many setbacks the mark stands for.
    pub count: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Recovery {
    /// Every recovery in the range, by setback day (not sent to the window).
    #[serde(skip)]
    pub items: Vec<RecoveryItem>,
    pub points: Vec<RecoveryPoint>,
    pub bucket: Option<Bucket>,
    /// Recoveries in the range.
    pub returns: usize,
    pub median_days: Option<f64>,
    /// The median of the earlier and of the later half of the range's recoveries
    /// (with four or more).
    pub earlier_median: Option<f64>,
    pub later_median: Option<f64>,
    /// Setbacks still waiting, oldest first (at most 20 listed; `open_count` is all).
    pub open: Vec<OpenSetback>,
    pub open_count: usize,
}

/// Compute recovery times in `cycles` (any order) for setbacks in `range`.
pub fn recovery(cycles: &[Cycle], range: Range, today: NaiveDate) -> Recovery {
    let mut all = Vec::new();
    let mut open = Vec::new();
    for group in by_area(cycles).values() {
        let mut waiting: Vec<&Cycle> = Vec::new();
        for cycle in group.iter().copied().filter(|c| is_genuine(c)) {
            let on = cycle.fields.attempted_on;
            all.extend(waiting.drain(..).map(|s| RecoveryItem {
                setback_on: s.fields.attempted_on,
                followed_on: on,
                days: (on - s.fields.attempted_on).num_days(),
            }));
            if cycle.fields.outcome.is_setback() {
                waiting.push(cycle);
            }
        }
        open.extend(waiting.into_iter().map(|s| OpenSetback {
            area: s.fields.area.clone(),
            setback_on: s.fields.attempted_on,
            age_days: (today - s.fields.attempted_on).num_days(),
        }));
    }
    all.sort_by_key(|i| (i.setback_on, i.followed_on, i.days));
    open.sort_by(|a, b| {
        (a.setback_on, a.area.to_lowercase()).cmp(&(b.setback_on, b.area.to_lowercase()))
    });

    // The rolling median runs over the whole history, so the range's first marks
    // carry what came before them.
    let first_in = all.partition_point(|i| !range.contains(i.setback_on, today));
    let items = all[first_in..].to_vec();
    let span = match (items.first(), items.last()) {
        (Some(a), Some(b)) => (b.setback_on - a.setback_on).num_days(),
        _ => 0,
    };
    let bucket = Bucket::choose(items.len(), span);
    let mut points: Vec<RecoveryPoint> = Vec::new();
    let mut bucket_days: Vec<f64> = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let at = first_in + k;
        bucket_days.push(item.days as f64);
        let start = bucket.start(item.setback_on);
        let last_of_bucket = items
            .get(k + 1)
            .is_none_or(|next| bucket.start(next.setback_on) != start);
        if last_of_bucket {
            let mut window: Vec<f64> = all[at.saturating_sub(ROLLING - 1)..=at]
                .iter()
                .map(|i| i.days as f64)
                .collect();
            points.push(RecoveryPoint {
                day: start,
                count: bucket_days.len(),
                days: median(&mut bucket_days).unwrap_or(0.0),
                rolling_median: median(&mut window).unwrap_or(0.0),
            });
            bucket_days.clear();
        }
    }
    let mut days: Vec<f64> = items.iter().map(|i| i.days as f64).collect();
    let (earlier_median, later_median) = if days.len() >= 4 {
        let half = days.len() / 2;
        let mut earlier = days[..half].to_vec();
        let mut later = days[days.len() - half..].to_vec();
        (median(&mut earlier), median(&mut later))
    } else {
        (None, None)
    };
    let open_count = open.len();
    open.truncate(20);
    Recovery {
        returns: items.len(),
        median_days: median(&mut days),
        earlier_median,
        later_median,
        bucket: (!items.is_empty()).then_some(bucket),
        items,
        points,
        open,
        open_count,
    }
}

impl Recovery {
    /// One plain sentence for under the chart.
    pub fn sentence(&self, range: Range) -> String {
        let waiting = match (self.open_count, self.open.first()) {
            (0, _) | (_, None) => String::new(),
            (1, Some(o)) if o.age_days == 0 => {
                " One setback, from today, is waiting for your next attempt.".to_string()
            }
            (1, Some(o)) => format!(
                " One setback is waiting for your next attempt ({} so far).",
                days_text(o.age_days as f64)
            ),
            (n, Some(o)) if o.age_days == 0 => {
                format!(" {n} setbacks, all from today, are waiting for your next attempt.")
            }
            (n, Some(o)) => format!(
                " {n} setbacks are waiting for your next attempt; the oldest for {}.",
                days_text(o.age_days as f64)
            ),
        };
        let Some(median) = self.median_days else {
            return format!(
                "No recovery times {}: they start the first time you try again after \
                 something didn't work.{waiting}",
                if range == Range::All {
                    "yet"
                } else {
                    range.phrase()
                }
            );
        };
        let main = match (self.earlier_median, self.later_median) {
            (Some(a), Some(b)) if b < a => format!(
                "Your median time to try again fell from {} to {}.",
                days_text(a),
                super::nice(b)
            ),
            (Some(a), Some(b)) if b > a => format!(
                "Your median time to try again went from {} to {}.",
                days_text(a),
                super::nice(b)
            ),
            (Some(a), Some(_)) => {
                format!("Your median time to try again stayed at {}.", days_text(a))
            }
            _ => format!(
                "Your median time to try again is {}, over {} {}.",
                days_text(median),
                self.returns,
                if self.returns == 1 {
                    "return"
                } else {
                    "returns"
                }
            ),
        };
        format!("{main}{waiting}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Partial, Pending, Success};
    use crate::insights::testing::{cycle, day};

    #[test]
    fn days_to_the_next_genuine_attempt_by_hand() {
        // Area a: failure day 1, half-hearted success day 2 (skipped), success day 5
        // → 4 days. Partial day 10, pending day 12 → 2 days. Failure day 20: open.
        // Area b: failure day 3, success day 9 → 6 days.
        let mut half = cycle(2, "a", 2, Success);
        half.fields.effort = 2;
        let cycles = [
            cycle(1, "a", 1, Failure),
            half,
            cycle(3, "a", 5, Success),
            cycle(4, "a", 10, Partial),
            cycle(5, "a", 12, Pending),
            cycle(6, "a", 20, Failure),
            cycle(7, "b", 3, Failure),
            cycle(8, "B", 9, Success),
        ];
        let r = recovery(&cycles, Range::All, day(25));
        let days: Vec<i64> = r.items.iter().map(|i| i.days).collect();
        assert_eq!(days, [4, 6, 2]); // by setback day: 1, 3, 10
        assert_eq!(r.median_days, Some(4.0));
        assert_eq!(r.open_count, 1);
        assert_eq!(r.open[0].age_days, 5);
        // Rolling medians: [4] → 4, [4,6] → 5, [4,6,2] → 4.
        let rolling: Vec<f64> = r.points.iter().map(|p| p.rolling_median).collect();
        assert_eq!(rolling, [4.0, 5.0, 4.0]);
        assert_eq!(
            r.sentence(Range::All),
            "Your median time to try again is 4 days, over 3 returns. One setback is \
             waiting for your next attempt (5 days so far)."
        );
    }

    #[test]
    fn a_falling_median_is_said_in_words() {
        // Recoveries of 6, 6, 2, 2 days: earlier half median 6, later half 2.
        let cycles = [
            cycle(1, "a", 1, Failure),
            cycle(2, "a", 7, Failure),
            cycle(3, "a", 13, Failure),
            cycle(4, "a", 15, Failure),
            cycle(5, "a", 17, Success),
        ];
        let r = recovery(&cycles, Range::All, day(20));
        assert_eq!((r.earlier_median, r.later_median), (Some(6.0), Some(2.0)));
        assert_eq!(
            r.sentence(Range::All),
            "Your median time to try again fell from 6 days to 2."
        );
    }

    #[test]
    fn the_range_keeps_recent_setbacks_and_the_rolling_median_remembers() {
        let cycles = [
            cycle(1, "a", 1, Failure),
            cycle(2, "a", 11, Failure),  // 10 days after the first
            cycle(3, "a", 100, Success), // 89 days
        ];
        let r = recovery(&cycles, Range::Days90, day(100));
        assert_eq!(r.returns, 1);
        assert_eq!(r.points[0].days, 89.0);
        assert_eq!(r.points[0].rolling_median, 49.5);
    }

    #[test]
    fn nothing_yet_says_what_starts_it() {
        let r = recovery(&[], Range::All, day(1));
        assert!(r.sentence(Range::All).starts_with("No recovery times yet"));
        assert!(r.points.is_empty());
    }
}
