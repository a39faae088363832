//! The Brief Resilience Scale score (1–5) at each check-in.

use plotters::prelude::*;

use super::axis::{day_number, Axis};
use super::frame::{chart_error, day_span, draw_svg, empty_chart, plot, AxisNames, LABEL_PX};
use super::{dot_radius, when, ChartSpec, Kind, MAX_MARKS};
use crate::error::Result;
use crate::insights::Dashboard;

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let checkins = &d.checkins;
    if checkins.is_empty() {
        let message = format!(
            "No check-ins {}: six optional questions, offered once a month",
            when(d.range)
        );
        return empty_chart(Kind::Brs.title(), &message, spec);
    }
    let (from, to) = day_span(
        checkins.first().map(|c| c.day),
        spec,
        d.range.start(spec.today),
    );
    draw_svg(spec, |root, palette| {
        plot(
            root,
            Kind::Brs.title(),
            &[],
            palette,
            |px| Axis::days(from, to, px, LABEL_PX),
            1.0..5.2,
            AxisNames {
                x: "Day of the check-in",
                y: "Score, 1–5",
            },
            |chart| {
                chart
                    .draw_series(LineSeries::new(
                        checkins.iter().map(|c| (day_number(c.day), c.score)),
                        palette.accent.stroke_width(2),
                    ))
                    .map_err(chart_error)?;
                if checkins.len() <= MAX_MARKS {
                    chart
                        .draw_series(checkins.iter().map(|c| {
                            let r = dot_radius(checkins.len());
                            Circle::new((day_number(c.day), c.score), r, palette.accent.filled())
                        }))
                        .map_err(chart_error)?;
                }
                Ok(())
            },
        )
    })
}
