// No console window for the desktop app on Windows release builds; the command line is
// `rebound` (src-tauri/cli), a console program of its own.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    rebound_window::main()
}
