//! Cycles in the store: create, update, delete and read them. A cycle, its index
//! entries and its summary change together in one sled transaction, after the change is in the
//! recovery journal (see `recorded`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sled::transaction::Transactional;

use super::{codec, keys, storage, summaries, transaction_error, AddReport, Store};
use crate::cycle::{Cycle, CycleFields, CycleId};
use crate::error::{Error, Result};
use crate::journal::Change;

impl Store {
    /// Store a new cycle made from checked fields, durably, and return it.
    pub fn create(&self, fields: CycleFields, now: DateTime<Utc>) -> Result<Cycle> {
        let mut fields = fields;
        fields.area = self.canonical_area(&fields.area)?;
        let cycle = Cycle::new(fields, now);
        self.record(Change::PutCycles(vec![cycle.clone()]), || {
            self.write(None, &cycle)
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
            self.write(Some(&old), &cycle)
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
    /// day), skipping the first `offset`.
    pub fn recent(&self, limit: usize, offset: usize) -> Result<Vec<Cycle>> {
        let mut out = Vec::with_capacity(limit.min(1024));
        for key in self
            .t()
            .by_date
            .iter()
            .keys()
            .rev()
            .skip(offset)
            .take(limit)
        {
            let key = key.map_err(storage)?;
            let (_, id) = keys::decode_date_key(&key)
                .ok_or_else(|| Error::Corrupt("a date index key has the wrong size".into()))?;
            // An index entry without its cycle would be a bug; skip it rather than fail
            // the whole list.
            if let Some(cycle) = self.get(id)? {
                out.push(cycle);
            }
        }
        Ok(out)
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

    /// Write one cycle and its index entries, replacing `old` if given.
    pub(super) fn write(&self, old: Option<&Cycle>, cycle: &Cycle) -> Result<()> {
        self.invalidate();
        let value = codec::encode(cycle)?;
        let summary = summaries::encode(cycle);
        let t = self.t();
        (&t.cycles, &t.by_date, &t.by_area, &t.summaries)
            .transaction(|(cycles, by_date, by_area, sums)| {
                if let Some(old) = old {
                    by_date.remove(&keys::date_key(old.fields.attempted_on, old.id))?;
                    by_area.remove(keys::area_key(&old.fields.area, old.id))?;
                }
                cycles.insert(&keys::cycle_key(cycle.id), value.as_slice())?;
                by_date.insert(&keys::date_key(cycle.fields.attempted_on, cycle.id), &[])?;
                by_area.insert(keys::area_key(&cycle.fields.area, cycle.id), &[])?;
                sums.insert(&keys::cycle_key(cycle.id), summary.as_slice())?;
                Ok(())
            })
            .map_err(transaction_error)
    }

    /// Remove one cycle and its index entries.
    pub(super) fn remove(&self, old: &Cycle) -> Result<()> {
        self.invalidate();
        let t = self.t();
        (&t.cycles, &t.by_date, &t.by_area, &t.summaries)
            .transaction(|(cycles, by_date, by_area, sums)| {
                cycles.remove(&keys::cycle_key(old.id))?;
                by_date.remove(&keys::date_key(old.fields.attempted_on, old.id))?;
                by_area.remove(keys::area_key(&old.fields.area, old.id))?;
                sums.remove(&keys::cycle_key(old.id))?;
                Ok(())
            })
            .map_err(transaction_error)
    }

    /// Insert new cycles and their index entries, all in one transaction.
    pub(super) fn insert_all(&self, cycles: &[Cycle]) -> Result<()> {
        if cycles.is_empty() {
            return Ok(());
        }
        self.invalidate();
        let encoded: Vec<(&Cycle, Vec<u8>, Vec<u8>)> = cycles
            .iter()
            .map(|c| codec::encode(c).map(|v| (c, v, summaries::encode(c))))
            .collect::<Result<_>>()?;
        let t = self.t();
        (&t.cycles, &t.by_date, &t.by_area, &t.summaries)
            .transaction(|(t_cycles, t_date, t_area, t_sums)| {
                for (cycle, value, summary) in &encoded {
                    t_cycles.insert(&keys::cycle_key(cycle.id), value.as_slice())?;
                    t_date.insert(&keys::date_key(cycle.fields.attempted_on, cycle.id), &[])?;
                    t_area.insert(keys::area_key(&cycle.fields.area, cycle.id), &[])?;
                    t_sums.insert(&keys::cycle_key(cycle.id), summary.as_slice())?;
                }
                Ok(())
            })
            .map_err(transaction_error)
    }
}
