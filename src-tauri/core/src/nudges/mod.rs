//! Nudges: gentle notes beside a cycle's fields that teach the essay's method. Each
//! nudge names the rule that fired, the field it belongs beside and, in its message,
//! the reason. Nudges never block saving; they are computed from whatever the form
//! holds, half filled or not.
//!
//! Pure functions over text and numbers: no storage, no Tauri. The text rules are plain
//! word matching, no regex: text is lowercased, curly apostrophes are straightened,
//! contractions are expanded ("I’m" → "i am", "didn't" → "did not") and the words are
//! kept sentence by sentence, so a phrase only matches whole words inside one sentence.
//! Text in any language is safe to pass; the phrase lists are English, so other
//! languages rarely fire anything. The rules and their messages are written down in
//! docs/nudges.md and pinned by the corpus in tests/nudge-corpus.json.
//!
//! - text_rules.rs: the text rules, over `Words` (words.rs) and the lists in phrases.rs.
//! - messages.rs: what each nudge says.
//! - Here: what the rules read (`NudgeInput`), which rule gives which nudge beside which
//!   field, and the order nudges come in.

mod messages;
mod phrases;
mod text_rules;
mod words;

use serde::Serialize;
use serde_json::Value;

use crate::cycle::{CycleFields, Outcome, GENUINE_EFFORT, NUDGED_FIELDS};
use messages::{
    IDENTITY_LANGUAGE, IDENTITY_LANGUAGE_ELSEWHERE, IDENTITY_LANGUAGE_IN_REFRAME, LOW_EFFORT,
    ONLY_EXTERNAL, SMALLER_STEP, UNBOUNDED_STAKES_MESSAGE, UNSAFE_CONTEXT, UNTESTABLE_ADJUSTMENT,
    UNTESTABLE_ADJUSTMENT_NO_CHECK, VAGUE_OBSERVATION,
};
use text_rules::{
    has_identity_language, is_empty_answer, is_untestable_adjustment, is_vague_observation,
};
use words::Words;

/// Stakes at this value mean "not bounded" (the scale is 1–5).
pub const UNBOUNDED_STAKES: u8 = 5;
/// Stress and identity both at or above this (on 0–10), after a setback, suggest a
/// smaller step next time.
pub const HIGH_AFTERMATH: u8 = 7;
/// Stakes at or above this (on 1–5) are high...
pub const HIGH_STAKES: u8 = 4;
/// ...and context safety at or below this (on 1–5) is low: together, a context where a
/// failure may cost more than it teaches.
pub const LOW_SAFETY: u8 = 2;

/// The fields nudges sit beside, in the order the form shows them (the cycle's own
/// order). Nudges are returned in this order.
const FORM_ORDER: &[&str] = &NUDGED_FIELDS;

/// Each rule that can produce a nudge. The snake_case name is public: the window, the
/// CLI's JSON and docs/nudges.md use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    VagueObservation,
    UntestableAdjustment,
    OnlyExternal,
    IdentityLanguage,
    UnboundedStakes,
    LowEffort,
    UnsafeContext,
    SmallerStep,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::VagueObservation,
        Rule::UntestableAdjustment,
        Rule::OnlyExternal,
        Rule::IdentityLanguage,
        Rule::UnboundedStakes,
        Rule::LowEffort,
        Rule::UnsafeContext,
        Rule::SmallerStep,
    ];

    /// Return the public snake_case name, as in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Rule::VagueObservation => "vague_observation",
            Rule::UntestableAdjustment => "untestable_adjustment",
            Rule::OnlyExternal => "only_external",
            Rule::IdentityLanguage => "identity_language",
            Rule::UnboundedStakes => "unbounded_stakes",
            Rule::LowEffort => "low_effort",
            Rule::UnsafeContext => "unsafe_context",
            Rule::SmallerStep => "smaller_step",
        }
    }
}

