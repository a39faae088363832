//! Backup files on disk: writing one atomically (plain or encrypted), and reading one
//! whole, bounded in size, before anything in it is believed.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::check::parse;
use super::crypto::{decrypt, encrypt, is_encrypted};
use super::format::{to_json_of, to_parts_of, Backup, CycleList};
use crate::error::{Error, Result};
use crate::files::{write_atomic, write_atomic_parts};
use crate::journal::Base;
use crate::store::Store;

/// Files larger than this are refused before they are read.
pub const MAX_BACKUP_BYTES: u64 = 256_000_000;

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub cycles: usize,
    pub bytes: u64,
    pub encrypted: bool,
}

/// The name a save dialog suggests: `rebound-backup-2026-11-27.json`, or `….json.age`
/// for an encrypted backup.
pub fn default_file_name(today: NaiveDate, encrypted: bool) -> String {
    if encrypted {
        format!("rebound-backup-{today}.json.age")
    } else {
        format!("rebound-backup-{today}.json")
    }
}

/// Write everything stored (cycles, check-ins, preferences) to a backup file at `path`,
/// atomically; encrypted when a passphrase is given. The cycles go into the file as the
/// store holds their JSON, not decoded and encoded again.
pub fn export(
    store: &Store,
    path: &Path,
    now: DateTime<Utc>,
    passphrase: Option<&str>,
) -> Result<ExportSummary> {
    let rest = store.contents_but_cycles()?;
    let mut cycles = CycleList::with_capacity(1 << 20);
    store.each_cycle_json(|json| {
        cycles.push(json);
        Ok(())
    })?;
    write_list(cycles, &rest, path, now, passphrase)
}

/// Write `content` as a backup file at `path`, atomically.
pub fn write_backup(
    content: &Base,
    path: &Path,
    now: DateTime<Utc>,
    passphrase: Option<&str>,
) -> Result<ExportSummary> {
    write_list(
        CycleList::of(&content.cycles)?,
        content,
        path,
        now,
        passphrase,
    )
}

/// Write a backup of `cycles` with the check-ins and preferences of `content`.
fn write_list(
    cycles: CycleList,
    content: &Base,
    path: &Path,
    now: DateTime<Utc>,
    passphrase: Option<&str>,
) -> Result<ExportSummary> {
    let count = cycles.count();
    let bytes = match passphrase {
        Some(passphrase) => {
            let bytes = encrypt(&to_json_of(cycles, content, now)?, passphrase, None)?;
            write_atomic(path, &bytes)?;
            bytes.len()
        }
        // A plain backup goes to the file in its parts, not copied into one buffer.
        None => {
            let parts = to_parts_of(cycles, content, now)?;
            write_atomic_parts(path, &parts.as_slices())?;
            parts.len()
        }
    };
    Ok(ExportSummary {
        path: path.to_path_buf(),
        cycles: count,
        bytes: bytes as u64,
        encrypted: passphrase.is_some(),
    })
}

/// Read a whole file, refusing one over [`MAX_BACKUP_BYTES`] before reading it.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "{shown} is a folder; choose a backup file"
        )));
    }
    let file = File::open(path).map_err(|e| Error::io(format!("could not open {shown}"), e))?;
    let size = file
        .metadata()
        .map_err(|e| Error::io(format!("could not read {shown}"), e))?
        .len();
    if size > MAX_BACKUP_BYTES {
        return Err(Error::TooLarge(shown, MAX_BACKUP_BYTES));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // Read one byte past the cap in case the file grew after the size check.
    file.take(MAX_BACKUP_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("could not read {shown}"), e))?;
    if bytes.len() as u64 > MAX_BACKUP_BYTES {
        return Err(Error::TooLarge(shown, MAX_BACKUP_BYTES));
    }
    Ok(bytes)
}

/// Check the bytes of a backup file, decrypting them first if they are encrypted.
pub fn open_bytes(bytes: &[u8], passphrase: Option<&str>, latest: NaiveDate) -> Result<Backup> {
    if is_encrypted(bytes) {
        let passphrase = passphrase.ok_or(Error::NeedsPassphrase)?;
        parse(&decrypt(bytes, passphrase)?, latest)
    } else {
        parse(bytes, latest)
    }
}

/// Read and check the backup at `path`.
pub fn read(path: &Path, passphrase: Option<&str>, latest: NaiveDate) -> Result<Backup> {
    open_bytes(&read_bytes(path)?, passphrase, latest)
}
