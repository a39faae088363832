//! Loop quality: whether the loop (attempt → observe → extract → adjust) is closed, and
//! whether adjustments are put to the test and help. Also split by how safe the context
//! felt, since the essay says failure teaches only where it is not a threat.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::{by_area, is_genuine, percent, Bucket, Range};
use crate::cycle::{Applied, Cycle, CycleId, TestResult};

/// A share: `part` of `whole`, and the percentage when `whole` is not zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Share {
    pub part: usize,
    pub whole: usize,
    pub percent: Option<f64>,
}

impl Share {
    fn add(&mut self, yes: bool) {
        self.whole += 1;
        self.part += usize::from(yes);
        self.percent = percent(self.part, self.whole);
    }

    fn sum(&mut self, other: &Share) {
        self.whole += other.whole;
        self.part += other.part;
        self.percent = percent(self.part, self.whole);
    }
}

/// One month of loop quality.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoopMonth {
    pub month: NaiveDate,
    pub completed: Share,
    pub tested: Share,
    pub better: Share,
    /// The three shares over the [`ROLLING_MONTHS`] calendar months ending with this one
    /// (parts and wholes summed): what the chart draws, so a month with one setback does
    /// not swing its line from 0 to 100.
    pub rolling: Rolling,
}

/// The three shares over a few months.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Rolling {
    pub completed: Share,
    pub tested: Share,
    pub better: Share,
}

/// How many calendar months each rolling share looks at, the month itself included.
pub const ROLLING_MONTHS: u32 = 3;

/// Loop quality among the cycles of one band of context safety.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SafetyGroup {
    /// `unsafe` (safety 1–2), `mixed` (3) or `safe` (4–5).
    pub group: &'static str,
    pub label: &'static str,
    pub completed: Share,
    pub tested: Share,
    pub better: Share,
}

/// Loop quality. Every share is counted on the cycle that holds the setback or the
/// adjustment (its day gives the month, its context the safety band), so within any
/// month or band the adjustments found better are some of those tested, never more.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LoopQuality {
    /// Genuine setbacks whose loop is complete (observed, extracted, adjusted).
    pub completed: Share,
    /// Adjustments that had a next genuine attempt in their area, and were tested on it.
    pub tested: Share,
    /// Of the adjustments tested, those whose test gave a result: how many went better.
    pub better: Share,
    pub months: Vec<LoopMonth>,
    pub safety: Vec<SafetyGroup>,
}

/// Setbacks needed in both the safe and the unsafe group before they are compared: with
/// fewer, one setback swings a share by a third or more. The same gate Bearable uses for
/// correlations on personal data (at least 3 days with a factor and 3 without).
pub const MIN_SETBACKS_TO_COMPARE: usize = 3;

const GROUPS: [(&str, &str); 3] = [
    ("unsafe", "Unsafe to fail (safety 1–2)"),
    ("mixed", "In between (safety 3)"),
    ("safe", "Safe to fail (safety 4–5)"),
];

fn group_of(safety: u8) -> usize {
    match safety {
        0..=2 => 0,
        3 => 1,
        _ => 2,
    }
}

/// What an attempt says about the adjustment it tests.
struct Test {
    target: CycleId,
    applied: Option<Applied>,
    result: Option<TestResult>,
}

fn loop_complete(cycle: &Cycle) -> bool {
    let s = cycle.stages();
    s.observe && s.extract && s.adjust
}

