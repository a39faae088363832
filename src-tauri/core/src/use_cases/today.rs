//! Today: the lists of what waits for the person, and the evidence chart at its head.

use serde::Serialize;

use super::areas::archived_areas;
use super::review::{current_plan, review_due, PlanView};
use super::{Clock, CycleView};
use crate::charts::{self, ChartSpec, Theme};
use crate::cycle::Cycle;
use crate::error::Result;
use crate::insights::{self, Evidence};
use crate::store::Store;
use crate::today;

/// The evidence chart with the words and numbers around it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceView {
    pub svg: String,
    pub sentence: String,
    /// The counts, and the running total by day (`series`) for the "show numbers" table.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// Compute the evidence and draw its chart, `width` pixels wide (or the default).
pub fn evidence_view(
    store: &Store,
    theme: Theme,
    width: Option<u32>,
    clock: Clock,
) -> Result<EvidenceView> {
    let cycles = store.snapshot()?;
    let evidence = insights::evidence(&cycles);
    let spec = ChartSpec::new(theme, clock.today).at_width(width);
    let svg = charts::render_evidence_chart(&evidence, spec)?;
    Ok(EvidenceView {
        svg,
        sentence: evidence.sentence(),
        evidence,
    })
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
    /// Whether this week's review is waiting.
    pub review_due: bool,
    /// The attempt planned in a review, until one in its area is logged.
    pub plan: Option<PlanView>,
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
        review_due: review_due(store, clock)?,
        plan: current_plan(store, clock)?,
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
