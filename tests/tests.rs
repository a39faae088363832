//! The window's integration tests, in one binary so the Tauri dependency graph links
//! once: its program's arguments, its commands, the real window, and the UI's words.
//! The core's own tests are in tests/core/ (`cargo test -p rebound-core`), the command
//! line's in tests/cli/ (`cargo test -p rebound-cli`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Temporary folders, a fixed clock and sample drafts shared by the modules below.
mod util;

/// Every word of the window in its catalogue.
mod ui_strings;

/// The window's first paint waits only for Today's modules, each preloaded.
mod ui_modules;

/// The real `rebound-window` program's arguments.
mod window;

/// The window's commands through Tauri's mock runtime, with the real config and ACL.
mod ipc;

/// The real window through tauri-driver and WebKitWebDriver (needs Xvfb).
mod e2e;
