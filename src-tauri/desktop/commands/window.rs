//! How this computer's window looks: the theme chosen in Settings (light, dark, or the
//! system's), kept in settings.json beside the database so it survives a restart; and
//! what the page found of this computer's fonts.

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

/// Keep whether `system-ui` is plain sans-serif on this computer, as the page found
/// (the page is then served asking for it from its first paint).
#[tauri::command]
pub async fn set_plain_sans(state: State<'_, AppState>, same: bool) -> Result<()> {
    use_cases::remember_plain_sans(state.data_dir(), same)
}
