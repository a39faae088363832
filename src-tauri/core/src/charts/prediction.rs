//! Prediction calibration: on the left, predicted success against the share that
//! succeeded, per band (on the diagonal is well calibrated); on the right, the Brier
//! score by week or month (lower is sharper).

use plotters::prelude::*;

use super::axis::{day_number, Axis};
use super::frame::{
    chart_error, day_span, draw_svg, empty_chart, head, time_plot, value_plot, AxisNames, Legend,
    Swatch, LABEL_PX,
};
use super::{when, ChartSpec, Kind, MAX_MARKS};
use crate::error::Result;
use crate::insights::Dashboard;

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let p = &d.prediction;
    if p.scored == 0 {
        let message = format!(
            "No predictions with an outcome {}: give a chance of success before trying",
            when(d.range)
        );
        return empty_chart(Kind::Prediction.title(), &message, spec);
    }
    let (from, to) = day_span(
        p.series.first().map(|b| b.day),
        spec,
        d.range.start(spec.today),
    );
    let top = p
        .series
        .iter()
        .map(|b| b.brier)
        .fold(0.3, f64::max)
        .min(1.0);
    draw_svg(spec, |root, palette| {
        let legend = [
            Legend::new("Your predictions", Swatch::Dot(palette.accent)),
            Legend::new("Perfectly calibrated", Swatch::Line(palette.muted)),
        ];
        let area = head(root, Kind::Prediction.title(), &legend, palette)?;
        let (width, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(width / 2);
        value_plot(
            &left,
            palette,
            0.0..100.0,
            0.0..100.0,
            AxisNames {
                x: "You predicted, %",
                y: "Succeeded, %",
            },
            |cal| {
                cal.draw_series(LineSeries::new(
                    [(0.0, 0.0), (100.0, 100.0)],
                    palette.muted.mix(0.6).stroke_width(1),
                ))
                .map_err(chart_error)?;
                let points: Vec<(f64, f64, usize)> = p
                    .bands
                    .iter()
                    .filter_map(|b| Some((b.predicted?, b.succeeded?, b.count)))
                    .collect();
                cal.draw_series(LineSeries::new(
                    points.iter().map(|&(x, y, _)| (x, y)),
                    palette.accent.stroke_width(2),
                ))
                .map_err(chart_error)?;
                let most = points.iter().map(|p| p.2).max().unwrap_or(1).max(1) as f64;
                cal.draw_series(points.iter().map(|&(x, y, n)| {
                    // Bigger dots for bands holding more predictions.
                    let size = 3.0 + 5.0 * (n as f64 / most).sqrt();
                    Circle::new((x, y), size.round() as i32, palette.accent.filled())
                }))
                .map_err(chart_error)?;
                Ok(())
            },
        )?;
        time_plot(
            &right,
            palette,
            |px| Axis::days(from, to, px, LABEL_PX),
            0.0..top * 1.1,
            AxisNames {
                x: "Week or month",
                y: "Brier score",
            },
            |brier| {
                brier
                    .draw_series(LineSeries::new(
                        p.series.iter().map(|b| (day_number(b.day), b.brier)),
                        palette.accent.stroke_width(2),
                    ))
                    .map_err(chart_error)?;
                if p.series.len() <= MAX_MARKS {
                    brier
                        .draw_series(p.series.iter().map(|b| {
                            let r = super::dot_radius(p.series.len());
                            Circle::new((day_number(b.day), b.brier), r, palette.accent.filled())
                        }))
                        .map_err(chart_error)?;
                }
                Ok(())
            },
        )
    })
}
