//! Today: the lists of what waits for the person, and the evidence chart at its head.

use chrono::NaiveDate;
use serde::Serialize;

use super::areas::archived_areas;
use super::review::{plan_among, review_due_among, PlanView};
use super::{Clock, CycleView};
use crate::charts::{self, ChartSpec, Theme};
use crate::cycle::{CycleId, CycleSummary};
use crate::error::Result;
use crate::insights::{self, Evidence};
use crate::journal::Position;
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
    drawn_evidence(insights::evidence(&store.summaries()?), theme, width, clock)
}

/// The evidence with its chart drawn `width` pixels wide in `theme`.
fn drawn_evidence(
    evidence: Evidence,
    theme: Theme,
    width: Option<u32>,
    clock: Clock,
) -> Result<EvidenceView> {
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
    today_among(store, &store.summaries()?, clock)
}

/// `today_view` from the cycles' summaries: the lists are worked out from the facts
/// alone, and only the few cycles shown are read whole.
fn today_among(store: &Store, summaries: &[CycleSummary], clock: Clock) -> Result<TodayView> {
    let archived = archived_areas(store)?;
    let t = today::today(summaries, &archived, clock.today);
    let first = |list: &[&CycleSummary]| -> Vec<CycleId> {
        list.iter().take(TODAY_LIST_MAX).map(|s| s.id).collect()
    };
    let pending = first(&t.pending);
    let unfinished: Vec<(CycleId, Vec<&'static str>)> = t
        .unfinished
        .iter()
        .take(TODAY_LIST_MAX)
        .map(|u| (u.cycle.id, u.missing.clone()))
        .collect();
    let untested = first(&t.untested);
    let whole = |ids: &[CycleId]| -> Result<Vec<CycleView>> {
        Ok(store
            .get_many(ids)?
            .into_iter()
            .map(CycleView::from)
            .collect())
    };
    let unfinished = unfinished
        .into_iter()
        .map(|(id, missing)| {
            Ok(store.get(id)?.map(|c| UnfinishedView {
                cycle: CycleView::from(c),
                missing,
            }))
        })
        .filter_map(Result::transpose)
        .collect::<Result<Vec<_>>>()?;
    let lesson = match t.lesson {
        Some(s) => store.get(s.id)?.map(CycleView::from),
        None => None,
    };
    let on_this_day = t
        .on_this_day
        .iter()
        .map(|d| {
            Ok(store.get(d.cycle.id)?.map(|c| OnThisDayView {
                cycle: CycleView::from(c),
                months_ago: d.months_ago,
            }))
        })
        .filter_map(Result::transpose)
        .collect::<Result<Vec<_>>>()?;
    Ok(TodayView {
        cycles: summaries.len(),
        totals: TodayTotals {
            pending: t.pending.len(),
            unfinished: t.unfinished.len(),
            untested: t.untested.len(),
        },
        pending: whole(&pending)?,
        unfinished,
        untested: whole(&untested)?,
        lesson,
        on_this_day,
        review_due: review_due_among(store, summaries, clock)?,
        plan: plan_among(store, summaries, clock)?,
    })
}

/// Everything the window draws when it opens, from one read of the cycles' summaries:
/// Today's lists, the latest few cycles, and the evidence with its chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TodayStart {
    pub today: TodayView,
    pub recent: Vec<CycleView>,
    pub evidence: EvidenceView,
}

/// Today as the window opens on it: `today_view`, the `recent` newest cycles and
/// `evidence_view`, worked out together (the summaries are read once).
pub fn today_start(
    store: &Store,
    recent: usize,
    theme: Theme,
    width: Option<u32>,
    clock: Clock,
) -> Result<TodayStart> {
    prepare_today(store, recent, clock)?.drawn(theme, width, clock)
}

/// [`TodayStart`] without its chart, worked out before the window asks for it (while
/// its page loads), for the store as it stood at one journal position and for one day.
/// The chart waits for the page's width and theme.
#[derive(Clone, Debug)]
pub struct PreparedToday {
    at: Position,
    day: NaiveDate,
    today: TodayView,
    recent: Vec<CycleView>,
    evidence: Evidence,
}

/// Work out Today's lists, the `recent` newest cycles and the evidence, all but the
/// chart.
pub fn prepare_today(store: &Store, recent: usize, clock: Clock) -> Result<PreparedToday> {
    // Read before the summaries: a change saved meanwhile then makes it stale (and
    // worked out again), never shown as if it held.
    let at = store.position();
    let summaries = store.summaries()?;
    Ok(PreparedToday {
        at,
        day: clock.today,
        today: today_among(store, &summaries, clock)?,
        recent: store
            .recent_among(&summaries, recent, 0)?
            .into_iter()
            .map(CycleView::from)
            .collect(),
        evidence: insights::evidence(&summaries),
    })
}

impl PreparedToday {
    /// Whether it still holds: nothing was saved since, and it is still the same day.
    pub fn holds(&self, store: &Store, clock: Clock) -> bool {
        self.day == clock.today && self.at == store.position()
    }

    /// Today with its evidence chart drawn `width` pixels wide in `theme`.
    pub fn drawn(self, theme: Theme, width: Option<u32>, clock: Clock) -> Result<TodayStart> {
        Ok(TodayStart {
            today: self.today,
            recent: self.recent,
            evidence: drawn_evidence(self.evidence, theme, width, clock)?,
        })
    }
}

/// The adjustment a new attempt in `area` would test, if one is waiting.
pub fn open_adjustment(store: &Store, area: &str) -> Result<Option<CycleView>> {
    let wanted = area.trim().to_lowercase();
    if wanted.is_empty() {
        return Ok(None);
    }
    let summaries = store.summaries()?;
    // Areas are stored in one spelling; find it without regard to case.
    let Some(name) = summaries
        .iter()
        .map(|s| &s.area)
        .find(|a| a.to_lowercase() == wanted)
    else {
        return Ok(None);
    };
    // The summaries tell which cycle it is; only that one is read whole.
    match today::open_adjustment(&summaries, name) {
        Some(open) => Ok(store.get(open.id)?.map(CycleView::from)),
        None => Ok(None),
    }
}
