//! The window's commands. Each converts its arguments, calls one core function, and
//! returns; errors go out in the stable `{kind, message, fields?}` shape. All are async
//! so no database or file work runs on the UI thread.

use serde_json::Value;
use tauri::{Runtime, State, WebviewWindow};

use super::state::{AppState, StartupStatus};
use crate::about::{self, About};
use crate::backup::{self, ExportSummary};
use crate::charts::{Kind, Theme};
use crate::error::{Error, Result};
use crate::insights::{Band, BrsCheckin, Range};
use crate::nudges::Nudge;
use crate::ops::{
    self, AreaView, Clock, CycleView, DashboardView, EvidenceView, LessonsPage, SearchPage,
    TodayView,
};
use crate::reminder::{Due, Reminder};
use crate::search::FilterInput;
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

/// The dashboard with the charts asked for. The window asks for the first chart alone,
/// then for the rest, so the first shows before the others are drawn.
#[tauri::command]
pub async fn dashboard(
    state: State<'_, AppState>,
    kinds: Vec<Kind>,
    range: Option<Range>,
    theme: Option<Theme>,
    area: Option<String>,
) -> Result<DashboardView> {
    ops::dashboard_view(
        &state.store()?,
        &kinds,
        range.unwrap_or_default(),
        theme.unwrap_or_default(),
        area,
        Clock::system(),
    )
}

/// Store today's Brief Resilience Scale check-in.
#[tauri::command]
pub async fn save_checkin(state: State<'_, AppState>, answers: Vec<u8>) -> Result<BrsCheckin> {
    ops::save_checkin(&state.store()?, &answers, Clock::system())
}

/// Put the resilience check-in off for a month.
#[tauri::command]
pub async fn checkin_later(state: State<'_, AppState>) -> Result<()> {
    ops::checkin_later(&state.store()?, Clock::system())
}

/// Set the calibration target band (percent of recent attempts going well).
#[tauri::command]
pub async fn set_target_band(state: State<'_, AppState>, low: u8, high: u8) -> Result<Band> {
    ops::set_target_band(&state.store()?, low, high)
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

/// Today's lists: pending outcomes, unfinished reflections, untested adjustments, a
/// lesson from the past, and this date in earlier months.
#[tauri::command]
pub async fn today_view(state: State<'_, AppState>) -> Result<TodayView> {
    ops::today_view(&state.store()?, Clock::system())
}

/// The adjustment waiting to be tested by a new attempt in `area`, if any.
#[tauri::command]
pub async fn open_adjustment(
    state: State<'_, AppState>,
    area: String,
) -> Result<Option<CycleView>> {
    ops::open_adjustment(&state.store()?, &area)
}

/// Search and filter the cycles, a page at a time.
#[tauri::command]
pub async fn search_cycles(
    state: State<'_, AppState>,
    filter: FilterInput,
    limit: Option<usize>,
    offset: Option<usize>,
) -> Result<SearchPage> {
    ops::search_cycles(
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
    ops::lessons(&state.store()?, &filter, limit.unwrap_or(100).min(MAX_PAGE))
}

#[tauri::command]
pub async fn area_overview(state: State<'_, AppState>) -> Result<Vec<AreaView>> {
    ops::area_overview(&state.store()?)
}

/// Rename an area, or merge it into another by giving that one's name.
#[tauri::command]
pub async fn rename_area(state: State<'_, AppState>, from: String, to: String) -> Result<usize> {
    ops::rename_area(&state.store()?, &from, &to, Clock::system())
}

#[tauri::command]
pub async fn archive_area(
    state: State<'_, AppState>,
    area: String,
    archived: bool,
) -> Result<Vec<String>> {
    ops::archive_area(&state.store()?, &area, archived)
}

#[tauri::command]
pub async fn get_reminder(state: State<'_, AppState>) -> Result<Reminder> {
    ops::reminder(&state.store()?)
}

#[tauri::command]
pub async fn set_reminder(
    state: State<'_, AppState>,
    enabled: bool,
    time: String,
) -> Result<Reminder> {
    let reminder = Reminder::parse(enabled, &time).map_err(|e| Error::Invalid(vec![e]))?;
    ops::set_reminder(
        &state.store()?,
        reminder,
        chrono::Local::now().naive_local(),
    )
}

/// A reminder that fell due (shown as a notification too), taken once.
#[tauri::command]
pub async fn pending_reminder(state: State<'_, AppState>) -> Result<Option<Due>> {
    Ok(state.take_reminder())
}

/// The nudges for the editor's current draft, each with its rule and field.
#[tauri::command]
pub async fn check_nudges(draft: Value) -> Vec<Nudge> {
    ops::draft_nudges(&draft)
}

/// What the About panel shows: version, data and backup folders, licence, sources.
/// Works even when the data could not be opened, so the panel can say where it is.
#[tauri::command]
pub async fn about_info(state: State<'_, AppState>) -> Result<About> {
    Ok(about::about(state.data_dir()))
}
