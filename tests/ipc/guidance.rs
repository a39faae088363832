//! Guidance through the window's commands on the mock runtime: the editor's guide and an
//! area's own rule, the reflect queue, the playbook, the track record, the weekly review
//! and its plan, and the tray's menu actions (which cannot be clicked in a test, so they
//! are called as the menu calls them).

use serde_json::{json, Value};
use tauri::Manager;

use super::{app, call};
use crate::util::temp_dir;
use rebound::desktop::tray::{self, TrayAction};

/// A draft with no date (today), so the tests hold on any day.
fn attempt(area: &str, outcome: &str, difficulty: u8) -> Value {
    json!({
        "area": area, "attempt": format!("{outcome} at {difficulty}"), "outcome": outcome,
        "difficulty": difficulty, "stakes": 4, "effort": 4, "safety": 2,
    })
}

#[test]
fn the_editor_gets_the_areas_edge_its_last_scales_and_its_proven_adjustments() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    // Nothing logged: an empty guide, not an error.
    let empty = call(&w, "get_attempt_guide", json!({"area": ""})).unwrap();
    assert_eq!(
        (empty["area"].as_str(), empty["known"].as_bool()),
        (Some(""), Some(false))
    );

    // An adjustment written after a failure, tried twice and better both times: proven.
    let mut failed = attempt("Pitches", "failure", 5);
    failed["adjustment"] = json!("Ask about budget in the first call.");
    let source = call(&w, "create_cycle", json!({"draft": failed})).unwrap();
    for _ in 0..2 {
        let mut tried = attempt("pitches", "success", 5);
        tried["tests_cycle"] = source["id"].clone();
        tried["applied"] = json!("yes");
        tried["result"] = json!("better");
        call(&w, "create_cycle", json!({"draft": tried})).unwrap();
    }
    // With no area asked for, the last area practised, in its stored spelling; any
    // case finds it.
    let guide = call(&w, "get_attempt_guide", json!({"area": ""})).unwrap();
    assert_eq!(guide["area"], "Pitches");
    let same = call(&w, "get_attempt_guide", json!({"area": "PITCHES"})).unwrap();
    assert_eq!(same["edge"], guide["edge"]);
    // Failure at 5 sets the level at 5 and steps down to 4; two successes at 5 count 2.
    assert_eq!(guide["edge"]["suggested_next"], 4);
    assert_eq!(guide["edge"]["successes_in_row"], 2);
    assert_eq!(
        guide["last"],
        json!({"attempted_on": guide["last"]["attempted_on"], "difficulty": 5, "stakes": 4, "effort": 4, "safety": 2})
    );
    assert_eq!(
        guide["proven"][0]["adjustment"],
        "Ask about budget in the first call."
    );
    assert_eq!(
        (
            guide["proven"][0]["worked"].as_u64(),
            guide["proven"][0]["tried"].as_u64()
        ),
        (Some(2), Some(2))
    );

    // The area's own rule: 2 up / 1 down lifts it one above the easiest of the two.
    let bad = call(
        &w,
        "set_area_guide",
        json!({"area": "pitches", "band": [90, 70], "staircase": [0, 1]}),
    )
    .unwrap_err();
    assert_eq!(bad["kind"], "invalid");
    let fields: Vec<&str> = bad["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["band", "staircase"]);
    let set = call(
        &w,
        "set_area_guide",
        json!({"area": "Pitches", "band": [60, 80], "staircase": [2, 1]}),
    )
    .unwrap();
    assert_eq!(
        (set["own_band"].as_bool(), set["own_staircase"].as_bool()),
        (Some(true), Some(true))
    );
    assert!((set["settles_near"].as_f64().unwrap() - 70.71).abs() < 0.01);
    assert_eq!(set["choices"].as_array().unwrap().len(), 24);
    let guide = call(&w, "get_attempt_guide", json!({"area": "pitches"})).unwrap();
    assert_eq!(guide["edge"]["suggested_next"], 6);
    assert_eq!(guide["edge"]["target_band"], json!({"low": 60, "high": 80}));
    // The dashboard and stats agree with the editor.
    let dashboard = call(&w, "get_dashboard", json!({"kinds": []})).unwrap();
    assert_eq!(
        dashboard["calibration"][0]["band"],
        json!({"low": 60, "high": 80})
    );
    // Back to the defaults.
    let reset = call(
        &w,
        "set_area_guide",
        json!({"area": "pitches", "band": null, "staircase": null}),
    )
    .unwrap();
    assert_eq!(reset["own_staircase"], false);
    assert_eq!(reset["staircase"], json!({"up_after": 4, "down_after": 1}));
}

