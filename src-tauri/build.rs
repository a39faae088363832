//! Build script: tauri-build reads tauri.conf.json (at the package root) and the
//! capabilities, and declares the app's own commands so the ACL checks them: a command
//! not listed here, and granted in src-tauri/capabilities/main.json, cannot be called.

fn main() {
    // Must match rebound::desktop::COMMANDS (a test checks).
    const COMMANDS: &[&str] = &[
        "startup_status",
        "retry_open",
        "list_cycles",
        "get_cycle",
        "create_cycle",
        "update_cycle",
        "delete_cycle",
        "restore_cycle",
        "list_areas",
        "evidence_chart",
        "export_backup",
    ];
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed; see the message above");
}
