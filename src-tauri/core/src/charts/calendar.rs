//! The practice calendar: one square per day for the last 52 weeks and this one,
//! shaded by how many attempts were logged. No streaks, no gaps called out.
//!
//! Both axes run in half squares (a week is two units wide, a day two tall) so each
//! label sits in the middle of its column or row.

use chrono::{Datelike, Duration};
use plotters::prelude::*;

use super::axis::Axis;
use super::frame::{chart_error, draw_svg, empty_chart, font, head, plot_width, LABEL_PX};
use super::{ChartSpec, Kind};
use crate::error::Result;
use crate::insights::Dashboard;

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Where day `r` of the week (0 = Monday) sits: Monday on top.
fn row_slot(r: i32) -> i32 {
    2 * (6 - r)
}

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let p = &d.practice;
    let start = match p.start {
        Some(start) if p.attempts > 0 => start,
        _ => {
            return empty_chart(
                Kind::Calendar.title(),
                "No attempts in the last 52 weeks yet: each day you log one fills a square",
                spec,
            )
        }
    };
    let weeks = i32::try_from(p.days.len().div_ceil(7)).unwrap_or(53);
    // A month is named at the first week that starts in it; when the first and last
    // columns fall in the same month of two years, the newer one keeps the name.
    let months: Vec<(i32, String)> = (0..weeks)
        .filter_map(|w| {
            let monday = start + Duration::weeks(i64::from(w));
            (monday.day() <= 7).then(|| (2 * w + 1, monday.format("%b").to_string()))
        })
        .collect();
    draw_svg(spec, |root, palette| {
        let area = head(root, Kind::Calendar.title(), &[], palette)?;
        let (width, _) = area.dim_in_pixel();
        let x = Axis::thinned(0, 2 * weeks, months, plot_width(width), LABEL_PX);
        let rows: Vec<(i32, String)> = (0..7)
            .map(|r| (row_slot(r) + 1, DAY_NAMES[r as usize].to_string()))
            .collect();
        let y = Axis::with_ticks(0, 14, rows);
        let mut chart = ChartBuilder::on(&area)
            .margin(16)
            .margin_top(4)
            .margin_right(28)
            .x_label_area_size(46)
            .y_label_area_size(62)
            .build_cartesian_2d(x, y)
            .map_err(chart_error)?;
        let label = font(LABEL_PX, &palette.muted);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("Week (month named at its first week)")
            .y_desc("Day of the week")
            .axis_desc_style(label.clone())
            .label_style(label)
            .axis_style(TRANSPARENT)
            .draw()
            .map_err(chart_error)?;
        let busiest = f64::from(p.busiest.max(1));
        chart
            .draw_series(p.days.iter().enumerate().map(|(i, &n)| {
                let i = i32::try_from(i).unwrap_or(0);
                let (w, r) = (i / 7, i % 7);
                let fill = if n == 0 {
                    palette.line.mix(1.0)
                } else {
                    // Four steps of shade, by the share of the busiest day.
                    let step = (f64::from(n) / busiest * 4.0).ceil().clamp(1.0, 4.0);
                    palette.accent.mix(0.25 + 0.1875 * step)
                };
                let mut square = Rectangle::new(
                    [(2 * w, row_slot(r)), (2 * w + 2, row_slot(r) + 2)],
                    fill.filled(),
                );
                square.set_margin(1, 1, 1, 1);
                square
            }))
            .map_err(chart_error)?;
        Ok(())
    })
}
