//! Cycles: list, open, log, edit, delete and undo a delete; the nudges for a draft.

use serde_json::Value;
use tauri::State;

use crate::desktop::state::AppState;
use rebound_core::error::Result;
use rebound_core::nudges::Nudge;
use rebound_core::use_cases::{self, Clock, CycleView};

/// Recent cycles, newest attempt first.
#[tauri::command]
pub async fn list_cycles(
    state: State<'_, AppState>,
    limit: Option<usize>,
    offset: Option<usize>,
) -> Result<Vec<CycleView>> {
    use_cases::recent_cycles(&state.store()?, limit.unwrap_or(50), offset.unwrap_or(0))
}

#[tauri::command]
pub async fn get_cycle(state: State<'_, AppState>, id: String) -> Result<CycleView> {
    use_cases::find_cycle(&state.store()?, &id)
}

#[tauri::command]
pub async fn create_cycle(state: State<'_, AppState>, draft: Value) -> Result<CycleView> {
    use_cases::log_cycle(&state.store()?, draft, Clock::system()).map(CycleView::from)
}

#[tauri::command]
pub async fn update_cycle(
    state: State<'_, AppState>,
    id: String,
    draft: Value,
) -> Result<CycleView> {
    use_cases::edit_cycle(&state.store()?, &id, draft, Clock::system()).map(CycleView::from)
}

#[tauri::command]
pub async fn delete_cycle(state: State<'_, AppState>, id: String) -> Result<CycleView> {
    use_cases::delete_cycle(&state.store()?, &id).map(CycleView::from)
}

/// Put back a deleted cycle (the undo of `delete_cycle`).
#[tauri::command]
pub async fn restore_cycle(state: State<'_, AppState>, cycle: Value) -> Result<CycleView> {
    use_cases::restore_cycle(&state.store()?, cycle, Clock::system()).map(CycleView::from)
}

/// The nudges for the editor's current draft, each with its rule and field.
#[tauri::command]
pub async fn check_nudges(draft: Value) -> Vec<Nudge> {
    use_cases::draft_nudges(&draft)
}
