// The window's commands, by name. Included by src-tauri/build.rs (which declares them
// for the ACL) and by desktop/mod.rs (COMMANDS), so the two cannot drift apart. Every
// name must also be registered in desktop::builder and granted in
// src-tauri/capabilities/main.json; tests/ipc.rs checks both.
&[
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
    "export_readable",
    "open_backup",
    "unlock_backup",
    "apply_restore",
    "backup_overview",
    "set_backup_settings",
    "choose_backup_folder",
    "backup_now",
    "start_from_backup",
]
