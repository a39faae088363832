//! Charts: insights drawn as SVG with plotters. Pure functions from computed insights
//! and a [`ChartSpec`] to an SVG string; no storage, no Tauri.
//!
//! The window shows these SVGs as images (`<img>`), so nothing inside one can run.
//! plotters escapes markup characters but not control characters, so every piece of
//! person-written text goes through [`crate::text::one_line`] before it is drawn.

pub mod aftermath;
pub mod brs;
pub mod calendar;
pub mod evidence;
pub mod ladder;
pub mod loops;
pub mod prediction;
pub mod recovery;
pub mod tables;

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use plotters::style::RGBColor;
use serde::{Deserialize, Serialize};

use crate::cycle::Outcome;
use crate::error::{Error, Result};
use crate::insights::Dashboard;

pub use evidence::render_evidence_chart;
pub use tables::{table, Table};

/// The dashboard's charts, in the order it shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Evidence,
    Recovery,
    Aftermath,
    Ladder,
    Calendar,
    Loops,
    Brs,
    Prediction,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Evidence,
        Kind::Recovery,
        Kind::Aftermath,
        Kind::Ladder,
        Kind::Calendar,
        Kind::Loops,
        Kind::Brs,
        Kind::Prediction,
    ];

    /// The public name, as `rebound chart KIND` and the window use it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Evidence => "evidence",
            Kind::Recovery => "recovery",
            Kind::Aftermath => "aftermath",
            Kind::Ladder => "ladder",
            Kind::Calendar => "calendar",
            Kind::Loops => "loops",
            Kind::Brs => "brs",
            Kind::Prediction => "prediction",
        }
    }

    /// The chart's title, as drawn.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Evidence => "Evidence of recovery",
            Kind::Recovery => "Time to try again",
            Kind::Aftermath => "Stress and verdict after setbacks",
            Kind::Ladder => "Difficulty ladder",
            Kind::Calendar => "Practice calendar",
            Kind::Loops => "Loop quality by month",
            Kind::Brs => "Brief Resilience Scale",
            Kind::Prediction => "How well your predictions match",
        }
    }

    /// The sentence under the chart, from the dashboard.
    pub fn sentence(self, d: &Dashboard) -> String {
        let s = &d.sentences;
        match self {
            Kind::Evidence => s.evidence.clone(),
            Kind::Recovery => s.recovery.clone(),
            Kind::Aftermath => s.aftermath.clone(),
            Kind::Ladder => s.ladder.clone(),
            Kind::Calendar => s.practice.clone(),
            Kind::Loops => format!("{} {}", s.loops, s.safety),
            Kind::Brs => s.brs.clone(),
            Kind::Prediction => s.prediction.clone(),
        }
    }
}

impl std::str::FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown chart {s:?}"))
    }
}

/// Draw one of the dashboard's charts.
pub fn render(kind: Kind, d: &Dashboard, spec: ChartSpec) -> Result<String> {
    match kind {
        Kind::Evidence => render_evidence_chart(&d.evidence, spec),
        Kind::Recovery => recovery::render(d, spec),
        Kind::Aftermath => aftermath::render(d, spec),
        Kind::Ladder => ladder::render(d, spec),
        Kind::Calendar => calendar::render(d, spec),
        Kind::Loops => loops::render(d, spec),
        Kind::Brs => brs::render(d, spec),
        Kind::Prediction => prediction::render(d, spec),
    }
}

/// Size every chart is drawn at; the window scales the image to its card.
pub const WIDTH: u32 = 760;
pub const HEIGHT: u32 = 320;
/// The font family written into the SVG; the viewer picks the system's sans-serif.
const FONT: &str = "sans-serif";

/// Light or dark, following the window's theme, so a chart never glares white at night.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl std::str::FromStr for Theme {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            other => Err(format!("unknown theme {other:?}; use light or dark")),
        }
    }
}

/// What to draw a chart for: the theme, and the day the chart ends on (today).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartSpec {
    pub theme: Theme,
    pub today: NaiveDate,
}

/// The colours of one theme. Keep these in step with the CSS variables of the same
/// names in ui/css/app.css.
struct Palette {
    /// --surface: the card the chart sits on.
    surface: RGBColor,
    /// --text
    text: RGBColor,
    /// --text-muted
    muted: RGBColor,
    /// --line: grid and axes.
    line: RGBColor,
    /// --accent: the one accent colour, a deep teal.
    accent: RGBColor,
    /// --success, --partial, --failure, --pending: calm outcome colours, never alarm red.
    success: RGBColor,
    partial: RGBColor,
    failure: RGBColor,
    pending: RGBColor,
}

impl Palette {
    fn outcome(&self, outcome: Outcome) -> RGBColor {
        match outcome {
            Outcome::Success => self.success,
            Outcome::Partial => self.partial,
            Outcome::Failure => self.failure,
            Outcome::Pending => self.pending,
        }
    }
}

