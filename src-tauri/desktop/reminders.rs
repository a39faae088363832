//! The daily reminder's timer: a check every half minute (and once at start-up, which
//! is how a reminder missed while Rebound was closed shows). When one is due it goes
//! out as a desktop notification and is kept for the window, which shows it too: on
//! Linux a notification can fail without a word, so the window never relies on it.
//! The same tick sends the weekly review's notification on its day (Today shows the
//! review too), and lets go of the decoded cycles no view has asked for in five
//! minutes. With the tray on, this runs while the window is closed.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use super::state::AppState;
use rebound_core::use_cases::{self, Clock};

const TICK: Duration = Duration::from_secs(30);
/// How long the decoded copy of every cycle (for search, lessons, the charts, the
/// review) is kept after its last use.
const SNAPSHOT_IDLE: Duration = Duration::from_secs(300);

pub fn start<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || loop {
        check(&app);
        std::thread::sleep(TICK);
    });
}

fn check<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(store) = state.store() else {
        return;
    };
    match use_cases::take_due_reminder(&store, Clock::system()) {
        Ok(Some(due)) => {
            let body = if due.missed {
                format!(
                    "You planned a moment for your cycles at {}. Whenever you're ready.",
                    due.at.format("%H:%M")
                )
            } else {
                "A moment for your cycles: log an attempt, or finish a reflection.".to_string()
            };
            state.put_reminder(due);
            if let Err(e) = app
                .notification()
                .builder()
                .title("Rebound")
                .body(body)
                .show()
            {
                eprintln!("rebound: could not show the reminder as a notification: {e}");
            }
        }
        Ok(None) => {}
        Err(e) => eprintln!("rebound: could not check the reminder: {e}"),
    }
    match use_cases::take_due_review_notice(&store, Clock::system()) {
        Ok(true) => notify(
            app,
            "Your weekly review is ready: a few minutes on the week's attempts, then one \
             next step to plan.",
        ),
        Ok(false) => {}
        Err(e) => eprintln!("rebound: could not check the weekly review: {e}"),
    }
    store.release_idle_snapshot(SNAPSHOT_IDLE);
}

fn notify<R: Runtime>(app: &AppHandle<R>, body: &str) {
    if let Err(e) = app
        .notification()
        .builder()
        .title("Rebound")
        .body(body)
        .show()
    {
        eprintln!("rebound: could not show a notification: {e}");
    }
}
