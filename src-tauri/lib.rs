//! Rebound's two hosts over the core crate (`rebound_core`): `cli`, the same binary run
//! with a subcommand, and `desktop`, the Tauri window. Each parses, calls one core
//! function and formats; neither holds logic of its own, and neither calls the other:
//! `main` here chooses between them.

pub mod cli;
pub mod desktop;

use clap::Parser;

use rebound_core::paths;

/// Run Rebound: a subcommand runs headless; no subcommand opens the window.
pub fn main() -> std::process::ExitCode {
    keep_new_files_private();
    let asked = cli::Cli::parse();
    let data_dir = match paths::resolve_data_dir(asked.data_dir) {
        Ok(dir) => dir,
        Err(e) => return cli::fail(&e),
    };
    match asked.command {
        Some(command) => cli::main(command, &data_dir),
        None => desktop::run(data_dir, asked.in_tray),
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
