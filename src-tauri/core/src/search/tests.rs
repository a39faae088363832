//! The search's tests: words, filters, the reflect queue and the Lessons list.

use super::*;

#[test]
fn ascii_text_is_searched_ignoring_case_as_if_lowercased() {
    let texts = ["Work at the @Work desk", "KELVIN k", "naïve", "", "a-b_c"];
    let words = [
        "work", "@work", "k", "kelvin k", "\u{212a}", "ï", "", "b_c", "x",
    ];
    for text in texts.iter().filter(|t| t.is_ascii()) {
        for word in words {
            assert_eq!(
                contains_ascii_folded(text, word),
                text.to_lowercase().contains(word),
                "{text:?} {word:?}"
            );
        }
    }
}
use crate::cycle::CycleDraft;
use chrono::Utc;
use serde_json::json;

fn make(area: &str, on: &str, outcome: &str, observation: &str) -> Cycle {
    let draft = json!({
        "area": area, "attempt": format!("attempt in {area}"), "attempted_on": on,
        "outcome": outcome, "difficulty": 5, "stakes": 2, "effort": 4, "safety": 3,
        "observation": observation,
    });
    let latest = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let fields = CycleDraft::from_value(draft)
        .unwrap()
        .check(latest)
        .unwrap();
    Cycle::new(fields, Utc::now())
}

fn filter(input: serde_json::Value) -> Filter {
    serde_json::from_value::<FilterInput>(input)
        .unwrap()
        .check()
        .unwrap()
}

fn sample() -> Vec<Cycle> {
    vec![
        make(
            "Client pitches",
            "2026-11-01",
            "failure",
            "Lost them at the PRICING slide",
        ),
        make(
            "Client pitches",
            "2026-11-10",
            "success",
            "Opened with their result",
        ),
        make(
            "Essays",
            "2026-10-05",
            "partial",
            "Editor wanted a shorter pitch paragraph",
        ),
    ]
}

#[test]
fn search_is_case_insensitive_and_needs_every_word() {
    let all = sample();
    let found = search(&all, &filter(json!({"search": "pricing"})));
    assert_eq!(found, vec![&all[0]]);
    let found = search(&all, &filter(json!({"search": "PITCH"})));
    // "pitch" is in two areas' text: the area name and an observation.
    assert_eq!(found, vec![&all[1], &all[0], &all[2]]);
    let found = search(&all, &filter(json!({"search": "pitch shorter"})));
    assert_eq!(found, vec![&all[2]]);
    assert!(search(&all, &filter(json!({"search": "nowhere"}))).is_empty());
}

#[test]
fn filters_narrow_by_area_outcome_and_dates() {
    let all = sample();
    let f = filter(json!({"area": "client PITCHES", "outcome": "Failure"}));
    assert_eq!(search(&all, &f), vec![&all[0]]);
    let f = filter(json!({"from": "2026-11-01", "to": "2026-11-09"}));
    assert_eq!(search(&all, &f), vec![&all[0]]);
    let f = filter(json!({"search": " ", "area": ""}));
    assert!(f.is_empty());
    assert_eq!(search(&all, &f).len(), 3);
}

#[test]
fn the_waiting_filter_keeps_outcomes_to_record_and_reflections_to_finish() {
    let mut all = sample();
    all.push(make("Essays", "2026-11-12", "pending", ""));
    all[2].fields.in_my_control = Some("sent it too soon".into());
    all[2].fields.adjustment = Some("wait a day".into());
    // The failure has an observation but nothing extracted: it waits. The partial
    // is fully reflected, the success needs nothing; the pending waits.
    let f = filter(json!({"waiting": true}));
    assert!(!f.is_empty());
    assert_eq!(search(&all, &f), vec![&all[3], &all[0]]);
    let f = filter(json!({"waiting": true, "area": "essays"}));
    assert_eq!(search(&all, &f), vec![&all[3]]);
    assert!(filter(json!({"waiting": false})).is_empty());
}

#[test]
fn bad_filters_say_what_is_wrong() {
    let input = FilterInput {
        outcome: Some("won".into()),
        from: Some("2026-12-01".into()),
        to: Some("2026-11-01".into()),
        ..FilterInput::default()
    };
    let errors = input.check().unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["outcome", "from"]);
    assert!(errors[1].message.contains("swap"));
    let input = FilterInput {
        to: Some("31/12/2026".into()),
        ..FilterInput::default()
    };
    assert_eq!(input.check().unwrap_err()[0].field, "to");
}

#[test]
fn lessons_list_adjustments_with_their_trials() {
    let mut all = sample();
    all[0].fields.adjustment = Some("Open with the result the client gets".into());
    let mut trial = make("Client pitches", "2026-11-20", "success", "It worked");
    trial.fields.tests_cycle = Some(all[0].id);
    trial.fields.applied = Some(Applied::Yes);
    trial.fields.result = Some(TestResult::Better);
    all.push(trial);
    all[2].fields.adjustment = Some("Cut the opening to 100 words".into());
    let list = lessons(&all, &Filter::default());
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].cycle_id, all[0].id);
    assert_eq!(list[0].trials.len(), 1);
    assert_eq!(list[0].trials[0].result, Some(TestResult::Better));
    assert!(list[1].trials.is_empty());
    let only = lessons(&all, &filter(json!({"search": "100 words"})));
    assert_eq!(only.len(), 1);
}

#[test]
fn the_first_look_at_the_stored_json_never_rules_out_a_match() {
    let texts = [
        "Work at the @Work desk",
        "KELVIN k",
        "\u{212a}elvin",
        "X\u{130}",
        "naïve café",
        "said \"no\" \\ then\u{1}",
        "a-b_c",
    ];
    let searches = [
        "work", "@work", "kelvin", "xi", "naïve", "\"no\"", "\\", "b_c", "k x", "café",
    ];
    for text in texts {
        let cycle = make("Essays", "2026-10-05", "partial", text);
        let json = serde_json::to_vec(&cycle).unwrap();
        for search in searches {
            let f = filter(json!({ "search": search }));
            if f.matches(&cycle) {
                assert!(f.may_match_json(&json), "{text:?} {search:?}");
            }
        }
    }
}
