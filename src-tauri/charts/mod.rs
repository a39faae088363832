//! Charts: insights drawn as SVG with plotters. Pure functions from computed insights
//! and a [`ChartSpec`] to an SVG string; no storage, no Tauri.
//!
//! The window shows these SVGs as images (`<img>`), so nothing inside one can run.
//! plotters escapes markup characters but not control characters, so every piece of
//! person-written text goes through [`crate::text::one_line`] before it is drawn.

pub mod evidence;

use chrono::{Datelike, NaiveDate};
use plotters::style::RGBColor;
use serde::Deserialize;

use crate::error::Error;

pub use evidence::render_evidence_chart;

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
            },
            Theme::Dark => Palette {
                surface: RGBColor(0x1f, 0x25, 0x28),
                text: RGBColor(0xe6, 0xe9, 0xe7),
                muted: RGBColor(0x9d, 0xa8, 0xac),
                line: RGBColor(0x33, 0x3c, 0x40),
                accent: RGBColor(0x5b, 0xb8, 0xad),
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
