//! The backup file: one self-describing JSON document holding every cycle, optionally
//! encrypted with a passphrase in the age format, written atomically, and read back
//! with the whole file checked before anything is stored.
//!
//! This is Rebound's own format, not sled's export (which panics on I/O errors and is
//! meant for sled upgrades). No Tauri types here.
//!
//! - `format`: the document and its formats (`cycle_list`: its cycles as written); `check`: reading one back, checked, a
//!   piece at a time (`scan` finds the pieces); `crypto`: age encryption;
//!   `file`: reading and writing backup files; `spooled`: a restore's cycles, in id
//!   order, spooled to a private temporary file so a backup of any size fits; `walk`:
//!   the stored cycles and a backup's side by side;
//! - `restore`: preview, merge or replace, pre-restore snapshots; `session`: one
//!   restore from choosing a file to applying it, as both hosts walk through it;
//! - `auto`: the daily automatic backups; `readable`: CSV and Markdown copies.

pub mod auto;
mod check;
mod crypto;
mod cycle_list;
mod file;
mod format;
mod problems;
pub mod readable;
pub mod restore;
mod scan;
pub mod session;
mod spooled;
mod walk;

pub use check::parse;
pub use crypto::{
    check_new_passphrase, decrypt, encrypt, is_encrypted, MIN_PASSPHRASE_CHARS, SCRYPT_WORK_FACTOR,
};
pub use file::{
    default_file_name, export, open_bytes, read, write_backup, ExportSummary, MAX_BACKUP_BYTES,
};
pub use format::{to_json, upgrade, Backup, Header, FORMAT_NAME, FORMAT_VERSION};
pub use spooled::{Incoming, Spooled};

pub use crate::files::write_atomic;
