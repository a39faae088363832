//! How a cycle is written into the `cycles` tree: a one-byte layout version, then the
//! layout's bytes. Decoding matches on the version, one arm per layout ever written,
//! and refuses versions from the future instead of guessing.
//!
//! Layout 1 is JSON: easy to inspect, and the same words as the backup file.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::cycle::{Applied, Cycle, CycleFields, CycleId, Outcome, TestResult};
use crate::error::{Error, Result};

/// The layout new values are written in.
pub const LAYOUT_CURRENT: u8 = 2;

/// Layout 1 (Rebound 0.1). Never change this struct: it is how old values read.
#[derive(Deserialize)]
struct CycleV1 {
    id: uuid::Uuid,
    area: String,
    attempted_on: NaiveDate,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    attempt: String,
    outcome: Outcome,
    difficulty: u8,
    stakes: u8,
    effort: u8,
    safety: u8,
    stress: Option<u8>,
    identity: Option<u8>,
    reframe: Option<String>,
    observation: Option<String>,
    in_my_control: Option<String>,
    external: Option<String>,
    adjustment: Option<String>,
    check: Option<String>,
}

/// Layout 2: layout 1 plus the prediction and the carried-forward adjustment.
/// Never change this struct: add `CycleV3` and a new version byte instead.
#[derive(Deserialize)]
struct CycleV2 {
    id: uuid::Uuid,
    area: String,
    attempted_on: NaiveDate,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    attempt: String,
    predicted_success: Option<u8>,
    outcome: Outcome,
    difficulty: u8,
    stakes: u8,
    effort: u8,
    safety: u8,
    stress: Option<u8>,
    identity: Option<u8>,
    reframe: Option<String>,
    observation: Option<String>,
    in_my_control: Option<String>,
    external: Option<String>,
    adjustment: Option<String>,
    check: Option<String>,
    tests_cycle: Option<uuid::Uuid>,
    applied: Option<Applied>,
    result: Option<TestResult>,
}

/// Layout 2 as it is written, borrowing the cycle's fields: the same JSON as
/// [`CycleV2`], field for field (a test pins the bytes).
#[derive(Serialize)]
struct CycleV2Out<'a> {
    id: uuid::Uuid,
    area: &'a str,
    attempted_on: NaiveDate,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    attempt: &'a str,
    predicted_success: Option<u8>,
    outcome: Outcome,
    difficulty: u8,
    stakes: u8,
    effort: u8,
    safety: u8,
    stress: Option<u8>,
    identity: Option<u8>,
    reframe: Option<&'a str>,
    observation: Option<&'a str>,
    in_my_control: Option<&'a str>,
    external: Option<&'a str>,
    adjustment: Option<&'a str>,
    check: Option<&'a str>,
    tests_cycle: Option<uuid::Uuid>,
    applied: Option<Applied>,
    result: Option<TestResult>,
}

/// Encode a cycle in the current layout.
pub fn encode(cycle: &Cycle) -> Result<Vec<u8>> {
    let f = &cycle.fields;
    let v2 = CycleV2Out {
        id: uuid::Uuid::from_bytes(cycle.id.to_bytes()),
        area: &f.area,
        attempted_on: f.attempted_on,
        created_at: cycle.created_at,
        updated_at: cycle.updated_at,
        attempt: &f.attempt,
        predicted_success: f.predicted_success,
        outcome: f.outcome,
        difficulty: f.difficulty,
        stakes: f.stakes,
        effort: f.effort,
        safety: f.safety,
        stress: f.stress,
        identity: f.identity,
        reframe: f.reframe.as_deref(),
        observation: f.observation.as_deref(),
        in_my_control: f.in_my_control.as_deref(),
        external: f.external.as_deref(),
        adjustment: f.adjustment.as_deref(),
        check: f.check.as_deref(),
        tests_cycle: f
            .tests_cycle
            .map(|id| uuid::Uuid::from_bytes(id.to_bytes())),
        applied: f.applied,
        result: f.result,
    };
    let mut bytes = Vec::with_capacity(1024);
    bytes.push(LAYOUT_CURRENT);
    serde_json::to_writer(&mut bytes, &v2)
        .map_err(|e| Error::Storage(format!("could not encode a cycle: {e}")))?;
    Ok(bytes)
}

