//! tauri-build reads tauri.conf.json beside this file; the window has no commands.

fn main() {
    tauri_build::build()
}
