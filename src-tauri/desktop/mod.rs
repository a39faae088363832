//! The desktop host: the Tauri window over the same core as the CLI. This module and
//! its children are the only ones that import Tauri. Commands are thin; start-up opens
//! the store once and keeps it for the life of the process; exit closes it.

mod commands;
mod dialogs;
mod page;
mod reminders;
mod signals;
mod state;
mod sync;
pub mod tray;
mod window;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use tauri::{Manager, RunEvent, Runtime, WebviewUrl, WebviewWindowBuilder, WindowEvent};

pub use dialogs::{Dialogs, TEST_OPEN_FILE_ENV, TEST_SAVE_DIR_ENV};
pub use state::{AppState, StartupStatus};
pub use sync::SyncRuntime;

/// The label of the one window; capabilities grant commands to it by this name.
pub const MAIN_WINDOW: &str = "main";

/// Every command the window may call; build.rs declares the same list to the ACL.
pub const COMMANDS: &[&str] = include!("command_names.rs");

/// Register Rebound's commands on a builder (the real one, or the mock runtime's).
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .manage(SyncRuntime::default())
        .invoke_handler(tauri::generate_handler![
            commands::app::get_start,
            commands::app::get_startup_status,
            commands::app::retry_open,
            commands::cycles::list_cycles,
            commands::cycles::get_cycle,
            commands::cycles::create_cycle,
            commands::cycles::update_cycle,
            commands::cycles::delete_cycle,
            commands::cycles::restore_cycle,
            commands::method::list_areas,
            commands::method::get_evidence_chart,
            commands::backups::export_backup,
            commands::method::get_today,
            commands::method::get_open_adjustment,
            commands::method::search_cycles,
            commands::method::list_lessons,
            commands::method::get_area_overview,
            commands::method::rename_area,
            commands::method::archive_area,
            commands::method::get_reminder,
            commands::method::set_reminder,
            commands::method::take_pending_reminder,
            commands::cycles::check_nudges,
            commands::dashboard::get_dashboard,
            commands::dashboard::save_checkin,
            commands::dashboard::postpone_checkin,
            commands::dashboard::set_target_band,
            commands::app::get_about,
            commands::backups::export_readable,
            commands::backups::open_backup,
            commands::backups::unlock_backup,
            commands::backups::apply_restore,
            commands::backups::get_backup_overview,
            commands::backups::set_backup_settings,
            commands::backups::choose_backup_folder,
            commands::backups::make_backup_now,
            commands::backups::recover_data,
            commands::window::get_appearance,
            commands::window::set_appearance,
            commands::window::set_plain_sans,
            commands::guidance::get_attempt_guide,
            commands::guidance::get_area_guide,
            commands::guidance::set_area_guide,
            commands::guidance::get_playbook,
            commands::guidance::get_track_record,
            commands::guidance::get_review,
            commands::guidance::get_review_settings,
            commands::guidance::save_plan,
            commands::guidance::clear_plan,
            commands::guidance::finish_review,
            commands::guidance::set_review_settings,
            commands::guidance::get_desktop_settings,
            commands::guidance::set_in_tray,
            commands::guidance::take_tray_request,
            commands::sync::get_sync_overview,
            commands::sync::choose_sync_folder,
            commands::sync::sync_now,
            commands::sync::resolve_sync_conflict,
        ])
        // The tray's requests and state live for the process, tray or no tray.
        .manage(tray::TrayState::default())
}

/// The app's context: tauri.conf.json, the capabilities and the embedded ui/ folder.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// The folder the web view keeps its own storage in (local storage, caches): inside the
/// data folder, so `--data-dir` (and a test's temporary folder) holds everything Rebound
/// writes, and nothing lands in ~/.local/share.
pub fn webview_dir(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("webview")
}

/// The web view's storage folder in the data folder, made (private) if need be; None if
/// the data folder is not a folder or the storage folder cannot be made there.
fn prepared_webview_dir(data_dir: &std::path::Path) -> Option<PathBuf> {
    let dir = webview_dir(data_dir);
    (data_dir.is_dir() && rebound_core::files::create_private_folder(&dir).is_ok()).then_some(dir)
}

/// Where the web view keeps its storage when the data folder cannot hold it: a private
/// folder of this run's own in the system's temporary folder, removed as the app exits.
fn scratch_webview_dir() -> PathBuf {
    std::env::temp_dir().join(format!("rebound-webview-{}", std::process::id()))
}

