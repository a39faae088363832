//! The backup file: one self-describing JSON document holding every cycle, written
//! atomically, and read back with the whole file checked before anything is stored.
//!
//! This is Rebound's own format, not sled's export (which panics on I/O errors and is
//! meant for sled upgrades). Format 1:
//!
//! ```json
//! { "format": "rebound-backup", "format_version": 1, "app_version": "0.1.0",
//!   "exported_at": "2026-11-27T21:04:11.532Z", "cycle_count": 2, "cycles": [ ... ] }
//! ```
//!
//! Invariant: never change what format 1 means. A new field or meaning is format 2,
//! and reading format 1 then upgrades it with a pure function. No Tauri types here.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::cycle::{format_timestamp, Cycle};
use crate::error::{Error, Result};
use crate::store::{AddReport, Store};

/// The `format` field every Rebound backup carries.
pub const FORMAT_NAME: &str = "rebound-backup";
/// The format this Rebound writes, and the newest it reads.
pub const FORMAT_VERSION: u64 = 1;
/// Files larger than this are refused before they are read.
pub const MAX_BACKUP_BYTES: u64 = 256_000_000;
/// How many cycle problems one message lists before "and N more".
const PROBLEMS_SHOWN: usize = 3;

/// The top of the document as written. Field order is the order in the file.
#[derive(Serialize)]
struct BackupDocument<'a> {
    format: &'static str,
    format_version: u64,
    app_version: &'static str,
    exported_at: String,
    cycle_count: usize,
    cycles: &'a [Cycle],
}

/// A backup read back and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    pub app_version: String,
    pub exported_at: DateTime<Utc>,
    pub cycles: Vec<Cycle>,
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub cycles: usize,
    pub bytes: u64,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub exported_at: DateTime<Utc>,
    pub in_file: usize,
    #[serde(flatten)]
    pub report: AddReport,
}

impl ImportSummary {
    /// A sentence for the person, e.g. "imported 12 cycles from a backup of 2026-11-02".
    pub fn describe(&self) -> String {
        let day = self.exported_at.format("%Y-%m-%d");
        let mut text = format!(
            "imported {} from a backup of {day}",
            cycles_word(self.report.added)
        );
        if self.report.identical > 0 {
            text.push_str(&format!(
                "; {} already here, unchanged",
                cycles_word(self.report.identical)
            ));
        }
        if !self.report.kept_existing.is_empty() {
            text.push_str(&format!(
                "; {} differ from the stored ones and were left as they are",
                cycles_word(self.report.kept_existing.len())
            ));
        }
        text
    }
}

fn cycles_word(n: usize) -> String {
    if n == 1 {
        "1 cycle".to_string()
    } else {
        format!("{n} cycles")
    }
}

/// The name a save dialog suggests: `rebound-backup-2026-11-27.json`.
pub fn default_file_name(today: NaiveDate) -> String {
    format!("rebound-backup-{today}.json")
}

