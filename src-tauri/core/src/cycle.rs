//! The cycle: one pass of the essay's loop (attempt → observe → extract → adjust) for
//! one attempt, and the public JSON shape of it.
//!
//! This module owns what a person may write into a cycle and how that is checked. It
//! parses untrusted JSON (the window's form, `rebound log`, a backup file) field by
//! field so every problem gets a message naming the field and what to do. It knows
//! nothing of storage, Tauri or the command line.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{Error, FieldError};

/// Longest area name, in characters.
pub const AREA_MAX_CHARS: usize = 80;
/// Longest attempt description, in characters.
pub const ATTEMPT_MAX_CHARS: usize = 1_000;
/// Longest reflection text (observation, extraction, adjustment...), in characters.
pub const NOTE_MAX_CHARS: usize = 10_000;
/// No attempt is dated before this day.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => panic!("1900-01-01 is a valid date"),
};

/// The public JSON names of a cycle's fields, in the order they are written.
/// Never rename one: the CLI, the backup file and the docs all use them.
pub const FIELD_NAMES: [&str; 23] = [
    "id",
    "area",
    "attempted_on",
    "created_at",
    "updated_at",
    "attempt",
    "predicted_success",
    "outcome",
    "difficulty",
    "stakes",
    "effort",
    "safety",
    "stress",
    "identity",
    "reframe",
    "observation",
    "in_my_control",
    "external",
    "adjustment",
    "check",
    "tests_cycle",
    "applied",
    "result",
];

/// How an attempt turned out. `Pending` means the attempt is logged and the result is
/// not known yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Partial,
    Failure,
    Pending,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Success,
        Outcome::Partial,
        Outcome::Failure,
        Outcome::Pending,
    ];

    /// Return the public name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Partial => "partial",
            Outcome::Failure => "failure",
            Outcome::Pending => "pending",
        }
    }

    /// Whether this outcome is a setback the method learns from (a failure or a partial).
    pub fn is_setback(self) -> bool {
        matches!(self, Outcome::Failure | Outcome::Partial)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s).ok_or(())
    }
}

/// Whether the adjustment a cycle tests was carried out in this attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applied {
    Yes,
    Partly,
    No,
}

impl Applied {
    pub const ALL: [Applied; 3] = [Applied::Yes, Applied::Partly, Applied::No];

    /// Return the public name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Applied::Yes => "yes",
            Applied::Partly => "partly",
            Applied::No => "no",
        }
    }
}

/// What happened when an earlier adjustment was tried: compared with the attempt it
/// came from, did things go better?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestResult {
    Better,
    Same,
    Worse,
    Unclear,
}

impl TestResult {
    pub const ALL: [TestResult; 4] = [
        TestResult::Better,
        TestResult::Same,
        TestResult::Worse,
        TestResult::Unclear,
    ];

    /// Return the public name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            TestResult::Better => "better",
            TestResult::Same => "same",
            TestResult::Worse => "worse",
            TestResult::Unclear => "unclear",
        }
    }
}

/// A cycle's id: a UUIDv7, so ids sort by creation time and stay unique across
/// databases (two people's backups never collide).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CycleId(Uuid);

impl CycleId {
    /// Make a new id for a cycle created now.
    pub fn generate() -> CycleId {
        CycleId(Uuid::now_v7())
    }

    /// Rebuild an id from its 16 stored bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> CycleId {
        CycleId(Uuid::from_bytes(bytes))
    }

    /// Return the 16 bytes; their order is the id's time order.
    pub fn to_bytes(self) -> [u8; 16] {
        *self.0.as_bytes()
    }
}

impl fmt::Display for CycleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for CycleId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim())
            .map(CycleId)
            .map_err(|_| Error::InvalidId(s.to_string()))
    }
}

impl Serialize for CycleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What a person writes into a cycle, already checked. Everything after the attempt
/// may be empty and filled in later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleFields {
    /// The field of practice, e.g. "client pitches". One line, trimmed.
    pub area: String,
    /// The day of the attempt.
    pub attempted_on: NaiveDate,
    /// What was attempted.
    pub attempt: String,
    pub outcome: Outcome,
    /// 1–10: how far past my track record this was.
    pub difficulty: u8,
    /// 1–5: what was at stake; 5 means not bounded.
    pub stakes: u8,
    /// 1–5: did I really try to win?
    pub effort: u8,
    /// 1–5: how psychologically safe the context was.
    pub safety: u8,
    /// 0–10: stress right after the outcome.
    pub stress: Option<u8>,
    /// 0–10: how much the outcome felt like a verdict on me.
    pub identity: Option<u8>,
    pub reframe: Option<String>,
    pub observation: Option<String>,
    pub in_my_control: Option<String>,
    pub external: Option<String>,
    pub adjustment: Option<String>,
    pub check: Option<String>,
    /// 0–100: how likely success looked before the attempt (the person's prediction).
    pub predicted_success: Option<u8>,
    /// The earlier cycle whose adjustment this attempt put to the test.
    pub tests_cycle: Option<CycleId>,
    /// Whether that adjustment was applied in this attempt.
    pub applied: Option<Applied>,
    /// How it went compared with the attempt the adjustment came from.
    pub result: Option<TestResult>,
}

