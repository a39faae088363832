//! Changes go through the recovery journal: recorded there (fsync'd) first, applied to
//! sled second, and sled remembers the journal position it has applied. Replaying the
//! journal into sled, and loading a whole base into a new sled folder, live here too.
//!
//! Every change is a whole new state (a whole cycle, a deletion, a check-in, a
//! preference), so applying one twice changes nothing: a replay may safely start a
//! little before where sled stopped.

use chrono::Utc;

use super::engine::Handles;
use super::pack::Tracker;
use super::replace::Content;
use super::{areas, codec, keys, storage, Store};
use crate::cycle::Cycle;
use crate::error::Result;
use crate::journal::{Base, Change, Entry, Journal, Position};

/// The `meta` key of the journal position sled has applied: epoch then sequence number,
/// big-endian, 16 bytes.
pub(super) const POSITION_KEY: &[u8] = b"journal_position";

/// How many cycles a replay writes to sled between flushes.
const REPLAY_FLUSH: usize = 5_000;

/// The journal position sled has applied, if it has one (databases made before the
/// journal have none).
pub(super) fn applied(t: &Handles) -> Result<Option<Position>> {
    let Some(bytes) = t.meta.get(POSITION_KEY).map_err(storage)? else {
        return Ok(None);
    };
    let read = |range: std::ops::Range<usize>| -> Option<u64> {
        Some(u64::from_be_bytes(bytes.get(range)?.try_into().ok()?))
    };
    Ok(read(0..8)
        .zip(read(8..16))
        .map(|(epoch, seq)| Position { epoch, seq }))
}

/// Remember that sled has applied the journal up to `at` (also the marker of a pack
/// current for it, see summaries.rs).
pub(super) fn set_applied(t: &Handles, at: Position) -> Result<()> {
    let mut bytes = at.epoch.to_be_bytes().to_vec();
    bytes.extend_from_slice(&at.seq.to_be_bytes());
    t.meta
        .insert(POSITION_KEY, bytes)
        .map(|_| ())
        .map_err(storage)
}

impl Store {
    /// Record `change` in the journal (durably), then make it in sled with `apply`, and
    /// remember the position. If `apply` fails the change is taken back out of the
    /// journal and the error returned: nothing of it stays. Once the journal holds it,
    /// the change is saved, so a later failure to push sled's files does not undo it.
    pub(super) fn record<T>(&self, change: Change, apply: impl FnOnce() -> Result<T>) -> Result<T> {
        let mut journal = self.journal();
        self.record_held(&mut journal, change, apply)
    }

    /// `record`, with the journal already held: several changes made under one hold
    /// (a sync's merge) can have nothing saved between them.
    pub(super) fn record_held<T>(
        &self,
        journal: &mut Journal,
        change: Change,
        apply: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        self.invalidate();
        self.touch(&change);
        let before = journal.position();
        let at = journal.append(change, Utc::now())?;
        let applied = apply();
        let value = match applied {
            Ok(value) => value,
            Err(e) => {
                if let Err(undo) = journal.take_back(before) {
                    eprintln!(
                        "rebound: could not take a failed change back out of the journal: {undo}"
                    );
                }
                return Err(e);
            }
        };
        // From here on the change is saved (the journal has it). sled is not flushed
        // here: its own thread writes every half second, the close flushes, and the next
        // open replays whatever it missed. Waiting for a second disk write on every save
        // would only double the time a save takes.
        if let Err(e) = set_applied(self.t(), at) {
            eprintln!("rebound: the database fell behind the journal (it catches up at the next start): {e}");
            self.forget_pack();
        }
        self.invalidate();
        Ok(value)
    }

    /// Remove the summaries' pack: sled changed without its marker moving, so a pack
    /// at that marker no longer says what the tree holds.
    pub(super) fn forget_pack(&self) {
        let mut tracker = self.engine.pack();
        *tracker = Tracker::default();
        let _ = std::fs::remove_file(self.dir().join(super::pack::FILE));
    }

    /// Tell the pack's tracker which cycles `change` changes.
    fn touch(&self, change: &Change) {
        let mut tracker = self.engine.pack();
        match change {
            Change::PutCycles(cycles) => tracker.touch(cycles.iter().map(|c| c.id)),
            Change::DeleteCycle(id) => tracker.touch([*id]),
            Change::PutCheckin { .. } | Change::SetPref { .. } => {}
        }
    }

    /// Apply the journal's changes after `seq` to sled, in order, each read from the
    /// journal as it is applied (a replay after a crash or power cut: a batch of many
    /// thousand cycles that sled had not yet written is never held whole), the cycles of
    /// each line in one sled batch, and sled flushed every [`REPLAY_FLUSH`] cycles so
    /// it holds no more than that unwritten.
    pub(super) fn replay_after(&self, seq: u64) -> Result<()> {
        let mut unflushed = 0;
        self.journal().each_change_after(seq, &mut |entry| {
            unflushed += self.apply_replayed(&entry)?;
            if unflushed >= REPLAY_FLUSH {
                self.flush()?;
                unflushed = 0;
            }
            Ok(())
        })?;
        self.flush()
    }

