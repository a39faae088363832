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

pub(super) const FORMAT: &str = "rebound-journal-base";

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
pub(super) struct Checkin {
    pub(super) day: NaiveDate,
    pub(super) answers: [u8; 6],
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
    write_streamed(path, epoch, now, &base.checkins, &base.prefs, |each| {
        base.cycles.iter().try_for_each(each)
    })
}

/// Write the base of `epoch` at `path` like [`write`], but with its cycles handed over
/// one at a time by `cycles` (in id order) instead of held all at once: a compaction
/// after a batch of hundreds of thousands of cycles stays in bounded memory. The
/// checksum comes first in the file, so it is written last, over a placeholder.
pub fn write_streamed(
    path: &Path,
    epoch: u64,
    now: DateTime<Utc>,
    checkins: &BTreeMap<NaiveDate, [u8; 6]>,
    prefs: &BTreeMap<String, Value>,
    cycles: impl FnOnce(&mut dyn FnMut(&Cycle) -> Result<()>) -> Result<()>,
) -> Result<()> {
    use std::io::{Seek, SeekFrom, Write};

    struct Hashing<W> {
        out: W,
        hash: Sha256,
    }
    impl<W: Write> Write for Hashing<W> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let n = self.out.write(bytes)?;
            self.hash.update(&bytes[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.out.flush()
        }
    }

    let shown = path.display().to_string();
    let io = |e: std::io::Error| Error::io(format!("could not write {shown}"), e);
    let encode =
        |e: serde_json::Error| Error::Storage(format!("could not encode the journal's base: {e}"));
    let dir = crate::files::parent_folder(path);
    let mut file = tempfile::Builder::new()
        .prefix(".rebound-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(io)?;
    crate::files::make_private(file.path()).map_err(io)?;
    let placeholder = [b'0'; 65];
    let sum = {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file.as_file_mut());
        out.write_all(&placeholder).map_err(io)?;
        let mut w = Hashing {
            out,
            hash: Sha256::new(),
        };
        write!(
            w,
            "{{\"format\":\"{FORMAT}\",\"epoch\":{epoch},\"made_at\":\"{}\",\"cycles\":[",
            format_timestamp(&now)
        )
        .map_err(io)?;
        let mut first = true;
        cycles(&mut |cycle| {
            if !first {
                w.write_all(b",").map_err(io)?;
            }
            first = false;
            serde_json::to_writer(&mut w, cycle).map_err(encode)
        })?;
        let checkins: Vec<Checkin> = checkins
            .iter()
            .map(|(day, answers)| Checkin {
                day: *day,
                answers: *answers,
            })
            .collect();
        w.write_all(b"],\"checkins\":").map_err(io)?;
        serde_json::to_writer(&mut w, &checkins).map_err(encode)?;
        w.write_all(b",\"prefs\":").map_err(io)?;
        serde_json::to_writer(&mut w, prefs).map_err(encode)?;
        w.write_all(b"}").map_err(io)?;
        let Hashing { mut out, hash } = w;
        out.write_all(b"\n")
            .and_then(|()| out.flush())
            .map_err(io)?;
        hash.finalize()
    };
    let hex: String = sum.iter().map(|b| format!("{b:02x}")).collect();
    let f = file.as_file_mut();
    f.seek(SeekFrom::Start(0))
        .and_then(|_| f.write_all(format!("{hex} ").as_bytes()))
        .and_then(|()| f.sync_all())
        .map_err(io)?;
    file.persist(path).map_err(|e| io(e.error))?;
    crate::files::sync_folder(&dir)
        .map_err(|e| Error::io(format!("could not sync the folder of {shown}"), e))
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
