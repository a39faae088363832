//! The staircase: where an area's edge is now, and the difficulty to try next, from a
//! rule written out in words that a person can read, check against their own history
//! and change per area.
//!
//! The rule is a transformed up-down staircase (Levitt 1971): after `up_after` genuine
//! successes in a row at or above the current level, one step up; after `down_after`
//! failures in a row at or below it, one step down. Unlike a laboratory staircase, the
//! person chooses each difficulty, often above the level; so a step up goes one above the
//! easiest success of the run, and the level never trails far behind what keeps working. With equal steps such a staircase
//! settles where a step up and a step down are equally likely; for 4-up/1-down that is
//! p⁴ = ½, about 84% success. García-Pérez 1998 (Vision Research 38:1861, PMID 9797963)
//! showed which fixed steps converge on which rate in perception tasks. Both are an
//! analogy for attempts in a life, not a law about them, and docs/insights.md says so.
//!
//! On top of the staircase, the essay's warning: failure that lands as a threat teaches
//! less, so a hard landing (stress or identity 7 or more after a setback) is one step
//! down at once, whatever the counts.
//!
//! Pure functions over an area's cycles; no storage. Which rule each area uses is a
//! preference (`prefs::AREA_GUIDES`), read through `edge::Guides`; edge.rs turns a walk
//! into the sentence the editor shows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::is_genuine;
use crate::cycle::{Cycle, CycleId, Outcome};

/// Stress or identity at or above this after a setback is a hard landing.
pub const HARD_LANDING: u8 = 7;
/// The most successes in a row a rule may ask for before a step up.
pub const MAX_UP_AFTER: u8 = 8;
/// The most failures in a row a rule may ask for before a step down.
pub const MAX_DOWN_AFTER: u8 = 3;
/// The difficulty scale's ends.
const LOWEST: u8 = 1;
const HIGHEST: u8 = 10;

/// The staircase rule of one area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staircase {
    /// Genuine successes in a row, at or above the level, for a step up (to one above the
    /// easiest of them).
    pub up_after: u8,
    /// Failures in a row, at or below the level, for one step down.
    pub down_after: u8,
}

impl Default for Staircase {
    /// 4 up, 1 down: settles near 84% success, inside the default 70–90% band.
    fn default() -> Staircase {
        Staircase {
            up_after: 4,
            down_after: 1,
        }
    }
}

impl Staircase {
    /// Check a rule a person set.
    pub fn checked(up_after: u8, down_after: u8) -> Result<Staircase, String> {
        // Why no "a failure holds" (down_after 0): a staircase that never steps down on
        // failures only climbs, so it cannot settle near any success rate.
        if (1..=MAX_UP_AFTER).contains(&up_after) && (1..=MAX_DOWN_AFTER).contains(&down_after) {
            Ok(Staircase {
                up_after,
                down_after,
            })
        } else {
            Err(format!(
                "a step up needs 1 to {MAX_UP_AFTER} successes in a row and a step down 1 to \
                 {MAX_DOWN_AFTER} failures in a row (got {up_after} and {down_after})"
            ))
        }
    }

    /// The success rate, in percent, this rule settles near when every attempt is made
    /// at the level and succeeds there with the same chance: where the expected steps up
    /// and down balance. A success run of geometric length gives p^(N−1)/(1−p^N) steps
    /// up on average, a failure run q^(M−1)/(1−q^M) steps down (q = 1 − p); the first
    /// grows with p and the second shrinks, so halving finds the one crossing.
    pub fn settles_near(&self) -> f64 {
        let (n, m) = (i32::from(self.up_after), i32::from(self.down_after));
        let ups = |p: f64| p.powi(n - 1) / (1.0 - p.powi(n));
        let downs = |p: f64| {
            let q = 1.0 - p;
            q.powi(m - 1) / (1.0 - q.powi(m))
        };
        let (mut low, mut high) = (1e-9, 1.0 - 1e-9);
        for _ in 0..100 {
            let mid = (low + high) / 2.0;
            if ups(mid) < downs(mid) {
                low = mid;
            } else {
                high = mid;
            }
        }
        100.0 * (low + high) / 2.0
    }

