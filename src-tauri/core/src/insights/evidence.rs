//! Evidence of recovery: every genuine failure or partial that was followed by a later
//! genuine attempt in the same area. The essay: "each cycle adds to a body of evidence
//! about your own capacity to survive setback and continue".

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::cycle::{CycleId, Facts, Outcome};

/// One setback that the person came back from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    pub setback: CycleId,
    pub area: Arc<str>,
    pub outcome: Outcome,
    pub setback_on: NaiveDate,
    /// The day of the next genuine attempt in the same area.
    pub followed_on: NaiveDate,
}

/// The running total of evidence at the end of one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EvidencePoint {
    pub day: NaiveDate,
    pub total: usize,
}

/// Everything the evidence chart and its sentence need.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Setbacks followed by another attempt, ordered by the day they were followed.
    /// Not sent to the window: one entry per setback is too much to ship for a chart.
    #[serde(skip)]
    pub items: Vec<EvidenceItem>,
    /// The cumulative count, one point per day on which it grew.
    pub series: Vec<EvidencePoint>,
    pub total: usize,
    pub failures: usize,
    pub partials: usize,
    /// Areas with at least one piece of evidence.
    pub areas: usize,
    /// Genuine setbacks not yet followed by another genuine attempt.
    pub open: usize,
    /// All cycles looked at, genuine or not.
    pub cycles: usize,
    /// The day of the earliest attempt: where the practice, and the chart, starts.
    pub first_day: Option<NaiveDate>,
    /// Evidence from before the first day shown (when a range cuts the series).
    pub before: usize,
}

/// An id as a number that sorts as the id does.
fn id_number(id: CycleId) -> u128 {
    u128::from_be_bytes(id.to_bytes())
}

/// Compute the evidence in `cycles` (any order).
///
/// Within an area, cycles are taken in the order of their attempt day, then of when they
/// were logged. A genuine attempt (effort ≥ 3) of any outcome, pending included, follows
/// every genuine failure or partial before it that was still waiting.
///
/// Works on whole cycles or on their summaries alike.
pub fn evidence<C: Facts>(cycles: &[C]) -> Evidence {
    // Areas are grouped without regard to case; each spelling is folded once.
    let mut spelling: FxHashMap<&str, usize> = FxHashMap::default();
    let mut folded: FxHashMap<String, usize> = FxHashMap::default();
    let mut by_area: Vec<Vec<&C>> = Vec::new();
    // Only genuine attempts count either way (as setbacks, or as trying again).
    for cycle in cycles.iter().filter(|c| c.is_genuine()) {
        let group = *spelling.entry(cycle.area()).or_insert_with(|| {
            let next = by_area.len();
            *folded.entry(cycle.area().to_lowercase()).or_insert(next)
        });
        if group == by_area.len() {
            by_area.push(Vec::new());
        }
        by_area[group].push(cycle);
    }
    let mut items = Vec::new();
    let mut names: FxHashMap<&str, Arc<str>> = FxHashMap::default();
    let mut open = 0;
    let mut areas = 0;
    for group in &mut by_area {
        // The keys sit beside each other while sorting, not behind 100,000 pointers,
        // as plain integers in the same order as (attempt day, logged at, id).
        group.sort_by_cached_key(|c| {
            let logged = c.created_at();
            (
                c.attempted_on().num_days_from_ce(),
                logged.timestamp(),
                logged.timestamp_subsec_nanos(),
                id_number(c.id()),
            )
        });
        let before = items.len();
        let mut waiting: Vec<&C> = Vec::new();
        for cycle in group.iter() {
            items.extend(waiting.drain(..).map(|setback| {
                EvidenceItem {
                    setback: setback.id(),
                    area: Arc::clone(
                        names
                            .entry(setback.area())
                            .or_insert_with(|| Arc::from(setback.area())),
                    ),
                    outcome: setback.outcome(),
                    setback_on: setback.attempted_on(),
                    followed_on: cycle.attempted_on(),
                }
            }));
            if cycle.outcome().is_setback() {
                waiting.push(cycle);
            }
        }
        open += waiting.len();
        areas += usize::from(items.len() > before);
    }
    items.sort_by_cached_key(|item| {
        (
            item.followed_on.num_days_from_ce(),
            item.setback_on.num_days_from_ce(),
            id_number(item.setback),
        )
    });
    let mut series: Vec<EvidencePoint> = Vec::new();
    for (n, item) in items.iter().enumerate() {
        match series.last_mut() {
            Some(point) if point.day == item.followed_on => point.total = n + 1,
            _ => series.push(EvidencePoint {
                day: item.followed_on,
                total: n + 1,
            }),
        }
    }
    let failures = items
        .iter()
        .filter(|i| i.outcome == Outcome::Failure)
        .count();
    Evidence {
        total: items.len(),
        failures,
        partials: items.len() - failures,
        areas,
        open,
        cycles: cycles.len(),
        first_day: cycles.iter().map(|c| c.attempted_on()).min(),
        before: 0,
        items,
        series,
    }
}

