//! Guidance from the command line: `rebound list --waiting` (the reflect queue, with
//! what each cycle waits for) and `rebound stats` with each area's next difficulty
//! (`areas[]` in the JSON).

use serde_json::Value;

use super::{ok, rebound};
use crate::util::temp_dir;

/// Four successes at 5 in "pitches" (with the scales the editor would carry forward),
/// a failure left unreflected, one only observed, and two attempts waiting for outcomes.
const HISTORY: &str = r#"{"area": "pitches", "attempt": "One", "outcome": "success", "difficulty": 5, "stakes": 3, "effort": 4, "safety": 2}
{"area": "pitches", "attempt": "Two", "outcome": "success", "difficulty": 5, "stakes": 3, "effort": 4, "safety": 2}
{"area": "pitches", "attempt": "Three", "outcome": "success", "difficulty": 5, "stakes": 3, "effort": 4, "safety": 2}
{"area": "pitches", "attempt": "Four", "outcome": "success", "difficulty": 5, "stakes": 3, "effort": 4, "safety": 2}
{"area": "essays", "attempt": "A bare failure", "outcome": "failure", "difficulty": 4, "stakes": 2, "effort": 4, "safety": 3}
{"area": "essays", "attempt": "An observed failure", "outcome": "failure", "difficulty": 4, "stakes": 2, "effort": 4, "safety": 3, "observation": "The editor stopped at page two"}
{"area": "essays", "attempt": "Waiting one", "outcome": "pending", "difficulty": 4, "stakes": 2, "effort": 4, "safety": 3}
{"area": "pitches", "attempt": "Waiting two", "outcome": "pending", "difficulty": 6, "stakes": 3, "effort": 4, "safety": 2}
"#;

#[test]
fn list_waiting_gives_the_reflect_queue_with_what_each_cycle_waits_for() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], HISTORY));
    let text = ok(rebound(dir.path(), &["list", "--waiting"], ""));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("TO DO"), "{text}");
    assert_eq!(lines.len(), 5, "a header and four waiting: {text}");
    assert!(lines[1].contains("record the outcome") && lines[1].contains("Waiting two"));
    assert!(lines[3].contains("extract, adjust") && lines[3].contains("An observed failure"));
    assert!(lines[4].contains("observe, extract, adjust"));
    // The same queue as JSON, each with where the editor opens.
    let json: Value = serde_json::from_str(&ok(rebound(
        dir.path(),
        &["list", "--waiting", "--json"],
        "",
    )))
    .unwrap();
    let sections: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["waiting"]["section"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["outcome", "outcome", "extract", "observe"]);
    // Filters narrow it like any list; --limit cuts it and says so.
    let essays = ok(rebound(
        dir.path(),
        &["list", "--waiting", "--area", "ESSAYS"],
        "",
    ));
    assert_eq!(essays.lines().count(), 4, "{essays}");
    let one = ok(rebound(
        dir.path(),
        &["list", "--waiting", "--limit", "1"],
        "",
    ));
    assert!(
        one.contains("(1 of 4 waiting; --limit N shows more)"),
        "{one}"
    );
}

#[test]
fn nothing_waiting_says_so() {
    let dir = temp_dir();
    ok(rebound(
        dir.path(),
        &["log"],
        r#"{"area": "a", "attempt": "b", "outcome": "success", "difficulty": 3, "stakes": 1, "effort": 4, "safety": 4}"#,
    ));
    let text = ok(rebound(dir.path(), &["list", "--waiting"], ""));
    assert!(text.starts_with("Nothing is waiting"), "{text}");
}

#[test]
fn stats_gives_each_areas_next_difficulty_from_its_staircase() {
    let dir = temp_dir();
    ok(rebound(dir.path(), &["log", "--jsonl"], HISTORY));
    let json: Value =
        serde_json::from_str(&ok(rebound(dir.path(), &["stats", "--json"], ""))).unwrap();
    let areas = json["areas"].as_array().unwrap();
    let pitches = areas.iter().find(|a| a["area"] == "pitches").unwrap();
    // Four successes in a row at the level 5 (set by the first): one step up, to 6. The
    // pending attempt does not move it.
    assert_eq!(pitches["level"], 6);
    assert_eq!(pitches["suggested_next"], 6);
    assert_eq!(pitches["successes_in_row"], 0);
    assert_eq!(
        pitches["target_band"],
        serde_json::json!({"low": 70, "high": 90})
    );
    let rule = pitches["rule"].as_str().unwrap();
    assert!(
        rule.starts_with("After 4 genuine successes in a row"),
        "{rule}"
    );
    assert!(rule.contains("settles near 84% success"), "{rule}");
    // Essays: a failure at 4 sets the level at 4 and steps it down to 3; the second
    // failure, at 4, is above 3: a stretch that does not count.
    let essays = areas.iter().find(|a| a["area"] == "essays").unwrap();
    assert_eq!(essays["suggested_next"], 3);
    assert_eq!(essays["last_move"], "aside");
    let text = ok(rebound(dir.path(), &["stats"], ""));
    assert!(
        text.contains("pitches: Last 4 here: 4 worked, at about 5. Suggested next: 6 (a step up; 0 of 4 toward the next)."),
        "{text}"
    );
}
