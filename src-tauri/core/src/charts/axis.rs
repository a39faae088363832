//! Time axes whose tick labels are unique and never overlap, for any span of days: one
//! day to many decades, all drawn by plotters through [`Axis`] (a `Ranged` coordinate
//! that carries its own ticks and labels).
//!
//! Why not plotters' own `i32` axis: it puts ticks at round numbers of days (every 20th
//! day, say), so a label naming the month repeats ("Nov 2026, Nov 2026") and a tick
//! lands on no meaningful day. Here ticks sit on calendar boundaries (a day, a Monday,
//! the first of a month, New Year's Day) and the step is the finest whose labels fit the
//! plot's width, measured with the same generous estimate of text width the tests use.

use std::ops::Range;

use chrono::{Datelike, Duration, NaiveDate};
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

/// A generous width of one character, in ems: wider than the average of common sans
/// serif faces (DejaVu Sans, the widest usual one, averages about 0.6 em on labels like
/// "Nov 2026"), so a label that fits by this estimate fits in any of them.
pub const CHAR_EM: f64 = 0.62;
/// The least space between two neighbouring labels, in ems.
const GAP_EM: f64 = 0.5;
/// How far a label may reach past either end of the plot, into the margin beside it.
pub const HANG_PX: f64 = 20.0;

/// The estimated width in pixels of `text` at `font_px`.
pub fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().count() as f64 * CHAR_EM * font_px
}

/// An axis over whole numbers (days, or half months) with ticks chosen in advance.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    from: i32,
    to: i32,
    ticks: Vec<(i32, String)>,
}

/// A calendar step between ticks, finest first.
#[derive(Clone, Copy, Debug)]
enum Step {
    Days(i64),
    Weeks(i64),
    Months(u32),
    Years(i32),
}

const STEPS: [Step; 16] = [
    Step::Days(1),
    Step::Days(2),
    Step::Days(3),
    Step::Weeks(1),
    Step::Weeks(2),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
];

/// A day as a number on a chart's x axis.
pub fn day_number(day: NaiveDate) -> i32 {
    day.num_days_from_ce()
}

fn date_of(number: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(number)
}

impl Step {
    /// Ticks from `from` to `to` (day numbers, both included) on this step's boundaries.
    fn ticks(self, from: NaiveDate, to: NaiveDate) -> Vec<(i32, String)> {
        let mut days: Vec<NaiveDate> = Vec::new();
        let mut push = |day: NaiveDate| {
            if day >= from && day <= to {
                days.push(day);
            }
        };
        match self {
            Step::Days(n) => {
                // Anchored to the calendar, so the same day is a tick whatever the span.
                let first = from.num_days_from_ce() as i64;
                let mut day = from + Duration::days((n - first.rem_euclid(n)) % n);
                while day <= to {
                    push(day);
                    day += Duration::days(n);
                }
            }
            Step::Weeks(n) => {
                let monday = from - Duration::days(from.weekday().num_days_from_monday().into());
                let index = (monday.num_days_from_ce() as i64).div_euclid(7);
                let mut day = monday + Duration::weeks((n - index.rem_euclid(n)) % n);
                while day <= to {
                    push(day);
                    day += Duration::weeks(n);
                }
            }
            Step::Months(n) => {
                let mut month = from.with_day(1).unwrap_or(from);
                while !month.month0().is_multiple_of(n) {
                    month = month + chrono::Months::new(1);
                }
                while month <= to {
                    push(month);
                    month = month + chrono::Months::new(n);
                }
            }
            Step::Years(n) => {
                let mut year = from.year();
                year += (n - year.rem_euclid(n)) % n;
                while let Some(day) = NaiveDate::from_ymd_opt(year, 1, 1) {
                    if day > to {
                        break;
                    }
                    push(day);
                    year += n;
                }
            }
        }
        let format = match self {
            Step::Days(_) | Step::Weeks(_) => "%-d %b",
            Step::Months(_) => "%b %Y",
            Step::Years(_) => "%Y",
        };
        days.into_iter()
            .map(|d| (day_number(d), d.format(format).to_string()))
            .collect()
    }
}

