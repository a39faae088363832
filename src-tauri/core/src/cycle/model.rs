//! The cycle as Rebound holds it once checked: the answers a person may give (`Outcome`,
//! `Applied`, `TestResult`), the id, the fields, the stored cycle and its derived
//! stages, and the public JSON a cycle is written as.
//!
//! Only checked values live here: reading untrusted input is check.rs's job, and the
//! list of fields with their rules is fields.rs's. Nothing of storage, Tauri or the
//! command line.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

use super::fields::FIELD_NAMES;
use crate::error::Error;

/// Effort at or above this marks a genuine attempt ("did I really try to win?").
/// Half-hearted attempts are kept but left out of the evidence: noise, not signal.
pub const GENUINE_EFFORT: u8 = 3;

/// How an attempt turned out. `Pending` means the attempt is logged and the result is
/// not known yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Partial,
    Failure,
    Pending,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Success,
        Outcome::Partial,
        Outcome::Failure,
        Outcome::Pending,
    ];

    /// Return the public name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Partial => "partial",
            Outcome::Failure => "failure",
            Outcome::Pending => "pending",
        }
    }

    /// Whether this outcome is a setback the method learns from (a failure or a partial).
    pub fn is_setback(self) -> bool {
        matches!(self, Outcome::Failure | Outcome::Partial)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s).ok_or(())
    }
}

/// Whether the adjustment a cycle tests was carried out in this attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applied {
    Yes,
    Partly,
    No,
}

impl Applied {
    pub const ALL: [Applied; 3] = [Applied::Yes, Applied::Partly, Applied::No];

    /// Return the public name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Applied::Yes => "yes",
            Applied::Partly => "partly",
            Applied::No => "no",
        }
    }
}

/// What happened when an earlier adjustment was tried: compared with the attempt it
/// came from, did things go better?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestResult {
    Better,
    Same,
    Worse,
    Unclear,
}

impl TestResult {
    pub const ALL: [TestResult; 4] = [
        TestResult::Better,
        TestResult::Same,
        TestResult::Worse,
        TestResult::Unclear,
    ];

    /// Return the public name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            TestResult::Better => "better",
            TestResult::Same => "same",
            TestResult::Worse => "worse",
            TestResult::Unclear => "unclear",
        }
    }
}

/// A cycle's id: a UUIDv7, so ids sort by creation time and stay unique across
/// databases (two people's backups never collide).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CycleId(Uuid);

impl CycleId {
    /// Make a new id for a cycle created now.
    pub fn generate() -> CycleId {
        CycleId(Uuid::now_v7())
    }

    /// Rebuild an id from its 16 stored bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> CycleId {
        CycleId(Uuid::from_bytes(bytes))
    }

    /// Return the 16 bytes; their order is the id's time order.
    pub fn to_bytes(self) -> [u8; 16] {
        *self.0.as_bytes()
    }
}

impl fmt::Display for CycleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for CycleId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim())
            .map(CycleId)
            .map_err(|_| Error::InvalidId(s.to_string()))
    }
}

impl Serialize for CycleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What a person writes into a cycle, already checked. Everything after the attempt
/// may be empty and filled in later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleFields {
    /// The field of practice, e.g. "client pitches". One line, trimmed.
    pub area: String,
    /// The day of the attempt.
    pub attempted_on: NaiveDate,
    /// What was attempted.
    pub attempt: String,
    pub outcome: Outcome,
    /// 1–10: how far past my track record this was.
    pub difficulty: u8,
    /// 1–5: what was at stake; 5 means not bounded.
    pub stakes: u8,
    /// 1–5: did I really try to win?
    pub effort: u8,
    /// 1–5: how psychologically safe the context was.
    pub safety: u8,
    /// 0–10: stress right after the outcome.
    pub stress: Option<u8>,
    /// 0–10: how much the outcome felt like a verdict on me.
    pub identity: Option<u8>,
    pub reframe: Option<String>,
    pub observation: Option<String>,
    pub in_my_control: Option<String>,
    pub external: Option<String>,
    pub adjustment: Option<String>,
    pub check: Option<String>,
    /// 0–100: how likely success looked before the attempt (the person's prediction).
    pub predicted_success: Option<u8>,
    /// The earlier cycle whose adjustment this attempt put to the test.
    pub tests_cycle: Option<CycleId>,
    /// Whether that adjustment was applied in this attempt.
    pub applied: Option<Applied>,
    /// How it went compared with the attempt the adjustment came from.
    pub result: Option<TestResult>,
}

impl CycleFields {
    /// Whether this is a genuine attempt: effort of at least `GENUINE_EFFORT`.
    pub fn is_genuine(&self) -> bool {
        self.effort >= GENUINE_EFFORT
    }
}

/// A stored cycle: the person's fields plus the id and timestamps Rebound keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub id: CycleId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub fields: CycleFields,
}

/// Which of the loop's four stages a cycle has filled in. Derived, never stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Stages {
    pub attempt: bool,
    pub observe: bool,
    pub extract: bool,
    pub adjust: bool,
}

impl Cycle {
    /// Return a new cycle made now from checked fields.
    pub fn new(fields: CycleFields, now: DateTime<Utc>) -> Cycle {
        Cycle::with_id(CycleId::generate(), fields, now)
    }

