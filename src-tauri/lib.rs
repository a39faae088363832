//! Rebound's window, `rebound-window`: the Tauri host (`desktop`) over the core crate
//! (`rebound_core`). It parses, calls one core function and formats, and holds no logic
//! of its own. The command line is a program of its own (src-tauri/cli, `rebound`),
//! which starts this one when given no command; the two never call each other's code.

pub mod desktop;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use rebound_core::paths;

/// What the window's program accepts: where the data is, and whether to start in the
/// tray.
#[derive(Debug, Parser)]
#[command(
    name = "rebound-window",
    version,
    about = "Rebound's window.",
    long_about = "Rebound's window. The `rebound` command starts it when given no command, \
                  and works on the same data without a window when given one \
                  (rebound --help)."
)]
struct WindowArgs {
    /// Folder with Rebound's data [default: the platform's app-data folder]
    #[arg(long, env = paths::DATA_DIR_ENV, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Open in the tray without the window (how a start at login opens Rebound)
    #[arg(long, hide = true)]
    in_tray: bool,
}

/// Open the window on the data asked for, and run until it closes.
pub fn main() -> ExitCode {
    keep_new_files_private();
    let asked = WindowArgs::parse();
    match paths::resolve_data_dir(asked.data_dir) {
        Ok(data_dir) => desktop::run(data_dir, asked.in_tray),
        Err(e) => {
            eprintln!("rebound: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Everything this process creates (sled's files, exports, the web view's storage)
/// is readable by its owner only: 0600 files, 0700 folders. The core also sets these
/// modes itself on what it writes; this covers files made by libraries.
#[cfg(unix)]
fn keep_new_files_private() {
    rustix::process::umask(rustix::fs::Mode::from_bits_truncate(0o077));
}

#[cfg(not(unix))]
fn keep_new_files_private() {}
