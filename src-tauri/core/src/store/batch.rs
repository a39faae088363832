//! A batch of new cycles streamed in (`rebound log --jsonl`, any size): each cycle is
//! written to the recovery journal as part of one group as it comes, so memory stays
//! bounded however long the input; the group's commit line, fsync'd, saves them all at
//! once, and only then are they applied to sled, in chunks of bounded size (they are
//! new ids, and a crash before the last chunk leaves sled behind the journal, which the
//! next open replays, each cycle whole; a chunk that fails is taken back out key by
//! key). What sled will be given (each cycle's key and encoded value) waits meanwhile
//! in a spool:
//! in memory while it is small, then in a private unnamed temporary file. A batch
//! dropped before its commit leaves nothing behind: the journal is cut back to where it
//! stood and sled never saw any of it.

use std::collections::HashMap;
use std::sync::MutexGuard;

use chrono::{DateTime, Utc};

use super::areas;
use super::engine::Handles;
use super::pack::PackWriter;
use super::recorded::set_applied;
use super::spool::{Entry, Parts, Spool};
use super::{codec, keys, storage, summaries, Store};
use crate::cycle::{Cycle, CycleFields, CycleId};
use crate::error::{Error, Result};
use crate::journal::{Group, Journal};

/// How many cycles one journal line (and one chunk applied to sled) holds.
pub(super) const CHUNK: usize = 500;

/// A batch of new cycles being logged. Nothing of it counts until [`Batch::commit`].
pub struct Batch<'s> {
    store: &'s Store,
    journal: MutexGuard<'s, Journal>,
    group: Option<Group>,
    now: DateTime<Utc>,
    /// Each area's one spelling, by its folded name, looked up once per area.
    spelled: HashMap<String, String>,
    /// The batch's first cycle in each area (its id and the area's spelling).
    firsts: Vec<(CycleId, String)>,
    /// Cycles not yet written to the journal (fewer than [`CHUNK`]).
    pending: Vec<Prepared>,
    /// What sled is given once the batch is committed.
    spool: Spool,
    ids: Vec<CycleId>,
    /// Into an empty database: the summaries' pack of the batch's cycles, written once
    /// it is committed (so nothing has to decode them again to pack them), while their
    /// ids come in order. The cycles are the whole database then.
    packing: Option<Packing>,
}

/// A new cycle made ready for a batch, on any thread: made under an id generated in the
/// order of the batch's input, and encoded (once: its value for sled is its public JSON,
/// which is also what its journal line holds).
pub struct Prepared {
    cycle: Cycle,
    value: Vec<u8>,
}

impl Prepared {
    /// Make the cycle of checked `fields` under `id`, at `now`, and encode it.
    pub fn new(fields: CycleFields, id: CycleId, now: DateTime<Utc>) -> Result<Prepared> {
        let cycle = Cycle::with_id(id, fields, now);
        let value = codec::encode(&cycle)?;
        Ok(Prepared { cycle, value })
    }

    /// The cycle's checked fields.
    pub fn fields(&self) -> &CycleFields {
        &self.cycle.fields
    }
}

/// The summaries of a batch into an empty database, in id order.
struct Packing {
    pack: PackWriter,
    last: Option<[u8; 16]>,
}

impl Store {
    /// Start a batch of new cycles, made at `now`. The journal is held until the batch
    /// is committed or dropped, so nothing else is saved in between.
    pub fn begin_batch(&self, now: DateTime<Utc>) -> Batch<'_> {
        let mut journal = self.journal();
        let group = journal.begin_group(now);
        // With the journal held, nothing else can add a cycle before this batch does.
        let packing = self
            .is_empty()
            .then(|| PackWriter::new(&[], 0))
            .flatten()
            .map(|pack| Packing { pack, last: None });
        Batch {
            store: self,
            journal,
            group: Some(group),
            now,
            spelled: HashMap::new(),
            firsts: Vec::new(),
            pending: Vec::with_capacity(CHUNK),
            spool: Spool::default(),
            ids: Vec::new(),
            packing,
        }
    }
}

