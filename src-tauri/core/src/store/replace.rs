//! Whole-database changes (a restore, starting again from a backup). They never edit
//! the live database: the new content goes into a fresh sled folder beside it, flushed
//! and synced, and only then does the pointer file switch to it.

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;

use super::folder::{fresh_folder_name, live_folder, point_to, take_folder_lock, DAMAGED_PREFIX};
use super::{codec, keys, schema, storage, Store};
use crate::cycle::Cycle;
use crate::error::{Error, Result};

impl Store {
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
    pub(super) fn load(&self, cycles: &[Cycle]) -> Result<()> {
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
}
