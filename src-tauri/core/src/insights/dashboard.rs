//! Every measure at once, for the dashboard and `rebound stats`.

use chrono::NaiveDate;
use serde::Serialize;

use super::brs::brs_sentence;
use super::calibration::{ladder, LadderPoint};
use super::{
    aftermath, calibration, edges, evidence, loop_quality, practice, prediction, recovery,
    Aftermath, AreaCalibration, AreaEdge, Band, BrsCheckin, Bucket, Evidence, Guides, LoopQuality,
    Practice, Prediction, Range, Recovery,
};
use crate::cycle::Cycle;

/// What a dashboard is computed for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DashboardParams {
    pub today: NaiveDate,
    pub range: Range,
    pub band: Band,
    /// The area the difficulty ladder shows; the most recently practised when `None`.
    pub area: Option<String>,
    /// Each area's own band and staircase rule, where the person set one.
    pub guides: Guides,
}

/// The difficulty ladder of one area.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Ladder {
    pub area: Option<String>,
    pub points: Vec<LadderPoint>,
    pub bucket: Option<Bucket>,
    pub calibration: Option<AreaCalibration>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub range: Range,
    pub band: Band,
    pub cycles: usize,
    pub evidence: Evidence,
    pub recovery: Recovery,
    pub aftermath: Aftermath,
    pub loops: LoopQuality,
    pub calibration: Vec<AreaCalibration>,
    /// Each area's edge on its staircase: `rebound stats --json` prints it as `areas`.
    pub areas: Vec<AreaEdge>,
    pub ladder: Ladder,
    pub practice: Practice,
    pub prediction: Prediction,
    pub checkins: Vec<BrsCheckin>,
    pub sentences: Sentences,
}

/// The plain sentence under each chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sentences {
    pub evidence: String,
    pub recovery: String,
    pub aftermath: String,
    pub ladder: String,
    pub practice: String,
    pub loops: String,
    pub safety: String,
    pub brs: String,
    pub prediction: String,
}

/// The ladder's sentence when no area has attempts.
pub const NO_LADDER: &str = "No genuine attempts yet. Log attempts in an area and this \
    shows the difficulty you practise at, what happened, and where your edge is.";

/// Compute every measure over `cycles` (any order) and the BRS `checkins`.
pub fn dashboard(cycles: &[Cycle], checkins: &[BrsCheckin], params: &DashboardParams) -> Dashboard {
    let DashboardParams {
        today, range, band, ..
    } = *params;
    let mut evidence = evidence(cycles);
    if let Some(start) = range.start(today) {
        evidence.from_day(start);
    }
    let recovery = recovery(cycles, range, today);
    let aftermath = aftermath(cycles, range, today);
    let loops = loop_quality(cycles, range, today);
    let calibration = calibration(cycles, band, &params.guides);
    let areas = edges(cycles, &params.guides, band);
    let ladder = ladder_for(cycles, &calibration, params);
    let practice = practice(cycles, today);
    let prediction = prediction(cycles, range, today);
    let mut checkins = checkins.to_vec();
    checkins.sort_by_key(|c| c.day);
    let sentences = Sentences {
        evidence: evidence.sentence(),
        recovery: recovery.sentence(range),
        aftermath: aftermath.sentence(range),
        ladder: match &ladder.calibration {
            Some(c) => c.sentence(),
            None => NO_LADDER.to_string(),
        },
        practice: practice.sentence(),
        loops: loops.sentence(range),
        safety: loops.safety_sentence(),
        brs: brs_sentence(&checkins, range, today),
        prediction: prediction.sentence(range),
    };
    checkins.retain(|c| range.contains(c.day, today));
    Dashboard {
        today,
        range,
        band,
        cycles: cycles.len(),
        evidence,
        recovery,
        aftermath,
        loops,
        calibration,
        areas,
        ladder,
        practice,
        prediction,
        checkins,
        sentences,
    }
}

fn ladder_for(
    cycles: &[Cycle],
    calibration: &[AreaCalibration],
    params: &DashboardParams,
) -> Ladder {
    let wanted = params.area.as_deref().map(str::to_lowercase);
    let chosen = match &wanted {
        Some(name) => calibration.iter().find(|c| c.area.to_lowercase() == *name),
        None => calibration.first(),
    };
    let Some(chosen) = chosen else {
        return Ladder::default();
    };
    let (points, bucket) = ladder(cycles, &chosen.area, params.range, params.today);
    Ladder {
        area: Some(chosen.area.clone()),
        bucket: (!points.is_empty()).then_some(bucket),
        points,
        calibration: Some(chosen.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Outcome::{Failure, Success};
    use crate::insights::testing::{cycle, day};

    #[test]
    fn an_empty_history_has_a_sentence_for_every_chart() {
        let params = DashboardParams {
            today: day(10),
            range: Range::All,
            band: Band::default(),
            area: None,
            guides: Guides::default(),
        };
        let d = dashboard(&[], &[], &params);
        let s = &d.sentences;
        for text in [
            &s.evidence,
            &s.recovery,
            &s.aftermath,
            &s.ladder,
            &s.practice,
            &s.loops,
            &s.brs,
            &s.prediction,
        ] {
            assert!(text.starts_with("No "), "{text}");
        }
    }

    #[test]
    fn the_ladder_follows_the_chosen_area() {
        let cycles = [
            cycle(1, "Pitches", 1, Failure),
            cycle(2, "running", 2, Success),
        ];
        let mut params = DashboardParams {
            today: day(10),
            range: Range::All,
            band: Band::default(),
            area: None,
            guides: Guides::default(),
        };
        assert_eq!(
            dashboard(&cycles, &[], &params).ladder.area.as_deref(),
            Some("running")
        );
        params.area = Some("pitches".into());
        let d = dashboard(&cycles, &[], &params);
        assert_eq!(d.ladder.area.as_deref(), Some("Pitches"));
        assert_eq!(d.ladder.points.len(), 1);
    }
}
