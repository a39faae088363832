//! Recovery time: days from each setback to the next genuine attempt, as dots (or one
//! dot per week or month when there are many), with the rolling median as a line.

use plotters::prelude::*;

use super::{
    chart_error, day_chart, day_label, day_number, day_span, draw_legend, draw_mesh, draw_svg,
    empty_chart, ChartSpec, Kind, FONT,
};
use crate::error::Result;
use crate::insights::{Bucket, Dashboard};

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let palette = spec.theme.palette();
    let r = &d.recovery;
    if r.points.is_empty() {
        return empty_chart(
            Kind::Recovery.title(),
            "No returns yet: the first time you try again after a setback appears here",
            &palette,
        );
    }
    let (x0, x1) = day_span(
        r.points.first().map(|p| p.day),
        spec,
        d.range.start(spec.today),
    );
    let span = x1 - x0;
    let top = r
        .points
        .iter()
        .map(|p| p.days.max(p.rolling_median))
        .fold(1.0, f64::max);
    let y1 = (top * 1.12).max(4.0);
    let dot_label = match r.bucket {
        Some(Bucket::Week) => "Median of the week",
        Some(Bucket::Month) => "Median of the month",
        _ => "One setback",
    };
    draw_svg(&palette, |root| {
        let mut chart = day_chart(root, Kind::Recovery.title(), &palette, x0..x1, 0f64..y1)?;
        draw_mesh!(
            chart,
            palette,
            "Day of the setback",
            "Days until the next attempt",
            &|x: &i32| day_label(*x, span),
            &|y: &f64| format!("{y:.0}")
        )?;
        let dot = palette.accent.mix(0.45);
        chart
            .draw_series(
                r.points
                    .iter()
                    .map(|p| Circle::new((day_number(p.day), p.days), 3, dot.filled())),
            )
            .map_err(chart_error)?
            .label(dot_label)
            .legend(move |(x, y)| Circle::new((x + 10, y), 3, dot.filled()));
        let line = palette.accent.stroke_width(2);
        chart
            .draw_series(LineSeries::new(
                r.points
                    .iter()
                    .map(|p| (day_number(p.day), p.rolling_median)),
                line,
            ))
            .map_err(chart_error)?
            .label("Rolling median (last 5)")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], line));
        draw_legend!(chart, palette, SeriesLabelPosition::UpperRight)?;
        let _ = FONT;
        Ok(())
    })
}
