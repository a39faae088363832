// No console window for the desktop app on Windows release builds (see README: CLI on Windows).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    rebound::main()
}
