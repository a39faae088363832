//! The main window's size: opened at the size it had when last resized or closed (from
//! this computer's settings, fitted to the screen and never under 800 × 600), and saved
//! while it is resized (once the resizing pauses) and when it closes.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

use tauri::{Manager, Runtime, Window, WindowEvent};

use rebound_core::use_cases;

/// How long resizing must pause before the size is written: a drag sends dozens of
/// sizes a second, and only the last one matters.
const SETTLE: Duration = Duration::from_millis(600);

/// The size to open the window at: the one saved, else `default` (the configured size),
/// fitted to the primary screen's work area (the screen less its panels), so that even
/// the first window fits whole on a small screen. Logical pixels.
pub fn initial_size<R: Runtime, M: Manager<R>>(
    manager: &M,
    data_dir: &Path,
    default: (f64, f64),
) -> (f64, f64) {
    let screen = manager
        .app_handle()
        .primary_monitor()
        .ok()
        .flatten()
        .map(|monitor| {
            let size = monitor
                .work_area()
                .size
                .to_logical::<f64>(monitor.scale_factor());
            (size.width as u32, size.height as u32)
        });
    let default = (default.0 as u32, default.1 as u32);
    let (width, height) = use_cases::window_size(data_dir, default, screen);
    (f64::from(width), f64::from(height))
}

/// Where the window's sizes go to be saved once resizing pauses.
pub struct SizeSaver(Mutex<Sender<(u32, u32)>>);

impl SizeSaver {
    /// Start the thread that saves sizes into `data_dir`'s settings.
    pub fn start(data_dir: PathBuf) -> SizeSaver {
        let (tx, rx) = mpsc::channel::<(u32, u32)>();
        let spawned = std::thread::Builder::new()
            .name("rebound-window-size".into())
            .spawn(move || {
                while let Ok(mut last) = rx.recv() {
                    loop {
                        match rx.recv_timeout(SETTLE) {
                            Ok(size) => last = size,
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => {
                                save(&data_dir, last);
                                return;
                            }
                        }
                    }
                    save(&data_dir, last);
                }
            });
        if let Err(e) = spawned {
            eprintln!("rebound: the window's size will not be remembered: {e}");
        }
        SizeSaver(Mutex::new(tx))
    }

    fn send(&self, size: (u32, u32)) {
        if let Ok(tx) = self.0.lock() {
            let _ = tx.send(size);
        }
    }
}

fn save(data_dir: &Path, (width, height): (u32, u32)) {
    if let Err(e) = use_cases::remember_window_size(data_dir, width, height) {
        eprintln!("rebound: the window's size was not saved: {e}");
    }
}

/// The window's inner size in logical pixels.
fn logical_size<R: Runtime>(window: &Window<R>) -> Option<(u32, u32)> {
    let scale = window.scale_factor().ok()?;
    let size = window.inner_size().ok()?.to_logical::<f64>(scale);
    Some((size.width.round() as u32, size.height.round() as u32))
}

/// Follow the main window's size: queue it while it is resized, save it when it closes.
pub fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent, data_dir: &Path) {
    match event {
        WindowEvent::Resized(_) => {
            if let (Some(size), Some(saver)) =
                (logical_size(window), window.try_state::<SizeSaver>())
            {
                saver.send(size);
            }
        }
        WindowEvent::CloseRequested { .. } => {
            if let Some(size) = logical_size(window) {
                save(data_dir, size);
            }
        }
        _ => {}
    }
}
