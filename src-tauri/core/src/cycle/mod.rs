//! The cycle: one pass of the essay's loop (attempt → observe → extract → adjust) for
//! one attempt, and the public JSON shape of it.
//!
//! This module owns what a person may write into a cycle and how that is checked. It
//! parses untrusted JSON (the window's form, `rebound log`, a backup file) field by
//! field so every problem gets a message naming the field and what to do. It knows
//! nothing of storage, Tauri or the command line.
//!
//! - `model`: the checked cycle, its answers and id, and its public JSON.
//! - `fields`: the one list of fields, with each field's kind and rules.
//! - `check`: `CycleDraft`, untrusted input checked field by field.
//! - `read`: the readers of one JSON value each that `check` uses.
//! - `summary`: the facts Today and the evidence read, without the text (`Facts`).

mod check;
mod fields;
mod model;
mod read;
mod summary;

pub use check::CycleDraft;
pub use fields::{
    label, managed_fields, FieldSpec, ScaleField, TextField, TextShape, AREA_MAX_CHARS,
    ATTEMPT_MAX_CHARS, EARLIEST_DATE, FIELDS, FIELD_NAMES, NOTE_MAX_CHARS, NUDGED_FIELDS,
};
pub use model::{
    format_timestamp, Applied, Cycle, CycleFields, CycleId, Outcome, Stages, TestResult,
    GENUINE_EFFORT,
};
pub use summary::{CycleSummary, Facts};