/// One note to show beside a field: which rule fired, the field's public name, and a
/// message in the app's voice that carries the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Nudge {
    pub rule: Rule,
    pub field: &'static str,
    pub message: String,
}

/// What the rules read. Everything optional: the window asks while the form is half filled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NudgeInput {
    pub outcome: Option<Outcome>,
    pub stakes: Option<u8>,
    pub effort: Option<u8>,
    pub safety: Option<u8>,
    pub stress: Option<u8>,
    pub identity: Option<u8>,
    pub attempt: Option<String>,
    pub reframe: Option<String>,
    pub observation: Option<String>,
    pub in_my_control: Option<String>,
    pub external: Option<String>,
    pub adjustment: Option<String>,
    pub check: Option<String>,
}

impl From<&CycleFields> for NudgeInput {
    fn from(f: &CycleFields) -> NudgeInput {
        NudgeInput {
            outcome: Some(f.outcome),
            stakes: Some(f.stakes),
            effort: Some(f.effort),
            safety: Some(f.safety),
            stress: f.stress,
            identity: f.identity,
            attempt: Some(f.attempt.clone()),
            reframe: f.reframe.clone(),
            observation: f.observation.clone(),
            in_my_control: f.in_my_control.clone(),
            external: f.external.clone(),
            adjustment: f.adjustment.clone(),
            check: f.check.clone(),
        }
    }
}

impl NudgeInput {
    /// The text written in `field`, when it is one of the text fields the rules read;
    /// blank text is none.
    fn text(&self, field: &str) -> Option<&str> {
        let text = match field {
            "attempt" => &self.attempt,
            "reframe" => &self.reframe,
            "observation" => &self.observation,
            "in_my_control" => &self.in_my_control,
            "external" => &self.external,
            "adjustment" => &self.adjustment,
            "check" => &self.check,
            _ => return None,
        };
        present(text)
    }

    /// Read leniently from a form draft (JSON object as the window sends it: strings,
    /// numbers or numeric strings; anything unreadable is simply skipped, never an error).
    pub fn from_draft(value: &Value) -> NudgeInput {
        // `Value::get` answers None for anything that is not an object, so a draft that
        // is not one reads as an empty form.
        let scale = |name: &str| value.get(name).and_then(read_scale);
        let text = |name: &str| value.get(name).and_then(read_text);
        NudgeInput {
            outcome: value.get("outcome").and_then(read_outcome),
            stakes: scale("stakes"),
            effort: scale("effort"),
            safety: scale("safety"),
            stress: scale("stress"),
            identity: scale("identity"),
            attempt: text("attempt"),
            reframe: text("reframe"),
            observation: text("observation"),
            in_my_control: text("in_my_control"),
            external: text("external"),
            adjustment: text("adjustment"),
            check: text("check"),
        }
    }
}

fn read_scale(value: &Value) -> Option<u8> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            // A slider may send 7.0; a whole float is still a whole number.
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && (0.0..=255.0).contains(f))
                    .map(|f| f as u8)
            }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn read_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn read_outcome(value: &Value) -> Option<Outcome> {
    match value {
        Value::String(s) => s.trim().to_lowercase().parse().ok(),
        _ => None,
    }
}