#[cfg(test)]
impl CycleFields {
    /// Fields for a test: an attempt in `area` on `on` with `outcome`, middling scales
    /// (difficulty 5, stakes 2, effort 4, safety 3) and nothing else filled in.
    pub(crate) fn sample(area: &str, on: NaiveDate, outcome: Outcome) -> CycleFields {
        CycleFields {
            area: area.into(),
            attempted_on: on,
            attempt: format!("{area} on {on}"),
            outcome,
            difficulty: 5,
            stakes: 2,
            effort: 4,
            safety: 3,
            stress: None,
            identity: None,
            reframe: None,
            observation: None,
            in_my_control: None,
            external: None,
            adjustment: None,
            check: None,
            predicted_success: None,
            tests_cycle: None,
            applied: None,
            result: None,
        }
    }
}

/// A stored cycle: the person's fields plus the id and timestamps Rebound keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub id: CycleId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub fields: CycleFields,
}

/// Which of the loop's four stages a cycle has filled in. Derived, never stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Stages {
    pub attempt: bool,
    pub observe: bool,
    pub extract: bool,
    pub adjust: bool,
}

impl Cycle {
    /// Return a new cycle made now from checked fields.
    pub fn new(fields: CycleFields, now: DateTime<Utc>) -> Cycle {
        Cycle {
            id: CycleId::generate(),
            created_at: now,
            updated_at: now,
            fields,
        }
    }

    /// Return which stages of the loop are done. The attempt is done once logged;
    /// observing needs a known outcome and an observation; extracting needs either
    /// side of the extraction; adjusting needs an adjustment.
    pub fn stages(&self) -> Stages {
        let f = &self.fields;
        Stages {
            attempt: true,
            observe: f.outcome != Outcome::Pending && f.observation.is_some(),
            extract: f.in_my_control.is_some() || f.external.is_some(),
            adjust: f.adjustment.is_some(),
        }
    }

    /// Parse a whole cycle (id and timestamps included), as a backup holds it.
    /// Every field is checked; `latest` is the last date an attempt may carry.
    pub fn from_json(value: Value, latest: NaiveDate) -> Result<Cycle, Vec<FieldError>> {
        let Value::Object(mut map) = value else {
            return Err(vec![FieldError::new("cycle", "must be a JSON object")]);
        };
        let mut errors = Vec::new();
        let id = take_string(&mut map, "id", &mut errors).and_then(|s| match s.parse() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new(
                    "id",
                    format!("is not a cycle id (got {s:?})"),
                ));
                None
            }
        });
        let created_at = take_timestamp(&mut map, "created_at", &mut errors);
        let updated_at = take_timestamp(&mut map, "updated_at", &mut errors);
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

/// Write a timestamp the way every Rebound file does: RFC 3339 in UTC, with as many
/// fractional digits as it has.
pub fn format_timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

impl Serialize for Cycle {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Field order is FIELD_NAMES; optional fields are written as null so the JSON
        // always names every field (a backup describes itself).
        let f = &self.fields;
        let mut s = serializer.serialize_struct("Cycle", FIELD_NAMES.len())?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("area", &f.area)?;
        s.serialize_field(
            "attempted_on",
            &f.attempted_on.format("%Y-%m-%d").to_string(),
        )?;
        s.serialize_field("created_at", &format_timestamp(&self.created_at))?;
        s.serialize_field("updated_at", &format_timestamp(&self.updated_at))?;
        s.serialize_field("attempt", &f.attempt)?;
        s.serialize_field("predicted_success", &f.predicted_success)?;
        s.serialize_field("outcome", &f.outcome)?;
        s.serialize_field("difficulty", &f.difficulty)?;
        s.serialize_field("stakes", &f.stakes)?;
        s.serialize_field("effort", &f.effort)?;
        s.serialize_field("safety", &f.safety)?;
        s.serialize_field("stress", &f.stress)?;
        s.serialize_field("identity", &f.identity)?;
        s.serialize_field("reframe", &f.reframe)?;
        s.serialize_field("observation", &f.observation)?;
        s.serialize_field("in_my_control", &f.in_my_control)?;
        s.serialize_field("external", &f.external)?;
        s.serialize_field("adjustment", &f.adjustment)?;
        s.serialize_field("check", &f.check)?;
        s.serialize_field("tests_cycle", &f.tests_cycle)?;
        s.serialize_field("applied", &f.applied)?;
        s.serialize_field("result", &f.result)?;
        s.end()
    }
}

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

