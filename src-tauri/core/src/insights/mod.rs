//! Insights: what the person's cycles show, computed from them and never stored.
//! Pure functions over `&[Cycle]`; no storage, no drawing, no Tauri. The formulas are
//! written down in docs/insights.md.

pub mod aftermath;
pub mod brs;
pub mod calibration;
pub mod dashboard;
pub mod edge;
pub mod evidence;
pub mod loops;
pub mod practice;
pub mod prediction;
pub mod recovery;
pub mod staircase;
pub mod track;

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::cycle::Cycle;
// The notion lives with the cycle (nudges use it too); kept here for callers of insights.
pub use crate::cycle::GENUINE_EFFORT;

pub use aftermath::{aftermath, Aftermath};
pub use brs::{brs_score, BrsCheckin, BRS_ITEMS};
pub use calibration::{calibration, AreaCalibration, Band, Zone};
pub use dashboard::{dashboard, Dashboard, DashboardParams};
pub use edge::{edges, AreaEdge, AreaGuide, Guides};
pub use evidence::{evidence, Evidence, EvidenceItem, EvidencePoint};
pub use loops::{loop_quality, LoopQuality};
pub use practice::{practice, Practice};
pub use prediction::{prediction, Prediction};
pub use recovery::{recovery, Recovery};
pub use staircase::Staircase;
pub use track::{track_record, TrackRecord};

/// Whether a cycle is a genuine attempt. Half-hearted attempts are kept but left out of
/// the evidence: noise, not signal.
pub fn is_genuine(cycle: &Cycle) -> bool {
    cycle.fields.is_genuine()
}

/// The span of days a dashboard looks at, ending today.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Range {
    #[serde(rename = "30d")]
    Days30,
    #[serde(rename = "90d")]
    Days90,
    #[serde(rename = "1y")]
    Year,
    #[default]
    #[serde(rename = "all")]
    All,
}

impl Range {
    pub const ALL: [Range; 4] = [Range::Days30, Range::Days90, Range::Year, Range::All];

    /// The public name: `30d`, `90d`, `1y`, `all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Range::Days30 => "30d",
            Range::Days90 => "90d",
            Range::Year => "1y",
            Range::All => "all",
        }
    }

    /// How many days it covers, today included; `None` for all.
    pub fn days(self) -> Option<i64> {
        match self {
            Range::Days30 => Some(30),
            Range::Days90 => Some(90),
            Range::Year => Some(365),
            Range::All => None,
        }
    }

    /// The first day inside the range, or `None` when every day is.
    pub fn start(self, today: NaiveDate) -> Option<NaiveDate> {
        self.days().map(|n| today - Duration::days(n - 1))
    }

    /// Whether `day` falls inside the range ending `today`.
    pub fn contains(self, day: NaiveDate, today: NaiveDate) -> bool {
        self.start(today).is_none_or(|start| day >= start)
    }

    /// Words for a sentence: "in the last 30 days", or "so far".
    pub fn phrase(self) -> &'static str {
        match self {
            Range::Days30 => "in the last 30 days",
            Range::Days90 => "in the last 90 days",
            Range::Year => "in the last year",
            Range::All => "so far",
        }
    }
}

impl std::str::FromStr for Range {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Range::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown range {s:?}; use 30d, 90d, 1y or all"))
    }
}

/// How finely a long series is grouped so a chart draws a readable number of marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Day,
    Week,
    Month,
}

impl Bucket {
    /// The finest grouping that keeps `marks` marks over `span_days` days to about 200.
    pub fn choose(marks: usize, span_days: i64) -> Bucket {
        if marks <= 200 {
            Bucket::Day
        } else if span_days / 7 <= 160 {
            Bucket::Week
        } else {
            Bucket::Month
        }
    }

    /// The first day of the bucket `day` falls in (weeks start on Monday).
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => day,
            Bucket::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Bucket::Month => day.with_day(1).unwrap_or(day),
        }
    }
}

/// Cycles grouped by area (names folded to lower case), each group in the order the
/// practice happened: attempt day, then when logged, then id. Every measure that walks
/// an area's history starts from this, so none depends on the order cycles came in.
pub fn by_area(cycles: &[Cycle]) -> BTreeMap<String, Vec<&Cycle>> {
    let mut groups: BTreeMap<String, Vec<&Cycle>> = BTreeMap::new();
    for cycle in cycles {
        groups
            .entry(cycle.fields.area.to_lowercase())
            .or_default()
            .push(cycle);
    }
    for group in groups.values_mut() {
        group.sort_by_key(|c| (c.fields.attempted_on, c.created_at, c.id));
    }
    groups
}

/// The median of `values` (sorted in place); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// The mean of `values`; `None` when empty.
pub fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// A share as a whole percentage, `None` when nothing was counted.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// A number for a sentence: whole when it is, else one decimal.
pub fn nice(value: f64) -> String {
    if (value - value.round()).abs() < 0.05 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    }
}

/// "1 day", "3 days".
pub fn days_text(value: f64) -> String {
    let text = nice(value);
    if text == "1" {
        "1 day".to_string()
    } else {
        format!("{text} days")
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Hand-built histories for the measures' tests.
    use chrono::{NaiveDate, TimeZone, Utc};

    use crate::cycle::{Cycle, CycleFields, CycleId, Outcome};

    /// A day of 2026: `d` counts from 1 January (so 1 = 1 Jan, 32 = 1 Feb).
    pub fn day(d: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(d - 1)
    }

    /// A genuine cycle (effort 4, difficulty 5, safety 3) numbered `n`, in `area` on
    /// day `d`, logged in the order of `n`.
    pub fn cycle(n: u128, area: &str, d: i64, outcome: Outcome) -> Cycle {
        Cycle {
            id: CycleId::from_bytes(n.to_be_bytes()),
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
                + chrono::Duration::minutes(n as i64),
            updated_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
                + chrono::Duration::minutes(n as i64),
            fields: CycleFields {
                attempt: format!("attempt {n}"),
                ..CycleFields::sample(area, day(d), outcome)
            },
        }
    }

    pub fn id(n: u128) -> CycleId {
        CycleId::from_bytes(n.to_be_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_means_by_hand() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
        assert_eq!(mean([1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(percent(1, 4), Some(25.0));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn ranges_end_today_and_include_it() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(
            Range::Days30.start(today),
            NaiveDate::from_ymd_opt(2026, 10, 29)
        );
        assert!(Range::Days30.contains(today, today));
        assert!(!Range::Days30.contains(NaiveDate::from_ymd_opt(2026, 10, 28).unwrap(), today));
        assert!(Range::All.contains(NaiveDate::MIN, today));
        assert_eq!("1y".parse::<Range>(), Ok(Range::Year));
    }

    #[test]
    fn buckets_start_on_monday_and_the_first() {
        let thursday = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(
            Bucket::Week.start(thursday),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        assert_eq!(
            Bucket::Month.start(thursday),
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
        assert_eq!(Bucket::choose(100, 5000), Bucket::Day);
        assert_eq!(Bucket::choose(5000, 700), Bucket::Week);
        assert_eq!(Bucket::choose(5000, 3000), Bucket::Month);
    }
}
