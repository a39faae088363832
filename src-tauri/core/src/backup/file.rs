//! Backup files on disk: writing one atomically (plain or encrypted), and reading one
//! back a piece at a time, all of it checked before anything in it is believed.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::check::{check, CycleSink};
use super::crypto::{damaged_content, decrypting, encrypt_to, is_encrypted};
use super::format::{to_parts_of, Backup, CycleList};
use crate::error::{Error, Result};
use crate::files::{parent_folder, write_atomic_with};
use crate::journal::Base;
use crate::store::Store;

/// The most [`crate::backup::decrypt`] decrypts into memory at once. Backup files are
/// read a piece at a time and have no such limit.
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
    let mut cycles = CycleList::spilling_into(&parent_folder(path));
    store.each_cycle_json(|json| cycles.push(json))?;
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
    // The document goes to the file a part at a time, through age when encrypted.
    let mut parts = Some(to_parts_of(cycles, content, now)?);
    let mut write_parts = |w: &mut dyn Write| match parts.take() {
        Some(parts) => parts.write_to(w),
        None => Ok(()),
    };
    write_atomic_with(path, &mut |out| match passphrase {
        Some(passphrase) => encrypt_to(out, passphrase, None, &mut write_parts),
        None => write_parts(out),
    })?;
    let bytes = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("could not read {}", path.display()), e))?
        .len();
    Ok(ExportSummary {
        path: path.to_path_buf(),
        cycles: count,
        bytes,
        encrypted: passphrase.is_some(),
    })
}

/// Open the backup file at `path` for reading.
pub(super) fn open_file(path: &Path) -> Result<File> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "{shown} is a folder; choose a backup file"
        )));
    }
    File::open(path).map_err(|e| Error::io(format!("could not open {shown}"), e))
}

/// Whether the file starts as an age file does; it is read again from its start after.
pub(super) fn starts_encrypted(mut file: &File, shown: &str) -> Result<bool> {
    let mut head = Vec::with_capacity(64);
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.take(64).read_to_end(&mut head))
        .and_then(|_| file.seek(SeekFrom::Start(0)))
        .map_err(|e| Error::io(format!("could not read {shown}"), e))?;
    Ok(is_encrypted(&head))
}

/// Check a backup read from `input` (a file's bytes from its start, plain or encrypted),
/// handing each checked cycle to `sink`. `shown` names it in messages.
pub(super) fn check_input(
    mut input: impl Read,
    passphrase: Option<&str>,
    latest: NaiveDate,
    sink: &mut dyn CycleSink,
    shown: &str,
) -> Result<Backup<()>> {
    let mut head = Vec::with_capacity(64);
    (&mut input)
        .take(64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(format!("could not read {shown}"), e))?;
    let encrypted = is_encrypted(&head);
    let whole = std::io::Cursor::new(head).chain(input);
    if encrypted {
        let passphrase = passphrase.ok_or(Error::NeedsPassphrase)?;
        check(decrypting(whole, passphrase)?, latest, sink, &|_| {
            damaged_content()
        })
    } else {
        check(whole, latest, sink, &|e| {
            Error::io(format!("could not read {shown}"), e)
        })
    }
}

/// Check the bytes of a backup file, decrypting them first if they are encrypted.
pub fn open_bytes(bytes: &[u8], passphrase: Option<&str>, latest: NaiveDate) -> Result<Backup> {
    let mut cycles = Vec::new();
    let checked = check_input(bytes, passphrase, latest, &mut cycles, "the backup")?;
    Ok(checked.with(cycles))
}

/// Read and check the backup at `path`, its cycles held in memory (for restoring one
/// of any size, see `session::RestoreSession`, which spools them).
pub fn read(path: &Path, passphrase: Option<&str>, latest: NaiveDate) -> Result<Backup> {
    let file = open_file(path)?;
    let mut cycles = Vec::new();
    let shown = path.display().to_string();
    let checked = check_input(&file, passphrase, latest, &mut cycles, &shown)?;
    Ok(checked.with(cycles))
}
