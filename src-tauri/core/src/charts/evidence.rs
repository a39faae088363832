//! The evidence chart: the running count of setbacks followed by another genuine
//! attempt, over time. A step line (the count only ever rises on the day of a new
//! attempt), extended flat to today, with a dot on each day it grew.

use chrono::{Duration, NaiveDate};
use plotters::prelude::*;

use super::{chart_error, day_label, day_number, ChartSpec, FONT, HEIGHT, WIDTH};
use crate::error::Result;
use crate::insights::Evidence;

const TITLE: &str = "Evidence of recovery";
const X_DESC: &str = "Day of the next attempt";
const Y_DESC: &str = "Setbacks followed by another attempt";
/// Above this many points the dots crowd the line and only the line is drawn.
const MAX_DOTS: usize = 120;

/// Draw the evidence chart as an SVG document.
pub fn render_evidence_chart(evidence: &Evidence, spec: ChartSpec) -> Result<String> {
    let palette = spec.theme.palette();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&palette.surface).map_err(chart_error)?;
        let title_font = (FONT, 22).into_font().color(&palette.text);
        let label_font = (FONT, 15).into_font().color(&palette.muted);

        if evidence.series.is_empty() && evidence.before == 0 {
            root.draw_text(TITLE, &title_font, (24, 20))
                .map_err(chart_error)?;
            let message = "No evidence yet: it starts the first time you try again";
            let style = (FONT, 17).into_font().color(&palette.muted);
            let (w, _) = root
                .estimate_text_size(message, &style)
                .map_err(chart_error)?;
            let x = (i32::try_from(WIDTH).unwrap_or(0) - i32::try_from(w).unwrap_or(0)) / 2;
            root.draw_text(message, &style, (x.max(0), (HEIGHT / 2) as i32))
                .map_err(chart_error)?;
            root.present().map_err(chart_error)?;
            drop(root);
            return Ok(svg);
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
        let x = |day: NaiveDate| day_number(day);
        let (x0, x1) = (x(first - pad), x(last + pad));
        let span = x1 - x0;
        let top = u32::try_from(evidence.total.max(evidence.before)).unwrap_or(u32::MAX);
        // Headroom above the line, and at least a few steps so small counts read well.
        let y1 = (top + top / 8 + 1).max(4);

        let mut chart = ChartBuilder::on(&root)
            .caption(TITLE, title_font)
            .margin(16)
            // Room for the last date label, which is centred on the right edge.
            .margin_right(32)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d(x0..x1, 0u32..y1)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(6)
            .y_labels(5)
            .x_label_formatter(&|d| day_label(*d, span))
            .y_label_formatter(&|n| n.to_string())
            .x_desc(X_DESC)
            .y_desc(Y_DESC)
            .axis_desc_style(label_font.clone())
            .label_style(label_font)
            .axis_style(palette.line)
            .bold_line_style(palette.line)
            // No minor grid: with `max_light_lines(0)` plotters 0.3.7 loops until its
            // tick arithmetic overflows, so the minor lines are drawn invisible instead.
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(chart_error)?;

        // A step line: flat until the day of each new piece of evidence, then up.
        let mut steps = Vec::with_capacity(evidence.series.len() * 2 + 2);
        let before = u32::try_from(evidence.before).unwrap_or(u32::MAX);
        steps.push((x(first), before));
        let mut previous = before;
        for point in &evidence.series {
            let at = x(point.day);
            let total = u32::try_from(point.total).unwrap_or(u32::MAX);
            steps.push((at, previous));
            steps.push((at, total));
            previous = total;
        }
        steps.push((x(last), previous));

        chart
            .draw_series(
                AreaSeries::new(steps, 0, palette.accent.mix(0.16))
                    .border_style(palette.accent.stroke_width(2)),
            )
            .map_err(chart_error)?;
        if evidence.series.len() <= MAX_DOTS {
            chart
                .draw_series(evidence.series.iter().map(|p| {
                    let total = u32::try_from(p.total).unwrap_or(u32::MAX);
                    Circle::new((x(p.day), total), 3, palette.accent.filled())
                }))
                .map_err(chart_error)?;
        }
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}
