use std::path::Path;

use rebound_core::store::Store;
use rebound_window::desktop::{self, AppState, Dialogs};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

use crate::util::{draft, full_draft, temp_dir};

/// The real app (config, capabilities, ACL, embedded ui/) on the mock runtime, with its
/// data in `dir` and backups "saved" into `dir/out` without a dialog.
fn app(dir: &Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_opening(dir, None)
}

/// The same, with the open dialog "choosing" `dir/out/<open_file>`.
fn app_opening(
    dir: &Path,
    open_file: Option<&str>,
) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let state = AppState::open(
        dir.join("data"),
        Dialogs::Scripted {
            save_dir: dir.join("out"),
            open_file: open_file.map(str::to_string),
        },
    );
    let app = desktop::builder(mock_builder())
        .manage(state)
        .build(desktop::context::<MockRuntime>())
        .expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, desktop::MAIN_WINDOW, Default::default())
        .build()
        .unwrap();
    (app, window)
}

/// Call a command as the window's script would.
fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn a_cycle_is_logged_listed_edited_deleted_and_restored_through_the_commands() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    let status = call(&w, "get_startup_status", json!({})).unwrap();
    assert_eq!(status["ready"], true);

    let made = call(&w, "create_cycle", json!({"draft": full_draft()})).unwrap();
    assert_eq!(made["area"], "client pitches");
    assert_eq!(
        made["stages"],
        json!({"attempt": true, "observe": true, "extract": true, "adjust": true})
    );
    let id = made["id"].as_str().unwrap().to_string();

    let list = call(&w, "list_cycles", json!({"limit": 10})).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let mut changed = full_draft();
    changed["outcome"] = json!("partial");
    let edited = call(&w, "update_cycle", json!({"id": id, "draft": changed})).unwrap();
    assert_eq!(edited["outcome"], "partial");
    assert_eq!(edited["created_at"], made["created_at"]);

    let deleted = call(&w, "delete_cycle", json!({"id": id})).unwrap();
    assert_eq!(call(&w, "list_cycles", json!({})).unwrap(), json!([]));
    let mut cycle = deleted.clone();
    cycle.as_object_mut().unwrap().remove("stages");
    let back = call(&w, "restore_cycle", json!({"cycle": cycle})).unwrap();
    assert_eq!(
        back, deleted,
        "the undo gives back exactly what was deleted"
    );
    assert_eq!(call(&w, "get_cycle", json!({"id": id})).unwrap(), deleted);
}

#[test]
fn invalid_input_comes_back_field_by_field_in_the_stable_error_shape() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    let err = call(&w, "create_cycle", json!({"draft": {"area": "  ", "attempt": "x", "difficulty": 0, "stakes": 3, "effort": 4, "safety": 3}})).unwrap_err();
    insta::assert_json_snapshot!("invalid_draft_error", err);
    let err = call(&w, "get_cycle", json!({"id": "not-an-id"})).unwrap_err();
    assert_eq!(err["kind"], "invalidId");
    let err = call(
        &w,
        "delete_cycle",
        json!({"id": "01a21f56-26be-76ae-b2f9-3de4f06e8f8b"}),
    )
    .unwrap_err();
    assert_eq!(
        err,
        json!({"kind": "notFound", "message": "no cycle has the id 01a21f56-26be-76ae-b2f9-3de4f06e8f8b; `rebound list` shows the ids"})
    );
}

#[test]
fn the_evidence_chart_updates_after_every_save() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    let empty = call(&w, "get_evidence_chart", json!({"theme": "dark"})).unwrap();
    assert_eq!(empty["total"], 0);
    assert!(empty["sentence"]
        .as_str()
        .unwrap()
        .starts_with("No evidence yet. Log an attempt"));
    call(
        &w,
        "create_cycle",
        json!({"draft": draft("pitches", "one", "failure", 4, "2026-11-01")}),
    )
    .unwrap();
    call(
        &w,
        "create_cycle",
        json!({"draft": draft("pitches", "two", "pending", 4, "2026-11-03")}),
    )
    .unwrap();
    let view = call(&w, "get_evidence_chart", json!({"theme": "light"})).unwrap();
    assert_eq!(view["total"], 1);
    assert_eq!(
        view["sentence"],
        "1 failure followed by another attempt, in 1 area."
    );
    assert_eq!(view["series"], json!([{"day": "2026-11-03", "total": 1}]));
    assert!(view["svg"].as_str().unwrap().starts_with("<svg"));
}

