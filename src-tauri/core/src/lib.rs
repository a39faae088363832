//! Rebound's core: a desktop journal for building resilience through small, bounded,
//! deliberate failures, one cycle (attempt → observe → extract → adjust) at a time.
//!
//! The domain and every use case live here, and nothing of Tauri: the crate's manifest
//! has no tauri, wry, tao, gtk, webkit2gtk, rfd, clap or rpassword, so no module here can
//! import a window type. Two thin hosts sit on it, in the `rebound` package: the command
//! line and the Tauri window.

pub mod about;
pub mod auto_backup;
pub mod backup;
pub mod charts;
pub mod cycle;
pub mod demo;
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