impl Theme {
    fn palette(self) -> Palette {
        match self {
            Theme::Light => Palette {
                surface: RGBColor(0xff, 0xff, 0xff),
                text: RGBColor(0x1f, 0x29, 0x2e),
                muted: RGBColor(0x5a, 0x67, 0x6d),
                line: RGBColor(0xe4, 0xe1, 0xda),
                accent: RGBColor(0x1f, 0x74, 0x6e),
                success: RGBColor(0x3f, 0x7a, 0x4a),
                partial: RGBColor(0x8a, 0x64, 0x17),
                failure: RGBColor(0x8d, 0x5a, 0x43),
                pending: RGBColor(0x62, 0x6d, 0x72),
            },
            Theme::Dark => Palette {
                surface: RGBColor(0x1f, 0x25, 0x28),
                text: RGBColor(0xe6, 0xe9, 0xe7),
                muted: RGBColor(0x9d, 0xa8, 0xac),
                line: RGBColor(0x33, 0x3c, 0x40),
                accent: RGBColor(0x5b, 0xb8, 0xad),
                success: RGBColor(0x8c, 0xc4, 0x9a),
                partial: RGBColor(0xd9, 0xb4, 0x6a),
                failure: RGBColor(0xd3, 0x9a, 0x80),
                pending: RGBColor(0xa9, 0xb3, 0xb7),
            },
        }
    }
}

/// A day as a number on a chart's x axis.
fn day_number(day: NaiveDate) -> i32 {
    day.num_days_from_ce()
}

/// Label an x-axis day: "27 Nov" over short spans, "Nov 2026" over long ones.
fn day_label(number: i32, span_days: i32) -> String {
    match NaiveDate::from_num_days_from_ce_opt(number) {
        Some(day) if span_days <= 120 => day.format("%-d %b").to_string(),
        Some(day) => day.format("%b %Y").to_string(),
        None => String::new(),
    }
}

fn chart_error<E: std::error::Error>(e: E) -> Error {
    Error::Chart(e.to_string())
}

/// A chart with nothing to draw yet: its title and one line saying what would fill it.
fn empty_chart(title: &str, message: &str, palette: &Palette) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&palette.surface).map_err(chart_error)?;
        let title_font = (FONT, 22).into_font().color(&palette.text);
        root.draw_text(title, &title_font, (24, 20))
            .map_err(chart_error)?;
        let style = (FONT, 17).into_font().color(&palette.muted);
        let (w, _) = root
            .estimate_text_size(message, &style)
            .map_err(chart_error)?;
        let x = (i32::try_from(WIDTH).unwrap_or(0) - i32::try_from(w).unwrap_or(0)) / 2;
        root.draw_text(message, &style, (x.max(8), (HEIGHT / 2) as i32))
            .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// The x-axis span of days for a series: from its first day (or the range's start) to
/// today, padded a little so end marks are not cut.
fn day_span(
    first: Option<NaiveDate>,
    spec: ChartSpec,
    range_start: Option<NaiveDate>,
) -> (i32, i32) {
    let first = match (first, range_start) {
        (Some(f), Some(r)) => f.min(spec.today).max(r),
        (Some(f), None) => f.min(spec.today),
        (None, Some(r)) => r,
        (None, None) => spec.today - chrono::Duration::days(30),
    };
    let days = (spec.today - first).num_days().max(1);
    let pad = i32::try_from((days / 40).max(1)).unwrap_or(1);
    (day_number(first) - pad, day_number(spec.today) + pad)
}

/// Style a chart's mesh the same way everywhere: no vertical grid, quiet lines,
/// labelled axes in the muted text colour.
macro_rules! draw_mesh {
    ($chart:expr, $palette:expr, $x_desc:expr, $y_desc:expr, $x_fmt:expr, $y_fmt:expr) => {{
        let label_font = (crate::charts::FONT, 15).into_font().color(&$palette.muted);
        $chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(6)
            .y_labels(5)
            .x_label_formatter($x_fmt)
            .y_label_formatter($y_fmt)
            .x_desc($x_desc)
            .y_desc($y_desc)
            .axis_desc_style(label_font.clone())
            .label_style(label_font)
            .axis_style($palette.line)
            .bold_line_style($palette.line)
            // Never `max_light_lines(0)`: plotters 0.3.7 overflows on it (see evidence.rs).
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(crate::charts::chart_error)
    }};
}
pub(crate) use draw_mesh;

/// A legend in the chart's corner, in the theme's colours.
macro_rules! draw_legend {
    ($chart:expr, $palette:expr, $position:expr) => {{
        $chart
            .configure_series_labels()
            .position($position)
            .background_style($palette.surface.mix(0.9))
            .border_style($palette.line)
            .label_font((crate::charts::FONT, 14).into_font().color(&$palette.text))
            .draw()
            .map_err(crate::charts::chart_error)
    }};
}
pub(crate) use draw_legend;

/// A chart's caption style.
/// Draw a chart of the standard size on the theme's background and return its SVG.
fn draw_svg(
    palette: &Palette,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> Result<()>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&palette.surface).map_err(chart_error)?;
        draw(&root)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// A chart drawn into an SVG string, with its two axes.
type DayChart<'a, 'b, X, Y> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>;

/// The frame every chart over days shares: its title on top, the same margins, and
/// room for the axis labels. The caller fills the background and draws the rest.
fn day_chart<
    'a,
    'b,
    X: plotters::coord::ranged1d::AsRangedCoord,
    Y: plotters::coord::ranged1d::AsRangedCoord,
>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    palette: &Palette,
    x: X,
    y: Y,
) -> Result<DayChart<'a, 'b, X::CoordDescType, Y::CoordDescType>> {
    ChartBuilder::on(root)
        .caption(title, title_font(palette))
        .margin(16)
        .margin_right(32)
        .x_label_area_size(44)
        .y_label_area_size(56)
        .build_cartesian_2d(x, y)
        .map_err(chart_error)
}

fn title_font(palette: &Palette) -> TextStyle<'static> {
    (FONT, 22).into_font().color(&palette.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_labels_follow_the_span() {
        let day = day_number(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(day_label(day, 30), "27 Nov");
        assert_eq!(day_label(day, 400), "Nov 2026");
    }
}
