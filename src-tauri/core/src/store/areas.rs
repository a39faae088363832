//! Areas in the store: their counts, the one spelling of each (matched without regard
//! to case), and renaming or merging them, every cycle of an area in one transaction.
//!
//! The `areas` tree holds each area's spelling by its folded name (one entry per area,
//! not per cycle): a new cycle takes the spelling already there. It is written with the
//! cycles that bring a new area, and kept when an area's last cycle goes (an area
//! spelled once keeps that spelling). Which areas there are, and how many cycles each
//! has, comes from the cycles' summaries.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, Transactional, TransactionalTree};

use super::engine::Handles;
use super::{codec, keys, storage, transaction_error, Store};
use crate::cycle::Cycle;
use crate::error::{Error, Result};
use crate::journal::Change;

/// One area of practice and how many cycles it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaSummary {
    pub name: String,
    pub cycles: usize,
}

/// Note `area`'s spelling in the `areas` tree, within a transaction, unless the area
/// (in any case) is there already.
pub(super) fn note(
    areas: &TransactionalTree,
    area: &str,
) -> std::result::Result<(), ConflictableTransactionError<Error>> {
    let key = keys::area_fold(area);
    if areas.get(key.as_bytes())?.is_none() {
        areas.insert(key.as_bytes(), area.as_bytes())?;
    }
    Ok(())
}

/// `note`, outside a transaction (a batch, a load into a new database).
pub(super) fn note_each<'a>(t: &Handles, areas: impl IntoIterator<Item = &'a str>) -> Result<()> {
    for area in areas {
        let key = keys::area_fold(area);
        // Unless the area is there: a spelling already noted is never replaced here.
        let _ = t
            .areas
            .compare_and_swap(key.as_bytes(), None::<&[u8]>, Some(area.as_bytes()))
            .map_err(storage)?;
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
            .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
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
                    for (new, value) in &encoded {
                        cycles.insert(&keys::cycle_key(new.id), value.as_slice())?;
                    }
                    if from_key != to_key {
                        areas.remove(from_key.as_bytes())?;
                    }
                    areas.insert(to_key.as_bytes(), target.as_bytes())?;
                    Ok(())
                })
                .map_err(transaction_error)
        })?;
        Ok(moving.len())
    }
}
