//! Aftermath: rolling means of stress and of the sense of a verdict on oneself after
//! genuine setbacks, 0–10.

use plotters::prelude::*;

use super::{
    chart_error, day_chart, day_label, day_number, day_span, draw_legend, draw_mesh, draw_svg,
    empty_chart, ChartSpec, Kind,
};
use crate::error::Result;
use crate::insights::Dashboard;

/// Which rating a line draws.
type Pick = fn(&crate::insights::aftermath::AftermathPoint) -> Option<f64>;

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let palette = spec.theme.palette();
    let a = &d.aftermath;
    if a.points.is_empty() {
        return empty_chart(
            Kind::Aftermath.title(),
            "No ratings yet: rate stress and verdict (0–10) after a setback",
            &palette,
        );
    }
    let (x0, x1) = day_span(
        a.points.first().map(|p| p.day),
        spec,
        d.range.start(spec.today),
    );
    let span = x1 - x0;
    draw_svg(&palette, |root| {
        let mut chart = day_chart(root, Kind::Aftermath.title(), &palette, x0..x1, 0f64..10.5)?;
        draw_mesh!(
            chart,
            palette,
            "Day of the setback",
            "Rolling mean, 0 to 10",
            &|x: &i32| day_label(*x, span),
            &|y: &f64| format!("{y:.0}")
        )?;
        let series: [(&str, RGBColor, Pick); 2] = [
            ("Stress", palette.accent, |p| p.stress),
            ("Felt like a verdict on me", palette.failure, |p| p.identity),
        ];
        for (label, colour, pick) in series {
            let style = colour.stroke_width(2);
            chart
                .draw_series(LineSeries::new(
                    a.points
                        .iter()
                        .filter_map(|p| pick(p).map(|v| (day_number(p.day), v))),
                    style,
                ))
                .map_err(chart_error)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        draw_legend!(chart, palette, SeriesLabelPosition::UpperRight)?;
        Ok(())
    })
}