impl Axis {
    /// A day axis from `from` to `to` (both shown), `plot_px` wide, labels at `font_px`.
    pub fn days(from: NaiveDate, to: NaiveDate, plot_px: f64, font_px: f64) -> Axis {
        let (from, to) = if to > from {
            (from, to)
        } else {
            (from, from + Duration::days(1))
        };
        let (a, b) = (day_number(from), day_number(to));
        let ticks = STEPS
            .iter()
            .map(|step| within(step.ticks(from, to), a, b, plot_px, font_px))
            .find(|ticks| !ticks.is_empty() && fits(ticks, a, b, plot_px, font_px))
            // A span too narrow for even one label: name its first day alone.
            .unwrap_or_else(|| vec![(a, from.format("%-d %b %Y").to_string())]);
        Axis {
            from: a,
            to: b,
            ticks,
        }
    }

    /// One slot per month (the months given, oldest first): a month `i` is drawn at
    /// `2i + 1` on an axis from 0 to `2n`, so each has half a slot of room either side.
    /// Every month is named when the labels fit, else every second, third… month.
    pub fn months(months: &[NaiveDate], plot_px: f64, font_px: f64) -> Axis {
        let n = i32::try_from(months.len()).unwrap_or(i32::MAX / 4).max(1);
        let (from, to) = (0, 2 * n);
        let named = |every: usize| -> Vec<(i32, String)> {
            months
                .iter()
                .enumerate()
                .rev()
                .step_by(every)
                .map(|(i, m)| (month_slot(i), m.format("%b %Y").to_string()))
                .rev()
                .collect()
        };
        let ticks = (1..=months.len().max(1))
            .map(named)
            .find(|ticks| fits(ticks, from, to, plot_px, font_px))
            .unwrap_or_default();
        Axis { from, to, ticks }
    }

    /// An axis from `from` to `to` labelled at `candidates` (in order), keeping those
    /// that fit: from the last one back, a label is kept when it is not already used and
    /// leaves room beside the one kept after it.
    pub fn thinned(
        from: i32,
        to: i32,
        candidates: Vec<(i32, String)>,
        plot_px: f64,
        font_px: f64,
    ) -> Axis {
        let mut candidates = within(candidates, from, to, plot_px, font_px);
        candidates.sort_by_key(|(v, _)| *v);
        let mut kept: Vec<(i32, String)> = Vec::new();
        for tick in candidates.into_iter().rev() {
            let unused = kept.iter().all(|(_, label)| *label != tick.1);
            let room = kept
                .last()
                .is_none_or(|next| fits(&[tick.clone(), next.clone()], from, to, plot_px, font_px));
            if unused && room {
                kept.push(tick);
            }
        }
        kept.reverse();
        Axis {
            from,
            to,
            ticks: kept,
        }
    }

    /// An axis from `from` to `to` labelled at `ticks`, as given (the calendar's rows).
    pub fn with_ticks(from: i32, to: i32, ticks: Vec<(i32, String)>) -> Axis {
        Axis { from, to, ticks }
    }

    /// The ticks and their labels.
    pub fn ticks(&self) -> &[(i32, String)] {
        &self.ticks
    }

    /// The first and last value on the axis.
    pub fn bounds(&self) -> (i32, i32) {
        (self.from, self.to)
    }
}

/// Where month `i` of a month axis is drawn.
pub fn month_slot(i: usize) -> i32 {
    i32::try_from(i).map_or(i32::MAX, |i| 2 * i + 1)
}

/// The ticks whose labels stay within the plot give or take [`HANG_PX`].
fn within(
    ticks: Vec<(i32, String)>,
    from: i32,
    to: i32,
    plot_px: f64,
    font_px: f64,
) -> Vec<(i32, String)> {
    let span = f64::from((to - from).max(1));
    ticks
        .into_iter()
        .filter(|(v, label)| {
            let x = f64::from(v - from) / span * plot_px;
            let half = text_width(label, font_px) / 2.0;
            x - half >= -HANG_PX && x + half <= plot_px + HANG_PX
        })
        .collect()
}

