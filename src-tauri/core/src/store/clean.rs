//! Whether a sled folder is exactly as Rebound left it when it last closed it cleanly.
//!
//! sled, opening a damaged or half-written log, rewrites it (it zeroed 480,550 bytes of
//! one damaged database, then still failed). So Rebound opens a folder in place only
//! when it knows the files are the ones it closed: at a clean close it records each
//! file's size, inode, modification and change times (and the content of the small
//! ones) in `rebound-closed-cleanly.json`
//! beside them, and at the next open it checks them and, opening in place, marks the
//! record "open" first (a crash while open then leaves no clean record). Anything else (a crash, a power
//! cut, another program touching the files) and the folder is opened through a copy, so
//! the original stays byte for byte as it was if sled cannot read it.
//!
//! The record has a fixed size and is rewritten in place, so marking it needs no new
//! space on the disk: opening and closing still work when the disk is full.
//!
//! The limit: damage that changes no file's times (bits rotting on the disk) is not
//! seen here; sled's own checksums catch it when it reads.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::files::{make_private, sync_folder};

/// The record of a clean close, inside the sled folder.
pub(super) const RECORD: &str = "rebound-closed-cleanly.json";
/// The record's fixed size: room for the states of many files, padded with spaces.
const RECORD_BYTES: usize = 64 * 1024;
/// What the record says while the folder is open.
const OPEN: &[u8] = b"{\"open\": true}";

/// Files this small are compared by content, not by their times: sled rewrites its
/// small `conf` file with the same bytes at every open, which must not count as a change.
const HASHED_BELOW: u64 = 64 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct FileState {
    name: String,
    len: u64,
    ino: u64,
    modified_ns: i128,
    changed_ns: i128,
    #[serde(default)]
    sha256: Option<String>,
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
            let mut found_state = state(name, &meta);
            if meta.len() < HASHED_BELOW {
                let bytes = std::fs::read(entry.path())?;
                found_state.sha256 = Some(format!("{:x}", Sha256::digest(bytes)));
                found_state.ino = 0;
                found_state.modified_ns = 0;
                found_state.changed_ns = 0;
            }
            found.push(found_state);
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
        sha256: None,
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
        sha256: None,
    }
}

/// Write `text`, padded to the record's fixed size, over the record in `folder`, and
/// fsync it. The first time it makes the file (and syncs the folder); after that it
/// rewrites the same blocks, so it needs no free space. A write cut short leaves text
/// that does not parse, which reads as "not closed cleanly": the safe answer.
fn put_record(folder: &Path, text: &[u8], durable: bool) -> std::io::Result<()> {
    if text.len() > RECORD_BYTES {
        return Err(std::io::Error::other("too many files to record"));
    }
    let path = folder.join(RECORD);
    let fresh = !path.exists();
    let mut padded = text.to_vec();
    padded.resize(RECORD_BYTES, b' ');
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    make_private(&path)?;
    file.write_all(&padded)?;
    if durable {
        file.sync_data()?;
        if fresh {
            sync_folder(folder)?;
        }
    }
    Ok(())
}

/// Record that `folder` was closed cleanly, as it is now.
pub(super) fn mark_closed(folder: &Path) -> Result<()> {
    let now = states(folder).map_err(|e| Error::io("could not read the database folder", e))?;
    let text = serde_json::to_vec(&now)
        .map_err(|e| Error::Storage(format!("could not record a clean close: {e}")))?;
    // Not fsync'd: losing it to a power cut only means the next open goes through a
    // copy, and sled's files were fsync'd before it was written.
    put_record(folder, &text, false).map_err(|e| Error::io("could not record a clean close", e))
}

/// Whether `folder` is as it was at its last clean close (true for a folder with no
/// files yet). Only reads.
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
    Ok(now.is_empty() || recorded.as_ref() == Some(&now))
}

/// Mark `folder` as open, durably, before sled opens it in place: a crash from here on
/// leaves no clean record.
pub(super) fn mark_open(folder: &Path) -> Result<()> {
    if !folder.join(RECORD).exists() {
        return Ok(());
    }
    // fsync'd: from here sled may write, and a power cut must not leave the old clean
    // record beside files sled changed.
    put_record(folder, OPEN, true).map_err(|e| Error::io("could not mark the database as open", e))
}
