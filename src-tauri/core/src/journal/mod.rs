//! The recovery journal: Rebound's own record of every acknowledged change, beside
//! sled and independent of it. Append-only, one checksummed line per change, fsync'd
//! before a save is acknowledged. With the base of its epoch, it rebuilds every cycle,
//! check-in and preference without sled, whatever happened to sled's files.
//!
//! Files, in `<data dir>/journal/` (private):
//! - `log-NNNNNN.jsonl`: the changes of epoch N, one line each (see `line`; `read`
//!   reads them back);
//! - `base-NNNNNN.json`: what the data held when epoch N began (see `base`); epoch 1 of
//!   a new data folder has none, it began empty.
//!
//! A new epoch begins at each restore and when the log grows long (compaction): its base
//! is written whole first, then its empty log, so the highest log always has its base.
//! The epoch before is kept; older ones are removed.
//!
//! A change too big for one line (a batch of thousands of cycles) is written as a group
//! of lines closed by a commit line; a group without its commit was never acknowledged
//! and is not replayed. No sled and no Tauri here.

mod base;
mod group;
mod line;
mod read;
mod stream;

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::files::{create_private_folder, make_private, sync_folder};

pub use base::Base;
pub use group::Group;
pub use line::{Change, Entry, Position};
pub use read::apply;
use read::read_log;
pub use stream::{Replayed, Streamed};

/// The journal's folder inside the data folder.
pub const FOLDER: &str = "journal";
/// The most cycles one line holds; a bigger batch becomes a group of lines.
const CYCLES_PER_LINE: usize = 500;
/// Past this many bytes of log, the next open starts a new epoch from a base.
const COMPACT_BYTES: u64 = 16 * 1024 * 1024;
/// How much of the log's end is read first at open to find its last change (a commit
/// line, or one change); doubled until a whole line reads.
const TAIL_BYTES: u64 = 64 * 1024;

fn log_name(epoch: u64) -> String {
    format!("log-{epoch:06}.jsonl")
}

fn base_name(epoch: u64) -> String {
    format!("base-{epoch:06}.json")
}

/// The epoch a journal file belongs to, from its name.
fn epoch_of(name: &str, prefix: &str, suffix: &str) -> Option<u64> {
    name.strip_prefix(prefix)?
        .strip_suffix(suffix)?
        .parse()
        .ok()
}

/// The open journal of one data folder. Only one process holds it (the data folder's
/// lock is taken first).
pub struct Journal {
    dir: PathBuf,
    epoch: u64,
    /// The last sequence number written in this epoch (0: none yet).
    last: u64,
    /// The length of the log's whole lines; anything past it is cut off before appending.
    length: u64,
    /// Where the journal stood before the last append, so it can be taken back.
    before_last: Option<(u64, u64)>,
    file: File,
}

/// Everything the journal holds, read back for a rebuild.
#[derive(Debug, Default)]
pub struct Replay {
    /// The base of the current epoch (empty for a first epoch).
    pub base: Base,
    /// Whether a base file was read (false: the epoch began empty).
    pub had_base: bool,
    /// The changes after it, in order, only whole groups.
    pub entries: Vec<Entry>,
    /// Lines that did not read (damaged), skipped.
    pub damaged_lines: usize,
    /// Where the last change is.
    pub last: Position,
}

impl Journal {
    /// Whether `data_dir` holds a journal with anything in it: a base, or a change. A
    /// data folder with such a journal has held data, so a missing database there is
    /// damage to recover from, never a new, empty start.
    pub fn has_history(data_dir: &Path) -> bool {
        let Ok(entries) = std::fs::read_dir(data_dir.join(FOLDER)) else {
            return false;
        };
        entries.flatten().any(|entry| {
            let name = entry.file_name().to_string_lossy().to_string();
            let is_base = epoch_of(&name, "base-", ".json").is_some();
            let is_log = epoch_of(&name, "log-", ".jsonl").is_some();
            is_base || (is_log && entry.metadata().is_ok_and(|m| m.len() > 0))
        })
    }

