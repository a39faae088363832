//! The one error type of Rebound's core, and its stable wire shape.
//!
//! Every fallible core function returns [`Error`]. The window receives it as
//! `{ "kind": "...", "message": "...", "fields": [...] }` (fields only for invalid
//! input) and branches on `kind`; the CLI prints `message` on one line. Messages are
//! lowercase, have no trailing period, and say what to do. No Tauri or sled types here.

use std::path::PathBuf;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One problem with one field of a cycle, shown beside that field in the window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The public JSON name of the field ("difficulty"), or "cycle" for the whole object.
    pub field: String,
    /// What is wrong and what to do, without the field's name ("must be a whole number
    /// from 1 to 10 (got 12)").
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field == "cycle" {
            write!(f, "the cycle {}", self.message)
        } else {
            write!(f, "{} {}", self.field, self.message)
        }
    }
}

fn join_fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn more_lines(more: usize) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more line with problems)".to_string(),
        n => format!(" (and {n} more lines with problems)"),
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{}", join_fields(.0))]
    Invalid(Vec<FieldError>),

    #[error("line {line}: {}{}; nothing was logged", join_fields(.errors), more_lines(*.more))]
    InvalidLine {
        line: usize,
        errors: Vec<FieldError>,
        /// How many later lines also had problems.
        more: usize,
    },

    #[error("no cycle has the id {0}; `rebound list` shows the ids")]
    NotFound(String),

    #[error("{0:?} is not a cycle id; ids look like 0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b (`rebound list` shows them)")]
    InvalidId(String),

    #[error("{prefix:?} matches {count} cycles; give more of the id")]
    AmbiguousId { prefix: String, count: usize },

    #[error("the Rebound data in {} is already open in another Rebound (a window or a command); close that one and try again", path.display())]
    AlreadyOpen { path: PathBuf },

    #[error("the Rebound data in {} was written by a newer Rebound (schema {found}, this one reads up to {supported}); update Rebound to open it, nothing was changed", path.display())]
    FutureSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("could not open the Rebound data in {}: {reason}; nothing in it was changed. Run `rebound recover` to rebuild it from Rebound's own records", path.display())]
    Unopenable { path: PathBuf, reason: String },

    #[error(
        "the disk is full ({context}): free some space and try again; nothing you saved was lost"
    )]
    DiskFull { context: String },

    #[error("stored data could not be read ({0}); export a backup and report this")]
    Corrupt(String),

    #[error("the database failed: {0}")]
    Storage(String),

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{0} is larger than {limit} MB; Rebound refuses it to protect your memory", limit = .1 / 1_000_000)]
    TooLarge(String, u64),

    #[error("this file is not a Rebound backup ({0}); choose a file exported by Rebound")]
    NotABackup(String),

    #[error("this backup was made by a newer Rebound (format {found}; this one reads up to {supported}); update Rebound to restore this backup, nothing here has changed")]
    BackupFromNewer { found: u64, supported: u64 },

    #[error("this backup is encrypted; enter its passphrase to restore it")]
    NeedsPassphrase,

    #[error(
        "that passphrase does not open this backup; check it and try again (nothing was changed)"
    )]
    WrongPassphrase,

    #[error("the backup is damaged: {0}; nothing was changed")]
    BackupDamaged(String),

    #[error("could not draw the chart: {0}")]
    Chart(String),

    #[error("cancelled; nothing was written")]
    Cancelled,

    /// A path or argument that cannot work, e.g. a folder where a file is needed.
    #[error("{0}")]
    Usage(String),

    /// The window's database could not be opened at start-up; the message says why.
    #[error("{0}")]
    Unavailable(String),

    /// Syncing through a shared folder could not go ahead; the message says why and
    /// what to do (nothing here was changed).
    #[error("{0}")]
    Sync(String),

    /// Syncing needs the sync passphrase (the first time on this computer), or the one
    /// given does not open the sync folder's files.
    #[error("{0}")]
    SyncPassphrase(String),
}

impl Error {
    /// Wrap an I/O error with what Rebound was doing. A full disk gets its own error,
    /// which says what to do instead of the system's words.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        if is_disk_full(&source) {
            return Error::DiskFull {
                context: context.into(),
            };
        }
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The stable, machine-readable name of this error, which the window branches on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) | Error::InvalidLine { .. } => "invalid",
            Error::NotFound(_) => "notFound",
            Error::InvalidId(_) | Error::AmbiguousId { .. } => "invalidId",
            Error::AlreadyOpen { .. } => "alreadyOpen",
            Error::FutureSchema { .. } => "futureSchema",
            Error::Unopenable { .. } => "unopenable",
            Error::DiskFull { .. } => "diskFull",
            Error::Corrupt(_) => "corrupt",
            Error::Storage(_) => "storage",
            Error::Io { .. } => "io",
            Error::TooLarge(..) => "tooLarge",
            Error::NotABackup(_) => "notABackup",
            Error::BackupFromNewer { .. } => "backupFromNewer",
            Error::BackupDamaged(_) => "backupDamaged",
            Error::NeedsPassphrase => "needsPassphrase",
            Error::WrongPassphrase => "wrongPassphrase",
            Error::Chart(_) => "chart",
            Error::Cancelled => "cancelled",
            Error::Usage(_) => "usage",
            Error::Unavailable(_) => "unavailable",
            Error::Sync(_) => "sync",
            Error::SyncPassphrase(_) => "syncPassphrase",
        }
    }
}

/// Whether an I/O error means there is no space left (or no quota) on the disk.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    // ENOSPC is 28 and EDQUOT 122 on Linux; ErrorKind::StorageFull covers both where
    // the standard library maps them, and ERROR_DISK_FULL (112) on Windows.
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || (cfg!(unix) && matches!(e.raw_os_error(), Some(28 | 122)))
        || (cfg!(windows) && e.raw_os_error() == Some(112))
}

impl From<Vec<FieldError>> for Error {
    fn from(errors: Vec<FieldError>) -> Error {
        Error::Invalid(errors)
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = match self {
            Error::Invalid(fields) | Error::InvalidLine { errors: fields, .. } => Some(fields),
            _ => None,
        };
        let mut s = serializer.serialize_struct("Error", 2 + usize::from(fields.is_some()))?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        if let Some(fields) = fields {
            s.serialize_field("fields", fields)?;
        }
        s.end()
    }
}
