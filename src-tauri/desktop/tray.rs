//! The optional tray icon and start at login: what lets the daily reminder and the
//! weekly review reach a person whose window is closed. Tauri cannot schedule desktop
//! notifications (tauri-apps/plugins-workspace #2313), so a process has to be running:
//! with "Keep Rebound in the tray" on, Rebound starts at login in the tray, and closing
//! the window hides it instead of quitting. Off by default (settings.json,
//! `desktop.in_tray`).
//!
//! The menu's three actions (Open, Log an attempt, Quit) are plain functions over the
//! app handle, so they are tested through the commands without a tray to click. "Log an
//! attempt" leaves a request the window takes when it is shown (`take_tray_request`).
//!
//! A second launch while the first sits in the tray would find the data folder locked;
//! instead it leaves a show request in the data folder, the first shows its window and
//! removes the request, and the second exits quietly.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::AutoLaunchManager;

use super::state::AppState;
use super::MAIN_WINDOW;
use rebound_core::local_settings;

/// The tray icon's id.
const TRAY_ID: &str = "rebound";
/// The argument a start at login passes: open in the tray, without the window.
pub const IN_TRAY_ARG: &str = "--in-tray";
/// The file a second launch leaves in the data folder to ask the first to show itself.
const SHOW_REQUEST: &str = "show-window.request";
/// How often the running copy looks for a show request.
const SHOW_POLL: Duration = Duration::from_millis(500);
/// How long a second launch waits for the running copy to take its request.
const HANDOVER_WAIT: Duration = Duration::from_secs(3);

/// What the window is asked to do when it is next shown.
pub const REQUEST_NEW_ATTEMPT: &str = "new_attempt";

/// The tray menu's actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrayAction {
    Open,
    LogAttempt,
    Quit,
}

impl TrayAction {
    const ALL: [TrayAction; 3] = [TrayAction::Open, TrayAction::LogAttempt, TrayAction::Quit];

    fn id(self) -> &'static str {
        match self {
            TrayAction::Open => "open",
            TrayAction::LogAttempt => "log",
            TrayAction::Quit => "quit",
        }
    }

    // The tray menu is drawn by the desktop, not the page: its words live here.
    fn label(self) -> &'static str {
        match self {
            TrayAction::Open => "Open Rebound",
            TrayAction::LogAttempt => "Log an attempt",
            TrayAction::Quit => "Quit Rebound",
        }
    }

    fn from_id(id: &str) -> Option<TrayAction> {
        TrayAction::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// The tray's state for the life of the process.
#[derive(Default)]
pub struct TrayState {
    /// A request for the window, taken once ("new_attempt").
    request: Mutex<Option<&'static str>>,
    /// Whether the tray icon is up, so closing the window hides it.
    installed: Mutex<bool>,
    /// Why the tray could not be shown, if it could not.
    problem: Mutex<Option<String>>,
}

impl TrayState {
    pub fn take_request(&self) -> Option<&'static str> {
        self.request
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    fn put_request(&self, request: &'static str) {
        *self.request.lock().unwrap_or_else(|e| e.into_inner()) = Some(request);
    }

    /// Whether closing the window should hide it to the tray rather than quit.
    pub fn keeps_running(&self) -> bool {
        *self.installed.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, up: bool, problem: Option<String>) {
        *self.installed.lock().unwrap_or_else(|e| e.into_inner()) = up;
        *self.problem.lock().unwrap_or_else(|e| e.into_inner()) = problem;
    }
}

/// Show the main window and bring it forward.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Do what a tray menu item asks.
pub fn perform<R: Runtime>(app: &AppHandle<R>, action: TrayAction) {
    match action {
        TrayAction::Open => show_main(app),
        TrayAction::LogAttempt => {
            app.state::<TrayState>().put_request(REQUEST_NEW_ATTEMPT);
            show_main(app);
        }
        // RunEvent::Exit closes the store on the way out.
        TrayAction::Quit => app.exit(0),
    }
}

/// Where the tray and start at login stand, for Settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DesktopStatus {
    /// The setting: keep Rebound in the tray and start it at login.
    pub in_tray: bool,
    /// Whether the tray icon is up now.
    pub tray_shown: bool,
    /// Whether Rebound is registered to start at login; `None` where that cannot be
    /// asked (the test runtime).
    pub starts_at_login: Option<bool>,
    /// Why something did not work, in a sentence.
    pub problem: Option<String>,
}

/// Where things stand now.
pub fn status<R: Runtime>(app: &AppHandle<R>) -> DesktopStatus {
    let state = app.state::<AppState>();
    let tray = app.state::<TrayState>();
    let in_tray = local_settings::load(state.data_dir()).0.desktop.in_tray;
    let problem = tray
        .problem
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    DesktopStatus {
        in_tray,
        tray_shown: tray.keeps_running(),
        starts_at_login: app
            .try_state::<AutoLaunchManager>()
            .and_then(|m| m.is_enabled().ok()),
        problem,
    }
}

