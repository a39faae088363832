//! The dashboard: its charts, the target band and the resilience check-in.

use tauri::State;

use crate::desktop::state::AppState;
use rebound_core::charts::{Kind, Theme};
use rebound_core::error::Result;
use rebound_core::insights::{Band, BrsCheckin, Range};
use rebound_core::use_cases::{self, Clock, DashboardAsk, DashboardView};

/// The dashboard with the charts asked for, drawn `width` pixels wide (the width the
/// window shows them at). The window asks for the first chart alone, then for the rest,
/// so the first shows before the others are drawn.
#[tauri::command]
pub async fn get_dashboard(
    state: State<'_, AppState>,
    kinds: Vec<Kind>,
    range: Option<Range>,
    theme: Option<Theme>,
    area: Option<String>,
    width: Option<u32>,
) -> Result<DashboardView> {
    let ask = DashboardAsk {
        kinds,
        range: range.unwrap_or_default(),
        theme: theme.unwrap_or_default(),
        area,
        width,
    };
    use_cases::dashboard_view(&state.store()?, ask, Clock::system())
}

/// Store today's Brief Resilience Scale check-in.
#[tauri::command]
pub async fn save_checkin(state: State<'_, AppState>, answers: Vec<u8>) -> Result<BrsCheckin> {
    use_cases::save_checkin(&state.store()?, &answers, Clock::system())
}

/// Put the resilience check-in off for a month.
#[tauri::command]
pub async fn postpone_checkin(state: State<'_, AppState>) -> Result<()> {
    use_cases::checkin_later(&state.store()?, Clock::system())
}

/// Set the calibration target band (percent of recent attempts going well).
#[tauri::command]
pub async fn set_target_band(state: State<'_, AppState>, low: u8, high: u8) -> Result<Band> {
    use_cases::set_target_band(&state.store()?, low, high)
}
