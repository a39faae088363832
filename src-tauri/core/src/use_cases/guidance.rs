//! Guidance where the choice is made: what the editor shows for an area before an
//! attempt (its edge on the staircase, the scales of its last attempt, its proven
//! adjustments), each area's own band and rule, the playbook, and the prediction track
//! record.

use chrono::NaiveDate;
use rustc_hash::FxHashSet;
use serde::Serialize;

use super::areas::archived_areas;
use super::dashboard::target_band;
use super::Clock;
use crate::cycle::{Cycle, CycleId, CycleSummary};
use crate::error::{Error, FieldError, Result};
use crate::insights::edge::{edge_of, AreaEdge, AreaGuide, Guides};
use crate::insights::staircase::Staircase;
use crate::insights::{by_area, track_record as track, Band, TrackRecord};
use crate::playbook::{self, AreaPlays, Play, Standing};
use crate::prefs;
use crate::search::FilterInput;
use crate::store::Store;

/// The scales of an area's last attempt, offered again for the next one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastScales {
    pub attempted_on: NaiveDate,
    pub difficulty: u8,
    pub stakes: u8,
    pub effort: u8,
    pub safety: u8,
}

/// What the editor shows for an area before a new attempt in it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttemptGuide {
    /// The area as stored (any case matches), or as asked for when it is new; empty
    /// when nothing has been logged yet.
    pub area: String,
    /// Whether the area has cycles.
    pub known: bool,
    /// The staircase's edge, once the area has a finished genuine attempt.
    pub edge: Option<AreaEdge>,
    pub last: Option<LastScales>,
    /// Adjustments that kept working here, best first.
    pub proven: Vec<Play>,
}

/// The guide for a new attempt in `area` (any case). With no area, the most recently
/// practised area that is not archived: what a quick new attempt starts from.
///
/// Read from the summaries and the area's own cycles (with those that tested its
/// adjustments), so opening the editor does not decode, or keep, every cycle.
pub fn attempt_guide(store: &Store, area: &str) -> Result<AttemptGuide> {
    let summaries = store.summaries()?;
    let wanted = area.trim().to_lowercase();
    let name = if wanted.is_empty() {
        let archived = archived_areas(store)?;
        summaries
            .iter()
            .filter(|s| !archived.iter().any(|a| **a == *s.area))
            .max_by_key(|s| (s.attempted_on, s.created_at, s.id))
            .map(|s| s.area.to_lowercase())
            .unwrap_or_default()
    } else {
        wanted
    };
    let cycles = store.get_many(&area_and_testers(&summaries, &name))?;
    drop(summaries);
    let groups = by_area(&cycles);
    let Some(history) = groups.get(&name) else {
        return Ok(AttemptGuide {
            area: area.trim().to_string(),
            known: false,
            edge: None,
            last: None,
            proven: Vec::new(),
        });
    };
    let guides = area_guides(store)?;
    let last: Option<&&Cycle> = history.last();
    Ok(AttemptGuide {
        area: last.map(|c| c.fields.area.clone()).unwrap_or_default(),
        known: true,
        edge: edge_of(history, &guides, target_band(store)?),
        last: last.map(|c| LastScales {
            attempted_on: c.fields.attempted_on,
            difficulty: c.fields.difficulty,
            stakes: c.fields.stakes,
            effort: c.fields.effort,
            safety: c.fields.safety,
        }),
        proven: playbook::proven_in(&cycles, &name),
    })
}

/// The ids of the cycles in `folded` (an area in lower case) and of every cycle that
/// tested one of them: all that its edge, last scales and proven plays read.
fn area_and_testers(summaries: &[CycleSummary], folded: &str) -> Vec<CycleId> {
    let mut ids: Vec<CycleId> = summaries
        .iter()
        .filter(|s| s.area.to_lowercase() == folded)
        .map(|s| s.id)
        .collect();
    if ids.is_empty() {
        return ids;
    }
    let members: FxHashSet<CycleId> = ids.iter().copied().collect();
    ids.extend(
        summaries
            .iter()
            .filter(|s| s.tests_cycle.is_some_and(|t| members.contains(&t)))
            .filter(|s| !members.contains(&s.id))
            .map(|s| s.id),
    );
    ids
}

