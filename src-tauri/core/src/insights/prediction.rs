//! Prediction calibration: how well the person's `predicted_success` matched what
//! happened. The essay promises "better calibrated models" from iterative failure; the
//! Brier score over time shows whether predictions get sharper.
//!
//! An outcome counts 1 for success, ½ for partial, 0 for failure; pending attempts wait.
//! Brier score = mean of (prediction − outcome)², predictions as 0–1. 0 is perfect;
//! always answering 50% scores at most 0.25.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{mean, nice, Bucket, Range};
use crate::cycle::{Cycle, Outcome};

/// The calibration table's bands of predicted success, in percent (inclusive).
pub const BANDS: [(u8, u8); 5] = [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PredictionBand {
    pub low: u8,
    pub high: u8,
    pub count: usize,
    /// Mean prediction in the band, in percent.
    pub predicted: Option<f64>,
    /// Share that succeeded (partials count half), in percent.
    pub succeeded: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BrierPoint {
    /// First day of the week or month.
    pub day: NaiveDate,
    pub brier: f64,
    pub count: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Prediction {
    /// Attempts in the range with a prediction and a known outcome.
    pub scored: usize,
    pub brier: Option<f64>,
    /// Brier score of the earlier and later half of the scored attempts (4 or more).
    pub brier_earlier: Option<f64>,
    pub brier_later: Option<f64>,
    pub bands: Vec<PredictionBand>,
    pub series: Vec<BrierPoint>,
    pub bucket: Option<Bucket>,
}

fn outcome_value(outcome: Outcome) -> Option<f64> {
    match outcome {
        Outcome::Success => Some(1.0),
        Outcome::Partial => Some(0.5),
        Outcome::Failure => Some(0.0),
        Outcome::Pending => None,
    }
}

/// Score the predictions in `range` (any order of cycles).
pub fn prediction(cycles: &[Cycle], range: Range, today: NaiveDate) -> Prediction {
    let mut scored: Vec<(&Cycle, f64, f64)> = cycles
        .iter()
        .filter(|c| range.contains(c.fields.attempted_on, today))
        .filter_map(|c| {
            let p = f64::from(c.fields.predicted_success?) / 100.0;
            Some((c, p, outcome_value(c.fields.outcome)?))
        })
        .collect();
    scored.sort_by_key(|(c, _, _)| (c.fields.attempted_on, c.created_at, c.id));
    let brier = |rows: &[(&Cycle, f64, f64)]| mean(rows.iter().map(|(_, p, o)| (p - o).powi(2)));
    let (brier_earlier, brier_later) = if scored.len() >= 4 {
        let half = scored.len() / 2;
        (
            brier(&scored[..half]),
            brier(&scored[scored.len() - half..]),
        )
    } else {
        (None, None)
    };
    let bands = BANDS
        .iter()
        .map(|&(low, high)| {
            let inside: Vec<&(&Cycle, f64, f64)> = scored
                .iter()
                .filter(|(c, _, _)| {
                    c.fields
                        .predicted_success
                        .is_some_and(|p| p >= low && p <= high)
                })
                .collect();
            PredictionBand {
                low,
                high,
                count: inside.len(),
                predicted: mean(inside.iter().map(|(_, p, _)| p * 100.0)),
                succeeded: mean(inside.iter().map(|(_, _, o)| o * 100.0)),
            }
        })
        .collect();
    let span = match (scored.first(), scored.last()) {
        (Some(a), Some(b)) => (b.0.fields.attempted_on - a.0.fields.attempted_on).num_days(),
        _ => 0,
    };
    // Weekly over short spans, monthly over long ones: a Brier score of one attempt
    // says little, so never one mark per attempt.
    let bucket = if span <= 120 {
        Bucket::Week
    } else {
        Bucket::Month
    };
    let mut groups: BTreeMap<NaiveDate, (f64, usize)> = BTreeMap::new();
    for (c, p, o) in &scored {
        let g = groups
            .entry(bucket.start(c.fields.attempted_on))
            .or_default();
        g.0 += (p - o).powi(2);
        g.1 += 1;
    }
    Prediction {
        scored: scored.len(),
        brier: brier(&scored),
        brier_earlier,
        brier_later,
        bands,
        series: groups
            .into_iter()
            .map(|(day, (sum, count))| BrierPoint {
                day,
                brier: sum / count as f64,
                count,
            })
            .collect(),
        bucket: (!scored.is_empty()).then_some(bucket),
    }
}

impl Prediction {
    pub fn sentence(&self, range: Range) -> String {
        let Some(brier) = self.brier else {
            return format!(
                "No predictions with a known outcome {}. Before an attempt, give how likely \
                 success looks (0–100%); this then shows how well your predictions match.",
                if range == Range::All {
                    "yet"
                } else {
                    range.phrase()
                }
            );
        };
        let two = |v: f64| format!("{v:.2}");
        match (self.brier_earlier, self.brier_later) {
            (Some(a), Some(b)) if b < a - 0.005 => format!(
                "Your predictions got sharper: their Brier score fell from {} to {} (0 is \
                 perfect; always guessing 50% scores 0.25).",
                two(a),
                two(b)
            ),
            (Some(a), Some(b)) => format!(
                "Your predictions' Brier score went from {} to {} (0 is perfect; always \
                 guessing 50% scores 0.25).",
                two(a),
                two(b)
            ),
            _ => format!(
                "Your predictions' Brier score is {} over {} {} (0 is perfect; always \
                 guessing 50% scores 0.25).",
                two(brier),
                nice(self.scored as f64),
                if self.scored == 1 {
                    "attempt"
                } else {
                    "attempts"
                }
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Partial, Pending, Success};
    use crate::insights::testing::{cycle, day};

    fn predicted(n: u128, d: i64, p: u8, outcome: Outcome) -> Cycle {
        let mut c = cycle(n, "a", d, outcome);
        c.fields.predicted_success = Some(p);
        c
    }

    #[test]
    fn brier_and_bands_by_hand() {
        // (0.9 − 1)² = 0.01, (0.9 − 0)² = 0.81, (0.3 − 0.5)² = 0.04, (0.1 − 0)² = 0.01.
        // Mean 0.87 / 4 = 0.2175. Earlier half (0.01 + 0.81)/2 = 0.41; later 0.025.
        let cycles = [
            predicted(1, 1, 90, Success),
            predicted(2, 2, 90, Failure),
            predicted(3, 3, 30, Partial),
            predicted(4, 4, 10, Failure),
            predicted(5, 5, 50, Pending), // waits for its outcome
            cycle(6, "a", 6, Success),    // no prediction
        ];
        let p = prediction(&cycles, Range::All, day(10));
        assert_eq!(p.scored, 4);
        assert!((p.brier.unwrap() - 0.2175).abs() < 1e-9);
        assert!((p.brier_earlier.unwrap() - 0.41).abs() < 1e-9);
        assert!((p.brier_later.unwrap() - 0.025).abs() < 1e-9);
        let top = &p.bands[4];
        assert_eq!(
            (top.count, top.predicted, top.succeeded),
            (2, Some(90.0), Some(50.0))
        );
        assert_eq!(p.bands[2].count, 0);
        assert_eq!(p.bands[1].succeeded, Some(50.0));
        assert_eq!(
            p.sentence(Range::All),
            "Your predictions got sharper: their Brier score fell from 0.41 to 0.03 (0 is \
             perfect; always guessing 50% scores 0.25)."
        );
    }

    #[test]
    fn nothing_predicted_says_how_to_start() {
        let p = prediction(&[cycle(1, "a", 1, Success)], Range::All, day(1));
        assert!(p.sentence(Range::All).starts_with("No predictions"));
        assert!(p.series.is_empty());
    }
}
