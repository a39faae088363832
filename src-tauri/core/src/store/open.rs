//! Opening a data folder, in an order that never loses or damages anything:
//!
//! 1. make the folder (private) and take its lock;
//! 2. open the recovery journal (a torn last line, never acknowledged, is cut off);
//! 3. find the live sled folder; a missing one is a new start only if the journal has
//!    never held anything — otherwise it is damage to recover from, never an empty app;
//! 4. open sled in place if the folder is exactly as Rebound last closed it, otherwise
//!    through a copy (see `clean`), so sled never rewrites files it cannot read;
//! 5. bring sled level with the journal: replay the changes it missed, or rebuild it
//!    from the journal when it belongs to an older epoch.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::Utc;

use super::engine::Engine;
use super::folder::{
    copy_folder, fresh_folder_name, live_folder, point_to, remove_stale_folders, take_folder_lock,
};
use super::recorded::{applied, set_applied};
use super::{clean, schema, summaries, Shared, Store};
use crate::error::{Error, Result};
use crate::files::create_private_folder;
use crate::journal::{Journal, Position};

/// A data folder this process holds the lock of, not opened yet: step 1 done. The
/// window takes the lock first (to know at once whether another Rebound has the data)
/// and opens the rest while its page loads.
pub struct Locked {
    dir: PathBuf,
    lock: File,
}

impl Locked {
    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Open the database in the locked folder (steps 2 to 5); see [`Store::open`].
    pub fn open(self) -> Result<Store> {
        Store::open_locked(self)
    }
}

impl Store {
    /// Open (or create) the Rebound database in `dir`.
    ///
    /// Fails with [`Error::AlreadyOpen`] when another Rebound holds the folder, with
    /// [`Error::FutureSchema`] when a newer Rebound wrote it, and with
    /// [`Error::Unopenable`] when its database cannot be read (nothing in it is changed
    /// then; `rebound recover` rebuilds it). Never panics on bad data.
    pub fn open(dir: &Path) -> Result<Store> {
        Store::lock(dir)?.open()
    }

    /// Make the data folder `dir` (private) if needed and take its lock, without opening
    /// anything in it: [`Error::AlreadyOpen`] when another Rebound holds it.
    pub fn lock(dir: &Path) -> Result<Locked> {
        create_private_folder(dir).map_err(|e| {
            // Only once making it failed: every open goes through here.
            match dir.ancestors().find(|p| p.is_file()) {
                Some(file) => Error::Usage(format!(
                    "the data folder {} cannot be used: {} is a file, not a folder; give \
                     Rebound a folder for its data (--data-dir, or REBOUND_DATA_DIR)",
                    dir.display(),
                    file.display()
                )),
                None => Error::io(
                    format!("could not create the data folder {}", dir.display()),
                    e,
                ),
            }
        })?;
        let lock = take_folder_lock(dir)?;
        Ok(Locked {
            dir: dir.to_path_buf(),
            lock,
        })
    }

    fn open_locked(locked: Locked) -> Result<Store> {
        let Locked { dir, lock } = locked;
        let dir = dir.as_path();
        let journal = Journal::open(dir)?;
        let shared = Arc::new(Shared {
            dir: dir.to_path_buf(),
            journal: Mutex::new(journal),
            _lock: lock,
        });
        let live = live_folder(dir)?;
        if !dir.join(&live).exists() && Journal::has_history(dir) {
            return Err(Error::Unopenable {
                path: dir.to_path_buf(),
                reason: format!("its database folder {live} is missing"),
            });
        }
        let (live, engine, copied) = open_live(dir, &live)?;
        let store = Store::with_engine(engine, Arc::clone(&shared));
        schema::prepare(store.t(), dir)?;
        // Before catching up: a compaction moves the marker without changing a cycle,
        // and a replay notes the cycles it changes.
        summaries::note_pack(store.t(), dir, &mut store.engine.pack());
        let mut store = store.catch_up()?;
        if copied {
            store = store.checked_against_journal()?;
        }
        remove_stale_folders(dir, &store.live_name().unwrap_or(live));
        Ok(store)
    }

    pub(super) fn with_engine(engine: Engine, shared: Arc<Shared>) -> Store {
        Store {
            engine: Arc::new(engine),
            cache: Arc::default(),
            shared,
        }
    }

