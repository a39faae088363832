//! An area's edge, as the editor, the weekly review and `rebound stats` show it: where
//! its staircase stands (staircase.rs), the counter toward the next step, the rule in
//! words, the band it aims at, and the recent attempts it stands on. Also each area's own
//! band and rule (`Guides`, the preference `area_guides`).
//!
//! Pure functions over the cycles; no storage.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calibration::{Band, RECENT};
use super::staircase::{walk, Move, Staircase};
use super::{by_area, is_genuine, mean, nice};
use crate::cycle::{Cycle, Outcome};

/// The guide a person set for one area: its own band and rule, or the defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaGuide {
    #[serde(default)]
    pub band: Option<Band>,
    #[serde(default)]
    pub staircase: Option<Staircase>,
}

/// Every area's guide, by area name folded to lower case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Guides(pub BTreeMap<String, AreaGuide>);

impl Guides {
    /// The guide of `area` (any case).
    pub fn of(&self, area: &str) -> AreaGuide {
        self.0
            .get(&area.to_lowercase())
            .copied()
            .unwrap_or_default()
    }

    /// The band `area` aims at: its own, or `default`.
    pub fn band(&self, area: &str, default: Band) -> Band {
        self.of(area).band.unwrap_or(default)
    }

    /// The rule `area` follows: its own, or the default.
    pub fn staircase(&self, area: &str) -> Staircase {
        self.of(area).staircase.unwrap_or_default()
    }
}

/// The last few genuine attempts with a known outcome in an area.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recent {
    pub attempts: usize,
    pub worked: usize,
    pub partial: usize,
    pub mean_difficulty: Option<f64>,
}

/// An area's edge: the staircase's level and counters, its rule in words, the band it
/// aims at, and the recent attempts it stands on. `rebound stats --json` prints these as
/// `areas[]`, and the editor shows one beside Difficulty.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaEdge {
    /// The area as last written.
    pub area: String,
    /// Where the staircase stands: the difficulty of the edge now.
    pub level: u8,
    /// The difficulty to try next. The rule suggests the level itself; the field is
    /// separate so the JSON says plainly which number to use.
    pub suggested_next: u8,
    pub successes_in_row: u8,
    pub failures_in_row: u8,
    pub target_band: Band,
    /// The rule as one sentence.
    pub rule: String,
    pub staircase: Staircase,
    /// The success rate the rule settles near, in percent.
    pub settles_near: f64,
    pub recent: Recent,
    /// What the last attempt did.
    pub last_move: Move,
    /// One line: the recent attempts, the suggestion and the counter toward a step.
    pub sentence: String,
    pub last_day: NaiveDate,
}

/// The edge of every area with a finished genuine attempt, most recently practised first.
pub fn edges(cycles: &[Cycle], guides: &Guides, default_band: Band) -> Vec<AreaEdge> {
    let mut all: Vec<AreaEdge> = by_area(cycles)
        .values()
        .filter_map(|group| edge_of(group, guides, default_band))
        .collect();
    all.sort_by(|a, b| {
        b.last_day
            .cmp(&a.last_day)
            .then_with(|| a.area.cmp(&b.area))
    });
    all
}

/// The edge of one area's history (its cycles in practice order).
pub fn edge_of(history: &[&Cycle], guides: &Guides, default_band: Band) -> Option<AreaEdge> {
    let last = history.last()?;
    let area = last.fields.area.clone();
    let staircase = guides.staircase(&area);
    let w = walk(history, staircase)?;
    let finished: Vec<&Cycle> = history
        .iter()
        .rev()
        .copied()
        .filter(|c| is_genuine(c) && c.fields.outcome != Outcome::Pending)
        .take(RECENT)
        .collect();
    let count = |o: Outcome| finished.iter().filter(|c| c.fields.outcome == o).count();
    let recent = Recent {
        attempts: finished.len(),
        worked: count(Outcome::Success),
        partial: count(Outcome::Partial),
        mean_difficulty: mean(finished.iter().map(|c| f64::from(c.fields.difficulty))),
    };
    let last_move = w.steps.last().map_or(Move::Hold, |s| s.movement);
    let mut edge = AreaEdge {
        area,
        level: w.level,
        suggested_next: w.level,
        successes_in_row: w.successes_in_row,
        failures_in_row: w.failures_in_row,
        target_band: guides.band(&last.fields.area, default_band),
        rule: staircase.words(),
        staircase,
        settles_near: staircase.settles_near(),
        recent,
        last_move,
        sentence: String::new(),
        last_day: last.fields.attempted_on,
    };
    edge.sentence = edge.describe();
    Some(edge)
}

