//! What a person can do with their cycles, as plain functions over the store. The CLI
//! and the window's commands both call these, so both behave the same; neither host
//! holds logic of its own. No Tauri types here.

use chrono::{DateTime, Local, NaiveDate, SubsecRound, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::charts::{self, ChartSpec, Kind, Table, Theme};
use crate::cycle::{Cycle, CycleDraft, CycleFields, CycleId, Stages};
use crate::error::{Error, FieldError, Result};
use crate::insights::brs::{checkin_due, BRS_ANSWERS, BRS_SOURCE};
use crate::insights::calibration::BAND_SOURCE;
use crate::insights::{
    self, AreaCalibration, Band, BrsCheckin, Dashboard, DashboardParams, Evidence, Range, BRS_ITEMS,
};
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

// ---- The dashboard ----

/// Preference key of the calibration target band (`{"low": 70, "high": 90}`).
pub const PREF_BAND: &str = "calibration_band";
/// Preference key of the day the resilience check-in was last put off (`"YYYY-MM-DD"`).
pub const PREF_BRS_OFFERED: &str = "brs_last_offered";

/// One chart of the dashboard with its words and numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChartView {
    pub kind: Kind,
    pub title: String,
    pub svg: String,
    pub sentence: String,
    /// The numbers drawn, as a table (the chart's text alternative).
    pub table: Table,
}

/// An area's calibration with its sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationView {
    #[serde(flatten)]
    pub calibration: AreaCalibration,
    pub sentence: String,
}

/// What the dashboard shows: the charts asked for, and what surrounds them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DashboardView {
    pub range: Range,
    pub cycles: usize,
    pub charts: Vec<ChartView>,
    pub calibration: Vec<CalibrationView>,
    /// The area the ladder shows.
    pub ladder_area: Option<String>,
    pub band: Band,
    pub band_source: &'static str,
    /// Whether to offer the monthly resilience check-in now.
    pub checkin_due: bool,
    pub brs_items: [&'static str; 6],
    pub brs_answers: [&'static str; 5],
    pub brs_source: &'static str,
}

/// The calibration target band: the person's, or the default.
pub fn target_band(store: &Store) -> Result<Band> {
    Ok(store
        .preference(PREF_BAND)?
        .and_then(|v| serde_json::from_value::<Band>(v).ok())
        .and_then(|b| Band::checked(b.low, b.high).ok())
        .unwrap_or_default())
}

/// Set the calibration target band.
pub fn set_target_band(store: &Store, low: u8, high: u8) -> Result<Band> {
    let band = Band::checked(low, high).map_err(Error::Usage)?;
    let value = serde_json::to_value(band)
        .map_err(|e| Error::Storage(format!("could not encode the band: {e}")))?;
    store.set_preference(PREF_BAND, &value)?;
    Ok(band)
}

/// Every measure, for `rebound stats` and the dashboard.
pub fn dashboard(
    store: &Store,
    range: Range,
    area: Option<String>,
    clock: Clock,
) -> Result<Dashboard> {
    let cycles = store.all_by_id()?;
    let checkins = store.checkins()?;
    let params = DashboardParams {
        today: clock.today,
        range,
        band: target_band(store)?,
        area,
    };
    Ok(insights::dashboard(&cycles, &checkins, &params))
}

/// Draw `kind` from a computed dashboard.
pub fn chart_view(d: &Dashboard, kind: Kind, theme: Theme) -> Result<ChartView> {
    let spec = ChartSpec {
        theme,
        today: d.today,
    };
    Ok(ChartView {
        kind,
        title: kind.title().to_string(),
        svg: charts::render(kind, d, spec)?,
        sentence: kind.sentence(d),
        table: charts::table(kind, d),
    })
}

/// The dashboard with the charts in `kinds` drawn (the window asks for the first chart
/// alone, then the rest, so something shows at once).
pub fn dashboard_view(
    store: &Store,
    kinds: &[Kind],
    range: Range,
    theme: Theme,
    area: Option<String>,
    clock: Clock,
) -> Result<DashboardView> {
    let d = dashboard(store, range, area, clock)?;
    let charts = kinds
        .iter()
        .map(|&kind| chart_view(&d, kind, theme))
        .collect::<Result<Vec<_>>>()?;
    let last_checkin = store.checkins()?.last().map(|c| c.day);
    let offered = store
        .preference(PREF_BRS_OFFERED)?
        .and_then(|v| v.as_str().and_then(|s| s.parse::<NaiveDate>().ok()));
    Ok(DashboardView {
        range,
        cycles: d.cycles,
        calibration: d
            .calibration
            .iter()
            .map(|c| CalibrationView {
                sentence: c.sentence(d.band),
                calibration: c.clone(),
            })
            .collect(),
        ladder_area: d.ladder.area.clone(),
        band: d.band,
        band_source: BAND_SOURCE,
        checkin_due: d.cycles > 0 && checkin_due(last_checkin, offered, clock.today),
        brs_items: BRS_ITEMS,
        brs_answers: BRS_ANSWERS,
        brs_source: BRS_SOURCE,
        charts,
    })
}

/// Store today's resilience check-in (six answers, 1–5).
pub fn save_checkin(store: &Store, answers: &[u8], clock: Clock) -> Result<BrsCheckin> {
    let answers: [u8; 6] = answers.try_into().map_err(|_| {
        Error::Usage(format!(
            "a check-in has six answers (got {})",
            answers.len()
        ))
    })?;
    store.put_checkin(clock.today, answers)
}

/// Put the resilience check-in off for a month.
pub fn checkin_later(store: &Store, clock: Clock) -> Result<()> {
    store.set_preference(
        PREF_BRS_OFFERED,
        &Value::String(clock.today.format("%Y-%m-%d").to_string()),
    )
}
