//! One restore, as a person walks through it in the window or on the command line:
//! choose a file, unlock it if it is encrypted, see what it would change, then merge or
//! replace. Checking reads the file a piece at a time and, past a few tens of MiB,
//! spools its cycles to a private temporary file in the data folder, so a backup of any
//! size is restored in bounded memory; its passphrase work is done once. Nothing is changed before
//! [`RestoreSession::apply`].

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::file::{check_input, open_file, starts_encrypted};
use super::restore::{self, Mode, Preview, RestoreSummary};
use super::spooled::{SpoolWriter, Spooled};
use super::Backup;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::Store;

/// A backup file chosen for restoring, and once checked, what it holds.
pub struct RestoreSession {
    name: String,
    shown: String,
    file: File,
    encrypted: bool,
    /// Where the checked cycles are spooled: the data folder.
    spool_in: PathBuf,
    checked: Option<Backup<Spooled>>,
}

impl RestoreSession {
    /// Open the backup file at `path` for a restore into the data folder `data_dir`;
    /// nothing is checked yet.
    pub fn open(path: &Path, data_dir: &Path) -> Result<RestoreSession> {
        let file = open_file(path)?;
        let shown = path.display().to_string();
        let encrypted = starts_encrypted(&file, &shown)?;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string());
        Ok(RestoreSession {
            name,
            shown,
            file,
            encrypted,
            spool_in: data_dir.to_path_buf(),
            checked: None,
        })
    }

    /// The file's name, as the window shows it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether a passphrase is needed to check it.
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Check the whole file, decrypting it with `passphrase` if it is encrypted. A
    /// wrong passphrase can simply be tried again.
    pub fn check(&mut self, passphrase: Option<&str>, clock: Clock) -> Result<&Backup<Spooled>> {
        self.checked = None;
        // From the start, each time: the file as it is now is what gets checked.
        (&self.file)
            .seek(SeekFrom::Start(0))
            .map_err(|e| Error::io(format!("could not read {}", self.shown), e))?;
        let mut spool = SpoolWriter::new_in(&self.spool_in);
        let checked = check_input(
            &self.file,
            passphrase,
            clock.latest_backup_day(),
            &mut spool,
            &self.shown,
        )?;
        Ok(self.checked.insert(checked.with(spool.finish()?)))
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
        restore::apply(store, data_dir, self.checked()?, mode, clock.now)
    }

    fn checked(&self) -> Result<&Backup<Spooled>> {
        self.checked.as_ref().ok_or_else(|| {
            Error::Usage("the backup is not checked yet; unlock it with its passphrase".into())
        })
    }
}
