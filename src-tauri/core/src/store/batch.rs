//! A batch of new cycles streamed in (`rebound log --jsonl`, any size): each cycle is
//! written to the recovery journal as part of one group as it comes, so memory stays
//! bounded however long the input; the group's commit line, fsync'd, saves them all at
//! once, and only then are they applied to sled, in chunks of bounded size (one sled
//! batch per tree each: they are new ids, and a crash between two leaves sled behind
//! the journal, which the next open replays, each cycle whole with its index). What
//! sled will be given (each cycle's keys and encoded value) waits meanwhile in a spool:
//! in memory while it is small, then in a private unnamed temporary file. A batch
//! dropped before its commit leaves nothing behind: the journal is cut back to where it
//! stood and sled never saw any of it.

use std::collections::HashMap;
use std::sync::MutexGuard;

use chrono::{DateTime, Utc};

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use super::recorded::set_applied;
use super::{codec, keys, storage, summaries, Store};
use crate::cycle::{Cycle, CycleFields, CycleId};
use crate::error::{Error, Result};
use crate::journal::{Group, Journal};

/// How many cycles one journal line (and one sled batch) holds.
const CHUNK: usize = 500;
/// Up to this many bytes of sled entries wait in memory; past it, in a temporary file.
const SPOOL_IN_MEMORY: usize = 32 * 1024 * 1024;

/// A batch of new cycles being logged. Nothing of it counts until [`Batch::commit`].
pub struct Batch<'s> {
    store: &'s Store,
    journal: MutexGuard<'s, Journal>,
    group: Option<Group>,
    now: DateTime<Utc>,
    /// Each area's one spelling, by its folded name, looked up once per area.
    spelled: HashMap<String, String>,
    /// Cycles not yet written to the journal (fewer than [`CHUNK`]).
    pending: Vec<Cycle>,
    /// What sled is given once the batch is committed.
    spool: Spool,
    ids: Vec<CycleId>,
}

impl Store {
    /// Start a batch of new cycles, made at `now`. The journal is held until the batch
    /// is committed or dropped, so nothing else is saved in between.
    pub fn begin_batch(&self, now: DateTime<Utc>) -> Batch<'_> {
        let mut journal = self.journal();
        let group = journal.begin_group(now);
        Batch {
            store: self,
            journal,
            group: Some(group),
            now,
            spelled: HashMap::new(),
            pending: Vec::with_capacity(CHUNK),
            spool: Spool::default(),
            ids: Vec::new(),
        }
    }
}

impl Batch<'_> {
    /// Add a new cycle made from checked fields, in the area's existing spelling.
    /// Returns its id; it is saved only when the batch is committed.
    pub fn add(&mut self, mut fields: CycleFields) -> Result<CycleId> {
        let folded = keys::area_fold(&fields.area);
        fields.area = match self.spelled.get(&folded) {
            Some(area) => area.clone(),
            None => {
                let area = self.store.canonical_area(&fields.area)?;
                self.spelled.insert(folded, area.clone());
                area
            }
        };
        let cycle = Cycle::new(fields, self.now);
        let id = cycle.id;
        self.ids.push(id);
        self.pending.push(cycle);
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
        // Each cycle is encoded once: its value for sled is its public JSON, which is
        // also what the journal line holds.
        let values = cycles
            .iter()
            .map(codec::encode)
            .collect::<Result<Vec<_>>>()?;
        let json = values
            .iter()
            .map(|value| codec::public_json(value))
            .collect::<Result<Vec<_>>>()?;
        let json: Vec<&[u8]> = json.iter().map(AsRef::as_ref).collect();
        let Some(group) = self.group.as_mut() else {
            return Err(Error::Storage("the batch is already closed".into()));
        };
        self.journal.write_cycles_part(group, &json)?;
        for (cycle, value) in cycles.iter().zip(&values) {
            self.spool.push(self.store.dir(), cycle, value)?;
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
        // How many of the batch's cycles may have reached sled (a chunk that fails may
        // have reached it in part).
        let mut reached = 0;
        let spool = std::mem::take(&mut self.spool);
        let result = spool.replay(|chunk| {
            reached += chunk.len();
            let (mut by_id, mut by_date, mut by_area, mut sums) = Default::default();
            for entry in chunk {
                let entry = entry.parts()?;
                sled::Batch::insert(&mut by_id, entry.id, entry.value);
                sled::Batch::insert(&mut by_date, entry.date, &[]);
                sled::Batch::insert(&mut by_area, entry.area, &[]);
                sled::Batch::insert(&mut sums, entry.id, entry.summary);
            }
            let t = store.t();
            t.cycles.apply_batch(by_id).map_err(storage)?;
            t.by_date.apply_batch(by_date).map_err(storage)?;
            t.by_area.apply_batch(by_area).map_err(storage)?;
            t.summaries.apply_batch(sums).map_err(storage)
        });
        if let Err(e) = result {
            self.undo(reached);
            if let Err(undo) = self.journal.take_back(before) {
                eprintln!("rebound: could not take a failed batch back out of the journal: {undo}");
            }
            return Err(e);
        }
        if let Err(e) = set_applied(store.t(), at) {
            eprintln!("rebound: the database fell behind the journal (it catches up at the next start): {e}");
        }
        store.invalidate();
        Ok(std::mem::take(&mut self.ids))
    }

    /// Remove the first `applied` cycles of the batch from sled again, after a later
    /// chunk could not be applied. If even that fails, sled is marked as not to be
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

/// Each cycle as sled is given it: `u32` lengths of the area key, the value and the
/// summary (little endian), the 16-byte id key, the 20-byte date key, the area key, the
/// value, the summary (the `summaries` tree's entry, kept level with the cycle).
#[derive(Default)]
struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    entries: usize,
}