/// Every area's own band and rule.
pub fn area_guides(store: &Store) -> Result<Guides> {
    Ok(store.pref(&prefs::AREA_GUIDES)?.unwrap_or_default())
}

/// An area's band and rule as they apply, and whether each is its own.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AreaGuideView {
    pub area: String,
    pub band: Band,
    pub own_band: bool,
    pub staircase: Staircase,
    pub own_staircase: bool,
    pub settles_near: f64,
    pub rule: String,
    /// Every rule on offer with what it settles near, for choosing one.
    pub choices: Vec<RuleChoice>,
}

/// A rule a person can pick, with the success rate it settles near.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleChoice {
    pub up_after: u8,
    pub down_after: u8,
    pub settles_near: f64,
}

/// The band and rule `area` follows.
pub fn area_guide(store: &Store, area: &str) -> Result<AreaGuideView> {
    let guides = area_guides(store)?;
    let own = guides.of(area);
    let staircase = guides.staircase(area);
    let choices = (1..=crate::insights::staircase::MAX_UP_AFTER)
        .flat_map(|up| (1..=crate::insights::staircase::MAX_DOWN_AFTER).map(move |down| (up, down)))
        .filter_map(|(up, down)| Staircase::checked(up, down).ok())
        .map(|s| RuleChoice {
            up_after: s.up_after,
            down_after: s.down_after,
            settles_near: s.settles_near(),
        })
        .collect();
    Ok(AreaGuideView {
        area: area.trim().to_string(),
        band: guides.band(area, target_band(store)?),
        own_band: own.band.is_some(),
        staircase,
        own_staircase: own.staircase.is_some(),
        settles_near: staircase.settles_near(),
        rule: staircase.words(),
        choices,
    })
}

/// Set `area`'s own band and rule; `None` for either goes back to the default.
pub fn set_area_guide(
    store: &Store,
    area: &str,
    band: Option<(u8, u8)>,
    staircase: Option<(u8, u8)>,
) -> Result<AreaGuideView> {
    let name = area.trim();
    if name.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            "area",
            "is required: choose the area this band and rule are for",
        )]));
    }
    let mut errors = Vec::new();
    let band = band.and_then(|(low, high)| {
        Band::checked(low, high)
            .map_err(|e| errors.push(FieldError::new("band", e)))
            .ok()
    });
    let staircase = staircase.and_then(|(up, down)| {
        Staircase::checked(up, down)
            .map_err(|e| errors.push(FieldError::new("staircase", e)))
            .ok()
    });
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut guides = area_guides(store)?;
    let key = name.to_lowercase();
    let guide = AreaGuide { band, staircase };
    if guide == AreaGuide::default() {
        guides.0.remove(&key);
    } else {
        guides.0.insert(key, guide);
    }
    store.set_pref(&prefs::AREA_GUIDES, &guides)?;
    area_guide(store, name)
}

/// The playbook: adjustments grouped by area, the same one merged with its record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlaybookView {
    pub areas: Vec<AreaPlays>,
    /// Plays in all, and how many are proven.
    pub plays: usize,
    pub proven: usize,
    pub proven_min_trials: usize,
}

/// The playbook of the adjustments the filter lets through (search words, area).
pub fn playbook_view(store: &Store, input: &FilterInput) -> Result<PlaybookView> {
    let filter = input.check()?;
    let cycles = store.snapshot()?;
    let areas = playbook::playbook(&cycles, |c| filter.matches(c));
    let all = || areas.iter().flat_map(|a| a.plays.iter());
    Ok(PlaybookView {
        plays: all().count(),
        proven: all().filter(|p| p.standing == Standing::Proven).count(),
        proven_min_trials: playbook::PROVEN_MIN_TRIALS,
        areas,
    })
}

/// The prediction track record: the last 90 days and all time.
pub fn track_record(store: &Store, clock: Clock) -> Result<TrackRecord> {
    Ok(track(&store.snapshot()?, clock.today))
}
