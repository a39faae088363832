//! The prediction track record, in the manner of forecasting tools (Fatebook's
//! calibration chart and track record): predictions in 10% bins with their counts and
//! the cycles in each, the last 90 days beside all time, the Brier score on its named
//! 0–1 scale, and its split into reliability and resolution (Murphy 1973) once there
//! are enough scored attempts for the split to mean something.
//!
//! An outcome counts 1 for success, ½ for partial, 0 for failure; pending ones wait.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::mean;
use crate::cycle::{Cycle, CycleId, Outcome};

/// The recent window, in days, shown beside all time.
pub const RECENT_DAYS: i64 = 90;
/// Scored attempts needed before the Brier score is split into reliability and
/// resolution: about 3 per bin. With fewer, the parts are mostly noise, and the
/// reliability part is biased upward (Bröcker 2012).
pub const MIN_FOR_DECOMPOSITION: usize = 30;
/// How many of a bin's cycles are listed (the newest); the count is always whole.
pub const BIN_CYCLES_MAX: usize = 25;

/// A cycle listed under a bin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BinCycle {
    pub id: CycleId,
    pub area: String,
    pub attempted_on: NaiveDate,
    pub attempt: String,
    pub predicted_success: u8,
    pub outcome: Outcome,
}

/// Predictions from `low` to `high` percent (both included).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bin {
    pub low: u8,
    pub high: u8,
    pub count: usize,
    /// The mean prediction in the bin, in percent.
    pub predicted: Option<f64>,
    /// The share that happened (partials count half), in percent.
    pub happened: Option<f64>,
    /// The newest [`BIN_CYCLES_MAX`] of its cycles, newest first.
    pub cycles: Vec<BinCycle>,
}

/// The Brier score split (Murphy 1973): reliability − resolution + uncertainty.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Decomposition {
    /// How far each bin's predictions sit from what happened in it (0 is best).
    pub reliability: f64,
    /// How far the bins' outcomes spread from the overall rate (higher is better).
    pub resolution: f64,
    /// The spread of the outcomes themselves, which no forecast changes.
    pub uncertainty: f64,
}

/// The track record over one window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Track {
    /// `90d` or `all`.
    pub window: &'static str,
    pub scored: usize,
    /// Mean of (prediction − outcome)², predictions as 0–1: 0 is perfect, 1 is always
    /// fully wrong, always answering 50% scores at most 0.25.
    pub brier: Option<f64>,
    pub bins: Vec<Bin>,
    /// `None` below [`MIN_FOR_DECOMPOSITION`] scored attempts.
    pub decomposition: Option<Decomposition>,
}

/// The last 90 days and all time, side by side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrackRecord {
    pub recent: Track,
    pub all_time: Track,
    pub min_for_decomposition: usize,
}

fn value(outcome: Outcome) -> Option<f64> {
    match outcome {
        Outcome::Success => Some(1.0),
        Outcome::Partial => Some(0.5),
        Outcome::Failure => Some(0.0),
        Outcome::Pending => None,
    }
}

/// The bin of a prediction: 0–9 is bin 0, …, 90–100 is bin 9.
fn bin_of(predicted: u8) -> usize {
    usize::from(predicted.min(99) / 10)
}

fn track(window: &'static str, mut scored: Vec<(&Cycle, u8, f64)>) -> Track {
    // Newest attempt first; the same day, the newest logged first.
    scored.sort_by_key(|(c, _, _)| std::cmp::Reverse((c.fields.attempted_on, c.created_at, c.id)));
    let brier = mean(
        scored
            .iter()
            .map(|(_, p, o)| (f64::from(*p) / 100.0 - o).powi(2)),
    );
    let bins: Vec<Bin> = (0..10u8)
        .map(|k| {
            let inside: Vec<&(&Cycle, u8, f64)> = scored
                .iter()
                .filter(|(_, p, _)| bin_of(*p) == usize::from(k))
                .collect();
            Bin {
                low: k * 10,
                high: if k == 9 { 100 } else { k * 10 + 9 },
                count: inside.len(),
                predicted: mean(inside.iter().map(|(_, p, _)| f64::from(*p))),
                happened: mean(inside.iter().map(|(_, _, o)| o * 100.0)),
                cycles: inside
                    .iter()
                    .take(BIN_CYCLES_MAX)
                    .map(|(c, p, _)| BinCycle {
                        id: c.id,
                        area: c.fields.area.clone(),
                        attempted_on: c.fields.attempted_on,
                        attempt: c.fields.attempt.clone(),
                        predicted_success: *p,
                        outcome: c.fields.outcome,
                    })
                    .collect(),
            }
        })
        .collect();
    let decomposition = (scored.len() >= MIN_FOR_DECOMPOSITION)
        .then(|| decompose(&scored, &bins))
        .flatten();
    Track {
        window,
        scored: scored.len(),
        brier,
        bins,
        decomposition,
    }
}

