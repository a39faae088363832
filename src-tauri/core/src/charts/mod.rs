//! Charts: insights drawn as SVG with plotters. Pure functions from computed insights
//! and a [`ChartSpec`] to an SVG string; no storage, no Tauri.
//!
//! The window shows these SVGs as images (`<img>`), so nothing inside one can run.
//! plotters escapes markup characters but not control characters, so every piece of
//! person-written text goes through [`crate::text::one_line`] before it is drawn.

pub mod aftermath;
pub mod axis;
pub mod brs;
pub mod calendar;
pub mod evidence;
pub mod frame;
pub mod ladder;
pub mod legend;
pub mod loops;
pub mod prediction;
pub mod recovery;
pub mod tables;

use chrono::NaiveDate;
use plotters::style::RGBColor;
use serde::{Deserialize, Serialize};

use crate::cycle::Outcome;
use crate::error::Result;
use crate::insights::{Dashboard, Range};

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

/// The size a chart is drawn at unless asked for another (`rebound chart`, tests).
pub const WIDTH: u32 = 760;
pub const HEIGHT: u32 = 320;
/// The narrowest and widest chart drawn: the window asks for the width it shows a chart
/// at, within these.
pub const MIN_WIDTH: u32 = 360;
pub const MAX_WIDTH: u32 = 1600;
/// The font family written into the SVG; the viewer picks the system's sans-serif.
const FONT: &str = "sans-serif";
/// Above this many marks a line's dots crowd it and only the line is drawn; below it
/// every mark gets a dot, so a lone mark (one rating, one check-in) is always seen.
pub const MAX_MARKS: usize = 120;

/// The radius of a mark's dot: smaller when many share a line, so they do not merge
/// into a rope.
pub fn dot_radius(marks: usize) -> i32 {
    if marks <= 40 {
        4
    } else {
        3
    }
}

/// "yet", or "in the last 30 days": for a chart with nothing to draw in its range.
fn when(range: Range) -> &'static str {
    if range == Range::All {
        "yet"
    } else {
        range.phrase()
    }
}

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

/// What to draw a chart for: the theme, the day the chart ends on (today), and its
/// size in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartSpec {
    pub theme: Theme,
    pub today: NaiveDate,
    /// The window asks for the width it shows the chart at, so the SVG is shown at one
    /// pixel per CSS pixel and its text keeps the size it was drawn at; a chart drawn
    /// wide and shrunk to a narrow card would shrink its labels past reading.
    pub width: u32,
    pub height: u32,
}

impl ChartSpec {
    /// A chart of the default size.
    pub fn new(theme: Theme, today: NaiveDate) -> ChartSpec {
        ChartSpec {
            theme,
            today,
            width: WIDTH,
            height: HEIGHT,
        }
    }

    /// The same chart at `width` pixels (kept within the narrowest and widest), with a
    /// height that suits it; `None` keeps the default size.
    pub fn at_width(self, width: Option<u32>) -> ChartSpec {
        let Some(width) = width else { return self };
        let width = width.clamp(MIN_WIDTH, MAX_WIDTH);
        ChartSpec {
            width,
            // Short and wide on big screens, taller on narrow ones so the plot keeps room
            // under its title and legend.
            height: (width * 9 / 20).clamp(300, 380),
            ..self
        }
    }
}

/// The colours of one theme. Keep these in step with the CSS variables of the same
/// names in ui/css/app.css.
pub struct Palette {
    /// --surface: the card the chart sits on.
    pub surface: RGBColor,
    /// --text
    pub text: RGBColor,
    /// --text-muted
    pub muted: RGBColor,
    /// --line: grid and axes.
    pub line: RGBColor,
    /// --accent: the one accent colour, a deep teal.
    pub accent: RGBColor,
    /// --success, --partial, --failure, --pending: calm outcome colours, never alarm red.
    pub success: RGBColor,
    pub partial: RGBColor,
    pub failure: RGBColor,
    pub pending: RGBColor,
}

impl Palette {
    pub fn outcome(&self, outcome: Outcome) -> RGBColor {
        match outcome {
            Outcome::Success => self.success,
            Outcome::Partial => self.partial,
            Outcome::Failure => self.failure,
            Outcome::Pending => self.pending,
        }
    }
}

impl Theme {
    pub fn palette(self) -> Palette {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_width_asked_for_is_kept_within_bounds() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let spec = ChartSpec::new(Theme::Light, today);
        assert_eq!(spec.at_width(None), spec);
        assert_eq!(spec.at_width(Some(10)).width, MIN_WIDTH);
        assert_eq!(spec.at_width(Some(600)).height, 300);
        assert_eq!(spec.at_width(Some(99_999)).width, MAX_WIDTH);
    }
}
