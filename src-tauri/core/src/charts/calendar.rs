//! The practice calendar: one square per day for the last 52 weeks and this one,
//! shaded by how many attempts were logged. No streaks, no gaps called out.

use chrono::{Datelike, Duration};
use plotters::prelude::*;

use super::{chart_error, draw_svg, empty_chart, title_font, ChartSpec, Kind};
use crate::error::Result;
use crate::insights::Dashboard;

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

// `7..0`: plotters flips an axis given a falling range, so Monday is the top row.
#[allow(clippy::reversed_empty_ranges)]
pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let palette = spec.theme.palette();
    let p = &d.practice;
    let Some(start) = p.start else {
        return empty_chart(Kind::Calendar.title(), "No calendar yet", &palette);
    };
    let weeks = i32::try_from(p.days.len().div_ceil(7)).unwrap_or(53);
    draw_svg(&palette, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(Kind::Calendar.title(), title_font(&palette))
            .margin(16)
            .margin_right(24)
            .x_label_area_size(44)
            .y_label_area_size(56)
            // Rows run top to bottom, Monday first.
            .build_cartesian_2d(0..weeks, 7..0)
            .map_err(chart_error)?;
        let month_of_week = |w: &i32| {
            let monday = start + Duration::weeks(i64::from(*w));
            // Name a month at the first week that starts in it.
            if monday.day() <= 7 {
                monday.format("%b").to_string()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(usize::try_from(weeks).unwrap_or(53))
            .y_labels(7)
            .x_label_formatter(&month_of_week)
            .y_label_formatter(&|r: &i32| {
                usize::try_from(*r)
                    .ok()
                    .and_then(|r| DAY_NAMES.get(r))
                    .map_or(String::new(), |n| (*n).to_string())
            })
            .x_desc("Week (month named at its first week)")
            .y_desc("Day of the week")
            .axis_desc_style((super::FONT, 15).into_font().color(&palette.muted))
            .label_style((super::FONT, 13).into_font().color(&palette.muted))
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
                let mut square = Rectangle::new([(w, r), (w + 1, r + 1)], fill.filled());
                square.set_margin(1, 1, 1, 1);
                square
            }))
            .map_err(chart_error)?;
        Ok(())
    })
}
