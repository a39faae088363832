//! The segment: what one `seg-NNNNNNNN.age` file holds once decrypted. One JSON document:
//!
//! ```text
//! {"format": "rebound-sync-segment", "version": 1,
//!  "device": "0193…(32 hex)", "name": "laptop", "seq": 7, "covers": [7, 7],
//!  "made_at": "2026-11-27T09:30:00Z",
//!  "batches": [{"seg": 7, "seen": {"0193…": [[1, 6]], "01a2…": [[1, 3]]},
//!               "ops": [{"i": 0, "hlc": [1795771800000, 0], "kind": "cycle",
//!                        "cycle": "0193…", "updated_at": "…", "set": {"observation": "…"}},
//!                       {"i": 1, "hlc": […], "kind": "delete", "cycle": "…"},
//!                       {"i": 2, "hlc": […], "kind": "checkin", "day": "2026-11-27", "answers": [4, 2, 4, 2, 4, 2]},
//!                       {"i": 3, "hlc": […], "kind": "pref", "key": "archived_areas", "item": "running", "value": true}]}]}
//! ```
//!
//! A batch is the changes one computer found in one sync (`seg`), with what it had read of
//! every computer's segments when it made them (`seen`, its own earlier ones included):
//! that is how a merge tells "changed after seeing that" from "changed at the same time".
//! An op is known everywhere by (device, seg, i). A normal segment holds one batch and
//! covers its own number; a checkpoint (compaction) holds every op of the device still in
//! effect and covers `[1, seq]`.
//!
//! Invariant: never change what a shipped field means; a new kind of change is a new
//! `kind`, and a segment another Rebound cannot read whole gets a higher `version`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::hlc::Hlc;
use super::ranges::Ranges;

/// The `format` of a segment.
pub const SEGMENT_FORMAT: &str = "rebound-sync-segment";
/// The version this Rebound writes and the newest it reads.
pub const SEGMENT_VERSION: u32 = 1;

/// One segment file's content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub format: String,
    pub version: u32,
    /// The computer that wrote it.
    pub device: String,
    /// That computer's name, as the person knows it (its host name).
    pub name: String,
    /// Its number among that computer's segments, from 1.
    pub seq: u64,
    /// The writer's own segment numbers whose changes it holds: `[seq, seq]`, or
    /// `[1, seq]` for a checkpoint.
    pub covers: (u64, u64),
    pub made_at: DateTime<Utc>,
    pub batches: Vec<Batch>,
}

/// The changes one computer found in one sync.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// The number of the segment these changes were first written in.
    pub seg: u64,
    /// What the writer had read of each computer's segments (its own included).
    pub seen: BTreeMap<String, Ranges>,
    pub ops: Vec<Op>,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Op {
    /// Its index in its batch: (device, seg, i) names it everywhere.
    pub i: u32,
    pub hlc: Hlc,
    #[serde(flatten)]
    pub body: Body,
}

/// What a change does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// These fields of a cycle now hold these values (a new cycle sets every field and
    /// `created_at`); `updated_at` is the cycle's on the computer that changed it.
    Cycle {
        cycle: String,
        updated_at: DateTime<Utc>,
        set: BTreeMap<String, Value>,
    },
    /// The cycle is deleted (a tombstone).
    Delete { cycle: String },
    /// The resilience check-in of a day.
    Checkin { day: NaiveDate, answers: [u8; 6] },
    /// A preference: its whole value, or (`item`) whether one name is in a list of
    /// names, such as the archived areas (`true` or `false`), or one entry of a map,
    /// such as an area's guide in `area_guides` (its value, or `null` once removed).
    Pref {
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<String>,
        value: Value,
    },
}

/// Whether `id` can be a device id: 32 lowercase hex digits (it names a folder).
pub fn is_device_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Read a segment's decrypted bytes, checking that it is whole and makes sense. The
/// error says what is wrong, for "… was refused: <why>".
pub fn parse(bytes: &[u8]) -> Result<Segment, String> {
    let head: Value = serde_json::from_slice(bytes)
        .map_err(|_| "it is not a Rebound sync segment".to_string())?;
    if head.get("format").and_then(Value::as_str) != Some(SEGMENT_FORMAT) {
        return Err("it is not a Rebound sync segment".into());
    }
    let version = head.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version > u64::from(SEGMENT_VERSION) {
        return Err(format!(
            "it was written by a newer Rebound (segment version {version}); update Rebound on \
             this computer to read it"
        ));
    }
    let segment: Segment =
        serde_json::from_value(head).map_err(|e| format!("it does not read as a segment ({e})"))?;
    if !is_device_id(&segment.device) {
        return Err("it names no valid device".into());
    }
    let (first, last) = segment.covers;
    if segment.seq == 0 || first == 0 || first > last || last != segment.seq {
        return Err("its numbers do not add up".into());
    }
    for batch in &segment.batches {
        if batch.seg < first || batch.seg > last {
            return Err("it holds changes outside what it covers".into());
        }
        if batch.seen.keys().any(|d| !is_device_id(d)) {
            return Err("it names an invalid device".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        if !batch.ops.iter().all(|op| seen.insert(op.i)) {
            return Err("two of its changes have the same number".into());
        }
    }
    Ok(segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Segment {
        let device = "0123456789abcdef0123456789abcdef".to_string();
        Segment {
            format: SEGMENT_FORMAT.into(),
            version: SEGMENT_VERSION,
            device: device.clone(),
            name: "laptop".into(),
            seq: 2,
            covers: (2, 2),
            made_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default(),
            batches: vec![Batch {
                seg: 2,
                seen: BTreeMap::from([(device, Ranges::from(vec![(1, 1)]))]),
                ops: vec![Op {
                    i: 0,
                    hlc: Hlc(1_800_000_000_000, 0),
                    body: Body::Pref {
                        key: "archived_areas".into(),
                        item: Some("running".into()),
                        value: Value::Bool(true),
                    },
                }],
            }],
        }
    }

    #[test]
    fn a_segment_reads_back_and_a_strange_one_is_refused_by_what_is_wrong() {
        let segment = sample();
        let bytes = serde_json::to_vec(&segment).unwrap();
        assert_eq!(parse(&bytes).unwrap(), segment);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(r#""kind":"pref""#), "{text}");
        let newer = text.replace(r#""version":1"#, r#""version":9"#);
        assert!(parse(newer.as_bytes())
            .unwrap_err()
            .contains("newer Rebound"));
        let outside = text.replace(r#""seg":2"#, r#""seg":5"#);
        assert!(parse(outside.as_bytes()).is_err());
        assert!(parse(b"{\"format\": \"rebound-backup\"}").is_err());
    }
}
