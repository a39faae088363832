//! The weekly review: its settings, the page itself with the suggestions for the next
//! attempt, the plan it ends with, and its notification.

use serde::Serialize;

use super::areas::archived_areas;
use super::dashboard::target_band;
use super::guidance::area_guides;
use super::Clock;
use crate::cycle::CycleSummary;
use crate::error::{Error, Result};
use crate::insights::edge::{edges, AreaEdge};
use crate::prefs;
use crate::review::{weekly_review, Plan, PlanStatus, ReviewSettings, WeeklyReview};
use crate::store::Store;

/// The review settings (on, Sundays at 18:00, until the person changes them).
pub fn review_settings(store: &Store) -> Result<ReviewSettings> {
    Ok(store.pref(&prefs::REVIEW)?.unwrap_or_default())
}

/// Change when the review comes round.
pub fn set_review_settings(store: &Store, settings: ReviewSettings) -> Result<ReviewSettings> {
    store.set_pref(&prefs::REVIEW, &settings)?;
    Ok(settings)
}

/// Whether a review is waiting today.
pub fn review_due(store: &Store, clock: Clock) -> Result<bool> {
    review_due_among(store, &store.summaries()?, clock)
}

/// `review_due`, given every cycle's summary.
pub(super) fn review_due_among(
    store: &Store,
    summaries: &[CycleSummary],
    clock: Clock,
) -> Result<bool> {
    let done = store.pref(&prefs::REVIEW_DONE)?;
    let settings = review_settings(store)?;
    let (from, to) = settings.week(clock.today);
    // Only whether an attempt fell in the review's week matters.
    let attempted = summaries
        .iter()
        .any(|s| (from..=to).contains(&s.attempted_on));
    Ok(settings.due(done, attempted.then_some(to), clock.today))
}

/// The plan and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanView {
    #[serde(flatten)]
    pub plan: Plan,
    pub status: PlanStatus,
}

/// The planned attempt, unless it was done.
pub fn current_plan(store: &Store, clock: Clock) -> Result<Option<PlanView>> {
    plan_among(store, &store.summaries()?, clock)
}

/// `current_plan`, with the cycles' summaries already read.
pub(super) fn plan_among(
    store: &Store,
    summaries: &[CycleSummary],
    clock: Clock,
) -> Result<Option<PlanView>> {
    let Some(plan) = store.pref(&prefs::PLANNED_ATTEMPT)?.flatten() else {
        return Ok(None);
    };
    let status = plan.status(summaries, clock.today);
    Ok((status != PlanStatus::Done).then_some(PlanView { plan, status }))
}

/// The review page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewView {
    #[serde(flatten)]
    pub review: WeeklyReview,
    pub settings: ReviewSettings,
    pub due: bool,
    /// Each area's edge, most recently practised first (archived areas left out): the
    /// plan's area and difficulty come from here.
    pub suggestions: Vec<AreaEdge>,
    pub plan: Option<PlanView>,
}

pub fn review_view(store: &Store, clock: Clock) -> Result<ReviewView> {
    let cycles = store.snapshot()?;
    let archived = archived_areas(store)?;
    let suggestions = edges(&cycles, &area_guides(store)?, target_band(store)?)
        .into_iter()
        .filter(|e| !archived.contains(&e.area))
        .collect();
    Ok(ReviewView {
        review: weekly_review(&cycles, clock.today),
        settings: review_settings(store)?,
        due: review_due(store, clock)?,
        suggestions,
        plan: current_plan(store, clock)?,
    })
}

/// Plan the next attempt (and count the review as done).
pub fn save_plan(
    store: &Store,
    area: &str,
    attempt: &str,
    difficulty: u8,
    on: &str,
    clock: Clock,
) -> Result<PlanView> {
    let plan = Plan::checked(area, attempt, difficulty, on, clock.now, clock.today)
        .map_err(Error::Invalid)?;
    store.set_pref(&prefs::PLANNED_ATTEMPT, &Some(plan.clone()))?;
    store.set_pref(&prefs::REVIEW_DONE, &clock.today)?;
    let status = plan.status(&store.snapshot()?, clock.today);
    Ok(PlanView { plan, status })
}

/// Count this week's review as done without planning anything.
pub fn finish_review(store: &Store, clock: Clock) -> Result<()> {
    store.set_pref(&prefs::REVIEW_DONE, &clock.today)
}

/// Let the plan go.
pub fn clear_plan(store: &Store) -> Result<()> {
    store.set_pref(&prefs::PLANNED_ATTEMPT, &None)
}

/// If the review's notification should go out now, record it as sent and say so.
pub fn take_due_review_notice(store: &Store, clock: Clock) -> Result<bool> {
    let settings = review_settings(store)?;
    let sent = store.pref(&prefs::REVIEW_NOTIFIED)?;
    let now = clock.local();
    // The day and time first: every cycle's summary is read only when they say now
    // (this runs every half minute while the window is open).
    if !settings.notify(sent, true, now) || !review_due(store, clock)? {
        return Ok(false);
    }
    store.set_pref(&prefs::REVIEW_NOTIFIED, &now)?;
    Ok(true)
}
