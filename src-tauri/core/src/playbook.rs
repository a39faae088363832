//! The playbook: the Lessons as a record of what works, grouped by area. The same
//! adjustment written after several setbacks is one play, with every trial of it
//! counted together ("worked 3 of 4"); plays that keep working are "proven" and the
//! editor offers them before the next attempt in their area.
//!
//! Pure functions over the cycles; no storage, no Tauri. The rules (what counts as the
//! same adjustment, a trial, a proven play) are written down in docs/insights.md.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::cycle::{Applied, Cycle, CycleId, Outcome, TestResult};
use crate::today::newest_first;

/// Trials needed before a play can be called proven: one better result can be luck.
pub const PROVEN_MIN_TRIALS: usize = 2;

/// Words that open an adjustment without changing what it says ("I will…", "Next time,
/// …"); left out when adjustments are compared.
const OPENERS: [&[&str]; 6] = [
    &["next", "time", "i", "will"],
    &["next", "time", "i", "ll"],
    &["next", "time"],
    &["i", "will"],
    &["i", "ll"],
    &["i", "should"],
];

/// The words of an adjustment as compared: lower case, letters and digits only, an
/// opener ("I will", "next time") dropped. Two adjustments are the same play when
/// these are equal: "Ask about budget in the first call." and "I will ask about budget
/// in the first call" are one; "Ask about budget first" is another.
pub fn play_key(adjustment: &str) -> String {
    let lower = adjustment.to_lowercase().replace(['’', '‘', 'ʼ'], "'");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let rest = OPENERS
        .iter()
        .find(|opener| words.starts_with(opener) && words.len() > opener.len())
        .map_or(&words[..], |opener| &words[opener.len()..]);
    rest.join(" ")
}

/// How a play is doing, from its trials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Tried at least [`PROVEN_MIN_TRIALS`] times and better more than half of them.
    Proven,
    /// Better every time so far, but tried only once.
    Promising,
    /// Tried, better at most half the time.
    Mixed,
    /// Not tried yet.
    Untested,
}

/// One attempt that put a play to the test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlayTrial {
    pub cycle_id: CycleId,
    pub attempted_on: NaiveDate,
    pub outcome: Outcome,
    pub applied: Option<Applied>,
    pub result: Option<TestResult>,
}

/// One play: an adjustment (as last written) and its record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Play {
    pub area: String,
    /// The newest wording.
    pub adjustment: String,
    /// The newest check written with it.
    pub check: Option<String>,
    /// The cycles that wrote it, newest first.
    pub written_in: Vec<CycleId>,
    pub first_written: NaiveDate,
    pub last_written: NaiveDate,
    /// Trials: attempts that tested it with the adjustment applied (fully or partly)
    /// and said how it went.
    pub tried: usize,
    /// Trials where it went better.
    pub worked: usize,
    /// Attempts that named it but did not apply it, or gave no result yet.
    pub other_tests: usize,
    pub standing: Standing,
    /// Every attempt that tested it, newest first.
    pub trials: Vec<PlayTrial>,
}

/// One area's plays, best first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaPlays {
    pub area: String,
    pub plays: Vec<Play>,
}

fn standing(tried: usize, worked: usize) -> Standing {
    if tried == 0 {
        Standing::Untested
    } else if tried >= PROVEN_MIN_TRIALS && 2 * worked > tried {
        Standing::Proven
    } else if worked == tried {
        Standing::Promising
    } else {
        Standing::Mixed
    }
}

