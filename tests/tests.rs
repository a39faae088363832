//! Rebound's integration tests, in one binary so the Tauri dependency graph links once.
//! Cheapest first; each module says what it covers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Temporary folders, a fixed clock and sample drafts shared by the modules below.
mod util;

/// The sled store on disk: writes, order, indexes, reopening, the folder lock.
mod store;
mod ui_strings;

/// The backup file: round trips, atomic writes, and hostile files refused unchanged.
mod backup;

/// Chart SVG: well-formed for any data, pinned by a snapshot.
mod charts;

/// The dashboard's insights and charts: snapshots, any data, large histories, order.
mod dashboard;

/// The real `rebound` binary: the CLI round trip, its errors and the lock.
mod cli;

/// The window's commands through Tauri's mock runtime, with the real config and ACL.
mod ipc;

/// The real window through tauri-driver and WebKitWebDriver (needs Xvfb).
mod e2e;
