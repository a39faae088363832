//! What a person can do with their cycles, as plain functions over the store. The CLI
//! and the window's commands both call these, so both behave the same; neither host
//! holds logic of its own. No Tauri types here.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, SubsecRound, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::charts::{self, ChartSpec, Kind, Table, Theme};
use crate::cycle::{Cycle, CycleDraft, CycleFields, CycleId, Outcome, Stages};
use crate::error::{Error, FieldError, Result};
use crate::insights::brs::{checkin_due, BRS_ANSWERS, BRS_SOURCE};
use crate::insights::calibration::BAND_SOURCE;
use crate::insights::{
    self, AreaCalibration, Band, BrsCheckin, Dashboard, DashboardParams, Evidence, Range, BRS_ITEMS,
};
use crate::nudges::{self, Nudge, NudgeInput};
use crate::reminder::{self, Due, Reminder};
use crate::search::{self, FilterInput, Lesson};
use crate::store::Store;
use crate::today;

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
    let cycles = store.snapshot()?;
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

// ---- The method, day to day: Today, search, lessons, areas, the reminder ----

/// Preference key: the names of archived areas.
const ARCHIVED_AREAS: &str = "archived_areas";
/// Preference keys: the reminder setting, and when it last showed (local time).
const REMINDER: &str = "reminder";
const REMINDER_SHOWN: &str = "reminder_last_shown";

/// The names of the areas the person archived.
pub fn archived_areas(store: &Store) -> Result<Vec<String>> {
    Ok(store
        .preference(ARCHIVED_AREAS)?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default())
}

/// A setback whose reflection is unfinished, for Today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnfinishedView {
    #[serde(flatten)]
    pub cycle: CycleView,
    pub missing: Vec<&'static str>,
}

/// A cycle from this date in an earlier month, for Today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OnThisDayView {
    #[serde(flatten)]
    pub cycle: CycleView,
    pub months_ago: u32,
}

/// Everything Today lists (see `today::today`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TodayView {
    pub cycles: usize,
    /// How many each list holds in all; the lists themselves are cut to the first few.
    pub totals: TodayTotals,
    pub pending: Vec<CycleView>,
    pub unfinished: Vec<UnfinishedView>,
    pub untested: Vec<CycleView>,
    pub lesson: Option<CycleView>,
    pub on_this_day: Vec<OnThisDayView>,
}

/// The full length of each of Today's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TodayTotals {
    pub pending: usize,
    pub unfinished: usize,
    pub untested: usize,
}

/// How many entries each of Today's lists shows at most: Today is a glance, the rest
/// is one click away in Cycles and Lessons.
const TODAY_LIST_MAX: usize = 3;

pub fn today_view(store: &Store, clock: Clock) -> Result<TodayView> {
    let cycles = store.snapshot()?;
    let archived = archived_areas(store)?;
    let t = today::today(&cycles, &archived, clock.today);
    let view = |c: &Cycle| CycleView::from(c.clone());
    Ok(TodayView {
        cycles: cycles.len(),
        totals: TodayTotals {
            pending: t.pending.len(),
            unfinished: t.unfinished.len(),
            untested: t.untested.len(),
        },
        pending: t
            .pending
            .into_iter()
            .take(TODAY_LIST_MAX)
            .map(view)
            .collect(),
        unfinished: t
            .unfinished
            .into_iter()
            .take(TODAY_LIST_MAX)
            .map(|u| UnfinishedView {
                cycle: view(u.cycle),
                missing: u.missing,
            })
            .collect(),
        untested: t
            .untested
            .into_iter()
            .take(TODAY_LIST_MAX)
            .map(view)
            .collect(),
        lesson: t.lesson.map(view),
        on_this_day: t
            .on_this_day
            .into_iter()
            .map(|d| OnThisDayView {
                cycle: view(d.cycle),
                months_ago: d.months_ago,
            })
            .collect(),
    })
}

/// The adjustment a new attempt in `area` would test, if one is waiting.
pub fn open_adjustment(store: &Store, area: &str) -> Result<Option<CycleView>> {
    let wanted = area.trim().to_lowercase();
    if wanted.is_empty() {
        return Ok(None);
    }
    let cycles = store.snapshot()?;
    // Areas are stored in one spelling; find it without regard to case.
    let Some(name) = cycles
        .iter()
        .map(|c| &c.fields.area)
        .find(|a| a.to_lowercase() == wanted)
    else {
        return Ok(None);
    };
    Ok(today::open_adjustment(&cycles, name).map(|c| CycleView::from(c.clone())))
}

/// One page of search results and how many there are in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SearchPage {
    pub total: usize,
    pub cycles: Vec<CycleView>,
}

/// Search and filter the cycles, newest attempt first.
pub fn search_cycles(
    store: &Store,
    input: &FilterInput,
    limit: usize,
    offset: usize,
) -> Result<SearchPage> {
    let filter = input.check()?;
    let cycles = store.snapshot()?;
    let found = search::search(&cycles, &filter);
    Ok(SearchPage {
        total: found.len(),
        cycles: found
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|c| CycleView::from(c.clone()))
            .collect(),
    })
}

/// The first `limit` lessons the filter lets through, and how many there are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LessonsPage {
    pub total: usize,
    /// How many of all of them were put to the test at least once.
    pub tested: usize,
    pub lessons: Vec<Lesson>,
}

