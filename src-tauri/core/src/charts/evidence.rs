//! The evidence chart: the running count of setbacks followed by another genuine
//! attempt, over time. A step line (the count only ever rises on the day of a new
//! attempt), extended flat to today, with a dot on each day it grew.

use chrono::Duration;
use plotters::prelude::*;

use super::axis::{day_number, Axis};
use super::frame::{chart_error, draw_svg, empty_chart, plot, AxisNames};
use super::ChartSpec;
use crate::error::Result;
use crate::insights::Evidence;

const TITLE: &str = "Evidence of recovery";
const X_DESC: &str = "Day of the next attempt";
const Y_DESC: &str = "Running total";
/// Above this many points the dots crowd the line and only the line is drawn.
pub const MAX_DOTS: usize = 120;

/// Draw the evidence chart as an SVG document.
pub fn render_evidence_chart(evidence: &Evidence, spec: ChartSpec) -> Result<String> {
    if evidence.series.is_empty() && evidence.before == 0 {
        return empty_chart(
            TITLE,
            "No evidence yet: it starts the first time you try again after a setback",
            spec,
        );
    }
    // From the first attempt (the flat start is part of the story) to today.
    let first = evidence
        .first_day
        .or(evidence.series.first().map(|p| p.day))
        .unwrap_or(spec.today);
    let last = evidence
        .series
        .last()
        .map_or(spec.today, |p| p.day)
        .max(spec.today);
    let days = (last - first).num_days().max(1);
    let pad = Duration::days((days / 40).max(1));
    let top = evidence.total.max(evidence.before) as f64;
    // Headroom above the line, and at least a few steps so small counts read well.
    let y1 = (top + top / 8.0 + 1.0).max(4.0);
    draw_svg(spec, |root, palette| {
        plot(
            root,
            TITLE,
            &[],
            palette,
            |px| Axis::days(first - pad, last + pad, px, super::frame::LABEL_PX),
            0.0..y1,
            AxisNames {
                x: X_DESC,
                y: Y_DESC,
            },
            |chart| {
                // A step line: flat until the day of each new piece of evidence, then up.
                let mut steps = Vec::with_capacity(evidence.series.len() * 2 + 2);
                let before = evidence.before as f64;
                steps.push((day_number(first), before));
                let mut previous = before;
                for point in &evidence.series {
                    let at = day_number(point.day);
                    let total = point.total as f64;
                    steps.push((at, previous));
                    steps.push((at, total));
                    previous = total;
                }
                steps.push((day_number(last), previous));
                chart
                    .draw_series(
                        AreaSeries::new(steps, 0.0, palette.accent.mix(0.16))
                            .border_style(palette.accent.stroke_width(2)),
                    )
                    .map_err(chart_error)?;
                if evidence.series.len() <= MAX_DOTS {
                    chart
                        .draw_series(evidence.series.iter().map(|p| {
                            Circle::new(
                                (day_number(p.day), p.total as f64),
                                super::dot_radius(evidence.series.len()),
                                palette.accent.filled(),
                            )
                        }))
                        .map_err(chart_error)?;
                }
                Ok(())
            },
        )
    })
}
