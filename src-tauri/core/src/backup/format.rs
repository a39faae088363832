//! The backup document itself (see docs/backup-format.md): what Rebound writes, and
//! what each shipped format means. Plain bytes; encryption and files are elsewhere, and
//! reading a document back with every part checked is `check`.
//!
//! Format 3:
//!
//! ```json
//! { "format": "rebound-backup", "format_version": 3, "app_version": "0.1.0",
//!   "exported_at": "2026-11-27T21:04:11.532Z", "cycle_count": 2, "checkin_count": 1,
//!   "pref_count": 1, "checksum": "sha256:…",
//!   "cycles": [ {…}, {…} ],
//!   "checkins": [ {"day": "2026-11-01", "answers": [4, 2, 4, 2, 4, 2]} ],
//!   "prefs": { "reminder": {"enabled": true, "time": "19:30"} } }
//! ```
//!
//! The checksum covers the bytes of the `cycles`, `checkins` and `prefs` values exactly
//! as they stand in the file, joined by newlines (format 2: `cycles` alone), so it
//! stays right when cycles gain fields in later versions. Formats 1 and 2 held cycles
//! only.
//!
//! Invariant: never change what a shipped format means. A new field or meaning is the
//! next format, and reading an older one upgrades it with a pure function ([`upgrade`]).

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub use super::cycle_list::CycleList;
use super::cycle_list::ListText;
use crate::cycle::{format_timestamp, Cycle};
use crate::error::{Error, Result};
use crate::journal::Base;

/// The `format` field every Rebound backup carries.
pub const FORMAT_NAME: &str = "rebound-backup";
/// The format this Rebound writes, and the newest it reads.
pub const FORMAT_VERSION: u64 = 3;

/// The top of a format-3 document as written. Field order is the order in the file.
#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    format_version: u64,
    app_version: &'static str,
    exported_at: String,
    cycle_count: usize,
    checkin_count: usize,
    pref_count: usize,
    checksum: String,
    cycles: &'a RawValue,
    checkins: &'a RawValue,
    prefs: &'a RawValue,
}

/// One check-in as the file holds it.
#[derive(Serialize, serde::Deserialize)]
pub(super) struct CheckinEntry {
    pub day: NaiveDate,
    pub answers: [u8; 6],
}

/// A backup read back and checked. Its cycles are held whole (`Vec<Cycle>`), or for a
/// restore of any size spooled to a private file (`restore::Spooled`).
#[derive(Clone, Debug, PartialEq)]
pub struct Backup<C = Vec<Cycle>> {
    /// The format the file was written in (older ones are upgraded when read).
    pub format_version: u64,
    pub app_version: String,
    pub exported_at: DateTime<Utc>,
    pub cycles: C,
    /// Format 3 on; empty (and `holds_more` false) for older files.
    pub checkins: BTreeMap<NaiveDate, [u8; 6]>,
    pub prefs: BTreeMap<String, Value>,
}

impl Backup<()> {
    /// This backup with its cycles.
    pub(super) fn with<C>(self, cycles: C) -> Backup<C> {
        Backup {
            format_version: self.format_version,
            app_version: self.app_version,
            exported_at: self.exported_at,
            cycles,
            checkins: self.checkins,
            prefs: self.prefs,
        }
    }
}

impl Backup {
    /// Everything the file holds, as the store's content.
    pub fn content(&self) -> Base {
        Base {
            cycles: self.cycles.clone(),
            checkins: self.checkins.clone(),
            prefs: self.prefs.clone(),
        }
    }
}

impl<C> Backup<C> {
    /// Whether the file holds check-ins and preferences too (format 3 on): older ones
    /// held cycles only, so restoring them leaves those as they are.
    pub fn holds_more_than_cycles(&self) -> bool {
        self.format_version >= 3
    }
}

/// `sha256:` and the hex digest of `parts` joined by newlines.
#[cfg(test)]
pub(super) fn checksum<P: AsRef<[u8]>>(parts: &[P]) -> String {
    let mut digest = Sha256::new();
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            digest.update(b"\n");
        }
        digest.update(part.as_ref());
    }
    checksum_text(digest)
}

/// `sha256:` and the hex digest of what `digest` was given.
pub(super) fn checksum_text(digest: Sha256) -> String {
    let mut text = String::with_capacity(7 + 64);
    text.push_str("sha256:");
    for byte in digest.finalize() {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

pub(super) fn encode_error(e: serde_json::Error) -> Error {
    Error::Storage(format!("could not encode the backup: {e}"))
}

/// A JSON array written one item per line, so a backup reads (and diffs) item by item.
fn list_text<T: Serialize>(items: &[T]) -> Result<String> {
    if items.is_empty() {
        return Ok("[]".to_string());
    }
    let mut text = String::with_capacity(items.len() * 800);
    text.push_str("[\n");
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            text.push_str(",\n");
        }
        text.push_str("    ");
        text.push_str(&serde_json::to_string(item).map_err(encode_error)?);
    }
    text.push_str("\n  ]");
    Ok(text)
}

