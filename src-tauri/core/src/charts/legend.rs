//! A chart's legend, drawn in rows above the plot (never over the data), and the marks
//! that tell lines apart by shape as well as colour.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::RGBColor;

use super::axis::text_width;
use super::frame::{chart_error, font, Area, TimeChart, LABEL_PX, MARGIN};
use super::Palette;
use crate::error::Result;

/// How a legend entry is drawn beside its words.
#[derive(Clone, Copy, Debug)]
pub enum Swatch {
    Line(RGBColor),
    Dot(RGBColor),
    /// A faint dot: single marks behind a line.
    FaintDot(RGBColor),
    Ring(RGBColor),
    Triangle(RGBColor),
    Cross(RGBColor),
    Band(RGBColor),
    /// A line with its marks' shape on it, for lines told apart by shape as well as
    /// colour.
    Marked(RGBColor, Mark),
}

/// The shape of a line's marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Dot,
    Triangle,
    Square,
}

/// Draw `points` on a time chart as marks of `shape`, `size` pixels from centre to edge.
pub fn draw_marks(
    chart: &mut TimeChart<'_, '_>,
    shape: Mark,
    points: &[(i32, f64)],
    size: i32,
    colour: RGBColor,
) -> Result<()> {
    let style = colour.filled();
    match shape {
        Mark::Dot => chart.draw_series(points.iter().map(|&at| Circle::new(at, size, style))),
        Mark::Triangle => chart.draw_series(
            points
                .iter()
                .map(|&at| TriangleMarker::new(at, size + 1, style)),
        ),
        Mark::Square => chart.draw_series(points.iter().map(|&at| {
            EmptyElement::at(at) + Rectangle::new([(-size, -size), (size, size)], style)
        })),
    }
    .map(|_| ())
    .map_err(chart_error)
}

/// One entry of a chart's legend.
pub struct Legend {
    pub label: String,
    pub swatch: Swatch,
}

impl Legend {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> Legend {
        Legend {
            label: label.into(),
            swatch,
        }
    }
}

const SWATCH_PX: i32 = 20;

/// Draw the legend in rows under the title, from `top`; returns the height used.
pub fn draw_legend(
    root: &Area<'_>,
    entries: &[Legend],
    top: i32,
    width: i32,
    palette: &Palette,
) -> Result<i32> {
    if entries.is_empty() {
        return Ok(0);
    }
    let row_px = LABEL_PX as i32 + 10;
    let style = font(LABEL_PX, &palette.text).pos(Pos::new(HPos::Left, VPos::Center));
    let (mut x, mut y) = (MARGIN, top + row_px / 2);
    for entry in entries {
        let words = text_width(&entry.label, LABEL_PX).ceil() as i32;
        let needed = SWATCH_PX + 6 + words;
        if x > MARGIN && x + needed > width - MARGIN {
            x = MARGIN;
            y += row_px;
        }
        draw_swatch(root, entry.swatch, (x, y))?;
        root.draw_text(&entry.label, &style, (x + SWATCH_PX + 6, y))
            .map_err(chart_error)?;
        x += needed + 18;
    }
    Ok(y + row_px / 2 - top + 4)
}

fn draw_swatch(root: &Area<'_>, swatch: Swatch, (x, y): (i32, i32)) -> Result<()> {
    let centre = (x + SWATCH_PX / 2, y);
    match swatch {
        Swatch::Line(c) => root.draw(&PathElement::new(
            vec![(x, y), (x + SWATCH_PX, y)],
            c.stroke_width(2),
        )),
        Swatch::Dot(c) => root.draw(&Circle::new(centre, 4, c.filled())),
        Swatch::FaintDot(c) => root.draw(&Circle::new(centre, 4, c.mix(0.45).filled())),
        Swatch::Ring(c) => root.draw(&Circle::new(centre, 4, c.stroke_width(1))),
        Swatch::Triangle(c) => root.draw(&TriangleMarker::new(centre, 5, c.filled())),
        Swatch::Cross(c) => root.draw(&Cross::new(centre, 4, c.stroke_width(2))),
        Swatch::Band(c) => root.draw(&Rectangle::new(
            [(x, y - 6), (x + SWATCH_PX, y + 6)],
            c.mix(0.18).filled(),
        )),
        Swatch::Marked(c, shape) => root
            .draw(&PathElement::new(
                vec![(x, y), (x + SWATCH_PX, y)],
                c.stroke_width(2),
            ))
            .and_then(|()| match shape {
                Mark::Dot => root.draw(&Circle::new(centre, 4, c.filled())),
                Mark::Triangle => root.draw(&TriangleMarker::new(centre, 5, c.filled())),
                Mark::Square => root.draw(&Rectangle::new(
                    [(centre.0 - 4, y - 4), (centre.0 + 4, y + 4)],
                    c.filled(),
                )),
            }),
    }
    .map_err(chart_error)
}