#[test]
fn the_window_opens_on_today_worked_out_while_opening_unless_a_save_came_first() {
    let dir = temp_dir();
    // Tauri never drops what an app manages: each window's data is closed as at exit.
    let closed = |app: App<MockRuntime>| app.state::<AppState>().close();
    {
        let (first, w) = app(dir.path());
        for (attempt, outcome, on) in [
            ("one", "failure", "2026-11-01"),
            ("two", "partial", "2026-11-03"),
        ] {
            let made = call(
                &w,
                "create_cycle",
                json!({"draft": draft("pitches", attempt, outcome, 4, on)}),
            );
            made.unwrap();
        }
        closed(first);
    }
    let start = json!({"systemDark": false, "width": 640});
    // Opened again: Today is worked out as the store opens. The first request draws
    // from that, the next works it out afresh: both say the same.
    let (second, w) = app(dir.path());
    let prepared = call(&w, "get_start", start.clone()).unwrap();
    assert_eq!(prepared["today"]["today"]["cycles"], 2);
    assert_eq!(prepared["today"]["evidence"]["total"], 1);
    assert_eq!(prepared, call(&w, "get_start", start.clone()).unwrap());
    closed(second);

    // A save between the open and the window's first request is on Today at once.
    let (_app, w) = app(dir.path());
    let made = call(
        &w,
        "create_cycle",
        json!({"draft": draft("pitches", "three", "failure", 4, "2026-11-05")}),
    )
    .unwrap();
    let today = call(&w, "get_start", start).unwrap()["today"].clone();
    assert_eq!(today["today"]["cycles"], 3);
    assert_eq!(today["recent"][0]["id"], made["id"]);
    // The partial of the 3rd is followed now; the new failure waits for a next attempt.
    assert_eq!(today["evidence"]["total"], 2);
    assert_eq!(today["evidence"]["open"], 1);
}

#[test]
fn the_dashboard_draws_the_first_chart_then_the_rest_and_keeps_check_ins() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    let empty = call(&w, "get_dashboard", json!({"kinds": ["evidence"]})).unwrap();
    assert_eq!(empty["cycles"], 0);
    assert_eq!(
        empty["checkin_due"], false,
        "nothing to offer before any practice"
    );
    call(&w, "create_cycle", json!({"draft": full_draft()})).unwrap();
    let first = call(
        &w,
        "get_dashboard",
        json!({"kinds": ["evidence"], "range": "90d", "theme": "dark"}),
    )
    .unwrap();
    assert_eq!(first["charts"].as_array().unwrap().len(), 1);
    assert_eq!(first["checkin_due"], true);
    // Every chart but the first (the evidence), which was drawn alone above.
    let rest: Vec<&str> = rebound_core::charts::Kind::ALL[1..]
        .iter()
        .map(|k| k.as_str())
        .collect();
    let view = call(
        &w,
        "get_dashboard",
        json!({"kinds": rest, "range": "all", "area": "CLIENT pitches"}),
    )
    .unwrap();
    let charts = view["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 7);
    for chart in charts {
        assert!(chart["svg"].as_str().unwrap().starts_with("<svg"));
        assert!(!chart["sentence"].as_str().unwrap().is_empty());
        assert!(chart["table"]["columns"].as_array().unwrap().len() >= 2);
    }
    assert_eq!(view["ladder_area"], "client pitches");
    assert!(view["band_source"]
        .as_str()
        .unwrap()
        .contains("not for people"));
    let bad = call(&w, "get_dashboard", json!({"kinds": ["sparkles"]})).unwrap_err();
    assert!(bad.to_string().contains("sparkles"), "{bad}");

    let checkin = call(&w, "save_checkin", json!({"answers": [4, 2, 4, 2, 4, 2]})).unwrap();
    assert_eq!(checkin["score"], 4.0);
    let err = call(&w, "save_checkin", json!({"answers": [4, 2]})).unwrap_err();
    assert_eq!(err["kind"], "usage");
    let after = call(&w, "get_dashboard", json!({"kinds": ["brs"]})).unwrap();
    assert_eq!(after["checkin_due"], false);
    call(&w, "postpone_checkin", json!({})).unwrap();
    let band = call(&w, "set_target_band", json!({"low": 60, "high": 80})).unwrap();
    assert_eq!(band, json!({"low": 60, "high": 80}));
    assert_eq!(
        call(&w, "set_target_band", json!({"low": 80, "high": 60})).unwrap_err()["kind"],
        "usage"
    );
}

