//! The store: Rebound's embedded sled database, and the only module that talks to sled.
//!
//! Five trees, fixed: `cycles` (id → versioned cycle), `by_date` (day ++ id → ()),
//! `by_area` (folded area ++ 0 ++ id → ()), `meta` (schema version, `pref:` preferences)
//! and `checkins` (resilience check-ins, see checkins.rs). A cycle and its
//! index entries always change together in one transaction. Every write is flushed to
//! disk before it returns, so a cycle the person saw saved survives a crash.
//!
//! One process at a time: a lock file is taken before sled opens, so a second window or
//! a CLI command gets a clear "already open" error. No Tauri types here.

mod areas;
mod checkins;
mod codec;
mod keys;
mod prefs;
mod schema;

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};

use crate::cycle::{Cycle, CycleFields, CycleId};
use crate::error::{Error, Result};

pub use schema::SCHEMA_CURRENT;

/// Folder (inside the data folder) that holds sled's files.
const DB_FOLDER: &str = "db";
/// File whose exclusive lock marks the data folder as in use.
const LOCK_FILE: &str = "rebound.lock";
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
    _lock: Arc<File>,
}

/// The decoded cycles and the write generation they belong to.
#[derive(Default)]
struct Snapshot {
    generation: u64,
    cycles: Option<Arc<Vec<Cycle>>>,
}

