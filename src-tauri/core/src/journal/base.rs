//! The base of an epoch: everything the journal holds at the moment the epoch starts
//! (every cycle, check-in and preference), written once, whole and fsync'd, so the
//! changes after it rebuild the data without sled.
//!
//! One line: the SHA-256 of the JSON in hex, a space, then the JSON
//! `{"format": "rebound-journal-base", "epoch": N, "made_at": "…", "cycles": […],
//! "checkins": [{"day": "…", "answers": […]}], "prefs": {"key": value}}`.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::cycle::{format_timestamp, Cycle};
use crate::error::{Error, Result};
use crate::files::write_atomic;

const FORMAT: &str = "rebound-journal-base";

/// What the journal holds at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Base {
    /// Every cycle, in id order.
    pub cycles: Vec<Cycle>,
    /// Every check-in by day.
    pub checkins: BTreeMap<NaiveDate, [u8; 6]>,
    /// Every preference that travels with the journal, by key.
    pub prefs: BTreeMap<String, Value>,
}

#[derive(Serialize, Deserialize)]
struct Checkin {
    day: NaiveDate,
    answers: [u8; 6],
}

#[derive(Serialize, Deserialize)]
struct Document {
    format: String,
    epoch: u64,
    made_at: String,
    cycles: Vec<Value>,
    checkins: Vec<Checkin>,
    prefs: BTreeMap<String, Value>,
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Write `base` as the base of `epoch` at `path`, atomically and durably.
pub fn write(path: &Path, epoch: u64, base: &Base, now: DateTime<Utc>) -> Result<()> {
    let encode =
        |e: serde_json::Error| Error::Storage(format!("could not encode the journal's base: {e}"));
    let document = Document {
        format: FORMAT.to_string(),
        epoch,
        made_at: format_timestamp(&now),
        cycles: base
            .cycles
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<_, _>>()
            .map_err(encode)?,
        checkins: base
            .checkins
            .iter()
            .map(|(day, answers)| Checkin {
                day: *day,
                answers: *answers,
            })
            .collect(),
        prefs: base.prefs.clone(),
    };
    let json = serde_json::to_string(&document).map_err(encode)?;
    let text = format!("{} {json}\n", hex(json.as_bytes()));
    write_atomic(path, text.as_bytes())
}

/// Read the base at `path`, checking it whole. The epoch it names must be `epoch`.
pub fn read(path: &Path, epoch: u64) -> Result<Base> {
    let shown = path.display().to_string();
    let damaged = |why: &str| Error::Corrupt(format!("the journal's base {shown} {why}"));
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(format!("could not read {shown}"), e))?;
    let (sum, json) = text
        .trim_end()
        .split_once(' ')
        .ok_or_else(|| damaged("is cut short"))?;
    if hex(json.as_bytes()) != sum {
        return Err(damaged("does not match its checksum"));
    }
    let document: Document =
        serde_json::from_str(json).map_err(|_| damaged("is not a journal base"))?;
    if document.format != FORMAT || document.epoch != epoch {
        return Err(damaged("belongs to another epoch"));
    }
    let cycles = document
        .cycles
        .into_iter()
        .map(|c| Cycle::from_json(c, NaiveDate::MAX))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| damaged("holds a cycle that does not read"))?;
    Ok(Base {
        cycles,
        checkins: document
            .checkins
            .into_iter()
            .map(|c| (c.day, c.answers))
            .collect(),
        prefs: document.prefs,
    })
}
