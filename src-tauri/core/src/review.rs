//! The weekly review: once a week, on a day the person chooses, a short page of the
//! week's practice (attempts, setbacks and how fast they came back, lessons written,
//! adjustments tested, evidence added) ending with one calibrated attempt to plan. The
//! plan then waits on Today until an attempt in its area is logged.
//!
//! An after-action review in four questions (what was supposed to happen, what
//! happened, why, what next), kept short. Pure functions; no storage, no Tauri.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::cycle::{Applied, Cycle, CycleId, Facts, Outcome, TestResult, AREA_MAX_CHARS};
use crate::cycle::{ATTEMPT_MAX_CHARS, GENUINE_EFFORT};
use crate::error::FieldError;
use crate::insights::{evidence, median};
use crate::today::newest_first;

/// Days a review looks back over, today included.
pub const REVIEW_DAYS: i64 = 7;
/// How far ahead a plan may be dated.
pub const PLAN_MAX_DAYS_AHEAD: i64 = 60;

/// When the review comes round. On by default, on Sundays at 18:00; the person can
/// choose another day or turn it off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSettings {
    pub enabled: bool,
    /// ISO day of the week: 1 is Monday, 7 is Sunday.
    pub weekday: u8,
    /// The time its notification goes out on that day (when Rebound is running), "HH:MM".
    #[serde(with = "crate::reminder::hh_mm")]
    pub time: NaiveTime,
}

impl Default for ReviewSettings {
    fn default() -> ReviewSettings {
        ReviewSettings {
            enabled: true,
            weekday: 7,
            time: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

impl ReviewSettings {
    /// Check settings from the window: a weekday 1–7 and "HH:MM".
    pub fn parse(enabled: bool, weekday: u8, time: &str) -> Result<ReviewSettings, FieldError> {
        if !(1..=7).contains(&weekday) {
            return Err(FieldError::new(
                "weekday",
                format!("must be a day of the week, 1 (Monday) to 7 (Sunday) (got {weekday})"),
            ));
        }
        let reminder = crate::reminder::Reminder::parse(enabled, time)?;
        Ok(ReviewSettings {
            enabled,
            weekday,
            time: reminder.time,
        })
    }

    fn weekday(&self) -> Weekday {
        // 1–7 is checked on the way in; a stored value out of range reads as Sunday.
        match self.weekday {
            1 => Weekday::Mon,
            2 => Weekday::Tue,
            3 => Weekday::Wed,
            4 => Weekday::Thu,
            5 => Weekday::Fri,
            6 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }

    /// The latest review day on or before `today`.
    pub fn latest_day(&self, today: NaiveDate) -> NaiveDate {
        let back = (7 + today.weekday().num_days_from_monday()
            - self.weekday().num_days_from_monday())
            % 7;
        today - Duration::days(i64::from(back))
    }

    /// The week a review on `today` looks at: its first and last day (the latest review
    /// day), both included.
    pub fn week(&self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let day = self.latest_day(today);
        (day - Duration::days(REVIEW_DAYS - 1), day)
    }

    /// Whether a review is waiting: it is on, a review day has come since the last one
    /// was done, and some attempt fell in the week ending on that day.
    pub fn due(
        &self,
        done: Option<NaiveDate>,
        attempt_days: impl IntoIterator<Item = NaiveDate>,
        today: NaiveDate,
    ) -> bool {
        let (week_start, day) = self.week(today);
        self.enabled
            && done.is_none_or(|d| d < day)
            && attempt_days
                .into_iter()
                .any(|d| d >= week_start && d <= day)
    }

    /// Whether to send the review's notification now: on the review day itself, once
    /// its time has come, if not sent since and the review is due. A missed one is not
    /// sent late; the review waits on Today instead.
    pub fn notify(&self, sent: Option<NaiveDateTime>, due: bool, now: NaiveDateTime) -> bool {
        let at = now.date().and_time(self.time);
        due && self.latest_day(now.date()) == now.date() && now >= at && sent.is_none_or(|s| s < at)
    }
}

/// A cycle as the review lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewCycle {
    pub id: CycleId,
    pub area: String,
    pub attempted_on: NaiveDate,
    pub attempt: String,
    pub outcome: Outcome,
    pub difficulty: u8,
}

impl From<&Cycle> for ReviewCycle {
    fn from(c: &Cycle) -> ReviewCycle {
        ReviewCycle {
            id: c.id,
            area: c.fields.area.clone(),
            attempted_on: c.fields.attempted_on,
            attempt: c.fields.attempt.clone(),
            outcome: c.fields.outcome,
            difficulty: c.fields.difficulty,
        }
    }
}

/// A setback of the week and how long until the next genuine attempt in its area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewSetback {
    #[serde(flatten)]
    pub cycle: ReviewCycle,
    /// Days to the next genuine attempt; `None` while none has come.
    pub came_back_after: Option<i64>,
}

/// A lesson written this week: what was in the person's control, and the adjustment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewLesson {
    pub id: CycleId,
    pub area: String,
    pub attempted_on: NaiveDate,
    pub in_my_control: Option<String>,
    pub adjustment: Option<String>,
}

/// An adjustment put to the test this week, and how it did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewTest {
    pub id: CycleId,
    pub area: String,
    pub attempted_on: NaiveDate,
    /// The adjustment tested, as written in its own cycle.
    pub adjustment: Option<String>,
    pub applied: Option<Applied>,
    pub result: Option<TestResult>,
}

