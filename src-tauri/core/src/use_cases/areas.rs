//! Areas: their counts, renaming and merging, archiving.

use chrono::NaiveDate;
use serde::Serialize;

use super::Clock;
use crate::cycle::{CycleDraft, Outcome};
use crate::error::{Error, Result};
use crate::prefs;
use crate::store::{AreaSummary, Store};

/// The names of the areas the person archived.
pub fn archived_areas(store: &Store) -> Result<Vec<String>> {
    Ok(store.pref(&prefs::ARCHIVED_AREAS)?.unwrap_or_default())
}

/// An area with its counts, for the Areas view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaView {
    pub name: String,
    pub cycles: usize,
    pub setbacks: usize,
    pub pending: usize,
    pub last_attempt: NaiveDate,
    pub archived: bool,
}

/// Every area, the most used first, with archived ones last (from the cycles'
/// summaries: no whole cycle is read).
pub fn area_overview(store: &Store) -> Result<Vec<AreaView>> {
    let archived = archived_areas(store)?;
    let mut by_name: std::collections::BTreeMap<String, AreaView> = Default::default();
    for s in store.summaries()? {
        let entry = match by_name.get_mut(&*s.area) {
            Some(entry) => entry,
            None => by_name.entry(s.area.to_string()).or_insert(AreaView {
                archived: archived.iter().any(|a| **a == *s.area),
                name: s.area.to_string(),
                cycles: 0,
                setbacks: 0,
                pending: 0,
                last_attempt: s.attempted_on,
            }),
        };
        entry.cycles += 1;
        entry.setbacks += usize::from(s.outcome.is_setback());
        entry.pending += usize::from(s.outcome == Outcome::Pending);
        entry.last_attempt = entry.last_attempt.max(s.attempted_on);
    }
    let mut areas: Vec<AreaView> = by_name.into_values().collect();
    areas.sort_by(|a, b| {
        (a.archived, std::cmp::Reverse(a.cycles), &a.name).cmp(&(
            b.archived,
            std::cmp::Reverse(b.cycles),
            &b.name,
        ))
    });
    Ok(areas)
}

/// Rename an area; renaming onto an existing area merges the two. Returns the number
/// of cycles moved.
pub fn rename_area(store: &Store, from: &str, to: &str, clock: Clock) -> Result<usize> {
    let draft = serde_json::json!({
        "area": to, "attempt": "-", "difficulty": 1, "stakes": 1, "effort": 1, "safety": 1,
    });
    // The new name gets the same checks as an area typed into the form.
    let to = CycleDraft::from_value(draft)?.check(clock.today)?.area;
    let from = from.trim();
    let archived = archived_areas(store)?;
    let moved = store.rename_area(from, &to, clock.now)?;
    if archived.iter().any(|a| a == from) {
        let kept: Vec<String> = archived.into_iter().filter(|a| a != from).collect();
        store.set_pref(&prefs::ARCHIVED_AREAS, &kept)?;
    }
    // The area's own band and rule go with it; merging keeps the target's own.
    let mut guides = store.pref(&prefs::AREA_GUIDES)?.unwrap_or_default();
    if let Some(guide) = guides.0.remove(&from.to_lowercase()) {
        guides.0.entry(to.to_lowercase()).or_insert(guide);
        store.set_pref(&prefs::AREA_GUIDES, &guides)?;
    }
    Ok(moved)
}

/// Archive an area (its cycles stay, counted in the evidence, but it leaves Today's
/// lists and the area suggestions), or bring it back.
pub fn archive_area(store: &Store, area: &str, archived: bool) -> Result<Vec<String>> {
    let name = area.trim();
    if !store.areas()?.iter().any(|a| a.name == name) {
        return Err(Error::NotFound(format!("area {name:?}")));
    }
    let mut list = archived_areas(store)?;
    list.retain(|a| a != name);
    if archived {
        list.push(name.to_string());
        list.sort();
    }
    store.set_pref(&prefs::ARCHIVED_AREAS, &list)?;
    Ok(list)
}

/// Every area with its number of cycles, most used first.
pub fn list_areas(store: &Store) -> Result<Vec<AreaSummary>> {
    store.areas()
}