/// Serialise `cycles` as a format-1 backup document.
pub fn to_json(cycles: &[Cycle], now: DateTime<Utc>) -> Result<Vec<u8>> {
    let document = BackupDocument {
        format: FORMAT_NAME,
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION"),
        exported_at: format_timestamp(&now),
        cycle_count: cycles.len(),
        cycles,
    };
    let mut bytes = serde_json::to_vec_pretty(&document)
        .map_err(|e| Error::Storage(format!("could not encode the backup: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Write every stored cycle to a backup file at `path`, atomically.
pub fn export(store: &Store, path: &Path, now: DateTime<Utc>) -> Result<ExportSummary> {
    let cycles = store.all_by_id()?;
    let bytes = to_json(&cycles, now)?;
    write_atomic(path, &bytes)?;
    Ok(ExportSummary {
        path: path.to_path_buf(),
        cycles: cycles.len(),
        bytes: bytes.len() as u64,
    })
}

/// Read and check the backup at `path`, then add its cycles to `store`. The whole file
/// is checked first: if anything is wrong, nothing is stored.
pub fn import(store: &Store, path: &Path, latest: NaiveDate) -> Result<ImportSummary> {
    add(store, read(path, latest)?)
}

/// Add the cycles of a checked backup to `store`, in one transaction. Cycles already
/// stored are never changed.
pub fn add(store: &Store, backup: Backup) -> Result<ImportSummary> {
    let report = store.add_cycles(&backup.cycles)?;
    Ok(ImportSummary {
        exported_at: backup.exported_at,
        in_file: backup.cycles.len(),
        report,
    })
}

/// Read and check a backup file, refusing files over [`MAX_BACKUP_BYTES`].
pub fn read(path: &Path, latest: NaiveDate) -> Result<Backup> {
    let shown = path.display().to_string();
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
    parse(&bytes, latest)
}

/// Check a whole backup document. `latest` is the last attempt date accepted (a day
/// after today leaves room for a backup made in another time zone).
pub fn parse(bytes: &[u8], latest: NaiveDate) -> Result<Backup> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::NotABackup("the file is empty".into()));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| json_problem(bytes, &e))?;
    let Value::Object(mut top) = value else {
        return Err(Error::NotABackup(
            "it is JSON, but not a JSON object".into(),
        ));
    };
    match top.get("format") {
        Some(Value::String(name)) if name == FORMAT_NAME => {}
        _ => {
            return Err(Error::NotABackup(format!(
                "it has no \"format\": \"{FORMAT_NAME}\" field"
            )))
        }
    }
    let version = match top.get("format_version") {
        Some(Value::Number(n)) => n.as_u64().filter(|v| *v >= 1),
        _ => None,
    }
    .ok_or_else(|| {
        Error::BackupDamaged("its format_version is not a whole number from 1".into())
    })?;
    if version > FORMAT_VERSION {
        return Err(Error::BackupFromNewer {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let app_version = match top.remove("app_version") {
        Some(Value::String(v)) => v,
        _ => return Err(Error::BackupDamaged("its app_version is missing".into())),
    };
    let exported_at = match top.remove("exported_at") {
        Some(Value::String(at)) => DateTime::parse_from_rfc3339(&at).ok(),
        _ => None,
    }
    .ok_or_else(|| Error::BackupDamaged("its exported_at is not an RFC 3339 time".into()))?
    .with_timezone(&Utc);
    let Some(Value::Array(raw_cycles)) = top.remove("cycles") else {
        return Err(Error::BackupDamaged("it has no list of cycles".into()));
    };
    if let Some(count) = top.get("cycle_count") {
        if count.as_u64() != Some(raw_cycles.len() as u64) {
            return Err(Error::BackupDamaged(format!(
                "it says it holds {count} cycles but has {}",
                raw_cycles.len()
            )));
        }
    }

    let mut cycles = Vec::with_capacity(raw_cycles.len());
    let mut problems = Vec::new();
    let mut seen = HashSet::with_capacity(raw_cycles.len());
    for (n, raw) in raw_cycles.into_iter().enumerate() {
        let position = n + 1;
        match Cycle::from_json(raw, latest) {
            Ok(cycle) if !seen.insert(cycle.id) => {
                problems.push(format!("cycle {position} repeats the id {}", cycle.id));
            }
            Ok(cycle) => cycles.push(cycle),
            Err(errors) => {
                let detail: Vec<String> = errors.iter().map(ToString::to_string).collect();
                problems.push(format!("cycle {position}: {}", detail.join(", ")));
            }
        }
    }
    if !problems.is_empty() {
        let more = problems.len().saturating_sub(PROBLEMS_SHOWN);
        let mut text = problems
            .into_iter()
            .take(PROBLEMS_SHOWN)
            .collect::<Vec<_>>()
            .join("; ");
        if more > 0 {
            text.push_str(&format!("; and {more} more"));
        }
        return Err(Error::BackupDamaged(text));
    }
    Ok(Backup {
        app_version,
        exported_at,
        cycles,
    })
}

fn json_problem(bytes: &[u8], e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let starts_like_ours = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    match e.classify() {
        Category::Eof if starts_like_ours => {
            Error::BackupDamaged("it ends too early, as if cut short while being copied".into())
        }
        Category::Syntax | Category::Data | Category::Eof if starts_like_ours => {
            Error::BackupDamaged(format!(
                "it is not valid JSON at line {}, column {}",
                e.line(),
                e.column()
            ))
        }
        Category::Io => Error::BackupDamaged(format!("it could not be read ({e})")),
        _ => Error::NotABackup("it is not JSON text".into()),
    }
}

/// Write `bytes` to `path` so that `path` holds either its old content or all of the
/// new, never a part: write a temporary file in the same folder, fsync it, rename it
/// over `path`, then fsync the folder so the rename itself survives a power cut.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    let name = path.file_name().ok_or_else(|| {
        Error::io(
            format!("{shown} is not a file name"),
            std::io::ErrorKind::InvalidInput.into(),
        )
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(format!("could not write {shown}"), e));
    }
    sync_folder(&dir).map_err(|e| Error::io(format!("could not sync the folder of {shown}"), e))
}

#[cfg(unix)]
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_dir: &Path) -> std::io::Result<()> {
    // Windows cannot open a folder as a file; NTFS journals the rename itself.
    Ok(())
}
