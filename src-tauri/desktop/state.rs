//! What the window keeps for the life of the process: the data folder, the open store
//! (or why it could not be opened), and how to ask for files.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use serde::Serialize;

use super::dialogs::Dialogs;
use rebound_core::backup::auto::{self, AutoBackup};
use rebound_core::backup::session::RestoreSession;
use rebound_core::error::{Error, Result};
use rebound_core::local_settings;
use rebound_core::reminder::Due;
use rebound_core::store::{Locked, Store};
use rebound_core::use_cases::{self, Clock, PreparedToday};

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
    /// The newest automatic backup, which the start-up screen mentions (looked for only
    /// when the data could not be opened).
    pub newest_backup: Option<AutoBackup>,
    /// Whether Rebound's own records can rebuild the data (its recovery journal, or an
    /// automatic backup): the start-up screen then offers to recover. Only worked out
    /// when the data could not be opened.
    pub recoverable: bool,
    /// Set when the settings file could not be read and defaults are in use.
    pub settings_problem: Option<String>,
}

/// How many of the latest cycles Today lists.
pub const TODAY_RECENT: usize = 5;

/// The open store, or why it could not be opened; None while it is still opening.
type Opened = Option<std::result::Result<Store, Problem>>;

/// Where the store is kept: filled once opening ends (on a thread of its own while the
/// window's page loads), swapped by "try again" and by a restore. sled is internally
/// synchronised: the store is cloned out and the lock never held for I/O.
#[derive(Default)]
struct Slot {
    store: Mutex<Opened>,
    opened: Condvar,
    /// Today worked out on the opening thread, before the store is handed over, for
    /// the window's first request (taken by it).
    prepared: Mutex<Option<PreparedToday>>,
}

impl Slot {
    fn fill(&self, store: std::result::Result<Store, Problem>) {
        *self.store.lock().unwrap_or_else(|e| e.into_inner()) = Some(store);
        self.opened.notify_all();
    }

    /// Fill with the store just opened, after working out Today from it: the window's
    /// page is still loading then, and its first request only has to draw the chart.
    fn fill_prepared(&self, store: std::result::Result<Store, Problem>) {
        if let Ok(store) = &store {
            match use_cases::prepare_today(store, TODAY_RECENT, Clock::system()) {
                Ok(today) => *self.prepared.lock().unwrap_or_else(|e| e.into_inner()) = Some(today),
                // The window's request works it out again, and says what went wrong.
                Err(e) => eprintln!("rebound: Today could not be worked out while opening: {e}"),
            }
        }
        self.fill(store);
    }

    /// Whether opening has ended within `limit`.
    fn ended_within(&self, limit: std::time::Duration) -> bool {
        let held = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let (held, _) = self
            .opened
            .wait_timeout_while(held, limit, |opened| opened.is_none())
            .unwrap_or_else(|e| e.into_inner());
        held.is_some()
    }

    /// The store once opening has ended, held.
    fn wait(&self) -> MutexGuard<'_, Opened> {
        let mut held = self.store.lock().unwrap_or_else(|e| e.into_inner());
        while held.is_none() {
            held = self.opened.wait(held).unwrap_or_else(|e| e.into_inner());
        }
        held
    }
}

pub struct AppState {
    data_dir: PathBuf,
    slot: Arc<Slot>,
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
        let state = AppState::new(data_dir, dialogs);
        state
            .slot
            .fill_prepared(Store::open(&state.data_dir).map_err(|e| problem(&e)));
        state
    }

    /// Open the store in the folder `locked` holds (or keep why it could not be locked)
    /// on a thread of its own, so the window and its page start meanwhile; everything
    /// that needs the store waits for it. With `today`, Today is worked out there too,
    /// for the window's first request (not worth it for a window that starts hidden).
    pub fn opening(
        data_dir: PathBuf,
        dialogs: Dialogs,
        locked: rebound_core::error::Result<Locked>,
        today: bool,
    ) -> AppState {
        let state = AppState::new(data_dir, dialogs);
        match locked {
            Err(e) => state.slot.fill(Err(problem(&e))),
            Ok(locked) => {
                let slot = Arc::clone(&state.slot);
                let job = move || {
                    let opened = locked.open().map_err(|e| problem(&e));
                    if today {
                        slot.fill_prepared(opened);
                    } else {
                        slot.fill(opened);
                    }
                };
                let job = Arc::new(Mutex::new(Some(job)));
                let run = Arc::clone(&job);
                let spawned = std::thread::Builder::new()
                    .name("rebound-open".into())
                    .spawn(move || {
                        if let Some(job) = run.lock().unwrap_or_else(|e| e.into_inner()).take() {
                            job();
                        }
                    });
                // No thread to be had: open here, as before.
                if spawned.is_err() {
                    if let Some(job) = job.lock().unwrap_or_else(|e| e.into_inner()).take() {
                        job();
                    }
                }
            }
        }
        state
    }

    fn new(data_dir: PathBuf, dialogs: Dialogs) -> AppState {
        let (_, settings_problem) = local_settings::load(&data_dir);
        AppState {
            data_dir,
            slot: Arc::default(),
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

    /// Whether opening the data has ended (opened, or failed) within `limit`.
    pub fn opened_within(&self, limit: std::time::Duration) -> bool {
        self.slot.ended_within(limit)
    }

    /// Use `store` from now on (after a restore switched the database).
    pub fn replace_store(&self, store: Store) {
        let mut slot = self.slot.wait();
        self.take_prepared();
        *slot = Some(Ok(store));
    }

    /// Today as worked out while the store opened, if it was and nobody took it yet
    /// (the window's first request does). Check it still holds before using it.
    pub fn take_prepared(&self) -> Option<PreparedToday> {
        self.slot
            .prepared
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// The restore in progress, if any.
    pub fn pending(&self) -> std::sync::MutexGuard<'_, Option<RestoreSession>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The open store, or the start-up problem as an error.
    pub fn store(&self) -> Result<Store> {
        let slot = self.slot.wait();
        match &*slot {
            Some(Ok(store)) => Ok(store.clone()),
            Some(Err(p)) => Err(Error::Unavailable(p.message.clone())),
            None => unreachable!("wait returns once the store is opened"),
        }
    }

    /// Where things stand.
    pub fn status(&self) -> StartupStatus {
        let problem = match &*self.slot.wait() {
            Some(Err(p)) => Some(p.clone()),
            _ => None,
        };
        let ready = problem.is_none();
        StartupStatus {
            ready,
            problem,
            data_dir: self.data_dir.display().to_string(),
            version: env!("CARGO_PKG_VERSION"),
            // Only the start-up screen says these: not read while opening normally.
            newest_backup: if ready {
                None
            } else {
                auto::list(&self.data_dir).into_iter().next()
            },
            recoverable: !ready && use_cases::can_recover(&self.data_dir),
            settings_problem: self.settings_problem.clone(),
        }
    }

    /// Try to open the store again if it failed (say, the other copy has closed).
    pub fn retry(&self) -> StartupStatus {
        {
            let mut slot = self.slot.wait();
            if matches!(&*slot, Some(Err(_))) {
                *slot = Some(Store::open(&self.data_dir).map_err(|e| problem(&e)));
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
        let mut slot = self.slot.wait();
        let closing = slot.replace(Err(Problem {
            kind: "closed",
            message: "Rebound is closing".into(),
        }));
        drop(slot);
        if let Some(Ok(store)) = closing {
            if let Err(e) = store.flush() {
                eprintln!("rebound: could not flush the database at exit: {e}");
            }
            // The last handle: dropping it closes sled and records a clean close.
            drop(store);
        }
    }
}