/// Return every nudge that applies, in a stable order: by field in form order, then by
/// rule in `Rule::ALL` order.
pub fn nudges(input: &NudgeInput) -> Vec<Nudge> {
    let mut found = Vec::new();
    let check_given = input.check.as_deref().is_some_and(|t| !is_empty_answer(t));

    if let Some(text) = present(&input.observation) {
        if is_vague_observation(&Words::of(text)) {
            found.push(nudge(
                Rule::VagueObservation,
                "observation",
                VAGUE_OBSERVATION,
            ));
        }
    }
    if let Some(text) = present(&input.adjustment) {
        if is_untestable_adjustment(&Words::of(text), check_given) {
            let message = if check_given {
                UNTESTABLE_ADJUSTMENT.to_string()
            } else {
                format!("{UNTESTABLE_ADJUSTMENT} {UNTESTABLE_ADJUSTMENT_NO_CHECK}")
            };
            found.push(Nudge {
                rule: Rule::UntestableAdjustment,
                field: "adjustment",
                message,
            });
        }
    }
    let external_given = input
        .external
        .as_deref()
        .is_some_and(|t| !is_empty_answer(t));
    let control_empty = input.in_my_control.as_deref().is_none_or(is_empty_answer);
    if external_given && control_empty {
        found.push(nudge(Rule::OnlyExternal, "in_my_control", ONLY_EXTERNAL));
    }
    for &field in FORM_ORDER {
        if input
            .text(field)
            .is_some_and(|t| has_identity_language(&Words::of(t)))
        {
            let message = if field == "reframe" {
                format!("{IDENTITY_LANGUAGE} {IDENTITY_LANGUAGE_IN_REFRAME}")
            } else {
                format!("{IDENTITY_LANGUAGE} {IDENTITY_LANGUAGE_ELSEWHERE}")
            };
            found.push(Nudge {
                rule: Rule::IdentityLanguage,
                field,
                message,
            });
        }
    }
    if input.stakes == Some(UNBOUNDED_STAKES) {
        found.push(nudge(
            Rule::UnboundedStakes,
            "stakes",
            UNBOUNDED_STAKES_MESSAGE,
        ));
    }
    // 0 is off the 1–5 scale: an unset slider, not a half-hearted attempt.
    if input
        .effort
        .is_some_and(|e| (1..GENUINE_EFFORT).contains(&e))
    {
        found.push(nudge(Rule::LowEffort, "effort", LOW_EFFORT));
    }
    // 0 is off both scales (an unset control), so it never counts as low safety.
    let high_stakes = input.stakes.is_some_and(|s| s >= HIGH_STAKES);
    let low_safety = input.safety.is_some_and(|s| (1..=LOW_SAFETY).contains(&s));
    if high_stakes && low_safety {
        // Beside `safety`, the second of the pair, so the note sits under both.
        found.push(nudge(Rule::UnsafeContext, "safety", UNSAFE_CONTEXT));
    }
    let high = |score: Option<u8>| score.is_some_and(|s| (HIGH_AFTERMATH..=10).contains(&s));
    if input.outcome.is_some_and(Outcome::is_setback) && high(input.stress) && high(input.identity)
    {
        // Beside `identity`, the second of the pair, so the note sits under both.
        found.push(nudge(Rule::SmallerStep, "identity", SMALLER_STEP));
    }

    found.sort_by_key(|n| (form_position(n.field), rule_position(n.rule)));
    found
}

fn nudge(rule: Rule, field: &'static str, message: &str) -> Nudge {
    Nudge {
        rule,
        field,
        message: message.to_string(),
    }
}

