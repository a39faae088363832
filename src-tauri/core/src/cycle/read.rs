//! Readers of one untrusted JSON value each: text, a scale, a date, an outcome, a named
//! answer, a linked cycle, a timestamp. Each tidies what a person typed and records a
//! message that names the field and says what to do; none panics on any input.
//!
//! Readers take their rules from fields.rs and must not know which cycle field they
//! read beyond that, nor assemble a cycle (check.rs does).

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::fields::{ScaleField, TextField, TextShape, EARLIEST_DATE};
use super::model::{CycleId, Outcome};
use crate::error::FieldError;

/// How much of a wrong value a message quotes, in characters.
const QUOTED_CHARS: usize = 40;

/// Clean text a person typed: drop control characters (they break XML and terminals),
/// normalise line endings, trim. Returns None when nothing is left. Text that is clean
/// already (nearly all of it) is kept as it is, not copied.
fn clean_text(raw: String, shape: TextShape) -> Option<String> {
    if is_clean(&raw, shape) {
        return (!raw.is_empty()).then_some(raw);
    }
    clean_copy(&raw, shape)
}

/// Whether [`clean_copy`] would give `raw` back unchanged: no control character but
/// newlines and tabs, nothing to trim, and for one line no whitespace but single spaces.
fn is_clean(raw: &str, shape: TextShape) -> bool {
    // Plain ASCII, the common case, is checked a byte at a time.
    if raw.is_ascii() {
        let bytes = raw.as_bytes();
        let fits = match shape {
            TextShape::Line => {
                bytes.iter().all(|&b| (b' '..0x7f).contains(&b))
                    && !bytes.windows(2).any(|w| w == b"  ")
                    && bytes.first() != Some(&b' ')
                    && bytes.last() != Some(&b' ')
            }
            TextShape::Paragraphs => {
                bytes
                    .iter()
                    .all(|&b| (b' '..0x7f).contains(&b) || b == b'\n' || b == b'\t')
                    && raw.trim().len() == raw.len()
            }
        };
        return fits;
    }
    let mut last = ' ';
    for c in raw.chars() {
        let fits = match shape {
            TextShape::Line => !c.is_control() && !(c.is_whitespace() && (c != ' ' || last == ' ')),
            TextShape::Paragraphs => !c.is_control() || c == '\n' || c == '\t',
        };
        if !fits {
            return false;
        }
        last = c;
    }
    match shape {
        TextShape::Line => last != ' ' || raw.is_empty(),
        TextShape::Paragraphs => raw.trim().len() == raw.len(),
    }
}

/// [`clean_text`] of text that needs cleaning, into a new string.
fn clean_copy(raw: &str, shape: TextShape) -> Option<String> {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = unified
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    let cleaned = match shape {
        TextShape::Line => kept.split_whitespace().collect::<Vec<_>>().join(" "),
        TextShape::Paragraphs => kept.trim().to_string(),
    };
    (!cleaned.is_empty()).then_some(cleaned)
}

/// What a wrong value is, in the messages' words.
pub(super) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A wrong text value, quoted and cut short.
fn short(text: &str) -> String {
    if text.chars().count() <= QUOTED_CHARS {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(QUOTED_CHARS).collect();
        format!("{head:?}…")
    }
}

/// Read a text field, cleaned. None means empty or wrong; a wrong value, and a required
/// field left empty, are recorded in `errors`.
pub(super) fn text(
    spec: &TextField,
    value: Option<Value>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let raw = match value {
        None | Some(Value::Null) => None,
        Some(Value::String(raw)) => Some(raw),
        Some(other) => {
            errors.push(FieldError::new(
                spec.name,
                format!("must be text (got {})", kind_of(&other)),
            ));
            return None;
        }
    };
    let Some(cleaned) = raw.and_then(|raw| clean_text(raw, spec.shape)) else {
        if let Some(hint) = spec.required {
            errors.push(FieldError::new(spec.name, format!("is required: {hint}")));
        }
        return None;
    };
    let len = cleaned.chars().count();
    if len > spec.max_chars {
        errors.push(FieldError::new(
            spec.name,
            format!(
                "is too long: keep it to {} characters (this has {len})",
                spec.max_chars
            ),
        ));
        return None;
    }
    Some(cleaned)
}

