//! What the window keeps for the life of the process: the data folder, the open store
//! (or why it could not be opened), and how to ask for files.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use serde::Serialize;

use super::dialogs::Dialogs;
use rebound_core::backup::auto::{self, AutoBackup};
use rebound_core::backup::session::RestoreSession;
use rebound_core::error::{Error, Result};
use rebound_core::local_settings;
use rebound_core::reminder::Due;
use rebound_core::store::Store;
use rebound_core::use_cases;

/// Why the database is not available, as the start-up screen shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: &'static str,
    pub message: String,
}

/// What the window needs to know before it shows anything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartupStatus {
    pub ready: bool,
    pub problem: Option<Problem>,
    pub data_dir: String,
    pub version: &'static str,
    /// The newest automatic backup, which the start-up screen mentions.
    pub newest_backup: Option<AutoBackup>,
    /// Whether Rebound's own records can rebuild the data (its recovery journal, or an
    /// automatic backup): the start-up screen then offers to recover.
    pub recoverable: bool,
    /// Set when the settings file could not be read and defaults are in use.
    pub settings_problem: Option<String>,
}

pub struct AppState {
    data_dir: PathBuf,
    // A lock only so "try again" can swap a failed open for a working one. sled is
    // internally synchronised: the store is cloned out and the lock never held for I/O.
    store: RwLock<std::result::Result<Store, Problem>>,
    pub dialogs: Dialogs,
    /// A reminder that fell due and the window has not shown yet.
    reminder: Mutex<Option<Due>>,
    /// The backup being restored, between "open", "unlock" and "apply".
    pending: Mutex<Option<RestoreSession>>,
    settings_problem: Option<String>,
}

fn problem(e: &Error) -> Problem {
    Problem {
        kind: e.kind(),
        message: e.to_string(),
    }
}

impl AppState {
    /// Open the store in `data_dir`. A failure is kept, not raised: the window opens
    /// anyway and explains it, instead of crashing or looking empty.
    pub fn open(data_dir: PathBuf, dialogs: Dialogs) -> AppState {
        let store = Store::open(&data_dir).map_err(|e| problem(&e));
        let (_, settings_problem) = local_settings::load(&data_dir);
        AppState {
            data_dir,
            store: RwLock::new(store),
            dialogs,
            reminder: Mutex::new(None),
            pending: Mutex::new(None),
            settings_problem,
        }
    }

    /// The data folder this window works on (whether or not it could be opened).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Use `store` from now on (after a restore switched the database).
    pub fn replace_store(&self, store: Store) {
        let mut slot = self.store.write().unwrap_or_else(|e| e.into_inner());
        *slot = Ok(store);
    }

    /// The restore in progress, if any.
    pub fn pending(&self) -> std::sync::MutexGuard<'_, Option<RestoreSession>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The open store, or the start-up problem as an error.
    pub fn store(&self) -> Result<Store> {
        let slot = self.store.read().unwrap_or_else(|e| e.into_inner());
        match &*slot {
            Ok(store) => Ok(store.clone()),
            Err(p) => Err(Error::Unavailable(p.message.clone())),
        }
    }

    /// Where things stand.
    pub fn status(&self) -> StartupStatus {
        let slot = self.store.read().unwrap_or_else(|e| e.into_inner());
        StartupStatus {
            ready: slot.is_ok(),
            problem: slot.as_ref().err().cloned(),
            data_dir: self.data_dir.display().to_string(),
            version: env!("CARGO_PKG_VERSION"),
            newest_backup: auto::list(&self.data_dir).into_iter().next(),
            recoverable: use_cases::can_recover(&self.data_dir),
            settings_problem: self.settings_problem.clone(),
        }
    }

    /// Try to open the store again if it failed (say, the other copy has closed).
    pub fn retry(&self) -> StartupStatus {
        {
            let mut slot = self.store.write().unwrap_or_else(|e| e.into_inner());
            if slot.is_err() {
                *slot = Store::open(&self.data_dir).map_err(|e| problem(&e));
            }
        }
        self.status()
    }

    /// Keep a due reminder for the window to show.
    pub fn put_reminder(&self, due: Due) {
        *self.reminder.lock().unwrap_or_else(|e| e.into_inner()) = Some(due);
    }

    /// Take the due reminder, if any: the window shows it once.
    pub fn take_reminder(&self) -> Option<Due> {
        self.reminder
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// Close the database; called at exit (Tauri never drops managed state, so without
    /// this the database would never be closed cleanly, and the next start would open it
    /// through a copy).
    pub fn close(&self) {
        let mut slot = self.store.write().unwrap_or_else(|e| e.into_inner());
        let closing = std::mem::replace(
            &mut *slot,
            Err(Problem {
                kind: "closed",
                message: "Rebound is closing".into(),
            }),
        );
        drop(slot);
        if let Ok(store) = closing {
            if let Err(e) = store.flush() {
                eprintln!("rebound: could not flush the database at exit: {e}");
            }
            // The last handle: dropping it closes sled and records a clean close.
            drop(store);
        }
    }
}
