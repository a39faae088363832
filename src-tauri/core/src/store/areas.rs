//! Areas in the store: their counts, the one spelling of each (matched without regard
//! to case), and renaming or merging them, every cycle of an area in one transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sled::transaction::Transactional;

use super::{codec, keys, storage, summaries, transaction_error, Store};
use crate::cycle::{Cycle, CycleId};
use crate::error::{Error, Result};
use crate::journal::Change;

/// One area of practice and how many cycles it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaSummary {
    pub name: String,
    pub cycles: usize,
}

impl Store {
    /// Every area with its number of cycles, most used first, then by name.
    pub fn areas(&self) -> Result<Vec<AreaSummary>> {
        let mut groups: BTreeMap<Vec<u8>, (CycleId, usize)> = BTreeMap::new();
        for key in self.t().by_area.iter().keys() {
            let key = key.map_err(storage)?;
            let Some((prefix, id)) = keys::split_area_key(&key) else {
                continue;
            };
            groups
                .entry(prefix.to_vec())
                .and_modify(|(_, n)| *n += 1)
                .or_insert((id, 1));
        }
        let mut areas = Vec::with_capacity(groups.len());
        for (first, cycles) in groups.into_values() {
            if let Some(cycle) = self.get(first)? {
                areas.push(AreaSummary {
                    name: cycle.fields.area,
                    cycles,
                });
            }
        }
        areas.sort_by(|a, b| b.cycles.cmp(&a.cycles).then_with(|| a.name.cmp(&b.name)));
        Ok(areas)
    }

    /// The spelling already used for `area`, ignoring case; `area` itself when new.
    pub(super) fn canonical_area(&self, area: &str) -> Result<String> {
        let first = self
            .t()
            .by_area
            .scan_prefix(keys::area_prefix(area))
            .keys()
            .next();
        let Some(key) = first.transpose().map_err(storage)? else {
            return Ok(area.to_string());
        };
        let stored = keys::split_area_key(&key).map(|(_, id)| id);
        match stored.map(|id| self.get(id)).transpose()?.flatten() {
            Some(cycle) => Ok(cycle.fields.area),
            None => Ok(area.to_string()),
        }
    }

    /// Move every cycle of area `from` to area `to` and flush. When `to` already
    /// exists (in any case), the two areas become one under its spelling. Returns
    /// how many cycles moved.
    pub fn rename_area(&self, from: &str, to: &str, now: DateTime<Utc>) -> Result<usize> {
        let mut moving: Vec<(Cycle, Cycle)> = Vec::new();
        let same_area = keys::area_fold(from) == keys::area_fold(to);
        let target = if same_area {
            to.to_string()
        } else {
            self.canonical_area(to)?
        };
        for key in self.t().by_area.scan_prefix(keys::area_prefix(from)).keys() {
            let key = key.map_err(storage)?;
            let Some((_, id)) = keys::split_area_key(&key) else {
                continue;
            };
            if let Some(old) = self.get(id)? {
                let mut new = old.clone();
                new.fields.area = target.clone();
                new.updated_at = now.max(old.updated_at);
                moving.push((old, new));
            }
        }
        if moving.is_empty() {
            return Err(Error::NotFound(format!("area {from:?}")));
        }
        let encoded: Vec<(&Cycle, &Cycle, Vec<u8>, Vec<u8>)> = moving
            .iter()
            .map(|(old, new)| codec::encode(new).map(|v| (old, new, v, summaries::encode(new))))
            .collect::<Result<_>>()?;
        let moved: Vec<Cycle> = moving.iter().map(|(_, new)| new.clone()).collect();
        self.record(Change::PutCycles(moved), || {
            let t = self.t();
            (&t.cycles, &t.by_area, &t.summaries)
                .transaction(|(cycles, by_area, sums)| {
                    for (old, new, value, summary) in &encoded {
                        by_area.remove(keys::area_key(&old.fields.area, old.id))?;
                        by_area.insert(keys::area_key(&new.fields.area, new.id), &[])?;
                        cycles.insert(&keys::cycle_key(new.id), value.as_slice())?;
                        sums.insert(&keys::cycle_key(new.id), summary.as_slice())?;
                    }
                    Ok(())
                })
                .map_err(transaction_error)
        })?;
        Ok(moving.len())
    }
}