    /// Open the journal of `data_dir`, making a new one if there is none. A torn last
    /// line (a change cut short by a power cut, so never acknowledged) is cut off.
    pub fn open(data_dir: &Path) -> Result<Journal> {
        let dir = data_dir.join(FOLDER);
        create_private_folder(&dir)
            .map_err(|e| Error::io(format!("could not create {}", dir.display()), e))?;
        let epoch = current_epoch(&dir)?.unwrap_or(1);
        let path = dir.join(log_name(epoch));
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(format!("could not open {}", path.display()), e))?;
        if !existed {
            make_private(&path)
                .and_then(|()| file.sync_all())
                .and_then(|()| sync_folder(&dir))
                .map_err(|e| Error::io("could not start the recovery journal", e))?;
        }
        let (last, length) = last_whole_line(&mut file, epoch)?;
        let size = file
            .metadata()
            .map_err(|e| Error::io("could not read the recovery journal", e))?
            .len();
        if size > length {
            file.set_len(length)
                .and_then(|()| file.sync_all())
                .map_err(|e| Error::io("could not cut a torn line off the recovery journal", e))?;
        }
        Ok(Journal {
            dir,
            epoch,
            last,
            length,
            before_last: None,
            file,
        })
    }

    /// Where the last change is.
    pub fn position(&self) -> Position {
        Position {
            epoch: self.epoch,
            seq: self.last,
        }
    }

    /// Whether the log has grown long enough to start a new epoch from a base.
    pub fn wants_compaction(&self) -> bool {
        self.length > COMPACT_BYTES
    }

    /// Record `change` durably (written and fsync'd) and return where it is. Until this
    /// returns, the change must not be acknowledged; if it fails, nothing of it stays.
    pub fn append(&mut self, change: Change, when: DateTime<Utc>) -> Result<Position> {
        let parts = split(change);
        let group = parts.len() > 1;
        let mut text = String::new();
        let mut seq = self.last;
        for part in &parts {
            seq += 1;
            let at = Position {
                epoch: self.epoch,
                seq,
            };
            let encoded = if group {
                line::encode_grouped(at, when, part, self.last + 1)
            } else {
                line::encode(at, when, part)
            };
            text.push_str(
                &encoded
                    .map_err(|e| Error::Storage(format!("could not encode a journal line: {e}")))?,
            );
        }
        if group {
            seq += 1;
            let at = Position {
                epoch: self.epoch,
                seq,
            };
            text.push_str(&line::encode_commit(at, when, self.last + 1));
        }
        let written = self
            .file
            .seek(SeekFrom::Start(self.length))
            .and_then(|_| self.file.write_all(text.as_bytes()))
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            // Leave no part of an unacknowledged change behind.
            let _ = self
                .file
                .set_len(self.length)
                .and_then(|()| self.file.sync_data());
            return Err(Error::io("could not write to the recovery journal", e));
        }
        self.before_last = Some((self.last, self.length));
        self.length += text.len() as u64;
        self.last = seq;
        Ok(self.position())
    }

    /// Take the last change back out, when it could not be made after all: the journal
    /// is back where it stood at `before`. Only the last append can be taken back.
    pub fn take_back(&mut self, before: Position) -> Result<()> {
        match self.before_last.take() {
            Some((last, length)) if before.epoch == self.epoch && before.seq == last => {
                self.file
                    .set_len(length)
                    .and_then(|()| self.file.sync_data())
                    .map_err(|e| Error::io("could not take a change back out of the journal", e))?;
                self.last = last;
                self.length = length;
                Ok(())
            }
            _ => Err(Error::Storage(
                "only the journal's last change can be taken back".into(),
            )),
        }
    }

    /// The changes of this epoch after `seq`, whole groups only.
    pub fn changes_after(&self, seq: u64) -> Result<(Vec<Entry>, usize)> {
        let (entries, damaged) = read_log(&self.dir.join(log_name(self.epoch)))?;
        Ok((
            entries.into_iter().filter(|e| e.at.seq > seq).collect(),
            damaged,
        ))
    }

    /// The file of this epoch's base; None when the epoch began empty (a first epoch
    /// has no base). Every later epoch has one: its absence is damage.
    fn base_path(&self) -> Result<Option<PathBuf>> {
        let path = self.dir.join(base_name(self.epoch));
        if path.exists() {
            Ok(Some(path))
        } else if self.epoch == 1 {
            Ok(None)
        } else {
            Err(Error::Corrupt(format!(
                "the recovery journal's base for epoch {} is missing",
                self.epoch
            )))
        }
    }

    /// Everything the journal holds: the base of this epoch and every change after it.
    pub fn replay(&self) -> Result<Replay> {
        let base_path = self.base_path()?;
        let had_base = base_path.is_some();
        let base = match base_path {
            Some(path) => base::read(&path, self.epoch)?,
            None => Base::default(),
        };
        let (entries, damaged_lines) = self.changes_after(0)?;
        Ok(Replay {
            base,
            had_base,
            entries,
            damaged_lines,
            last: self.position(),
        })
    }

    /// Begin a new epoch whose base is `base` (after a restore, or to compact the log).
    /// The base is durable before the new log exists, so the newest log always has its
    /// base. Returns the new epoch's position (no changes yet).
    pub fn start_epoch(&mut self, base: &Base, when: DateTime<Utc>) -> Result<Position> {
        let next = self.epoch + 1;
        base::write(&self.dir.join(base_name(next)), next, base, when)?;
        self.open_epoch(next)
    }

    /// [`Journal::start_epoch`] with a base too big to hold at once: its check-ins and
    /// preferences, and its cycles handed over one at a time, in id order, by `cycles`.
    pub fn start_epoch_streamed(
        &mut self,
        checkins: &std::collections::BTreeMap<chrono::NaiveDate, [u8; 6]>,
        prefs: &std::collections::BTreeMap<String, serde_json::Value>,
        cycles: impl FnOnce(&mut dyn FnMut(&crate::cycle::Cycle) -> Result<()>) -> Result<()>,
        when: DateTime<Utc>,
    ) -> Result<Position> {
        let next = self.epoch + 1;
        let path = self.dir.join(base_name(next));
        base::write_streamed(&path, next, when, checkins, prefs, cycles)?;
        self.open_epoch(next)
    }

    /// Begin epoch `next`, whose base is written already.
    fn open_epoch(&mut self, next: u64) -> Result<Position> {
        let path = self.dir.join(log_name(next));
        let file = OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(format!("could not create {}", path.display()), e))?;
        make_private(&path)
            .and_then(|()| file.sync_all())
            .and_then(|()| sync_folder(&self.dir))
            .map_err(|e| Error::io("could not start a new epoch of the recovery journal", e))?;
        let old = self.epoch;
        self.epoch = next;
        self.last = 0;
        self.length = 0;
        self.before_last = None;
        self.file = file;
        // Keep the epoch before as a spare; older ones are covered twice over.
        if old > 1 {
            let _ = std::fs::remove_file(self.dir.join(log_name(old - 1)));
            let _ = std::fs::remove_file(self.dir.join(base_name(old - 1)));
        }
        Ok(self.position())
    }
}

