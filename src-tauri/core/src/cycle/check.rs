//! Checking what a person sends: `CycleDraft` holds the untrusted JSON of a cycle (from
//! the window's form, `rebound log` or a backup file) and `check` turns it into
//! `CycleFields`, field by field, so every problem is found in one pass and gets a
//! message naming the field and what to do. `Cycle::from_json` does the same for a
//! whole stored cycle.
//!
//! The rules per field come from fields.rs and the reading from read.rs; this module
//! only puts them together. It must not store anything or trust any input.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::fields::{
    managed_fields, ADJUSTMENT, AREA, ATTEMPT, CHECK, DIFFICULTY, EFFORT, EXTERNAL, FIELD_NAMES,
    IDENTITY, IN_MY_CONTROL, OBSERVATION, PREDICTED_SUCCESS, REFRAME, SAFETY, STAKES, STRESS,
};
use super::model::{Applied, Cycle, CycleFields, TestResult};
use super::read;
use crate::error::FieldError;

/// The fields a person sends to log or edit a cycle, not yet checked. Every value is
/// kept as raw JSON so that a wrong type gets a message in our words, not serde's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleDraft {
    area: Option<Value>,
    attempted_on: Option<Value>,
    attempt: Option<Value>,
    outcome: Option<Value>,
    difficulty: Option<Value>,
    stakes: Option<Value>,
    effort: Option<Value>,
    safety: Option<Value>,
    stress: Option<Value>,
    identity: Option<Value>,
    reframe: Option<Value>,
    observation: Option<Value>,
    in_my_control: Option<Value>,
    external: Option<Value>,
    adjustment: Option<Value>,
    check: Option<Value>,
    predicted_success: Option<Value>,
    tests_cycle: Option<Value>,
    applied: Option<Value>,
    result: Option<Value>,
}

impl CycleDraft {
    /// Read a draft from a JSON value, naming any field Rebound does not know.
    pub fn from_value(value: Value) -> Result<CycleDraft, Vec<FieldError>> {
        match value {
            Value::Object(map) => CycleDraft::from_map(map),
            other => Err(vec![FieldError::new(
                "cycle",
                format!(
                    "must be a JSON object with named fields (got {})",
                    read::kind_of(&other)
                ),
            )]),
        }
    }

    /// Read a draft from one JSON text: the draft, or its problems; `Err` only when the
    /// text is not JSON at all. The same as [`CycleDraft::from_value`] of the text's
    /// value, read straight into the draft when the text holds only known fields, each
    /// once (a batch of many thousand lines spends much of its time here).
    pub fn from_json_text(
        text: &str,
    ) -> Result<Result<CycleDraft, Vec<FieldError>>, serde_json::Error> {
        // Only an object: serde would also read a list into the draft, field by place.
        if text.trim_start().starts_with('{') {
            if let Ok(draft) = serde_json::from_str::<CycleDraft>(text) {
                return Ok(Ok(draft));
            }
        }
        // Anything else (an unknown or managed field, a field given twice, not an
        // object) takes the way that words each problem.
        serde_json::from_str(text).map(CycleDraft::from_value)
    }

    fn from_map(map: Map<String, Value>) -> Result<CycleDraft, Vec<FieldError>> {
        let unknown: Vec<&String> = map
            .keys()
            .filter(|k| !FIELD_NAMES.contains(&k.as_str()))
            .collect();
        if let Some(first) = unknown.first() {
            return Err(vec![FieldError::new(
                "cycle",
                format!(
                    "has a field Rebound does not know: {first:?}; the fields are {}",
                    FIELD_NAMES[1..].join(", ")
                ),
            )]);
        }
        for managed in managed_fields() {
            if map.contains_key(managed) {
                return Err(vec![FieldError::new(
                    managed,
                    "is set by Rebound; leave it out when logging or editing a cycle",
                )]);
            }
        }
        serde_json::from_value(Value::Object(map))
            .map_err(|e| vec![FieldError::new("cycle", e.to_string())])
    }

