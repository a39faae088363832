//! Changes that arrive from the person's other computers (`crate::sync`), made the way
//! every change is made: each one recorded in the recovery journal and fsync'd before
//! sled applies it. All of them are made under one hold of the journal, and only if
//! nothing was saved since the merge was worked out, so a save made in the window
//! while a sync runs is never overwritten by the merge's older view of that cycle.

use chrono::NaiveDate;
use serde_json::Value;
use sled::transaction::Transactional;

use super::{areas, checkins, codec, keys, prefs, transaction_error, Store};
use crate::checkin::brs_score;
use crate::cycle::{Cycle, CycleId};
use crate::error::{Error, Result};
use crate::journal::{Change, Position};

/// What a sync brings in: whole cycles as they now are (new or changed), deleted
/// cycles, check-ins and preferences.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merge {
    pub put: Vec<Cycle>,
    pub delete: Vec<CycleId>,
    pub checkins: Vec<(NaiveDate, [u8; 6])>,
    pub prefs: Vec<(String, Value)>,
}

impl Merge {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.put.is_empty()
            && self.delete.is_empty()
            && self.checkins.is_empty()
            && self.prefs.is_empty()
    }
}

impl Store {
    /// Make `merge` (planned from what the store held at `planned_at`), preferences
    /// last, and return where the journal then stands. If anything was saved since
    /// `planned_at`, nothing is changed and an error says the sync will try again.
    pub fn apply_merge(&self, merge: &Merge, planned_at: Position) -> Result<Position> {
        let mut journal = self.journal();
        if journal.position() != planned_at {
            return Err(Error::Sync(
                "something was saved while the sync was being worked out, so nothing from \
                 your other computers was applied yet; sync again"
                    .into(),
            ));
        }
        if !merge.put.is_empty() {
            let pairs = merge
                .put
                .iter()
                .map(|cycle| Ok((self.get(cycle.id)?, cycle)))
                .collect::<Result<Vec<_>>>()?;
            self.record_held(&mut journal, Change::PutCycles(merge.put.clone()), || {
                self.put_all(&pairs)
            })?;
        }
        for id in &merge.delete {
            if let Some(old) = self.get(*id)? {
                self.record_held(&mut journal, Change::DeleteCycle(*id), || self.remove(&old))?;
            }
        }
        for (day, answers) in &merge.checkins {
            brs_score(*answers).map_err(Error::Usage)?;
            let change = Change::PutCheckin {
                day: *day,
                answers: *answers,
            };
            self.record_held(&mut journal, change, || {
                checkins::insert(self.t(), *day, *answers)
            })?;
        }
        for (key, value) in &merge.prefs {
            let change = Change::SetPref {
                key: key.clone(),
                value: value.clone(),
            };
            self.record_held(&mut journal, change, || prefs::insert(self.t(), key, value))?;
        }
        Ok(journal.position())
    }

    /// Write whole cycles, each replacing its stored version if there is one, all in one
    /// transaction.
    fn put_all(&self, pairs: &[(Option<Cycle>, &Cycle)]) -> Result<()> {
        let encoded: Vec<(&Cycle, Vec<u8>)> = pairs
            .iter()
            .map(|(_, new)| codec::encode(new).map(|value| (*new, value)))
            .collect::<Result<_>>()?;
        let t = self.t();
        (&t.cycles, &t.areas)
            .transaction(|(cycles, known)| {
                for (new, value) in &encoded {
                    cycles.insert(&keys::cycle_key(new.id), value.as_slice())?;
                    areas::note(cycles, known, new)?;
                }
                Ok(())
            })
            .map_err(transaction_error)
    }
}
