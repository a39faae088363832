//! What is waiting for the person today: the loop's loose ends, an adjustment to put to
//! the test, a lesson from their own past, and cycles from this date in earlier months.
//! Pure functions over the cycles; no storage, no Tauri.

use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::cycle::{Cycle, CycleId, Facts, Outcome};

/// The part of the editor a waiting cycle needs next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Outcome,
    Observe,
    Extract,
    Adjust,
}

/// What a cycle is waiting for from the person: its outcome, or the reflection a
/// setback still needs. The reflect queue (Today's first two lists, the Cycles filter
/// "Waiting for me", `rebound list --waiting`) is every cycle with one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Waiting {
    /// Where the editor opens: the first thing missing.
    pub section: Section,
    /// What is missing, by public name: `outcome`, or `observation`, `extraction`,
    /// `adjustment`.
    pub missing: Vec<&'static str>,
}

/// What `cycle` waits for, if anything: a pending attempt its outcome; a failure or
/// partial whatever of observing, extracting and adjusting is not done.
pub fn waiting_for<C: Facts>(cycle: &C) -> Option<Waiting> {
    let outcome = cycle.outcome();
    if outcome == Outcome::Pending {
        return Some(Waiting {
            section: Section::Outcome,
            missing: vec!["outcome"],
        });
    }
    if !outcome.is_setback() {
        return None;
    }
    let mut missing = Vec::new();
    let mut sections = Vec::new();
    if !cycle.has_observation() {
        missing.push("observation");
        sections.push(Section::Observe);
    }
    if !cycle.has_in_my_control() && !cycle.has_external() {
        missing.push("extraction");
        sections.push(Section::Extract);
    }
    if !cycle.has_adjustment() {
        missing.push("adjustment");
        sections.push(Section::Adjust);
    }
    let section = *sections.first()?;
    Some(Waiting { section, missing })
}

/// A failure or partial whose reflection is not finished, and which parts are missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unfinished<'a, C = Cycle> {
    pub cycle: &'a C,
    /// The missing parts, by public field name: `observation`, `extraction`, `adjustment`.
    pub missing: Vec<&'static str>,
}

/// A cycle from the same day of the month as today, `months_ago` months back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnThisDay<'a, C = Cycle> {
    pub cycle: &'a C,
    pub months_ago: u32,
}

/// Today's lists, each with the most pressing first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Today<'a, C = Cycle> {
    /// Attempts whose outcome is not known yet, oldest first.
    pub pending: Vec<&'a C>,
    /// Setbacks with reflection left to do, newest first.
    pub unfinished: Vec<Unfinished<'a, C>>,
    /// Per area, the newest adjustment no later attempt has tested yet.
    pub untested: Vec<&'a C>,
    /// One lesson from the past, resurfaced (the same one all day).
    pub lesson: Option<&'a C>,
    /// Cycles from this date in earlier months and years, newest first.
    pub on_this_day: Vec<OnThisDay<'a, C>>,
}

/// How many cycles "on this day" shows at most.
const ON_THIS_DAY_MAX: usize = 5;
/// A lesson is resurfaced once it is at least this many days old, when there is one.
const LESSON_MIN_AGE_DAYS: i64 = 7;

/// Newest attempt first; same day: newest logged first.
pub(crate) fn newest_first<C: Facts>(a: &&C, b: &&C) -> std::cmp::Ordering {
    (b.attempted_on(), b.created_at(), b.id()).cmp(&(a.attempted_on(), a.created_at(), a.id()))
}

/// Work out today's lists. Cycles in `archived` areas (exact names) are left out. Works
/// on whole cycles or on their summaries alike.
pub fn today<'a, C: Facts>(cycles: &'a [C], archived: &[String], today: NaiveDate) -> Today<'a, C> {
    let live: Vec<&C> = cycles
        .iter()
        .filter(|c| !archived.iter().any(|a| a == c.area()))
        .collect();

    let mut pending: Vec<&C> = live
        .iter()
        .copied()
        .filter(|c| c.outcome() == Outcome::Pending)
        .collect();
    pending.sort_by(|a, b| newest_first(b, a));

    let mut unfinished: Vec<Unfinished<C>> = live
        .iter()
        .copied()
        .filter(|c| c.outcome().is_setback())
        .filter_map(|cycle| {
            waiting_for(cycle).map(|w| Unfinished {
                cycle,
                missing: w.missing,
            })
        })
        .collect();
    unfinished.sort_by(|a, b| newest_first(&a.cycle, &b.cycle));

    let mut untested: Vec<&C> = open_adjustments(cycles, &live);
    untested.sort_by(newest_first);

    Today {
        pending,
        unfinished,
        untested,
        lesson: lesson(&live, today),
        on_this_day: on_this_day(&live, today),
    }
}

