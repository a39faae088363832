//! Recovery time: days from each setback to the next genuine attempt, as dots (or one
//! dot per week or month when there are many), with the rolling median as a line, and
//! the setbacks still waiting as rings at the days they have waited so far.

use plotters::prelude::*;

use super::axis::{day_number, Axis};
use super::frame::{
    chart_error, day_span, draw_svg, empty_chart, plot, AxisNames, Legend, Swatch, LABEL_PX,
};
use super::{when, ChartSpec, Kind};
use crate::error::Result;
use crate::insights::recovery::OpenSetback;
use crate::insights::{Bucket, Dashboard};

/// The setbacks still waiting that began inside the range: drawn, and listed in the
/// table, the same way.
pub fn waiting(d: &Dashboard) -> impl Iterator<Item = &OpenSetback> {
    d.recovery
        .open
        .iter()
        .filter(|o| d.range.contains(o.setback_on, d.today))
}

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let r = &d.recovery;
    let open: Vec<&OpenSetback> = waiting(d).collect();
    if r.points.is_empty() && open.is_empty() {
        let message = format!(
            "No returns {}: the first time you try again after a setback appears here",
            when(d.range)
        );
        return empty_chart(Kind::Recovery.title(), &message, spec);
    }
    let first = r.points.first().map(|p| p.day);
    let first_open = open.iter().map(|o| o.setback_on).min();
    let (from, to) = day_span(
        first.into_iter().chain(first_open).min(),
        spec,
        d.range.start(spec.today),
    );
    let top = r
        .points
        .iter()
        .map(|p| p.days.max(p.rolling_median))
        .chain(open.iter().map(|o| o.age_days as f64))
        .fold(1.0, f64::max);
    let y1 = (top * 1.12).max(4.0);
    let dot_label = match r.bucket {
        Some(Bucket::Week) => "Median of the week",
        Some(Bucket::Month) => "Median of the month",
        _ => "One setback",
    };
    draw_svg(spec, |root, palette| {
        let mut legend = Vec::new();
        if !r.points.is_empty() {
            legend.push(Legend::new(dot_label, Swatch::FaintDot(palette.accent)));
            legend.push(Legend::new(
                "Rolling median (last 5)",
                Swatch::Line(palette.accent),
            ));
        }
        if !open.is_empty() {
            legend.push(Legend::new(
                "Still waiting: days so far",
                Swatch::Ring(palette.pending),
            ));
        }
        plot(
            root,
            Kind::Recovery.title(),
            &legend,
            palette,
            |px| Axis::days(from, to, px, LABEL_PX),
            0.0..y1,
            AxisNames {
                x: "Day of the setback",
                y: "Days to try again",
            },
            |chart| {
                let dot = palette.accent.mix(0.45);
                chart
                    .draw_series(r.points.iter().map(|p| {
                        let size = super::dot_radius(r.points.len());
                        Circle::new((day_number(p.day), p.days), size, dot.filled())
                    }))
                    .map_err(chart_error)?;
                chart
                    .draw_series(LineSeries::new(
                        r.points
                            .iter()
                            .map(|p| (day_number(p.day), p.rolling_median)),
                        palette.accent.stroke_width(2),
                    ))
                    .map_err(chart_error)?;
                chart
                    .draw_series(open.iter().map(|o| {
                        Circle::new(
                            (day_number(o.setback_on), o.age_days as f64),
                            4,
                            palette.pending.stroke_width(2),
                        )
                    }))
                    .map_err(chart_error)?;
                Ok(())
            },
        )
    })
}
