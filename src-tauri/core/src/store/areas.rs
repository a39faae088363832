//! Renaming and merging areas: every cycle of an area moves in one transaction.

use chrono::{DateTime, Utc};
use sled::transaction::Transactional;

use super::{codec, keys, storage, transaction_error, Store};
use crate::cycle::Cycle;
use crate::error::{Error, Result};

impl Store {
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
        for key in self.by_area.scan_prefix(keys::area_prefix(from)).keys() {
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
        let encoded: Vec<(&Cycle, &Cycle, Vec<u8>)> = moving
            .iter()
            .map(|(old, new)| codec::encode(new).map(|v| (old, new, v)))
            .collect::<Result<_>>()?;
        self.invalidate();
        (&self.cycles, &self.by_area)
            .transaction(|(cycles, by_area)| {
                for (old, new, value) in &encoded {
                    by_area.remove(keys::area_key(&old.fields.area, old.id))?;
                    by_area.insert(keys::area_key(&new.fields.area, new.id), &[])?;
                    cycles.insert(&keys::cycle_key(new.id), value.as_slice())?;
                }
                Ok(())
            })
            .map_err(transaction_error)?;
        self.flush()?;
        Ok(moving.len())
    }
}
