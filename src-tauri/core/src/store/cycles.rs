//! Cycles in the store: create, update, delete and read them. A cycle, and the spelling
//! of an area it brings, change together in one sled transaction, after the change is in
//! the recovery journal (see `recorded`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sled::transaction::Transactional;

use super::{areas, codec, keys, storage, transaction_error, AddReport, Store};
use crate::cycle::{Cycle, CycleFields, CycleId, CycleSummary};
use crate::error::{Error, Result};
use crate::journal::Change;

impl Store {
    /// Store a new cycle made from checked fields, durably, and return it.
    pub fn create(&self, fields: CycleFields, now: DateTime<Utc>) -> Result<Cycle> {
        let mut fields = fields;
        fields.area = self.canonical_area(&fields.area)?;
        let cycle = Cycle::new(fields, now);
        self.record(Change::PutCycles(vec![cycle.clone()]), || {
            self.write(&cycle)
        })?;
        Ok(cycle)
    }

    /// Store several new cycles in one transaction (all or none), flush, return them.
    pub fn create_many(&self, all: Vec<CycleFields>, now: DateTime<Utc>) -> Result<Vec<Cycle>> {
        let mut cycles = Vec::with_capacity(all.len());
        // Each area's one spelling, looked up once per area: a batch with many areas
        // stays linear (a scan of the batch per cycle made 20,000 cycles take 11 s).
        let mut spelled: HashMap<String, String> = HashMap::new();
        for mut fields in all {
            let folded = keys::area_fold(&fields.area);
            fields.area = match spelled.get(&folded) {
                Some(area) => area.clone(),
                None => {
                    let area = self.canonical_area(&fields.area)?;
                    spelled.insert(folded, area.clone());
                    area
                }
            };
            cycles.push(Cycle::new(fields, now));
        }
        if cycles.is_empty() {
            return Ok(cycles);
        }
        self.record(Change::PutCycles(cycles.clone()), || {
            self.insert_all(&cycles)
        })?;
        Ok(cycles)
    }

    /// Replace the person's fields of cycle `id`, keeping its id and creation time.
    pub fn update(&self, id: CycleId, fields: CycleFields, now: DateTime<Utc>) -> Result<Cycle> {
        let old = self
            .get(id)?
            .ok_or_else(|| Error::NotFound(id.to_string()))?;
        let mut fields = fields;
        fields.area = if keys::area_fold(&fields.area) == keys::area_fold(&old.fields.area) {
            fields.area
        } else {
            self.canonical_area(&fields.area)?
        };
        let cycle = Cycle {
            id,
            created_at: old.created_at,
            // Never step back in time, even if the clock did.
            updated_at: now.max(old.updated_at),
            fields,
        };
        self.record(Change::PutCycles(vec![cycle.clone()]), || {
            self.write(&cycle)
        })?;
        Ok(cycle)
    }

    /// Delete cycle `id`, durably, and return what was deleted (so it can be put back).
    pub fn delete(&self, id: CycleId) -> Result<Cycle> {
        let old = self
            .get(id)?
            .ok_or_else(|| Error::NotFound(id.to_string()))?;
        self.record(Change::DeleteCycle(id), || self.remove(&old))?;
        Ok(old)
    }

    /// Add whole cycles (ids and times kept), as a backup or an undo holds them.
    /// New ids are added in one transaction; an id already stored is never changed.
    pub fn add_cycles(&self, incoming: &[Cycle]) -> Result<AddReport> {
        let mut report = AddReport::default();
        let mut fresh = Vec::new();
        for cycle in incoming {
            match self.get(cycle.id)? {
                None => fresh.push(cycle.clone()),
                Some(stored) if stored == *cycle => report.identical += 1,
                Some(_) => report.kept_existing.push(cycle.id),
            }
        }
        report.added = fresh.len();
        if !fresh.is_empty() {
            self.record(Change::PutCycles(fresh.clone()), || self.insert_all(&fresh))?;
        }
        Ok(report)
    }