/// Whether labels at `ticks` on an axis from `from` to `to`, `plot_px` wide, keep at
/// least a gap between neighbours and stay within the plot (give or take half a label,
/// which the chart's margins hold).
fn fits(ticks: &[(i32, String)], from: i32, to: i32, plot_px: f64, font_px: f64) -> bool {
    let span = f64::from((to - from).max(1));
    let x = |v: i32| f64::from(v - from) / span * plot_px;
    let gap = GAP_EM * font_px;
    ticks.windows(2).all(|pair| {
        let (a, b) = (&pair[0], &pair[1]);
        let room = x(b.0) - x(a.0);
        room >= (text_width(&a.1, font_px) + text_width(&b.1, font_px)) / 2.0 + gap
    })
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = i32;

    fn map(&self, value: &i32, limit: (i32, i32)) -> i32 {
        let span = f64::from((self.to - self.from).max(1));
        let share = f64::from(value - self.from) / span;
        limit.0 + (f64::from(limit.1 - limit.0) * share).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<i32> {
        if hint.max_num_points() == 0 {
            return Vec::new();
        }
        self.ticks.iter().map(|(v, _)| *v).collect()
    }

    fn range(&self) -> Range<i32> {
        self.from..self.to
    }
}

impl ValueFormatter<i32> for Axis {
    fn format_ext(&self, value: &i32) -> String {
        self.ticks
            .iter()
            .find(|(v, _)| v == value)
            .map(|(_, label)| label.clone())
            .or_else(|| date_of(*value).map(|d| d.format("%-d %b %Y").to_string()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn labels(axis: &Axis) -> Vec<&str> {
        axis.ticks().iter().map(|(_, l)| l.as_str()).collect()
    }

    #[test]
    fn two_months_are_named_once_each() {
        // The defect: "Oct 2026, Nov 2026, Nov 2026, Nov 2026" over one or two months.
        let axis = Axis::days(day(2026, 10, 20), day(2026, 11, 28), 600.0, 13.0);
        let names = labels(&axis);
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(names, unique, "{names:?}");
        assert!(names.len() >= 3, "{names:?}");
    }

    #[test]
    fn a_few_days_get_a_tick_each_and_the_ends_stay_inside() {
        // The first and last days are the padding, whose labels would leave the plot.
        let axis = Axis::days(day(2026, 11, 25), day(2026, 11, 29), 600.0, 13.0);
        assert_eq!(labels(&axis), ["26 Nov", "27 Nov", "28 Nov"]);
    }

    #[test]
    fn a_year_is_named_by_months_and_decades_by_years() {
        let year = Axis::days(day(2025, 11, 1), day(2026, 11, 28), 600.0, 13.0);
        assert!(
            labels(&year).iter().all(|l| l.len() == 8),
            "{:?}",
            labels(&year)
        );
        let decades = Axis::days(day(1990, 1, 1), day(2026, 11, 28), 600.0, 13.0);
        assert!(
            labels(&decades).iter().all(|l| l.len() == 4),
            "{:?}",
            labels(&decades)
        );
    }

    #[test]
    fn months_are_thinned_to_fit() {
        let months: Vec<NaiveDate> = (0..40)
            .map(|i| day(2023, 1, 1) + chrono::Months::new(i))
            .collect();
        let axis = Axis::months(&months, 500.0, 13.0);
        assert!(axis.ticks().len() < 40 && axis.ticks().len() >= 3);
        assert_eq!(
            axis.ticks().last().unwrap().0,
            month_slot(39),
            "the newest is named"
        );
        let one = Axis::months(&months[..1], 500.0, 13.0);
        assert_eq!(labels(&one), ["Jan 2023"]);
    }
}