/// Split a change into the parts that each fit a line.
fn split(change: Change) -> Vec<Change> {
    match change {
        Change::PutCycles(cycles) if cycles.len() > CYCLES_PER_LINE => cycles
            .chunks(CYCLES_PER_LINE)
            .map(|part| Change::PutCycles(part.to_vec()))
            .collect(),
        other => vec![other],
    }
}

/// The highest epoch with a log in `dir`.
fn current_epoch(dir: &Path) -> Result<Option<u64>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::io(format!("could not read {}", dir.display()), e))?;
    Ok(entries
        .flatten()
        .filter_map(|e| epoch_of(&e.file_name().to_string_lossy(), "log-", ".jsonl"))
        .max())
}

/// The last whole, readable line of the log: its sequence number and where it ends.
fn last_whole_line(file: &mut File, epoch: u64) -> Result<(u64, u64)> {
    let size = file
        .metadata()
        .map_err(|e| Error::io("could not read the recovery journal", e))?
        .len();
    let mut window = TAIL_BYTES;
    let mut from = size.saturating_sub(window);
    loop {
        let mut tail = Vec::new();
        file.seek(SeekFrom::Start(from))
            .and_then(|_| file.read_to_end(&mut tail))
            .map_err(|e| Error::io("could not read the recovery journal", e))?;
        // Walk back over whole lines until one reads: a torn or damaged end is skipped.
        let mut end = tail.len();
        while let Some(newline) = tail[..end].iter().rposition(|&b| b == b'\n') {
            let start = tail[..newline]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let whole_line = start > 0 || from == 0;
            if whole_line {
                if let Some(seq) = std::str::from_utf8(&tail[start..newline])
                    .ok()
                    .and_then(line::decode_position)
                    .filter(|at| at.epoch == epoch)
                    .map(|at| at.seq)
                {
                    return Ok((seq, from + newline as u64 + 1));
                }
            }
            end = newline;
            if !whole_line {
                break;
            }
        }
        if from == 0 {
            return Ok((0, 0));
        }
        window = window.saturating_mul(2);
        from = size.saturating_sub(window);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{Cycle, CycleDraft};
    use chrono::NaiveDate;

    fn long_cycles(n: usize) -> Vec<Cycle> {
        let latest = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        (0..n)
            .map(|i| {
                let draft = serde_json::json!({
                    "area": "writing", "attempt": format!("attempt {i}"),
                    "attempted_on": "2026-11-02", "outcome": "partial", "difficulty": 5,
                    "stakes": 2, "effort": 3, "safety": 3,
                    "observation": "a long observation. ".repeat(40),
                });
                let fields = CycleDraft::from_value(draft)
                    .and_then(|d| d.check(latest))
                    .unwrap();
                Cycle::new(fields, Utc::now())
            })
            .collect()
    }

    #[test]
    fn the_last_change_is_found_behind_a_torn_end_even_when_its_line_is_long() {
        let dir = tempfile::tempdir().unwrap();
        let big = Change::PutCycles(long_cycles(300));
        {
            let mut journal = Journal::open(dir.path()).unwrap();
            let at = journal.append(big, Utc::now()).unwrap();
            assert_eq!(at.seq, 1);
            assert!(
                journal.length > 4 * TAIL_BYTES,
                "one line longer than the first read"
            );
        }
        let path = dir.path().join(FOLDER).join(log_name(1));
        let whole = std::fs::metadata(&path)
            .map(|m| m.len())
            .unwrap_or_default();
        // A change cut short by a power cut: never acknowledged, cut off at the next open.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"0badc0de {\"epoch\":1,\"seq\":2,\"at\":\"2026")
            .unwrap();
        drop(file);
        let mut journal = Journal::open(dir.path()).unwrap();
        assert_eq!(journal.position(), Position { epoch: 1, seq: 1 });
        assert_eq!(
            std::fs::metadata(&path)
                .map(|m| m.len())
                .unwrap_or_default(),
            whole
        );
        let small = Change::DeleteCycle(long_cycles(1)[0].id);
        let at = journal.append(small, Utc::now()).unwrap();
        assert_eq!(at.seq, 2);
        drop(journal);
        let journal = Journal::open(dir.path()).unwrap();
        assert_eq!(journal.position(), Position { epoch: 1, seq: 2 });
        assert_eq!(
            journal
                .changes_after(0)
                .map(|(e, _)| e.len())
                .unwrap_or_default(),
            2
        );
    }
}
