//! Backups in the window: export (through the save dialog), readable copies, restoring a
//! chosen file (open → unlock → apply, one `RestoreSession` kept between the calls),
//! the automatic backups and their settings, and starting again from one.

use std::path::PathBuf;

use serde::Serialize;
use tauri::{Runtime, State, WebviewWindow};

use crate::desktop::state::{AppState, StartupStatus};
use rebound_core::backup::auto;
use rebound_core::backup::readable::{self, ReadableSummary};
use rebound_core::backup::restore::{Mode, Preview, RestoreSummary};
use rebound_core::backup::session::RestoreSession;
use rebound_core::backup::{self, ExportSummary};
use rebound_core::error::{Error, Result};
use rebound_core::use_cases::{self, BackupOverview, Clock};

/// Ask where to save, then write the backup there: encrypted with `passphrase`, or
/// plain when there is none. Cancelling is `Error::Cancelled`.
#[tauri::command]
pub async fn export_backup<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    passphrase: Option<String>,
) -> Result<ExportSummary> {
    // A passphrase that will be refused is said before the dialog, not after it.
    if let Some(passphrase) = &passphrase {
        backup::check_new_passphrase(passphrase)?;
    }
    let store = state.store()?;
    let clock = Clock::system();
    let name = use_cases::backup_file_name(passphrase.as_deref(), clock);
    let path = state
        .dialogs
        .save_backup_path(&window, &name)
        .await
        .ok_or(Error::Cancelled)?;
    use_cases::export_backup(&store, &path, passphrase.as_deref(), clock)
}

/// Ask where to save, then write every cycle as CSV or Markdown there.
#[tauri::command]
pub async fn export_readable<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    format: readable::Format,
) -> Result<ReadableSummary> {
    let store = state.store()?;
    let clock = Clock::system();
    let name = format.default_file_name(clock.today);
    let path = state
        .dialogs
        .save_readable_path(&window, &name, format.extension())
        .await
        .ok_or(Error::Cancelled)?;
    use_cases::export_readable(&store, &path, format, clock)
}

/// A backup chosen for restoring: its name, and its preview once it is readable.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenedBackup {
    pub name: String,
    pub encrypted: bool,
    /// None until an encrypted backup is unlocked with its passphrase.
    pub preview: Option<Preview>,
}

/// Choose a backup to restore (the open dialog, or the automatic backup named
/// `automatic`), read it whole and, if it is plain, check it and preview it. Nothing is
/// changed until `apply_restore`.
#[tauri::command]
pub async fn open_backup<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    automatic: Option<String>,
) -> Result<OpenedBackup> {
    *state.pending() = None;
    let path: PathBuf = match automatic {
        Some(name) => auto::find(state.data_dir(), &name)?.path,
        None => state
            .dialogs
            .open_backup_path(&window)
            .await
            .ok_or(Error::Cancelled)?,
    };
    let mut session = RestoreSession::open(&path, state.data_dir())?;
    let encrypted = session.is_encrypted();
    let preview = if encrypted {
        None
    } else {
        session.check(None, Clock::system())?;
        Some(session.preview(&state.store()?)?)
    };
    let opened = OpenedBackup {
        name: session.name().to_string(),
        encrypted,
        preview,
    };
    *state.pending() = Some(session);
    Ok(opened)
}

/// Unlock the encrypted backup chosen with `open_backup`, check it and preview it. A
/// wrong passphrase keeps the backup chosen, to try again.
#[tauri::command]
pub async fn unlock_backup(state: State<'_, AppState>, passphrase: String) -> Result<Preview> {
    let mut pending = state.pending();
    let session = pending.as_mut().ok_or_else(no_backup_chosen)?;
    session.check(Some(&passphrase), Clock::system())?;
    session.preview(&state.store()?)
}

fn no_backup_chosen() -> Error {
    Error::Usage("no backup is chosen; choose one to restore first".into())
}

/// Restore the checked backup in `mode`, after a snapshot of the current data.
#[tauri::command]
pub async fn apply_restore(state: State<'_, AppState>, mode: Mode) -> Result<RestoreSummary> {
    let session = state.pending().take().ok_or_else(no_backup_chosen)?;
    let store = state.store()?;
    let (fresh, summary) = session.apply(&store, state.data_dir(), mode, Clock::system())?;
    state.replace_store(fresh);
    Ok(summary)
}

#[tauri::command]
pub async fn get_backup_overview(state: State<'_, AppState>) -> Result<BackupOverview> {
    Ok(use_cases::backup_overview(state.data_dir()))
}

/// Turn automatic backups on or off, and set how many are kept.
#[tauri::command]
pub async fn set_backup_settings(
    state: State<'_, AppState>,
    enabled: bool,
    keep: u32,
) -> Result<BackupOverview> {
    use_cases::set_backup_settings(state.data_dir(), enabled, keep)
}

/// Ask for the folder automatic backups go into.
#[tauri::command]
pub async fn choose_backup_folder<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<BackupOverview> {
    let current = use_cases::backup_overview(state.data_dir()).folder;
    let folder = state
        .dialogs
        .pick_folder(&window, std::path::Path::new(&current))
        .await
        .ok_or(Error::Cancelled)?;
    use_cases::set_backup_folder(state.data_dir(), folder)
}

/// Make today's automatic backup now.
#[tauri::command]
pub async fn make_backup_now(state: State<'_, AppState>) -> Result<BackupOverview> {
    use_cases::backup_now(&state.store()?, state.data_dir(), Clock::system())
}

/// What recovering did, and where things stand now.
#[derive(Clone, Debug, Serialize)]
pub struct Recovered {
    pub status: StartupStatus,
    /// One plain account of what was rebuilt and from where.
    pub report: String,
}

/// When the database cannot be opened: rebuild it from Rebound's own records, keeping
/// the damaged one aside untouched.
#[tauri::command]
pub async fn recover_data(state: State<'_, AppState>) -> Result<Recovered> {
    if state.store().is_ok() {
        return Err(Error::Usage(
            "your data is open; restore from the Backup view".into(),
        ));
    }
    let (store, report) = use_cases::recover(state.data_dir(), Clock::system())?;
    state.replace_store(store);
    Ok(Recovered {
        status: state.status(),
        report: report.sentence(),
    })
}
