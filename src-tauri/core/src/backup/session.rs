//! One restore, as a person walks through it in the window or on the command line:
//! choose a file, unlock it if it is encrypted, see what it would change, then merge or
//! replace. The file is read and its passphrase work done once; nothing is changed
//! before [`RestoreSession::apply`].

use std::path::Path;

use super::restore::{self, Mode, Preview, RestoreSummary};
use super::{is_encrypted, open_bytes, read_bytes, Backup};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::Store;

/// A backup file chosen for restoring, and once checked, what it holds.
pub struct RestoreSession {
    name: String,
    bytes: Vec<u8>,
    checked: Option<Backup>,
}

impl RestoreSession {
    /// Read the whole backup file at `path` (bounded in size); nothing is checked yet.
    pub fn open(path: &Path) -> Result<RestoreSession> {
        let bytes = read_bytes(path)?;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string());
        Ok(RestoreSession {
            name,
            bytes,
            checked: None,
        })
    }

    /// The file's name, as the window shows it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether a passphrase is needed to check it.
    pub fn is_encrypted(&self) -> bool {
        is_encrypted(&self.bytes)
    }

    /// Check the whole file, decrypting it with `passphrase` if it is encrypted. A
    /// wrong passphrase can simply be tried again.
    pub fn check(&mut self, passphrase: Option<&str>, clock: Clock) -> Result<&Backup> {
        let checked = open_bytes(&self.bytes, passphrase, clock.latest_backup_day())?;
        Ok(self.checked.insert(checked))
    }

    /// What restoring the checked file would change in `store`.
    pub fn preview(&self, store: &Store) -> Result<Preview> {
        restore::preview(store, self.checked()?)
    }

    /// Restore the checked file in `mode`, after a snapshot of the current data in
    /// `data_dir`. Returns the store to use from now on and what happened.
    pub fn apply(
        self,
        store: &Store,
        data_dir: &Path,
        mode: Mode,
        clock: Clock,
    ) -> Result<(Store, RestoreSummary)> {
        self.checked()?;
        // The file's bytes are no longer needed once checked: let them go now, not at
        // the end of the restore (a partly moved struct drops its rest only then).
        let RestoreSession {
            checked,
            bytes,
            name,
        } = self;
        drop((bytes, name));
        let backup = checked.ok_or_else(|| Error::Usage("the backup is not checked yet".into()))?;
        restore::apply_owned(store, data_dir, backup, mode, clock.now)
    }

    fn checked(&self) -> Result<&Backup> {
        self.checked.as_ref().ok_or_else(|| {
            Error::Usage("the backup is not checked yet; unlock it with its passphrase".into())
        })
    }
}