/// Put the tray and start at login in line with the setting `on`.
pub fn apply<R: Runtime>(app: &AppHandle<R>, on: bool) {
    let mut problems = Vec::new();
    if let Some(autostart) = app.try_state::<AutoLaunchManager>() {
        let done = if on {
            autostart.enable()
        } else {
            autostart.disable()
        };
        if let Err(e) = done {
            problems.push(format!("Rebound could not change its start at login: {e}."));
        }
    }
    let up = if on {
        match install(app) {
            Ok(()) => true,
            Err(why) => {
                problems.push(why);
                false
            }
        }
    } else {
        let _ = app.remove_tray_by_id(TRAY_ID);
        false
    };
    let problem = (!problems.is_empty()).then(|| problems.join(" "));
    app.state::<TrayState>().set(up, problem);
}

/// The words for a desktop without the tray library.
const NO_TRAY_LIBRARY: &str = "The tray icon could not be shown: this desktop lacks the tray \
    library (on Debian and Ubuntu, libayatana-appindicator3-1).";

/// Whether the tray library can be loaded here. On Linux tray-icon loads
/// libayatana-appindicator3 (or libappindicator3) when the first icon is made and panics
/// without it, on the main thread when asked from a command, where nothing can catch it:
/// so look first, in the loader's cache (`ldconfig -p`) and in LD_LIBRARY_PATH.
fn tray_library_present() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    const NAMES: [&str; 2] = ["libayatana-appindicator3.so.1", "libappindicator3.so.1"];
    let cached = ["/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"]
        .iter()
        .find_map(|ldconfig| std::process::Command::new(ldconfig).arg("-p").output().ok())
        .is_some_and(|out| {
            let text = String::from_utf8_lossy(&out.stdout);
            NAMES.iter().any(|name| text.contains(name))
        });
    let on_path = std::env::var_os("LD_LIBRARY_PATH").is_some_and(|dirs| {
        std::env::split_paths(&dirs).any(|dir| NAMES.iter().any(|name| dir.join(name).exists()))
    });
    cached || on_path
}

/// Put the tray icon up (once). Without the tray library it says so instead; a panic
/// while building (the library failing in another way) is caught and said in words too.
fn install<R: Runtime>(app: &AppHandle<R>) -> Result<(), String> {
    if app.tray_by_id(TRAY_ID).is_some() {
        return Ok(());
    }
    if !tray_library_present() {
        return Err(NO_TRAY_LIBRARY.to_string());
    }
    let build = || -> tauri::Result<()> {
        let items =
            TrayAction::ALL.map(|a| MenuItem::with_id(app, a.id(), a.label(), true, None::<&str>));
        let [open, log, quit] = items;
        let (open, log, quit) = (open?, log?, quit?);
        let menu = Menu::with_items(app, &[&open, &log, &quit])?;
        let mut builder = TrayIconBuilder::with_id(TRAY_ID)
            .tooltip("Rebound")
            .menu(&menu)
            .show_menu_on_left_click(true)
            .on_menu_event(|app, event| {
                if let Some(action) = TrayAction::from_id(event.id().as_ref()) {
                    perform(app, action);
                }
            });
        if let Some(icon) = app.default_window_icon() {
            builder = builder.icon(icon.clone());
        }
        builder.build(app)?;
        Ok(())
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("The tray icon could not be shown: {e}.")),
        Err(_) => Err(NO_TRAY_LIBRARY.to_string()),
    }
}

/// Whether the setting in `data_dir` asks for the tray.
pub fn wanted(data_dir: &Path) -> bool {
    local_settings::load(data_dir).0.desktop.in_tray
}

fn show_request(data_dir: &Path) -> PathBuf {
    data_dir.join(SHOW_REQUEST)
}

/// A second launch: ask the copy running in the tray to show its window. True when it
/// did (the request was taken within a few seconds), and this launch can end quietly.
pub fn hand_over(data_dir: &Path) -> bool {
    let request = show_request(data_dir);
    if rebound_core::files::write_atomic(&request, b"show\n").is_err() {
        return false;
    }
    let deadline = Instant::now() + HANDOVER_WAIT;
    while Instant::now() < deadline {
        if !request.exists() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Nobody took it: leave no stray request behind for a later start.
    let _ = std::fs::remove_file(&request);
    false
}

/// In the running copy: show the window when a second launch asks.
pub fn watch_for_second_launch<R: Runtime>(app: AppHandle<R>, data_dir: PathBuf) {
    let request = show_request(&data_dir);
    // A request left from before this start is stale.
    let _ = std::fs::remove_file(&request);
    let spawned = std::thread::Builder::new()
        .name("rebound-show-requests".into())
        .spawn(move || loop {
            if request.exists() && std::fs::remove_file(&request).is_ok() {
                show_main(&app);
            }
            std::thread::sleep(SHOW_POLL);
        });
    if let Err(e) = spawned {
        eprintln!("rebound: a second launch will not find this window: {e}");
    }
}