/// The adjustment the next attempt in `area` should put to the test: the newest cycle
/// in the area with an adjustment, unless a later cycle already tested it.
pub fn open_adjustment<'a, C: Facts>(cycles: &'a [C], area: &str) -> Option<&'a C> {
    let newest = cycles
        .iter()
        .filter(|c| c.area() == area && c.has_adjustment())
        .max_by(|a, b| newest_first(b, a))?;
    let tested = cycles.iter().any(|c| c.tests_cycle() == Some(newest.id()));
    (!tested).then_some(newest)
}

/// `open_adjustment` for every area of the `live` cycles at once, in two passes over
/// `cycles` instead of two per area: the same answer, whatever the number of areas.
fn open_adjustments<'a, C: Facts>(cycles: &'a [C], live: &[&'a C]) -> Vec<&'a C> {
    // Every area is live unless some cycles were left out (archived areas).
    let wanted: Option<FxHashSet<&str>> =
        (live.len() != cycles.len()).then(|| live.iter().map(|c| c.area()).collect());
    let mut newest: FxHashMap<&str, &C> = FxHashMap::default();
    for c in cycles
        .iter()
        .filter(|c| c.has_adjustment() && wanted.as_ref().is_none_or(|w| w.contains(c.area())))
    {
        newest
            .entry(c.area())
            .and_modify(|best| {
                if newest_first(&c, &*best).is_lt() {
                    *best = c;
                }
            })
            .or_insert(c);
    }
    let tested: FxHashSet<CycleId> = cycles.iter().filter_map(|c| c.tests_cycle()).collect();
    newest
        .into_values()
        .filter(|c| !tested.contains(&c.id()))
        .collect()
}

/// Pick one lesson to resurface: an adjustment that was tested and made things better
/// if there is one, else any adjustment or honest extraction. Older ones (a week or
/// more) are preferred, and the pick changes once a day, not on every refresh.
fn lesson<'a, C: Facts>(live: &[&'a C], today: NaiveDate) -> Option<&'a C> {
    // Adjustments some later attempt found better, gathered in one pass.
    let better: FxHashSet<CycleId> = live
        .iter()
        .filter(|t| t.result() == Some(crate::cycle::TestResult::Better))
        .filter_map(|t| t.tests_cycle())
        .collect();
    let proven: Vec<&C> = live
        .iter()
        .copied()
        .filter(|c| c.has_adjustment() && better.contains(&c.id()))
        .collect();
    let any: Vec<&C> = live
        .iter()
        .copied()
        .filter(|c| c.has_adjustment() || c.has_in_my_control())
        .collect();
    let pool = if proven.is_empty() { any } else { proven };
    let old: Vec<&C> = pool
        .iter()
        .copied()
        .filter(|c| (today - c.attempted_on()).num_days() >= LESSON_MIN_AGE_DAYS)
        .collect();
    let mut pick = if old.is_empty() { pool } else { old };
    // Sort so the daily pick does not depend on the order the cycles came in.
    pick.sort_unstable_by_key(|c| c.id());
    let day = usize::try_from(today.num_days_from_ce()).unwrap_or(0);
    pick.get(day % pick.len().max(1)).copied()
}