impl Evidence {
    /// Keep only the series from `start` on, remembering the total before it.
    pub fn from_day(&mut self, start: NaiveDate) {
        self.before = self.items.iter().filter(|i| i.followed_on < start).count();
        self.series.retain(|p| p.day >= start);
        self.first_day = self.first_day.map(|d| d.max(start));
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Evidence {
    /// One plain sentence saying what the evidence is, for under the chart.
    pub fn sentence(&self) -> String {
        if self.cycles == 0 {
            return "No evidence yet. Log an attempt; evidence starts the first time you \
                    try again after something didn't work."
                .to_string();
        }
        if self.total == 0 {
            let waiting = match self.open {
                0 => String::new(),
                1 => " One setback is waiting for your next attempt.".to_string(),
                n => format!(" {n} setbacks are waiting for your next attempt."),
            };
            return format!(
                "No evidence yet. It starts the first time you try again after something \
                 didn't work.{waiting}"
            );
        }
        let what = match (self.failures, self.partials) {
            (f, 0) => plural(f, "failure", "failures"),
            (0, p) => plural(p, "partial", "partials"),
            (f, p) => format!(
                "{} and {}",
                plural(f, "failure", "failures"),
                plural(p, "partial", "partials")
            ),
        };
        format!(
            "{what} followed by another attempt, in {}.",
            plural(self.areas, "area", "areas")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{Cycle, CycleFields};
    use chrono::{TimeZone, Utc};

    /// A cycle logged in `area` on day `day` of November 2026, at minute `day` of the day.
    fn cycle(area: &str, day: u32, outcome: Outcome, effort: u8) -> Cycle {
        let on = NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let mut fields = CycleFields::sample(area, on, outcome);
        fields.attempt = format!("attempt on {day}");
        fields.effort = effort;
        let mut c = Cycle::new(
            fields,
            Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
        );
        c.updated_at = c.created_at;
        c
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    use Outcome::{Failure, Partial, Pending, Success};

    #[test]
    fn nothing_logged_means_no_evidence_and_says_what_to_do() {
        let e = evidence::<Cycle>(&[]);
        assert_eq!(e.total, 0);
        assert!(e.sentence().starts_with("No evidence yet. Log an attempt"));
    }

    #[test]
    fn a_failure_alone_is_open_not_evidence() {
        let e = evidence(&[cycle("pitches", 1, Failure, 4)]);
        assert_eq!((e.total, e.open), (0, 1));
        assert!(e
            .sentence()
            .ends_with("One setback is waiting for your next attempt."));
    }

    #[test]
    fn a_failure_followed_by_any_genuine_attempt_counts_once() {
        // Worked by hand: the failure on the 1st is followed on the 3rd (pending counts:
        // the person tried again). The failure on the 5th is followed by nothing yet.
        let cycles = [
            cycle("pitches", 1, Failure, 4),
            cycle("pitches", 3, Pending, 3),
            cycle("pitches", 5, Failure, 5),
        ];
        let e = evidence(&cycles);
        assert_eq!((e.total, e.open, e.areas), (1, 1, 1));
        assert_eq!(e.items[0].followed_on, day(3));
        assert_eq!(
            e.series,
            [EvidencePoint {
                day: day(3),
                total: 1
            }]
        );
    }

    #[test]
    fn half_hearted_attempts_neither_count_as_setbacks_nor_as_coming_back() {
        let cycles = [
            cycle("pitches", 1, Failure, 2), // not genuine: not a setback
            cycle("pitches", 2, Failure, 4),
            cycle("pitches", 3, Success, 1), // not genuine: does not follow
            cycle("pitches", 4, Partial, 3),
        ];
        let e = evidence(&cycles);
        assert_eq!((e.total, e.failures, e.partials, e.open), (1, 1, 0, 1));
        assert_eq!(e.items[0].setback_on, day(2));
        assert_eq!(e.items[0].followed_on, day(4));
    }

    #[test]
    fn evidence_stays_within_its_area_and_areas_are_case_blind() {
        let cycles = [
            cycle("pitches", 1, Failure, 4),
            cycle("running", 2, Success, 4), // another area: does not follow the pitch
            cycle("Running", 3, Partial, 4),
            cycle("running", 6, Failure, 4), // follows the partial on the 3rd
            cycle("Pitches", 7, Success, 4), // follows the failure on the 1st
        ];
        let e = evidence(&cycles);
        assert_eq!(
            (e.total, e.failures, e.partials, e.areas, e.open),
            (2, 1, 1, 2, 1)
        );
        assert_eq!(
            e.series,
            [
                EvidencePoint {
                    day: day(6),
                    total: 1
                },
                EvidencePoint {
                    day: day(7),
                    total: 2
                }
            ]
        );
        assert_eq!(
            e.sentence(),
            "1 failure and 1 partial followed by another attempt, in 2 areas."
        );
    }

    #[test]
    fn several_setbacks_followed_on_one_day_make_one_point() {
        let cycles = [
            cycle("a", 1, Failure, 3),
            cycle("b", 1, Failure, 3),
            cycle("a", 2, Success, 3),
            cycle("b", 2, Failure, 3),
        ];
        let e = evidence(&cycles);
        assert_eq!(
            e.series,
            [EvidencePoint {
                day: day(2),
                total: 2
            }]
        );
        assert_eq!(
            e.sentence(),
            "2 failures followed by another attempt, in 2 areas."
        );
    }

    #[test]
    fn the_same_day_retry_counts_in_the_order_logged() {
        let morning = cycle("a", 9, Failure, 4);
        let mut afternoon = cycle("a", 9, Success, 4);
        afternoon.created_at = morning.created_at + chrono::Duration::hours(4);
        // Order given does not matter.
        let e = evidence(&[afternoon, morning]);
        assert_eq!((e.total, e.open), (1, 0));
    }
}