/// One area of practice and how many cycles it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaSummary {
    pub name: String,
    pub cycles: usize,
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
        let lock = take_folder_lock(dir)?;
        let db_path = dir.join(DB_FOLDER);
        let config = sled::Config::new()
            .path(&db_path)
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
            _lock: Arc::new(lock),
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

    /// Every cycle, in id order, decoded once and shared by every reader until the next
    /// write: Today, search, lessons and the charts all read the same snapshot.
    pub fn snapshot(&self) -> Result<Arc<Vec<Cycle>>> {
        let generation = {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(cycles) = &cache.cycles {
                return Ok(Arc::clone(cycles));
            }
            cache.generation
        };
        let cycles = Arc::new(self.all_by_id()?);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        // A write since the read started makes this snapshot stale: use it, don't keep it.
        if cache.generation == generation {
            cache.cycles = Some(Arc::clone(&cycles));
        }
        Ok(cycles)
    }

    /// Drop the shared snapshot; called by every write.
    fn invalidate(&self) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.generation += 1;
        cache.cycles = None;
    }

    /// Store a new cycle made from checked fields, flush, and return it.
    pub fn create(&self, fields: CycleFields, now: DateTime<Utc>) -> Result<Cycle> {
        let mut fields = fields;
        fields.area = self.canonical_area(&fields.area)?;
        let cycle = Cycle::new(fields, now);
        self.write(None, &cycle)?;
        self.flush()?;
        Ok(cycle)
    }

    /// Store several new cycles in one transaction (all or none), flush, return them.
    pub fn create_many(&self, all: Vec<CycleFields>, now: DateTime<Utc>) -> Result<Vec<Cycle>> {
        let mut cycles = Vec::with_capacity(all.len());
        for mut fields in all {
            fields.area = self.canonical_area_among(&fields.area, &cycles)?;
            cycles.push(Cycle::new(fields, now));
        }
        self.insert_all(&cycles)?;
        self.flush()?;
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
        self.write(Some(&old), &cycle)?;
        self.flush()?;
        Ok(cycle)
    }

    /// Delete cycle `id`, flush, and return what was deleted (so it can be put back).
    pub fn delete(&self, id: CycleId) -> Result<Cycle> {
        self.invalidate();
        let key = keys::cycle_key(id);
        let removed = (&self.cycles, &self.by_date, &self.by_area)
            .transaction(|(cycles, by_date, by_area)| {
                let Some(bytes) = cycles.remove(&key)? else {
                    return Err(ConflictableTransactionError::Abort(Error::NotFound(
                        id.to_string(),
                    )));
                };
                let old = codec::decode(&bytes).map_err(ConflictableTransactionError::Abort)?;
                by_date.remove(&keys::date_key(old.fields.attempted_on, id))?;
                by_area.remove(keys::area_key(&old.fields.area, id))?;
                Ok(old)
            })
            .map_err(transaction_error)?;
        self.flush()?;
        Ok(removed)
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
        self.insert_all(&fresh)?;
        self.flush()?;
        Ok(report)
    }

    /// Return cycle `id`, if stored.
    pub fn get(&self, id: CycleId) -> Result<Option<Cycle>> {
        match self.cycles.get(keys::cycle_key(id)).map_err(storage)? {
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
        for key in self.cycles.iter().keys() {
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
        for key in self.by_date.iter().keys().rev().skip(offset).take(limit) {
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
        self.cycles
            .iter()
            .values()
            .map(|bytes| codec::decode(&bytes.map_err(storage)?))
            .collect()
    }

    /// How many cycles are stored.
    pub fn count(&self) -> usize {
        self.cycles.len()
    }

    /// Every area with its number of cycles, most used first, then by name.
    pub fn areas(&self) -> Result<Vec<AreaSummary>> {
        let mut groups: BTreeMap<Vec<u8>, (CycleId, usize)> = BTreeMap::new();
        for key in self.by_area.iter().keys() {
            let key = key.map_err(storage)?;
            let Some((prefix, id)) = keys::split_area_key(&key) else {
                continue;
            };
            groups
                .entry(prefix.to_vec())
                .and_modify(|(_, n)| *n += 1)
                .or_insert((id, 1));
        }
        let mut areas = Vec::with_capacity(groups.len());
        for (first, cycles) in groups.into_values() {
            if let Some(cycle) = self.get(first)? {
                areas.push(AreaSummary {
                    name: cycle.fields.area,
                    cycles,
                });
            }
        }
        areas.sort_by(|a, b| b.cycles.cmp(&a.cycles).then_with(|| a.name.cmp(&b.name)));
        Ok(areas)
    }

    /// The spelling already used for `area`, ignoring case; `area` itself when new.
    fn canonical_area(&self, area: &str) -> Result<String> {
        let first = self
            .by_area
            .scan_prefix(keys::area_prefix(area))
            .keys()
            .next();
        let Some(key) = first.transpose().map_err(storage)? else {
            return Ok(area.to_string());
        };
        let stored = keys::split_area_key(&key).map(|(_, id)| id);
        match stored.map(|id| self.get(id)).transpose()?.flatten() {
            Some(cycle) => Ok(cycle.fields.area),
            None => Ok(area.to_string()),
        }
    }

    fn canonical_area_among(&self, area: &str, pending: &[Cycle]) -> Result<String> {
        let folded = keys::area_fold(area);
        match pending
            .iter()
            .find(|c| keys::area_fold(&c.fields.area) == folded)
        {
            Some(cycle) => Ok(cycle.fields.area.clone()),
            None => self.canonical_area(area),
        }
    }

    /// Write one cycle and its index entries, replacing `old` if given.
    fn write(&self, old: Option<&Cycle>, cycle: &Cycle) -> Result<()> {
        self.invalidate();
        let value = codec::encode(cycle)?;
        (&self.cycles, &self.by_date, &self.by_area)
            .transaction(|(cycles, by_date, by_area)| {
                if let Some(old) = old {
                    by_date.remove(&keys::date_key(old.fields.attempted_on, old.id))?;
                    by_area.remove(keys::area_key(&old.fields.area, old.id))?;
                }
                cycles.insert(&keys::cycle_key(cycle.id), value.as_slice())?;
                by_date.insert(&keys::date_key(cycle.fields.attempted_on, cycle.id), &[])?;
                by_area.insert(keys::area_key(&cycle.fields.area, cycle.id), &[])?;
                Ok(())
            })
            .map_err(transaction_error)
    }

    /// Insert new cycles and their index entries, all in one transaction.
    fn insert_all(&self, cycles: &[Cycle]) -> Result<()> {
        if cycles.is_empty() {
            return Ok(());
        }
        self.invalidate();
        let encoded: Vec<(&Cycle, Vec<u8>)> = cycles
            .iter()
            .map(|c| codec::encode(c).map(|v| (c, v)))
            .collect::<Result<_>>()?;
        (&self.cycles, &self.by_date, &self.by_area)
            .transaction(|(t_cycles, t_date, t_area)| {
                for (cycle, value) in &encoded {
                    t_cycles.insert(&keys::cycle_key(cycle.id), value.as_slice())?;
                    t_date.insert(&keys::date_key(cycle.fields.attempted_on, cycle.id), &[])?;
                    t_area.insert(keys::area_key(&cycle.fields.area, cycle.id), &[])?;
                }
                Ok(())
            })
            .map_err(transaction_error)
    }
}

fn take_folder_lock(dir: &Path) -> Result<File> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(format!("could not open {}", path.display()), e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(Error::AlreadyOpen {
            path: dir.to_path_buf(),
        }),
        Err(TryLockError::Error(e)) => {
            Err(Error::io(format!("could not lock {}", path.display()), e))
        }
    }
}

/// Open sled, waiting out its own lock for a moment: with our folder lock held, a busy
/// sled lock can only be a previous handle of this process still shutting down (sled
/// releases it from a background thread after the last handle is dropped).
fn open_sled(config: &sled::Config, dir: &Path) -> Result<sled::Db> {
    let mut attempts = 0;
    loop {
        // sled 0.34 can panic on some damaged files instead of returning an error;
        // a damaged database must give a message, not a crash.
        match catch_unwind(AssertUnwindSafe(|| config.open())) {
            Ok(Ok(db)) => return Ok(db),
            Ok(Err(e)) => {
                let error = open_error(dir, &e);
                attempts += 1;
                if !matches!(error, Error::AlreadyOpen { .. }) || attempts >= SLED_LOCK_ATTEMPTS {
                    return Err(error);
                }
                std::thread::sleep(SLED_LOCK_PAUSE);
            }
            Err(_) => {
                return Err(Error::Unopenable {
                    path: dir.to_path_buf(),
                    reason: "the database files are damaged".to_string(),
                })
            }
        }
    }
}

fn open_error(dir: &Path, e: &sled::Error) -> Error {
    let reason = e.to_string();
    // Our lock file should always catch a second Rebound first; sled's own lock is the
    // backstop (another program holding the folder).
    if reason.contains("could not acquire lock") {
        Error::AlreadyOpen {
            path: dir.to_path_buf(),
        }
    } else {
        Error::Unopenable {
            path: dir.to_path_buf(),
            reason,
        }
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
