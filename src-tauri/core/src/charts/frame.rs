//! What every chart shares: the canvas, the title, the legend (always above the plot,
//! never over the data), the axes and their labels, and the chart with nothing to draw.
//!
//! Sizes here are in SVG pixels. The window asks for each chart at the width it will
//! show it ([`super::ChartSpec::width`]), so an SVG pixel is a CSS pixel there and the
//! smallest text, [`LABEL_PX`], stays readable down to the 800 × 600 window.

use chrono::NaiveDate;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::RGBColor;

use super::axis::{text_width, Axis};
use super::legend::draw_legend;
// The charts take their legend's parts from here with the rest of the frame.
pub use super::legend::{draw_marks, Legend, Mark, Swatch};
use super::{ChartSpec, Palette, FONT};
use crate::error::{Error, Result};

/// The title's size.
pub const TITLE_PX: f64 = 17.0;
/// Axis labels, axis names and the legend: the smallest text on any chart.
pub const LABEL_PX: f64 = 13.0;
/// The sentence a chart with nothing to draw shows in its middle.
pub const MESSAGE_PX: f64 = 15.0;
/// plotters writes `font-size` as the size it is given divided by 1.24 (its idea of a
/// line's height), so sizes are scaled up by as much to come out as asked.
const PLOTTERS_SCALE: f64 = 1.24;

pub const MARGIN: i32 = 16;
/// Room at the right for half of the last date label.
const MARGIN_RIGHT: i32 = 28;
/// Under the plot: the tick labels and the axis name.
const X_LABEL_AREA: i32 = 46;
/// Left of the plot: the widest tick label and the axis name.
const Y_LABEL_AREA: i32 = 62;

/// A text style of `px` SVG pixels.
pub fn font(px: f64, colour: &RGBColor) -> TextStyle<'static> {
    (FONT, px * PLOTTERS_SCALE).into_font().color(colour)
}

pub fn chart_error<E: std::error::Error>(e: E) -> Error {
    Error::Chart(e.to_string())
}

/// An SVG drawing area.
pub type Area<'b> = DrawingArea<SVGBackend<'b>, plotters::coord::Shift>;

/// Draw a chart of the spec's size on the theme's background and return its SVG.
pub fn draw_svg(
    spec: ChartSpec,
    draw: impl FnOnce(&Area<'_>, &Palette) -> Result<()>,
) -> Result<String> {
    let palette = spec.theme.palette();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (spec.width, spec.height)).into_drawing_area();
        root.fill(&palette.surface).map_err(chart_error)?;
        draw(&root, &palette)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// A chart with nothing to draw: its title, and in its middle one sentence saying why
/// and what would fill it (wrapped to the width).
pub fn empty_chart(title: &str, message: &str, spec: ChartSpec) -> Result<String> {
    draw_svg(spec, |root, palette| {
        draw_title(root, title, palette)?;
        let style = font(MESSAGE_PX, &palette.muted).pos(Pos::new(HPos::Center, VPos::Center));
        let lines = wrap(message, f64::from(spec.width) - 48.0, MESSAGE_PX);
        let line_px = (MESSAGE_PX * 1.5) as i32;
        let height = i32::try_from(spec.height).unwrap_or(300);
        let top = height / 2 - line_px * (lines.len() as i32 - 1) / 2;
        let x = i32::try_from(spec.width / 2).unwrap_or(0);
        for (i, line) in lines.iter().enumerate() {
            root.draw_text(line, &style, (x, top + line_px * i as i32))
                .map_err(chart_error)?;
        }
        Ok(())
    })
}

/// Break `text` into lines no wider than `width` by the estimate of text width.
fn wrap(text: &str, width: f64, px: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, px) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub fn draw_title(root: &Area<'_>, title: &str, palette: &Palette) -> Result<i32> {
    root.draw_text(title, &font(TITLE_PX, &palette.text), (MARGIN, 12))
        .map_err(chart_error)?;
    Ok(12 + TITLE_PX as i32 + 10)
}

/// The width of the plot itself in a chart of `width` drawn by [`plot`].
pub fn plot_width(width: u32) -> f64 {
    f64::from(i32::try_from(width).unwrap_or(760) - MARGIN - MARGIN_RIGHT - Y_LABEL_AREA).max(40.0)
}

/// A chart over a time axis, drawn into an SVG string.
pub type TimeChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Axis, RangedCoordf64>>;

/// The names of a chart's two axes.
pub struct AxisNames<'t> {
    pub x: &'t str,
    pub y: &'t str,
}

/// The head of a chart: its title, then its legend (above the plot, so it never covers
/// the data). Returns the area left for the plot.
pub fn head<'b>(
    root: &Area<'b>,
    title: &str,
    legend: &[Legend],
    palette: &Palette,
) -> Result<Area<'b>> {
    let (width, _) = root.dim_in_pixel();
    let width_px = i32::try_from(width).unwrap_or(760);
    let mut top = draw_title(root, title, palette)?;
    top += draw_legend(root, legend, top, width_px, palette)?;
    Ok(root.split_vertically(top).1)
}

