//! A logout, a shutdown or `kill` asks a program to stop with SIGTERM (a terminal with
//! SIGINT or SIGHUP). Left to the default, that ends the window on the spot: nothing
//! saved is lost (the journal has it), but the database is not closed, so the next
//! start goes through a copy of it and checks every cycle against the journal, seconds
//! with a large history. Asked to stop, Rebound instead exits the way closing its window
//! does, and closes its data on the way out (`RunEvent::Exit`).

use tauri::{AppHandle, Runtime};

/// Exit cleanly on the first SIGTERM, SIGINT or SIGHUP.
#[cfg(unix)]
pub fn close_when_asked<R: Runtime>(app: AppHandle<R>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    let mut signals = match Signals::new([SIGTERM, SIGINT, SIGHUP]) {
        Ok(signals) => signals,
        Err(e) => {
            eprintln!("rebound: a stop request will end Rebound without closing its data: {e}");
            return;
        }
    };
    let watching = std::thread::Builder::new()
        .name("rebound-signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                app.exit(0);
            }
        });
    if let Err(e) = watching {
        eprintln!("rebound: a stop request will end Rebound without closing its data: {e}");
    }
}

#[cfg(not(unix))]
pub fn close_when_asked<R: Runtime>(_app: AppHandle<R>) {}
