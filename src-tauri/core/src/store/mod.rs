//! The store: Rebound's embedded sled database, and the only module that talks to sled.
//!
//! Five trees, fixed: `cycles` (id → versioned cycle), `by_date` (day ++ id → ()),
//! `by_area` (folded area ++ 0 ++ id → ()), `meta` (schema version, `pref:` preferences)
//! and `checkins` (resilience check-ins, see checkins.rs). A cycle and its
//! index entries always change together in one transaction. Every write is flushed to
//! disk before it returns, so a cycle the person saw saved survives a crash.
//!
//! One process at a time: a lock file is taken before sled opens, so a second window or
//! a CLI command gets a clear "already open" error.
//!
//! Whole-database changes (a restore) never edit the live database: the new content is
//! written into a fresh sled folder beside it, flushed, and then the small pointer file
//! `current-db` is switched to it atomically. A kill at any moment leaves the pointer
//! naming either the old folder or the complete new one. No Tauri types here.

mod areas;
mod checkins;
mod codec;
mod cycles;
mod folder;
mod keys;
mod prefs;
mod replace;
mod schema;
mod snapshot;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use sled::transaction::TransactionError;

use crate::cycle::CycleId;
use crate::error::{Error, Result};

pub use areas::AreaSummary;
pub use prefs::Pref;
pub use schema::SCHEMA_CURRENT;

use folder::{
    live_folder, open_sled, remove_stale_folders, remove_unfinished_snapshots, take_folder_lock,
};
use snapshot::Snapshot;

/// sled's page cache. Its default is 1 GiB, far more than a journal needs.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// How often, and how far apart, to retry sled's own lock (see `open_sled`).
const SLED_LOCK_ATTEMPTS: u32 = 40;
const SLED_LOCK_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// An open Rebound database. Cheap to clone; every clone shares one sled instance and
/// the folder lock, which is released when the last clone is dropped.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    cycles: sled::Tree,
    by_date: sled::Tree,
    by_area: sled::Tree,
    meta: sled::Tree,
    /// Every cycle, decoded once and shared until the next write (see `snapshot`).
    cache: Arc<Mutex<Snapshot>>,
    /// Resilience check-ins (see checkins.rs); not part of backups yet.
    checkins: sled::Tree,
    /// The data folder (not sled's folder inside it).
    dir: PathBuf,
    _lock: Arc<File>,
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
    Error::Storage(e.to_string())
}

fn transaction_error(e: TransactionError<Error>) -> Error {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => storage(e),
    }
}

impl Store {
    /// Open (or create) the Rebound database in `dir`.
    ///
    /// Fails with [`Error::AlreadyOpen`] when another Rebound holds the folder, with
    /// [`Error::FutureSchema`] when a newer Rebound wrote it, and with
    /// [`Error::Unopenable`] when sled cannot read it. Never panics on bad data.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::io(
                format!("could not create the data folder {}", dir.display()),
                e,
            )
        })?;
        let lock = Arc::new(take_folder_lock(dir)?);
        let live = live_folder(dir)?;
        let store = Store::open_folder(dir, &live, lock)?;
        remove_stale_folders(dir, &live);
        Ok(store)
    }

    /// Open the sled folder `name` inside the data folder `dir`, with the folder lock
    /// already held.
    pub(super) fn open_folder(dir: &Path, name: &str, lock: Arc<File>) -> Result<Store> {
        remove_unfinished_snapshots(&dir.join(name))?;
        let config = sled::Config::new()
            .path(dir.join(name))
            .cache_capacity(CACHE_BYTES)
            .mode(sled::Mode::LowSpace);
        let db = open_sled(&config, dir)?;
        let tree = |name: &str| db.open_tree(name).map_err(storage);
        let store = Store {
            cycles: tree("cycles")?,
            by_date: tree("by_date")?,
            by_area: tree("by_area")?,
            meta: tree("meta")?,
            cache: Arc::default(),
            checkins: tree("checkins")?,
            db,
            dir: dir.to_path_buf(),
            _lock: lock,
        };
        schema::prepare(&store.meta, store.cycles.is_empty(), dir)?;
        store.flush()?;
        Ok(store)
    }

    /// Make every write so far durable (sled fsyncs the log) before returning. Every
    /// write ends with a flush, so this is also where the shared snapshot is dropped.
    pub fn flush(&self) -> Result<()> {
        self.invalidate();
        self.db.flush().map(|_| ()).map_err(storage)
    }

    /// How many cycles are stored.
    pub fn count(&self) -> usize {
        self.cycles.len()
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
        let stamp = store.meta.get(b"schema_version").unwrap().unwrap();
        assert_eq!(stamp.as_ref(), SCHEMA_CURRENT.to_be_bytes());
    }

    #[test]
    fn a_database_from_a_newer_rebound_is_refused_and_left_alone() {
        let dir = temp();
        {
            let store = Store::open(dir.path()).unwrap();
            schema::write(&store.meta, SCHEMA_CURRENT + 1).unwrap();
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
                .cycles
                .insert(b"not a cycle", b"x".as_slice())
                .unwrap();
            store.meta.remove(b"schema_version").unwrap();
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
            .cycles
            .insert([7u8; 16], b"\x01{not json".as_slice())
            .unwrap();
        let err = store.all_by_id().unwrap_err();
        assert_eq!(err.kind(), "corrupt");
    }
}