/// A stored value as the JSON `serde_json` writes for its [`Cycle`] (the public JSON,
/// as a backup holds it). Layout 2 is that JSON already, field for field and byte for
/// byte (a test holds them together), so such a value is handed back as it is stored;
/// other layouts are decoded and encoded.
pub fn public_json(bytes: &[u8]) -> Result<Cow<'_, [u8]>> {
    match bytes.split_first() {
        Some((2, body)) if body.starts_with(b"{") && body.ends_with(b"}") => {
            Ok(Cow::Borrowed(body))
        }
        _ => serde_json::to_vec(&decode(bytes)?)
            .map(Cow::Owned)
            .map_err(|e| Error::Storage(format!("could not encode a cycle: {e}"))),
    }
}

/// The JSON of a stored value written in a layout that is JSON (1 and 2), whose text
/// fields stand in it as JSON strings; `None` for any other.
pub fn json_of(bytes: &[u8]) -> Option<&[u8]> {
    match bytes.split_first() {
        Some((1 | 2, body)) => Some(body),
        _ => None,
    }
}

fn parse<'a, T: Deserialize<'a>>(layout: u8, body: &'a [u8]) -> Result<T> {
    serde_json::from_slice(body)
        .map_err(|e| Error::Corrupt(format!("a cycle in layout {layout} does not parse: {e}")))
}

fn id_of(uuid: uuid::Uuid) -> CycleId {
    CycleId::from_bytes(*uuid.as_bytes())
}

