//! Rebound's two hosts over the core crate (`rebound_core`): `cli`, the same binary run
//! with a subcommand, and `desktop`, the Tauri window. Each parses, calls one core
//! function and formats; neither holds logic of its own.

pub mod cli;
pub mod desktop;

/// Run Rebound: a subcommand runs headless; no subcommand opens the window.
pub fn main() -> std::process::ExitCode {
    cli::main()
}