/// Create the main window from its config, refusing navigation away from the app's own
/// pages (a stray link or injected script cannot load the web into it), with its web
/// storage in the data folder (see `scratch_webview_dir` when it cannot be), at the size it last had, and shown or (starting in the
/// tray) not.
pub fn create_main_window<R: Runtime, M: Manager<R>>(
    manager: &M,
    data_dir: &std::path::Path,
    visible: bool,
) -> tauri::Result<()> {
    let config = manager
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .cloned();
    let builder = match &config {
        Some(config) => WebviewWindowBuilder::from_config(manager, config)?,
        None => WebviewWindowBuilder::new(manager, MAIN_WINDOW, WebviewUrl::default()),
    };
    let default = config
        .as_ref()
        .map_or((1100.0, 760.0), |c| (c.width, c.height));
    let (width, height) = window::initial_size(manager, data_dir, default);
    let builder = builder.inner_size(width, height);
    // A data folder that cannot be used (a file, a path that cannot be made) gets the web
    // view's storage put in a folder of this run's own, so that the window still opens
    // and its start-up screen says what is wrong with the folder, instead of the program
    // failing to start.
    let storage = prepared_webview_dir(data_dir).unwrap_or_else(|| {
        let scratch = scratch_webview_dir();
        let _ = rebound_core::files::create_private_folder(&scratch);
        scratch
    });
    let window = builder
        .data_directory(storage)
        .on_navigation(is_app_url)
        .visible(visible)
        .build()?;
    // What the page is served with: Today drawn at the width it will have, in the
    // system's theme (the page checks both, and asks again if either is off).
    if let Some(facts) = manager.try_state::<Arc<page::PageFacts>>() {
        let system_dark = matches!(window.theme(), Ok(tauri::Theme::Dark));
        facts.set(page::WindowFacts { width, system_dark });
    }
    Ok(())
}

fn is_app_url(url: &tauri::Url) -> bool {
    // tauri://localhost on Linux and macOS, http://tauri.localhost on Windows.
    url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost")
}

/// Open the window on the data in `data_dir` and run until it closes (or, with the tray
/// on, until Quit). `in_tray`: start without the window, as a start at login does.
pub fn run(data_dir: PathBuf, in_tray: bool) -> ExitCode {
    if let Some(why) = no_display() {
        eprintln!("rebound: {why}");
        return ExitCode::FAILURE;
    }
    prepare_webview_environment();
    // The folder's lock first: whether another Rebound has the data is known at once.
    let locked = rebound_core::store::Store::lock(&data_dir);
    // Rebound is already running on this data (in the tray, or a window elsewhere):
    // bring that one forward rather than open a second window that cannot use the data.
    let held = matches!(&locked, Err(rebound_core::Error::AlreadyOpen { .. }));
    if held && tray::hand_over(&data_dir) {
        return ExitCode::SUCCESS;
    }
    let keep_in_tray = tray::wanted(&data_dir);
    // The database opens on a thread of its own while the window and its page load, and
    // works out Today there unless the window starts hidden in the tray (at login).
    let shown = !(in_tray && keep_in_tray);
    let state = AppState::opening(data_dir.clone(), Dialogs::from_env(), locked, shown);
    let autostart = tauri_plugin_autostart::Builder::new()
        .args(login_args(&data_dir))
        .build();
    let events_dir = data_dir.clone();
    // The page is served with Today in it (page.rs).
    let facts = Arc::new(page::PageFacts::default());
    let mut context = context();
    page::serve_filled(&mut context, Arc::clone(&facts));
    let app = builder(tauri::Builder::default())
        .manage(state)
        .manage(facts)
        .manage(window::SizeSaver::start(data_dir.clone()))
        .plugin(tauri_plugin_notification::init())
        .plugin(autostart)
        .on_window_event(move |window, event| {
            window::on_event(window, event, &events_dir);
            // With the tray up, closing the window keeps Rebound running for reminders.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.state::<tray::TrayState>().keeps_running() {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .setup(move |app| {
            if keep_in_tray {
                tray::apply(app.handle(), true);
            }
            // Without a tray to come back through, the window always shows.
            let hidden = in_tray && app.state::<tray::TrayState>().keeps_running();
            create_main_window(app, &data_dir, !hidden)?;
            tray::watch_for_second_launch(app.handle().clone(), data_dir.clone());
            reminders::start(app.handle().clone());
            start_daily_backups(app.handle().clone());
            sync::start(app.handle().clone());
            signals::close_when_asked(app.handle().clone());
            Ok(())
        })
        .build(context);
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("rebound: could not start the window: {e}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|handle, event| {
        // Tauri never drops managed state, so the database is closed here.
        if let RunEvent::Exit = event {
            handle.state::<AppState>().close();
            let _ = std::fs::remove_dir_all(scratch_webview_dir());
        }
    });
    ExitCode::SUCCESS
}