impl AreaEdge {
    /// "Last 10 here: 7 worked, at about 6.5. Suggested next: 7 (3 of 4 successes toward
    /// a step up)."
    fn describe(&self) -> String {
        let r = &self.recent;
        let at = r.mean_difficulty.map(nice).unwrap_or_default();
        let head = if r.attempts == 1 {
            let how = if r.worked == 1 {
                "it worked"
            } else if r.partial == 1 {
                "it partly worked"
            } else {
                "it didn't work"
            };
            format!("1 attempt here so far, at difficulty {at}: {how}.")
        } else {
            format!(
                "Last {} here: {} worked, at about {at}.",
                r.attempts, r.worked
            )
        };
        let s = &self.staircase;
        let toward = match self.last_move {
            Move::HardLanding => "one step down after a hard landing".to_string(),
            _ if self.failures_in_row > 0 => format!(
                "{} of {} failures toward a step down",
                self.failures_in_row, s.down_after
            ),
            Move::Up => format!("a step up; 0 of {} toward the next", s.up_after),
            Move::Down => format!(
                "a step down; 0 of {} successes toward a step up",
                s.up_after
            ),
            _ => format!(
                "{} of {} successes toward a step up",
                self.successes_in_row, s.up_after
            ),
        };
        format!("{head} Suggested next: {} ({toward}).", self.suggested_next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Partial, Success};
    use crate::insights::testing::cycle;

    /// An attempt numbered `n` on day `n` at `difficulty`.
    fn at(n: u128, difficulty: u8, outcome: Outcome) -> Cycle {
        let mut c = cycle(n, "pitches", n as i64, outcome);
        c.fields.difficulty = difficulty;
        c
    }

    #[test]
    fn the_edge_says_the_recent_attempts_the_suggestion_and_the_counter() {
        // Ten attempts at difficulties 6,7,6,7,6,7,6,7,6,7 (mean 6.5), outcomes
        // S S F S S S P S F S: 7 worked. Walk (4 up / 1 down), by hand:
        //   S6: level 6, count 1.  S7: 2.  F6: down to 5.  S7: 1.  S6: 2.  S7: 3.
        //   P6: hold, 0.  S7: 1.  F6: 6 > 5, a stretch: aside, count 0.  S7: 1.
        // Level 5, 1 of 4 toward a step up; worked 7 of 10.
        let plan = [
            (6, Success),
            (7, Success),
            (6, Failure),
            (7, Success),
            (6, Success),
            (7, Success),
            (6, Partial),
            (7, Success),
            (6, Failure),
            (7, Success),
        ];
        let cycles: Vec<Cycle> = plan
            .iter()
            .enumerate()
            .map(|(i, &(d, o))| at(i as u128 + 1, d, o))
            .collect();
        let edge = &edges(&cycles, &Guides::default(), Band::default())[0];
        assert_eq!((edge.level, edge.suggested_next), (5, 5));
        assert_eq!(edge.successes_in_row, 1);
        assert_eq!((edge.recent.attempts, edge.recent.worked), (10, 7));
        assert_eq!(
            edge.sentence,
            "Last 10 here: 7 worked, at about 6.5. Suggested next: 5 (1 of 4 successes \
             toward a step up)."
        );
        assert!(
            edge.rule.contains("settles near 84% success"),
            "{}",
            edge.rule
        );
    }

    #[test]
    fn each_area_follows_its_own_rule_and_band() {
        let mut guides = Guides::default();
        guides.0.insert(
            "pitches".into(),
            AreaGuide {
                band: Some(Band { low: 60, high: 80 }),
                staircase: Some(Staircase::checked(2, 1).unwrap()),
            },
        );
        // Two successes at 3: with 2 up, one step up to 4.
        let cycles = [at(1, 3, Success), at(2, 3, Success)];
        let edge = &edges(&cycles, &guides, Band::default())[0];
        assert_eq!(edge.suggested_next, 4);
        assert_eq!(edge.target_band, Band { low: 60, high: 80 });
        assert_eq!(
            edge.sentence,
            "Last 2 here: 2 worked, at about 3. Suggested next: 4 (a step up; 0 of 2 toward \
             the next)."
        );
        let one = &edges(&cycles[..1], &Guides::default(), Band::default())[0];
        assert_eq!(
            one.sentence,
            "1 attempt here so far, at difficulty 3: it worked. Suggested next: 3 (1 of 4 \
             successes toward a step up)."
        );
    }
}