/// Every adjustment the filter lets through, with how it was tested, newest first.
pub fn lessons(store: &Store, input: &FilterInput, limit: usize) -> Result<LessonsPage> {
    let filter = input.check()?;
    let mut all = search::lessons(&store.snapshot()?, &filter);
    let tested = all.iter().filter(|l| !l.trials.is_empty()).count();
    let total = all.len();
    all.truncate(limit);
    Ok(LessonsPage {
        total,
        tested,
        lessons: all,
    })
}

/// An area with its counts, for the Areas view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaView {
    pub name: String,
    pub cycles: usize,
    pub setbacks: usize,
    pub pending: usize,
    pub last_attempt: NaiveDate,
    pub archived: bool,
}

/// Every area, the most used first, with archived ones last.
pub fn area_overview(store: &Store) -> Result<Vec<AreaView>> {
    let archived = archived_areas(store)?;
    let mut by_name: std::collections::BTreeMap<String, AreaView> = Default::default();
    for cycle in store.snapshot()?.iter() {
        let f = &cycle.fields;
        let entry = by_name.entry(f.area.clone()).or_insert_with(|| AreaView {
            name: f.area.clone(),
            cycles: 0,
            setbacks: 0,
            pending: 0,
            last_attempt: f.attempted_on,
            archived: archived.contains(&f.area),
        });
        entry.cycles += 1;
        entry.setbacks += usize::from(f.outcome.is_setback());
        entry.pending += usize::from(f.outcome == Outcome::Pending);
        entry.last_attempt = entry.last_attempt.max(f.attempted_on);
    }
    let mut areas: Vec<AreaView> = by_name.into_values().collect();
    areas.sort_by(|a, b| {
        (a.archived, std::cmp::Reverse(a.cycles), &a.name).cmp(&(
            b.archived,
            std::cmp::Reverse(b.cycles),
            &b.name,
        ))
    });
    Ok(areas)
}

/// Rename an area; renaming onto an existing area merges the two. Returns the number
/// of cycles moved.
pub fn rename_area(store: &Store, from: &str, to: &str, clock: Clock) -> Result<usize> {
    let draft = serde_json::json!({
        "area": to, "attempt": "-", "difficulty": 1, "stakes": 1, "effort": 1, "safety": 1,
    });
    // The new name gets the same checks as an area typed into the form.
    let to = CycleDraft::from_value(draft)?.check(clock.today)?.area;
    let from = from.trim();
    let archived = archived_areas(store)?;
    let moved = store.rename_area(from, &to, clock.now)?;
    if archived.iter().any(|a| a == from) {
        let kept: Vec<&String> = archived.iter().filter(|a| *a != from).collect();
        store.set_preference(ARCHIVED_AREAS, &serde_json::json!(kept))?;
    }
    Ok(moved)
}

/// Archive an area (its cycles stay, counted in the evidence, but it leaves Today's
/// lists and the area suggestions), or bring it back.
pub fn archive_area(store: &Store, area: &str, archived: bool) -> Result<Vec<String>> {
    let name = area.trim();
    if !store.areas()?.iter().any(|a| a.name == name) {
        return Err(Error::NotFound(format!("area {name:?}")));
    }
    let mut list = archived_areas(store)?;
    list.retain(|a| a != name);
    if archived {
        list.push(name.to_string());
        list.sort();
    }
    store.set_preference(ARCHIVED_AREAS, &serde_json::json!(list))?;
    Ok(list)
}

/// The reminder setting (off until the person turns it on).
pub fn reminder(store: &Store) -> Result<Reminder> {
    Ok(store
        .preference(REMINDER)?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default())
}

/// Change the reminder. Turning it on never fires at once for a time already past today.
pub fn set_reminder(store: &Store, reminder: Reminder, now: NaiveDateTime) -> Result<Reminder> {
    let value = serde_json::to_value(reminder)
        .map_err(|e| Error::Storage(format!("could not encode the reminder: {e}")))?;
    store.set_preference(REMINDER, &value)?;
    store.set_preference(REMINDER_SHOWN, &serde_json::json!(now))?;
    Ok(reminder)
}

/// If a reminder is due now, record it as shown and return it (it fires once).
pub fn take_due_reminder(store: &Store, now: NaiveDateTime) -> Result<Option<Due>> {
    let shown: Option<NaiveDateTime> = store
        .preference(REMINDER_SHOWN)?
        .and_then(|v| serde_json::from_value(v).ok());
    let Some(due) = reminder::due(reminder(store)?, shown, now) else {
        return Ok(None);
    };
    store.set_preference(REMINDER_SHOWN, &serde_json::json!(now))?;
    Ok(Some(due))
}

/// A cycle with the nudges that apply to it, as `rebound show --json` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CycleDetail {
    #[serde(flatten)]
    pub cycle: CycleView,
    pub nudges: Vec<Nudge>,
}

/// Find a cycle by id (or a unique start of one) with its nudges.
pub fn cycle_detail(store: &Store, id: &str) -> Result<CycleDetail> {
    let cycle = store.find(id)?;
    let nudges = nudges::nudges(&NudgeInput::from(&cycle.fields));
    Ok(CycleDetail {
        cycle: CycleView::from(cycle),
        nudges,
    })
}

/// The nudges for a half-filled form. Never an error: a draft that does not read is
/// simply a form with nothing to suggest yet.
pub fn draft_nudges(draft: &Value) -> Vec<Nudge> {
    nudges::nudges(&NudgeInput::from_draft(draft))
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
    let cycles = store.snapshot()?;
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
