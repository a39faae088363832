//! The Brief Resilience Scale score (1–5) at each check-in.

use plotters::prelude::*;

use super::{
    chart_error, day_chart, day_label, day_number, day_span, draw_mesh, draw_svg, empty_chart,
    ChartSpec, Kind,
};
use crate::error::Result;
use crate::insights::Dashboard;

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let palette = spec.theme.palette();
    let checkins = &d.checkins;
    if checkins.is_empty() {
        return empty_chart(
            Kind::Brs.title(),
            "No check-ins yet: six optional questions, offered once a month",
            &palette,
        );
    }
    let (x0, x1) = day_span(
        checkins.first().map(|c| c.day),
        spec,
        d.range.start(spec.today),
    );
    let span = x1 - x0;
    draw_svg(&palette, |root| {
        let mut chart = day_chart(root, Kind::Brs.title(), &palette, x0..x1, 1f64..5.2)?;
        draw_mesh!(
            chart,
            palette,
            "Day of the check-in",
            "Score, 1 to 5",
            &|x: &i32| day_label(*x, span),
            &|y: &f64| format!("{y:.0}")
        )?;
        chart
            .draw_series(LineSeries::new(
                checkins.iter().map(|c| (day_number(c.day), c.score)),
                palette.accent.stroke_width(2),
            ))
            .map_err(chart_error)?;
        if checkins.len() <= 120 {
            chart
                .draw_series(
                    checkins.iter().map(|c| {
                        Circle::new((day_number(c.day), c.score), 4, palette.accent.filled())
                    }),
                )
                .map_err(chart_error)?;
        }
        Ok(())
    })
}
