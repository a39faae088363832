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
mod keys;
mod prefs;
mod schema;

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, Transactional};

use crate::cycle::{Cycle, CycleFields, CycleId};
use crate::error::{Error, Result};

pub use schema::SCHEMA_CURRENT;

/// Folder (inside the data folder) that holds sled's files when no restore has ever
/// switched it; after one, `current-db` names the live folder.
const DB_FOLDER: &str = "db";
/// File naming the live database folder. Written atomically; absent means `db`.
const CURRENT_FILE: &str = "current-db";
/// Prefix of the folders a restore writes; any of them not named by `current-db` is an
/// unfinished or replaced one and is removed at open.
const DB_FOLDER_PREFIX: &str = "db-";
/// Prefix a damaged database folder is renamed to when the person starts again from a
/// backup. Never removed by Rebound.
const DAMAGED_PREFIX: &str = "damaged-";
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
    /// The data folder (not sled's folder inside it).
    dir: PathBuf,
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
        let lock = Arc::new(take_folder_lock(dir)?);
        let live = live_folder(dir)?;
        let store = Store::open_folder(dir, &live, lock)?;
        remove_stale_folders(dir, &live);
        Ok(store)
    }

    /// Open the sled folder `name` inside the data folder `dir`, with the folder lock
    /// already held.
    fn open_folder(dir: &Path, name: &str, lock: Arc<File>) -> Result<Store> {
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

    /// Replace every stored cycle with `cycles`, atomically, and return the store to
    /// use from now on (this one keeps reading the old data; drop it).
    ///
    /// The cycles go into a fresh sled folder, which is flushed and synced; only then
    /// does `current-db` switch to it. Until that rename, the old data is live; after
    /// it, all of the new. The old folder is removed at the next open.
    pub fn replace_all(&self, cycles: &[Cycle]) -> Result<Store> {
        let name = fresh_folder_name();
        let staged = self.stage(&name, cycles);
        let staged = match staged {
            Ok(store) => store,
            Err(e) => {
                let _ = std::fs::remove_dir_all(self.dir.join(&name));
                return Err(e);
            }
        };
        point_to(&self.dir, &name)?;
        Ok(staged)
    }

    /// Write `cycles` into a new sled folder `name`, flush it and sync its folder.
    fn stage(&self, name: &str, cycles: &[Cycle]) -> Result<Store> {
        let fresh = Store::open_folder(&self.dir, name, self._lock.clone())?;
        // Anything else kept in `meta` (not the schema stamp) carries over as it is,
        // and so do the resilience check-ins: a restore replaces cycles, nothing more.
        for entry in self.meta.iter() {
            let (key, value) = entry.map_err(storage)?;
            if !schema::is_schema_key(&key) {
                fresh.meta.insert(key, value).map_err(storage)?;
            }
        }
        for entry in self.checkins.iter() {
            let (key, value) = entry.map_err(storage)?;
            fresh.checkins.insert(key, value).map_err(storage)?;
        }
        fresh.load(cycles)?;
        fresh.flush()?;
        let synced = crate::files::sync_folder(&self.dir.join(name))
            .and_then(|()| crate::files::sync_folder(&self.dir));
        synced.map_err(|e| Error::io("could not sync the restored database", e))?;
        Ok(fresh)
    }

    /// Start again from `cycles` when the database in `dir` cannot be opened: the
    /// damaged folder is renamed aside (kept, never deleted) and a new one made.
    pub fn start_again(dir: &Path, cycles: &[Cycle]) -> Result<Store> {
        let lock = Arc::new(take_folder_lock(dir)?);
        let live = live_folder(dir)?;
        // Name the live folder in the pointer first: if the rename below is then cut
        // short, the next start says the folder is missing instead of starting empty.
        point_to(dir, &live)?;
        if dir.join(&live).exists() {
            let aside = format!(
                "{DAMAGED_PREFIX}{live}-{}",
                Utc::now().format("%Y%m%dT%H%M%S")
            );
            std::fs::rename(dir.join(&live), dir.join(&aside))
                .map_err(|e| Error::io("could not move the damaged database aside", e))?;
        }
        let name = fresh_folder_name();
        let fresh = Store::open_folder(dir, &name, lock)?;
        fresh.load(cycles)?;
        fresh.flush()?;
        let synced = crate::files::sync_folder(&dir.join(&name))
            .and_then(|()| crate::files::sync_folder(dir));
        synced.map_err(|e| Error::io("could not sync the restored database", e))?;
        point_to(dir, &name)?;
        Ok(fresh)
    }

    /// Insert whole cycles into an empty, not yet live database, one batch per tree.
    fn load(&self, cycles: &[Cycle]) -> Result<()> {
        let mut by_id = sled::Batch::default();
        let mut by_date = sled::Batch::default();
        let mut by_area = sled::Batch::default();
        for cycle in cycles {
            by_id.insert(&keys::cycle_key(cycle.id), codec::encode(cycle)?);
            by_date.insert(&keys::date_key(cycle.fields.attempted_on, cycle.id), &[]);
            by_area.insert(keys::area_key(&cycle.fields.area, cycle.id), &[]);
        }
        self.cycles.apply_batch(by_id).map_err(storage)?;
        self.by_date.apply_batch(by_date).map_err(storage)?;
        self.by_area.apply_batch(by_area).map_err(storage)
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

/// The name of the live sled folder in `dir`, from `current-db` (`db` without one).
fn live_folder(dir: &Path) -> Result<String> {
    let path = dir.join(CURRENT_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DB_FOLDER.to_string()),
        Err(e) => return Err(Error::io(format!("could not read {}", path.display()), e)),
    };
    let name = text.trim();
    let plain = name == DB_FOLDER
        || (name.starts_with(DB_FOLDER_PREFIX)
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if !plain {
        return Err(Error::Unopenable {
            path: dir.to_path_buf(),
            reason: format!("{CURRENT_FILE} does not name a database folder"),
        });
    }
    if !dir.join(name).is_dir() {
        return Err(Error::Unopenable {
            path: dir.to_path_buf(),
            reason: format!("its database folder {name} is missing"),
        });
    }
    Ok(name.to_string())
}

/// Make `name` the live database folder: an atomic rename of the pointer file.
fn point_to(dir: &Path, name: &str) -> Result<()> {
    crate::files::write_atomic(&dir.join(CURRENT_FILE), format!("{name}\n").as_bytes())
}

/// A name for a new database folder that no earlier one has had.
fn fresh_folder_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{DB_FOLDER_PREFIX}{}-{}-{}",
        Utc::now().format("%Y%m%dT%H%M%S%3f"),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Remove database folders that are not live: ones a restore replaced, and ones a
/// restore was writing when it was interrupted. Their data is in a pre-restore snapshot
/// or was never live. Damaged folders set aside are never touched.
fn remove_stale_folders(dir: &Path, live: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let ours = name == DB_FOLDER || name.starts_with(DB_FOLDER_PREFIX);
        if ours && name != live && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
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

/// Remove snapshot files sled was still writing when its process was killed.
///
/// sled 0.34.7 writes a snapshot (also as a process shuts down) to `snap.<lsn>.generating`
/// and renames it to `snap.<lsn>` once it is whole and synced; but when it opens, it
/// picks the newest file starting with `snap.` without skipping `.generating` ones
/// (config.rs, `get_snapshot_files`). A kill in the middle of a snapshot so left a file
/// that made the next open fail with "Read corrupted data". An unfinished snapshot holds
/// nothing the log does not (older snapshots are only removed after the rename), so it
/// is safe to delete, and only ever done with the folder lock held.
fn remove_unfinished_snapshots(sled_dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(sled_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("could not read the database folder", e)),
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(entry.path())
                .map_err(|e| Error::io("could not remove an unfinished database snapshot", e))?;
        }
    }
    Ok(())
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