/// The frame of a chart over time: the title, the legend above the plot, and the
/// plot with its axes drawn; then `draw` puts the data in it. `x` gets the plot's width
/// in pixels and makes the x axis; `y` is the value range.
#[allow(clippy::too_many_arguments)]
pub fn plot(
    root: &Area<'_>,
    title: &str,
    legend: &[Legend],
    palette: &Palette,
    x: impl FnOnce(f64) -> Axis,
    y: std::ops::Range<f64>,
    names: AxisNames<'_>,
    draw: impl FnOnce(&mut TimeChart<'_, '_>) -> Result<()>,
) -> Result<()> {
    let below = head(root, title, legend, palette)?;
    time_plot(&below, palette, x, y, names, draw)
}

/// A plot over time in `area` (no title): see [`plot`].
pub fn time_plot(
    area: &Area<'_>,
    palette: &Palette,
    x: impl FnOnce(f64) -> Axis,
    y: std::ops::Range<f64>,
    names: AxisNames<'_>,
    draw: impl FnOnce(&mut TimeChart<'_, '_>) -> Result<()>,
) -> Result<()> {
    let (width, _) = area.dim_in_pixel();
    let x = x(plot_width(width));
    let mut chart = ChartBuilder::on(area)
        .margin(MARGIN)
        .margin_top(4)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(x, y)
        .map_err(chart_error)?;
    mesh(&mut chart, palette, names)?;
    draw(&mut chart)
}

/// A plot with a value axis across (0 to 100, say) in `area`, styled as the time plots.
pub fn value_plot(
    area: &Area<'_>,
    palette: &Palette,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    names: AxisNames<'_>,
    draw: impl FnOnce(&mut ValueChart<'_, '_>) -> Result<()>,
) -> Result<()> {
    let mut chart = ChartBuilder::on(area)
        .margin(MARGIN)
        .margin_top(4)
        .margin_right(MARGIN_RIGHT)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(x, y)
        .map_err(chart_error)?;
    let label = font(LABEL_PX, &palette.muted);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|x: &f64| number_label(*x))
        .y_label_formatter(&|y: &f64| number_label(*y))
        .x_desc(names.x)
        .y_desc(names.y)
        .axis_desc_style(label.clone())
        .label_style(label)
        .axis_style(palette.line)
        .bold_line_style(palette.line)
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(chart_error)?;
    draw(&mut chart)
}

/// A chart with values on both axes, drawn into an SVG string.
pub type ValueChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The mesh every time chart shares: no vertical grid, quiet horizontal lines, labels
/// in the muted text colour, y values with only the decimals they need.
fn mesh(chart: &mut TimeChart<'_, '_>, palette: &Palette, names: AxisNames<'_>) -> Result<()> {
    let label = font(LABEL_PX, &palette.muted);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_labels(5)
        .y_label_formatter(&|y: &f64| number_label(*y))
        .x_desc(names.x)
        .y_desc(names.y)
        .axis_desc_style(label.clone())
        .label_style(label)
        .axis_style(palette.line)
        .bold_line_style(palette.line)
        // Never `max_light_lines(0)`: plotters 0.3.7 overflows on it; invisible instead.
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(chart_error)
}

/// A y value with only the decimals it needs: 2, 2.5, 0.25; thousands as 15k, so a
/// big count fits beside its axis.
pub fn number_label(value: f64) -> String {
    if value.abs() >= 10_000.0 && (value / 1000.0).fract() == 0.0 {
        return format!("{}k", (value / 1000.0) as i64);
    }
    for decimals in 0..4 {
        let text = format!("{value:.decimals$}");
        if text.parse::<f64>().is_ok_and(|v| (v - value).abs() < 1e-6) {
            return text;
        }
    }
    format!("{value:.3}")
}

/// The days a time chart spans: from its first mark (or the range's start, or a month
/// back) to today, padded a little so end marks are not cut.
pub fn day_span(
    first: Option<NaiveDate>,
    spec: ChartSpec,
    range_start: Option<NaiveDate>,
) -> (NaiveDate, NaiveDate) {
    // A mark may stand for a week or month that began before the range did; the axis
    // starts at the mark so it is drawn inside the plot, never left of it.
    let first = match (first, range_start) {
        (Some(f), _) => f.min(spec.today),
        (None, Some(r)) => r,
        (None, None) => spec.today - chrono::Duration::days(30),
    };
    let days = (spec.today - first).num_days().max(1);
    let pad = chrono::Duration::days((days / 40).max(1));
    (first - pad, spec.today + pad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_only_the_decimals_they_need() {
        assert_eq!(number_label(2.0), "2");
        assert_eq!(number_label(2.5), "2.5");
        assert_eq!(number_label(0.25), "0.25");
        assert_eq!(number_label(15_000.0), "15k");
    }

    #[test]
    fn messages_wrap_to_the_width() {
        let lines = wrap("one two three four five six", 60.0, 10.0);
        assert!(lines.len() > 1);
        assert!(lines
            .iter()
            .all(|l| text_width(l, 10.0) <= 60.0 || !l.contains(' ')));
    }
}
