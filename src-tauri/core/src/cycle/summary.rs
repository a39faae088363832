//! The facts about a cycle that Today, the evidence and the weekly review's plan work
//! from: its id, times, area, outcome and effort, which parts of its reflection are
//! written, and what it tests. `CycleSummary` holds only those (no text the person
//! wrote), so the store can keep one per cycle beside the cycle and the window can draw
//! Today without decoding every whole cycle. `Facts` is what both a whole `Cycle` and a
//! `CycleSummary` answer, so the same functions work on either and always agree.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{Cycle, CycleId, Outcome, TestResult, GENUINE_EFFORT};

/// What Today, the evidence and a plan's status read of a cycle.
pub trait Facts {
    fn id(&self) -> CycleId;
    fn created_at(&self) -> DateTime<Utc>;
    fn attempted_on(&self) -> NaiveDate;
    /// The area as stored (its one spelling).
    fn area(&self) -> &str;
    fn outcome(&self) -> Outcome;
    fn effort(&self) -> u8;
    fn has_observation(&self) -> bool;
    fn has_in_my_control(&self) -> bool;
    fn has_external(&self) -> bool;
    fn has_adjustment(&self) -> bool;
    fn tests_cycle(&self) -> Option<CycleId>;
    fn result(&self) -> Option<TestResult>;

    /// Whether this is a genuine attempt: effort of at least `GENUINE_EFFORT`.
    fn is_genuine(&self) -> bool {
        self.effort() >= GENUINE_EFFORT
    }
}

impl Facts for Cycle {
    fn id(&self) -> CycleId {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    fn attempted_on(&self) -> NaiveDate {
        self.fields.attempted_on
    }
    fn area(&self) -> &str {
        &self.fields.area
    }
    fn outcome(&self) -> Outcome {
        self.fields.outcome
    }
    fn effort(&self) -> u8 {
        self.fields.effort
    }
    fn has_observation(&self) -> bool {
        self.fields.observation.is_some()
    }
    fn has_in_my_control(&self) -> bool {
        self.fields.in_my_control.is_some()
    }
    fn has_external(&self) -> bool {
        self.fields.external.is_some()
    }
    fn has_adjustment(&self) -> bool {
        self.fields.adjustment.is_some()
    }
    fn tests_cycle(&self) -> Option<CycleId> {
        self.fields.tests_cycle
    }
    fn result(&self) -> Option<TestResult> {
        self.fields.result
    }
}

/// The facts of one cycle, without its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleSummary {
    pub id: CycleId,
    pub created_at: DateTime<Utc>,
    pub attempted_on: NaiveDate,
    /// Shared: the summaries of one area hold one copy of its name.
    pub area: Arc<str>,
    pub outcome: Outcome,
    pub effort: u8,
    pub observation: bool,
    pub in_my_control: bool,
    pub external: bool,
    pub adjustment: bool,
    pub tests_cycle: Option<CycleId>,
    pub result: Option<TestResult>,
}

impl From<&Cycle> for CycleSummary {
    fn from(c: &Cycle) -> CycleSummary {
        let f = &c.fields;
        CycleSummary {
            id: c.id,
            created_at: c.created_at,
            attempted_on: f.attempted_on,
            area: Arc::from(f.area.as_str()),
            outcome: f.outcome,
            effort: f.effort,
            observation: f.observation.is_some(),
            in_my_control: f.in_my_control.is_some(),
            external: f.external.is_some(),
            adjustment: f.adjustment.is_some(),
            tests_cycle: f.tests_cycle,
            result: f.result,
        }
    }
}

impl Facts for CycleSummary {
    fn id(&self) -> CycleId {
        self.id
    }
    fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    fn attempted_on(&self) -> NaiveDate {
        self.attempted_on
    }
    fn area(&self) -> &str {
        &self.area
    }
    fn outcome(&self) -> Outcome {
        self.outcome
    }
    fn effort(&self) -> u8 {
        self.effort
    }
    fn has_observation(&self) -> bool {
        self.observation
    }
    fn has_in_my_control(&self) -> bool {
        self.in_my_control
    }
    fn has_external(&self) -> bool {
        self.external
    }
    fn has_adjustment(&self) -> bool {
        self.adjustment
    }
    fn tests_cycle(&self) -> Option<CycleId> {
        self.tests_cycle
    }
    fn result(&self) -> Option<TestResult> {
        self.result
    }
}