/// Serialise everything in `content` as a plain format-3 backup document.
pub fn to_json(content: &Base, now: DateTime<Utc>) -> Result<Vec<u8>> {
    to_json_of(CycleList::of(&content.cycles)?, content, now)
}

/// [`to_json`] with the cycles given as a [`CycleList`] (those of `content` are not read).
pub fn to_json_of(cycles: CycleList, content: &Base, now: DateTime<Utc>) -> Result<Vec<u8>> {
    let parts = to_parts_of(cycles, content, now)?;
    let mut bytes = Vec::with_capacity(parts.len() as usize);
    parts
        .write_to(&mut bytes)
        .map_err(|e| Error::io("could not read back a temporary file", e))?;
    Ok(bytes)
}

/// A format-3 document in three parts, which written one after the other are exactly
/// [`to_json`]'s bytes: everything before the cycles, the cycles, everything after.
/// The cycles (nearly all of a backup) are neither copied nor parsed again on the way
/// to the file.
pub struct Parts {
    head: String,
    cycles: ListText,
    tail: String,
}

impl Parts {
    /// Write the document to `out`, a part at a time.
    pub fn write_to(self, out: &mut dyn Write) -> std::io::Result<()> {
        let Parts { head, cycles, tail } = self;
        out.write_all(head.as_bytes())?;
        if let Some(mut file) = cycles.spilled {
            std::io::copy(&mut file, out)?;
        }
        out.write_all(&cycles.text)?;
        out.write_all(tail.as_bytes())
    }

    /// The document's length in bytes.
    pub fn len(&self) -> u64 {
        self.head.len() as u64 + self.cycles.len + self.tail.len() as u64
    }
}

/// The check-ins of `content` as the document lists them.
fn checkin_entries(content: &Base) -> Vec<CheckinEntry> {
    content
        .checkins
        .iter()
        .map(|(day, answers)| CheckinEntry {
            day: *day,
            answers: *answers,
        })
        .collect()
}

/// [`to_json`]'s document in its three [`Parts`], with the cycles given as a
/// [`CycleList`] (those of `content` are not read).
pub fn to_parts_of(cycles: CycleList, content: &Base, now: DateTime<Utc>) -> Result<Parts> {
    let raw = |text: String| RawValue::from_string(text).map_err(encode_error);
    let cycle_count = cycles.count();
    let cycles = cycles.finish()?;
    let entries = checkin_entries(content);
    let checkins = raw(list_text(&entries)?)?;
    let prefs = raw(serde_json::to_string(&content.prefs).map_err(encode_error)?)?;
    let mut digest = cycles.hash.clone();
    for part in [checkins.get(), prefs.get()] {
        digest.update(b"\n");
        digest.update(part.as_bytes());
    }
    // The document is written with a one-character stand-in for the cycles, then split
    // around it: serde_json writes a raw value as it is, so the cycles' own text in its
    // place gives the same bytes as writing the document with them.
    let stand_in = raw("0".to_string())?;
    let document = Document {
        format: FORMAT_NAME,
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION"),
        exported_at: format_timestamp(&now),
        cycle_count,
        checkin_count: entries.len(),
        pref_count: content.prefs.len(),
        checksum: checksum_text(digest),
        cycles: &stand_in,
        checkins: &checkins,
        prefs: &prefs,
    };
    let mut text = serde_json::to_string_pretty(&document).map_err(encode_error)?;
    text.push('\n');
    // The fields before the cycles are a fixed name, numbers, a version, a time and a
    // checksum: the first `"cycles": 0,` is the stand-in.
    const KEY: &str = "\n  \"cycles\": ";
    let at = text
        .find(&format!("{KEY}0,\n"))
        .map(|found| found + KEY.len())
        .ok_or_else(|| Error::Storage("could not encode the backup".into()))?;
    let tail = text.split_off(at + 1);
    text.truncate(at);
    Ok(Parts {
        head: text,
        cycles,
        tail,
    })
}

/// The header of a backup of any format, as read, before its content is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub format_version: u64,
    pub app_version: String,
    pub exported_at: DateTime<Utc>,
    pub cycle_count: Option<u64>,
    /// Format 2 on; `None` for format 1, which had none.
    pub checksum: Option<String>,
}

/// Bring a header of an older format up to the current one. Pure: it only says what
/// the older format meant in today's terms.
pub fn upgrade(header: Header) -> Header {
    match header.format_version {
        // Format 1 had no checksum and an optional count; its cycles mean the same.
        1 => Header {
            format_version: 2,
            ..header
        },
        // Format 2 held cycles only; read as format 3 with no check-ins or preferences.
        2 => Header {
            format_version: 3,
            ..header
        },
        _ => header,
    }
}

#[cfg(test)]
mod tests;
