//! The app itself: whether the data is open (and trying again), and the About panel.

use tauri::State;

use crate::desktop::state::{AppState, StartupStatus};
use rebound_core::about::{self, About};
use rebound_core::error::Result;

/// Whether the database is open, and if not, why.
#[tauri::command]
pub async fn get_startup_status(state: State<'_, AppState>) -> Result<StartupStatus> {
    Ok(state.status())
}

/// Try opening the database again (after the other copy was closed).
#[tauri::command]
pub async fn retry_open(state: State<'_, AppState>) -> Result<StartupStatus> {
    Ok(state.retry())
}

/// What the About panel shows: version, data and backup folders, licence, sources.
/// Works even when the data could not be opened, so the panel can say where it is.
#[tauri::command]
pub async fn get_about(state: State<'_, AppState>) -> Result<About> {
    Ok(about::about(state.data_dir()))
}
