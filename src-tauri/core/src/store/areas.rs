//! Areas in the store: their counts, the one spelling of each (matched without regard
//! to case), and renaming or merging them, every cycle of an area in one transaction.
//!
//! The `areas` tree holds each area's spelling by its folded name (one entry per area,
//! not per cycle): the id of the earliest cycle written in that area and its spelling,
//! which a new cycle in the area takes. Every write of a cycle updates it when that
//! cycle is the earliest (so a rename, here or arriving by sync, moves it), or when it
//! spells the area differently and the cycle that spelled it has left the area; it is
//! kept when an area's last cycle goes (an area spelled once keeps that spelling). Which
//! areas there are, and how many cycles each has, comes from the cycles' summaries.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, Transactional, TransactionalTree};

use super::engine::Handles;
use super::{codec, keys, storage, transaction_error, Store};
use crate::cycle::{Cycle, CycleId};
use crate::error::{Error, Result};
use crate::journal::Change;

/// One area of practice and how many cycles it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaSummary {
    pub name: String,
    pub cycles: usize,
}

/// The `areas` entry for a cycle `id` in `area`: the id, then the area's spelling.
fn entry(id: CycleId, area: &str) -> Vec<u8> {
    let mut value = keys::cycle_key(id).to_vec();
    value.extend_from_slice(area.as_bytes());
    value
}

/// Whether cycle `id` spells its area now, given the area's entry: it does when there
/// is none, or when it is the earliest cycle written there (or that cycle itself).
fn spells(id: CycleId, stored: Option<&[u8]>) -> bool {
    stored.is_none_or(|v| keys::cycle_key(id).as_slice() <= v.get(..16).unwrap_or(&[]))
}

/// Whether a cycle spelling its area `area` (folded `key`) takes the area's spelling
/// over from the entry `stored`: when it spells it differently and the cycle that
/// spelled it has left the area (deleted, or moved to another). Without this, a rename
/// after the area's first cycle left it would not change the spelling new cycles take.
/// `owner` reads a stored cycle; it is read only when the spellings differ.
fn takes_over<E>(
    key: &str,
    area: &str,
    stored: Option<&[u8]>,
    owner: impl FnOnce(&[u8]) -> std::result::Result<Option<sled::IVec>, E>,
) -> std::result::Result<bool, E> {
    let Some((id, spelling)) = stored.and_then(|v| Some((v.get(..16)?, v.get(16..)?))) else {
        return Ok(false);
    };
    if spelling == area.as_bytes() {
        return Ok(false);
    }
    Ok(match owner(id)? {
        None => true,
        Some(value) => codec::decode(&value).is_ok_and(|c| keys::area_fold(&c.fields.area) != key),
    })
}

/// Note in the `areas` tree that `cycle` was written (in the same transaction).
pub(super) fn note(
    cycles: &TransactionalTree,
    areas: &TransactionalTree,
    cycle: &Cycle,
) -> std::result::Result<(), ConflictableTransactionError<Error>> {
    let (id, area) = (cycle.id, cycle.fields.area.as_str());
    let key = keys::area_fold(area);
    let stored = areas.get(key.as_bytes())?;
    if spells(id, stored.as_deref())
        || takes_over(&key, area, stored.as_deref(), |owner| cycles.get(owner))?
    {
        areas.insert(key.as_bytes(), entry(id, area))?;
    }
    Ok(())
}

/// `note`, outside a transaction, for cycles (id and area) only this thread writes: a
/// batch, with the journal held; a load into a new database.
pub(super) fn note_each<'a>(
    t: &Handles,
    cycles: impl IntoIterator<Item = (CycleId, &'a str)>,
) -> Result<()> {
    for (id, area) in cycles {
        let key = keys::area_fold(area);
        let stored = t.areas.get(key.as_bytes()).map_err(storage)?;
        if spells(id, stored.as_deref())
            || takes_over(&key, area, stored.as_deref(), |owner| t.cycles.get(owner))
                .map_err(storage)?
        {
            t.areas
                .insert(key.as_bytes(), entry(id, area))
                .map_err(storage)?;
        }
    }
    Ok(())
}

impl Store {
    /// Every area with its number of cycles, most used first, then by name. An area's
    /// name is its spelling in the cycle logged first.
    pub fn areas(&self) -> Result<Vec<AreaSummary>> {
        let mut groups: BTreeMap<String, AreaSummary> = BTreeMap::new();
        // In id (creation) order: the first cycle met in an area names it.
        for summary in self.summaries()? {
            groups
                .entry(keys::area_fold(&summary.area))
                .and_modify(|area| area.cycles += 1)
                .or_insert_with(|| AreaSummary {
                    name: summary.area.to_string(),
                    cycles: 1,
                });
        }
        let mut areas: Vec<AreaSummary> = groups.into_values().collect();
        areas.sort_by(|a, b| b.cycles.cmp(&a.cycles).then_with(|| a.name.cmp(&b.name)));
        Ok(areas)
    }

