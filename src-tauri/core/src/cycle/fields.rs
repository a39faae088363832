//! The one description of a cycle's fields: each field's public name, the kind of value
//! it holds and the rules for it, in the order the cycle's JSON writes them.
//!
//! The lists of fields come from `FIELDS`: the JSON's names ([`FIELD_NAMES`]), the
//! fields Rebound manages and the limits check.rs applies. Only the structs that hold
//! the values (`CycleFields`, `CycleDraft`) and the JSON writer name the fields one by
//! one, and tests pin those to this list.
//!
//! This module describes; it must not read input (read.rs and check.rs do) or store.

use chrono::NaiveDate;

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
}

/// A whole number chosen on a scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScaleField {
    pub name: &'static str,
    pub min: u8,
    pub max: u8,
    pub required: bool,
}

pub(super) const AREA: TextField = TextField {
    name: "area",
    max_chars: AREA_MAX_CHARS,
    shape: TextShape::Line,
    required: Some("name the field you practise in, like \u{201c}client pitches\u{201d}"),
};
pub(super) const ATTEMPT: TextField = TextField {
    name: "attempt",
    max_chars: ATTEMPT_MAX_CHARS,
    shape: TextShape::Paragraphs,
    required: Some("say in a few words what you attempted"),
};
pub(super) const REFRAME: TextField = note("reframe");
pub(super) const OBSERVATION: TextField = note("observation");
pub(super) const IN_MY_CONTROL: TextField = note("in_my_control");
pub(super) const EXTERNAL: TextField = note("external");
pub(super) const ADJUSTMENT: TextField = note("adjustment");
pub(super) const CHECK: TextField = note("check");

pub(super) const PREDICTED_SUCCESS: ScaleField = ScaleField::optional("predicted_success", 0, 100);
pub(super) const DIFFICULTY: ScaleField = ScaleField::required("difficulty", 1, 10);
pub(super) const STAKES: ScaleField = ScaleField::required("stakes", 1, 5);
pub(super) const EFFORT: ScaleField = ScaleField::required("effort", 1, 5);
pub(super) const SAFETY: ScaleField = ScaleField::required("safety", 1, 5);
pub(super) const STRESS: ScaleField = ScaleField::optional("stress", 0, 10);
pub(super) const IDENTITY: ScaleField = ScaleField::optional("identity", 0, 10);

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

/// A reflection written after the attempt: optional free text.
const fn note(name: &'static str) -> TextField {
    TextField {
        name,
        max_chars: NOTE_MAX_CHARS,
        shape: TextShape::Paragraphs,
        required: None,
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

    pub fn is_managed(&self) -> bool {
        matches!(self, FieldSpec::Managed(_))
    }
}

impl ScaleField {
    const fn required(name: &'static str, min: u8, max: u8) -> ScaleField {
        ScaleField {
            name,
            min,
            max,
            required: true,
        }
    }

    const fn optional(name: &'static str, min: u8, max: u8) -> ScaleField {
        ScaleField {
            required: false,
            ..ScaleField::required(name, min, max)
        }
    }
}

/// The names of the fields Rebound sets itself.
pub fn managed_fields() -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .filter(|f| f.is_managed())
        .map(FieldSpec::name)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