/// Compute loop quality for the cycles in `range` (any order).
pub fn loop_quality(cycles: &[Cycle], range: Range, today: NaiveDate) -> LoopQuality {
    let mut q = LoopQuality::default();
    let mut months: BTreeMap<NaiveDate, LoopMonth> = BTreeMap::new();
    let mut groups: Vec<SafetyGroup> = GROUPS
        .iter()
        .map(|(group, label)| SafetyGroup {
            group,
            label,
            completed: Share::default(),
            tested: Share::default(),
            better: Share::default(),
        })
        .collect();
    let month_of = |months: &mut BTreeMap<NaiveDate, LoopMonth>, day: NaiveDate| {
        let month = Bucket::Month.start(day);
        months.entry(month).or_insert_with(|| LoopMonth {
            month,
            completed: Share::default(),
            tested: Share::default(),
            better: Share::default(),
            rolling: Rolling::default(),
        });
        month
    };
    let inside = |c: &Cycle| range.contains(c.fields.attempted_on, today);

    // Which adjustment each attempt tests, to find "tested on the next attempt".
    let tests: HashMap<CycleId, Test> = cycles
        .iter()
        .filter_map(|c| {
            c.fields.tests_cycle.map(|target| {
                (
                    c.id,
                    Test {
                        target,
                        applied: c.fields.applied,
                        result: c.fields.result,
                    },
                )
            })
        })
        .collect();

    for group in by_area(cycles).values() {
        let genuine: Vec<&Cycle> = group.iter().copied().filter(|c| is_genuine(c)).collect();
        for (k, cycle) in genuine.iter().enumerate() {
            if !inside(cycle) {
                continue;
            }
            let g = group_of(cycle.fields.safety);
            if cycle.fields.outcome.is_setback() {
                let done = loop_complete(cycle);
                q.completed.add(done);
                groups[g].completed.add(done);
                let m = month_of(&mut months, cycle.fields.attempted_on);
                if let Some(month) = months.get_mut(&m) {
                    month.completed.add(done);
                }
            }
            if cycle.fields.adjustment.is_some() {
                if let Some(next) = genuine.get(k + 1) {
                    let test = tests.get(&next.id).filter(|t| t.target == cycle.id);
                    let tested = test.is_some_and(|t| t.applied != Some(Applied::No));
                    // Better or not, among the tested adjustments whose test has a result.
                    let better = test
                        .filter(|_| tested)
                        .and_then(|t| t.result)
                        .map(|r| r == TestResult::Better);
                    q.tested.add(tested);
                    groups[g].tested.add(tested);
                    if let Some(better) = better {
                        q.better.add(better);
                        groups[g].better.add(better);
                    }
                    let m = month_of(&mut months, cycle.fields.attempted_on);
                    if let Some(month) = months.get_mut(&m) {
                        month.tested.add(tested);
                        if let Some(better) = better {
                            month.better.add(better);
                        }
                    }
                }
            }
        }
    }
    q.months = months.into_values().collect();
    for i in 0..q.months.len() {
        let from = q.months[i].month - chrono::Months::new(ROLLING_MONTHS - 1);
        let mut rolling = Rolling::default();
        for m in q.months[..=i].iter().rev().take_while(|m| m.month >= from) {
            rolling.completed.sum(&m.completed);
            rolling.tested.sum(&m.tested);
            rolling.better.sum(&m.better);
        }
        q.months[i].rolling = rolling;
    }
    q.safety = groups;
    q
}

/// "2 of 3 setbacks", "1 of 1 setback".
fn share_text(share: &Share, one: &str, many: &str) -> String {
    let noun = if share.whole == 1 { one } else { many };
    format!("{} of {} {noun}", share.part, share.whole)
}

impl LoopQuality {
    /// One plain sentence for under the chart.
    pub fn sentence(&self, range: Range) -> String {
        if self.completed.whole == 0 && self.tested.whole == 0 && self.better.whole == 0 {
            return format!(
                "No setbacks to reflect on {}. When an attempt doesn't work, observing, \
                 extracting and adjusting closes its loop; this shows how often you do.",
                if range == Range::All {
                    "yet"
                } else {
                    range.phrase()
                }
            );
        }
        let mut parts = Vec::new();
        if self.completed.whole > 0 {
            parts.push(format!(
                "you closed the loop on {}",
                share_text(&self.completed, "setback", "setbacks")
            ));
        }
        if self.tested.whole > 0 {
            parts.push(format!(
                "tested {} on the next attempt",
                share_text(&self.tested, "adjustment", "adjustments")
            ));
        }
        if self.better.whole > 0 {
            parts.push(format!(
                "{} made it go better",
                share_text(&self.better, "tested adjustment", "tested adjustments")
            ));
        }
        let last = parts.pop().unwrap_or_default();
        let text = if parts.is_empty() {
            last
        } else {
            format!("{}, and {last}", parts.join(", "))
        };
        let mut chars = text.chars();
        let first = chars
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default();
        let range = range.phrase();
        format!("{first}{} {range}.", chars.as_str())
    }

