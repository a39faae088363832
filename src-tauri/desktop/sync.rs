//! Syncing while the window is open: at start, a few seconds after each save (once the
//! person has stopped saving for a moment), and every few minutes for changes from the
//! other computers. A background thread, like the daily backup; one sync at a time. The
//! sync passphrase typed in Settings is kept in memory for the session only (the sync
//! key itself is kept by the core, in the data folder), so a computer that joins later
//! can be read without asking again.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};

use super::state::AppState;
use rebound_core::error::Result;
use rebound_core::journal::Position;
use rebound_core::sync::{self, SyncReport};
use rebound_core::use_cases::{self, Clock, SyncOverview};

/// The pause before the first sync, so it never competes with start-up.
const FIRST_SYNC_DELAY: Duration = Duration::from_secs(3);
/// How often the thread looks.
const TICK: Duration = Duration::from_secs(2);
/// How long after the last save a sync starts (saves in a row make one sync).
const AFTER_SAVE: Duration = Duration::from_secs(5);
/// How often the window syncs when nothing was saved here.
const EVERY: Duration = Duration::from_secs(3 * 60);

/// The window's side of syncing, shared by the thread and the commands.
#[derive(Default)]
pub struct SyncRuntime {
    passphrase: Mutex<Option<String>>,
    running: AtomicBool,
    /// Counts syncs that changed the data here, so the page knows to redraw.
    changed: AtomicU64,
    last_error: Mutex<Option<String>>,
    /// Where the journal stood after the last sync here.
    synced_at: Mutex<Option<Position>>,
}

/// Syncing as Settings → Sync shows it, with what this session knows.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncView {
    #[serde(flatten)]
    pub overview: SyncOverview,
    pub running: bool,
    /// Goes up each time a sync changed the data here.
    pub changed: u64,
    /// Why the last sync in this session failed, if it did.
    pub last_error: Option<String>,
}

impl SyncRuntime {
    /// Sync now (one at a time), with `passphrase` if the person just typed it.
    pub fn run(&self, state: &AppState, passphrase: Option<String>) -> Result<SyncReport> {
        let mut kept = self.passphrase.lock().unwrap_or_else(|e| e.into_inner());
        if passphrase.is_some() {
            *kept = passphrase;
        }
        let passphrase = kept.clone();
        drop(kept);
        self.running.store(true, Ordering::SeqCst);
        let result = state.store().and_then(|store| {
            let report =
                use_cases::sync_now(&store, state.data_dir(), None, passphrase, Clock::system())?;
            *self.synced_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(store.position());
            Ok(report)
        });
        self.running.store(false, Ordering::SeqCst);
        let mut last_error = self.last_error.lock().unwrap_or_else(|e| e.into_inner());
        match &result {
            Ok(report) => {
                *last_error = None;
                if report.changed_here {
                    self.changed.fetch_add(1, Ordering::SeqCst);
                }
            }
            Err(e) => *last_error = Some(e.to_string()),
        }
        result
    }

    /// Syncing as it stands.
    pub fn view(&self, state: &AppState) -> SyncView {
        SyncView {
            overview: use_cases::sync_overview(state.data_dir()),
            running: self.running.load(Ordering::SeqCst),
            changed: self.changed.load(Ordering::SeqCst),
            last_error: self
                .last_error
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        }
    }

    fn synced_at(&self) -> Option<Position> {
        *self.synced_at.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Whether this window should sync on its own: a folder is chosen and this computer
/// has its sync key (the first sync, with the passphrase, is the person's to start).
fn ready(state: &AppState) -> bool {
    use_cases::sync_folder(state.data_dir()).is_some() && !sync::needs_passphrase(state.data_dir())
}

/// Start the background syncs.
pub fn start<R: Runtime>(handle: AppHandle<R>) {
    let spawned = std::thread::Builder::new()
        .name("rebound-sync".into())
        .spawn(move || {
            std::thread::sleep(FIRST_SYNC_DELAY);
            let mut last_run: Option<Instant> = None;
            // Once ready, always ready (the sync key is never taken away): asked once.
            let mut is_ready = false;
            // The journal position last seen, and since when it has stood there.
            let mut seen: Option<(Position, Instant)> = None;
            loop {
                let state = handle.state::<AppState>();
                let runtime = handle.state::<SyncRuntime>();
                is_ready = is_ready || ready(&state);
                if let (true, Ok(store)) = (is_ready, state.store()) {
                    let now = store.position();
                    if seen.is_none_or(|(at, _)| at != now) {
                        seen = Some((now, Instant::now()));
                    }
                    let saved = runtime.synced_at() != Some(now)
                        && seen.is_some_and(|(_, since)| since.elapsed() >= AFTER_SAVE);
                    let due = last_run.is_none_or(|at| at.elapsed() >= EVERY);
                    if saved || due {
                        if let Err(e) = runtime.run(&state, None) {
                            eprintln!("rebound: the background sync did not finish: {e}");
                        }
                        last_run = Some(Instant::now());
                    }
                }
                std::thread::sleep(TICK);
            }
        });
    if let Err(e) = spawned {
        eprintln!("rebound: background syncing could not start: {e}");
    }
}
