//! Calibration per area: how often recent genuine attempts succeed at their difficulty,
//! which zone that puts the person in, and a suggested next difficulty (the staircase's,
//! staircase.rs, so the dashboard, the editor and `rebound stats` give one answer).
//!
//! The target band is a setting. Its default (70–90% success, around 85%) comes from
//! Wilson et al. 2019, "The Eighty Five Percent Rule for optimal learning" (Nature
//! Communications 10:4646), which showed it for gradient-descent learners on two-choice
//! tasks, not for people: a starting point to adjust, not a law.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::edge::Guides;
use super::staircase::walk;
use super::{by_area, is_genuine, mean, nice, Bucket, Range};
use crate::cycle::{Cycle, Outcome};

/// How many recent genuine attempts with a known outcome the rate looks at.
pub const RECENT: usize = 10;
/// Fewer than this and no zone is given.
pub const MIN_ATTEMPTS: usize = 3;
/// Mean stress and identity after recent setbacks at or above this read as overwhelming.
pub const HIGH_AFTERMATH: f64 = 7.0;

/// Where the default band comes from, and its limits, in the app's words.
pub const BAND_SOURCE: &str = "Default 70–90% success, around 85%: from Wilson et al. \
    2019, \"The Eighty Five Percent Rule for optimal learning\", Nature Communications \
    10:4646. It was shown for gradient-descent learners on two-choice tasks, not for \
    people, so treat it as a starting point and change it if it doesn't fit you.";

/// The target success band, in percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub low: u8,
    pub high: u8,
}

impl Default for Band {
    fn default() -> Band {
        Band { low: 70, high: 90 }
    }
}

