//! A bare Tauri 2 window: the configured window and its static page, nothing else: no
//! commands, no state, no plugins. scripts/bench.sh times it and reads its memory as
//! the baseline for Rebound's own window.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("bare-window: {e}");
            std::process::exit(1);
        });
}
