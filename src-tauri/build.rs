//! Build script: tauri-build reads tauri.conf.json (at the package root) and the
//! capabilities, and declares the app's own commands so the ACL checks them: a command
//! not listed here, and granted in src-tauri/capabilities/main.json, cannot be called.

fn main() {
    const COMMANDS: &[&str] = include!("desktop/command_names.rs");
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed; see the message above");
}
