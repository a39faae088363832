//! The app itself: what the window needs to open (one call), whether the data is open
//! (and trying again), and the About panel.

use serde::Serialize;
use tauri::State;

use crate::desktop::state::{AppState, StartupStatus, TODAY_RECENT};
use rebound_core::about::{self, About};
use rebound_core::charts::Theme;
use rebound_core::error::Result;
use rebound_core::local_settings::{Appearance, ThemeChoice};
use rebound_core::store::Store;
use rebound_core::use_cases::{self, Clock, TodayStart};

/// Everything the window needs before it shows anything, in one answer: the theme,
/// whether the data is open, and Today drawn (when it is).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Start {
    pub appearance: Appearance,
    pub status: StartupStatus,
    /// None when the data is not open, or Today could not be worked out (the page then
    /// asks for it the usual way, and shows why).
    pub today: Option<TodayStart>,
}

/// What the window needs to open: the theme chosen (`system_dark`: whether the system
/// asks for dark, for "the system's"), whether the data is open, and Today with its
/// evidence chart drawn `width` pixels wide.
#[tauri::command]
pub async fn get_start(
    state: State<'_, AppState>,
    system_dark: Option<bool>,
    width: Option<u32>,
) -> Result<Start> {
    Ok(start_now(&state, system_dark, width))
}

/// The answer to [`get_start`], worked out now (also for the page as it is served).
pub fn start_now(state: &AppState, system_dark: Option<bool>, width: Option<u32>) -> Start {
    let appearance = use_cases::appearance(state.data_dir());
    let theme = chart_theme(appearance.theme, system_dark == Some(true));
    let status = state.status();
    let today = match state.store() {
        Ok(store) => match today_start(state, &store, theme, width) {
            Ok(today) => Some(today),
            Err(e) => {
                eprintln!("rebound: Today could not be worked out at start: {e}");
                None
            }
        },
        Err(_) => None,
    };
    Start {
        appearance,
        status,
        today,
    }
}

/// The theme the charts are drawn in: the one chosen, or for "the system's", dark when
/// the system asks for it.
pub fn chart_theme(chosen: ThemeChoice, system_dark: bool) -> Theme {
    match chosen {
        ThemeChoice::Light => Theme::Light,
        ThemeChoice::Dark => Theme::Dark,
        ThemeChoice::System if system_dark => Theme::Dark,
        ThemeChoice::System => Theme::Light,
    }
}

/// Today drawn for the window: from what was worked out while the store opened, if
/// nothing was saved since and the day has not turned, else worked out now.
fn today_start(
    state: &AppState,
    store: &Store,
    theme: Theme,
    width: Option<u32>,
) -> Result<TodayStart> {
    let clock = Clock::system();
    match state.take_prepared() {
        Some(prepared) if prepared.holds(store, clock) => prepared.drawn(theme, width, clock),
        _ => use_cases::today_start(store, TODAY_RECENT, theme, width, clock),
    }
}

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