/// The playbook of the cycles `keep` lets through (each adjustment's own cycle is
/// filtered; its trials are always all counted), areas most recently written in first.
pub fn playbook(cycles: &[Cycle], keep: impl Fn(&Cycle) -> bool) -> Vec<AreaPlays> {
    // Who tested what, gathered in one pass.
    let mut testers: HashMap<CycleId, Vec<&Cycle>> = HashMap::new();
    for cycle in cycles {
        if let Some(tested) = cycle.fields.tests_cycle {
            testers.entry(tested).or_default().push(cycle);
        }
    }
    let mut sources: Vec<&Cycle> = cycles
        .iter()
        .filter(|c| c.fields.adjustment.is_some() && keep(c))
        .collect();
    sources.sort_by(newest_first);
    // Area (folded) → play key → the cycles that wrote it, newest first.
    let mut groups: BTreeMap<String, Vec<(String, Vec<&Cycle>)>> = BTreeMap::new();
    for cycle in sources {
        let Some(adjustment) = cycle.fields.adjustment.as_deref() else {
            continue;
        };
        let key = play_key(adjustment);
        let plays = groups.entry(cycle.fields.area.to_lowercase()).or_default();
        match plays.iter_mut().find(|(k, _)| *k == key) {
            Some((_, written)) => written.push(cycle),
            None => plays.push((key, vec![cycle])),
        }
    }
    let mut areas: Vec<AreaPlays> = groups
        .into_values()
        .filter_map(|plays| {
            let mut plays: Vec<Play> = plays
                .into_iter()
                .filter_map(|(_, written)| play_of(&written, &testers))
                .collect();
            // Proven first, then the most tried, then the most recently written.
            plays.sort_by(|a, b| {
                a.standing
                    .cmp(&b.standing)
                    .then(b.worked.cmp(&a.worked))
                    .then(b.tried.cmp(&a.tried))
                    .then(b.last_written.cmp(&a.last_written))
            });
            Some(AreaPlays {
                area: plays.first()?.area.clone(),
                plays,
            })
        })
        .collect();
    areas.sort_by(|a, b| {
        let newest = |p: &AreaPlays| p.plays.iter().map(|x| x.last_written).max();
        newest(b).cmp(&newest(a)).then_with(|| a.area.cmp(&b.area))
    });
    areas
}

fn play_of(written: &[&Cycle], testers: &HashMap<CycleId, Vec<&Cycle>>) -> Option<Play> {
    let newest = written.first()?;
    let oldest = written.last()?;
    let mut trials: Vec<&Cycle> = written
        .iter()
        .flat_map(|c| testers.get(&c.id).map(Vec::as_slice).unwrap_or_default())
        .copied()
        .collect();
    trials.sort_by(newest_first);
    trials.dedup_by_key(|c| c.id);
    let counted: Vec<&&Cycle> = trials
        .iter()
        .filter(|c| c.fields.applied != Some(Applied::No) && c.fields.result.is_some())
        .collect();
    let tried = counted.len();
    let worked = counted
        .iter()
        .filter(|c| c.fields.result == Some(TestResult::Better))
        .count();
    Some(Play {
        area: newest.fields.area.clone(),
        adjustment: newest.fields.adjustment.clone()?,
        check: written.iter().find_map(|c| c.fields.check.clone()),
        written_in: written.iter().map(|c| c.id).collect(),
        first_written: oldest.fields.attempted_on,
        last_written: newest.fields.attempted_on,
        tried,
        worked,
        other_tests: trials.len() - tried,
        standing: standing(tried, worked),
        trials: trials
            .iter()
            .map(|t| PlayTrial {
                cycle_id: t.id,
                attempted_on: t.fields.attempted_on,
                outcome: t.fields.outcome,
                applied: t.fields.applied,
                result: t.fields.result,
            })
            .collect(),
    })
}

