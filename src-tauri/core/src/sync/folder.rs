//! The sync folder on disk: a folder the person's sync tool (Syncthing, Dropbox, iCloud
//! Drive, OneDrive, a USB stick) already carries between their computers.
//!
//! ```text
//! <sync folder>/rebound-sync/devices/<device id>/key.age           the sync key, under the passphrase
//! <sync folder>/rebound-sync/devices/<device id>/seg-00000001.age  changes, encrypted, written once
//! ```
//!
//! A computer writes only under its own device id, and each segment only once: to a
//! private temporary name (`.rebound-….tmp`, which readers skip) in the same folder,
//! fsync'd, then renamed into place without ever replacing a file, and the folder
//! fsync'd. Copies a sync tool makes when two computers seem to disagree
//! (`seg-00000003.sync-conflict-20261127-093000-ABCDEFG.age`, `seg-00000003 (1).age`,
//! `seg-00000003_2.age`) are read like any segment and never deleted; only files this
//! computer wrote under their exact names are ever removed (after a checkpoint).

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::error::{Error, Result};
use crate::files::{create_private_folder, make_private, sync_folder};

/// The folder Rebound makes inside the sync folder.
pub const ROOT: &str = "rebound-sync";
/// Inside it, one folder per computer.
pub const DEVICES: &str = "devices";
/// A computer's key file.
pub const KEY_FILE: &str = "key.age";
/// The largest file read from the sync folder.
const MAX_FILE_BYTES: u64 = 600_000_000;

/// What a file in a device folder is, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Segment,
    Key,
}

/// A file found in the sync folder.
#[derive(Clone, Debug)]
pub struct Found {
    /// Its path under `rebound-sync/`, with `/`: how reports name it.
    pub shown: String,
    pub path: PathBuf,
    /// The device folder it is in (a copy of a folder may have another name).
    pub folder: String,
    pub name: String,
    pub kind: Kind,
    pub len: u64,
    pub modified: Option<SystemTime>,
}

/// The exact name of segment `seq`.
pub fn segment_name(seq: u64) -> String {
    format!("seg-{seq:08}.age")
}

/// The number in an exact segment name (not in a sync tool's copy of one).
pub fn exact_seq(name: &str) -> Option<u64> {
    let digits = name.strip_prefix("seg-")?.strip_suffix(".age")?;
    (digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// What a file is by its name; None for anything else (temporary files included).
fn kind_of(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with('.') || !lower.ends_with(".age") {
        return None;
    }
    if lower.starts_with("seg-") {
        Some(Kind::Segment)
    } else if lower.starts_with("key") {
        Some(Kind::Key)
    } else {
        None
    }
}

/// The layout of one sync folder.
#[derive(Clone, Debug)]
pub struct Layout {
    pub folder: PathBuf,
    pub root: PathBuf,
}

impl Layout {
    pub fn new(folder: &Path) -> Layout {
        Layout {
            folder: folder.to_path_buf(),
            root: folder.join(ROOT),
        }
    }

    /// The folder of device `id`.
    pub fn device_dir(&self, id: &str) -> PathBuf {
        self.root.join(DEVICES).join(id)
    }

    /// Every segment and key file, in a stable order. A folder with no `rebound-sync`
    /// yet has none.
    pub fn list(&self) -> Result<Vec<Found>> {
        let devices = self.root.join(DEVICES);
        let entries = match std::fs::read_dir(&devices) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(Error::io(
                    format!("could not read {}", devices.display()),
                    e,
                ))
            }
        };
        let mut found = Vec::new();
        for device in entries.flatten() {
            if !device.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let folder = device.file_name().to_string_lossy().to_string();
            let Ok(files) = std::fs::read_dir(device.path()) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name().to_string_lossy().to_string();
                let Some(kind) = kind_of(&name) else {
                    continue;
                };
                let Ok(meta) = file.metadata() else {
                    continue;
                };
                if !meta.is_file() {
                    continue;
                }
                found.push(Found {
                    shown: format!("{DEVICES}/{folder}/{name}"),
                    path: file.path(),
                    folder: folder.clone(),
                    name,
                    kind,
                    len: meta.len(),
                    modified: meta.modified().ok(),
                });
            }
        }
        found.sort_by(|a, b| a.shown.cmp(&b.shown));
        Ok(found)
    }
}

/// Read a whole file from the sync folder, refusing an absurdly large one.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|e| Error::io(format!("could not open {shown}"), e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("could not read {shown}"), e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::TooLarge(shown, MAX_FILE_BYTES));
    }
    Ok(bytes)
}

/// Make `dir` (and the folders above it inside the sync folder) if missing.
pub fn make_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    create_private_folder(dir)
        .map_err(|e| Error::io(format!("could not create {}", dir.display()), e))
}

/// Write `bytes` as `dir/name`, once: to a private temporary file beside it, fsync'd,
/// renamed into place only if nothing has that name yet, then the folder fsync'd.
/// Returns false (and writes nothing) when the name is taken.
pub fn write_once(dir: &Path, name: &str, bytes: &[u8]) -> Result<bool> {
    let target = dir.join(name);
    let shown = target.display().to_string();
    let result = (|| {
        let mut file = tempfile::Builder::new()
            .prefix(".rebound-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        make_private(file.path())?;
        file.write_all(bytes)?;
        file.as_file().sync_all()?;
        match file.persist_noclobber(&target) {
            Ok(_) => Ok(true),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e.error),
        }
    })();
    let written = result.map_err(|e| Error::io(format!("could not write {shown}"), e))?;
    if written {
        sync_folder(dir)
            .map_err(|e| Error::io(format!("could not sync the folder of {shown}"), e))?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_a_sync_tool_makes_are_segments_and_temporary_files_are_not() {
        for name in [
            "seg-00000003.age",
            "seg-00000003.sync-conflict-20261127-093000-ABCDEFG.age",
            "seg-00000003 (1).age",
            "seg-00000003_2.age",
            "seg-00000003 (Laptop's conflicted copy 2026-11-27).age",
        ] {
            assert_eq!(kind_of(name), Some(Kind::Segment), "{name}");
        }
        assert_eq!(kind_of("key (1).age"), Some(Kind::Key));
        for name in [
            ".rebound-x1y2.tmp",
            ".syncthing.seg-00000003.age.tmp",
            "notes.txt",
            "seg-1.json",
        ] {
            assert_eq!(kind_of(name), None, "{name}");
        }
        assert_eq!(exact_seq("seg-00000003.age"), Some(3));
        assert_eq!(exact_seq("seg-00000003 (1).age"), None);
    }

    #[test]
    fn a_segment_is_written_once_and_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_once(dir.path(), "seg-00000001.age", b"first").unwrap());
        assert!(!write_once(dir.path(), "seg-00000001.age", b"second").unwrap());
        assert_eq!(
            std::fs::read(dir.path().join("seg-00000001.age")).unwrap(),
            b"first"
        );
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 1, "no temporary file is left behind");
    }
}