    /// The rule in one sentence.
    pub fn words(&self) -> String {
        let up = if self.up_after == 1 {
            "After a genuine success at or above your level, one step above it".to_string()
        } else {
            format!(
                "After {} genuine successes in a row at or above your level, one step above \
                 the easiest of them",
                self.up_after
            )
        };
        let down = if self.down_after == 1 {
            "after a failure at or below it, one step down".to_string()
        } else {
            format!(
                "after {} failures in a row at or below it, one step down",
                self.down_after
            )
        };
        format!(
            "{up}; {down}; a partial starts the count again; after a hard landing (stress or \
             identity {HARD_LANDING} or more after a setback), one step down. If you always try \
             at your level, this settles near {:.0}% success.",
            self.settles_near()
        )
    }
}

/// What one attempt did to the staircase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    /// A success at or above the level, counted toward a step up.
    Count,
    /// The count reached: one step above the easiest success of the run.
    Up,
    /// A failure at or below the level counted toward a step down, or a partial: the
    /// level holds and the success count starts again.
    Hold,
    /// The failures in a row reached: one step down.
    Down,
    /// A setback with stress or identity at [`HARD_LANDING`] or more: one step down.
    HardLanding,
    /// Away from the level (a success below it, a failure above it): counts for nothing.
    Aside,
}

/// One attempt on the staircase: what it was and where it left the level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub cycle: CycleId,
    pub day: NaiveDate,
    pub difficulty: u8,
    pub outcome: Outcome,
    pub movement: Move,
    /// The level after this attempt.
    pub level: u8,
}

/// Where an area's staircase stands after its history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Walk {
    pub level: u8,
    pub successes_in_row: u8,
    pub failures_in_row: u8,
    pub steps: Vec<Step>,
}

fn hard_landing(cycle: &Cycle) -> bool {
    let f = &cycle.fields;
    f.outcome.is_setback()
        && (f.stress.is_some_and(|s| s >= HARD_LANDING)
            || f.identity.is_some_and(|i| i >= HARD_LANDING))
}

