//! Aftermath: rolling means of stress and of the sense of a verdict on oneself after
//! genuine setbacks, 0–10. Each mark is drawn as a dot as well as joined by a line, so
//! one rated setback (or several on one day) still shows.

use plotters::prelude::*;

use super::axis::{day_number, Axis};
use super::frame::{
    chart_error, day_span, draw_svg, empty_chart, plot, AxisNames, Legend, Swatch, LABEL_PX,
};
use super::{dot_radius, when, ChartSpec, Kind, MAX_MARKS};
use crate::error::Result;
use crate::insights::Dashboard;

/// Which rating a line draws.
type Pick = fn(&crate::insights::aftermath::AftermathPoint) -> Option<f64>;

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let a = &d.aftermath;
    if a.points.is_empty() {
        let message = format!(
            "No ratings {}: rate stress and verdict (0–10) after a setback",
            when(d.range)
        );
        return empty_chart(Kind::Aftermath.title(), &message, spec);
    }
    let (from, to) = day_span(
        a.points.first().map(|p| p.day),
        spec,
        d.range.start(spec.today),
    );
    draw_svg(spec, |root, palette| {
        let series: [(&str, RGBColor, Pick); 2] = [
            ("Stress", palette.accent, |p| p.stress),
            ("Felt like a verdict on me", palette.failure, |p| p.identity),
        ];
        let legend: Vec<Legend> = series
            .iter()
            .map(|(label, colour, _)| Legend::new(*label, Swatch::Line(*colour)))
            .collect();
        plot(
            root,
            Kind::Aftermath.title(),
            &legend,
            palette,
            |px| Axis::days(from, to, px, LABEL_PX),
            0.0..10.5,
            AxisNames {
                x: "Day of the setback",
                y: "Rolling mean, 0–10",
            },
            |chart| {
                for (_, colour, pick) in series {
                    let points: Vec<(i32, f64)> = a
                        .points
                        .iter()
                        .filter_map(|p| pick(p).map(|v| (day_number(p.day), v)))
                        .collect();
                    chart
                        .draw_series(LineSeries::new(
                            points.iter().copied(),
                            colour.stroke_width(2),
                        ))
                        .map_err(chart_error)?;
                    if points.len() <= MAX_MARKS {
                        chart
                            .draw_series(points.iter().map(|&at| {
                                Circle::new(at, dot_radius(points.len()), colour.filled())
                            }))
                            .map_err(chart_error)?;
                    }
                }
                Ok(())
            },
        )
    })
}
