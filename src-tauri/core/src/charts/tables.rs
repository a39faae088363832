//! Each chart's numbers as a table: the text alternative the window puts under "Show
//! numbers" for screen readers and the curious. Its rows are the marks the chart draws
//! (already grouped, so a long history gives a table of weeks or months, not of
//! cycles); its summary holds every number the sentence under the chart says, so the
//! words, the table and the picture can be checked against each other (and are, in
//! tests/core/agreement.rs).

use serde::Serialize;

use super::Kind;
use crate::insights::calibration::MIN_ATTEMPTS;
use crate::insights::loops::Share;
use crate::insights::{nice, Bucket, Dashboard};
use crate::text::one_line;

/// Most rows a table sends; the latest are kept.
pub const MAX_ROWS: usize = 400;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Earlier rows left out to keep the table short.
    pub omitted: usize,
    /// The totals the sentence under the chart gives, as (what, value) pairs.
    pub summary: Vec<[String; 2]>,
}

fn one(value: Option<f64>) -> String {
    value.map_or("–".to_string(), |v| format!("{v:.1}"))
}

/// A share as "40% (2/5)": the percent, then the counts it comes from.
fn share(s: &Share) -> String {
    format!("{} ({}/{})", pct(s.percent), s.part, s.whole)
}

fn pct(value: Option<f64>) -> String {
    value.map_or("–".to_string(), |v| format!("{v:.0}%"))
}

/// A number as the sentences write it: whole when it is, else one decimal.
fn said(value: Option<f64>) -> String {
    value.map_or("–".to_string(), nice)
}

fn pair(what: &str, value: impl ToString) -> [String; 2] {
    [what.to_string(), value.to_string()]
}

fn per(bucket: Option<Bucket>) -> &'static str {
    match bucket {
        Some(Bucket::Week) => "Week of",
        Some(Bucket::Month) => "Month",
        _ => "Day",
    }
}

