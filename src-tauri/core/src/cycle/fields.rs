//! The one description of a cycle's fields: each field's public name, the kind of value
//! it holds and the rules for it, in the order the cycle's JSON writes them.
//!
//! Every list of fields elsewhere comes from `FIELDS`: the JSON's names
//! ([`FIELD_NAMES`]), the fields Rebound manages, the limits check.rs applies, the text
//! search reads, the fields nudges sit beside, the notes the CLI prints, and the
//! window's form (ui/js/views/editor.js, held equal by a test below). Only the structs
//! that hold the values (`CycleFields`, `CycleDraft`) and the JSON writer name the fields
//! one by one, and tests pin those to this list.
//!
//! This module describes; it must not read input (read.rs and check.rs do) or store.

use chrono::NaiveDate;

use super::model::CycleFields;

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

/// One field of a cycle, by the kind of value it holds.
#[derive(Clone, Copy, Debug)]
pub enum FieldSpec {
    /// Set by Rebound (the id and the two timestamps); a person never writes it.
    Managed(&'static str),
    Text(TextField),
    Scale(ScaleField),
    /// A day like 2026-11-27; left out, it is the day the attempt is logged.
    Date(&'static str),
    /// One of a few named answers (`Outcome`, `Applied`, `TestResult`).
    Choice(&'static str),
    /// The id of another cycle.
    Link(&'static str),
}

/// How typed text is tidied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextShape {
    /// One line: inner whitespace runs become one space.
    Line,
    /// Free text: line breaks and tabs are kept.
    Paragraphs,
}

/// A field a person writes in words.
#[derive(Clone, Copy, Debug)]
pub struct TextField {
    pub name: &'static str,
    pub max_chars: usize,
    pub shape: TextShape,
    /// What to ask for when it is left empty; None when it may stay empty.
    pub required: Option<&'static str>,
    /// Whether search looks in it.
    pub searched: bool,
    /// Whether nudges read it and may sit beside it.
    pub nudged: bool,
    /// Its text in checked fields.
    pub read: fn(&CycleFields) -> Option<&str>,
}

/// A whole number chosen on a scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScaleField {
    pub name: &'static str,
    pub min: u8,
    pub max: u8,
    pub required: bool,
    /// Whether nudges may sit beside it.
    pub nudged: bool,
}

pub(super) const AREA: TextField = TextField {
    name: "area",
    max_chars: AREA_MAX_CHARS,
    shape: TextShape::Line,
    required: Some("name the field you practise in, like \u{201c}client pitches\u{201d}"),
    searched: true,
    nudged: false,
    read: |f| Some(f.area.as_str()),
};
pub(super) const ATTEMPT: TextField = TextField {
    name: "attempt",
    max_chars: ATTEMPT_MAX_CHARS,
    shape: TextShape::Paragraphs,
    required: Some("say in a few words what you attempted"),
    searched: true,
    nudged: true,
    read: |f| Some(f.attempt.as_str()),
};
pub(super) const REFRAME: TextField = note("reframe", |f| f.reframe.as_deref());
pub(super) const OBSERVATION: TextField = note("observation", |f| f.observation.as_deref());
pub(super) const IN_MY_CONTROL: TextField = note("in_my_control", |f| f.in_my_control.as_deref());
pub(super) const EXTERNAL: TextField = note("external", |f| f.external.as_deref());
pub(super) const ADJUSTMENT: TextField = note("adjustment", |f| f.adjustment.as_deref());
pub(super) const CHECK: TextField = note("check", |f| f.check.as_deref());

pub(super) const PREDICTED_SUCCESS: ScaleField = ScaleField::optional("predicted_success", 0, 100);
pub(super) const DIFFICULTY: ScaleField = ScaleField::required("difficulty", 1, 10);
pub(super) const STAKES: ScaleField = ScaleField::required("stakes", 1, 5).nudged();
pub(super) const EFFORT: ScaleField = ScaleField::required("effort", 1, 5).nudged();
pub(super) const SAFETY: ScaleField = ScaleField::required("safety", 1, 5).nudged();
pub(super) const STRESS: ScaleField = ScaleField::optional("stress", 0, 10).nudged();
pub(super) const IDENTITY: ScaleField = ScaleField::optional("identity", 0, 10).nudged();

/// Every field, in the order the public JSON writes them. Never rename one: the CLI,
/// the backup file and the docs all use the names.
pub const FIELDS: [FieldSpec; 23] = [
    FieldSpec::Managed("id"),
    FieldSpec::Text(AREA),
    FieldSpec::Date("attempted_on"),
    FieldSpec::Managed("created_at"),
    FieldSpec::Managed("updated_at"),
    FieldSpec::Text(ATTEMPT),
    FieldSpec::Scale(PREDICTED_SUCCESS),
    FieldSpec::Choice("outcome"),
    FieldSpec::Scale(DIFFICULTY),
    FieldSpec::Scale(STAKES),
    FieldSpec::Scale(EFFORT),
    FieldSpec::Scale(SAFETY),
    FieldSpec::Scale(STRESS),
    FieldSpec::Scale(IDENTITY),
    FieldSpec::Text(REFRAME),
    FieldSpec::Text(OBSERVATION),
    FieldSpec::Text(IN_MY_CONTROL),
    FieldSpec::Text(EXTERNAL),
    FieldSpec::Text(ADJUSTMENT),
    FieldSpec::Text(CHECK),
    FieldSpec::Link("tests_cycle"),
    FieldSpec::Choice("applied"),
    FieldSpec::Choice("result"),
];

/// The public JSON names of a cycle's fields, in the order they are written.
pub const FIELD_NAMES: [&str; FIELDS.len()] = {
    let mut names = [""; FIELDS.len()];
    let mut i = 0;
    while i < FIELDS.len() {
        names[i] = FIELDS[i].name();
        i += 1;
    }
    names
};

const NUDGED_COUNT: usize = {
    let mut count = 0;
    let mut i = 0;
    while i < FIELDS.len() {
        count += FIELDS[i].is_nudged() as usize;
        i += 1;
    }
    count
};

/// The fields nudges may sit beside, in the cycle's order, which is also the order the
/// form shows them.
pub const NUDGED_FIELDS: [&str; NUDGED_COUNT] = {
    let mut names = [""; NUDGED_COUNT];
    let (mut i, mut at) = (0, 0);
    while i < FIELDS.len() {
        if FIELDS[i].is_nudged() {
            names[at] = FIELDS[i].name();
            at += 1;
        }
        i += 1;
    }
    names
};

/// A reflection written after the attempt: optional free text, searched and nudged.
const fn note(name: &'static str, read: fn(&CycleFields) -> Option<&str>) -> TextField {
    TextField {
        name,
        max_chars: NOTE_MAX_CHARS,
        shape: TextShape::Paragraphs,
        required: None,
        searched: true,
        nudged: true,
        read,
    }
}

impl FieldSpec {
    /// Return the public name, as in the JSON.
    pub const fn name(&self) -> &'static str {
        match self {
            FieldSpec::Text(text) => text.name,
            FieldSpec::Scale(scale) => scale.name,
            FieldSpec::Managed(name)
            | FieldSpec::Date(name)
            | FieldSpec::Choice(name)
            | FieldSpec::Link(name) => name,
        }
    }

    /// Return the kind's name, as the window's form list writes it.
    pub fn kind(&self) -> &'static str {
        match self {
            FieldSpec::Managed(_) => "managed",
            FieldSpec::Text(_) => "text",
            FieldSpec::Scale(_) => "scale",
            FieldSpec::Date(_) => "date",
            FieldSpec::Choice(_) => "choice",
            FieldSpec::Link(_) => "link",
        }
    }

