//! Loop quality by month: the share of setbacks whose loop was closed, of adjustments
//! tested on the next attempt, and of tested adjustments that made it go better.

use plotters::prelude::*;

use super::{
    chart_error, day_chart, day_label, day_number, day_span, draw_legend, draw_mesh, draw_svg,
    empty_chart, ChartSpec, Kind,
};
use crate::error::Result;
use crate::insights::loops::{LoopMonth, Share};
use crate::insights::Dashboard;

/// Which share a line draws.
type Pick = fn(&LoopMonth) -> &Share;

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let palette = spec.theme.palette();
    let months = &d.loops.months;
    if months.is_empty() {
        return empty_chart(
            Kind::Loops.title(),
            "Nothing to reflect on yet: setbacks and adjustments appear here",
            &palette,
        );
    }
    let (x0, x1) = day_span(
        months.first().map(|m| m.month),
        spec,
        d.range.start(spec.today),
    );
    let span = x1 - x0;
    draw_svg(&palette, |root| {
        let mut chart = day_chart(root, Kind::Loops.title(), &palette, x0..x1, 0f64..112.0)?;
        draw_mesh!(
            chart,
            palette,
            "Month",
            "Share over 3 months, %",
            &|x: &i32| day_label(*x, span.max(121)),
            &|y: &f64| if *y > 100.0 {
                String::new()
            } else {
                format!("{y:.0}")
            }
        )?;
        let lines: [(&str, RGBColor, Pick); 3] = [
            ("Loop closed", palette.accent, |m| &m.completed),
            ("Adjustment tested", palette.partial, |m| &m.tested),
            ("Tested and better", palette.success, |m| &m.better),
        ];
        for (label, colour, pick) in lines {
            let style = colour.stroke_width(2);
            let points: Vec<(i32, f64)> = months
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    rolling_share(&months[..=i], m.month, pick).map(|v| (day_number(m.month), v))
                })
                .collect();
            chart
                .draw_series(LineSeries::new(points.iter().copied(), style))
                .map_err(chart_error)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            if points.len() <= 60 {
                chart
                    .draw_series(points.iter().map(|&at| Circle::new(at, 3, colour.filled())))
                    .map_err(chart_error)?;
            }
        }
        draw_legend!(chart, palette, SeriesLabelPosition::LowerLeft)?;
        Ok(())
    })
}

/// The share over the three calendar months ending with `month` (parts and wholes
/// summed, so a month with one setback does not swing the line from 0 to 100).
fn rolling_share(
    upto: &[LoopMonth],
    month: chrono::NaiveDate,
    pick: fn(&LoopMonth) -> &Share,
) -> Option<f64> {
    let from = month - chrono::Months::new(2);
    let (part, whole) = upto
        .iter()
        .rev()
        .take_while(|m| m.month >= from)
        .map(pick)
        .fold((0, 0), |(p, w), s| (p + s.part, w + s.whole));
    crate::insights::percent(part, whole)
}