    /// The name of this store's sled folder inside the data folder.
    pub(super) fn live_name(&self) -> Option<String> {
        self.engine
            .folder()
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
    }

    /// Bring sled level with the journal, and compact the journal when it has grown
    /// long. Returns the store to use (a new one when sled had to be rebuilt).
    fn catch_up(self) -> Result<Store> {
        let had = applied(self.t())?;
        let (at, history) = {
            let journal = self.journal();
            (journal.position(), Journal::has_history(self.dir()))
        };
        let store = match had {
            // Made before the journal existed, or brand new: the journal starts from
            // what sled holds.
            None if !history => {
                if !self.is_empty() || !self.t().checkins.is_empty() {
                    self.start_epoch()?;
                } else {
                    set_applied(self.t(), at)?;
                    self.flush()?;
                }
                self
            }
            Some(done) if done == at => self,
            Some(done) if done.epoch == at.epoch && done.seq < at.seq => {
                self.replay_after(done.seq)?;
                self
            }
            // sled is ahead of the journal (its newest lines were lost): the journal
            // starts again from what sled holds, which is at least as new.
            Some(done) if done > at => {
                self.start_epoch()?;
                self
            }
            // sled belongs to an older epoch (a restore was cut short after the new
            // base was written) or has no position while the journal has history:
            // rebuild sled from the journal.
            _ => self.rebuilt()?,
        };
        if store.journal().wants_compaction() {
            store.start_epoch()?;
        }
        Ok(store)
    }

    /// Start a new journal epoch from what this store holds.
    pub(super) fn start_epoch(&self) -> Result<Position> {
        // The cycles stream from sled into the base: a large journal compacts in
        // bounded memory.
        let at = self.write_epoch_base()?;
        set_applied(self.t(), at)?;
        self.flush()?;
        Ok(at)
    }
}

/// Folders not closed cleanly are kept a while after their copy opened, under this
/// prefix (the newest few), in case the copy lost something sled could not read.
const UNCLEAN_PREFIX: &str = "unclean-";
/// How many of them are kept.
const UNCLEAN_KEPT: usize = 2;

/// Move the folder `live` of `dir`, which was not closed cleanly and whose copy is now
/// live, aside as it is; remove the oldest such folders beyond [`UNCLEAN_KEPT`].
fn keep_aside(dir: &Path, live: &str) {
    let aside = format!(
        "{UNCLEAN_PREFIX}{live}-{}",
        Utc::now().format("%Y%m%dT%H%M%S%3f")
    );
    if std::fs::rename(dir.join(live), dir.join(aside)).is_err() {
        return; // it stays where it is and goes with the other stale folders
    }
    let _ = crate::files::sync_folder(dir);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut kept: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with(UNCLEAN_PREFIX))
        .collect();
    // The names end with the time they were set aside, so name order is time order.
    kept.sort_by_key(|name| name.rsplit('-').next().map(str::to_string));
    let extra = kept.len().saturating_sub(UNCLEAN_KEPT);
    for old in &kept[..extra] {
        let _ = std::fs::remove_dir_all(dir.join(old));
    }
}

/// Open the live sled folder `live` of `dir`: in place when it is as Rebound closed it,
/// otherwise through a copy that becomes the live folder if sled can read it. Returns
/// the name of the folder opened, and whether it is such a copy.
fn open_live(dir: &Path, live: &str) -> Result<(String, Engine, bool)> {
    let folder = dir.join(live);
    if let Some(durable) = clean::closed_cleanly(&folder)? {
        clean::mark_open(&folder)?;
        // sled writes to its log even when an open fails for want of space, so a
        // failed open here leaves the folder to be opened through a copy next time.
        return Engine::open_clean(dir, &folder, durable)
            .map(|engine| (live.to_string(), engine, false));
    }
    let name = fresh_folder_name();
    let copy = dir.join(&name);
    copy_folder(&folder, &copy)?;
    match Engine::open(dir, &copy) {
        Ok(engine) => {
            point_to(dir, &name)?;
            keep_aside(dir, live);
            Ok((name, engine, true))
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&copy);
            // The live folder itself is as it was: sled only ever saw the copy.
            Err(e)
        }
    }
}