/// The week in review.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeeklyReview {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every attempt logged for a day of the week, newest first.
    pub attempts: Vec<ReviewCycle>,
    pub genuine: usize,
    pub worked: usize,
    /// Genuine failures and partials of the week.
    pub setbacks: Vec<ReviewSetback>,
    /// The median of the days to come back, over the setbacks that came back.
    pub median_days_back: Option<f64>,
    pub lessons: Vec<ReviewLesson>,
    pub tested: Vec<ReviewTest>,
    /// Setbacks (of any week) that became evidence this week: followed by another try.
    pub evidence_added: usize,
    pub evidence_total: usize,
}

/// Review the `REVIEW_DAYS` days ending `today`.
pub fn weekly_review(cycles: &[Cycle], today: NaiveDate) -> WeeklyReview {
    let from = today - Duration::days(REVIEW_DAYS - 1);
    let in_week = |d: NaiveDate| d >= from && d <= today;
    let mut week: Vec<&Cycle> = cycles
        .iter()
        .filter(|c| in_week(c.fields.attempted_on))
        .collect();
    week.sort_by(newest_first);
    let ev = evidence(cycles);
    let back_after = |id: CycleId| {
        ev.items
            .iter()
            .find(|i| i.setback == id)
            .map(|i| (i.followed_on - i.setback_on).num_days())
    };
    let setbacks: Vec<ReviewSetback> = week
        .iter()
        .filter(|c| c.fields.effort >= GENUINE_EFFORT && c.fields.outcome.is_setback())
        .map(|c| ReviewSetback {
            cycle: ReviewCycle::from(*c),
            came_back_after: back_after(c.id),
        })
        .collect();
    let mut days: Vec<f64> = setbacks
        .iter()
        .filter_map(|s| s.came_back_after.map(|d| d as f64))
        .collect();
    // A reflection written this week about an older attempt counts too: the cycle was
    // updated this week (its UTC day; a journal's week is not split at midnight).
    let written_this_week =
        |c: &Cycle| in_week(c.fields.attempted_on) || in_week(c.updated_at.date_naive());
    let mut lessons: Vec<&Cycle> = cycles
        .iter()
        .filter(|c| c.fields.in_my_control.is_some() || c.fields.adjustment.is_some())
        .filter(|c| written_this_week(c))
        .collect();
    lessons.sort_by(newest_first);
    let adjustment_of = |id: CycleId| {
        cycles
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.fields.adjustment.clone())
    };
    WeeklyReview {
        from,
        to: today,
        genuine: week
            .iter()
            .filter(|c| c.fields.effort >= GENUINE_EFFORT)
            .count(),
        worked: week
            .iter()
            .filter(|c| c.fields.outcome == Outcome::Success)
            .count(),
        median_days_back: median(&mut days),
        setbacks,
        lessons: lessons
            .iter()
            .map(|c| ReviewLesson {
                id: c.id,
                area: c.fields.area.clone(),
                attempted_on: c.fields.attempted_on,
                in_my_control: c.fields.in_my_control.clone(),
                adjustment: c.fields.adjustment.clone(),
            })
            .collect(),
        tested: week
            .iter()
            .filter_map(|c| {
                let tested = c.fields.tests_cycle?;
                Some(ReviewTest {
                    id: c.id,
                    area: c.fields.area.clone(),
                    attempted_on: c.fields.attempted_on,
                    adjustment: adjustment_of(tested),
                    applied: c.fields.applied,
                    result: c.fields.result,
                })
            })
            .collect(),
        evidence_added: ev.items.iter().filter(|i| in_week(i.followed_on)).count(),
        evidence_total: ev.total,
        attempts: week.iter().map(|c| ReviewCycle::from(*c)).collect(),
    }
}

