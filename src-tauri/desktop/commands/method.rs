//! The method day to day: Today, the adjustment a new attempt would test, search,
//! lessons, areas and the daily reminder.

use tauri::State;

use crate::desktop::state::AppState;
use rebound_core::charts::Theme;
use rebound_core::error::{Error, Result};
use rebound_core::reminder::{Due, Reminder};
use rebound_core::search::FilterInput;
use rebound_core::store::AreaSummary;
use rebound_core::use_cases::{
    self, AreaView, Clock, CycleView, EvidenceView, LessonsPage, SearchPage, TodayView, MAX_PAGE,
};

/// Today's lists: pending outcomes, unfinished reflections, untested adjustments, a
/// lesson from the past, and this date in earlier months.
#[tauri::command]
pub async fn get_today(state: State<'_, AppState>) -> Result<TodayView> {
    use_cases::today_view(&state.store()?, Clock::system())
}

/// The evidence of recovery with its chart, for Today.
#[tauri::command]
pub async fn get_evidence_chart(
    state: State<'_, AppState>,
    theme: Option<Theme>,
    width: Option<u32>,
) -> Result<EvidenceView> {
    use_cases::evidence_view(
        &state.store()?,
        theme.unwrap_or_default(),
        width,
        Clock::system(),
    )
}

/// The adjustment waiting to be tested by a new attempt in `area`, if any.
#[tauri::command]
pub async fn get_open_adjustment(
    state: State<'_, AppState>,
    area: String,
) -> Result<Option<CycleView>> {
    use_cases::open_adjustment(&state.store()?, &area)
}

/// Search and filter the cycles, a page at a time.
#[tauri::command]
pub async fn search_cycles(
    state: State<'_, AppState>,
    filter: FilterInput,
    limit: Option<usize>,
    offset: Option<usize>,
) -> Result<SearchPage> {
    use_cases::search_cycles(
        &state.store()?,
        &filter,
        limit.unwrap_or(50).min(MAX_PAGE),
        offset.unwrap_or(0),
    )
}

/// Every adjustment, with whether it was tested and how that went.
#[tauri::command]
pub async fn list_lessons(
    state: State<'_, AppState>,
    filter: FilterInput,
    limit: Option<usize>,
) -> Result<LessonsPage> {
    use_cases::lessons(&state.store()?, &filter, limit.unwrap_or(100).min(MAX_PAGE))
}

#[tauri::command]
pub async fn list_areas(state: State<'_, AppState>) -> Result<Vec<AreaSummary>> {
    use_cases::list_areas(&state.store()?)
}

#[tauri::command]
pub async fn get_area_overview(state: State<'_, AppState>) -> Result<Vec<AreaView>> {
    use_cases::area_overview(&state.store()?)
}

/// Rename an area, or merge it into another by giving that one's name.
#[tauri::command]
pub async fn rename_area(state: State<'_, AppState>, from: String, to: String) -> Result<usize> {
    use_cases::rename_area(&state.store()?, &from, &to, Clock::system())
}

#[tauri::command]
pub async fn archive_area(
    state: State<'_, AppState>,
    area: String,
    archived: bool,
) -> Result<Vec<String>> {
    use_cases::archive_area(&state.store()?, &area, archived)
}

#[tauri::command]
pub async fn get_reminder(state: State<'_, AppState>) -> Result<Reminder> {
    use_cases::reminder(&state.store()?)
}

#[tauri::command]
pub async fn set_reminder(
    state: State<'_, AppState>,
    enabled: bool,
    time: String,
) -> Result<Reminder> {
    let reminder = Reminder::parse(enabled, &time).map_err(|e| Error::Invalid(vec![e]))?;
    use_cases::set_reminder(&state.store()?, reminder, Clock::system())
}

/// A reminder that fell due (shown as a notification too), taken once.
#[tauri::command]
pub async fn take_pending_reminder(state: State<'_, AppState>) -> Result<Option<Due>> {
    Ok(state.take_reminder())
}