    /// Apply one journal entry to sled, and mark it applied; returns how many cycles it
    /// wrote.
    fn apply_replayed(&self, entry: &Entry) -> Result<usize> {
        self.touch(&entry.change);
        let written = match &entry.change {
            Change::PutCycles(cycles) => {
                self.invalidate();
                load_cycles(self.t(), cycles)?;
                cycles.len()
            }
            Change::DeleteCycle(id) => {
                if let Some(old) = self.get(*id)? {
                    self.remove(&old)?;
                }
                1
            }
            Change::PutCheckin { day, answers } => {
                self.insert_checkin(*day, *answers)?;
                1
            }
            Change::SetPref { key, value } => {
                self.insert_pref(key, value)?;
                1
            }
        };
        set_applied(self.t(), entry.at)?;
        Ok(written)
    }

    /// Start a new journal epoch whose base is what this store holds, its cycles read
    /// from sled one at a time (a compaction in bounded memory).
    pub(super) fn write_epoch_base(&self) -> Result<Position> {
        let t = self.t();
        let checkins = super::checkins::read_all(t)?
            .into_iter()
            .map(|c| (c.day, c.answers))
            .collect();
        let prefs = super::prefs::read_all(t)?;
        self.journal().start_epoch_streamed(
            &checkins,
            &prefs,
            |each| {
                for bytes in t.cycles.iter().values() {
                    each(&codec::decode(&bytes.map_err(storage)?)?)?;
                }
                Ok(())
            },
            Utc::now(),
        )
    }

    /// Everything this store holds: cycles, check-ins and preferences.
    pub fn contents(&self) -> Result<Base> {
        read_base(self.t())
    }

    /// The check-ins and preferences this store holds, without its cycles (which
    /// [`Store::each_cycle_json`] hands over as JSON).
    pub fn contents_but_cycles(&self) -> Result<Base> {
        read_rest(self.t(), Vec::new())
    }

    /// Every cycle as the JSON `serde_json` writes for a [`Cycle`], in id order, each
    /// handed to `each`. A value stored in the current layout is that JSON already and is
    /// handed over as it is, neither decoded nor encoded.
    pub fn each_cycle_json(&self, mut each: impl FnMut(&[u8]) -> Result<()>) -> Result<()> {
        for bytes in self.t().cycles.iter().values() {
            each(&codec::public_json(&bytes.map_err(storage)?)?)?;
        }
        Ok(())
    }
}

/// Everything the sled of `t` holds, as a journal base.
pub(super) fn read_base(t: &Handles) -> Result<Base> {
    let cycles = t
        .cycles
        .iter()
        .values()
        .map(|bytes| codec::decode(&bytes.map_err(storage)?))
        .collect::<Result<Vec<_>>>()?;
    read_rest(t, cycles)
}

/// `cycles` with the check-ins and preferences of `t`, as a journal base.
pub(super) fn read_rest(t: &Handles, cycles: Vec<Cycle>) -> Result<Base> {
    Ok(Base {
        cycles,
        checkins: super::checkins::read_all(t)?
            .into_iter()
            .map(|c| (c.day, c.answers))
            .collect(),
        prefs: super::prefs::read_all(t)?,
    })
}

/// Insert a whole base into the empty sled of `t`, its cycles handed over one at a time
/// and loaded a chunk at a time, and mark it as having applied `at`.
pub(super) fn load_content(t: &Handles, content: Content<'_>, at: Position) -> Result<()> {
    let (checkins, prefs, cycles) = content;
    let mut chunk = Vec::with_capacity(LOAD_CHUNK);
    cycles(&mut |cycle| {
        chunk.push(cycle.clone());
        if chunk.len() == LOAD_CHUNK {
            load_cycles(t, &chunk)?;
            chunk.clear();
        }
        Ok(())
    })?;
    load_cycles(t, &chunk)?;
    for (day, answers) in checkins {
        super::checkins::insert(t, *day, *answers)?;
    }
    for (key, value) in prefs {
        super::prefs::insert(t, key, value)?;
    }
    set_applied(t, at)?;
    t.db.flush().map(|_| ()).map_err(storage)
}

/// How many cycles go to sled in one batch when loading.
pub(super) const LOAD_CHUNK: usize = 500;

/// Insert whole new cycles (ids not stored yet), one sled batch at a time, with the
/// spellings of the areas they bring: into an empty, not yet live database, or a streamed
/// batch already committed to the journal.
/// A few hundred at a time, so a restore of hundreds of thousands of cycles never holds
/// them all encoded at once.
pub(super) fn load_cycles(t: &Handles, cycles: &[Cycle]) -> Result<()> {
    for chunk in cycles.chunks(LOAD_CHUNK) {
        let mut by_id = sled::Batch::default();
        for cycle in chunk {
            by_id.insert(&keys::cycle_key(cycle.id), codec::encode(cycle)?);
        }
        t.cycles.apply_batch(by_id).map_err(storage)?;
        areas::note_each(t, chunk.iter().map(|c| (c.id, c.fields.area.as_str())))?;
    }
    Ok(())
}