    /// Return cycle `id`, if stored.
    pub fn get(&self, id: CycleId) -> Result<Option<Cycle>> {
        match self.t().cycles.get(keys::cycle_key(id)).map_err(storage)? {
            Some(bytes) => codec::decode(&bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Find the one cycle whose id starts with `text` (a whole id, or enough of one).
    pub fn find(&self, text: &str) -> Result<Cycle> {
        let wanted = text.trim().to_lowercase();
        if let Ok(id) = wanted.parse::<CycleId>() {
            return self.get(id)?.ok_or(Error::NotFound(wanted));
        }
        if wanted.len() < 4 || !wanted.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(Error::InvalidId(text.to_string()));
        }
        let mut matches = Vec::new();
        for key in self.t().cycles.iter().keys() {
            let key = key.map_err(storage)?;
            if let Some(id) = keys::decode_cycle_key(&key) {
                if id.to_string().starts_with(&wanted) {
                    matches.push(id);
                }
            }
        }
        match matches.as_slice() {
            [] => Err(Error::NotFound(text.to_string())),
            [id] => self.get(*id)?.ok_or(Error::NotFound(text.to_string())),
            many => Err(Error::AmbiguousId {
                prefix: text.to_string(),
                count: many.len(),
            }),
        }
    }

    /// Return up to `limit` cycles, newest attempt first (latest logged first within a
    /// day), skipping the first `offset`; and how many cycles are stored.
    pub fn recent(&self, limit: usize, offset: usize) -> Result<(Vec<Cycle>, usize)> {
        let summaries = self.summaries()?;
        Ok((
            self.recent_among(&summaries, limit, offset)?,
            summaries.len(),
        ))
    }

    /// `recent`, given every cycle's summary.
    pub fn recent_among(
        &self,
        summaries: &[CycleSummary],
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Cycle>> {
        let mut order: Vec<_> = summaries.iter().map(|s| (s.attempted_on, s.id)).collect();
        let wanted = offset.saturating_add(limit).min(order.len());
        if wanted == 0 {
            return Ok(Vec::new());
        }
        // Only the first `wanted`, newest first, need to be in order.
        order.select_nth_unstable_by(wanted - 1, |a, b| b.cmp(a));
        order.truncate(wanted);
        order.sort_unstable_by(|a, b| b.cmp(a));
        let ids: Vec<_> = order.into_iter().skip(offset).map(|(_, id)| id).collect();
        self.get_many(&ids)
    }

    /// Return every cycle in id (creation) order.
    pub fn all_by_id(&self) -> Result<Vec<Cycle>> {
        self.t()
            .cycles
            .iter()
            .values()
            .map(|bytes| codec::decode(&bytes.map_err(storage)?))
            .collect()
    }

    /// Every cycle in id order, each decoded only when the walk reaches it.
    pub fn walk_by_id(&self) -> impl Iterator<Item = Result<Cycle>> + '_ {
        self.t()
            .cycles
            .iter()
            .values()
            .map(|bytes| codec::decode(&bytes.map_err(storage)?))
    }

    /// The cycles, in id order, that `may_match` lets through on a first look at their
    /// stored JSON (a value that is not JSON is always decoded): only those are
    /// decoded. For one search; nothing is kept for the next, as [`Store::snapshot`] is.
    pub fn cycles_where(&self, may_match: impl Fn(&[u8]) -> bool) -> Result<Vec<Cycle>> {
        let mut out = Vec::new();
        for bytes in self.t().cycles.iter().values() {
            let bytes = bytes.map_err(storage)?;
            if codec::json_of(&bytes).is_none_or(&may_match) {
                out.push(codec::decode(&bytes)?);
            }
        }
        Ok(out)
    }

    /// Write one cycle (a new one, or replacing the stored one with its id).
    pub(super) fn write(&self, cycle: &Cycle) -> Result<()> {
        self.invalidate();
        let value = codec::encode(cycle)?;
        let t = self.t();
        (&t.cycles, &t.areas)
            .transaction(|(cycles, known)| {
                cycles.insert(&keys::cycle_key(cycle.id), value.as_slice())?;
                areas::note(cycles, known, cycle)
            })
            .map_err(transaction_error)
    }

    /// Remove one cycle.
    pub(super) fn remove(&self, old: &Cycle) -> Result<()> {
        self.invalidate();
        self.t()
            .cycles
            .remove(keys::cycle_key(old.id))
            .map(|_| ())
            .map_err(storage)
    }

    /// Insert new cycles, all in one transaction.
    pub(super) fn insert_all(&self, cycles: &[Cycle]) -> Result<()> {
        if cycles.is_empty() {
            return Ok(());
        }
        self.invalidate();
        let encoded: Vec<(&Cycle, Vec<u8>)> = cycles
            .iter()
            .map(|c| codec::encode(c).map(|v| (c, v)))
            .collect::<Result<_>>()?;
        let t = self.t();
        (&t.cycles, &t.areas)
            .transaction(|(t_cycles, known)| {
                for (cycle, value) in &encoded {
                    t_cycles.insert(&keys::cycle_key(cycle.id), value.as_slice())?;
                    areas::note(t_cycles, known, cycle)?;
                }
                Ok(())
            })
            .map_err(transaction_error)
    }
}