    /// A new cycle made at `now` under an id already generated (a batch gives out its
    /// ids in the order of its input, whichever thread then makes each cycle).
    pub fn with_id(id: CycleId, fields: CycleFields, now: DateTime<Utc>) -> Cycle {
        Cycle {
            id,
            created_at: now,
            updated_at: now,
            fields,
        }
    }

    /// Return which stages of the loop are done. The attempt is done once logged;
    /// observing needs a known outcome and an observation; extracting needs either
    /// side of the extraction; adjusting needs an adjustment.
    pub fn stages(&self) -> Stages {
        let f = &self.fields;
        Stages {
            attempt: true,
            observe: f.outcome != Outcome::Pending && f.observation.is_some(),
            extract: f.in_my_control.is_some() || f.external.is_some(),
            adjust: f.adjustment.is_some(),
        }
    }
}

/// Write a timestamp the way every Rebound file does: RFC 3339 in UTC, with as many
/// fractional digits as it has.
pub fn format_timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

impl Serialize for Cycle {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Field order is FIELD_NAMES (a test holds them together); optional fields are
        // written as null so the JSON always names every field (a backup describes itself).
        let f = &self.fields;
        let mut s = serializer.serialize_struct("Cycle", FIELD_NAMES.len())?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("area", &f.area)?;
        s.serialize_field(
            "attempted_on",
            &f.attempted_on.format("%Y-%m-%d").to_string(),
        )?;
        s.serialize_field("created_at", &format_timestamp(&self.created_at))?;
        s.serialize_field("updated_at", &format_timestamp(&self.updated_at))?;
        s.serialize_field("attempt", &f.attempt)?;
        s.serialize_field("predicted_success", &f.predicted_success)?;
        s.serialize_field("outcome", &f.outcome)?;
        s.serialize_field("difficulty", &f.difficulty)?;
        s.serialize_field("stakes", &f.stakes)?;
        s.serialize_field("effort", &f.effort)?;
        s.serialize_field("safety", &f.safety)?;
        s.serialize_field("stress", &f.stress)?;
        s.serialize_field("identity", &f.identity)?;
        s.serialize_field("reframe", &f.reframe)?;
        s.serialize_field("observation", &f.observation)?;
        s.serialize_field("in_my_control", &f.in_my_control)?;
        s.serialize_field("external", &f.external)?;
        s.serialize_field("adjustment", &f.adjustment)?;
        s.serialize_field("check", &f.check)?;
        s.serialize_field("tests_cycle", &f.tests_cycle)?;
        s.serialize_field("applied", &f.applied)?;
        s.serialize_field("result", &f.result)?;
        s.end()
    }
}

#[cfg(test)]
impl CycleFields {
    /// Fields for a test: an attempt in `area` on `on` with `outcome`, middling scales
    /// (difficulty 5, stakes 2, effort 4, safety 3) and nothing else filled in.
    pub(crate) fn sample(area: &str, on: NaiveDate, outcome: Outcome) -> CycleFields {
        CycleFields {
            area: area.into(),
            attempted_on: on,
            attempt: format!("{area} on {on}"),
            outcome,
            difficulty: 5,
            stakes: 2,
            effort: 4,
            safety: 3,
            stress: None,
            identity: None,
            reframe: None,
            observation: None,
            in_my_control: None,
            external: None,
            adjustment: None,
            check: None,
            predicted_success: None,
            tests_cycle: None,
            applied: None,
            result: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::CycleDraft;
    use serde_json::{json, Value};

    fn minimal() -> Value {
        json!({
            "area": "client pitches",
            "attempt": "Pitched a client above my usual rate",
            "difficulty": 6, "stakes": 3, "effort": 4, "safety": 3
        })
    }

    fn check(value: Value) -> CycleFields {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        CycleDraft::from_value(value)
            .and_then(|d| d.check(today))
            .unwrap()
    }

    #[test]
    fn a_cycle_serialises_with_every_public_field_in_order() {
        let fields = check(minimal());
        let at = DateTime::parse_from_rfc3339("2026-11-27T09:30:00.250Z")
            .unwrap()
            .to_utc();
        let cycle = Cycle::new(fields, at);
        let text = serde_json::to_string(&cycle).unwrap();
        let positions: Vec<usize> = FIELD_NAMES
            .iter()
            .map(|name| text.find(&format!("\"{name}\":")).expect(name))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value.as_object().unwrap().len(), FIELD_NAMES.len());
        assert_eq!(value["created_at"], "2026-11-27T09:30:00.250Z");
        assert_eq!(value["observation"], Value::Null);
    }

    #[test]
    fn stages_follow_what_is_filled_in() {
        let mut v = minimal();
        v["observation"] = json!("noticed");
        let pending = Cycle::new(check(v.clone()), Utc::now());
        assert_eq!(
            pending.stages(),
            Stages {
                attempt: true,
                observe: false,
                extract: false,
                adjust: false
            }
        );
        v["outcome"] = json!("partial");
        v["external"] = json!("the client's budget froze");
        v["adjustment"] = json!("ask about budget timing in the first call");
        let done = Cycle::new(check(v), Utc::now());
        assert_eq!(
            done.stages(),
            Stages {
                attempt: true,
                observe: true,
                extract: true,
                adjust: true
            }
        );
    }
}
