//! Settings → Sync: the folder (through the native dialog), syncing now (with the
//! passphrase the first time), what the last sync said, and resolving a conflict.

use serde::Serialize;
use tauri::{Runtime, State, WebviewWindow};

use crate::desktop::state::AppState;
use crate::desktop::sync::{SyncRuntime, SyncView};
use rebound_core::error::{Error, Result};
use rebound_core::sync::SyncReport;
use rebound_core::use_cases::{self, Clock};

/// Syncing as it stands.
#[tauri::command]
pub async fn get_sync_overview(
    state: State<'_, AppState>,
    runtime: State<'_, SyncRuntime>,
) -> Result<SyncView> {
    Ok(runtime.view(&state))
}

/// Ask for the sync folder.
#[tauri::command]
pub async fn choose_sync_folder<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    runtime: State<'_, SyncRuntime>,
) -> Result<SyncView> {
    let folder = state
        .dialogs
        .pick_sync_folder(&window)
        .await
        .ok_or(Error::Cancelled)?;
    use_cases::set_sync_folder(state.data_dir(), folder)?;
    Ok(runtime.view(&state))
}

/// What "Sync now" did, and syncing as it now stands.
#[derive(Clone, Debug, Serialize)]
pub struct SyncDone {
    pub report: SyncReport,
    pub view: SyncView,
}

/// Sync now; `passphrase` is needed the first time on this computer.
#[tauri::command]
pub async fn sync_now(
    state: State<'_, AppState>,
    runtime: State<'_, SyncRuntime>,
    passphrase: Option<String>,
) -> Result<SyncDone> {
    let passphrase = passphrase.filter(|p| !p.is_empty());
    let report = runtime.run(&state, passphrase)?;
    Ok(SyncDone {
        report,
        view: runtime.view(&state),
    })
}

/// Resolve a conflict: keep the text at `keep`, or every text (`keep` absent).
#[tauri::command]
pub async fn resolve_sync_conflict(
    state: State<'_, AppState>,
    runtime: State<'_, SyncRuntime>,
    cycle: String,
    field: String,
    keep: Option<usize>,
) -> Result<SyncView> {
    let store = state.store()?;
    use_cases::resolve_conflict(
        &store,
        state.data_dir(),
        &cycle,
        &field,
        keep,
        Clock::system(),
    )?;
    Ok(runtime.view(&state))
}