/// Decode a stored value, whatever layout it was written in.
pub fn decode(bytes: &[u8]) -> Result<Cycle> {
    match bytes.split_first() {
        Some((1, body)) => {
            let v1: CycleV1 = parse(1, body)?;
            Ok(Cycle {
                id: id_of(v1.id),
                created_at: v1.created_at,
                updated_at: v1.updated_at,
                fields: CycleFields {
                    area: v1.area,
                    attempted_on: v1.attempted_on,
                    attempt: v1.attempt,
                    outcome: v1.outcome,
                    difficulty: v1.difficulty,
                    stakes: v1.stakes,
                    effort: v1.effort,
                    safety: v1.safety,
                    stress: v1.stress,
                    identity: v1.identity,
                    reframe: v1.reframe,
                    observation: v1.observation,
                    in_my_control: v1.in_my_control,
                    external: v1.external,
                    adjustment: v1.adjustment,
                    check: v1.check,
                    predicted_success: None,
                    tests_cycle: None,
                    applied: None,
                    result: None,
                },
            })
        }
        Some((2, body)) => {
            let v2: CycleV2 = parse(2, body)?;
            Ok(Cycle {
                id: id_of(v2.id),
                created_at: v2.created_at,
                updated_at: v2.updated_at,
                fields: CycleFields {
                    area: v2.area,
                    attempted_on: v2.attempted_on,
                    attempt: v2.attempt,
                    outcome: v2.outcome,
                    difficulty: v2.difficulty,
                    stakes: v2.stakes,
                    effort: v2.effort,
                    safety: v2.safety,
                    stress: v2.stress,
                    identity: v2.identity,
                    reframe: v2.reframe,
                    observation: v2.observation,
                    in_my_control: v2.in_my_control,
                    external: v2.external,
                    adjustment: v2.adjustment,
                    check: v2.check,
                    predicted_success: v2.predicted_success,
                    tests_cycle: v2.tests_cycle.map(id_of),
                    applied: v2.applied,
                    result: v2.result,
                },
            })
        }
        Some((layout, _)) => Err(Error::Corrupt(format!(
            "a cycle is stored in layout {layout}, which this Rebound does not know; update Rebound"
        ))),
        None => Err(Error::Corrupt("a stored cycle is empty".to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_one_values_still_read() {
        let json = r#"{"id":"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b","area":"pitches","attempted_on":"2026-11-27","created_at":"2026-11-27T09:30:00Z","updated_at":"2026-11-27T09:30:00Z","attempt":"pitch","outcome":"failure","difficulty":6,"stakes":3,"effort":4,"safety":3,"stress":7,"identity":null,"reframe":null,"observation":null,"in_my_control":null,"external":null,"adjustment":null,"check":null}"#;
        let mut stored = vec![1u8];
        stored.extend_from_slice(json.as_bytes());
        let cycle = decode(&stored).unwrap();
        assert_eq!(cycle.fields.outcome, Outcome::Failure);
        assert_eq!(cycle.fields.stress, Some(7));
        assert_eq!(cycle.fields.predicted_success, None);
        assert_eq!(cycle.fields.tests_cycle, None);
    }

    #[test]
    fn layout_two_bytes_are_pinned() {
        let json = r#"{"id":"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b","area":"pitches","attempted_on":"2026-11-27","created_at":"2026-11-27T09:30:00Z","updated_at":"2026-11-27T09:30:00Z","attempt":"pitch","predicted_success":30,"outcome":"success","difficulty":6,"stakes":3,"effort":4,"safety":3,"stress":null,"identity":null,"reframe":null,"observation":null,"in_my_control":null,"external":null,"adjustment":null,"check":null,"tests_cycle":"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5a","applied":"partly","result":"better"}"#;
        let mut stored = vec![2u8];
        stored.extend_from_slice(json.as_bytes());
        let cycle = decode(&stored).unwrap();
        assert_eq!(cycle.fields.predicted_success, Some(30));
        assert_eq!(cycle.fields.applied, Some(Applied::Partly));
        assert_eq!(cycle.fields.result, Some(TestResult::Better));
        assert_eq!(
            encode(&cycle).unwrap(),
            stored,
            "layout 2 must encode byte for byte"
        );
    }

    #[test]
    fn layout_two_is_the_public_json_of_the_cycle() {
        let json = r#"{"id":"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b","area":"pitches \"Q4\"","attempted_on":"1900-01-01","created_at":"2026-11-27T09:30:00.123456789Z","updated_at":"2026-11-27T09:30:00.500Z","attempt":"pitch\nline \\ two \u0001 naïve  ","predicted_success":30,"outcome":"success","difficulty":6,"stakes":3,"effort":4,"safety":3,"stress":0,"identity":10,"reframe":"","observation":"€ 😀","in_my_control":null,"external":null,"adjustment":null,"check":null,"tests_cycle":"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5a","applied":"partly","result":"better"}"#;
        let mut stored = vec![2u8];
        stored.extend_from_slice(json.as_bytes());
        let cycle = decode(&stored).unwrap();
        assert_eq!(encode(&cycle).unwrap(), stored);
        let public = serde_json::to_vec(&cycle).unwrap();
        assert_eq!(public_json(&stored).unwrap().as_ref(), public.as_slice());
        assert!(matches!(public_json(&stored).unwrap(), Cow::Borrowed(_)));
        let now = Utc::now();
        let mut fresh = Cycle::new(cycle.fields.clone(), now);
        fresh.fields.attempted_on = NaiveDate::from_ymd_opt(2026, 2, 3).unwrap();
        let stored = encode(&fresh).unwrap();
        let public = serde_json::to_vec(&fresh).unwrap();
        assert_eq!(public_json(&stored).unwrap().as_ref(), public.as_slice());
        // Layout 1 is encoded anew, as a cycle.
        let v1 = br#"{"id":"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b","area":"pitches","attempted_on":"2026-11-27","created_at":"2026-11-27T09:30:00Z","updated_at":"2026-11-27T09:30:00Z","attempt":"pitch","outcome":"failure","difficulty":6,"stakes":3,"effort":4,"safety":3,"stress":7,"identity":null,"reframe":null,"observation":null,"in_my_control":null,"external":null,"adjustment":null,"check":null}"#;
        let old = [&[1u8][..], v1].concat();
        let public = serde_json::to_vec(&decode(&old).unwrap()).unwrap();
        assert_eq!(public_json(&old).unwrap().as_ref(), public.as_slice());
    }

    #[test]
    fn an_unknown_layout_is_refused_not_guessed() {
        let err = decode(&[9, b'{', b'}']).unwrap_err();
        assert!(err.to_string().contains("layout 9"), "{err}");
        assert!(decode(&[]).is_err());
    }
}