impl Band {
    /// Check a band a person set: whole percentages, low below high.
    pub fn checked(low: u8, high: u8) -> Result<Band, String> {
        if low < high && high <= 100 {
            Ok(Band { low, high })
        } else {
            Err(format!(
                "the target band must be two percentages with the first below the second \
                 (got {low}–{high})"
            ))
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    NotEnough,
    TooEasy,
    AtTheEdge,
    Overwhelming,
}

impl Zone {
    pub fn words(self) -> &'static str {
        match self {
            Zone::NotEnough => "not enough attempts yet",
            Zone::TooEasy => "too easy",
            Zone::AtTheEdge => "at the edge",
            Zone::Overwhelming => "overwhelming",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaCalibration {
    /// The area as last written.
    pub area: String,
    /// Recent genuine attempts with a known outcome (at most [`RECENT`]).
    pub attempts: usize,
    /// Success counts 1, partial ½, failure 0; in percent.
    pub success_rate: Option<f64>,
    pub mean_difficulty: Option<f64>,
    /// Recent setbacks came with high stress and identity ratings.
    pub high_aftermath: bool,
    pub zone: Zone,
    pub suggested: Option<u8>,
    pub last_day: NaiveDate,
    /// The band this area is measured against (its own, or the default).
    pub band: Band,
}

fn score(outcome: Outcome) -> Option<f64> {
    match outcome {
        Outcome::Success => Some(1.0),
        Outcome::Partial => Some(0.5),
        Outcome::Failure => Some(0.0),
        Outcome::Pending => None,
    }
}

/// Calibrate every area, most recently practised first: each against its own band
/// (`guides`, else `default_band`), with the next difficulty from its own staircase.
pub fn calibration(cycles: &[Cycle], default_band: Band, guides: &Guides) -> Vec<AreaCalibration> {
    let mut areas: Vec<AreaCalibration> = by_area(cycles)
        .values()
        .filter_map(|group| {
            let last = group.last()?;
            let band = guides.band(&last.fields.area, default_band);
            let recent: Vec<&Cycle> = group
                .iter()
                .rev()
                .copied()
                .filter(|c| is_genuine(c) && c.fields.outcome != Outcome::Pending)
                .take(RECENT)
                .collect();
            let rate =
                mean(recent.iter().filter_map(|c| score(c.fields.outcome))).map(|r| r * 100.0);
            let difficulty = mean(recent.iter().map(|c| f64::from(c.fields.difficulty)));
            let setbacks = || recent.iter().filter(|c| c.fields.outcome.is_setback());
            let stress = mean(setbacks().filter_map(|c| c.fields.stress.map(f64::from)));
            let identity = mean(setbacks().filter_map(|c| c.fields.identity.map(f64::from)));
            let high_aftermath = matches!((stress, identity),
                (Some(s), Some(i)) if s >= HIGH_AFTERMATH && i >= HIGH_AFTERMATH);
            let zone = match rate {
                _ if recent.len() < MIN_ATTEMPTS => Zone::NotEnough,
                _ if high_aftermath => Zone::Overwhelming,
                Some(r) if r > f64::from(band.high) => Zone::TooEasy,
                Some(r) if r < f64::from(band.low) => Zone::Overwhelming,
                _ => Zone::AtTheEdge,
            };
            // The zone describes the recent rate; the next step is the staircase's.
            let suggested = match zone {
                Zone::NotEnough => None,
                _ => walk(group, guides.staircase(&last.fields.area)).map(|w| w.level),
            };
            Some(AreaCalibration {
                area: last.fields.area.clone(),
                attempts: recent.len(),
                success_rate: rate,
                mean_difficulty: difficulty,
                high_aftermath,
                zone,
                suggested,
                last_day: last.fields.attempted_on,
                band,
            })
        })
        .collect();
    areas.sort_by(|a, b| {
        b.last_day
            .cmp(&a.last_day)
            .then_with(|| a.area.cmp(&b.area))
    });
    areas
}

impl AreaCalibration {
    /// One plain sentence about this area.
    pub fn sentence(&self) -> String {
        let band = self.band;
        let (Some(rate), Some(difficulty)) = (self.success_rate, self.mean_difficulty) else {
            return format!(
                "{}: no finished genuine attempts yet; the zone appears after {MIN_ATTEMPTS}.",
                self.area
            );
        };
        let head = if self.attempts == 1 {
            // Not "the last 1 genuine attempts went 0% well".
            let went = match rate {
                r if r >= 99.5 => "went well",
                r if r > 0.5 => "partly worked",
                _ => "didn't work out",
            };
            format!(
                "{}: your one finished genuine attempt so far {went}, at difficulty {}",
                self.area,
                nice(difficulty)
            )
        } else {
            format!(
                "{}: the last {} genuine attempts went {:.0}% well at difficulty {} on average",
                self.area,
                self.attempts,
                rate,
                nice(difficulty)
            )
        };
        match (self.zone, self.suggested) {
            (Zone::NotEnough, _) | (_, None) => {
                format!("{head}; the zone appears after {MIN_ATTEMPTS} attempts.")
            }
            (Zone::Overwhelming, Some(s)) if self.high_aftermath => format!(
                "{head}, and setbacks came with high stress and a sense of a verdict on \
                 you: overwhelming for now. Try difficulty {s} next."
            ),
            (zone, Some(s)) => format!(
                "{head}: {} for your {}–{}% band. Try difficulty {s} next.",
                zone.words(),
                band.low,
                band.high
            ),
        }
    }
}

/// One mark on the difficulty ladder: one attempt, or the mean difficulty of a week or
/// month of attempts with the same outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LadderPoint {
    pub day: NaiveDate,
    pub outcome: Outcome,
    pub difficulty: f64,
    pub count: usize,
}

/// The genuine attempts of `area` (case-blind) in `range`, as ladder marks.
pub fn ladder(
    cycles: &[Cycle],
    area: &str,
    range: Range,
    today: NaiveDate,
) -> (Vec<LadderPoint>, Bucket) {
    let folded = area.to_lowercase();
    let mut mine: Vec<&Cycle> = cycles
        .iter()
        .filter(|c| is_genuine(c) && range.contains(c.fields.attempted_on, today))
        .filter(|c| c.fields.area.to_lowercase() == folded)
        .collect();
    mine.sort_by_key(|c| (c.fields.attempted_on, c.created_at, c.id));
    let span = match (mine.first(), mine.last()) {
        (Some(a), Some(b)) => (b.fields.attempted_on - a.fields.attempted_on).num_days(),
        _ => 0,
    };
    let bucket = Bucket::choose(mine.len(), span);
    let mut points: Vec<LadderPoint> = Vec::new();
    let mut sums: Vec<(NaiveDate, Outcome, f64, usize)> = Vec::new();
    for cycle in mine {
        let day = bucket.start(cycle.fields.attempted_on);
        let outcome = cycle.fields.outcome;
        let d = f64::from(cycle.fields.difficulty);
        match sums.iter_mut().find(|s| s.0 == day && s.1 == outcome) {
            Some(s) => {
                s.2 += d;
                s.3 += 1;
            }
            None => {
                if sums.first().is_some_and(|s| s.0 != day) {
                    points.extend(sums.drain(..).map(to_point));
                }
                sums.push((day, outcome, d, 1));
            }
        }
    }
    points.extend(sums.drain(..).map(to_point));
    (points, bucket)
}

fn to_point((day, outcome, sum, count): (NaiveDate, Outcome, f64, usize)) -> LadderPoint {
    LadderPoint {
        day,
        outcome,
        difficulty: sum / count as f64,
        count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Partial, Pending, Success};
    use crate::insights::testing::{cycle, day};

    fn at(n: u128, area: &str, d: i64, outcome: Outcome, difficulty: u8) -> Cycle {
        let mut c = cycle(n, area, d, outcome);
        c.fields.difficulty = difficulty;
        c
    }

    #[test]
    fn zones_and_suggestions_by_hand() {
        let band = Band::default();
        // Zones from the rate; the next difficulty from the staircase (4 up / 1 down):
        // "easy": 4 successes at difficulty 3 → 100% > 90%: too easy; the fourth success
        //         in a row at level 3 steps up: try 4.
        // "edge": success, success, success, partial, failure at 6 → (3 + 0.5)/5 = 70%:
        //         at the edge (70 is inside 70–90); the partial restarts the count and
        //         the failure at the level steps down: try 5.
        // "hard": failure, failure, success at 8 → 33%: overwhelming; the first failure
        //         takes the level from 8 to 7, the second (at 8, above 7) is a stretch and
        //         the success counts 1: try 7.
        // "new":  two attempts: not enough, no suggestion yet.
        let mut cycles = Vec::new();
        for n in 0..4 {
            cycles.push(at(n, "easy", 1 + n as i64, Success, 3));
        }
        for (n, o) in [Success, Success, Success, Partial, Failure]
            .into_iter()
            .enumerate()
        {
            cycles.push(at(10 + n as u128, "edge", 1 + n as i64, o, 6));
        }
        cycles.push(at(20, "edge", 9, Pending, 9)); // pending: left out
        for (n, o) in [Failure, Failure, Success].into_iter().enumerate() {
            cycles.push(at(30 + n as u128, "hard", 1 + n as i64, o, 8));
        }
        cycles.push(at(40, "new", 1, Success, 2));
        cycles.push(at(41, "new", 2, Failure, 2));
        let c = calibration(&cycles, band, &Guides::default());
        let find = |name: &str| c.iter().find(|a| a.area == name).unwrap();
        assert_eq!(
            (find("easy").zone, find("easy").suggested),
            (Zone::TooEasy, Some(4))
        );
        assert_eq!(find("edge").success_rate, Some(70.0));
        assert_eq!(
            (find("edge").zone, find("edge").suggested),
            (Zone::AtTheEdge, Some(5))
        );
        assert_eq!(
            (find("hard").zone, find("hard").suggested),
            (Zone::Overwhelming, Some(7))
        );
        assert_eq!(
            (find("new").zone, find("new").suggested),
            (Zone::NotEnough, None)
        );
        assert_eq!(c[0].area, "edge"); // practised last (day 9)
        assert_eq!(
            find("easy").sentence(),
            "easy: the last 4 genuine attempts went 100% well at difficulty 3 on average: \
             too easy for your 70–90% band. Try difficulty 4 next."
        );
    }

    #[test]
    fn high_stress_and_identity_make_it_overwhelming_whatever_the_rate() {
        let mut cycles: Vec<Cycle> = (0..8)
            .map(|n| at(n, "a", n as i64 + 1, Success, 5))
            .collect();
        let mut f = at(9, "a", 10, Failure, 5);
        f.fields.stress = Some(8);
        f.fields.identity = Some(9);
        cycles.push(f);
        let c = &calibration(&cycles, Band::default(), &Guides::default())[0];
        // 8 of 9 = 89%: at the edge by rate, but the failure hit hard. The staircase:
        // four successes at 5 climb to 6, the next four (at 5, below 6) count for
        // nothing, and the hard landing steps back down to 5.
        assert!(c.high_aftermath);
        assert_eq!((c.zone, c.suggested), (Zone::Overwhelming, Some(5)));
    }

    #[test]
    fn only_the_last_ten_count() {
        let mut cycles: Vec<Cycle> = (0..10)
            .map(|n| at(n, "a", n as i64 + 1, Failure, 5))
            .collect();
        cycles.extend((10..20).map(|n| at(n, "a", n as i64 + 1, Success, 5)));
        assert_eq!(
            calibration(&cycles, Band::default(), &Guides::default())[0].success_rate,
            Some(100.0)
        );
    }

    #[test]
    fn a_band_must_run_upwards() {
        assert!(Band::checked(90, 70).is_err());
        assert!(Band::checked(60, 101).is_err());
        assert_eq!(Band::checked(60, 80), Ok(Band { low: 60, high: 80 }));
    }

    #[test]
    fn the_ladder_groups_an_area_by_outcome() {
        let cycles = [
            at(1, "a", 1, Success, 3),
            at(2, "A", 1, Success, 5),
            at(3, "a", 1, Failure, 7),
            at(4, "b", 1, Failure, 9),
            at(5, "a", 2, Success, 4),
        ];
        let (points, bucket) = ladder(&cycles, "a", Range::All, day(2));
        assert_eq!(bucket, Bucket::Day);
        let got: Vec<(i64, Outcome, f64, usize)> = points
            .iter()
            .map(|p| {
                (
                    (p.day - day(1)).num_days(),
                    p.outcome,
                    p.difficulty,
                    p.count,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (0, Success, 4.0, 2),
                (0, Failure, 7.0, 1),
                (1, Success, 4.0, 1)
            ]
        );
    }
}