/// Walk `history` (one area's cycles in practice order) up and down the staircase.
/// Only genuine attempts with a known outcome move it; the first sets the level at its
/// difficulty. `None` when there is no such attempt yet.
pub fn walk(history: &[&Cycle], rule: Staircase) -> Option<Walk> {
    // The easiest difficulty of the current run of counted successes.
    let mut easiest = HIGHEST;
    let mut attempts = history
        .iter()
        .filter(|c| is_genuine(c) && c.fields.outcome != Outcome::Pending);
    let first = attempts.next()?;
    let mut w = Walk {
        level: first.fields.difficulty.clamp(LOWEST, HIGHEST),
        successes_in_row: 0,
        failures_in_row: 0,
        steps: Vec::new(),
    };
    for cycle in std::iter::once(first).chain(attempts) {
        let d = cycle.fields.difficulty;
        let movement = if hard_landing(cycle) {
            w.level = w.level.saturating_sub(1).max(LOWEST);
            w.successes_in_row = 0;
            w.failures_in_row = 0;
            Move::HardLanding
        } else {
            match cycle.fields.outcome {
                Outcome::Success if d >= w.level => {
                    w.failures_in_row = 0;
                    easiest = if w.successes_in_row == 0 {
                        d
                    } else {
                        easiest.min(d)
                    };
                    w.successes_in_row += 1;
                    if w.successes_in_row >= rule.up_after {
                        w.successes_in_row = 0;
                        // At the level, one step up; when the whole run was harder, one
                        // above its easiest, so the level catches up with the practice.
                        w.level = (easiest.max(w.level) + 1).min(HIGHEST);
                        Move::Up
                    } else {
                        Move::Count
                    }
                }
                // Easier than the level: neither counts nor starts the count again.
                Outcome::Success => {
                    w.failures_in_row = 0;
                    Move::Aside
                }
                Outcome::Failure if d <= w.level => {
                    w.successes_in_row = 0;
                    w.failures_in_row += 1;
                    if w.failures_in_row >= rule.down_after {
                        w.failures_in_row = 0;
                        w.level = w.level.saturating_sub(1).max(LOWEST);
                        Move::Down
                    } else {
                        Move::Hold
                    }
                }
                // A stretch past the level that did not work says nothing about the
                // level itself, but it does end a run of successes.
                Outcome::Failure => {
                    w.successes_in_row = 0;
                    Move::Aside
                }
                Outcome::Partial | Outcome::Pending => {
                    w.successes_in_row = 0;
                    w.failures_in_row = 0;
                    Move::Hold
                }
            }
        };
        w.steps.push(Step {
            cycle: cycle.id,
            day: cycle.fields.attempted_on,
            difficulty: d,
            outcome: cycle.fields.outcome,
            movement,
            level: w.level,
        });
    }
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Partial, Pending, Success};
    use crate::insights::testing::cycle;

    /// An attempt numbered `n` on day `n` at `difficulty`.
    fn at(n: u128, difficulty: u8, outcome: Outcome) -> Cycle {
        let mut c = cycle(n, "pitches", n as i64, outcome);
        c.fields.difficulty = difficulty;
        c
    }

    fn hard(mut c: Cycle) -> Cycle {
        c.fields.stress = Some(8);
        c.fields.identity = Some(3);
        c
    }

    fn run(cycles: &[Cycle], rule: Staircase) -> Walk {
        let refs: Vec<&Cycle> = cycles.iter().collect();
        walk(&refs, rule).unwrap()
    }

    fn moves(w: &Walk) -> Vec<(Move, u8)> {
        w.steps.iter().map(|s| (s.movement, s.level)).collect()
    }

    #[test]
    fn four_successes_in_a_row_climb_one_step_and_a_failure_steps_back() {
        // Rule 4 up / 1 down. Worked by hand:
        //   1. success at 5: the first attempt sets the level at 5; count 1 of 4.
        //   2. success at 5: count 2.   3. success at 6 (above the level): count 3.
        //   4. success at 5: count 4 → one step up, level 6, count back to 0.
        //   5. success at 6: count 1.   6. failure at 6 (at the level) → level 5.
        //   7. success at 5: count 1.
        // Ends at level 5, 1 of 4 successes toward a step up.
        let cycles = [
            at(1, 5, Success),
            at(2, 5, Success),
            at(3, 6, Success),
            at(4, 5, Success),
            at(5, 6, Success),
            at(6, 6, Failure),
            at(7, 5, Success),
        ];
        let w = run(&cycles, Staircase::default());
        assert_eq!(
            moves(&w),
            [
                (Move::Count, 5),
                (Move::Count, 5),
                (Move::Count, 5),
                (Move::Up, 6),
                (Move::Count, 6),
                (Move::Down, 5),
                (Move::Count, 5)
            ]
        );
        assert_eq!((w.level, w.successes_in_row, w.failures_in_row), (5, 1, 0));
    }

    #[test]
    fn a_partial_restarts_the_count_and_attempts_away_from_the_level_count_for_nothing() {
        // Rule 4 up / 1 down, by hand:
        //   1. success at 6: level 6, count 1.   2. success at 7: count 2.
        //   3. partial at 6: the level holds, count back to 0.
        //   4. success at 4 (below the level): aside, count stays 0.
        //   5. failure at 9 (a stretch above it): aside, level stays 6.
        //   6. success at 6: count 1.   7. success at 6: count 2.   8. success at 8: count 3.
        // Ends at level 6, 3 of 4 toward a step up.
        let cycles = [
            at(1, 6, Success),
            at(2, 7, Success),
            at(3, 6, Partial),
            at(4, 4, Success),
            at(5, 9, Failure),
            at(6, 6, Success),
            at(7, 6, Success),
            at(8, 8, Success),
        ];
        let w = run(&cycles, Staircase::default());
        assert_eq!(
            moves(&w),
            [
                (Move::Count, 6),
                (Move::Count, 6),
                (Move::Hold, 6),
                (Move::Aside, 6),
                (Move::Aside, 6),
                (Move::Count, 6),
                (Move::Count, 6),
                (Move::Count, 6)
            ]
        );
        assert_eq!((w.level, w.successes_in_row), (6, 3));
    }

    #[test]
    fn a_run_of_harder_successes_lifts_the_level_to_one_above_the_easiest_of_them() {
        // Rule 4 up / 1 down, by hand: the first attempt (success at 3) sets the level at
        // 3, count 1, easiest 3. Then successes at 8, 7 and 9: count 4, easiest of the run
        // 3 → step to 4 (the run included the level). Then four more at 7, 8, 8, 9: all
        // above 4, easiest 7 → the fourth steps to 8. A failure at 9 (above 8) is a
        // stretch; a failure at 8 steps down to 7. At the top, four at 10 stay at 10.
        let cycles = [
            at(1, 3, Success),
            at(2, 8, Success),
            at(3, 7, Success),
            at(4, 9, Success),
            at(5, 7, Success),
            at(6, 8, Success),
            at(7, 8, Success),
            at(8, 9, Success),
            at(9, 9, Failure),
            at(10, 8, Failure),
        ];
        let w = run(&cycles, Staircase::default());
        let levels: Vec<u8> = w.steps.iter().map(|s| s.level).collect();
        assert_eq!(levels, [3, 3, 3, 4, 4, 4, 4, 8, 8, 7]);
        let top: Vec<Cycle> = (1..=8).map(|n| at(n, 10, Success)).collect();
        assert_eq!(run(&top, Staircase::default()).level, 10);
    }

    #[test]
    fn a_hard_landing_steps_down_at_once_whatever_the_rule() {
        // Rule 2 up / 3 down, by hand:
        //   1. success at 4: level 4, count 1.   2. success at 4: count 2 → up to 5.
        //   3. failure at 5: 1 of 3 failures.    4. failure at 5: 2 of 3.
        //   5. failure at 9, stress 8: a hard landing, even above the level → level 4,
        //      both counts back to 0.
        //   6. success at 3 (below 4): aside.
        // Ends at level 4.
        let cycles = [
            at(1, 4, Success),
            at(2, 4, Success),
            at(3, 5, Failure),
            at(4, 5, Failure),
            hard(at(5, 9, Failure)),
            at(6, 3, Success),
        ];
        let rule = Staircase::checked(2, 3).unwrap();
        let w = run(&cycles, rule);
        assert_eq!(
            moves(&w),
            [
                (Move::Count, 4),
                (Move::Up, 5),
                (Move::Hold, 5),
                (Move::Hold, 5),
                (Move::HardLanding, 4),
                (Move::Aside, 4)
            ]
        );
        assert_eq!((w.level, w.successes_in_row, w.failures_in_row), (4, 0, 0));
    }

    #[test]
    fn half_hearted_and_pending_attempts_do_not_move_it_and_the_ends_hold() {
        // 1 up / 1 down, by hand: a failure at 1 steps down from 1, which is the bottom,
        // so the level stays 1; a half-hearted success (effort 2) and a pending attempt
        // are skipped; a success at 4 is a run of one at or above the level 1, so the level
        // goes one above its easiest success: 5.
        let mut lazy = at(2, 3, Success);
        lazy.fields.effort = 2;
        let cycles = [
            at(1, 1, Failure),
            lazy,
            at(3, 4, Pending),
            at(4, 4, Success),
        ];
        let w = run(&cycles, Staircase::checked(1, 1).unwrap());
        assert_eq!(moves(&w), [(Move::Down, 1), (Move::Up, 5)]);
        assert!(walk(&[], Staircase::default()).is_none());
    }

    #[test]
    fn the_rule_settles_where_steps_up_and_down_balance() {
        // 1 up / 1 down: p = q, 50%. 2 up / 1 down: p² = ½, 70.7%. 4 up / 1 down:
        // p⁴ = ½, 84.1%. 3 up / 1 down: p³ = ½, 79.4%.
        let near = |n, m| Staircase::checked(n, m).unwrap().settles_near();
        assert!((near(1, 1) - 50.0).abs() < 0.01);
        assert!((near(2, 1) - 70.71).abs() < 0.01);
        assert!((near(3, 1) - 79.37).abs() < 0.01);
        assert!((near(4, 1) - 84.09).abs() < 0.01);
        // 2 up / 2 down is symmetric: 50% again.
        assert!((near(2, 2) - 50.0).abs() < 0.01);
        // Asking for more failures before stepping down settles lower.
        assert!(near(4, 2) < near(4, 1));
        assert!(Staircase::checked(0, 1).is_err());
        assert!(Staircase::checked(4, 0).is_err());
        assert!(Staircase::checked(9, 1).is_err());
    }
}
