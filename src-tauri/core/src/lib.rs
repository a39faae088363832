//! Rebound's core: a desktop journal for building resilience through small, bounded,
//! deliberate failures, one cycle (attempt → observe → extract → adjust) at a time.
//!
//! The domain and every use case live here, and nothing of Tauri: the crate's manifest
//! has no tauri, wry, tao, gtk, webkit2gtk, rfd, clap or rpassword, so no module here can
//! import a window type. Two thin hosts sit on it, in the `rebound` package: the command
//! line and the Tauri window.

// The modules in layers, lowest first: a module imports only from layers below its own
// (tests/core/layering.rs checks it, with this same list).

// The one error type.
pub mod error;

// Foundations: time, atomic files, where the data lives, text helpers.
pub mod clock;
pub mod files;
pub mod paths;
pub mod text;

// The journal's records: a cycle, a resilience check-in.
pub mod checkin;
pub mod cycle;

// Rebound's own record of every acknowledged change, and this computer's settings file.
pub mod journal;
pub mod local_settings;

// Keeping them: the sled store (its only user).
pub mod store;

// What the records show: pure functions over them.
pub mod insights;
pub mod reminder;
pub mod today;

// Reading them closely: nudges beside the form's fields, search and lessons, the
// playbook (lessons by what works) and the weekly review.
pub mod nudges;
pub mod playbook;
pub mod review;
pub mod search;

// Drawing, preferences, files in and out.
pub mod backup;
pub mod charts;
pub mod demo;
pub mod prefs;

// One journal on several computers, through a folder the person already syncs.
pub mod sync;

// The use cases both hosts call, and what the About panel says.
pub mod about;
pub mod use_cases;

pub use error::{Error, Result};
