//! Prediction calibration: on the left, predicted success against the share that
//! succeeded, per band (on the diagonal is well calibrated); on the right, the Brier
//! score by week or month (lower is sharper).

use plotters::prelude::*;

use super::{
    chart_error, day_label, day_number, day_span, draw_mesh, draw_svg, empty_chart, title_font,
    ChartSpec, Kind, FONT, WIDTH,
};
use crate::error::Result;
use crate::insights::Dashboard;

pub fn render(d: &Dashboard, spec: ChartSpec) -> Result<String> {
    let palette = spec.theme.palette();
    let p = &d.prediction;
    if p.scored == 0 {
        return empty_chart(
            Kind::Prediction.title(),
            "No predictions with an outcome yet: give a chance of success before trying",
            &palette,
        );
    }
    draw_svg(&palette, |root| {
        let root = root
            .titled(Kind::Prediction.title(), title_font(&palette))
            .map_err(chart_error)?;
        let (left, right) = root.split_horizontally(WIDTH / 2 - 10);

        let mut cal = ChartBuilder::on(&left)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..100.0, 0f64..100.0)
            .map_err(chart_error)?;
        draw_mesh!(
            cal,
            palette,
            "You predicted, %",
            "Succeeded, %",
            &|x: &f64| format!("{x:.0}"),
            &|y: &f64| format!("{y:.0}")
        )?;
        cal.draw_series(LineSeries::new(
            [(0.0, 0.0), (100.0, 100.0)],
            palette.muted.mix(0.6).stroke_width(1),
        ))
        .map_err(chart_error)?;
        let points: Vec<(f64, f64, usize)> = p
            .bands
            .iter()
            .filter_map(|b| Some((b.predicted?, b.succeeded?, b.count)))
            .collect();
        cal.draw_series(LineSeries::new(
            points.iter().map(|&(x, y, _)| (x, y)),
            palette.accent.stroke_width(2),
        ))
        .map_err(chart_error)?;
        let most = points.iter().map(|p| p.2).max().unwrap_or(1).max(1) as f64;
        cal.draw_series(points.iter().map(|&(x, y, n)| {
            // Bigger dots for bands holding more predictions.
            let size = 3.0 + 5.0 * (n as f64 / most).sqrt();
            Circle::new((x, y), size.round() as i32, palette.accent.filled())
        }))
        .map_err(chart_error)?;

        let (x0, x1) = day_span(
            p.series.first().map(|b| b.day),
            spec,
            d.range.start(spec.today),
        );
        let span = x1 - x0;
        let top = p
            .series
            .iter()
            .map(|b| b.brier)
            .fold(0.3, f64::max)
            .min(1.0);
        let mut brier = ChartBuilder::on(&right)
            .margin(12)
            .margin_right(28)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d(x0..x1, 0f64..top * 1.1)
            .map_err(chart_error)?;
        let label_font = (FONT, 15).into_font().color(&palette.muted);
        brier
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(6)
            .y_labels(5)
            .x_label_formatter(&|x: &i32| day_label(*x, span))
            .y_label_formatter(&|y: &f64| format!("{y:.2}"))
            .x_desc("Week or month")
            .y_desc("Brier score (lower is sharper)")
            .axis_desc_style(label_font.clone())
            .label_style(label_font)
            .axis_style(palette.line)
            .bold_line_style(palette.line)
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(chart_error)?;
        brier
            .draw_series(LineSeries::new(
                p.series.iter().map(|b| (day_number(b.day), b.brier)),
                palette.accent.stroke_width(2),
            ))
            .map_err(chart_error)?;
        if p.series.len() <= 120 {
            brier
                .draw_series(
                    p.series.iter().map(|b| {
                        Circle::new((day_number(b.day), b.brier), 3, palette.accent.filled())
                    }),
                )
                .map_err(chart_error)?;
        }
        Ok(())
    })
}