fn present(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

fn form_position(field: &str) -> usize {
    FORM_ORDER
        .iter()
        .position(|f| *f == field)
        .unwrap_or(FORM_ORDER.len())
}

fn rule_position(rule: Rule) -> usize {
    Rule::ALL
        .iter()
        .position(|r| *r == rule)
        .unwrap_or(Rule::ALL.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{FieldSpec, FIELDS};
    use chrono::NaiveDate;
    use serde_json::json;

    fn rules_on(input: &NudgeInput) -> Vec<(Rule, &'static str)> {
        nudges(input).iter().map(|n| (n.rule, n.field)).collect()
    }

    fn observation(text: &str) -> NudgeInput {
        NudgeInput {
            observation: Some(text.to_string()),
            ..NudgeInput::default()
        }
    }

    /// Every message a rule can give, all variants included.
    fn every_message() -> Vec<Nudge> {
        let loud = NudgeInput {
            outcome: Some(Outcome::Failure),
            stakes: Some(5),
            effort: Some(1),
            safety: Some(1),
            stress: Some(9),
            identity: Some(9),
            attempt: Some("Pitch even though I'm useless".into()),
            reframe: Some("I am a failure".into()),
            observation: Some("It went badly".into()),
            in_my_control: None,
            external: Some("The client cancelled".into()),
            adjustment: Some("Try harder".into()),
            check: None,
        };
        let with_check = NudgeInput {
            adjustment: Some("Be more careful".into()),
            check: Some("Count the typos".into()),
            ..NudgeInput::default()
        };
        let mut all = nudges(&loud);
        all.extend(nudges(&with_check));
        all
    }

    #[derive(serde::Deserialize)]
    struct Corpus {
        cases: Vec<Case>,
    }

    #[derive(serde::Deserialize)]
    struct Case {
        rule: String,
        field: String,
        text: String,
        fires: bool,
        #[serde(default)]
        with: serde_json::Map<String, Value>,
    }

    fn corpus() -> Vec<Case> {
        let corpus: Corpus =
            serde_json::from_str(include_str!("../../../../tests/nudge-corpus.json"))
                .expect("tests/nudge-corpus.json is valid");
        corpus.cases
    }

    #[test]
    fn the_corpus_fires_where_it_should_and_nowhere_else() {
        let mut wrong = Vec::new();
        for case in corpus() {
            let mut draft = case.with.clone();
            draft.insert(case.field.clone(), Value::String(case.text.clone()));
            let found = nudges(&NudgeInput::from_draft(&Value::Object(draft)));
            let fired = found
                .iter()
                .any(|n| n.rule.name() == case.rule && n.field == case.field);
            if fired != case.fires {
                wrong.push(format!(
                    "{} on {} {}: {:?}",
                    case.rule,
                    case.field,
                    if case.fires { "did not fire" } else { "fired" },
                    case.text
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_corpus_has_forty_sentences_and_both_sides_of_every_text_rule() {
        let cases = corpus();
        assert!(cases.len() >= 40, "only {} cases", cases.len());
        for rule in [
            Rule::VagueObservation,
            Rule::UntestableAdjustment,
            Rule::OnlyExternal,
            Rule::IdentityLanguage,
        ] {
            for fires in [true, false] {
                let n = cases
                    .iter()
                    .filter(|c| c.rule == rule.name() && c.fires == fires)
                    .count();
                assert!(n >= 5, "{} has {n} cases with fires = {fires}", rule.name());
            }
        }
        for case in &cases {
            assert!(
                Rule::ALL.iter().any(|r| r.name() == case.rule),
                "unknown rule {}",
                case.rule
            );
            assert!(
                FORM_ORDER.contains(&case.field.as_str()),
                "unknown field {}",
                case.field
            );
        }
    }

    #[test]
    fn every_message_is_second_person_kind_and_gives_a_reason() {
        const SHAMING: [&str; 16] = [
            "fault",
            "lazy",
            "stupid",
            "useless",
            "idiot",
            "loser",
            "pathetic",
            "worthless",
            "shame",
            "should have",
            "streak",
            "wrong with you",
            "you failed",
            "weak",
            "excuse",
            "blame",
        ];
        let all = every_message();
        for rule in Rule::ALL {
            assert!(
                all.iter().any(|n| n.rule == rule),
                "no message for {rule:?}"
            );
        }
        for n in &all {
            let m = &n.message;
            let lower = m.to_lowercase();
            assert!(!m.trim().is_empty(), "{:?} has an empty message", n.rule);
            let words = Words::of(m);
            assert!(
                words.has_word(&["you", "your"]),
                "{:?} is not in the second person: {m}",
                n.rule
            );
            for word in SHAMING {
                assert!(!lower.contains(word), "{:?} says {word:?}: {m}", n.rule);
            }
            assert!(!m.contains('!'), "{:?} exclaims: {m}", n.rule);
            assert!(!m.contains("FAILED"), "{:?} stamps: {m}", n.rule);
            // The reason: every message says why, not only what.
            assert!(
                m.split_terminator(['.', '?']).count() >= 2,
                "{:?}: {m}",
                n.rule
            );
        }
    }

    #[test]
    fn the_vague_observation_message_carries_the_essays_contrast() {
        let found = nudges(&observation("It went badly"));
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .message
            .contains("“That didn’t work” is not an observation"));
        assert!(found[0]
            .message
            .contains("two-week lag in supplier response times"));
    }

    #[test]
    fn an_untestable_adjustment_without_a_check_asks_for_one() {
        let without = NudgeInput {
            adjustment: Some("Try harder".into()),
            ..NudgeInput::default()
        };
        let with = NudgeInput {
            check: Some("Whether I ask about budget before the price".into()),
            ..without.clone()
        };
        let asks = |input: &NudgeInput| nudges(input)[0].message.contains("use the check");
        assert!(asks(&without));
        assert!(!asks(&with));
        // A check counts only when it says something.
        let empty_check = NudgeInput {
            check: Some("n/a".into()),
            ..without.clone()
        };
        assert!(asks(&empty_check));
    }

    #[test]
    fn identity_language_points_to_the_reframe_and_fires_once_per_field() {
        let input = NudgeInput {
            observation: Some("I am a failure. I'm useless. I always mess up.".into()),
            reframe: Some("I'm such an idiot".into()),
            ..NudgeInput::default()
        };
        let found: Vec<Nudge> = nudges(&input)
            .into_iter()
            .filter(|n| n.rule == Rule::IdentityLanguage)
            .collect();
        assert_eq!(
            found.iter().map(|n| n.field).collect::<Vec<_>>(),
            ["reframe", "observation"]
        );
        assert!(found[1].message.contains("in the reframe"));
        assert!(found[0].message.contains("as a fact about the attempt"));
    }

    #[test]
    fn stakes_of_five_are_unbounded_and_four_are_not() {
        let at = |stakes| NudgeInput {
            stakes: Some(stakes),
            ..NudgeInput::default()
        };
        assert_eq!(rules_on(&at(5)), [(Rule::UnboundedStakes, "stakes")]);
        assert!(rules_on(&at(4)).is_empty());
        assert!(rules_on(&at(1)).is_empty());
    }

    #[test]
    fn effort_of_one_or_two_is_low_and_three_is_genuine() {
        let at = |effort| NudgeInput {
            effort: Some(effort),
            ..NudgeInput::default()
        };
        assert_eq!(rules_on(&at(1)), [(Rule::LowEffort, "effort")]);
        assert_eq!(rules_on(&at(2)), [(Rule::LowEffort, "effort")]);
        assert!(rules_on(&at(3)).is_empty());
        assert!(rules_on(&at(0)).is_empty(), "0 is an unset slider");
        assert!(rules_on(&NudgeInput::default()).is_empty());
    }

    #[test]
    fn high_stakes_in_an_unsafe_context_suggest_a_safer_version_first() {
        let at = |stakes, safety| NudgeInput {
            stakes: Some(stakes),
            safety: Some(safety),
            ..NudgeInput::default()
        };
        let safer = (Rule::UnsafeContext, "safety");
        assert_eq!(rules_on(&at(4, 1)), [safer]);
        assert_eq!(rules_on(&at(4, 2)), [safer]);
        assert_eq!(
            rules_on(&at(5, 2)),
            [(Rule::UnboundedStakes, "stakes"), safer]
        );
        assert!(rules_on(&at(3, 1)).is_empty(), "stakes 3 are not high");
        assert!(rules_on(&at(4, 3)).is_empty(), "safety 3 is in between");
        assert!(
            rules_on(&at(5, 0)) == [(Rule::UnboundedStakes, "stakes")],
            "0 is unset"
        );
        let half = NudgeInput {
            stakes: Some(5),
            ..NudgeInput::default()
        };
        assert!(!rules_on(&half).contains(&safer), "safety not chosen yet");
        // Read from the window's draft too.
        let draft = NudgeInput::from_draft(&json!({ "stakes": 4, "safety": "1" }));
        assert_eq!(rules_on(&draft), [safer]);
    }

    #[test]
    fn a_smaller_step_follows_a_setback_with_high_stress_and_identity() {
        let after = |outcome, stress, identity| NudgeInput {
            outcome: Some(outcome),
            stress: Some(stress),
            identity: Some(identity),
            ..NudgeInput::default()
        };
        let step = [(Rule::SmallerStep, "identity")];
        assert_eq!(rules_on(&after(Outcome::Failure, 7, 7)), step);
        assert_eq!(rules_on(&after(Outcome::Partial, 10, 8)), step);
        assert!(rules_on(&after(Outcome::Failure, 6, 10)).is_empty());
        assert!(rules_on(&after(Outcome::Failure, 10, 6)).is_empty());
        assert!(rules_on(&after(Outcome::Success, 9, 9)).is_empty());
        assert!(rules_on(&after(Outcome::Pending, 9, 9)).is_empty());
        let half = NudgeInput {
            outcome: Some(Outcome::Failure),
            stress: Some(9),
            ..NudgeInput::default()
        };
        assert!(rules_on(&half).is_empty());
    }

    #[test]
    fn nudges_come_in_form_order_then_rule_order() {
        let input = NudgeInput {
            outcome: Some(Outcome::Failure),
            stakes: Some(5),
            effort: Some(2),
            safety: Some(2),
            stress: Some(8),
            identity: Some(9),
            attempt: Some("Cold-call 20 leads though I'm hopeless on the phone".into()),
            reframe: None,
            observation: Some("I'm useless, it went badly".into()),
            in_my_control: Some("nothing".into()),
            external: Some("Half the numbers were wrong".into()),
            adjustment: Some("Try harder".into()),
            check: Some("I never get it right anyway".into()),
        };
        assert_eq!(
            rules_on(&input),
            [
                (Rule::IdentityLanguage, "attempt"),
                (Rule::UnboundedStakes, "stakes"),
                (Rule::LowEffort, "effort"),
                (Rule::UnsafeContext, "safety"),
                (Rule::SmallerStep, "identity"),
                (Rule::VagueObservation, "observation"),
                (Rule::IdentityLanguage, "observation"),
                (Rule::OnlyExternal, "in_my_control"),
                (Rule::UntestableAdjustment, "adjustment"),
                (Rule::IdentityLanguage, "check"),
            ]
        );
    }

    #[test]
    fn a_draft_is_read_leniently() {
        let input = NudgeInput::from_draft(&json!({
            "outcome": " Failure ",
            "stakes": "5",
            "effort": 2.0,
            "stress": 300,
            "identity": "lots",
            "attempt": "   ",
            "observation": 42,
            "adjustment": "Try harder",
            "check": null,
            "unknown": "ignored"
        }));
        assert_eq!(
            input,
            NudgeInput {
                outcome: Some(Outcome::Failure),
                stakes: Some(5),
                effort: Some(2),
                adjustment: Some("Try harder".into()),
                ..NudgeInput::default()
            }
        );
        assert_eq!(
            NudgeInput::from_draft(&json!([1, 2])),
            NudgeInput::default()
        );
        assert_eq!(
            NudgeInput::from_draft(&json!("text")),
            NudgeInput::default()
        );
        assert_eq!(
            NudgeInput::from_draft(&json!({ "outcome": "won" })),
            NudgeInput::default()
        );
    }

    #[test]
    fn a_stored_cycle_reads_every_field_the_rules_need() {
        let fields = CycleFields {
            area: "client pitches".into(),
            attempted_on: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            attempt: "Pitched above my usual rate".into(),
            outcome: Outcome::Failure,
            difficulty: 6,
            stakes: 5,
            effort: 4,
            safety: 3,
            stress: Some(8),
            identity: Some(7),
            reframe: Some("r".into()),
            observation: Some("o".into()),
            in_my_control: Some("i".into()),
            external: Some("e".into()),
            adjustment: Some("a".into()),
            check: Some("c".into()),
            predicted_success: Some(30),
            tests_cycle: None,
            applied: None,
            result: None,
        };
        let input = NudgeInput::from(&fields);
        assert_eq!(input.outcome, Some(Outcome::Failure));
        assert_eq!(
            (input.stakes, input.effort, input.safety),
            (Some(5), Some(4), Some(3))
        );
        assert_eq!((input.stress, input.identity), (Some(8), Some(7)));
        assert_eq!(
            input.attempt.as_deref(),
            Some("Pitched above my usual rate")
        );
        let texts = [
            &input.reframe,
            &input.observation,
            &input.in_my_control,
            &input.external,
            &input.adjustment,
            &input.check,
        ];
        assert_eq!(
            texts.map(|t| t.as_deref()),
            ["r", "o", "i", "e", "a", "c"].map(Some)
        );
    }

    #[test]
    fn every_text_field_the_cycle_marks_nudged_is_read_from_a_draft() {
        let nudged = FIELDS
            .iter()
            .filter_map(FieldSpec::as_text)
            .filter(|t| t.nudged);
        for field in nudged {
            let mut draft = serde_json::Map::new();
            draft.insert(field.name.into(), json!("I am a failure"));
            let found = nudges(&NudgeInput::from_draft(&Value::Object(draft)));
            assert!(
                found
                    .iter()
                    .any(|n| n.rule == Rule::IdentityLanguage && n.field == field.name),
                "{} is not read",
                field.name
            );
        }
    }

    #[test]
    fn rules_serialise_to_their_names() {
        for rule in Rule::ALL {
            assert_eq!(serde_json::to_value(rule).unwrap(), json!(rule.name()));
        }
        let nudge = Nudge {
            rule: Rule::LowEffort,
            field: "effort",
            message: "m".into(),
        };
        assert_eq!(
            serde_json::to_value(&nudge).unwrap(),
            json!({ "rule": "low_effort", "field": "effort", "message": "m" })
        );
    }

    #[test]
    fn odd_text_never_panics() {
        let odd = [
            "",
            "'",
            "’’’",
            "'s",
            "n't",
            "I'",
            "i",
            "... !!! ???",
            "\u{0}\u{7}\u{1b}[31m",
            "e\u{301}\u{301}\u{301}",
            "مرحبا، لم ينجح",
            "😀 didn't 😀 work 😀",
            "İ am a failure",
            "ß ẞ ǅ",
            "不行。我是失败者！",
        ];
        for text in odd {
            let input = NudgeInput {
                attempt: Some(text.into()),
                reframe: Some(text.into()),
                observation: Some(text.into()),
                in_my_control: Some(text.into()),
                external: Some(text.into()),
                adjustment: Some(text.into()),
                check: Some(text.into()),
                ..NudgeInput::default()
            };
            for n in nudges(&input) {
                assert!(!n.message.is_empty());
            }
        }
        let long = "I always check the venue the day before. ".repeat(250);
        assert!(nudges(&observation(&long)).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_nudges_in_form_order(text in "\\PC{0,200}", effort in 0u8..=6) {
            let input = NudgeInput {
                effort: Some(effort),
                observation: Some(text.clone()),
                adjustment: Some(text.clone()),
                reframe: Some(text),
                ..NudgeInput::default()
            };
            let found = nudges(&input);
            let keys: Vec<_> = found
                .iter()
                .map(|n| (form_position(n.field), rule_position(n.rule)))
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            proptest::prop_assert_eq!(keys, sorted);
            for n in &found {
                proptest::prop_assert!(FORM_ORDER.contains(&n.field));
            }
        }
    }
}
