//! Aftermath: stress and the sense of a verdict on oneself ("identity") right after
//! genuine setbacks. The method predicts both fall with practice.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::{is_genuine, mean, nice, Bucket, Range};
use crate::cycle::Cycle;

/// How many recent rated setbacks each rolling mean looks at.
pub const ROLLING: usize = 7;

/// One mark on the aftermath chart: a setback, or a week or month of them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AftermathPoint {
    pub day: NaiveDate,
    /// Rolling means (the last [`ROLLING`] rated setbacks up to this mark).
    pub stress: Option<f64>,
    pub identity: Option<f64>,
    pub count: usize,
}

/// The mean over the last `days` days against the `days` days before them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub days: i64,
    pub stress_before: Option<f64>,
    pub stress_recent: Option<f64>,
    pub identity_before: Option<f64>,
    pub identity_recent: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Aftermath {
    pub points: Vec<AftermathPoint>,
    pub bucket: Option<Bucket>,
    /// Setbacks in the range with a stress or identity rating.
    pub rated: usize,
    pub stress_mean: Option<f64>,
    pub identity_mean: Option<f64>,
    /// Means of the earlier and the later half of the range's rated setbacks (4 or more).
    pub stress_earlier: Option<f64>,
    pub stress_later: Option<f64>,
    pub identity_earlier: Option<f64>,
    pub identity_later: Option<f64>,
    /// Over the last 30, 90 and 365 days.
    pub changes: Vec<Change>,
}

struct Rated {
    day: NaiveDate,
    stress: Option<f64>,
    identity: Option<f64>,
}

/// Compute the aftermath of the genuine setbacks in `cycles` (any order).
pub fn aftermath(cycles: &[Cycle], range: Range, today: NaiveDate) -> Aftermath {
    let mut rated: Vec<(&Cycle, Rated)> = cycles
        .iter()
        .filter(|c| is_genuine(c) && c.fields.outcome.is_setback())
        .filter(|c| c.fields.stress.is_some() || c.fields.identity.is_some())
        .map(|c| {
            (
                c,
                Rated {
                    day: c.fields.attempted_on,
                    stress: c.fields.stress.map(f64::from),
                    identity: c.fields.identity.map(f64::from),
                },
            )
        })
        .collect();
    rated.sort_by_key(|(c, _)| (c.fields.attempted_on, c.created_at, c.id));
    let rated: Vec<Rated> = rated.into_iter().map(|(_, r)| r).collect();

    let changes = [30, 90, 365]
        .into_iter()
        .map(|days| {
            let recent_from = today - Duration::days(days - 1);
            let before_from = recent_from - Duration::days(days);
            let window = |from: NaiveDate, to: NaiveDate, pick: fn(&Rated) -> Option<f64>| {
                mean(
                    rated
                        .iter()
                        .filter(|r| r.day >= from && r.day < to)
                        .filter_map(pick),
                )
            };
            let end = today + Duration::days(1);
            Change {
                days,
                stress_before: window(before_from, recent_from, |r| r.stress),
                stress_recent: window(recent_from, end, |r| r.stress),
                identity_before: window(before_from, recent_from, |r| r.identity),
                identity_recent: window(recent_from, end, |r| r.identity),
            }
        })
        .collect();

    let first_in = rated.partition_point(|r| !range.contains(r.day, today));
    let inside = &rated[first_in..];
    let span = match (inside.first(), inside.last()) {
        (Some(a), Some(b)) => (b.day - a.day).num_days(),
        _ => 0,
    };
    let bucket = Bucket::choose(inside.len(), span);
    // Rolling means carried across the whole history: the last ROLLING values of each.
    let mut last_stress: Vec<f64> = Vec::new();
    let mut last_identity: Vec<f64> = Vec::new();
    let push = |window: &mut Vec<f64>, value: Option<f64>| {
        if let Some(v) = value {
            window.push(v);
            if window.len() > ROLLING {
                window.remove(0);
            }
        }
    };
    for r in &rated[..first_in] {
        push(&mut last_stress, r.stress);
        push(&mut last_identity, r.identity);
    }
    let mut points: Vec<AftermathPoint> = Vec::new();
    let mut count = 0;
    for (k, r) in inside.iter().enumerate() {
        push(&mut last_stress, r.stress);
        push(&mut last_identity, r.identity);
        count += 1;
        let start = bucket.start(r.day);
        if inside
            .get(k + 1)
            .is_none_or(|next| bucket.start(next.day) != start)
        {
            points.push(AftermathPoint {
                day: start,
                stress: mean(last_stress.iter().copied()),
                identity: mean(last_identity.iter().copied()),
                count,
            });
            count = 0;
        }
    }

    let halves = |pick: fn(&Rated) -> Option<f64>| {
        let values: Vec<f64> = inside.iter().filter_map(pick).collect();
        if values.len() < 4 {
            return (None, None);
        }
        let half = values.len() / 2;
        (
            mean(values[..half].iter().copied()),
            mean(values[values.len() - half..].iter().copied()),
        )
    };
    let (stress_earlier, stress_later) = halves(|r| r.stress);
    let (identity_earlier, identity_later) = halves(|r| r.identity);
    Aftermath {
        rated: inside.len(),
        stress_mean: mean(inside.iter().filter_map(|r| r.stress)),
        identity_mean: mean(inside.iter().filter_map(|r| r.identity)),
        stress_earlier,
        stress_later,
        identity_earlier,
        identity_later,
        bucket: (!inside.is_empty()).then_some(bucket),
        points,
        changes,
    }
}

