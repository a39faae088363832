//! How this computer's window looks: the theme chosen in Settings (light, dark, or the
//! system's), kept in settings.json beside the database so it survives a restart.

use tauri::State;

use crate::desktop::state::AppState;
use rebound_core::error::Result;
use rebound_core::local_settings::{Appearance, ThemeChoice};
use rebound_core::use_cases;

/// The theme chosen in Settings.
#[tauri::command]
pub async fn get_appearance(state: State<'_, AppState>) -> Result<Appearance> {
    Ok(use_cases::appearance(state.data_dir()))
}

/// Choose light, dark or the system's theme.
#[tauri::command]
pub async fn set_appearance(state: State<'_, AppState>, theme: ThemeChoice) -> Result<Appearance> {
    use_cases::set_theme(state.data_dir(), theme)
}
