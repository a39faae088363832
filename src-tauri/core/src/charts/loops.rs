//! Loop quality by month: the share of setbacks whose loop was closed, of adjustments
//! tested on the next attempt, and of tested adjustments that made it go better, each
//! over the three months ending with the month (as the insight computes it).
//!
//! Months are slots on the x axis, one label each (or every second, third… when many),
//! so a month is never named twice and a lone month sits in the middle, not at an edge.

use plotters::prelude::*;

use super::axis::{month_slot, Axis};
use super::frame::{
    chart_error, draw_marks, draw_svg, empty_chart, plot, AxisNames, Legend, Mark, Swatch, LABEL_PX,
};
use super::{dot_radius, when, ChartSpec, Kind, MAX_MARKS};
use crate::error::Result;
use crate::insights::loops::{Rolling, Share};
use crate::insights::Dashboard;

/// Which share a line draws.
type Pick = fn(&Rolling) -> &Share;

/// The three lines: their words, which share each draws, and the shape of its marks
/// (two of the theme's colours are close, so shape tells the lines apart too).
pub const LINES: [(&str, Pick, Mark); 3] = [
    ("Loop closed", |r| &r.completed, Mark::Dot),
    ("Adjustment tested", |r| &r.tested, Mark::Triangle),
    ("Tested and better", |r| &r.better, Mark::Square),
];

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let months = &d.loops.months;
    if months.is_empty() {
        let message = format!(
            "Nothing to reflect on {}: setbacks and adjustments appear here",
            when(d.range)
        );
        return empty_chart(Kind::Loops.title(), &message, spec);
    }
    let days: Vec<chrono::NaiveDate> = months.iter().map(|m| m.month).collect();
    draw_svg(spec, |root, palette| {
        let colours = [palette.accent, palette.partial, palette.success];
        let legend: Vec<Legend> = LINES
            .iter()
            .zip(colours)
            .map(|((label, _, shape), colour)| Legend::new(*label, Swatch::Marked(colour, *shape)))
            .collect();
        plot(
            root,
            Kind::Loops.title(),
            &legend,
            palette,
            |px| Axis::months(&days, px, LABEL_PX),
            0.0..105.0,
            AxisNames {
                x: "Month",
                y: "3-month share, %",
            },
            |chart| {
                for ((_, pick, shape), colour) in LINES.iter().zip(colours) {
                    let points: Vec<(i32, f64)> = months
                        .iter()
                        .enumerate()
                        .filter_map(|(i, m)| pick(&m.rolling).percent.map(|v| (month_slot(i), v)))
                        .collect();
                    chart
                        .draw_series(LineSeries::new(
                            points.iter().copied(),
                            colour.stroke_width(2),
                        ))
                        .map_err(chart_error)?;
                    if points.len() <= MAX_MARKS {
                        draw_marks(chart, *shape, &points, dot_radius(points.len()), colour)?;
                    }
                }
                Ok(())
            },
        )
    })
}
