//! The app's integration tests, in one binary so the Tauri dependency graph links once:
//! the two hosts (the CLI binary, the window's commands, the real window) and the UI's
//! words. The core's own tests are in tests/core.rs (`cargo test -p rebound-core`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Temporary folders, a fixed clock and sample drafts shared by the modules below.
mod util;

/// Every word of the window in its catalogue.
mod ui_strings;

/// The real `rebound` binary: the CLI round trip, its errors and the lock.
mod cli;

/// Sync from the command line: two computers through one folder, edits, deletes, kills.
mod sync;

/// The window's commands through Tauri's mock runtime, with the real config and ACL.
mod ipc;

/// The real window through tauri-driver and WebKitWebDriver (needs Xvfb).
mod e2e;

/// Every file Rebound writes is private; temporary files cannot be planted.
mod privacy;

/// A full disk: every command ends quickly with a clear message and loses nothing.
mod diskfull;

/// Power cuts at every acknowledgement, on LazyFS (scripts/powercut.sh runs it as root).
mod powercut;