    /// One plain sentence comparing safe and unsafe contexts, with how many setbacks
    /// each share stands on; only once each has [`MIN_SETBACKS_TO_COMPARE`].
    pub fn safety_sentence(&self) -> String {
        let (unsafe_, safe) = (&self.safety[0].completed, &self.safety[2].completed);
        let enough = |s: &Share| s.whole >= MIN_SETBACKS_TO_COMPARE;
        match (unsafe_.percent, safe.percent) {
            (Some(u), Some(s)) if enough(unsafe_) && enough(safe) => format!(
                "Where failing felt safe you closed the loop on {:.0}% of {} setbacks; where it \
                 didn't, on {:.0}% of {}.",
                s, safe.whole, u, unsafe_.whole
            ),
            _ if safe.whole + unsafe_.whole == 0 => format!(
                "Safe and unsafe contexts are compared once each has \
                 {MIN_SETBACKS_TO_COMPARE} setbacks."
            ),
            _ => format!(
                "Safe and unsafe contexts are compared once each has \
                 {MIN_SETBACKS_TO_COMPARE} setbacks; so far {} where failing felt safe and {} \
                 where it didn't.",
                safe.whole, unsafe_.whole
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Success};
    use crate::insights::testing::{cycle, day, id};

    fn reflected(mut c: Cycle) -> Cycle {
        c.fields.observation = Some("the pricing slide".into());
        c.fields.in_my_control = Some("too long".into());
        c.fields.adjustment = Some("cut it".into());
        c
    }

    #[test]
    fn loop_quality_by_hand() {
        // Setbacks: 1 (complete, safety 1), 3 (complete, safety 5), 5 (nothing, safety 5).
        // Adjustments: 1 → next genuine is 2, which tests 1 (applied yes, better).
        //              3 → next genuine is 4, which tests 1 (not 3): untested.
        // Better: among tested adjustments with a result, only 1 (tested by 2, better):
        //         4 also tests 1, but is not the attempt after it, so it does not count.
        let mut c1 = reflected(cycle(1, "a", 1, Failure));
        c1.fields.safety = 1;
        let mut c2 = cycle(2, "a", 2, Success);
        c2.fields.tests_cycle = Some(id(1));
        c2.fields.applied = Some(Applied::Yes);
        c2.fields.result = Some(TestResult::Better);
        let mut c3 = reflected(cycle(3, "a", 3, Failure));
        c3.fields.safety = 5;
        let mut c4 = cycle(4, "a", 4, Success);
        c4.fields.tests_cycle = Some(id(1));
        c4.fields.applied = Some(Applied::Partly);
        c4.fields.result = Some(TestResult::Same);
        let mut c5 = cycle(5, "a", 40, Failure);
        c5.fields.safety = 5;
        let q = loop_quality(&[c5, c4, c3, c2, c1], Range::All, day(40));
        assert_eq!((q.completed.part, q.completed.whole), (2, 3));
        assert_eq!((q.tested.part, q.tested.whole), (1, 2));
        assert_eq!((q.better.part, q.better.whole), (1, 1));
        assert_eq!(q.months.len(), 2);
        assert_eq!(
            q.months[1].rolling.completed.whole, 3,
            "January and February"
        );
        assert_eq!(q.months[1].completed.whole, 1);
        assert_eq!(q.safety[0].completed.percent, Some(100.0));
        assert_eq!(q.safety[2].completed.percent, Some(50.0));
        assert_eq!(
            q.sentence(Range::All),
            "You closed the loop on 2 of 3 setbacks, tested 1 of 2 adjustments on the \
             next attempt, and 1 of 1 tested adjustment made it go better so far."
        );
        // 2 safe setbacks and 1 unsafe: below the gate of 3 each, so no comparison.
        assert_eq!(
            q.safety_sentence(),
            "Safe and unsafe contexts are compared once each has 3 setbacks; so far 2 where \
             failing felt safe and 1 where it didn't."
        );
    }

    /// Regression: the table read "Safe to fail: adjustment tested 0/0, tested and
    /// better 1/1" and the sentence "tested 2 of 2 … 2 of 3 tested adjustments made it go
    /// better", because "better" was counted on the testing attempt (its day, its
    /// context) and "tested" on the adjustment's.
    #[test]
    fn the_adjustments_found_better_are_some_of_those_tested() {
        let mut c1 = reflected(cycle(1, "a", 1, Failure));
        c1.fields.safety = 1;
        let mut c2 = cycle(2, "a", 40, Success);
        c2.fields.safety = 5;
        c2.fields.tests_cycle = Some(id(1));
        c2.fields.applied = Some(Applied::Yes);
        c2.fields.result = Some(TestResult::Better);
        // In the last 30 days only the test is in range: nothing was adjusted in it.
        let q = loop_quality(&[c1.clone(), c2.clone()], Range::Days30, day(40));
        assert_eq!((q.tested.whole, q.better.whole), (0, 0));
        let q = loop_quality(&[c1, c2], Range::All, day(40));
        for (tested, better) in std::iter::once((q.tested, q.better))
            .chain(q.safety.iter().map(|g| (g.tested, g.better)))
            .chain(q.months.iter().map(|m| (m.tested, m.better)))
        {
            assert!(better.whole <= tested.part, "{tested:?} {better:?}");
        }
        assert_eq!(
            q.safety[0].better.part, 1,
            "counted in the adjustment's context"
        );
    }

    #[test]
    fn safe_and_unsafe_are_compared_from_three_setbacks_each_with_n() {
        // Safe (safety 5): 4 setbacks, 3 reflected → 75%. Unsafe (safety 1): 3 setbacks,
        // 1 reflected → 33%.
        let mut cycles = Vec::new();
        for n in 0..4u128 {
            let mut c = cycle(n, "a", n as i64 + 1, Failure);
            if n < 3 {
                c = reflected(c);
            }
            c.fields.safety = 5;
            cycles.push(c);
        }
        for n in 10..13u128 {
            let mut c = cycle(n, "b", n as i64, Failure);
            if n == 10 {
                c = reflected(c);
            }
            c.fields.safety = 1;
            cycles.push(c);
        }
        let q = loop_quality(&cycles, Range::All, day(20));
        assert_eq!(
            q.safety_sentence(),
            "Where failing felt safe you closed the loop on 75% of 4 setbacks; where it \
             didn't, on 33% of 3."
        );
        // One unsafe setback fewer, and the comparison waits.
        let fewer: Vec<Cycle> = cycles.into_iter().filter(|c| c.id != id(12)).collect();
        let q = loop_quality(&fewer, Range::All, day(20));
        assert!(q
            .safety_sentence()
            .starts_with("Safe and unsafe contexts are compared"));
    }

    #[test]
    fn an_adjustment_not_applied_is_not_tested() {
        let c1 = reflected(cycle(1, "a", 1, Failure));
        let mut c2 = cycle(2, "a", 2, Success);
        c2.fields.tests_cycle = Some(id(1));
        c2.fields.applied = Some(Applied::No);
        c2.fields.result = Some(TestResult::Better);
        let q = loop_quality(&[c1, c2], Range::All, day(2));
        assert_eq!((q.tested.part, q.tested.whole), (0, 1));
        assert_eq!(q.better.whole, 0);
    }

    #[test]
    fn nothing_yet_says_what_fills_it() {
        let q = loop_quality(&[], Range::All, day(1));
        assert!(q
            .sentence(Range::All)
            .starts_with("No setbacks to reflect on yet"));
    }
}