fn on_this_day<'a, C: Facts>(live: &[&'a C], today: NaiveDate) -> Vec<OnThisDay<'a, C>> {
    let mut found: Vec<OnThisDay<C>> = live
        .iter()
        .copied()
        .filter(|c| c.attempted_on() < today && c.attempted_on().day() == today.day())
        .map(|cycle| {
            let then = cycle.attempted_on();
            let months =
                (today.year() - then.year()) * 12 + today.month() as i32 - then.month() as i32;
            OnThisDay {
                cycle,
                months_ago: u32::try_from(months).unwrap_or(0),
            }
        })
        .filter(|d| d.months_ago > 0)
        .collect();
    found.sort_by(|a, b| newest_first(&a.cycle, &b.cycle));
    found.truncate(ON_THIS_DAY_MAX);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{Applied, CycleFields, TestResult};
    use chrono::{TimeZone, Utc};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn cycle(area: &str, on: NaiveDate, outcome: Outcome) -> Cycle {
        Cycle::new(
            CycleFields::sample(area, on, outcome),
            Utc.from_utc_datetime(&on.and_hms_opt(12, 0, 0).unwrap()),
        )
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 28);

    fn now() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn pending_attempts_come_oldest_first_and_finished_ones_do_not_show() {
        let a = cycle("pitches", day(2026, 11, 20), Outcome::Pending);
        let b = cycle("pitches", day(2026, 11, 10), Outcome::Pending);
        let c = cycle("pitches", day(2026, 11, 15), Outcome::Success);
        let all = [a.clone(), b.clone(), c];
        let t = today(&all, &[], now());
        assert_eq!(t.pending, vec![&all[1], &all[0]]);
    }

    #[test]
    fn setbacks_list_what_their_reflection_still_misses() {
        let mut half = cycle("pitches", day(2026, 11, 20), Outcome::Failure);
        half.fields.observation = Some("lost them at the price".into());
        let mut done = cycle("pitches", day(2026, 11, 21), Outcome::Partial);
        done.fields.observation = Some("x".into());
        done.fields.external = Some("budget".into());
        done.fields.adjustment = Some("ask budget first".into());
        let bare = cycle("essays", day(2026, 11, 22), Outcome::Partial);
        let success = cycle("essays", day(2026, 11, 23), Outcome::Success);
        let all = [half, done, bare, success];
        let t = today(&all, &[], now());
        assert_eq!(t.unfinished.len(), 2);
        assert_eq!(t.unfinished[0].cycle.id, all[2].id);
        assert_eq!(
            t.unfinished[0].missing,
            ["observation", "extraction", "adjustment"]
        );
        assert_eq!(t.unfinished[1].missing, ["extraction", "adjustment"]);
    }

    #[test]
    fn each_waiting_cycle_says_where_the_editor_should_open() {
        let pending = cycle("pitches", day(2026, 11, 20), Outcome::Pending);
        let mut observed = cycle("pitches", day(2026, 11, 21), Outcome::Failure);
        observed.fields.observation = Some("lost them at the price".into());
        let bare = cycle("essays", day(2026, 11, 22), Outcome::Partial);
        let mut done = cycle("essays", day(2026, 11, 23), Outcome::Failure);
        done.fields.observation = Some("x".into());
        done.fields.in_my_control = Some("y".into());
        done.fields.adjustment = Some("z".into());
        let success = cycle("essays", day(2026, 11, 24), Outcome::Success);
        let at = |c: &Cycle| waiting_for(c).map(|w| (w.section, w.missing));
        assert_eq!(at(&pending), Some((Section::Outcome, vec!["outcome"])));
        assert_eq!(
            at(&observed),
            Some((Section::Extract, vec!["extraction", "adjustment"]))
        );
        assert_eq!(
            at(&bare),
            Some((
                Section::Observe,
                vec!["observation", "extraction", "adjustment"]
            ))
        );
        assert_eq!(at(&done), None);
        assert_eq!(at(&success), None);
    }

    #[test]
    fn the_newest_adjustment_per_area_waits_until_an_attempt_tests_it() {
        let mut old = cycle("pitches", day(2026, 11, 1), Outcome::Failure);
        old.fields.adjustment = Some("open with the result".into());
        let mut newer = cycle("pitches", day(2026, 11, 5), Outcome::Failure);
        newer.fields.adjustment = Some("ask about budget first".into());
        let mut other = cycle("essays", day(2026, 11, 6), Outcome::Partial);
        other.fields.adjustment = Some("cut the intro to 100 words".into());
        let all = vec![old.clone(), newer.clone(), other.clone()];
        assert_eq!(open_adjustment(&all, "pitches"), Some(&all[1]));
        let t = today(&all, &[], now());
        assert_eq!(t.untested, vec![&all[2], &all[1]]);

        let mut test = cycle("pitches", day(2026, 11, 9), Outcome::Success);
        test.fields.tests_cycle = Some(newer.id);
        test.fields.applied = Some(Applied::Yes);
        test.fields.result = Some(TestResult::Better);
        let all = vec![old, newer.clone(), other, test];
        assert_eq!(open_adjustment(&all, "pitches"), None);
        let t = today(&all, &[], now());
        assert_eq!(t.untested, vec![&all[2]]);
        // The proven adjustment is the lesson resurfaced.
        assert_eq!(t.lesson, Some(&all[1]));
    }

    #[test]
    fn archived_areas_leave_todays_lists() {
        let all = [cycle("chess", day(2026, 11, 20), Outcome::Pending)];
        assert_eq!(today(&all, &["chess".to_string()], now()).pending.len(), 0);
        assert_eq!(today(&all, &[], now()).pending.len(), 1);
    }

    #[test]
    fn on_this_day_finds_the_same_date_in_earlier_months_and_years() {
        let all = [
            cycle("a", day(2026, 10, 28), Outcome::Success),
            cycle("a", day(2025, 11, 28), Outcome::Failure),
            cycle("a", day(2026, 11, 27), Outcome::Success),
            cycle("a", day(2026, 11, 28), Outcome::Success),
        ];
        let t = today(&all, &[], now());
        let found: Vec<u32> = t.on_this_day.iter().map(|d| d.months_ago).collect();
        assert_eq!(found, [1, 12]);
    }

    #[test]
    fn the_lesson_is_stable_within_a_day_and_prefers_older_ones() {
        let mut fresh = cycle("a", day(2026, 11, 27), Outcome::Failure);
        fresh.fields.in_my_control = Some("I skipped the rehearsal".into());
        let mut old = cycle("a", day(2026, 9, 1), Outcome::Failure);
        old.fields.adjustment = Some("rehearse twice".into());
        let all = [fresh, old];
        let first = today(&all, &[], now()).lesson;
        assert_eq!(first, Some(&all[1]));
        let reversed = [all[1].clone(), all[0].clone()];
        assert_eq!(
            today(&reversed, &[], now()).lesson.map(|c| c.id),
            first.map(|c| c.id)
        );
        assert_eq!(today::<Cycle>(&[], &[], now()).lesson, None);
    }
}