/// What a start at login runs: the tray, and the data folder when it is not the
/// platform's default (`--data-dir` or REBOUND_DATA_DIR chose another).
fn login_args(data_dir: &std::path::Path) -> Vec<String> {
    let mut args = vec![tray::IN_TRAY_ARG.to_string()];
    if rebound_core::paths::default_data_dir().as_deref() != Some(data_dir) {
        args.push(login_arg(&format!("--data-dir={}", data_dir.display())));
    }
    args
}

/// On Linux the start at login is a desktop entry whose Exec line the plugin writes
/// as given: an argument with spaces or quotes must be quoted the way the Desktop Entry
/// Specification says, or it would split. Inside the quotes `"`, `` ` ``, `$` and `\`
/// take a backslash, and that backslash is itself escaped in the file (the spec's
/// string rule comes first), so `"` is written `\\"`; `%` is written `%%`.
fn login_arg(arg: &str) -> String {
    let plain = arg
        .chars()
        .all(|c| c.is_alphanumeric() || "-_=./:+,@".contains(c));
    if cfg!(target_os = "linux") && !plain {
        let escaped: String = arg
            .chars()
            .flat_map(|c| match c {
                '"' | '`' | '$' => vec!['\\', '\\', c],
                '\\' => vec!['\\'; 4],
                '%' => vec!['%', '%'],
                c => vec![c],
            })
            .collect();
        format!("\"{escaped}\"")
    } else {
        arg.to_string()
    }
}

/// Pause before the first automatic backup, so it never competes with start-up.
const FIRST_BACKUP_DELAY: std::time::Duration = std::time::Duration::from_secs(3);
/// How often a long-running window checks whether a new day's backup is due.
const BACKUP_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// Make the daily automatic backup on a background thread: a little after start-up,
/// then whenever a new day begins while the window stays open.
fn start_daily_backups<R: Runtime>(handle: tauri::AppHandle<R>) {
    let spawned = std::thread::Builder::new()
        .name("rebound-daily-backup".into())
        .spawn(move || {
            std::thread::sleep(FIRST_BACKUP_DELAY);
            loop {
                let state = handle.state::<AppState>();
                if let Ok(store) = state.store() {
                    let made = rebound_core::backup::auto::run_if_due(
                        &store,
                        state.data_dir(),
                        rebound_core::use_cases::Clock::system(),
                    );
                    if let Err(e) = made {
                        eprintln!("rebound: the automatic backup was not made: {e}");
                    }
                }
                std::thread::sleep(BACKUP_CHECK_EVERY);
            }
        });
    if let Err(e) = spawned {
        eprintln!("rebound: automatic backups could not start: {e}");
    }
}

/// Why the window cannot open here, if it cannot: without a display GTK would panic
/// with a message only a developer can read.
fn no_display() -> Option<&'static str> {
    let linux_like = cfg!(all(unix, not(target_os = "macos")));
    let has = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    (linux_like && !has("DISPLAY") && !has("WAYLAND_DISPLAY")).then_some(
        "there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); \
         start Rebound from a desktop session, or give it a command (rebound --help)",
    )
}

/// Settings for WebKitGTK, made before any thread starts (its web process inherits
/// them), each only where the person has not chosen otherwise:
/// - its DMA-BUF renderer paints a blank window on many Linux set-ups (NVIDIA, some
///   Wayland compositors; tauri#9394, WebKit bug 261874): off;
/// - JavaScriptCore's just-in-time compilers: off. The page runs only Rebound's own small
///   scripts, which its interpreter runs as fast as a person can tell, and without the
///   compilers the web process is 8–9 MiB smaller (measured: `JSC_useJIT`, see
///   docs/performance.md) and holds no memory that is both writable and executable.
fn prepare_webview_environment() {
    #[cfg(target_os = "linux")]
    for (name, value) in [
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        ("JSC_useJIT", "false"),
    ] {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::login_arg;

    #[test]
    fn a_data_folder_with_spaces_stays_one_argument_of_the_login_entry() {
        assert_eq!(
            login_arg("--data-dir=/home/a/rebound"),
            "--data-dir=/home/a/rebound"
        );
        if cfg!(target_os = "linux") {
            assert_eq!(
                login_arg("--data-dir=/home/a/my \"journal\" 100%"),
                r#""--data-dir=/home/a/my \\"journal\\" 100%%""#
            );
        }
    }
}
