//! Guidance where the choice is made: the editor's guide for an area, each area's band
//! and rule, the playbook, the prediction track record, the weekly review and its plan,
//! and the tray with start at login.

use tauri::{AppHandle, Runtime, State};

use crate::desktop::state::AppState;
use crate::desktop::tray::{self, DesktopStatus, TrayState};
use rebound_core::error::{Error, Result};
use rebound_core::insights::TrackRecord;
use rebound_core::local_settings;
use rebound_core::review::ReviewSettings;
use rebound_core::search::FilterInput;
use rebound_core::use_cases::{
    self, AreaGuideView, AttemptGuide, Clock, PlanView, PlaybookView, ReviewView,
};

/// What the editor shows beside a new attempt in `area` (the last area when empty).
#[tauri::command]
pub async fn get_attempt_guide(state: State<'_, AppState>, area: String) -> Result<AttemptGuide> {
    use_cases::attempt_guide(&state.store()?, &area)
}

/// The band and staircase rule `area` follows.
#[tauri::command]
pub async fn get_area_guide(state: State<'_, AppState>, area: String) -> Result<AreaGuideView> {
    use_cases::area_guide(&state.store()?, &area)
}

/// Set `area`'s own band and rule; leave a pair out to use the default.
#[tauri::command]
pub async fn set_area_guide(
    state: State<'_, AppState>,
    area: String,
    band: Option<(u8, u8)>,
    staircase: Option<(u8, u8)>,
) -> Result<AreaGuideView> {
    use_cases::set_area_guide(&state.store()?, &area, band, staircase)
}

/// The playbook: adjustments by area, merged, with their record.
#[tauri::command]
pub async fn get_playbook(state: State<'_, AppState>, filter: FilterInput) -> Result<PlaybookView> {
    use_cases::playbook_view(&state.store()?, &filter)
}

/// Predictions in 10% bins, the last 90 days and all time.
#[tauri::command]
pub async fn get_track_record(state: State<'_, AppState>) -> Result<TrackRecord> {
    use_cases::track_record(&state.store()?, Clock::system())
}

/// When the weekly review comes round (Settings), without working out the review.
#[tauri::command]
pub async fn get_review_settings(state: State<'_, AppState>) -> Result<ReviewSettings> {
    use_cases::review_settings(&state.store()?)
}

/// The weekly review page.
#[tauri::command]
pub async fn get_review(state: State<'_, AppState>) -> Result<ReviewView> {
    use_cases::review_view(&state.store()?, Clock::system())
}

/// Plan the next attempt; the review counts as done.
#[tauri::command]
pub async fn save_plan(
    state: State<'_, AppState>,
    area: String,
    attempt: String,
    difficulty: u8,
    on: String,
) -> Result<PlanView> {
    use_cases::save_plan(
        &state.store()?,
        &area,
        &attempt,
        difficulty,
        &on,
        Clock::system(),
    )
}

/// Let the planned attempt go.
#[tauri::command]
pub async fn clear_plan(state: State<'_, AppState>) -> Result<()> {
    use_cases::clear_plan(&state.store()?)
}

/// Count this week's review as done without a plan.
#[tauri::command]
pub async fn finish_review(state: State<'_, AppState>) -> Result<()> {
    use_cases::finish_review(&state.store()?, Clock::system())
}

/// When the weekly review comes round: on or off, the day (1–7 from Monday), the time.
#[tauri::command]
pub async fn set_review_settings(
    state: State<'_, AppState>,
    enabled: bool,
    weekday: u8,
    time: String,
) -> Result<ReviewSettings> {
    let settings =
        ReviewSettings::parse(enabled, weekday, &time).map_err(|e| Error::Invalid(vec![e]))?;
    use_cases::set_review_settings(&state.store()?, settings)
}

/// Whether Rebound keeps to the tray and starts at login, and whether that works here.
#[tauri::command]
pub async fn get_desktop_settings<R: Runtime>(app: AppHandle<R>) -> Result<DesktopStatus> {
    Ok(tray::status(&app))
}

/// Turn "keep Rebound in the tray and start it at login" on or off, now and for later.
#[tauri::command]
pub async fn set_in_tray<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    enabled: bool,
) -> Result<DesktopStatus> {
    local_settings::update(state.data_dir(), |s| s.desktop.in_tray = enabled)?;
    tray::apply(&app, enabled);
    Ok(tray::status(&app))
}

/// What the tray asked the window to do ("new_attempt"), taken once.
#[tauri::command]
pub async fn take_tray_request(tray: State<'_, TrayState>) -> Result<Option<String>> {
    Ok(tray.take_request().map(str::to_string))
}