/// Read a scale. For a required scale, None means an error was recorded; for an
/// optional one, None means empty (errors are still recorded).
pub(super) fn scale(
    spec: &ScaleField,
    value: Option<Value>,
    errors: &mut Vec<FieldError>,
) -> Option<u8> {
    // Written only for a message: a batch reads many thousands of scales.
    let range = || format!("a whole number from {} to {}", spec.min, spec.max);
    let missing = |errors: &mut Vec<FieldError>| {
        if spec.required {
            errors.push(FieldError::new(
                spec.name,
                format!("is required: choose {}", range()),
            ));
        }
        None
    };
    let wrong = |errors: &mut Vec<FieldError>, got: String| {
        errors.push(FieldError::new(
            spec.name,
            format!("must be {} (got {got})", range()),
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

/// Read a day from `EARLIEST_DATE` to `latest`; left out, it is `latest`.
pub(super) fn date(
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

/// Read an outcome; left out, the attempt is pending.
pub(super) fn outcome(
    field: &'static str,
    value: Option<Value>,
    errors: &mut Vec<FieldError>,
) -> Option<Outcome> {
    let wrong = |got: String| {
        FieldError::new(
            field,
            format!("must be success, partial, failure or pending (got {got})"),
        )
    };
    match value {
        // An attempt whose result is not known yet.
        None | Some(Value::Null) => Some(Outcome::Pending),
        Some(Value::String(s)) if s.trim().is_empty() => Some(Outcome::Pending),
        Some(Value::String(s)) => match s.trim().to_lowercase().parse() {
            Ok(outcome) => Some(outcome),
            Err(()) => {
                errors.push(wrong(short(&s)));
                None
            }
        },
        Some(other) => {
            errors.push(wrong(kind_of(&other).to_string()));
            None
        }
    }
}

/// Read the id of a linked cycle; None when empty or wrong (the error is recorded).
pub(super) fn linked_cycle(
    field: &'static str,
    value: Option<Value>,
    errors: &mut Vec<FieldError>,
) -> Option<CycleId> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match s.parse() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new(
                    field,
                    format!("must be the id of a cycle (got {})", short(&s)),
                ));
                None
            }
        },
        Some(other) => {
            errors.push(FieldError::new(
                field,
                format!("must be the id of a cycle (got {})", kind_of(&other)),
            ));
            None
        }
    }
}

/// Read one of a few named answers; empty means not answered.
pub(super) fn choice<T: Copy>(
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

/// Take a text value that must be there out of `map`.
pub(super) fn take_string(
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

/// Take an RFC 3339 time that must be there out of `map`.
pub(super) fn take_timestamp(
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

    #[test]
    fn clean_text_is_kept_as_it_is_and_the_rest_is_cleaned_as_before() {
        let texts = [
            "",
            " ",
            "x",
            "plain words",
            " lead",
            "trail ",
            "two  spaces",
            "tab\there",
            "line\nbreak",
            "a\r\nb\rc",
            "bell\u{7}",
            "c1\u{85}x",
            "nbsp\u{a0}x",
            "\u{2028}",
            "  both  ",
            "naïve café",
            "\n\nparagraphs\n",
            "x\u{7f}",
            "unit\u{1f}sep",
            "form\u{c}feed",
        ];
        for raw in texts {
            for shape in [TextShape::Line, TextShape::Paragraphs] {
                let expected = clean_copy(raw, shape);
                assert_eq!(clean_text(raw.to_string(), shape), expected, "{raw:?}");
            }
        }
    }
}
