//! The window's commands. Each converts its arguments, calls one core function, and
//! returns; errors go out in the stable `{kind, message, fields?}` shape. All are async
//! so no database or file work runs on the UI thread.

use serde_json::Value;
use tauri::{Runtime, State, WebviewWindow};

use super::state::{AppState, StartupStatus};
use crate::about::{self, About};
use crate::backup::{self, ExportSummary};
use crate::charts::Theme;
use crate::error::{Error, Result};
use crate::ops::{self, Clock, CycleView, EvidenceView};
use crate::store::AreaSummary;

/// Largest page of cycles the list asks for at once.
const MAX_PAGE: usize = 500;

/// Whether the database is open, and if not, why.
#[tauri::command]
pub async fn startup_status(state: State<'_, AppState>) -> Result<StartupStatus> {
    Ok(state.status())
}

/// Try opening the database again (after the other copy was closed).
#[tauri::command]
pub async fn retry_open(state: State<'_, AppState>) -> Result<StartupStatus> {
    Ok(state.retry())
}

/// Recent cycles, newest attempt first.
#[tauri::command]
pub async fn list_cycles(
    state: State<'_, AppState>,
    limit: Option<usize>,
    offset: Option<usize>,
) -> Result<Vec<CycleView>> {
    let cycles = state
        .store()?
        .recent(limit.unwrap_or(50).min(MAX_PAGE), offset.unwrap_or(0))?;
    Ok(cycles.into_iter().map(CycleView::from).collect())
}

#[tauri::command]
pub async fn get_cycle(state: State<'_, AppState>, id: String) -> Result<CycleView> {
    state.store()?.find(&id).map(CycleView::from)
}

#[tauri::command]
pub async fn create_cycle(state: State<'_, AppState>, draft: Value) -> Result<CycleView> {
    ops::log_cycle(&state.store()?, draft, Clock::system()).map(CycleView::from)
}

#[tauri::command]
pub async fn update_cycle(
    state: State<'_, AppState>,
    id: String,
    draft: Value,
) -> Result<CycleView> {
    ops::edit_cycle(&state.store()?, &id, draft, Clock::system()).map(CycleView::from)
}

#[tauri::command]
pub async fn delete_cycle(state: State<'_, AppState>, id: String) -> Result<CycleView> {
    ops::delete_cycle(&state.store()?, &id).map(CycleView::from)
}

/// Put back a deleted cycle (the undo of `delete_cycle`).
#[tauri::command]
pub async fn restore_cycle(state: State<'_, AppState>, cycle: Value) -> Result<CycleView> {
    ops::restore_cycle(&state.store()?, cycle, Clock::system()).map(CycleView::from)
}

#[tauri::command]
pub async fn list_areas(state: State<'_, AppState>) -> Result<Vec<AreaSummary>> {
    state.store()?.areas()
}

#[tauri::command]
pub async fn evidence_chart(
    state: State<'_, AppState>,
    theme: Option<Theme>,
) -> Result<EvidenceView> {
    ops::evidence_view(&state.store()?, theme.unwrap_or_default(), Clock::system())
}

/// Ask where to save, then write the backup there. Cancelling is `Error::Cancelled`.
#[tauri::command]
pub async fn export_backup<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<ExportSummary> {
    let store = state.store()?;
    let clock = Clock::system();
    let name = backup::default_file_name(clock.today);
    let path = state
        .dialogs
        .save_backup_path(&window, &name)
        .await
        .ok_or(Error::Cancelled)?;
    backup::export(&store, &path, clock.now)
}

/// What the About panel shows: version, data and backup folders, licence, sources.
/// Works even when the data could not be opened, so the panel can say where it is.
#[tauri::command]
pub async fn about_info(state: State<'_, AppState>) -> Result<About> {
    Ok(about::about(state.data_dir()))
}