    pub fn is_managed(&self) -> bool {
        matches!(self, FieldSpec::Managed(_))
    }

    /// Whether nudges may sit beside this field.
    pub const fn is_nudged(&self) -> bool {
        match self {
            FieldSpec::Text(text) => text.nudged,
            FieldSpec::Scale(scale) => scale.nudged,
            _ => false,
        }
    }

    pub fn as_text(&self) -> Option<&TextField> {
        match self {
            FieldSpec::Text(text) => Some(text),
            _ => None,
        }
    }
}

impl ScaleField {
    const fn required(name: &'static str, min: u8, max: u8) -> ScaleField {
        ScaleField {
            name,
            min,
            max,
            required: true,
            nudged: false,
        }
    }

    const fn optional(name: &'static str, min: u8, max: u8) -> ScaleField {
        ScaleField {
            required: false,
            ..ScaleField::required(name, min, max)
        }
    }

    /// The same scale, with nudges beside it.
    const fn nudged(self) -> ScaleField {
        ScaleField {
            nudged: true,
            ..self
        }
    }
}

impl TextField {
    /// A note is the optional free text of the reflection (reframe to check); the area
    /// and the attempt are required.
    pub fn is_note(&self) -> bool {
        self.required.is_none()
    }

    /// The field's name as a heading.
    pub fn label(&self) -> String {
        label(self.name)
    }
}

