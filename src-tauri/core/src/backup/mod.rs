//! The backup file: one self-describing JSON document holding every cycle, optionally
//! encrypted with a passphrase in the age format, written atomically, and read back
//! with the whole file checked before anything is stored.
//!
//! This is Rebound's own format, not sled's export (which panics on I/O errors and is
//! meant for sled upgrades). No Tauri types here.
//!
//! - `format`: the document and its formats; `check`: reading one back, checked;
//!   `crypto`: age encryption;
//!   `file`: reading and writing backup files;
//! - `restore`: preview, merge or replace, pre-restore snapshots; `session`: one
//!   restore from choosing a file to applying it, as both hosts walk through it;
//! - `auto`: the daily automatic backups; `readable`: CSV and Markdown copies.

pub mod auto;
mod check;
mod crypto;
mod file;
mod format;
pub mod readable;
pub mod restore;
pub mod session;

pub use check::parse;
pub use crypto::{
    check_new_passphrase, decrypt, encrypt, is_encrypted, MIN_PASSPHRASE_CHARS, SCRYPT_WORK_FACTOR,
};
pub use file::{
    default_file_name, export, open_bytes, read, read_bytes, write_backup, ExportSummary,
    MAX_BACKUP_BYTES,
};
pub use format::{to_json, upgrade, Backup, Header, FORMAT_NAME, FORMAT_VERSION};

pub use crate::files::write_atomic;
