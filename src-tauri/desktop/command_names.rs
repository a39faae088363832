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
    "today_view",
    "open_adjustment",
    "search_cycles",
    "list_lessons",
    "area_overview",
    "rename_area",
    "archive_area",
    "get_reminder",
    "set_reminder",
    "pending_reminder",
    "check_nudges",
    "dashboard",
    "save_checkin",
    "checkin_later",
    "set_target_band",
    "about_info",
]