/// A 0–10 or 1–5 scale: its field name, its bounds and whether it must be given.
struct Scale {
    field: &'static str,
    min: u8,
    max: u8,
    required: bool,
}

const DIFFICULTY: Scale = Scale {
    field: "difficulty",
    min: 1,
    max: 10,
    required: true,
};
const STAKES: Scale = Scale {
    field: "stakes",
    min: 1,
    max: 5,
    required: true,
};
const EFFORT: Scale = Scale {
    field: "effort",
    min: 1,
    max: 5,
    required: true,
};
const SAFETY: Scale = Scale {
    field: "safety",
    min: 1,
    max: 5,
    required: true,
};
const STRESS: Scale = Scale {
    field: "stress",
    min: 0,
    max: 10,
    required: false,
};
const IDENTITY: Scale = Scale {
    field: "identity",
    min: 0,
    max: 10,
    required: false,
};
const PREDICTED_SUCCESS: Scale = Scale {
    field: "predicted_success",
    min: 0,
    max: 100,
    required: false,
};

impl CycleDraft {
    /// Read a draft from a JSON value, naming any field Rebound does not know.
    pub fn from_value(value: Value) -> Result<CycleDraft, Vec<FieldError>> {
        match value {
            Value::Object(map) => CycleDraft::from_map(map),
            other => Err(vec![FieldError::new(
                "cycle",
                format!(
                    "must be a JSON object with named fields (got {})",
                    kind_of(&other)
                ),
            )]),
        }
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
        for managed in ["id", "created_at", "updated_at"] {
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
        let area = required_text(
            "area",
            self.area,
            AREA_MAX_CHARS,
            TextKind::Line,
            "name the field you practise in, like \u{201c}client pitches\u{201d}",
            &mut errors,
        );
        let attempt = required_text(
            "attempt",
            self.attempt,
            ATTEMPT_MAX_CHARS,
            TextKind::Paragraphs,
            "say in a few words what you attempted",
            &mut errors,
        );
        let attempted_on = date("attempted_on", self.attempted_on, latest, &mut errors);
        let outcome = outcome(self.outcome, &mut errors);
        let difficulty = scale(&DIFFICULTY, self.difficulty, &mut errors);
        let stakes = scale(&STAKES, self.stakes, &mut errors);
        let effort = scale(&EFFORT, self.effort, &mut errors);
        let safety = scale(&SAFETY, self.safety, &mut errors);
        let stress = scale(&STRESS, self.stress, &mut errors);
        let identity = scale(&IDENTITY, self.identity, &mut errors);
        let mut note = |field: &'static str, value: Option<Value>| {
            optional_text(field, value, NOTE_MAX_CHARS, &mut errors)
        };
        let reframe = note("reframe", self.reframe);
        let observation = note("observation", self.observation);
        let in_my_control = note("in_my_control", self.in_my_control);
        let external = note("external", self.external);
        let adjustment = note("adjustment", self.adjustment);
        let check = note("check", self.check);
        let predicted_success = scale(&PREDICTED_SUCCESS, self.predicted_success, &mut errors);
        let tests_cycle = linked_cycle(self.tests_cycle, &mut errors);
        let applied = choice(
            "applied",
            self.applied,
            &Applied::ALL,
            Applied::as_str,
            &mut errors,
        );
        let result = choice(
            "result",
            self.result,
            &TestResult::ALL,
            TestResult::as_str,
            &mut errors,
        );
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

        match (
            area,
            attempt,
            attempted_on,
            outcome,
            difficulty,
            stakes,
            effort,
            safety,
        ) {
            (
                Some(area),
                Some(attempt),
                Some(attempted_on),
                Some(outcome),
                Some(difficulty),
                Some(stakes),
                Some(effort),
                Some(safety),
            ) if errors.is_empty() => Ok(CycleFields {
                area,
                attempted_on,
                attempt,
                outcome,
                difficulty,
                stakes,
                effort,
                safety,
                stress,
                identity,
                reframe: reframe.flatten(),
                observation: observation.flatten(),
                in_my_control: in_my_control.flatten(),
                external: external.flatten(),
                adjustment: adjustment.flatten(),
                check: check.flatten(),
                predicted_success,
                tests_cycle,
                applied,
                result,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    /// One line: inner whitespace runs become one space.
    Line,
    /// Free text: line breaks and tabs are kept.
    Paragraphs,
}

/// Clean text a person typed: drop control characters (they break XML and terminals),
/// normalise line endings, trim. Returns None when nothing is left.
fn clean_text(raw: &str, kind: TextKind) -> Option<String> {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = unified
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    let cleaned = match kind {
        TextKind::Line => kept.split_whitespace().collect::<Vec<_>>().join(" "),
        TextKind::Paragraphs => kept.trim().to_string(),
    };
    (!cleaned.is_empty()).then_some(cleaned)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn short(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() <= SHOWN {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(SHOWN).collect();
        format!("{head:?}…")
    }
}

/// Read a text field; Some(None) means "empty", None means "an error was recorded".
fn text_value(
    field: &'static str,
    value: Option<Value>,
    max: usize,
    kind: TextKind,
    errors: &mut Vec<FieldError>,
) -> Option<Option<String>> {
    match value {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(raw)) => {
            let cleaned = clean_text(&raw, kind);
            let len = cleaned.as_deref().map_or(0, |s| s.chars().count());
            if len > max {
                errors.push(FieldError::new(
                    field,
                    format!("is too long: keep it to {max} characters (this has {len})"),
                ));
                None
            } else {
                Some(cleaned)
            }
        }
        Some(other) => {
            errors.push(FieldError::new(
                field,
                format!("must be text (got {})", kind_of(&other)),
            ));
            None
        }
    }
}

fn required_text(
    field: &'static str,
    value: Option<Value>,
    max: usize,
    kind: TextKind,
    hint: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match text_value(field, value, max, kind, errors)? {
        Some(text) => Some(text),
        None => {
            errors.push(FieldError::new(field, format!("is required: {hint}")));
            None
        }
    }
}

fn optional_text(
    field: &'static str,
    value: Option<Value>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<Option<String>> {
    text_value(field, value, max, TextKind::Paragraphs, errors)
}

/// Read a scale. For a required scale, None means an error was recorded; for an
/// optional one, None means empty (errors are still recorded).
fn scale(spec: &Scale, value: Option<Value>, errors: &mut Vec<FieldError>) -> Option<u8> {
    let range = format!("a whole number from {} to {}", spec.min, spec.max);
    let missing = |errors: &mut Vec<FieldError>| {
        if spec.required {
            errors.push(FieldError::new(
                spec.field,
                format!("is required: choose {range}"),
            ));
        }
        None
    };
    let wrong = |errors: &mut Vec<FieldError>, got: String| {
        errors.push(FieldError::new(
            spec.field,
            format!("must be {range} (got {got})"),
        ));
        None
    };
    let number = match value {
        None | Some(Value::Null) => return missing(errors),
        Some(Value::Number(n)) => n,
        // The form sends what an input holds; accept "7" but nothing fuzzier.
        Some(Value::String(s)) => match s.trim() {
            "" => return missing(errors),
            digits => match digits.parse::<i64>() {
                Ok(n) => serde_json::Number::from(n),
                Err(_) => return wrong(errors, short(&s)),
            },
        },
        Some(other) => return wrong(errors, kind_of(&other).to_string()),
    };
    match number.as_i64() {
        Some(n) if (i64::from(spec.min)..=i64::from(spec.max)).contains(&n) => u8::try_from(n).ok(),
        _ => wrong(errors, number.to_string()),
    }
}

fn date(
    field: &'static str,
    value: Option<Value>,
    latest: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let raw = match value {
        // Leaving the date out means "today": the day the attempt is logged.
        None | Some(Value::Null) => return Some(latest),
        Some(Value::String(s)) if s.trim().is_empty() => return Some(latest),
        Some(Value::String(s)) => s,
        Some(other) => {
            errors.push(FieldError::new(
                field,
                format!("must be a date like 2026-11-27 (got {})", kind_of(&other)),
            ));
            return None;
        }
    };
    let Ok(day) = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") else {
        errors.push(FieldError::new(
            field,
            format!("must be a date like 2026-11-27 (got {})", short(&raw)),
        ));
        return None;
    };
    if day > latest {
        errors.push(FieldError::new(
            field,
            format!("can't be in the future (the latest allowed is {latest})"),
        ));
        None
    } else if day < EARLIEST_DATE {
        errors.push(FieldError::new(
            field,
            format!("can't be before {EARLIEST_DATE}"),
        ));
        None
    } else {
        Some(day)
    }
}

fn outcome(value: Option<Value>, errors: &mut Vec<FieldError>) -> Option<Outcome> {
    match value {
        // An attempt whose result is not known yet.
        None | Some(Value::Null) => Some(Outcome::Pending),
        Some(Value::String(s)) if s.trim().is_empty() => Some(Outcome::Pending),
        Some(Value::String(s)) => match s.trim().to_lowercase().parse() {
            Ok(outcome) => Some(outcome),
            Err(()) => {
                errors.push(FieldError::new(
                    "outcome",
                    format!(
                        "must be success, partial, failure or pending (got {})",
                        short(&s)
                    ),
                ));
                None
            }
        },
        Some(other) => {
            errors.push(FieldError::new(
                "outcome",
                format!(
                    "must be success, partial, failure or pending (got {})",
                    kind_of(&other)
                ),
            ));
            None
        }
    }
}

/// Read the id of a linked cycle; None when empty or wrong (the error is recorded).
fn linked_cycle(value: Option<Value>, errors: &mut Vec<FieldError>) -> Option<CycleId> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match s.parse() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new(
                    "tests_cycle",
                    format!("must be the id of a cycle (got {})", short(&s)),
                ));
                None
            }
        },
        Some(other) => {
            errors.push(FieldError::new(
                "tests_cycle",
                format!("must be the id of a cycle (got {})", kind_of(&other)),
            ));
            None
        }
    }
}