#[test]
fn the_reflect_queue_is_todays_lists_in_full_and_says_where_each_opens() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    for n in 0..5 {
        call(
            &w,
            "create_cycle",
            json!({"draft": attempt("a", "pending", n + 1)}),
        )
        .unwrap();
    }
    for n in 0..4 {
        call(
            &w,
            "create_cycle",
            json!({"draft": attempt("b", "failure", n + 1)}),
        )
        .unwrap();
    }
    let mut observed = attempt("b", "partial", 3);
    observed["observation"] = json!("They stopped at the second page");
    call(&w, "create_cycle", json!({"draft": observed})).unwrap();
    call(
        &w,
        "create_cycle",
        json!({"draft": attempt("c", "failure", 3)}),
    )
    .unwrap();
    call(&w, "archive_area", json!({"area": "c", "archived": true})).unwrap();

    let today = call(&w, "get_today", json!({})).unwrap();
    let totals = &today["totals"];
    let queued = totals["pending"].as_u64().unwrap() + totals["unfinished"].as_u64().unwrap();
    assert_eq!(queued, 10);
    assert_eq!(today["pending"][0]["waiting"]["section"], "outcome");
    let page = call(
        &w,
        "search_cycles",
        json!({"filter": {"waiting": true}, "limit": 50}),
    )
    .unwrap();
    assert_eq!(
        page["total"], queued,
        "the archived area is left out, as on Today"
    );
    let sections: Vec<&str> = page["cycles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["waiting"]["section"].as_str().unwrap())
        .collect();
    assert_eq!(sections[0], "extract", "the observed partial, newest");
    assert_eq!(sections.iter().filter(|s| **s == "outcome").count(), 5);
    assert_eq!(sections.iter().filter(|s| **s == "observe").count(), 4);
    // Deleting a queued cycle and putting it back (as api.js does, without the derived
    // `stages` and `waiting`) returns it to the queue.
    let mut deleted = call(&w, "delete_cycle", json!({"id": page["cycles"][0]["id"]})).unwrap();
    assert!(deleted.get("waiting").is_some());
    let fields = deleted.as_object_mut().unwrap();
    fields.remove("stages");
    fields.remove("waiting");
    call(&w, "restore_cycle", json!({"cycle": deleted})).unwrap();
    let again = call(&w, "search_cycles", json!({"filter": {"waiting": true}})).unwrap();
    assert_eq!(again["total"], queued);
}

