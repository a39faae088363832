//! The window's commands. Each converts its arguments, calls one core function, and
//! returns; errors go out in the stable `{kind, message, fields?}` shape. All are async
//! so no database or file work runs on the UI thread.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use tauri::{Runtime, State, WebviewWindow};

use super::state::{AppState, PendingRestore, StartupStatus};
use rebound_core::about::{self, About};
use rebound_core::auto_backup::{self, AutoBackup};
use rebound_core::backup::{self, ExportSummary};
use rebound_core::charts::{Kind, Theme};
use rebound_core::error::{Error, Result};
use rebound_core::insights::{Band, BrsCheckin, Range};
use rebound_core::nudges::Nudge;
use rebound_core::ops::{
    self, AreaView, Clock, CycleView, DashboardView, EvidenceView, LessonsPage, SearchPage,
    TodayView,
};
use rebound_core::readable::{self, ReadableSummary};
use rebound_core::reminder::{Due, Reminder};
use rebound_core::restore::{self, Mode, Preview, RestoreSummary};
use rebound_core::search::FilterInput;
use rebound_core::settings;
use rebound_core::store::{AreaSummary, Store};

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

/// Ask where to save, then write the backup there: encrypted with `passphrase`, or
/// plain when there is none. Cancelling is `Error::Cancelled`.
#[tauri::command]
pub async fn export_backup<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    passphrase: Option<String>,
) -> Result<ExportSummary> {
    if let Some(passphrase) = &passphrase {
        backup::check_new_passphrase(passphrase)?;
    }
    let store = state.store()?;
    let clock = Clock::system();
    let name = backup::default_file_name(clock.today, passphrase.is_some());
    let path = state
        .dialogs
        .save_backup_path(&window, &name)
        .await
        .ok_or(Error::Cancelled)?;
    backup::export(&store, &path, clock.now, passphrase.as_deref())
}

/// Ask where to save, then write every cycle as CSV or Markdown there.
#[tauri::command]
pub async fn export_readable<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    format: readable::Format,
) -> Result<ReadableSummary> {
    let store = state.store()?;
    let clock = Clock::system();
    let name = format.default_file_name(clock.today);
    let path = state
        .dialogs
        .save_readable_path(&window, &name, format.extension())
        .await
        .ok_or(Error::Cancelled)?;
    readable::export(&store, &path, format, clock.now)
}

/// A backup chosen for restoring: its name, and its preview once it is readable.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenedBackup {
    pub name: String,
    pub encrypted: bool,
    /// None until an encrypted backup is unlocked with its passphrase.
    pub preview: Option<Preview>,
}

/// Choose a backup to restore (the open dialog, or the automatic backup named
/// `automatic`), read it whole and, if it is plain, check it and preview it. Nothing is
/// changed until `apply_restore`.
#[tauri::command]
pub async fn open_backup<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    automatic: Option<String>,
) -> Result<OpenedBackup> {
    *state.pending() = None;
    let path: PathBuf = match automatic {
        Some(name) => auto_backup::find(state.data_dir(), &name)?.path,
        None => state
            .dialogs
            .open_backup_path(&window)
            .await
            .ok_or(Error::Cancelled)?,
    };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().to_string());
    let bytes = backup::read_bytes(&path)?;
    let encrypted = backup::is_encrypted(&bytes);
    let mut pending = PendingRestore {
        name: name.clone(),
        bytes,
        checked: None,
    };
    let preview = if encrypted {
        None
    } else {
        Some(check_pending(&state, &mut pending, None)?)
    };
    *state.pending() = Some(pending);
    Ok(OpenedBackup {
        name,
        encrypted,
        preview,
    })
}

/// Unlock the encrypted backup chosen with `open_backup`, check it and preview it.
#[tauri::command]
pub async fn unlock_backup(state: State<'_, AppState>, passphrase: String) -> Result<Preview> {
    let taken = state.pending().take();
    let mut pending = taken.ok_or_else(no_backup_chosen)?;
    let result = check_pending(&state, &mut pending, Some(&passphrase));
    *state.pending() = Some(pending);
    result
}

