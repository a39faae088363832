//! The difficulty ladder of one area: each genuine attempt (or a week or month's mean)
//! at its difficulty, marked by outcome with a shape as well as a colour, and the
//! suggested next difficulty as a band at the right.

use plotters::prelude::*;

use super::{
    chart_error, day_chart, day_label, day_number, day_span, draw_legend, draw_mesh, draw_svg,
    empty_chart, ChartSpec, Kind,
};
use crate::cycle::Outcome;
use crate::error::Result;
use crate::insights::dashboard::NO_LADDER;
use crate::insights::Dashboard;
use crate::text::one_line;

/// Longest area name in the title.
const AREA_CHARS: usize = 40;

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let palette = spec.theme.palette();
    let ladder = &d.ladder;
    let title = match &ladder.area {
        Some(area) => format!("{}: {}", Kind::Ladder.title(), one_line(area, AREA_CHARS)),
        None => Kind::Ladder.title().to_string(),
    };
    if ladder.points.is_empty() {
        let message = if ladder.area.is_some() {
            "No genuine attempts in this area in the range chosen"
        } else {
            NO_LADDER
                .split(". ")
                .next()
                .unwrap_or("No genuine attempts yet")
        };
        return empty_chart(&title, message, &palette);
    }
    let (x0, x1) = day_span(
        ladder.points.first().map(|p| p.day),
        spec,
        d.range.start(spec.today),
    );
    let span = x1 - x0;
    draw_svg(&palette, |root| {
        let mut chart = day_chart(root, &title, &palette, x0..x1, 0f64..17.5)?;
        draw_mesh!(
            chart,
            palette,
            "Day of the attempt",
            "Difficulty, 1 to 10",
            &|x: &i32| day_label(*x, span),
            // Headroom above 10 holds the legend; no labels there.
            &|y: &f64| if *y > 10.0 {
                String::new()
            } else {
                format!("{y:.0}")
            }
        )?;
        if let Some(next) = ladder.calibration.as_ref().and_then(|c| c.suggested) {
            let next = f64::from(next);
            let from = x1 - (span / 8).max(1);
            let band = palette.accent.mix(0.18);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(from, next - 0.5), (x1, next + 0.5)],
                    band.filled(),
                )))
                .map_err(chart_error)?
                .label(format!("Suggested next: {next:.0}"))
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], band.filled()));
        }
        for outcome in Outcome::ALL {
            let colour = palette.outcome(outcome);
            let marks = ladder
                .points
                .iter()
                .filter(|p| p.outcome == outcome)
                .map(|p| (day_number(p.day), p.difficulty));
            let series = match outcome {
                Outcome::Success => {
                    chart.draw_series(marks.map(|at| Circle::new(at, 4, colour.filled())))
                }
                Outcome::Partial => {
                    chart.draw_series(marks.map(|at| TriangleMarker::new(at, 5, colour.filled())))
                }
                Outcome::Failure => {
                    chart.draw_series(marks.map(|at| Cross::new(at, 4, colour.stroke_width(2))))
                }
                Outcome::Pending => chart.draw_series(marks.map(|at| Circle::new(at, 4, colour))),
            }
            .map_err(chart_error)?;
            let label = match outcome {
                Outcome::Success => "Success",
                Outcome::Partial => "Partial",
                Outcome::Failure => "Didn't work",
                Outcome::Pending => "Pending",
            };
            series.label(label).legend(move |(x, y)| match outcome {
                Outcome::Success => Circle::new((x + 10, y), 4, colour.filled()).into_dyn(),
                Outcome::Partial => TriangleMarker::new((x + 10, y), 5, colour.filled()).into_dyn(),
                Outcome::Failure => Cross::new((x + 10, y), 4, colour.stroke_width(2)).into_dyn(),
                Outcome::Pending => Circle::new((x + 10, y), 4, colour).into_dyn(),
            });
        }
        draw_legend!(chart, palette, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    })
}
