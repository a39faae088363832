//! What a person can do with their cycles, as plain functions over the store. The CLI
//! and the window's commands both call these, so both behave the same; neither host
//! holds logic of its own. No Tauri types here.

use chrono::{DateTime, Local, NaiveDate, SubsecRound, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::charts::{self, ChartSpec, Theme};
use crate::cycle::{Cycle, CycleDraft, CycleFields, CycleId, Stages};
use crate::error::{Error, FieldError, Result};
use crate::insights::{self, Evidence};
use crate::store::Store;

/// The moment an operation happens: the instant for timestamps and the person's local
/// day for "today". Passed in, so tests can fix it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

impl Clock {
    /// The system clock, with today in the local time zone.
    pub fn system() -> Clock {
        Clock {
            // Milliseconds are plenty for a journal and keep the JSON readable.
            now: Utc::now().trunc_subsecs(3),
            today: Local::now().date_naive(),
        }
    }

    /// The last attempt date accepted from a backup: a day of slack for a backup made
    /// in a time zone ahead of this one.
    pub fn latest_backup_day(&self) -> NaiveDate {
        self.today.succ_opt().unwrap_or(self.today)
    }
}

/// A cycle as the window shows it: the public fields plus its stage marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CycleView {
    #[serde(flatten)]
    pub cycle: Cycle,
    pub stages: Stages,
}

impl From<Cycle> for CycleView {
    fn from(cycle: Cycle) -> CycleView {
        CycleView {
            stages: cycle.stages(),
            cycle,
        }
    }
}

/// The evidence chart with the words and numbers around it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceView {
    pub svg: String,
    pub sentence: String,
    /// The counts, and the running total by day (`series`) for the "show numbers" table.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// Log a new cycle from a draft (untrusted JSON), dated today unless it says otherwise.
pub fn log_cycle(store: &Store, draft: Value, clock: Clock) -> Result<Cycle> {
    let fields = CycleDraft::from_value(draft)?.check(clock.today)?;
    check_link(store, &fields, None)?;
    store.create(fields, clock.now)
}

/// A cycle may test the adjustment of another stored cycle, never its own.
fn check_link(store: &Store, fields: &CycleFields, own: Option<CycleId>) -> Result<()> {
    let Some(target) = fields.tests_cycle else {
        return Ok(());
    };
    let problem = if Some(target) == own {
        "can't be this cycle itself: an adjustment is tested by a later attempt"
    } else if store.get(target)?.is_none() {
        "names a cycle that is not stored; pick the cycle whose adjustment you tried"
    } else {
        return Ok(());
    };
    Err(vec![FieldError::new("tests_cycle", problem)].into())
}

/// Log several drafts at once, each with the line it came from: all are checked first,
/// then stored together or not at all. The first bad line is reported whole.
pub fn log_cycles(store: &Store, drafts: Vec<(usize, Value)>, clock: Clock) -> Result<Vec<Cycle>> {
    let mut all = Vec::with_capacity(drafts.len());
    let mut bad: Vec<(usize, Vec<FieldError>)> = Vec::new();
    for (line, draft) in drafts {
        match CycleDraft::from_value(draft).and_then(|d| d.check(clock.today)) {
            Ok(fields) => match check_link(store, &fields, None) {
                Ok(()) => all.push(fields),
                Err(Error::Invalid(errors)) => bad.push((line, errors)),
                Err(other) => return Err(other),
            },
            Err(errors) => bad.push((line, errors)),
        }
    }
    if let Some((line, errors)) = bad.first().cloned() {
        return Err(Error::InvalidLine {
            line,
            errors,
            more: bad.len() - 1,
        });
    }
    store.create_many(all, clock.now)
}

/// Replace the fields of the cycle with `id` from a draft.
pub fn edit_cycle(store: &Store, id: &str, draft: Value, clock: Clock) -> Result<Cycle> {
    let id = id.parse()?;
    let fields = CycleDraft::from_value(draft)?.check(clock.today)?;
    check_link(store, &fields, Some(id))?;
    store.update(id, fields, clock.now)
}

/// Delete the cycle with `id` and return it whole, so it can be put back.
pub fn delete_cycle(store: &Store, id: &str) -> Result<Cycle> {
    store.delete(id.parse()?)
}

/// Put back a whole cycle (an undone delete), exactly as it was.
pub fn restore_cycle(store: &Store, cycle: Value, clock: Clock) -> Result<Cycle> {
    let cycle = Cycle::from_json(cycle, clock.latest_backup_day())?;
    store.add_cycles(std::slice::from_ref(&cycle))?;
    // If that id was already stored (with other content), the stored one stays.
    store
        .get(cycle.id)?
        .ok_or_else(|| Error::NotFound(cycle.id.to_string()))
}

/// Compute the evidence and draw its chart.
pub fn evidence_view(store: &Store, theme: Theme, clock: Clock) -> Result<EvidenceView> {
    let cycles = store.all_by_id()?;
    let evidence = insights::evidence(&cycles);
    let svg = charts::render_evidence_chart(
        &evidence,
        ChartSpec {
            theme,
            today: clock.today,
        },
    )?;
    Ok(EvidenceView {
        svg,
        sentence: evidence.sentence(),
        evidence,
    })
}
