//! Finding cycles again: full-text search across every text field, filters by area,
//! outcome and date range, and the Lessons list (every adjustment and what became of
//! it). Pure functions; the filter is built from untrusted input and checked here.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::cycle::{Applied, Cycle, CycleId, Outcome, TestResult};
use crate::error::FieldError;
use crate::today::{newest_first, waiting_for};

mod stored;

/// Longest search text, in characters.
pub const SEARCH_MAX_CHARS: usize = 200;

/// A checked search. Every part is optional; an empty filter matches every cycle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Lower-cased words; a cycle matches when every word appears in some text field.
    words: Vec<String>,
    area: Option<String>,
    outcome: Option<Outcome>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    /// Only cycles waiting for the person: an outcome to record or a reflection to
    /// finish (`today::waiting_for`), the reflect queue.
    waiting: bool,
}

/// A filter as a person or the window gives it, before checking.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilterInput {
    pub search: Option<String>,
    pub area: Option<String>,
    pub outcome: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `true`: only the reflect queue (outcomes to record, reflections to finish).
    pub waiting: Option<bool>,
}

fn blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn day(field: &'static str, raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = raw?;
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(day) => Some(day),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!(
                    "must be a date like 2026-11-27 (got {:?})",
                    crate::text::one_line(raw, 40)
                ),
            ));
            None
        }
    }
}

impl FilterInput {
    /// Check the input: dates must be real days, `from` no later than `to`, the outcome
    /// one of the four words, the search of a sensible length.
    pub fn check(&self) -> Result<Filter, Vec<FieldError>> {
        let mut errors = Vec::new();
        let words: Vec<String> = blank(&self.search)
            .map(|s| {
                s.to_lowercase()
                    .split_whitespace()
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        if blank(&self.search).is_some_and(|s| s.chars().count() > SEARCH_MAX_CHARS) {
            errors.push(FieldError::new(
                "search",
                format!("is too long: keep it to {SEARCH_MAX_CHARS} characters"),
            ));
        }
        let outcome = blank(&self.outcome).and_then(|o| match o.to_lowercase().parse() {
            Ok(outcome) => Some(outcome),
            Err(()) => {
                errors.push(FieldError::new(
                    "outcome",
                    format!(
                        "must be success, partial, failure or pending (got {:?})",
                        crate::text::one_line(o, 40)
                    ),
                ));
                None
            }
        });
        let from = day("from", blank(&self.from), &mut errors);
        let to = day("to", blank(&self.to), &mut errors);
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                errors.push(FieldError::new(
                    "from",
                    format!("is after the end of the range ({to}); swap the two dates"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Filter {
            words,
            area: blank(&self.area).map(str::to_lowercase),
            outcome,
            from,
            to,
            waiting: self.waiting.unwrap_or(false),
        })
    }
}

impl Filter {
    /// Whether nothing narrows the search.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether only the reflect queue is asked for.
    pub fn waiting(&self) -> bool {
        self.waiting
    }

    /// Whether `cycle` passes every part of the filter.
    pub fn matches(&self, cycle: &Cycle) -> bool {
        let f = &cycle.fields;
        if self.waiting && waiting_for(cycle).is_none() {
            return false;
        }
        if self
            .area
            .as_ref()
            .is_some_and(|a| *a != f.area.to_lowercase())
            || self.outcome.is_some_and(|o| o != f.outcome)
            || self.from.is_some_and(|from| f.attempted_on < from)
            || self.to.is_some_and(|to| f.attempted_on > to)
        {
            return false;
        }
        if self.words.is_empty() {
            return true;
        }
        // Text in plain ASCII (most of it) is searched where it is, ignoring case, with
        // nothing copied: the same answer as lowercasing it, which the rest needs.
        if f.searched_texts().all(str::is_ascii) {
            return self
                .words
                .iter()
                .all(|w| f.searched_texts().any(|t| contains_ascii_folded(t, w)));
        }
        let haystack: String = f
            .searched_texts()
            .map(|t| t.to_lowercase())
            .collect::<Vec<_>>()
            .join("\n");
        self.words.iter().all(|w| haystack.contains(w.as_str()))
    }
}

/// Whether the ASCII `text`, lowercased, contains `word` (lowercase already): a word
/// with anything but ASCII in it never does.
fn contains_ascii_folded(text: &str, word: &str) -> bool {
    word.is_ascii() && stored::holds_folded(text.as_bytes(), word.as_bytes())
}

/// The cycles `filter` lets through, newest attempt first.
pub fn search<'a>(cycles: &'a [Cycle], filter: &Filter) -> Vec<&'a Cycle> {
    let mut found: Vec<&Cycle> = cycles.iter().filter(|c| filter.matches(c)).collect();
    found.sort_by(newest_first);
    found
}

/// How an adjustment was put to the test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trial {
    pub cycle_id: CycleId,
    pub attempted_on: NaiveDate,
    pub outcome: Outcome,
    pub applied: Option<Applied>,
    pub result: Option<TestResult>,
}

/// One entry of the Lessons list: an adjustment, where it came from, and its trials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lesson {
    pub cycle_id: CycleId,
    pub area: String,
    pub attempted_on: NaiveDate,
    pub outcome: Outcome,
    pub attempt: String,
    pub observation: Option<String>,
    pub in_my_control: Option<String>,
    pub adjustment: String,
    pub check: Option<String>,
    /// The attempts that tested it, newest first; empty while it waits to be tried.
    pub trials: Vec<Trial>,
}

/// Every adjustment the filter lets through, newest first, with how it was tested.
pub fn lessons(cycles: &[Cycle], filter: &Filter) -> Vec<Lesson> {
    // Who tested what, gathered in one pass (newest first), not searched per lesson.
    let mut testers: HashMap<CycleId, Vec<&Cycle>> = HashMap::new();
    for cycle in cycles {
        if let Some(tested) = cycle.fields.tests_cycle {
            testers.entry(tested).or_default().push(cycle);
        }
    }
    for list in testers.values_mut() {
        list.sort_by(newest_first);
    }
    search(cycles, filter)
        .into_iter()
        .filter_map(|c| {
            let f = &c.fields;
            let adjustment = f.adjustment.clone()?;
            let trials = testers
                .get(&c.id)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|t| Trial {
                    cycle_id: t.id,
                    attempted_on: t.fields.attempted_on,
                    outcome: t.fields.outcome,
                    applied: t.fields.applied,
                    result: t.fields.result,
                })
                .collect();
            Some(Lesson {
                cycle_id: c.id,
                area: f.area.clone(),
                attempted_on: f.attempted_on,
                outcome: f.outcome,
                attempt: f.attempt.clone(),
                observation: f.observation.clone(),
                in_my_control: f.in_my_control.clone(),
                adjustment,
                check: f.check.clone(),
                trials,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
