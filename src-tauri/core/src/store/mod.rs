//! The store: Rebound's embedded sled database, and the only module that talks to sled.
//!
//! Four trees, fixed: `cycles` (id → versioned cycle), `areas` (folded area → its one
//! spelling, see areas.rs), `meta` (schema version, journal position, `pref:`
//! preferences) and `checkins` (resilience check-ins, see checkins.rs). Only `cycles`
//! has an entry per cycle: sled keeps a page of its table for every 16 entries or so
//! for as long as it is open, so what the lists, Today and the areas need is read from
//! the cycles' summaries, kept in a file beside the database (summaries.rs, pack.rs).
//! A cycle and the spelling of an area it brings change together in one transaction.
//! Every change is first
//! written to the recovery journal (`crate::journal`) and fsync'd there, and only then
//! applied to sled and acknowledged: a change the person saw saved survives a crash and
//! a power cut, and reopening replays whatever sled had not yet made durable.
//!
//! One process at a time: a lock file is taken before sled opens, so a second window or
//! a CLI command gets a clear "already open" error.
//!
//! Whole-database changes (a restore) never edit the live database: the new content is
//! written into a fresh sled folder beside it, flushed, and then the small pointer file
//! `current-db` is switched to it atomically. A kill at any moment leaves the pointer
//! naming either the old folder or the complete new one. No Tauri types here.

mod areas;
mod batch;
mod checkins;
mod clean;
pub(crate) mod codec;
mod cycles;
mod engine;
mod folder;
mod keys;
mod merged;
mod open;
mod pack;
mod prefs;
mod rebuild;
mod recorded;
mod recover;
mod replace;
mod schema;
mod snapshot;
mod spool;
mod summaries;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use sled::transaction::TransactionError;

use crate::cycle::CycleId;
use crate::error::{is_disk_full, Error, Result};
use crate::journal::Journal;

pub use areas::AreaSummary;
pub use batch::{Batch, Prepared};
pub use merged::Merge;
pub use open::Locked;
pub use prefs::Pref;
pub use recover::RecoveryReport;
pub use replace::EachCycle;
pub use schema::SCHEMA_CURRENT;

use engine::{Engine, Handles};
use snapshot::Snapshot;

/// How often, and how far apart, to retry sled's own lock (see `open_sled`).
const SLED_LOCK_ATTEMPTS: u32 = 40;
const SLED_LOCK_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// An open Rebound database. Cheap to clone; every clone shares one sled instance, the
/// recovery journal and the folder lock, which is released when the last clone drops.
#[derive(Clone)]
pub struct Store {
    engine: Arc<Engine>,
    /// Every cycle, decoded once and shared until the next write (see `snapshot`).
    cache: Arc<Mutex<Snapshot>>,
    shared: Arc<Shared>,
}

/// What every store opened on one data folder shares (a restore opens a second sled
/// folder under the same lock and journal).
struct Shared {
    /// The data folder (not sled's folder inside it).
    dir: PathBuf,
    journal: Mutex<Journal>,
    _lock: File,
}

/// What adding a set of cycles did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AddReport {
    /// Cycles that were not stored before and now are.
    pub added: usize,
    /// Cycles already stored with exactly the same content; nothing changed.
    pub identical: usize,
    /// Ids already stored with different content; the stored version was kept.
    pub kept_existing: Vec<CycleId>,
}

fn storage(e: sled::Error) -> Error {
    if let sled::Error::Io(io) = &e {
        if is_disk_full(io) {
            return Error::DiskFull {
                context: "the database could not grow".into(),
            };
        }
    }
    Error::Storage(e.to_string())
}

fn transaction_error(e: TransactionError<Error>) -> Error {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => storage(e),
    }
}

impl Store {
    /// sled's handles.
    fn t(&self) -> &Handles {
        self.engine.handles()
    }

    /// The recovery journal, for one change at a time.
    fn journal(&self) -> MutexGuard<'_, Journal> {
        self.shared
            .journal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The data folder.
    fn dir(&self) -> &Path {
        &self.shared.dir
    }

    /// Push every write so far to sled's files. Durability does not rest on this (the
    /// recovery journal is fsync'd before anything is acknowledged); it keeps sled close
    /// behind, so reopening replays little.
    pub fn flush(&self) -> Result<()> {
        self.invalidate();
        self.t().db.flush().map(|_| ()).map_err(storage)
    }

    /// How many cycles are stored, from their summaries (sled counts by walking a tree,
    /// which for the cycles would read every one).
    pub fn count(&self) -> Result<usize> {
        Ok(self.summaries()?.len())
    }

    /// Whether no cycle is stored (without counting them).
    pub fn is_empty(&self) -> bool {
        self.t().cycles.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().expect("a temporary folder")
    }

    #[test]
    fn a_new_database_is_stamped_with_the_current_schema() {
        let dir = temp();
        let store = Store::open(dir.path()).unwrap();
        let stamp = store.t().meta.get(b"schema_version").unwrap().unwrap();
        assert_eq!(stamp.as_ref(), SCHEMA_CURRENT.to_be_bytes());
    }

    #[test]
    fn a_database_from_a_newer_rebound_is_refused_and_left_alone() {
        let dir = temp();
        {
            let store = Store::open(dir.path()).unwrap();
            schema::write(&store.t().meta, SCHEMA_CURRENT + 1).unwrap();
            store.flush().unwrap();
        }
        let err = Store::open(dir.path())
            .err()
            .expect("a newer schema is refused");
        assert!(matches!(err, Error::FutureSchema { found, .. } if found == SCHEMA_CURRENT + 1));
        assert!(
            err.to_string().contains("update Rebound to open it"),
            "{err}"
        );
        // Refusing did not rewrite the stamp.
        let err = Store::open(dir.path()).err().expect("still refused");
        assert!(matches!(err, Error::FutureSchema { .. }));
    }

    #[test]
    fn a_database_with_cycles_but_no_stamp_is_not_touched() {
        let dir = temp();
        {
            let store = Store::open(dir.path()).unwrap();
            store
                .t()
                .cycles
                .insert(b"not a cycle", b"x".as_slice())
                .unwrap();
            store.t().meta.remove(b"schema_version").unwrap();
            store.flush().unwrap();
        }
        let err = Store::open(dir.path()).err().expect("refused");
        assert!(matches!(err, Error::Unopenable { .. }), "{err}");
    }

    #[test]
    fn a_damaged_value_is_an_error_not_a_panic() {
        let dir = temp();
        let store = Store::open(dir.path()).unwrap();
        store
            .t()
            .cycles
            .insert([7u8; 16], b"\x01{not json".as_slice())
            .unwrap();
        let err = store.all_by_id().unwrap_err();
        assert_eq!(err.kind(), "corrupt");
    }
}
