//! Brief Resilience Scale check-ins, in their own tree `checkins`: key the day
//! (`YYYY-MM-DD`, so keys sort by date; one check-in a day, a later one replaces it),
//! value a layout byte (1) then JSON `{"answers": [six whole numbers 1–5]}`. The score
//! is computed when read, never stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::engine::Handles;
use super::{storage, Store};
use crate::checkin::{brs_score, BrsCheckin};
use crate::error::{Error, Result};
use crate::journal::Change;

const LAYOUT: u8 = 1;

#[derive(Serialize, Deserialize)]
struct Stored {
    answers: [u8; 6],
}

impl Store {
    /// Store a check-in for `day` (replacing one already made that day), durably.
    pub fn put_checkin(&self, day: NaiveDate, answers: [u8; 6]) -> Result<BrsCheckin> {
        let score = brs_score(answers).map_err(Error::Usage)?;
        self.record(Change::PutCheckin { day, answers }, || {
            insert(self.t(), day, answers)
        })?;
        Ok(BrsCheckin {
            day,
            answers,
            score,
        })
    }

    /// Store a check-in without recording it (a replay of the journal).
    pub(super) fn insert_checkin(&self, day: NaiveDate, answers: [u8; 6]) -> Result<()> {
        insert(self.t(), day, answers)
    }

    /// Every check-in, oldest first.
    pub fn checkins(&self) -> Result<Vec<BrsCheckin>> {
        read_all(self.t())
    }
}

/// Write one check-in into sled.
pub(super) fn insert(t: &Handles, day: NaiveDate, answers: [u8; 6]) -> Result<()> {
    let mut value = vec![LAYOUT];
    serde_json::to_writer(&mut value, &Stored { answers })
        .map_err(|e| Error::Storage(format!("could not encode a check-in: {e}")))?;
    t.checkins
        .insert(day.format("%Y-%m-%d").to_string().as_bytes(), value)
        .map(|_| ())
        .map_err(storage)
}

/// Every check-in in the sled of `t`, oldest first.
pub(super) fn read_all(t: &Handles) -> Result<Vec<BrsCheckin>> {
    let mut out = Vec::new();
    for entry in t.checkins.iter() {
        let (key, value) = entry.map_err(storage)?;
        let bad = || Error::Corrupt("a resilience check-in is unreadable".into());
        let day = std::str::from_utf8(&key)
            .ok()
            .and_then(|k| NaiveDate::parse_from_str(k, "%Y-%m-%d").ok())
            .ok_or_else(bad)?;
        let stored: Stored = match value.split_first() {
            Some((&LAYOUT, json)) => serde_json::from_slice(json).map_err(|_| bad())?,
            _ => return Err(bad()),
        };
        let score = brs_score(stored.answers).map_err(|_| bad())?;
        out.push(BrsCheckin {
            day,
            answers: stored.answers,
            score,
        });
    }
    Ok(out)
}