impl Aftermath {
    /// One plain sentence for under the chart.
    pub fn sentence(&self, range: Range) -> String {
        if self.rated == 0 {
            return format!(
                "No stress or verdict ratings after a setback {}. Rate them (0–10) when \
                 an attempt doesn't go as planned, and this shows whether they fade.",
                if range == Range::All {
                    "yet"
                } else {
                    range.phrase()
                }
            );
        }
        let part = |what: &str, a: Option<f64>, b: Option<f64>, m: Option<f64>| match (a, b, m) {
            (Some(a), Some(b), _) if nice(a) == nice(b) => {
                Some(format!("{what} stayed at {}", nice(a)))
            }
            (Some(a), Some(b), _) => Some(format!("{what} went from {} to {}", nice(a), nice(b))),
            (_, _, Some(m)) => Some(format!("{what} averaged {}", nice(m))),
            _ => None,
        };
        let parts: Vec<String> = [
            part(
                "your stress",
                self.stress_earlier,
                self.stress_later,
                self.stress_mean,
            ),
            part(
                "the sense of a verdict on you",
                self.identity_earlier,
                self.identity_later,
                self.identity_mean,
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        format!(
            "After setbacks {} {}, on a scale of 0 to 10 ({} rated).",
            parts.join(" and "),
            range.phrase(),
            self.rated
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Partial, Success};
    use crate::insights::testing::{cycle, day};

    fn rated(n: u128, d: i64, stress: u8, identity: Option<u8>) -> Cycle {
        let mut c = cycle(
            n,
            "a",
            d,
            if n.is_multiple_of(2) {
                Partial
            } else {
                Failure
            },
        );
        c.fields.stress = Some(stress);
        c.fields.identity = identity;
        c
    }

    #[test]
    fn falling_stress_by_hand() {
        // Stress 8, 6, 4, 2 on days 1..4: earlier half mean 7, later half 3.
        // Identity 6, -, 2, 2: three values, too few to split; mean 10/3.
        let mut success = cycle(9, "a", 2, Success);
        success.fields.stress = Some(10); // not a setback: left out
        let cycles = [
            rated(1, 1, 8, Some(6)),
            rated(2, 2, 6, None),
            rated(3, 3, 4, Some(2)),
            rated(4, 4, 2, Some(2)),
            success,
        ];
        let a = aftermath(&cycles, Range::All, day(4));
        assert_eq!(a.rated, 4);
        assert_eq!((a.stress_earlier, a.stress_later), (Some(7.0), Some(3.0)));
        assert_eq!(a.identity_earlier, None);
        assert_eq!(a.stress_mean, Some(5.0));
        // Rolling means after each: 8, 7, 6, 5.
        let s: Vec<f64> = a.points.iter().filter_map(|p| p.stress).collect();
        assert_eq!(s, [8.0, 7.0, 6.0, 5.0]);
        assert_eq!(
            a.sentence(Range::All),
            "After setbacks your stress went from 7 to 3 and the sense of a verdict on you \
             averaged 3.3 so far, on a scale of 0 to 10 (4 rated)."
        );
    }

    #[test]
    fn change_over_the_last_30_days_against_the_30_before() {
        // Day 100 is today: the last 30 days are 71..=100, the 30 before 41..=70.
        let cycles = [
            rated(1, 50, 8, None),
            rated(3, 90, 4, None),
            rated(5, 95, 2, None),
        ];
        let a = aftermath(&cycles, Range::All, day(100));
        let c30 = &a.changes[0];
        assert_eq!(
            (c30.stress_before, c30.stress_recent),
            (Some(8.0), Some(3.0))
        );
        assert_eq!(c30.identity_recent, None);
    }

    #[test]
    fn nothing_rated_says_how_to_fill_it() {
        let a = aftermath(&[cycle(1, "a", 1, Failure)], Range::All, day(2));
        assert!(a
            .sentence(Range::All)
            .starts_with("No stress or verdict ratings"));
    }
}