    /// The spelling already used for `area`, ignoring case; `area` itself when new.
    pub(super) fn canonical_area(&self, area: &str) -> Result<String> {
        let key = keys::area_fold(area);
        let stored = self.t().areas.get(key.as_bytes()).map_err(storage)?;
        Ok(stored
            .and_then(|v| String::from_utf8(v.get(16..)?.to_vec()).ok())
            .unwrap_or_else(|| area.to_string()))
    }

    /// Move every cycle of area `from` to area `to` and flush. When `to` already
    /// exists (in any case), the two areas become one under its spelling. Returns
    /// how many cycles moved.
    pub fn rename_area(&self, from: &str, to: &str, now: DateTime<Utc>) -> Result<usize> {
        let from_key = keys::area_fold(from);
        let to_key = keys::area_fold(to);
        let target = if from_key == to_key {
            to.to_string()
        } else {
            self.canonical_area(to)?
        };
        let ids: Vec<_> = self
            .summaries()?
            .into_iter()
            .filter(|s| keys::area_fold(&s.area) == from_key)
            .map(|s| s.id)
            .collect();
        let mut moving: Vec<(Cycle, Cycle)> = Vec::new();
        for old in self.get_many(&ids)? {
            let mut new = old.clone();
            new.fields.area = target.clone();
            new.updated_at = now.max(old.updated_at);
            moving.push((old, new));
        }
        if moving.is_empty() {
            return Err(Error::NotFound(format!("area {from:?}")));
        }
        let encoded: Vec<(&Cycle, Vec<u8>)> = moving
            .iter()
            .map(|(_, new)| codec::encode(new).map(|v| (new, v)))
            .collect::<Result<_>>()?;
        let moved: Vec<Cycle> = moving.iter().map(|(_, new)| new.clone()).collect();
        self.record(Change::PutCycles(moved), || {
            let t = self.t();
            (&t.cycles, &t.areas)
                .transaction(|(cycles, areas)| {
                    if from_key != to_key {
                        areas.remove(from_key.as_bytes())?;
                    }
                    for (new, value) in &encoded {
                        cycles.insert(&keys::cycle_key(new.id), value.as_slice())?;
                        note(cycles, areas, new)?;
                    }
                    Ok(())
                })
                .map_err(transaction_error)
        })?;
        Ok(moving.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{CycleFields, Outcome};
    use chrono::NaiveDate;

    /// A cycle's fields in `area`, attempted on one fixed day.
    fn fields(area: &str) -> CycleFields {
        let on = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        CycleFields::sample(area, on, Outcome::Failure)
    }

    #[test]
    fn the_earliest_cycle_of_an_area_spells_it_however_it_arrives() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let first = store.create(fields("chess"), Utc::now()).unwrap();
        let later = store.create(fields("CHESS"), Utc::now()).unwrap();
        assert_eq!(later.fields.area, "chess", "a new cycle takes the spelling");
        // The earliest cycle rewritten with another spelling, as a rename made on
        // another computer arrives by sync: the area is spelled so from now on.
        let mut renamed = first.clone();
        renamed.fields.area = "Chess".into();
        store.write(&renamed).unwrap();
        assert_eq!(store.canonical_area("chess").unwrap(), "Chess");
        // A later cycle written with yet another spelling does not change it.
        let mut other = later.clone();
        other.fields.area = "CHESS".into();
        store.write(&other).unwrap();
        assert_eq!(store.canonical_area("chess").unwrap(), "Chess");
    }

    #[test]
    fn an_area_spelled_anew_keeps_the_new_spelling_after_its_first_cycle_left_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let first = store.create(fields("running"), Utc::now()).unwrap();
        // The area's first cycle moves to another area (an edit, or a sync).
        let mut moved = first.clone();
        moved.fields.area = "chess".into();
        store.write(&moved).unwrap();
        let later = store.create(fields("Running"), Utc::now()).unwrap();
        assert_eq!(later.fields.area, "running");
        store.rename_area("running", "Running", Utc::now()).unwrap();
        let next = store.create(fields("running"), Utc::now()).unwrap();
        assert_eq!(next.fields.area, "Running", "one spelling per area");
        // A rename arriving from another computer, its cycles written one by one: the
        // first of them takes the area over, as the area's first cycle is gone from it.
        let swim = store.create(fields("swim"), Utc::now()).unwrap();
        let mut next_swim = store.create(fields("swim"), Utc::now()).unwrap();
        let mut gone = swim.clone();
        gone.fields.area = "chess".into();
        store.write(&gone).unwrap();
        next_swim.fields.area = "Swim".into();
        store.write(&next_swim).unwrap();
        assert_eq!(store.canonical_area("SWIM").unwrap(), "Swim");
        let spellings: Vec<String> = store.areas().unwrap().into_iter().map(|a| a.name).collect();
        assert_eq!(
            spellings
                .iter()
                .filter(|n| n.eq_ignore_ascii_case("running"))
                .count(),
            1
        );
    }
}