    /// Check every field and return the cleaned fields, or every problem found.
    /// `latest` is the last date an attempt may carry (today, for a new log).
    pub fn check(self, latest: NaiveDate) -> Result<CycleFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        match self.read_fields(latest, &mut errors) {
            Some(fields) if errors.is_empty() => Ok(fields),
            _ => Err(errors),
        }
    }

    /// Read every field, recording each problem in `errors`. None when a required field
    /// has no value (its problem is recorded).
    fn read_fields(self, latest: NaiveDate, errors: &mut Vec<FieldError>) -> Option<CycleFields> {
        // Every field is read before any is required, so one pass names every problem.
        let area = read::text(&AREA, self.area, errors);
        let attempt = read::text(&ATTEMPT, self.attempt, errors);
        let attempted_on = read::date("attempted_on", self.attempted_on, latest, errors);
        let outcome = read::outcome("outcome", self.outcome, errors);
        let difficulty = read::scale(&DIFFICULTY, self.difficulty, errors);
        let stakes = read::scale(&STAKES, self.stakes, errors);
        let effort = read::scale(&EFFORT, self.effort, errors);
        let safety = read::scale(&SAFETY, self.safety, errors);
        let stress = read::scale(&STRESS, self.stress, errors);
        let identity = read::scale(&IDENTITY, self.identity, errors);
        let reframe = read::text(&REFRAME, self.reframe, errors);
        let observation = read::text(&OBSERVATION, self.observation, errors);
        let in_my_control = read::text(&IN_MY_CONTROL, self.in_my_control, errors);
        let external = read::text(&EXTERNAL, self.external, errors);
        let adjustment = read::text(&ADJUSTMENT, self.adjustment, errors);
        let check = read::text(&CHECK, self.check, errors);
        let predicted_success = read::scale(&PREDICTED_SUCCESS, self.predicted_success, errors);
        let tests_cycle = read::linked_cycle("tests_cycle", self.tests_cycle, errors);
        let applied = read::choice(
            "applied",
            self.applied,
            &Applied::ALL,
            Applied::as_str,
            errors,
        );
        let result = read::choice(
            "result",
            self.result,
            &TestResult::ALL,
            TestResult::as_str,
            errors,
        );
        // The two answers are about a tested adjustment, so they need to know which one;
        // when the link itself is wrong, its own message says enough.
        if tests_cycle.is_none() && errors.iter().all(|e| e.field != "tests_cycle") {
            for (field, given) in [("applied", applied.is_some()), ("result", result.is_some())] {
                if given {
                    errors.push(FieldError::new(
                        field,
                        "answers how an earlier adjustment went; give tests_cycle, the id of the cycle it came from",
                    ));
                }
            }
        }

        Some(CycleFields {
            area: area?,
            attempted_on: attempted_on?,
            attempt: attempt?,
            outcome: outcome?,
            difficulty: difficulty?,
            stakes: stakes?,
            effort: effort?,
            safety: safety?,
            stress,
            identity,
            reframe,
            observation,
            in_my_control,
            external,
            adjustment,
            check,
            predicted_success,
            tests_cycle,
            applied,
            result,
        })
    }
}