impl Batch<'_> {
    /// Add a new cycle made from checked fields, in the area's existing spelling.
    /// Returns its id; it is saved only when the batch is committed.
    pub fn add(&mut self, fields: CycleFields) -> Result<CycleId> {
        self.add_prepared(Prepared::new(fields, CycleId::generate(), self.now)?)
    }

    /// The time the batch's cycles are made at (for [`Prepared::new`]).
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Add a cycle made ready elsewhere, in the area's existing spelling (encoded again
    /// only when that spelling differs from the one it came with). Returns its id; it
    /// is saved only when the batch is committed.
    pub fn add_prepared(&mut self, mut prepared: Prepared) -> Result<CycleId> {
        let fields = &mut prepared.cycle.fields;
        let folded = keys::area_fold(&fields.area);
        let first = !self.spelled.contains_key(&folded);
        let area = match self.spelled.get(&folded) {
            Some(area) => area.clone(),
            None => {
                let area = self.store.canonical_area(&fields.area)?;
                self.spelled.insert(folded, area.clone());
                area
            }
        };
        if fields.area != area {
            fields.area = area;
            prepared.value = codec::encode(&prepared.cycle)?;
        }
        let id = prepared.cycle.id;
        if first {
            self.firsts.push((id, prepared.cycle.fields.area.clone()));
        }
        self.ids.push(id);
        self.pending.push(prepared);
        if self.pending.len() >= CHUNK {
            self.write_pending()?;
        }
        Ok(id)
    }

    /// How many cycles the batch holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the batch holds no cycle.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn write_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let cycles = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK));
        let json = cycles
            .iter()
            .map(|p| codec::public_json(&p.value))
            .collect::<Result<Vec<_>>>()?;
        let json: Vec<&[u8]> = json.iter().map(AsRef::as_ref).collect();
        let Some(group) = self.group.as_mut() else {
            return Err(Error::Storage("the batch is already closed".into()));
        };
        self.journal.write_cycles_part(group, &json)?;
        for p in &cycles {
            self.spool.push(self.store.dir(), &p.cycle, &p.value)?;
        }
        for cycle in cycles.iter().map(|p| &p.cycle) {
            let key = keys::cycle_key(cycle.id);
            let packed = self.packing.as_mut().is_some_and(|p| {
                p.last.is_none_or(|last| last < key) && p.pack.push(&key, &summaries::encode(cycle))
            });
            match &mut self.packing {
                Some(p) if packed => p.last = Some(key),
                // Out of order (or too big to pack): packed from the cycles at close.
                _ => self.packing = None,
            }
        }
        Ok(())
    }

    /// Save the whole batch: its commit line is fsync'd (from then on it is saved and
    /// its ids may be printed), then it is applied to sled. Returns the new ids, in the
    /// order they were added. If anything fails, nothing of the batch stays.
    pub fn commit(mut self) -> Result<Vec<CycleId>> {
        if self.ids.is_empty() {
            return Ok(Vec::new());
        }
        self.write_pending()?;
        let Some(group) = self.group.take() else {
            return Err(Error::Storage("the batch is already closed".into()));
        };
        let store = self.store;
        store.invalidate();
        let before = self.journal.position();
        let at = self.journal.commit_group(group)?;
        store.engine.pack().touch(self.ids.iter().copied());
        // How many of the batch's cycles reached sled in chunks applied whole (a chunk
        // that fails is taken back out by itself).
        let mut reached = 0;
        let spool = std::mem::take(&mut self.spool);
        let result = spool.replay(|chunk| {
            let parts = chunk.iter().map(Entry::parts).collect::<Result<Vec<_>>>()?;
            let applied = apply_chunk(store.t(), &parts);
            if applied.is_err() && take_out(store.t(), &parts).is_err() {
                store.engine.distrust();
            }
            if applied.is_ok() {
                reached += chunk.len();
            }
            applied
        });
        let result = result.and_then(|()| {
            areas::note_each(
                store.t(),
                self.firsts.iter().map(|(id, area)| (*id, area.as_str())),
            )
        });
        if let Err(e) = result {
            self.undo(reached);
            if let Err(undo) = self.journal.take_back(before) {
                eprintln!("rebound: could not take a failed batch back out of the journal: {undo}");
            }
            return Err(e);
        }
        match set_applied(store.t(), at) {
            Err(e) => {
                eprintln!("rebound: the database fell behind the journal (it catches up at the next start): {e}");
                store.forget_pack();
            }
            Ok(()) => {
                if let (Some(packing), Some(marker)) =
                    (self.packing.take(), summaries::current_marker(store.t()))
                {
                    let mut pack = packing.pack;
                    pack.at(&marker);
                    // Not written: the pack is made from the cycles at close instead.
                    if pack.write(store.dir()).is_ok() {
                        store.engine.pack().current(&marker);
                    }
                }
            }
        }
        store.invalidate();
        Ok(std::mem::take(&mut self.ids))
    }

    /// Remove the first `applied` cycles of the batch from sled again, after a later
    /// chunk could not be applied (and was taken back out by itself). If even that fails, sled is marked as not to be
    /// trusted: its next open checks it against the journal and rebuilds it.
    fn undo(&self, applied: usize) {
        let removed = self.ids[..applied].iter().try_for_each(|id| {
            if let Some(old) = self.store.get(*id)? {
                self.store.remove(&old)?;
            }
            Ok::<(), Error>(())
        });
        if removed.is_err() {
            self.store.engine.distrust();
        }
        self.store.invalidate();
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if let Some(group) = self.group.take() {
            self.journal.abandon_group(group);
        }
    }
}

/// Apply one chunk of the batch to sled. These are new ids, so the order does not
/// matter. Until the batch's position is recorded after the last chunk, a crash leaves
/// sled behind the journal, which the next open replays.
fn apply_chunk(t: &Handles, chunk: &[Parts<'_>]) -> Result<()> {
    chunk.iter().try_for_each(|entry| {
        t.cycles
            .insert(entry.id, entry.value)
            .map(|_| ())
            .map_err(storage)
    })
}

/// Take every key of `chunk` back out of sled, whichever of them it reached.
fn take_out(t: &Handles, chunk: &[Parts<'_>]) -> Result<()> {
    chunk
        .iter()
        .try_for_each(|entry| t.cycles.remove(entry.id).map(|_| ()).map_err(storage))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome;
    use chrono::NaiveDate;

    #[test]
    fn a_chunk_applied_is_taken_back_out_whole() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut spool = Spool::default();
        for (n, area) in ["a", "b", "Work"].iter().enumerate() {
            let day = NaiveDate::from_ymd_opt(2026, 11, 1 + n as u32).unwrap();
            let cycle = Cycle::new(CycleFields::sample(area, day, Outcome::Partial), Utc::now());
            let value = codec::encode(&cycle).unwrap();
            spool.push(dir.path(), &cycle, &value).unwrap();
        }
        let t = store.t();
        let sizes = |t: &Handles| t.cycles.len();
        spool
            .replay(|chunk| {
                let parts = chunk.iter().map(Entry::parts).collect::<Result<Vec<_>>>()?;
                apply_chunk(t, &parts)?;
                assert_eq!(sizes(t), 3);
                take_out(t, &parts)?;
                // Taking out again, with nothing left, is fine too.
                take_out(t, &parts)
            })
            .unwrap();
        assert_eq!(sizes(t), 0);
    }
}