fn check_pending(
    state: &AppState,
    pending: &mut PendingRestore,
    passphrase: Option<&str>,
) -> Result<Preview> {
    let latest = Clock::system().latest_backup_day();
    let checked = backup::open_bytes(&pending.bytes, passphrase, latest)?;
    let preview = restore::preview(&state.store()?, &checked)?;
    pending.checked = Some(checked);
    Ok(preview)
}

fn no_backup_chosen() -> Error {
    Error::Usage("no backup is chosen; choose one to restore first".into())
}

/// Restore the checked backup in `mode`, after a snapshot of the current data.
#[tauri::command]
pub async fn apply_restore(state: State<'_, AppState>, mode: Mode) -> Result<RestoreSummary> {
    let taken = state.pending().take();
    let checked = taken.and_then(|p| p.checked).ok_or_else(no_backup_chosen)?;
    let store = state.store()?;
    let (fresh, summary) = restore::apply(
        &store,
        state.data_dir(),
        &checked,
        mode,
        Clock::system().now,
    )?;
    state.replace_store(fresh);
    Ok(summary)
}

/// The automatic-backup settings and the backups made so far.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupOverview {
    pub enabled: bool,
    pub keep: u32,
    pub folder: String,
    pub last_auto_backup: Option<NaiveDate>,
    pub backups: Vec<AutoBackup>,
    pub snapshots_folder: String,
}

fn overview(state: &AppState) -> BackupOverview {
    let data_dir = state.data_dir();
    let (settings, _) = settings::load(data_dir);
    BackupOverview {
        enabled: settings.backups.enabled,
        keep: settings.backups.keep,
        folder: settings.backups.folder_in(data_dir).display().to_string(),
        last_auto_backup: settings.last_auto_backup,
        backups: auto_backup::list(data_dir),
        snapshots_folder: data_dir
            .join(restore::SNAPSHOT_FOLDER)
            .display()
            .to_string(),
    }
}

#[tauri::command]
pub async fn backup_overview(state: State<'_, AppState>) -> Result<BackupOverview> {
    Ok(overview(&state))
}

/// Turn automatic backups on or off, and set how many are kept.
#[tauri::command]
pub async fn set_backup_settings(
    state: State<'_, AppState>,
    enabled: bool,
    keep: u32,
) -> Result<BackupOverview> {
    settings::update(state.data_dir(), |s| {
        s.backups.enabled = enabled;
        s.backups.keep = keep;
    })?;
    Ok(overview(&state))
}

/// Ask for the folder automatic backups go into.
#[tauri::command]
pub async fn choose_backup_folder<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<BackupOverview> {
    let current = overview(&state).folder;
    let folder = state
        .dialogs
        .pick_folder(&window, std::path::Path::new(&current))
        .await
        .ok_or(Error::Cancelled)?;
    settings::update(state.data_dir(), |s| s.backups.folder = Some(folder))?;
    Ok(overview(&state))
}

/// Make today's automatic backup now.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Result<BackupOverview> {
    auto_backup::run_now(&state.store()?, state.data_dir(), Clock::system())?;
    Ok(overview(&state))
}

/// When the database cannot be opened: start again from the automatic backup `name`,
/// keeping the damaged database aside.
#[tauri::command]
pub async fn start_from_backup(state: State<'_, AppState>, name: String) -> Result<StartupStatus> {
    if state.store().is_ok() {
        return Err(Error::Usage(
            "your data is open; restore from the Backup view".into(),
        ));
    }
    let found = auto_backup::find(state.data_dir(), &name)?;
    let checked = backup::read(&found.path, None, Clock::system().latest_backup_day())?;
    let store = Store::start_again(state.data_dir(), &checked.cycles)?;
    state.replace_store(store);
    Ok(state.status())
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