impl Cycle {
    /// Parse a whole cycle (id and timestamps included), as a backup holds it.
    /// Every field is checked; `latest` is the last date an attempt may carry.
    pub fn from_json(value: Value, latest: NaiveDate) -> Result<Cycle, Vec<FieldError>> {
        let Value::Object(mut map) = value else {
            return Err(vec![FieldError::new("cycle", "must be a JSON object")]);
        };
        let mut errors = Vec::new();
        let id = read::take_string(&mut map, "id", &mut errors).and_then(|s| match s.parse() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new(
                    "id",
                    format!("is not a cycle id (got {s:?})"),
                ));
                None
            }
        });
        let created_at = read::take_timestamp(&mut map, "created_at", &mut errors);
        let updated_at = read::take_timestamp(&mut map, "updated_at", &mut errors);
        let fields = CycleDraft::from_map(map).and_then(|draft| draft.check(latest));
        let fields = match fields {
            Ok(fields) => Some(fields),
            Err(mut more) => {
                errors.append(&mut more);
                None
            }
        };
        if let (Some(created), Some(updated)) = (created_at, updated_at) {
            if updated < created {
                errors.push(FieldError::new(
                    "updated_at",
                    "is earlier than created_at; a cycle can't change before it exists",
                ));
            }
        }
        match (id, created_at, updated_at, fields) {
            (Some(id), Some(created_at), Some(updated_at), Some(fields)) if errors.is_empty() => {
                Ok(Cycle {
                    id,
                    created_at,
                    updated_at,
                    fields,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{CycleId, Outcome, AREA_MAX_CHARS};
    use chrono::Utc;
    use proptest::prelude::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn minimal() -> Value {
        json!({
            "area": "client pitches",
            "attempt": "Pitched a client above my usual rate",
            "difficulty": 6, "stakes": 3, "effort": 4, "safety": 3
        })
    }

    fn check(value: Value) -> Result<CycleFields, Vec<FieldError>> {
        CycleDraft::from_value(value).and_then(|d| d.check(today()))
    }

    fn fields_of(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    /// What a draft read from JSON text checks to, straight or through a `Value`.
    fn both_ways(text: &str) -> [Result<CycleFields, Vec<FieldError>>; 2] {
        let straight = CycleDraft::from_json_text(text).expect("JSON");
        let through = CycleDraft::from_value(serde_json::from_str(text).expect("JSON"));
        [straight, through].map(|d| d.and_then(|d| d.check(today())))
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (-3i64..12).prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (-1e3f64..1e3).prop_map(Value::from),
            prop_oneof![
                Just("2026-11-02"),
                Just("2030-01-01"),
                Just("not a date"),
                Just(""),
                Just("  x  "),
                Just("success"),
                Just("partial"),
                Just("yes"),
                Just("worked"),
                Just("7"),
                Just("01a22eec-9710-773c-84f1-34f3cdf2a7f3"),
                Just("tab\there\u{7}"),
            ]
            .prop_map(Value::from),
            "[ -~]{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(2, 6, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
                prop::collection::btree_map("[a-z]{1,3}", inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Read straight into the draft, a line checks exactly as through a `Value`:
        /// the same fields, or the same problems, whatever the text holds.
        #[test]
        fn a_draft_read_straight_from_text_checks_as_through_a_value(
            pairs in prop::collection::vec(
                (prop::sample::select([&FIELD_NAMES[1..], &["id", "created_at", "colour"][..]].concat()), any_value()),
                0..12,
            ),
            shape in 0..4u8,
        ) {
            let members: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::from(*k), v))
                .collect();
            let text = match shape {
                // A list, or a lone value, is never read as a draft.
                // (as long as the draft has fields, which serde would read by place)
                0 => {
                    let mut values: Vec<String> = pairs.iter().map(|(_, v)| v.to_string()).collect();
                    values.resize(FIELD_NAMES.len() - managed_fields().count(), "null".into());
                    format!("[{}]", values.join(", "))
                }
                1 => pairs.first().map_or("7".into(), |(_, v)| v.to_string()),
                _ => format!("  {{{}}}", members.join(", ")),
            };
            let [straight, through] = both_ways(&text);
            prop_assert_eq!(straight, through, "{}", text);
        }
    }

    #[test]
    fn a_full_draft_reads_straight_from_text_as_through_a_value() {
        let mut full = minimal();
        full["attempted_on"] = json!("2026-11-02");
        full["outcome"] = json!("partial");
        full["observation"] = json!("Went fine.\n\nMostly.");
        full["predicted_success"] = json!(40);
        let text = full.to_string();
        let [straight, through] = both_ways(&text);
        assert!(straight.is_ok(), "{straight:?}");
        assert_eq!(straight, through);
        // A field given twice: both ways keep the last.
        let twice = text.replacen('{', "{\"difficulty\": 2, ", 1);
        let [straight, through] = both_ways(&twice);
        assert_eq!(straight, through);
        assert_eq!(straight.unwrap().difficulty, 6);
    }

    #[test]
    fn a_minimal_cycle_defaults_to_today_and_pending() {
        let fields = check(minimal()).unwrap();
        assert_eq!(fields.attempted_on, today());
        assert_eq!(fields.outcome, Outcome::Pending);
        assert_eq!(fields.stress, None);
        assert_eq!(fields.observation, None);
    }

    #[test]
    fn every_missing_required_field_is_named_at_once() {
        let errors = check(json!({})).unwrap_err();
        assert_eq!(
            fields_of(&errors),
            [
                "area",
                "attempt",
                "difficulty",
                "stakes",
                "effort",
                "safety"
            ]
        );
        assert!(errors[0].message.starts_with("is required"));
    }

    #[test]
    fn scales_out_of_range_say_the_range_and_the_value() {
        let mut v = minimal();
        v["difficulty"] = json!(12);
        v["stress"] = json!(-1);
        v["effort"] = json!(2.5);
        let errors = check(v).unwrap_err();
        assert_eq!(fields_of(&errors), ["difficulty", "effort", "stress"]);
        assert_eq!(
            errors[0].message,
            "must be a whole number from 1 to 10 (got 12)"
        );
        assert_eq!(
            errors[1].message,
            "must be a whole number from 1 to 5 (got 2.5)"
        );
    }

    #[test]
    fn scales_accept_numeric_text_from_a_form_but_not_words() {
        let mut v = minimal();
        v["difficulty"] = json!("7");
        v["stakes"] = json!("hard");
        let errors = check(v).unwrap_err();
        assert_eq!(fields_of(&errors), ["stakes"]);
        assert_eq!(
            errors[0].message,
            "must be a whole number from 1 to 5 (got \"hard\")"
        );
    }

    #[test]
    fn dates_must_be_iso_and_not_in_the_future() {
        let mut v = minimal();
        v["attempted_on"] = json!("27/11/2026");
        assert_eq!(
            check(v.clone()).unwrap_err()[0].message,
            "must be a date like 2026-11-27 (got \"27/11/2026\")"
        );
        v["attempted_on"] = json!("2026-11-28");
        assert!(check(v.clone()).unwrap_err()[0].message.contains("future"));
        v["attempted_on"] = json!("1899-12-31");
        assert!(check(v.clone()).unwrap_err()[0]
            .message
            .contains("before 1900-01-01"));
        v["attempted_on"] = json!("2025-02-03");
        assert_eq!(
            check(v).unwrap().attempted_on,
            NaiveDate::from_ymd_opt(2025, 2, 3).unwrap()
        );
    }

    #[test]
    fn unknown_and_managed_fields_are_refused_by_name() {
        let mut v = minimal();
        v["difficulity"] = json!(3);
        let message = &check(v).unwrap_err()[0].message;
        assert!(message.contains("\"difficulity\""), "{message}");
        let mut v = minimal();
        v["id"] = json!("x");
        assert_eq!(fields_of(&check(v).unwrap_err()), ["id"]);
    }

    #[test]
    fn text_is_cleaned_of_control_characters_and_blank_text_is_empty() {
        let mut v = minimal();
        v["area"] = json!("  client \t\n pitches\u{1}  ");
        v["observation"] = json!("line one\r\nline two\u{7}");
        v["external"] = json!("   ");
        let fields = check(v).unwrap();
        assert_eq!(fields.area, "client pitches");
        assert_eq!(fields.observation.as_deref(), Some("line one\nline two"));
        assert_eq!(fields.external, None);
    }

    #[test]
    fn too_long_text_is_refused_with_the_limit() {
        let mut v = minimal();
        v["area"] = json!("a".repeat(AREA_MAX_CHARS + 1));
        let errors = check(v).unwrap_err();
        assert_eq!(
            errors[0].message,
            "is too long: keep it to 80 characters (this has 81)"
        );
    }

    #[test]
    fn outcome_names_are_the_four_words() {
        let mut v = minimal();
        v["outcome"] = json!("Failure");
        assert_eq!(check(v.clone()).unwrap().outcome, Outcome::Failure);
        v["outcome"] = json!("win");
        assert_eq!(
            check(v).unwrap_err()[0].message,
            "must be success, partial, failure or pending (got \"win\")"
        );
    }

    #[test]
    fn a_serialised_cycle_parses_back_to_the_same_cycle() {
        let mut v = minimal();
        v["observation"] = json!("The pitch lost them at the pricing slide");
        v["outcome"] = json!("failure");
        v["stress"] = json!(7);
        let cycle = Cycle::new(check(v).unwrap(), Utc::now());
        let back = Cycle::from_json(serde_json::to_value(&cycle).unwrap(), today()).unwrap();
        assert_eq!(back, cycle);
    }

    #[test]
    fn a_stored_cycle_with_broken_timestamps_is_refused() {
        let cycle = Cycle::new(check(minimal()).unwrap(), Utc::now());
        let mut v = serde_json::to_value(&cycle).unwrap();
        v["created_at"] = json!("yesterday");
        v["id"] = json!(17);
        let errors = Cycle::from_json(v, today()).unwrap_err();
        assert_eq!(fields_of(&errors), ["id", "created_at"]);
    }

    #[test]
    fn a_prediction_is_a_percentage() {
        let mut v = minimal();
        v["predicted_success"] = json!(30);
        assert_eq!(check(v.clone()).unwrap().predicted_success, Some(30));
        v["predicted_success"] = json!(101);
        assert_eq!(
            check(v).unwrap_err()[0].message,
            "must be a whole number from 0 to 100 (got 101)"
        );
    }

    #[test]
    fn a_tested_adjustment_names_its_cycle_and_the_answers() {
        let earlier = CycleId::generate().to_string();
        let mut v = minimal();
        v["tests_cycle"] = json!(earlier);
        v["applied"] = json!("Partly");
        v["result"] = json!("better");
        let fields = check(v.clone()).unwrap();
        assert_eq!(fields.tests_cycle.unwrap().to_string(), earlier);
        assert_eq!(fields.applied, Some(Applied::Partly));
        assert_eq!(fields.result, Some(TestResult::Better));

        v["result"] = json!("great");
        assert_eq!(
            check(v.clone()).unwrap_err()[0].message,
            "must be one of better, same, worse, unclear (got \"great\")"
        );
        v["tests_cycle"] = json!(null);
        v["result"] = json!("same");
        let errors = check(v).unwrap_err();
        assert_eq!(fields_of(&errors), ["applied", "result"]);
        assert!(errors[0].message.contains("give tests_cycle"));
    }
}
