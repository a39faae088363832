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