#[test]
fn export_writes_the_backup_where_the_dialog_said() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    call(&w, "create_cycle", json!({"draft": full_draft()})).unwrap();
    let summary = call(&w, "export_backup", json!({})).unwrap();
    assert_eq!(summary["cycles"], 1);
    let path = Path::new(summary["path"].as_str().unwrap());
    assert!(path.starts_with(dir.path().join("out")));
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with("rebound-backup-") && name.ends_with(".json"),
        "{name}"
    );
    let value: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(value["cycle_count"], 1);
}

#[test]
fn a_backup_is_exported_encrypted_then_restored_with_a_preview() {
    let dir = temp_dir();
    // The scripted open dialog picks the backup just saved, whatever day it is named for.
    let (_app, w) = app_opening(dir.path(), None);
    let made = call(&w, "create_cycle", json!({"draft": full_draft()})).unwrap();
    call(
        &w,
        "create_cycle",
        json!({"draft": draft("running", "hill 10k", "partial", 4, "2026-11-02")}),
    )
    .unwrap();
    let before = call(&w, "list_cycles", json!({})).unwrap();

    let err = call(&w, "export_backup", json!({"passphrase": "short"})).unwrap_err();
    assert!(
        err["message"].as_str().unwrap().contains("too short"),
        "{err}"
    );
    let summary = call(
        &w,
        "export_backup",
        json!({"passphrase": "a good passphrase"}),
    )
    .unwrap();
    assert_eq!(
        (summary["cycles"].clone(), summary["encrypted"].clone()),
        (json!(2), json!(true))
    );

    // Change things after the backup.
    let id = made["id"].as_str().unwrap();
    call(&w, "delete_cycle", json!({"id": id})).unwrap();
    call(
        &w,
        "create_cycle",
        json!({"draft": draft("sales", "cold call", "failure", 2, "2026-11-03")}),
    )
    .unwrap();

    let err = call(&w, "unlock_backup", json!({"passphrase": "x"})).unwrap_err();
    assert_eq!(err["kind"], "usage", "nothing chosen yet: {err}");
    let opened = call(&w, "open_backup", json!({})).unwrap();
    // The file the export wrote, under the name it suggested.
    let saved = Path::new(summary["path"].as_str().unwrap())
        .file_name()
        .unwrap();
    assert_eq!(opened["name"], saved.to_str().unwrap());
    assert_eq!(
        (opened["encrypted"].clone(), opened["preview"].clone()),
        (json!(true), Value::Null)
    );
    let err = call(&w, "unlock_backup", json!({"passphrase": "not it"})).unwrap_err();
    assert_eq!(err["kind"], "wrongPassphrase");
    let preview = call(
        &w,
        "unlock_backup",
        json!({"passphrase": "a good passphrase"}),
    )
    .unwrap();
    assert_eq!(
        (
            preview["new"].clone(),
            preview["identical"].clone(),
            preview["onlyHere"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
    assert_eq!(preview["firstDay"], "2026-11-02");
    let done = call(&w, "apply_restore", json!({"mode": "replace"})).unwrap();
    assert!(done["message"]
        .as_str()
        .unwrap()
        .starts_with("Restored 2 cycles (backup from "));
    assert!(done["snapshot"].as_str().unwrap().contains("snapshots"));
    assert_eq!(call(&w, "list_cycles", json!({})).unwrap(), before);
    // The chosen file is used once.
    assert!(call(&w, "apply_restore", json!({"mode": "merge"})).is_err());
}

#[test]
fn automatic_backups_are_listed_set_and_restored_in_one_click() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    let overview = call(&w, "get_backup_overview", json!({})).unwrap();
    assert_eq!(
        (overview["enabled"].clone(), overview["keep"].clone()),
        (json!(true), json!(7))
    );
    assert!(overview["folder"].as_str().unwrap().ends_with("backups"));
    call(&w, "create_cycle", json!({"draft": full_draft()})).unwrap();
    let overview = call(&w, "make_backup_now", json!({})).unwrap();
    let backups = overview["backups"].as_array().unwrap();
    assert_eq!(backups.len(), 1);
    let name = backups[0]["name"].as_str().unwrap().to_string();
    let overview = call(
        &w,
        "set_backup_settings",
        json!({"enabled": false, "keep": 3}),
    )
    .unwrap();
    assert_eq!(
        (overview["enabled"].clone(), overview["keep"].clone()),
        (json!(false), json!(3))
    );
    call(
        &w,
        "create_cycle",
        json!({"draft": draft("a", "b", "failure", 2, "2026-11-03")}),
    )
    .unwrap();
    let opened = call(&w, "open_backup", json!({"automatic": name})).unwrap();
    assert_eq!(opened["preview"]["onlyHere"], 1);
    let done = call(&w, "apply_restore", json!({"mode": "merge"})).unwrap();
    assert_eq!(
        done["changed"], false,
        "merge of an older backup adds nothing: {done}"
    );
    let err = call(&w, "open_backup", json!({"automatic": "../../secret"})).unwrap_err();
    assert_eq!(err["kind"], "usage");
    let overview = call(&w, "choose_backup_folder", json!({})).unwrap();
    assert!(overview["folder"].as_str().unwrap().ends_with("out"));
}

#[test]
fn readable_copies_are_saved_where_the_dialog_said() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    call(&w, "create_cycle", json!({"draft": full_draft()})).unwrap();
    for (format, ext) in [("csv", ".csv"), ("markdown", ".md")] {
        let summary = call(&w, "export_readable", json!({"format": format})).unwrap();
        let path = summary["path"].as_str().unwrap();
        assert!(path.ends_with(ext) && Path::new(path).exists(), "{path}");
    }
}

#[test]
fn a_damaged_database_offers_to_recover_and_rebuilds_every_saved_change() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    {
        let store = Store::open(&data).unwrap();
        rebound_core::use_cases::log_cycle(&store, full_draft(), crate::util::clock()).unwrap();
        rebound_core::backup::auto::run_now(&store, &data, crate::util::clock()).unwrap();
        // Saved after the day's automatic backup: only the journal has it.
        rebound_core::use_cases::log_cycle(&store, full_draft(), crate::util::clock()).unwrap();
    }
    crate::util::damage(&data);
    let (_app, w) = app(dir.path());
    let status = call(&w, "get_startup_status", json!({})).unwrap();
    assert_eq!(status["ready"], false);
    assert_eq!(status["recoverable"], true);
    assert_eq!(status["newestBackup"]["day"], "2026-11-27");
    let recovered = call(&w, "recover_data", json!({})).unwrap();
    assert_eq!(recovered["status"]["ready"], true);
    let report = recovered["report"].as_str().unwrap();
    assert!(
        report.starts_with("Recovered 2 cycles") && report.contains("kept, unchanged"),
        "{report}"
    );
    assert_eq!(
        call(&w, "list_cycles", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_locked_database_opens_the_window_on_a_message_and_try_again_works() {
    let dir = temp_dir();
    let held = Store::open(&dir.path().join("data")).unwrap();
    let (_app, w) = app(dir.path());
    let status = call(&w, "get_startup_status", json!({})).unwrap();
    assert_eq!(status["ready"], false);
    assert_eq!(status["problem"]["kind"], "alreadyOpen");
    let err = call(&w, "list_cycles", json!({})).unwrap_err();
    assert_eq!(err["kind"], "unavailable");
    assert_eq!(call(&w, "retry_open", json!({})).unwrap()["ready"], false);
    drop(held);
    assert_eq!(call(&w, "retry_open", json!({})).unwrap()["ready"], true);
    assert_eq!(call(&w, "list_cycles", json!({})).unwrap(), json!([]));
}

#[test]
fn the_about_panel_says_the_version_the_folders_the_licence_and_the_sources() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    let about = call(&w, "get_about", json!({})).unwrap();
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    let data = dir.path().join("data");
    assert_eq!(about["dataDir"], data.display().to_string());
    assert_eq!(
        about["backups"]["automaticDir"],
        data.join("backups").display().to_string()
    );
    assert_eq!(about["licence"]["name"], "MIT");
    let citations: Vec<&str> = about["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["citation"].as_str().unwrap())
        .collect();
    assert!(citations.iter().any(|c| c.contains("15(3), 194–200")));
    assert!(citations
        .iter()
        .any(|c| c.contains("Nature Communications, 10, 4646")));
}

#[test]
fn the_about_panel_works_while_the_data_is_held_by_another_rebound() {
    let dir = temp_dir();
    let _held = Store::open(&dir.path().join("data")).unwrap();
    let (_app, w) = app(dir.path());
    let about = call(&w, "get_about", json!({})).unwrap();
    assert_eq!(
        about["dataDir"],
        dir.path().join("data").display().to_string()
    );
}

#[test]
fn the_bundle_takes_its_version_from_cargo_and_has_every_icon_and_description() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config: Value =
        serde_json::from_slice(&std::fs::read(root.join("tauri.conf.json")).unwrap()).unwrap();
    assert!(
        config.get("version").is_none(),
        "the version comes from Cargo.toml, so there is one place to change it"
    );
    let bundle = &config["bundle"];
    assert_eq!(
        bundle["active"], false,
        "a plain cargo build must not bundle"
    );
    for key in [
        "publisher",
        "license",
        "category",
        "shortDescription",
        "longDescription",
    ] {
        assert!(
            bundle[key].as_str().is_some_and(|v| !v.trim().is_empty()),
            "bundle.{key} is missing"
        );
    }
    let icons: Vec<&str> = bundle["icon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    for ending in [".png", ".icns", ".ico"] {
        assert!(
            icons.iter().any(|i| i.ends_with(ending)),
            "no {ending} icon"
        );
    }
    for icon in icons {
        assert!(root.join(icon).is_file(), "{icon} is listed but missing");
    }
    for package in ["deb", "rpm"] {
        let linux = &bundle["linux"][package];
        let template = linux["desktopTemplate"].as_str().unwrap();
        assert!(root.join(template).is_file(), "{template} is missing");
        for source in linux["files"].as_object().unwrap().values() {
            let source = source.as_str().unwrap();
            assert!(root.join(source).is_file(), "{source} is missing");
        }
    }
}

#[test]
fn a_command_the_window_was_not_granted_is_refused() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    assert!(call(&w, "no_such_command", json!({})).is_err());
    // Core plugins the window has no permission for are refused by the ACL.
    assert!(call(
        &w,
        "plugin:path|resolve_directory",
        json!({"directory": 11})
    )
    .is_err());
}

#[test]
fn every_command_is_registered_and_granted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let capability: Value = serde_json::from_slice(
        &std::fs::read(root.join("src-tauri/capabilities/main.json")).unwrap(),
    )
    .unwrap();
    let granted: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    let mut commands: Vec<String> = desktop::COMMANDS.iter().map(|c| c.to_string()).collect();
    commands.sort();
    let mut granted_sorted = granted.clone();
    granted_sorted.sort();
    assert_eq!(granted_sorted, commands, "capability grants = COMMANDS");
    // Every command is registered: calling it without arguments may fail on the
    // arguments, never with "not found".
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    for command in desktop::COMMANDS {
        if [
            "export_backup",
            "export_readable",
            "make_backup_now",
            "choose_backup_folder",
        ]
        .contains(command)
        {
            continue; // they would write files; tested on their own above
        }
        if let Err(err) = call(&w, command, json!({})) {
            let text = err.to_string();
            assert!(
                !text.contains("not found"),
                "{command} is not registered: {text}"
            );
        }
    }
}