#[test]
fn the_playbook_and_the_track_record_come_whole() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    let mut first = attempt("talks", "failure", 4);
    first["adjustment"] = json!("Rehearse the opening twice.");
    let first = call(&w, "create_cycle", json!({"draft": first})).unwrap();
    let mut again = attempt("Talks", "partial", 4);
    again["adjustment"] = json!("I will rehearse the opening twice");
    again["predicted_success"] = json!(75);
    let again = call(&w, "create_cycle", json!({"draft": again})).unwrap();
    for (of, result) in [(&first, "better"), (&again, "better"), (&again, "same")] {
        let mut tried = attempt("talks", "success", 4);
        tried["tests_cycle"] = of["id"].clone();
        tried["applied"] = json!("yes");
        tried["result"] = json!(result);
        tried["predicted_success"] = json!(95);
        call(&w, "create_cycle", json!({"draft": tried})).unwrap();
    }
    let book = call(&w, "get_playbook", json!({"filter": {}})).unwrap();
    assert_eq!(
        (book["plays"].as_u64(), book["proven"].as_u64()),
        (Some(1), Some(1))
    );
    let play = &book["areas"][0]["plays"][0];
    assert_eq!(
        (play["tried"].as_u64(), play["worked"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(play["standing"], "proven");
    assert_eq!(play["written_in"].as_array().unwrap().len(), 2);
    let none = call(
        &w,
        "get_playbook",
        json!({"filter": {"search": "no such words"}}),
    )
    .unwrap();
    assert_eq!(none["plays"], 0);

    let record = call(&w, "get_track_record", json!({})).unwrap();
    assert_eq!(record["all_time"]["scored"], 4);
    assert_eq!(record["recent"]["scored"], 4);
    assert_eq!(record["all_time"]["bins"][9]["count"], 3);
    assert_eq!(record["all_time"]["bins"][7]["happened"], 50.0);
    assert_eq!(record["min_for_decomposition"], 30);
    assert_eq!(record["all_time"]["decomposition"], Value::Null);
}

#[test]
fn a_weekly_review_plans_the_next_attempt_which_today_shows_until_it_is_logged() {
    let dir = temp_dir();
    let (_app, w) = app(dir.path());
    call(
        &w,
        "create_cycle",
        json!({"draft": attempt("talks", "failure", 4)}),
    )
    .unwrap();
    call(
        &w,
        "create_cycle",
        json!({"draft": attempt("talks", "success", 4)}),
    )
    .unwrap();
    // The review day is today, whatever day that is.
    let weekday = chrono::Datelike::weekday(&chrono::Local::now()).number_from_monday();
    let bad = call(
        &w,
        "set_review_settings",
        json!({"enabled": true, "weekday": 8, "time": "18:00"}),
    )
    .unwrap_err();
    assert_eq!(bad["fields"][0]["field"], "weekday");
    call(
        &w,
        "set_review_settings",
        json!({"enabled": true, "weekday": weekday, "time": "18:00"}),
    )
    .unwrap();
    assert_eq!(
        call(&w, "get_today", json!({})).unwrap()["review_due"],
        true
    );

    let review = call(&w, "get_review", json!({})).unwrap();
    assert_eq!(review["attempts"].as_array().unwrap().len(), 2);
    assert_eq!(review["setbacks"][0]["came_back_after"], 0);
    assert_eq!(review["evidence_added"], 1);
    assert_eq!(review["suggestions"][0]["area"], "talks");

    let tomorrow = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).to_string();
    let bad = call(
        &w,
        "save_plan",
        json!({"area": "talks", "attempt": " ", "difficulty": 4, "on": "2000-01-01"}),
    )
    .unwrap_err();
    let fields: Vec<&str> = bad["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["attempt", "on"]);
    let plan = call(
        &w,
        "save_plan",
        json!({"area": "talks", "attempt": "Ask the first question", "difficulty": 4, "on": tomorrow}),
    )
    .unwrap();
    assert_eq!(plan["status"], "upcoming");
    let today = call(&w, "get_today", json!({})).unwrap();
    assert_eq!(today["review_due"], false, "planning ends the review");
    assert_eq!(today["plan"]["attempt"], "Ask the first question");
    // Logging an attempt in its area fulfils it.
    call(
        &w,
        "create_cycle",
        json!({"draft": attempt("TALKS", "pending", 4)}),
    )
    .unwrap();
    assert_eq!(
        call(&w, "get_today", json!({})).unwrap()["plan"],
        Value::Null
    );
    // Clearing works on none as on one.
    call(&w, "clear_plan", json!({})).unwrap();
    call(&w, "finish_review", json!({})).unwrap();
}

#[test]
fn the_tray_menu_opens_the_window_with_a_request_and_the_setting_is_off_by_default() {
    let dir = temp_dir();
    let (app, w) = app(dir.path());
    let status = call(&w, "get_desktop_settings", json!({})).unwrap();
    assert_eq!(status["inTray"], false);
    assert_eq!(status["trayShown"], false);
    assert_eq!(
        call(&w, "take_tray_request", json!({})).unwrap(),
        Value::Null
    );
    // "Log an attempt": the window is shown with a request it takes once.
    w.hide().unwrap();
    tray::perform(app.handle(), TrayAction::LogAttempt);
    assert_eq!(
        call(&w, "take_tray_request", json!({})).unwrap(),
        "new_attempt"
    );
    assert_eq!(
        call(&w, "take_tray_request", json!({})).unwrap(),
        Value::Null
    );
    // "Open" shows it with no request.
    tray::perform(app.handle(), TrayAction::Open);
    assert_eq!(
        call(&w, "take_tray_request", json!({})).unwrap(),
        Value::Null
    );
    // Turning it off (and leaving it off) is saved in this computer's settings.
    let off = call(&w, "set_in_tray", json!({"enabled": false})).unwrap();
    assert_eq!(
        (off["inTray"].as_bool(), off["trayShown"].as_bool()),
        (Some(false), Some(false))
    );
    let settings = app
        .state::<rebound::desktop::AppState>()
        .data_dir()
        .join("settings.json");
    let saved: Value = serde_json::from_slice(&std::fs::read(settings).unwrap()).unwrap();
    assert_eq!(saved["desktop"]["in_tray"], false);
}
