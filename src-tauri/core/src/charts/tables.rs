//! Each chart's numbers as a table: the text alternative the window puts under "Show
//! numbers" for screen readers and the curious. The same (already grouped) numbers the
//! chart draws, so a long history gives a table of weeks or months, not of cycles.

use serde::Serialize;

use super::Kind;
use crate::insights::loops::Share;
use crate::insights::{Bucket, Dashboard};
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
            d.evidence
                .series
                .iter()
                .map(|p| vec![p.day.to_string(), p.total.to_string()])
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
                .chain(d.recovery.open.iter().map(|o| {
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
            "Loop quality by month (and by context safety at the end)".into(),
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
                        share(&m.completed),
                        share(&m.tested),
                        share(&m.better),
                    ]
                })
                .chain(d.loops.safety.iter().map(|g| {
                    vec![
                        g.label.to_string(),
                        share(&g.completed),
                        share(&g.tested),
                        share(&g.better),
                    ]
                }))
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
    }
}