#[test]
fn the_cli_and_the_window_use_the_same_data_folder() {
    let config: Value = serde_json::from_slice(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(config["identifier"], rebound_core::paths::IDENTIFIER);
    let dir = temp_dir();
    let (app, _w) = app(dir.path());
    assert_eq!(
        app.path().app_data_dir().unwrap(),
        rebound_core::paths::default_data_dir().unwrap()
    );
}

#[test]
fn the_page_is_locked_down() {
    let config: Value = serde_json::from_slice(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json")).unwrap(),
    )
    .unwrap();
    let csp = config["app"]["security"]["csp"].as_str().unwrap();
    for rule in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "connect-src ipc: http://ipc.localhost",
    ] {
        assert!(csp.contains(rule), "CSP lacks {rule}");
    }
    let remote = csp.replace("http://ipc.localhost", "");
    for loose in ["unsafe-inline", "unsafe-eval", "http:", "https:", "*"] {
        assert!(!remote.contains(loose), "the CSP allows {loose}");
    }
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut scripts = vec![ui.join("index.html")];
    for entry in walk(&ui.join("js")) {
        scripts.push(entry);
    }
    for file in scripts {
        let text = std::fs::read_to_string(&file).unwrap();
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ] {
            assert!(
                !text.contains(sink),
                "{} uses {sink}: person-written text must go in as text",
                file.display()
            );
        }
        assert!(
            !text.contains("<script>"),
            "{} has an inline script",
            file.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_method_commands_carry_an_adjustment_forward_search_and_manage_areas() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    // A failure with an adjustment, then the next attempt in the same area.
    let first = call(&w, "create_cycle", json!({"draft": full_draft()})).unwrap();
    let offered = call(&w, "get_open_adjustment", json!({"area": "CLIENT pitches"})).unwrap();
    assert_eq!(offered["id"], first["id"]);
    assert_eq!(
        call(&w, "get_open_adjustment", json!({"area": "nowhere"})).unwrap(),
        Value::Null
    );

    let mut next = draft(
        "client pitches",
        "Pitched again, results first",
        "success",
        4,
        "2026-11-25",
    );
    next["tests_cycle"] = first["id"].clone();
    next["applied"] = json!("yes");
    next["result"] = json!("better");
    next["predicted_success"] = json!(30);
    let second = call(&w, "create_cycle", json!({"draft": next})).unwrap();
    assert_eq!(second["tests_cycle"], first["id"]);
    assert_eq!(second["predicted_success"], 30);
    assert_eq!(
        call(&w, "get_open_adjustment", json!({"area": "client pitches"})).unwrap(),
        Value::Null,
        "a tested adjustment is not offered again"
    );

    // A link to a cycle that is not stored is refused by field.
    let mut dangling = draft("client pitches", "x", "pending", 4, "2026-11-26");
    dangling["tests_cycle"] = json!("01a21f56-26be-76ae-b2f9-3de4f06e8f8b");
    dangling["applied"] = json!("no");
    let err = call(&w, "create_cycle", json!({"draft": dangling})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "tests_cycle");

    let lessons = call(&w, "list_lessons", json!({"filter": {}})).unwrap();
    assert_eq!(
        (lessons["total"].as_u64(), lessons["tested"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(lessons["lessons"][0]["trials"][0]["result"], "better");

    let page = call(
        &w,
        "search_cycles",
        json!({"filter": {"search": "RESULTS first"}, "limit": 10}),
    )
    .unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["cycles"][0]["id"], second["id"]);
    let bad = call(
        &w,
        "search_cycles",
        json!({"filter": {"from": "2026-12-01", "to": "2026-11-01"}}),
    )
    .unwrap_err();
    assert_eq!(bad["kind"], "invalid");
    assert_eq!(bad["fields"][0]["field"], "from");

    let today = call(&w, "get_today", json!({})).unwrap();
    assert_eq!(today["cycles"], 2);
    assert_eq!(today["untested"], json!([]));
    assert_eq!(
        today["totals"],
        json!({"pending": 0, "unfinished": 0, "untested": 0})
    );

    // Areas: rename, merge, archive.
    call(
        &w,
        "create_cycle",
        json!({"draft": draft("Pitching", "y", "pending", 4, "2026-11-26")}),
    )
    .unwrap();
    let moved = call(
        &w,
        "rename_area",
        json!({"from": "Pitching", "to": "CLIENT PITCHES"}),
    )
    .unwrap();
    assert_eq!(moved, 1);
    let areas = call(&w, "get_area_overview", json!({})).unwrap();
    assert_eq!(areas.as_array().unwrap().len(), 1, "{areas}");
    assert_eq!(areas[0]["name"], "client pitches");
    assert_eq!(areas[0]["cycles"], 3);
    call(
        &w,
        "archive_area",
        json!({"area": "client pitches", "archived": true}),
    )
    .unwrap();
    assert_eq!(
        call(&w, "get_area_overview", json!({})).unwrap()[0]["archived"],
        true
    );
    let today = call(&w, "get_today", json!({})).unwrap();
    assert_eq!(
        today["pending"],
        json!([]),
        "archived areas leave Today's lists"
    );
    let err = call(
        &w,
        "archive_area",
        json!({"area": "nowhere", "archived": true}),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "notFound");

    // Nudges for a half-filled form, and the reminder setting.
    let nudges = call(
        &w,
        "check_nudges",
        json!({"draft": {"observation": "didn't work", "reframe": "I am a failure", "stakes": "5"}}),
    )
    .unwrap();
    let rules: Vec<&str> = nudges
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["unbounded_stakes", "identity_language", "vague_observation"]
    );
    assert_eq!(
        call(&w, "get_reminder", json!({})).unwrap(),
        json!({"enabled": false, "time": "20:00"})
    );
    let on = call(
        &w,
        "set_reminder",
        json!({"enabled": true, "time": "07:30"}),
    )
    .unwrap();
    assert_eq!(on, json!({"enabled": true, "time": "07:30"}));
    let err = call(
        &w,
        "set_reminder",
        json!({"enabled": true, "time": "7.30pm"}),
    )
    .unwrap_err();
    assert_eq!(err["fields"][0]["field"], "time");
    assert_eq!(
        call(&w, "get_reminder", json!({})).unwrap()["time"],
        "07:30"
    );
    assert_eq!(
        call(&w, "take_pending_reminder", json!({})).unwrap(),
        Value::Null
    );
}

/// The app on data `data`, its folder dialog "choosing" `folder` (a shared sync folder).
fn app_syncing(data: &Path, folder: &Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let state = AppState::open(
        data.to_path_buf(),
        Dialogs::Scripted {
            save_dir: folder.to_path_buf(),
            open_file: None,
        },
    );
    let app = desktop::builder(mock_builder())
        .manage(state)
        .build(desktop::context::<MockRuntime>())
        .expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, desktop::MAIN_WINDOW, Default::default())
        .build()
        .unwrap();
    (app, window)
}

#[test]
fn two_windows_sync_through_one_folder_and_a_conflict_is_resolved_in_one_click() {
    let dir = temp_dir();
    let folder = dir.path().join("Sync");
    std::fs::create_dir_all(&folder).unwrap();
    let (_a, a) = app_syncing(&dir.path().join("a"), &folder);
    let (_b, b) = app_syncing(&dir.path().join("b"), &folder);

    let view = call(&a, "get_sync_overview", json!({})).unwrap();
    assert_eq!(
        (view["folder"].clone(), view["needsPassphrase"].clone()),
        (Value::Null, json!(true))
    );
    let made = call(&a, "create_cycle", json!({"draft": full_draft()})).unwrap();
    let id = made["id"].as_str().unwrap().to_string();
    let view = call(&a, "choose_sync_folder", json!({})).unwrap();
    assert_eq!(view["folder"], folder.display().to_string());
    assert_eq!(view["firstComputer"], true);
    let err = call(&a, "sync_now", json!({})).unwrap_err();
    assert_eq!(err["kind"], "syncPassphrase");
    let done = call(
        &a,
        "sync_now",
        json!({"passphrase": "four calm words here"}),
    )
    .unwrap();
    assert_eq!(done["report"]["sent"]["cyclesAdded"], 1, "{done}");
    assert_eq!(done["view"]["needsPassphrase"], false);

    call(&b, "choose_sync_folder", json!({})).unwrap();
    let err = call(&b, "sync_now", json!({"passphrase": "another passphrase"})).unwrap_err();
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("does not open the sync files"),
        "{err}"
    );
    let done = call(
        &b,
        "sync_now",
        json!({"passphrase": "four calm words here"}),
    )
    .unwrap();
    assert_eq!(done["report"]["received"]["cyclesAdded"], 1, "{done}");
    assert_eq!(done["report"]["changedHere"], true);
    assert_eq!(done["view"]["devices"].as_array().unwrap().len(), 2);
    assert_eq!(
        call(&b, "get_cycle", json!({"id": id})).unwrap()["attempt"],
        made["attempt"]
    );

    // The same reflection changed in both windows before either synced.
    for (w, text) in [
        (&a, "Written in the first window"),
        (&b, "Written in the second window"),
    ] {
        let mut draft = full_draft();
        draft["observation"] = json!(text);
        call(w, "update_cycle", json!({"id": id, "draft": draft})).unwrap();
    }
    call(&a, "sync_now", json!({})).unwrap();
    let done = call(&b, "sync_now", json!({})).unwrap();
    let conflicts = done["view"]["conflicts"].as_array().unwrap().clone();
    assert_eq!(conflicts.len(), 1, "{done}");
    let texts: Vec<&str> = conflicts[0]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["text"].as_str())
        .collect();
    assert_eq!(texts.len(), 2);
    let keep = texts
        .iter()
        .position(|t| *t == "Written in the first window")
        .unwrap();
    let view = call(
        &b,
        "resolve_sync_conflict",
        json!({"cycle": id, "field": "observation", "keep": keep}),
    )
    .unwrap();
    assert_eq!(view["conflicts"], json!([]));
    call(&b, "sync_now", json!({})).unwrap();
    let done = call(&a, "sync_now", json!({})).unwrap();
    assert_eq!(
        done["view"]["conflicts"],
        json!([]),
        "resolved on the other window too"
    );
    for w in [&a, &b] {
        assert_eq!(
            call(w, "get_cycle", json!({"id": id})).unwrap()["observation"],
            "Written in the first window"
        );
    }
}

