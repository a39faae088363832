//! The difficulty ladder of one area: each genuine attempt (or a week or month's mean)
//! at its difficulty, marked by outcome with a shape as well as a colour, and the
//! suggested next difficulty as a band at the right.

use plotters::prelude::*;

use super::axis::{day_number, Axis};
use super::frame::{
    chart_error, day_span, draw_svg, empty_chart, plot, AxisNames, Legend, Swatch, LABEL_PX,
};
use super::{when, ChartSpec, Kind};
use crate::cycle::Outcome;
use crate::error::Result;
use crate::insights::Dashboard;
use crate::text::one_line;

/// Longest area name in the title.
const AREA_CHARS: usize = 40;

/// The legend's word for an outcome's mark.
fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Success => "Success",
        Outcome::Partial => "Partial",
        Outcome::Failure => "Didn't work",
        Outcome::Pending => "Pending",
    }
}

/// An outcome's mark: a shape as well as a colour, for people who tell colours apart
/// poorly and for print.
fn swatch(outcome: Outcome, colour: RGBColor) -> Swatch {
    match outcome {
        Outcome::Success => Swatch::Dot(colour),
        Outcome::Partial => Swatch::Triangle(colour),
        Outcome::Failure => Swatch::Cross(colour),
        Outcome::Pending => Swatch::Ring(colour),
    }
}

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let ladder = &d.ladder;
    let title = match &ladder.area {
        Some(area) => format!("{}: {}", Kind::Ladder.title(), one_line(area, AREA_CHARS)),
        None => Kind::Ladder.title().to_string(),
    };
    if ladder.points.is_empty() {
        let message = if ladder.area.is_some() {
            format!("No genuine attempts in this area {}", when(d.range))
        } else {
            "No genuine attempts yet: log one, and its difficulty and outcome appear here"
                .to_string()
        };
        return empty_chart(&title, &message, spec);
    }
    let (from, to) = day_span(
        ladder.points.first().map(|p| p.day),
        spec,
        d.range.start(spec.today),
    );
    let suggested = ladder.calibration.as_ref().and_then(|c| c.suggested);
    let shown: Vec<Outcome> = Outcome::ALL
        .into_iter()
        .filter(|o| ladder.points.iter().any(|p| p.outcome == *o))
        .collect();
    draw_svg(spec, |root, palette| {
        let mut legend: Vec<Legend> = suggested
            .map(|next| {
                Legend::new(
                    format!("Suggested next: {next}"),
                    Swatch::Band(palette.accent),
                )
            })
            .into_iter()
            .collect();
        legend.extend(
            shown
                .iter()
                .map(|&o| Legend::new(outcome_label(o), swatch(o, palette.outcome(o)))),
        );
        plot(
            root,
            &title,
            &legend,
            palette,
            |px| Axis::days(from, to, px, LABEL_PX),
            0.0..10.5,
            AxisNames {
                x: "Day of the attempt",
                y: "Difficulty, 1–10",
            },
            |chart| {
                if let Some(next) = suggested {
                    let next = f64::from(next);
                    let (x0, x1) = (day_number(from), day_number(to));
                    let start = x1 - ((x1 - x0) / 8).max(1);
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(start, next - 0.5), (x1, next + 0.5)],
                            palette.accent.mix(0.18).filled(),
                        )))
                        .map_err(chart_error)?;
                }
                for outcome in Outcome::ALL {
                    let colour = palette.outcome(outcome);
                    let marks = ladder
                        .points
                        .iter()
                        .filter(|p| p.outcome == outcome)
                        .map(|p| (day_number(p.day), p.difficulty));
                    match outcome {
                        Outcome::Success => {
                            chart.draw_series(marks.map(|at| Circle::new(at, 4, colour.filled())))
                        }
                        Outcome::Partial => chart.draw_series(
                            marks.map(|at| TriangleMarker::new(at, 5, colour.filled())),
                        ),
                        Outcome::Failure => chart
                            .draw_series(marks.map(|at| Cross::new(at, 4, colour.stroke_width(2)))),
                        Outcome::Pending => {
                            chart.draw_series(marks.map(|at| Circle::new(at, 4, colour)))
                        }
                    }
                    .map_err(chart_error)?;
                }
                Ok(())
            },
        )
    })
}
