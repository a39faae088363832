//! Whether a sled folder is exactly as Rebound left it when it last closed it cleanly.
//!
//! sled, opening a damaged or half-written log, rewrites it (it zeroed 480,550 bytes of
//! one damaged database, then still failed). So Rebound opens a folder in place only
//! when it knows the files are the ones it closed: at a clean close it records each
//! file's name, size and modification time (and the content of the small ones) in
//! `rebound-closed-cleanly.json` beside them, and at the next open it checks them and,
//! opening in place, marks the record "open" first (a crash while open then leaves no
//! clean record). Anything else (a crash, a power cut, another program writing to the
//! files) and the folder is opened through a copy, so the original stays byte for byte
//! as it was if sled cannot read it.
//!
//! Inodes and change times are not compared: a copy that keeps modification times (`cp
//! -a`, `rsync -a`, a backup restored, the folder moved to another disk) holds exactly
//! the bytes Rebound closed, and opens in place like the original. A copy cut short has
//! a file missing or shorter, and a copy that does not keep times has new ones; either
//! opens through a copy.
//!
//! Closing, only the files that changed since they were last made durable are fsync'd
//! before the record is written: the record also keeps each file's inode and change
//! time, and a file with the same inode, change time, size and modification time as
//! when the last record was written is the very file that was fsync'd then, untouched
//! since (any write, truncation or copy gives it a new change time or inode). So a
//! command that only reads fsyncs what sled itself rewrote at its open, not every file.
//!
//! The record has a fixed size and is rewritten in place, so marking it needs no new
//! space on the disk: opening and closing still work when the disk is full.
//!
//! The limit: damage that changes no file's times (bits rotting on the disk) is not
//! seen here; sled's own checksums catch it when it reads.

use std::fs::{File, OpenOptions};
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
    /// 0 for hashed files (their content is compared instead).
    modified_ns: i128,
    #[serde(default)]
    sha256: Option<String>,
    /// Not compared to tell a clean folder (a copy has new ones); they say whether a
    /// file is the very one that was fsync'd before the record was written.
    #[serde(default)]
    ino: u64,
    #[serde(default)]
    changed_ns: i128,
    /// The file's own modification time, for hashed files too (see `untouched`).
    #[serde(default)]
    written_ns: i128,
}

impl FileState {
    /// Whether the two describe the same bytes: the same name and size, and the same
    /// content (small files) or modification time (the others).
    fn same_content(&self, other: &FileState) -> bool {
        self.name == other.name
            && self.len == other.len
            && self.modified_ns == other.modified_ns
            && self.sha256 == other.sha256
    }

    /// Whether `self` (now) is the very file `durable` describes, not written to,
    /// replaced or copied since.
    fn untouched(&self, durable: &FileState) -> bool {
        self.same_content(durable)
            && durable.ino != 0
            && self.ino == durable.ino
            && self.changed_ns == durable.changed_ns
            && self.written_ns == durable.written_ns
    }
}

/// The files of a folder as they were when they were last made durable (the record of
/// its last clean close), for `sync_and_mark_closed` to skip the untouched ones.
#[derive(Clone, Debug, Default)]
pub(super) struct Durable(Vec<FileState>);

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
                found_state.modified_ns = 0;
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
    let modified = ns(meta.mtime(), meta.mtime_nsec());
    FileState {
        name,
        len: meta.len(),
        modified_ns: modified,
        sha256: None,
        ino: meta.ino(),
        changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
        written_ns: modified,
    }
}

#[cfg(not(unix))]
fn state(name: String, meta: &std::fs::Metadata) -> FileState {
    let ns = |t: std::io::Result<std::time::SystemTime>| {
        t.ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128)
    };
    let modified = ns(meta.modified());
    FileState {
        name,
        len: meta.len(),
        modified_ns: modified,
        sha256: None,
        // No inode here: every file counts as touched, and is fsync'd at each close.
        ino: 0,
        changed_ns: 0,
        written_ns: modified,
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

/// The folders a set of file names lives in ("" for the folder itself).
fn folders_of(states: &[FileState]) -> std::collections::BTreeSet<&str> {
    states
        .iter()
        .map(|s| s.name.rsplit_once('/').map_or("", |(dir, _)| dir))
        .collect()
}

/// Make `folder`'s files durable and record that it was closed cleanly, as it is now.
/// Files untouched since `durable` was recorded (fsync'd before that record was
/// written) are not fsync'd again; every other file is, and the folders too when the
/// set of names changed. Without `durable` (a new or copied folder) everything is.
/// Returns false, writing no record, when the files could not be made durable.
pub(super) fn sync_and_mark_closed(folder: &Path, durable: Option<&Durable>) -> Result<bool> {
    let read_error = |e| Error::io("could not read the database folder", e);
    let now = states(folder).map_err(read_error)?;
    let before = durable.map_or(&[][..], |d| d.0.as_slice());
    let synced = (|| -> std::io::Result<()> {
        for file in &now {
            let known = before.iter().find(|b| b.name == file.name);
            if !known.is_some_and(|b| file.untouched(b)) {
                File::open(folder.join(&file.name))?.sync_all()?;
            }
        }
        let same_names = durable.is_some()
            && now.len() == before.len()
            && now.iter().zip(before).all(|(a, b)| a.name == b.name);
        if !same_names {
            for dir in folders_of(&now) {
                sync_folder(&folder.join(dir))?;
            }
            sync_folder(folder)?;
        }
        Ok(())
    })();
    if synced.is_err() {
        return Ok(false);
    }
    let text = serde_json::to_vec(&now)
        .map_err(|e| Error::Storage(format!("could not record a clean close: {e}")))?;
    // Not fsync'd: losing it to a power cut only means the next open goes through a
    // copy, and sled's files were fsync'd before it was written.
    put_record(folder, &text, false)
        .map(|()| true)
        .map_err(|e| Error::io("could not record a clean close", e))
}

/// What the record of `folder`'s last clean close says, if `folder` is as it was then
/// (`Some` with no files for a folder with none yet), or `None` when it is not (or
/// there is no such record). Only reads.
pub(super) fn closed_cleanly(folder: &Path) -> Result<Option<Durable>> {
    let record = folder.join(RECORD);
    let recorded: Option<Vec<FileState>> = std::fs::read(&record)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let now = match states(folder) {
        Ok(now) => now,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Some(Durable::default())),
        Err(e) => return Err(Error::io("could not read the database folder", e)),
    };
    if now.is_empty() {
        return Ok(Some(Durable::default()));
    }
    let same = recorded.as_ref().is_some_and(|recorded| {
        recorded.len() == now.len() && recorded.iter().zip(&now).all(|(r, n)| r.same_content(n))
    });
    Ok(same.then(|| Durable(recorded.unwrap_or_default())))
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