#[test]
fn the_theme_chosen_in_settings_is_kept_in_this_computers_settings() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    assert_eq!(
        call(&w, "get_appearance", json!({})).unwrap(),
        json!({"theme": "system"})
    );
    assert_eq!(
        call(&w, "set_appearance", json!({"theme": "dark"})).unwrap(),
        json!({"theme": "dark"})
    );
    assert!(call(&w, "set_appearance", json!({"theme": "purple"})).is_err());
    let settings: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("data/settings.json")).unwrap())
            .unwrap();
    assert_eq!(settings["appearance"]["theme"], "dark");
}

#[test]
fn what_the_page_found_of_the_fonts_is_kept_and_a_bad_answer_changes_nothing() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    let path = dir.path().join("data/settings.json");
    let read = || -> Value { serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap() };
    call(&w, "set_appearance", json!({"theme": "dark"})).unwrap();
    assert_eq!(read()["fonts"]["plain_sans"], Value::Null);
    call(&w, "set_plain_sans", json!({"same": true})).unwrap();
    assert_eq!(read()["fonts"]["plain_sans"], true);
    assert!(call(&w, "set_plain_sans", json!({"same": "yes"})).is_err());
    assert!(call(&w, "set_plain_sans", json!({})).is_err());
    assert_eq!(read()["fonts"]["plain_sans"], true);
    call(&w, "set_plain_sans", json!({"same": false})).unwrap();
    let settings = read();
    assert_eq!(settings["fonts"]["plain_sans"], false);
    assert_eq!(settings["appearance"]["theme"], "dark", "the rest kept");
}

#[test]
fn charts_are_drawn_at_the_width_the_window_shows_them_at() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    let view = call(
        &w,
        "get_dashboard",
        json!({"kinds": ["loops"], "range": "30d", "theme": "light", "width": 600}),
    )
    .unwrap();
    let svg = view["charts"][0]["svg"].as_str().unwrap();
    assert!(svg.contains(r#"width="600""#), "{}", &svg[..120]);
    assert!(view["charts"][0]["table"]["summary"].is_array());
    let evidence = call(
        &w,
        "get_evidence_chart",
        json!({"theme": "light", "width": 500}),
    )
    .unwrap();
    assert!(evidence["svg"].as_str().unwrap().contains(r#"width="500""#));
    // Without a width, the default size (what `rebound chart` draws).
    let plain = call(&w, "get_evidence_chart", json!({"theme": "light"})).unwrap();
    assert!(plain["svg"].as_str().unwrap().contains(r#"width="760""#));
}

/// Guidance and the tray through the commands (tests/ipc/guidance.rs).
mod guidance;