/// Murphy's partition over the bins: with n_k attempts in bin k, mean prediction f_k and
/// mean outcome o_k, and overall mean outcome ō over N attempts,
/// reliability = Σ n_k (f_k − o_k)² / N, resolution = Σ n_k (o_k − ō)² / N, and
/// uncertainty = Σ (o − ō)² / N (for outcomes of 0 or 1 that is ō(1 − ō)). When the
/// predictions inside a bin differ, the three add up to the Brier score only nearly.
fn decompose(scored: &[(&Cycle, u8, f64)], bins: &[Bin]) -> Option<Decomposition> {
    let n = scored.len() as f64;
    let overall = mean(scored.iter().map(|(_, _, o)| *o))?;
    let mut reliability = 0.0;
    let mut resolution = 0.0;
    for bin in bins.iter().filter(|b| b.count > 0) {
        let f = bin.predicted? / 100.0;
        let o = bin.happened? / 100.0;
        reliability += bin.count as f64 * (f - o).powi(2);
        resolution += bin.count as f64 * (o - overall).powi(2);
    }
    let uncertainty = scored
        .iter()
        .map(|(_, _, o)| (o - overall).powi(2))
        .sum::<f64>()
        / n;
    Some(Decomposition {
        reliability: reliability / n,
        resolution: resolution / n,
        uncertainty,
    })
}

/// The track record on `today`: predictions with a known outcome, by when attempted.
pub fn track_record(cycles: &[Cycle], today: NaiveDate) -> TrackRecord {
    let scored: Vec<(&Cycle, u8, f64)> = cycles
        .iter()
        .filter_map(|c| Some((c, c.fields.predicted_success?, value(c.fields.outcome)?)))
        .collect();
    let start = today - Duration::days(RECENT_DAYS - 1);
    let recent = scored
        .iter()
        .filter(|(c, _, _)| c.fields.attempted_on >= start)
        .copied()
        .collect();
    TrackRecord {
        recent: track("90d", recent),
        all_time: track("all", scored),
        min_for_decomposition: MIN_FOR_DECOMPOSITION,
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
    fn bins_of_ten_with_counts_and_their_cycles_by_hand() {
        // Today is day 200; day 100 is more than 90 days back.
        // 95% success (bin 90–100), 90% failure (bin 90–100), 35% partial (bin 30–39),
        // 100% success (bin 90–100), 5% failure on day 100 (bin 0–9, all time only),
        // a pending 50% (waits) and a success with no prediction (not scored).
        let cycles = [
            predicted(1, 195, 95, Success),
            predicted(2, 196, 90, Failure),
            predicted(3, 197, 35, Partial),
            predicted(4, 198, 100, Success),
            predicted(5, 100, 5, Failure),
            predicted(6, 199, 50, Pending),
            cycle(7, "a", 199, Success),
        ];
        let t = track_record(&cycles, day(200));
        assert_eq!((t.recent.scored, t.all_time.scored), (4, 5));
        let top = &t.all_time.bins[9];
        assert_eq!((top.low, top.high, top.count), (90, 100, 3));
        // Mean prediction (95 + 90 + 100)/3 = 95; happened (1 + 0 + 1)/3 = 66.7%.
        assert!((top.predicted.unwrap() - 95.0).abs() < 1e-9);
        assert!((top.happened.unwrap() - 200.0 / 3.0).abs() < 1e-9);
        let ids: Vec<CycleId> = top.cycles.iter().map(|c| c.id).collect();
        assert_eq!(
            ids,
            [cycles[3].id, cycles[1].id, cycles[0].id],
            "newest first"
        );
        assert_eq!(t.all_time.bins[3].happened, Some(50.0));
        assert_eq!(t.all_time.bins[0].count, 1);
        assert_eq!(t.recent.bins[0].count, 0);
        // Brier, recent: (0.95−1)² + (0.9−0)² + (0.35−0.5)² + (1−1)² = 0.0025 + 0.81 +
        // 0.0225 + 0 = 0.835; / 4 = 0.20875.
        assert!((t.recent.brier.unwrap() - 0.20875).abs() < 1e-9);
        assert!(t.all_time.decomposition.is_none(), "5 is below 30");
    }

    #[test]
    fn the_decomposition_appears_from_thirty_and_adds_up_when_bins_are_uniform() {
        // 30 predictions: 20 at 80% (16 succeed, 4 fail) and 10 at 20% (2 succeed).
        // Bin 80: f = .8, o = .8 → reliability 0. Bin 20: f = .2, o = .2 → 0.
        // ō = 18/30 = .6. Resolution = (20 (.8 − .6)² + 10 (.2 − .6)²)/30 = (0.8 + 1.6)/30
        // = 0.08. Uncertainty = .6 × .4 = 0.24. So Brier = 0 − 0.08 + 0.24 = 0.16; directly,
        // 16 × (.8 − 1)² + 4 × .8² + 2 × (.2 − 1)² + 8 × .2² = 0.64 + 2.56 + 1.28 + 0.32
        // = 4.8, and 4.8 / 30 = 0.16.
        let mut cycles = Vec::new();
        for n in 0..20u128 {
            cycles.push(predicted(
                n,
                100,
                80,
                if n < 16 { Success } else { Failure },
            ));
        }
        for n in 20..30u128 {
            cycles.push(predicted(
                n,
                100,
                20,
                if n < 22 { Success } else { Failure },
            ));
        }
        let t = track_record(&cycles, day(100));
        let d = t.all_time.decomposition.unwrap();
        assert!(d.reliability.abs() < 1e-9);
        assert!((d.resolution - 0.08).abs() < 1e-9);
        assert!((d.uncertainty - 0.24).abs() < 1e-9);
        assert!((t.all_time.brier.unwrap() - 0.16).abs() < 1e-9);
        assert!(track_record(&cycles[1..], day(100))
            .all_time
            .decomposition
            .is_none());
    }
}
