//! One open sled database (one folder): its trees, and closing it so that the next
//! open can tell it was closed cleanly. Closing runs on a thread of its own with a time
//! limit: sled's last flush loops for ever when the disk is full, and a command must
//! still end (and let go of the data folder) within seconds.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::clean;
use super::folder::{open_sled, remove_unfinished_snapshots};
use super::pack::Tracker;
use super::storage;
use crate::error::Result;
use crate::files::make_folder_private;

/// sled's page cache. Its default is 1 GiB, far more than a journal needs. Reading one
/// area's cycles touches nearly every leaf, so the window keeps about this much (and
/// more, as sled counts pages by their size on disk) from its first New attempt on:
/// 16 MiB held 22 MiB less there than 64 MiB at 100,000 cycles, and batch logging and
/// restoring ran no slower at 100,000 to 400,000 (docs/performance.md).
const CACHE_BYTES: u64 = 16 * 1024 * 1024;
/// How long a close may take before the process goes on without it (the data is in
/// the recovery journal already; the next open then treats the close as unclean).
const CLOSE_WAIT: Duration = Duration::from_secs(5);
/// How long to wait for sled's background threads to let go of its files.
const RELEASE_WAIT: Duration = Duration::from_secs(3);

/// sled's handles: the database and its fixed trees.
pub(super) struct Handles {
    pub db: sled::Db,
    pub cycles: sled::Tree,
    /// Each area's one spelling, by its folded name (see areas.rs).
    pub areas: sled::Tree,
    pub meta: sled::Tree,
    pub checkins: sled::Tree,
}

/// An open sled folder. Dropping the last reference closes it.
pub(super) struct Engine {
    handles: Option<Handles>,
    folder: PathBuf,
    /// The data folder it is in.
    dir: PathBuf,
    /// What this database knows of the summaries' pack (see pack.rs).
    pack: Mutex<Tracker>,
    /// Set when sled may hold something the journal does not (a batch that failed
    /// half-applied and could not be removed again): its close is then not recorded as
    /// clean, so the next open checks it against the journal.
    distrusted: AtomicBool,
    /// Its files as they were last made durable, when it was opened in place after a
    /// clean close (see `clean`): closing fsyncs only what changed since.
    durable: Option<clean::Durable>,
}

impl Engine {
    /// Open sled in `folder` (inside the data folder `dir`, for messages).
    pub fn open(dir: &Path, folder: &Path) -> Result<Engine> {
        remove_unfinished_snapshots(folder)?;
        let config = sled::Config::new()
            .path(folder)
            .cache_capacity(CACHE_BYTES)
            .mode(sled::Mode::LowSpace);
        let db = open_sled(&config, dir)?;
        let tree = |name: &str| db.open_tree(name).map_err(storage);
        let handles = Handles {
            cycles: tree("cycles")?,
            areas: tree("areas")?,
            meta: tree("meta")?,
            checkins: tree("checkins")?,
            db,
        };
        // sled makes its files with the process's umask; the journal is private.
        let _ = make_folder_private(folder);
        Ok(Engine {
            handles: Some(handles),
            folder: folder.to_path_buf(),
            dir: dir.to_path_buf(),
            pack: Mutex::default(),
            distrusted: AtomicBool::new(false),
            durable: None,
        })
    }

    /// Open sled in place in a folder found as it was at its last clean close.
    pub fn open_clean(dir: &Path, folder: &Path, durable: clean::Durable) -> Result<Engine> {
        let mut engine = Engine::open(dir, folder)?;
        engine.durable = Some(durable);
        Ok(engine)
    }

    pub fn handles(&self) -> &Handles {
        match &self.handles {
            Some(handles) => handles,
            // Only `drop` takes them, and nothing can call this after it.
            None => unreachable!("sled's handles are only taken when the engine drops"),
        }
    }

    /// The sled folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// What this database knows of the summaries' pack.
    pub fn pack(&self) -> MutexGuard<'_, Tracker> {
        self.pack.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Never record this database's close as clean (see `distrusted`).
    pub fn distrust(&self) {
        self.distrusted.store(true, Ordering::SeqCst);
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let Some(handles) = self.handles.take() else {
            return;
        };
        // Cycles changed: bring the pack up to date now, so the next start (the
        // window's, after a command-line `log` or import) reads it whole. A database
        // not to be trusted may be rebuilt at the same marker: no pack then.
        if self.distrusted.load(Ordering::SeqCst) {
            let _ = std::fs::remove_file(self.dir.join(super::pack::FILE));
        } else {
            super::summaries::pack_at_close(&handles, &self.dir, &self.pack());
        }
        // A close counts as clean only if sled could still write everything: after an
        // I/O error (a full disk) its files may hold less than it acknowledged to us, so
        // the next open must go through a copy and check it against the journal.
        let flushed = handles.db.flush().is_ok() && !self.distrusted.load(Ordering::SeqCst);
        let folder = self.folder.clone();
        let durable = self.durable.take();
        let (done, finished) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("rebound-close".into())
            .spawn(move || {
                // sled flushes what is left as its handles drop, and lets go of its
                // files from its own threads a moment later.
                drop(handles);
                // The record must never outlive the data it describes: sled's files are
                // fsync'd first (those changed since they were last made durable; sled's
                // own last flush does not fsync), so a record that survives a power cut
                // always describes files that did too.
                let ready = released(&folder) && flushed && make_folder_private(&folder).is_ok();
                if ready {
                    if let Err(e) = clean::sync_and_mark_closed(&folder, durable.as_ref()) {
                        eprintln!("rebound: the database did not close cleanly: {e}");
                    }
                }
                let _ = done.send(());
            });
        if spawned.is_ok() {
            let _ = finished.recv_timeout(CLOSE_WAIT);
        }
    }
}

/// Wait until sled's threads have let go of its files (sled holds a lock on its `db`
/// file while any are running).
fn released(folder: &Path) -> bool {
    let deadline = Instant::now() + RELEASE_WAIT;
    loop {
        let free = File::open(folder.join("db")).is_ok_and(|file| file.try_lock().is_ok());
        if free {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
