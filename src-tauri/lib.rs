//! Rebound: a desktop journal for building resilience through small, bounded,
//! deliberate failures, one cycle (attempt → observe → extract → adjust) at a time.
//!
//! The core (`cycle`, `store`, `insights`, `nudges`, `charts`, `backup`, `ops`, `about`)
//! knows nothing of Tauri. Two thin hosts sit on it: `cli` (the same binary with a
//! subcommand) and `desktop` (the Tauri window).

pub mod about;
pub mod auto_backup;
pub mod backup;
pub mod charts;
pub mod cli;
pub mod cycle;
pub mod demo;
pub mod desktop;
pub mod error;
pub mod files;
pub mod insights;
pub mod nudges;
pub mod ops;
pub mod paths;
pub mod readable;
pub mod reminder;
pub mod restore;
pub mod search;
pub mod settings;
pub mod store;
pub mod text;
pub mod today;

pub use error::{Error, Result};

/// Run Rebound: a subcommand runs headless; no subcommand opens the window.
pub fn main() -> std::process::ExitCode {
    cli::main()
}
