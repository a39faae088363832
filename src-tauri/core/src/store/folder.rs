//! The data folder's life: its lock, which sled folder is live (the `current-db`
//! pointer), switching the pointer atomically, clearing away folders a restore left,
//! and opening sled without letting a damaged file crash the process.

use std::fs::{File, OpenOptions, TryLockError};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Utc;

use super::{SLED_LOCK_ATTEMPTS, SLED_LOCK_PAUSE};
use crate::error::{Error, Result};

/// Folder (inside the data folder) that holds sled's files when no restore has ever
/// switched it; after one, `current-db` names the live folder.
pub(super) const DB_FOLDER: &str = "db";
/// File naming the live database folder. Written atomically; absent means `db`.
pub(super) const CURRENT_FILE: &str = "current-db";
/// Prefix of the folders a restore writes; any of them not named by `current-db` is an
/// unfinished or replaced one and is removed at open.
pub(super) const DB_FOLDER_PREFIX: &str = "db-";
/// Prefix a damaged database folder is renamed to when the person starts again from a
/// backup. Never removed by Rebound.
pub(super) const DAMAGED_PREFIX: &str = "damaged-";
/// File whose exclusive lock marks the data folder as in use.
pub(super) const LOCK_FILE: &str = "rebound.lock";
/// The name of the live sled folder in `dir`, from `current-db` (`db` without one).
pub(super) fn live_folder(dir: &Path) -> Result<String> {
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
pub(super) fn point_to(dir: &Path, name: &str) -> Result<()> {
    crate::files::write_atomic(&dir.join(CURRENT_FILE), format!("{name}\n").as_bytes())
}

/// A name for a new database folder that no earlier one has had.
pub(super) fn fresh_folder_name() -> String {
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
pub(super) fn remove_stale_folders(dir: &Path, live: &str) {
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

pub(super) fn take_folder_lock(dir: &Path) -> Result<File> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(format!("could not open {}", path.display()), e))?;
    let _ = crate::files::make_private(&path);
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

/// Copy the sled folder `from` to a new folder `to`, every file fsync'd, so sled can
/// open the copy while the original stays exactly as it was.
pub(super) fn copy_folder(from: &Path, to: &Path) -> Result<()> {
    let copied = (|| -> std::io::Result<()> {
        crate::files::create_private_folder(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                copy_folder(&entry.path(), &target).map_err(std::io::Error::other)?;
            } else if entry.file_name() != super::clean::RECORD {
                std::fs::copy(entry.path(), &target)?;
                crate::files::make_private(&target)?;
                File::open(&target)?.sync_all()?;
            }
        }
        crate::files::sync_folder(to)
    })();
    copied.map_err(|e| {
        let needed = folder_bytes(from).div_ceil(1_000_000) + 1;
        Error::io(
            format!("Rebound opens your data through a copy after an unclean close, and needs about {needed} MB for it"),
            e,
        )
    })
}

/// The bytes of every file in `dir` and below.
fn folder_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => folder_bytes(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
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
pub(super) fn remove_unfinished_snapshots(sled_dir: &Path) -> Result<()> {
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
pub(super) fn open_sled(config: &sled::Config, dir: &Path) -> Result<sled::Db> {
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

pub(super) fn open_error(dir: &Path, e: &sled::Error) -> Error {
    if let sled::Error::Io(io) = e {
        if crate::error::is_disk_full(io) {
            return Error::DiskFull {
                context: "Rebound needs a few MB free on this disk to open your data".into(),
            };
        }
    }
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