/// The table behind chart `kind`.
pub fn table(kind: Kind, d: &Dashboard) -> Table {
    let (caption, columns, rows): (String, Vec<&str>, Vec<Vec<String>>) = match kind {
        Kind::Evidence => (
            "Setbacks followed by another attempt, running total by day".into(),
            vec!["Day", "Running total"],
            // A range that starts after some evidence starts from that total: the
            // flat line the chart draws from the range's first day.
            d.evidence
                .first_day
                .filter(|_| d.evidence.before > 0)
                .map(|day| vec![day.to_string(), d.evidence.before.to_string()])
                .into_iter()
                .chain(
                    d.evidence
                        .series
                        .iter()
                        .map(|p| vec![p.day.to_string(), p.total.to_string()]),
                )
                .collect(),
        ),
        Kind::Recovery => (
            "Days from each setback to the next genuine attempt, with the rolling median".into(),
            vec![
                per(d.recovery.bucket),
                "Setbacks",
                "Days to try again",
                "Rolling median",
            ],
            d.recovery
                .points
                .iter()
                .map(|p| {
                    vec![
                        p.day.to_string(),
                        p.count.to_string(),
                        one(Some(p.days)),
                        one(Some(p.rolling_median)),
                    ]
                })
                .chain(super::recovery::waiting(d).map(|o| {
                    vec![
                        o.setback_on.to_string(),
                        format!("open in {}", one_line(&o.area, 40)),
                        format!("waiting {} days", o.age_days),
                        String::new(),
                    ]
                }))
                .collect(),
        ),
        Kind::Aftermath => (
            "Rolling means of stress and verdict after setbacks, 0 to 10".into(),
            vec![
                per(d.aftermath.bucket),
                "Setbacks",
                "Stress",
                "Verdict on me",
            ],
            d.aftermath
                .points
                .iter()
                .map(|p| {
                    vec![
                        p.day.to_string(),
                        p.count.to_string(),
                        one(p.stress),
                        one(p.identity),
                    ]
                })
                .collect(),
        ),
        Kind::Ladder => (
            format!(
                "Difficulty of genuine attempts in {}, by outcome",
                d.ladder
                    .area
                    .as_deref()
                    .map_or("no area".to_string(), |a| one_line(a, 40))
            ),
            vec![per(d.ladder.bucket), "Outcome", "Attempts", "Difficulty"],
            d.ladder
                .points
                .iter()
                .map(|p| {
                    vec![
                        p.day.to_string(),
                        p.outcome.to_string(),
                        p.count.to_string(),
                        one(Some(p.difficulty)),
                    ]
                })
                .collect(),
        ),
        Kind::Calendar => (
            "Attempts per week, last 52 weeks".into(),
            vec!["Week of", "Attempts", "Days practised"],
            d.practice
                .start
                .filter(|_| d.practice.attempts > 0)
                .map(|start| {
                    d.practice
                        .days
                        .chunks(7)
                        .enumerate()
                        .map(|(w, days)| {
                            vec![
                                (start + chrono::Duration::weeks(w as i64)).to_string(),
                                days.iter().sum::<u32>().to_string(),
                                days.iter().filter(|&&n| n > 0).count().to_string(),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default(),
        ),
        Kind::Loops => (
            "Loop quality over the 3 months ending with each month, as drawn".into(),
            vec![
                "Month",
                "Loop closed",
                "Adjustment tested",
                "Tested and better",
            ],
            d.loops
                .months
                .iter()
                .map(|m| {
                    vec![
                        m.month.format("%Y-%m").to_string(),
                        share(&m.rolling.completed),
                        share(&m.rolling.tested),
                        share(&m.rolling.better),
                    ]
                })
                .collect(),
        ),
        Kind::Brs => (
            "Brief Resilience Scale score at each check-in, 1 to 5".into(),
            vec!["Day", "Score"],
            d.checkins
                .iter()
                .map(|c| vec![c.day.to_string(), format!("{:.2}", c.score)])
                .collect(),
        ),
        Kind::Prediction => (
            "Predicted success against the share that succeeded, then the Brier score over time"
                .into(),
            vec![
                "Predicted band or period",
                "Attempts",
                "Mean prediction",
                "Succeeded or Brier",
            ],
            d.prediction
                .bands
                .iter()
                .filter(|b| b.count > 0)
                .map(|b| {
                    vec![
                        format!("{}–{}%", b.low, b.high),
                        b.count.to_string(),
                        pct(b.predicted),
                        pct(b.succeeded),
                    ]
                })
                .chain(d.prediction.series.iter().map(|p| {
                    vec![
                        p.day.to_string(),
                        p.count.to_string(),
                        String::new(),
                        format!("Brier {:.3}", p.brier),
                    ]
                }))
                .collect(),
        ),
    };
    let omitted = rows.len().saturating_sub(MAX_ROWS);
    Table {
        caption,
        columns: columns.into_iter().map(String::from).collect(),
        rows: rows.into_iter().skip(omitted).collect(),
        omitted,
        summary: summary(kind, d),
    }
}

/// The totals behind chart `kind`'s sentence.
fn summary(kind: Kind, d: &Dashboard) -> Vec<[String; 2]> {
    match kind {
        Kind::Evidence => {
            let e = &d.evidence;
            vec![
                pair("Setbacks followed by another attempt", e.total),
                pair("Failures among them", e.failures),
                pair("Partials among them", e.partials),
                pair("Areas with evidence", e.areas),
                pair("Setbacks waiting for a next attempt", e.open),
            ]
        }
        Kind::Recovery => {
            let r = &d.recovery;
            vec![
                pair("Returns in the range", r.returns),
                pair("Median days to try again", said(r.median_days)),
                pair("Median, earlier half", said(r.earlier_median)),
                pair("Median, later half", said(r.later_median)),
                pair("Setbacks waiting for a next attempt", r.open_count),
                pair(
                    "Days the oldest has waited",
                    r.open
                        .first()
                        .map_or("–".to_string(), |o| o.age_days.to_string()),
                ),
            ]
        }
        Kind::Aftermath => {
            let a = &d.aftermath;
            vec![
                pair("Rated setbacks", a.rated),
                pair("Stress, mean", said(a.stress_mean)),
                pair("Stress, earlier half", said(a.stress_earlier)),
                pair("Stress, later half", said(a.stress_later)),
                pair("Verdict on me, mean", said(a.identity_mean)),
                pair("Verdict on me, earlier half", said(a.identity_earlier)),
                pair("Verdict on me, later half", said(a.identity_later)),
            ]
        }
        Kind::Ladder => match &d.ladder.calibration {
            Some(c) => vec![
                pair("Recent finished genuine attempts", c.attempts),
                pair("Went well (success 1, partial ½)", pct(c.success_rate)),
                pair("Mean difficulty", said(c.mean_difficulty)),
                pair("Zone", c.zone.words()),
                pair("Target band", format!("{}–{}%", d.band.low, d.band.high)),
                pair(
                    "Suggested next difficulty",
                    c.suggested.map_or("–".to_string(), |s| s.to_string()),
                ),
                pair("Attempts before a zone is given", MIN_ATTEMPTS),
            ],
            None => Vec::new(),
        },
        Kind::Calendar => {
            let p = &d.practice;
            vec![
                pair("Attempts in the last 52 weeks", p.attempts),
                pair("Days practised", p.active_days),
                pair("Most attempts on one day", p.busiest),
            ]
        }
        Kind::Loops => {
            let q = &d.loops;
            let mut rows = vec![
                pair("Setbacks with the loop closed", share(&q.completed)),
                pair("Adjustments tested on the next attempt", share(&q.tested)),
                pair(
                    "Tested adjustments that made it go better",
                    share(&q.better),
                ),
            ];
            for g in &q.safety {
                rows.push(pair(
                    &format!("{}: loop closed", g.label),
                    share(&g.completed),
                ));
                rows.push(pair(
                    &format!("{}: adjustment tested", g.label),
                    share(&g.tested),
                ));
                rows.push(pair(
                    &format!("{}: tested and better", g.label),
                    share(&g.better),
                ));
            }
            rows
        }
        Kind::Brs => match (d.checkins.first(), d.checkins.last()) {
            (Some(first), Some(last)) => vec![
                pair("Check-ins", d.checkins.len()),
                pair("First score", nice(first.score)),
                pair("Latest score", nice(last.score)),
            ],
            _ => Vec::new(),
        },
        Kind::Prediction => {
            let p = &d.prediction;
            let two = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.2}"));
            vec![
                pair("Predictions with an outcome", p.scored),
                pair("Brier score", two(p.brier)),
                pair("Brier score, earlier half", two(p.brier_earlier)),
                pair("Brier score, later half", two(p.brier_later)),
            ]
        }
    }
}
