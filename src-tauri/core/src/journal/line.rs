//! One line of the recovery journal: a change, numbered, checksummed.
//!
//! ```text
//! 5f0c1a2b {"epoch":3,"seq":17,"at":"2026-11-27T09:30:00.000Z","change":{"op":"put_cycles","cycles":[…]}}
//! ```
//!
//! The first eight hex digits are the start of the SHA-256 of the JSON after the space.
//! A line that is cut short, or whose checksum does not match, is not a change: a write
//! the power cut interrupted before it was acknowledged, or damage. A change written as
//! several lines carries `"group": G` (the sequence number of its first line) on each,
//! and counts only once a `{"op": "commit"}` line with the same group follows.
//!
//! Invariant: never change what a shipped `op` means; a new kind of change is a new `op`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::cycle::{format_timestamp, Cycle, CycleId};

/// How many hex digits of the SHA-256 each line carries: plenty to tell a torn or
/// damaged line from a whole one.
const CHECKSUM_HEX: usize = 8;

/// One acknowledged change to the journal's data.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// These cycles, whole, as they now are (new, edited, renamed into another area, or
    /// put back): the public JSON of each.
    PutCycles(Vec<Cycle>),
    /// This cycle is gone.
    DeleteCycle(CycleId),
    /// The resilience check-in of a day (a later one the same day replaces it).
    PutCheckin { day: NaiveDate, answers: [u8; 6] },
    /// A preference that travels with the journal, as its JSON.
    SetPref { key: String, value: Value },
}

/// Where a change sits: the epoch (a new one starts at each restore or compaction, from
/// a base) and its number within it, from 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub epoch: u64,
    pub seq: u64,
}

/// A change read back from the journal, with where and when it was made.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub at: Position,
    pub when: DateTime<Utc>,
    pub change: Change,
}

/// The wire form of a change (the JSON after the checksum).
#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Wire {
    PutCycles {
        cycles: Vec<Value>,
    },
    DeleteCycle {
        id: String,
    },
    PutCheckin {
        day: NaiveDate,
        answers: [u8; 6],
    },
    SetPref {
        key: String,
        value: Value,
    },
    /// Closes a group: its lines count from here on.
    Commit,
}

#[derive(Serialize, Deserialize)]
struct Line {
    epoch: u64,
    seq: u64,
    at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group: Option<u64>,
    change: Wire,
}

/// A line read back.
pub enum Read {
    /// A change on a line of its own.
    Single(Entry),
    /// One line of a group, which counts only with its commit.
    Part { group: u64, entry: Entry },
    /// The end of a group.
    Commit { group: u64 },
}

fn checksum(json: &str) -> String {
    String::from_utf8_lossy(&checksum_hex(json.as_bytes())).into_owned()
}

/// The checksum of `json` in lowercase hex digits.
fn checksum_hex(json: &[u8]) -> [u8; CHECKSUM_HEX] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(json);
    let mut hex = [0u8; CHECKSUM_HEX];
    for (n, byte) in digest.iter().take(CHECKSUM_HEX / 2).enumerate() {
        hex[2 * n] = HEX[usize::from(byte >> 4)];
        hex[2 * n + 1] = HEX[usize::from(byte & 0xf)];
    }
    hex
}

/// The line (with its newline) recording `change` at `at`, made at `when`.
pub fn encode(at: Position, when: DateTime<Utc>, change: &Change) -> Result<String, String> {
    encode_line(at, when, None, change)
}

/// A line of the group that began at sequence number `group`.
pub fn encode_grouped(
    at: Position,
    when: DateTime<Utc>,
    change: &Change,
    group: u64,
) -> Result<String, String> {
    encode_line(at, when, Some(group), change)
}

/// [`encode_grouped`] of [`Change::PutCycles`], appended to `out`, from each cycle's
/// public JSON (what `serde_json` writes for a [`Cycle`]) instead of the cycles: the
/// same line, byte for byte, without encoding the cycles again or copying the line.
pub fn append_cycles_grouped(
    out: &mut Vec<u8>,
    at: Position,
    when: DateTime<Utc>,
    cycles: &[&[u8]],
    group: u64,
) -> Result<(), String> {
    let line = LineOut {
        epoch: at.epoch,
        seq: at.seq,
        at: format_timestamp(&when),
        group: Some(group),
        change: WireOut::PutCycles { cycles: &[] },
    };
    // Written without cycles, the line ends in the empty list and the two objects'
    // closing braces; the cycles go between the brackets, separated by commas.
    let empty = serde_json::to_string(&line).map_err(|e| e.to_string())?;
    let head = empty
        .strip_suffix("[]}}")
        .ok_or("a journal line without cycles has an unexpected end")?;
    let cycles_len: usize = cycles.iter().map(|c| c.len() + 1).sum();
    out.reserve(CHECKSUM_HEX + 1 + empty.len() + cycles_len + 1);
    let sum_at = out.len();
    out.extend_from_slice(&[b'0'; CHECKSUM_HEX]);
    out.push(b' ');
    let json_at = out.len();
    out.extend_from_slice(head.as_bytes());
    out.push(b'[');
    for (n, cycle) in cycles.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(cycle);
    }
    out.extend_from_slice(b"]}}");
    let sum = checksum_hex(&out[json_at..]);
    out[sum_at..sum_at + CHECKSUM_HEX].copy_from_slice(&sum);
    out.push(b'\n');
    Ok(())
}

/// The line that closes the group that began at `group`.
pub fn encode_commit(at: Position, when: DateTime<Utc>, group: u64) -> String {
    let line = Line {
        epoch: at.epoch,
        seq: at.seq,
        at: format_timestamp(&when),
        group: Some(group),
        change: Wire::Commit,
    };
    // A struct of numbers and strings always encodes.
    let json = serde_json::to_string(&line).unwrap_or_default();
    format!("{} {json}\n", checksum(&json))
}