/// The next calibrated attempt, planned in a review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub area: String,
    pub attempt: String,
    pub difficulty: u8,
    /// The day it is planned for.
    pub on: NaiveDate,
    /// When it was planned: an attempt in its area logged after this fulfils it.
    pub made_at: DateTime<Utc>,
}

/// Where a plan stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Upcoming,
    Today,
    /// Its day has passed with no attempt in its area: still shown, never scolded.
    Waiting,
    Done,
}

impl Plan {
    /// Check a plan from the window: an area and an attempt in words, a difficulty 1–10,
    /// a day from today to [`PLAN_MAX_DAYS_AHEAD`] days ahead.
    pub fn checked(
        area: &str,
        attempt: &str,
        difficulty: u8,
        on: &str,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Plan, Vec<FieldError>> {
        let mut errors = Vec::new();
        let area = crate::text::one_line(area.trim(), AREA_MAX_CHARS);
        let attempt = attempt.trim();
        if area.is_empty() {
            errors.push(FieldError::new(
                "area",
                "is required: choose the area to practise in",
            ));
        }
        if attempt.is_empty() {
            errors.push(FieldError::new(
                "attempt",
                "is required: say in a few words what you will try",
            ));
        } else if attempt.chars().count() > ATTEMPT_MAX_CHARS {
            errors.push(FieldError::new(
                "attempt",
                format!("is too long: keep it to {ATTEMPT_MAX_CHARS} characters"),
            ));
        }
        if !(1..=10).contains(&difficulty) {
            errors.push(FieldError::new(
                "difficulty",
                "must be a whole number from 1 to 10",
            ));
        }
        let day = NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d").ok();
        let latest = today + Duration::days(PLAN_MAX_DAYS_AHEAD);
        match day {
            None => errors.push(FieldError::new("on", "must be a date like 2026-11-27")),
            Some(d) if d < today => errors.push(FieldError::new(
                "on",
                "is in the past: plan for today or a day ahead",
            )),
            Some(d) if d > latest => errors.push(FieldError::new(
                "on",
                format!("is more than {PLAN_MAX_DAYS_AHEAD} days ahead: plan something nearer"),
            )),
            Some(_) => {}
        }
        match (errors.is_empty(), day) {
            (true, Some(on)) => Ok(Plan {
                area,
                attempt: attempt.to_string(),
                difficulty,
                on,
                made_at: now,
            }),
            _ => Err(errors),
        }
    }

    /// Where the plan stands on `today`, given the cycles logged so far.
    pub fn status<C: Facts>(&self, cycles: &[C], today: NaiveDate) -> PlanStatus {
        let area = self.area.to_lowercase();
        let logged = cycles
            .iter()
            .any(|c| c.created_at() >= self.made_at && c.area().to_lowercase() == area);
        if logged {
            PlanStatus::Done
        } else if self.on > today {
            PlanStatus::Upcoming
        } else if self.on == today {
            PlanStatus::Today
        } else {
            PlanStatus::Waiting
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Pending, Success};
    use crate::insights::testing::{cycle, day};

    fn settings(weekday: u8) -> ReviewSettings {
        ReviewSettings {
            weekday,
            ..ReviewSettings::default()
        }
    }

    #[test]
    fn the_review_day_is_the_latest_chosen_weekday_and_waits_until_done() {
        // 2026-01-04 is a Sunday; day(8) = Thursday 8 January.
        let sunday = settings(7);
        assert_eq!(sunday.latest_day(day(8)), day(4));
        assert_eq!(sunday.latest_day(day(4)), day(4));
        assert_eq!(settings(4).latest_day(day(8)), day(8));
        assert_eq!(settings(5).latest_day(day(8)), day(2));
        // Practice on day 3 (in the week before Sunday the 4th): due from Sunday on,
        // until it is done.
        // On Saturday the 3rd the latest Sunday is 28 December, and the week ending then
        // (22–28 December) had no practice: not yet.
        assert!(!sunday.due(None, [day(3)], day(3)), "Saturday: not yet");
        assert!(sunday.due(None, [day(3)], day(4)));
        assert!(sunday.due(Some(day(1)), [day(3)], day(6)));
        assert!(!sunday.due(Some(day(4)), [day(3)], day(6)));
        // No practice in the week ending on the 4th (29 December – 4 January): nothing
        // to review, whether the practice was before it or after.
        assert!(!sunday.due(None, [day(-10)], day(4)));
        assert!(!sunday.due(None, [day(5)], day(6)));
        let off = ReviewSettings {
            enabled: false,
            ..sunday
        };
        assert!(!off.due(None, [day(3)], day(4)));
    }

    #[test]
    fn its_notification_goes_once_on_the_day_at_its_time() {
        let s = settings(7);
        let at = |d: i64, h: u32| day(d).and_hms_opt(h, 0, 0).unwrap();
        assert!(!s.notify(None, true, at(4, 17)), "before 18:00");
        assert!(s.notify(None, true, at(4, 18)));
        assert!(!s.notify(Some(at(4, 18)), true, at(4, 20)), "sent already");
        assert!(!s.notify(None, false, at(4, 19)), "done already");
        assert!(
            !s.notify(None, true, at(5, 19)),
            "Monday: Today shows it instead"
        );
    }

    #[test]
    fn a_week_in_review_by_hand() {
        // Today is day 14; the week is days 8–14.
        // Area a: failure day 9 (genuine), success day 11 → came back after 2 days.
        //         The day-11 attempt tests the day-2 adjustment: applied, better.
        // Area b: failure day 13, nothing after: still open.
        // Area c: failure day 5 (last week), pending day 8 → evidence added this week.
        // Outside: a success on day 2 with an adjustment (tested this week).
        let mut old = cycle(1, "a", 2, Success);
        old.fields.adjustment = Some("Warm up first".into());
        let mut fail = cycle(2, "a", 9, Failure);
        fail.fields.in_my_control = Some("Rushed the start".into());
        let mut back = cycle(3, "a", 11, Success);
        back.fields.tests_cycle = Some(old.id);
        back.fields.applied = Some(Applied::Yes);
        back.fields.result = Some(TestResult::Better);
        let open = cycle(4, "b", 13, Failure);
        let last_week = cycle(5, "c", 5, Failure);
        let returned = cycle(6, "c", 8, Pending);
        let all = [old, fail, back, open, last_week, returned];
        let r = weekly_review(&all, day(14));
        assert_eq!((r.from, r.to), (day(8), day(14)));
        let days: Vec<NaiveDate> = r.attempts.iter().map(|a| a.attempted_on).collect();
        assert_eq!(days, [day(13), day(11), day(9), day(8)]);
        assert_eq!((r.genuine, r.worked), (4, 1));
        let backs: Vec<Option<i64>> = r.setbacks.iter().map(|s| s.came_back_after).collect();
        assert_eq!(backs, [None, Some(2)]);
        assert_eq!(r.median_days_back, Some(2.0));
        assert_eq!(r.lessons.len(), 1);
        assert_eq!(
            r.lessons[0].in_my_control.as_deref(),
            Some("Rushed the start")
        );
        assert_eq!(r.tested.len(), 1);
        assert_eq!(r.tested[0].adjustment.as_deref(), Some("Warm up first"));
        // Evidence: day-9 failure followed on day 11, day-5 failure followed on day 8:
        // both this week. Total 2 (the day-13 one is open).
        assert_eq!((r.evidence_added, r.evidence_total), (2, 2));
    }

    #[test]
    fn a_plan_is_checked_and_is_done_once_its_area_is_practised() {
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 1, 14, 9, 0, 0).unwrap();
        let today = day(14);
        let plan = Plan::checked(
            " Talks ",
            "Ask the first question",
            6,
            "2026-01-16",
            now,
            today,
        )
        .unwrap();
        assert_eq!(plan.area, "Talks");
        assert_eq!(plan.status::<Cycle>(&[], today), PlanStatus::Upcoming);
        assert_eq!(plan.status::<Cycle>(&[], day(16)), PlanStatus::Today);
        assert_eq!(plan.status::<Cycle>(&[], day(17)), PlanStatus::Waiting);
        let mut done = cycle(1, "talks", 16, Success);
        done.created_at = now + Duration::hours(50);
        assert_eq!(plan.status(&[done.clone()], day(16)), PlanStatus::Done);
        // An attempt logged before the plan was made does not count.
        done.created_at = now - Duration::hours(1);
        assert_eq!(plan.status(&[done], day(16)), PlanStatus::Today);
        let errors = Plan::checked("", " ", 11, "2026-01-13", now, today).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["area", "attempt", "difficulty", "on"]);
        assert!(Plan::checked("a", "b", 5, "2026-04-01", now, today).is_err());
        assert_eq!(
            ReviewSettings::parse(true, 8, "18:00").unwrap_err().field,
            "weekday"
        );
    }
}
