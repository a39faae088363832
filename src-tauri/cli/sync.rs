//! `rebound sync [--folder DIR]`: the folder (given, or remembered from last time), the
//! sync passphrase when this computer has never synced (from REBOUND_PASSPHRASE or
//! asked, before the data is opened, so the window is not locked out while someone
//! types), one core call, and the report printed.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::commands::open_store;
use super::format::write_out;
use super::input::{passphrase_from_env, sync_passphrase};
use super::sync_format::format_sync;
use rebound_core::error::{Error, Result};
use rebound_core::sync;
use rebound_core::use_cases::{self, Clock};

/// `rebound sync`.
pub fn sync(
    data_dir: &Path,
    folder: Option<PathBuf>,
    clock: Clock,
    out: &mut dyn Write,
) -> Result<()> {
    let folder = folder
        .or_else(|| use_cases::sync_folder(data_dir))
        .ok_or_else(|| {
            Error::Usage(
                "there is no sync folder yet; give one with --folder DIR (a folder your sync tool \
                 already keeps in step, such as ~/Dropbox)"
                    .into(),
            )
        })?;
    let passphrase = match passphrase_from_env() {
        Some(passphrase) => Some(passphrase),
        None if sync::needs_passphrase(data_dir) => {
            Some(sync_passphrase(sync::is_first_computer(&folder))?)
        }
        None => None,
    };
    let store = open_store(data_dir, clock)?;
    let report = use_cases::sync_now(&store, data_dir, Some(&folder), passphrase, clock)?;
    write_out(out, &format_sync(&report))
}