/// The wire form of a change to write, borrowing its content (the same JSON as
/// [`Wire`], without first building a `Value` of every cycle).
#[derive(Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum WireOut<'a> {
    PutCycles { cycles: &'a [Cycle] },
    DeleteCycle { id: String },
    PutCheckin { day: NaiveDate, answers: [u8; 6] },
    SetPref { key: &'a str, value: &'a Value },
}

#[derive(Serialize)]
struct LineOut<'a> {
    epoch: u64,
    seq: u64,
    at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<u64>,
    change: WireOut<'a>,
}

fn encode_line(
    at: Position,
    when: DateTime<Utc>,
    group: Option<u64>,
    change: &Change,
) -> Result<String, String> {
    let wire = match change {
        Change::PutCycles(cycles) => WireOut::PutCycles { cycles },
        Change::DeleteCycle(id) => WireOut::DeleteCycle { id: id.to_string() },
        Change::PutCheckin { day, answers } => WireOut::PutCheckin {
            day: *day,
            answers: *answers,
        },
        Change::SetPref { key, value } => WireOut::SetPref { key, value },
    };
    let line = LineOut {
        epoch: at.epoch,
        seq: at.seq,
        at: format_timestamp(&when),
        group,
        change: wire,
    };
    let json = serde_json::to_string(&line).map_err(|e| e.to_string())?;
    Ok(format!("{} {json}\n", checksum(&json)))
}

/// The checked JSON of a line (without its newline), or `None` when it is torn or
/// damaged.
fn checked(text: &str) -> Option<Line> {
    let (sum, json) = text.split_once(' ')?;
    if sum.len() != CHECKSUM_HEX || checksum(json) != sum {
        return None;
    }
    serde_json::from_str(json).ok()
}

/// Where a whole line sits, without decoding its change (its checksum is checked all
/// the same; the change is skipped over, not built).
pub fn decode_position(text: &str) -> Option<Position> {
    #[derive(Deserialize)]
    struct Where {
        epoch: u64,
        seq: u64,
    }
    let (sum, json) = text.split_once(' ')?;
    if sum.len() != CHECKSUM_HEX || checksum(json) != sum {
        return None;
    }
    let at: Where = serde_json::from_str(json).ok()?;
    Some(Position {
        epoch: at.epoch,
        seq: at.seq,
    })
}

/// Read one line (without its newline). `None` when it is torn or damaged.
pub fn decode_any(text: &str) -> Option<Read> {
    let line = checked(text)?;
    let at = Position {
        epoch: line.epoch,
        seq: line.seq,
    };
    let when = DateTime::parse_from_rfc3339(&line.at).ok()?.to_utc();
    // Our own records: dates were checked when they were written, so any date reads.
    let latest = NaiveDate::MAX;
    let change = match line.change {
        Wire::Commit => return Some(Read::Commit { group: line.group? }),
        Wire::PutCycles { cycles } => Change::PutCycles(
            cycles
                .into_iter()
                .map(|c| Cycle::from_json(c, latest).ok())
                .collect::<Option<_>>()?,
        ),
        Wire::DeleteCycle { id } => Change::DeleteCycle(id.parse().ok()?),
        Wire::PutCheckin { day, answers } => Change::PutCheckin { day, answers },
        Wire::SetPref { key, value } => Change::SetPref { key, value },
    };
    let entry = Entry { at, when, change };
    Some(match line.group {
        Some(group) => Read::Part { group, entry },
        None => Read::Single(entry),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn a_line_reads_back_as_written_and_a_changed_byte_makes_it_unreadable() {
        let change = Change::SetPref {
            key: "reminder".into(),
            value: serde_json::json!({"enabled": true, "time": "19:30"}),
        };
        let at = Position { epoch: 2, seq: 9 };
        let line = encode(at, when(), &change).unwrap_or_default();
        assert!(line.ends_with('\n'));
        let Some(Read::Single(entry)) = decode_any(line.trim_end()) else {
            panic!("a whole line reads: {line}");
        };
        assert_eq!((entry.at, entry.change), (at, change));
        let damaged = line.trim_end().replace("19:30", "19:31");
        assert!(decode_any(&damaged).is_none());
        assert!(decode_any(&line[..line.len() / 2]).is_none(), "a torn line");
    }

    #[test]
    fn a_line_of_cycles_from_their_json_is_the_line_encoded_from_the_cycles() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default();
        let mut cycles: Vec<Cycle> = ["work", "say \"no\" \\ naïve\n"]
            .iter()
            .map(|area| {
                let fields =
                    crate::cycle::CycleFields::sample(area, day, crate::cycle::Outcome::Partial);
                Cycle::new(fields, when())
            })
            .collect();
        cycles[1].fields.observation = Some("€ and \u{1}".into());
        let at = Position { epoch: 3, seq: 17 };
        for n in 0..=cycles.len() {
            let change = Change::PutCycles(cycles[..n].to_vec());
            let expected = encode_grouped(at, when(), &change, 12).unwrap_or_default();
            let jsons: Vec<Vec<u8>> = cycles[..n]
                .iter()
                .map(|c| serde_json::to_vec(c).unwrap_or_default())
                .collect();
            let slices: Vec<&[u8]> = jsons.iter().map(Vec::as_slice).collect();
            let mut out = b"before\n".to_vec();
            append_cycles_grouped(&mut out, at, when(), &slices, 12).unwrap_or_default();
            assert_eq!(String::from_utf8_lossy(&out[7..]), expected);
        }
    }
}