/// A field name as a heading: `in_my_control` → "In my control".
pub fn label(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The names of the fields Rebound sets itself.
pub fn managed_fields() -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .filter(|f| f.is_managed())
        .map(FieldSpec::name)
}

fn text_fields() -> impl Iterator<Item = &'static TextField> {
    FIELDS.iter().filter_map(FieldSpec::as_text)
}

impl CycleFields {
    /// The text search looks in, field by field in the cycle's order; empty fields are
    /// skipped.
    pub fn searched_texts(&self) -> impl Iterator<Item = &str> {
        text_fields()
            .filter(|t| t.searched)
            .filter_map(|t| (t.read)(self))
    }

    /// The notes that are written, with the field each belongs to, in the cycle's order.
    pub fn notes(&self) -> impl Iterator<Item = (&'static TextField, &str)> {
        text_fields()
            .filter(|t| t.is_note())
            .filter_map(|t| (t.read)(self).map(|text| (t, text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The form's field list as editor.js exports it, one field per string.
    fn form_fields() -> Vec<String> {
        let script = include_str!("../../../../ui/js/views/editor.js");
        let start = script
            .find("export const FIELDS = ")
            .expect("editor.js exports FIELDS");
        let list = &script[start + "export const FIELDS = ".len()..];
        let end = list.find("\n];").expect("FIELDS ends with a line \"];\"");
        let fields: Vec<Value> =
            serde_json::from_str(&list[..end + 2]).expect("FIELDS is written as JSON");
        fields.iter().map(Value::to_string).collect()
    }

    #[test]
    fn the_windows_form_lists_the_same_fields_kinds_and_scales() {
        let expected: Vec<String> = FIELDS
            .iter()
            .filter(|f| !f.is_managed())
            .map(|f| match f {
                FieldSpec::Scale(s) if s.required => {
                    json!({ "name": s.name, "kind": "scale", "min": s.min, "max": s.max })
                }
                FieldSpec::Scale(s) => json!({
                    "name": s.name, "kind": "scale", "min": s.min, "max": s.max, "optional": true
                }),
                other => json!({ "name": other.name(), "kind": other.kind() }),
            })
            .map(|field| field.to_string())
            .collect();
        assert_eq!(form_fields(), expected);
    }

    #[test]
    fn every_field_has_one_name() {
        let mut names = FIELD_NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
        assert_eq!(
            managed_fields().collect::<Vec<_>>(),
            ["id", "created_at", "updated_at"]
        );
    }

    #[test]
    fn each_text_field_reads_its_own_value() {
        let mut fields = CycleFields::sample(
            "area",
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            crate::cycle::Outcome::Pending,
        );
        fields.attempt = "attempt".into();
        fields.reframe = Some("reframe".into());
        fields.observation = Some("observation".into());
        fields.in_my_control = Some("in_my_control".into());
        fields.external = Some("external".into());
        fields.adjustment = Some("adjustment".into());
        fields.check = Some("check".into());
        for text in text_fields() {
            assert_eq!((text.read)(&fields), Some(text.name));
        }
    }
}