/// The proven plays of `area` (any case), best first: what the editor offers before the
/// next attempt there.
pub fn proven_in(cycles: &[Cycle], area: &str) -> Vec<Play> {
    let folded = area.trim().to_lowercase();
    playbook(cycles, |c| c.fields.area.to_lowercase() == folded)
        .into_iter()
        .flat_map(|a| a.plays)
        .filter(|p| p.standing == Standing::Proven)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Success};
    use crate::insights::testing::cycle;

    fn adjusted(n: u128, area: &str, day: i64, text: &str) -> Cycle {
        let mut c = cycle(n, area, day, Failure);
        c.fields.adjustment = Some(text.into());
        c
    }

    fn trial(n: u128, day: i64, of: &Cycle, applied: Applied, result: Option<TestResult>) -> Cycle {
        let mut c = cycle(n, &of.fields.area, day, Success);
        c.fields.tests_cycle = Some(of.id);
        c.fields.applied = Some(applied);
        c.fields.result = result;
        c
    }

    #[test]
    fn the_same_words_are_one_play_whatever_the_case_punctuation_or_opener() {
        assert_eq!(
            play_key("Ask about budget in the first call."),
            "ask about budget in the first call"
        );
        assert_eq!(
            play_key("I will ask about  BUDGET in the first call"),
            play_key("Next time, ask about budget in the first call!")
        );
        assert_ne!(
            play_key("Ask about budget first"),
            play_key("Ask about budget in the first call")
        );
        assert_eq!(play_key("I will"), "i will", "an opener alone is kept");
    }

    #[test]
    fn trials_of_every_wording_are_counted_together() {
        // "Rehearse twice" written three times (two wordings) in "talks"; four trials:
        // better, better, same, better → worked 3 of 4: proven. One more attempt named
        // it without applying it: not a trial. "Slow down" was tried once, better:
        // promising. "Cut slides": written, never tried: untested. In "pitches", one
        // play tried twice, better once: 1 of 2 is not more than half: mixed.
        let a = adjusted(1, "talks", 1, "Rehearse the opening twice.");
        let b = adjusted(2, "Talks", 3, "I will rehearse the opening twice");
        let c = adjusted(3, "talks", 5, "rehearse the opening twice");
        let slow = adjusted(4, "talks", 6, "Slow down at the demo");
        let cut = adjusted(5, "talks", 7, "Cut slides to ten");
        let p = adjusted(6, "pitches", 2, "Price last");
        let cycles = vec![
            trial(10, 2, &a, Applied::Yes, Some(TestResult::Better)),
            trial(11, 4, &b, Applied::Partly, Some(TestResult::Better)),
            trial(12, 6, &c, Applied::Yes, Some(TestResult::Same)),
            trial(13, 8, &c, Applied::Yes, Some(TestResult::Better)),
            trial(14, 9, &c, Applied::No, Some(TestResult::Worse)),
            trial(15, 7, &slow, Applied::Yes, Some(TestResult::Better)),
            trial(16, 3, &p, Applied::Yes, Some(TestResult::Better)),
            trial(17, 4, &p, Applied::Yes, Some(TestResult::Worse)),
            a.clone(),
            b,
            c.clone(),
            slow,
            cut,
            p,
        ];
        let book = playbook(&cycles, |_| true);
        assert_eq!(book.len(), 2);
        assert_eq!(book[0].area, "talks", "written in most recently (day 7)");
        let summary: Vec<(&str, usize, usize, usize, Standing)> = book[0]
            .plays
            .iter()
            .map(|p| {
                (
                    p.adjustment.as_str(),
                    p.tried,
                    p.worked,
                    p.written_in.len(),
                    p.standing,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("rehearse the opening twice", 4, 3, 3, Standing::Proven),
                ("Slow down at the demo", 1, 1, 1, Standing::Promising),
                ("Cut slides to ten", 0, 0, 1, Standing::Untested),
            ]
        );
        let rehearse = &book[0].plays[0];
        assert_eq!(rehearse.other_tests, 1);
        assert_eq!(rehearse.trials.len(), 5);
        assert_eq!(rehearse.first_written, a.fields.attempted_on);
        assert_eq!(rehearse.last_written, c.fields.attempted_on);
        assert_eq!(book[1].plays[0].standing, Standing::Mixed);
        let proven = proven_in(&cycles, " TALKS ");
        assert_eq!(proven.len(), 1);
        assert_eq!(proven[0].worked, 3);
        assert!(proven_in(&cycles, "pitches").is_empty());
    }

    #[test]
    fn a_filter_narrows_the_plays_but_never_their_trials() {
        let a = adjusted(1, "talks", 1, "Rehearse twice");
        let t = trial(2, 2, &a, Applied::Yes, Some(TestResult::Better));
        let cycles = [a, t];
        // The trial itself does not match the filter; it still counts.
        let book = playbook(&cycles, |c| c.fields.adjustment.is_some());
        assert_eq!(book[0].plays[0].worked, 1);
        assert!(playbook(&cycles, |_| false).is_empty());
    }
}
