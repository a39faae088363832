//! Whether a sled folder is exactly as Rebound left it when it last closed it cleanly.
//!
//! sled, opening a damaged or half-written log, rewrites it (it zeroed 480,550 bytes of
//! one damaged database, then still failed). So Rebound opens a folder in place only
//! when it knows the files are the ones it closed: at a clean close it records each
//! file's size, inode, modification and change times in `rebound-closed-cleanly.json`
//! beside them, and at the next open it checks them and removes the record first (a
//! crash while open then leaves no record). Anything else (a crash, a power cut,
//! another program touching the files) and the folder is opened through a copy, so the
//! original stays byte for byte as it was if sled cannot read it.
//!
//! The limit: damage that changes no file's times (bits rotting on the disk) is not
//! seen here; sled's own checksums catch it when it reads.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::files::{sync_folder, write_atomic};

/// The record of a clean close, inside the sled folder.
pub(super) const RECORD: &str = "rebound-closed-cleanly.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct FileState {
    name: String,
    len: u64,
    ino: u64,
    modified_ns: i128,
    changed_ns: i128,
}

/// What each file in `folder` (and below) looks like now, in name order.
fn states(folder: &Path) -> std::io::Result<Vec<FileState>> {
    let mut found = Vec::new();
    collect(folder, "", &mut found)?;
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

fn collect(dir: &Path, prefix: &str, found: &mut Vec<FileState>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let meta = entry.metadata()?;
        if meta.is_dir() {
            collect(&entry.path(), &format!("{name}/"), found)?;
        } else if name != RECORD {
            found.push(state(name, &meta));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn state(name: String, meta: &std::fs::Metadata) -> FileState {
    use std::os::unix::fs::MetadataExt;
    let ns = |secs: i64, nanos: i64| i128::from(secs) * 1_000_000_000 + i128::from(nanos);
    FileState {
        name,
        len: meta.len(),
        ino: meta.ino(),
        modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
        changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
    }
}

#[cfg(not(unix))]
fn state(name: String, meta: &std::fs::Metadata) -> FileState {
    let ns = |t: std::io::Result<std::time::SystemTime>| {
        t.ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128)
    };
    FileState {
        name,
        len: meta.len(),
        ino: 0,
        modified_ns: ns(meta.modified()),
        changed_ns: ns(meta.created()),
    }
}

/// Record that `folder` was closed cleanly, as it is now.
pub(super) fn mark_closed(folder: &Path) -> Result<()> {
    let now = states(folder).map_err(|e| Error::io("could not read the database folder", e))?;
    let text = serde_json::to_vec(&now)
        .map_err(|e| Error::Storage(format!("could not record a clean close: {e}")))?;
    write_atomic(&folder.join(RECORD), &text)
}

/// Whether `folder` is as it was at its last clean close (true for a folder with no
/// files yet). The record is removed, durably, before this returns.
pub(super) fn was_closed_cleanly(folder: &Path) -> Result<bool> {
    let record = folder.join(RECORD);
    let recorded: Option<Vec<FileState>> = std::fs::read(&record)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let now = match states(folder) {
        Ok(now) => now,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(Error::io("could not read the database folder", e)),
    };
    if record.exists() {
        std::fs::remove_file(&record)
            .and_then(|()| sync_folder(folder))
            .map_err(|e| Error::io("could not mark the database as open", e))?;
    }
    Ok(now.is_empty() || recorded.as_ref() == Some(&now))
}