/// Read one of a few named answers; empty means not answered.
fn choice<T: Copy>(
    field: &'static str,
    value: Option<Value>,
    all: &[T],
    name: fn(T) -> &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let names = || all.iter().map(|c| name(*c)).collect::<Vec<_>>().join(", ");
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => {
            let wanted = s.trim().to_lowercase();
            let found = all.iter().copied().find(|c| name(*c) == wanted);
            if found.is_none() {
                errors.push(FieldError::new(
                    field,
                    format!("must be one of {} (got {})", names(), short(&s)),
                ));
            }
            found
        }
        Some(other) => {
            errors.push(FieldError::new(
                field,
                format!("must be one of {} (got {})", names(), kind_of(&other)),
            ));
            None
        }
    }
}

fn take_string(
    map: &mut Map<String, Value>,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match map.remove(field) {
        Some(Value::String(s)) => Some(s),
        None | Some(Value::Null) => {
            errors.push(FieldError::new(field, "is missing"));
            None
        }
        Some(other) => {
            errors.push(FieldError::new(
                field,
                format!("must be text (got {})", kind_of(&other)),
            ));
            None
        }
    }
}

fn take_timestamp(
    map: &mut Map<String, Value>,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<DateTime<Utc>> {
    let raw = take_string(map, field, errors)?;
    match DateTime::parse_from_rfc3339(&raw) {
        Ok(at) => Some(at.with_timezone(&Utc)),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!(
                    "must be an RFC 3339 time like 2026-11-27T09:30:00Z (got {})",
                    short(&raw)
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn a_cycle_serialises_with_every_public_field_in_order() {
        let fields = check(minimal()).unwrap();
        let at = DateTime::parse_from_rfc3339("2026-11-27T09:30:00.250Z")
            .unwrap()
            .to_utc();
        let cycle = Cycle::new(fields, at);
        let text = serde_json::to_string(&cycle).unwrap();
        let positions: Vec<usize> = FIELD_NAMES
            .iter()
            .map(|name| text.find(&format!("\"{name}\":")).expect(name))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value.as_object().unwrap().len(), FIELD_NAMES.len());
        assert_eq!(value["created_at"], "2026-11-27T09:30:00.250Z");
        assert_eq!(value["observation"], Value::Null);
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

    #[test]
    fn stages_follow_what_is_filled_in() {
        let mut v = minimal();
        v["observation"] = json!("noticed");
        let pending = Cycle::new(check(v.clone()).unwrap(), Utc::now());
        assert_eq!(
            pending.stages(),
            Stages {
                attempt: true,
                observe: false,
                extract: false,
                adjust: false
            }
        );
        v["outcome"] = json!("partial");
        v["external"] = json!("the client's budget froze");
        v["adjustment"] = json!("ask about budget timing in the first call");
        let done = Cycle::new(check(v).unwrap(), Utc::now());
        assert_eq!(
            done.stages(),
            Stages {
                attempt: true,
                observe: true,
                extract: true,
                adjust: true
            }
        );
    }
}