/// One spooled entry, whole.
struct Entry(Vec<u8>);

struct Parts<'a> {
    id: &'a [u8],
    date: &'a [u8],
    area: &'a [u8],
    value: &'a [u8],
    summary: &'a [u8],
}

const HEAD: usize = 12 + 16 + 20;

impl Entry {
    fn parts(&self) -> Result<Parts<'_>> {
        let bad = || Error::Storage("a spooled cycle does not read back".into());
        let b = &self.0;
        let len = |at: usize| -> Option<usize> {
            Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
        };
        let (area, value, summary) = (
            len(0).ok_or_else(bad)?,
            len(4).ok_or_else(bad)?,
            len(8).ok_or_else(bad)?,
        );
        if b.len() != HEAD + area + value + summary {
            return Err(bad());
        }
        Ok(Parts {
            id: &b[12..28],
            date: &b[28..48],
            area: &b[HEAD..HEAD + area],
            value: &b[HEAD + area..HEAD + area + value],
            summary: &b[HEAD + area + value..],
        })
    }
}

impl Spool {
    /// Add `cycle`, whose value for sled is `value`.
    fn push(&mut self, dir: &Path, cycle: &Cycle, value: &[u8]) -> Result<()> {
        let area = keys::area_key(&cycle.fields.area, cycle.id);
        let summary = summaries::encode(cycle);
        let too_big = || Error::Storage("a cycle is too big to store".into());
        let length = |n: usize| u32::try_from(n).map_err(|_| too_big());
        let lengths = [
            length(area.len())?,
            length(value.len())?,
            length(summary.len())?,
        ];
        let [a, v, s] = lengths.map(u32::to_le_bytes);
        let (id, date) = (
            keys::cycle_key(cycle.id),
            keys::date_key(cycle.fields.attempted_on, cycle.id),
        );
        let parts: [&[u8]; 8] = [&a, &v, &s, &id, &date, &area, value, &summary];
        let size: usize = parts.iter().map(|part| part.len()).sum();
        self.entries += 1;
        if self.file.is_none() && self.memory.len() + size <= SPOOL_IN_MEMORY {
            for part in parts {
                self.memory.extend_from_slice(part);
            }
            return Ok(());
        }
        let io = |e| Error::io("could not write a temporary file in the data folder", e);
        if self.file.is_none() {
            // Unnamed where the system allows it, private, gone when closed.
            let file = tempfile::tempfile_in(dir).map_err(io)?;
            self.file = Some(BufWriter::with_capacity(1 << 20, file));
        }
        if let Some(file) = &mut self.file {
            for part in parts {
                file.write_all(part).map_err(io)?;
            }
        }
        Ok(())
    }

    /// Hand every entry back, in order, [`CHUNK`] at a time.
    fn replay(self, mut each: impl FnMut(&[Entry]) -> Result<()>) -> Result<()> {
        let io = |e| Error::io("could not read a temporary file in the data folder", e);
        let file = match self.file {
            Some(file) => {
                let mut file = file.into_inner().map_err(|e| io(e.into_error()))?;
                std::io::Seek::rewind(&mut file).map_err(io)?;
                Some(BufReader::with_capacity(1 << 20, file))
            }
            None => None,
        };
        let mut readers: Vec<Box<dyn Read>> = vec![Box::new(self.memory.as_slice())];
        if let Some(file) = file {
            readers.push(Box::new(file));
        }
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut left = self.entries;
        for mut reader in readers {
            loop {
                let mut head = [0u8; 12];
                match reader.read_exact(&mut head) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                    Err(e) => return Err(io(e)),
                }
                let len = |at: usize| {
                    u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]])
                        as usize
                };
                let mut entry = vec![0u8; HEAD + len(0) + len(4) + len(8)];
                entry[..12].copy_from_slice(&head);
                reader.read_exact(&mut entry[12..]).map_err(io)?;
                chunk.push(Entry(entry));
                left = left.saturating_sub(1);
                if chunk.len() == CHUNK {
                    each(&chunk)?;
                    chunk.clear();
                }
            }
        }
        if !chunk.is_empty() {
            each(&chunk)?;
        }
        if left > 0 {
            return Err(Error::Storage(
                "the batch's temporary file was cut short".into(),
            ));
        }
        Ok(())
    }
}
