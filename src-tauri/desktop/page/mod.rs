//! The window's page as it is served: `index.html` with its words filled in and, once
//! the data is open, Today's evidence (the headline and its chart) drawn into it, with
//! what the page's start-up request would have answered kept beside it as JSON. The
//! window then shows Today as soon as the page is parsed, before its scripts have run;
//! they take over from that answer without asking again (js/app.js, `served`).
//!
//! Everything else is served as Tauri embedded it. Should anything not fit (the data
//! still opening, a template changed, a chart that is not plain drawing), the page is
//! served with only its words, or as it is, and its scripts do what they always did.

mod markup;
mod words;

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::Serialize;
use tauri::utils::assets::{AssetKey, AssetsIter, CspHash};
use tauri::{App, AppHandle, Assets, Manager, Runtime};

use rebound_core::charts::{self, ChartSpec, Theme};
use rebound_core::local_settings::ThemeChoice;
use rebound_core::use_cases::Clock;

use super::commands::app::{chart_theme, start_now, Start};
use super::state::AppState;
use markup::Edits;

/// How long serving the page may wait for the data to open. It opens on a thread of
/// its own from launch, well before WebKit asks for the page; only an open after a
/// crash (checked against the journal) takes longer, and then the page asks later.
const OPEN_WAIT: Duration = Duration::from_millis(120);

/// What the window's first request needs to know that only the window can tell: the
/// width of its page and whether the system asks for dark. Set as the window is made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WindowFacts {
    /// The page's width in CSS pixels.
    pub width: f64,
    pub system_dark: bool,
}

/// Serve `context`'s embedded `index.html` filled in, with `facts` once they are known.
pub fn serve_filled<R: Runtime>(context: &mut tauri::Context<R>, facts: Arc<PageFacts>) {
    let embedded = context.set_assets(Box::new(Nothing));
    context.set_assets(Box::new(PageAssets::new(embedded, facts)));
}

/// No assets: held for a moment while the embedded ones are wrapped.
struct Nothing;

impl<R: Runtime> Assets<R> for Nothing {
    fn get(&self, _: &AssetKey) -> Option<Cow<'_, [u8]>> {
        None
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        Box::new(std::iter::empty())
    }

    fn csp_hashes(&self, _: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        Box::new(std::iter::empty())
    }
}

/// Shared between the assets (which serve the page) and the window's set-up (which
/// knows its size).
#[derive(Default)]
pub struct PageFacts(OnceLock<WindowFacts>);

impl PageFacts {
    pub fn set(&self, facts: WindowFacts) {
        let _ = self.0.set(facts);
    }
}

/// Tauri's embedded assets, with `index.html` served filled in.
pub struct PageAssets<R: Runtime> {
    embedded: Box<dyn Assets<R>>,
    app: OnceLock<AppHandle<R>>,
    facts: Arc<PageFacts>,
}

impl<R: Runtime> PageAssets<R> {
    pub fn new(embedded: Box<dyn Assets<R>>, facts: Arc<PageFacts>) -> PageAssets<R> {
        PageAssets {
            embedded,
            app: OnceLock::new(),
            facts,
        }
    }

    fn index(&self, template: &str) -> Option<String> {
        let words = words::english()?;
        let page = markup::fill_words(template, words)?;
        let served = self
            .app
            .get()
            .and_then(|app| served_start(app, self.facts.0.get().copied()));
        Some(match served.and_then(|s| with_today(&page, &s, words)) {
            Some(today) => today,
            None => page,
        })
    }
}

impl<R: Runtime> Assets<R> for PageAssets<R> {
    fn setup(&self, app: &App<R>) {
        let _ = self.app.set(app.handle().clone());
        self.embedded.setup(app);
    }

    fn get(&self, key: &AssetKey) -> Option<Cow<'_, [u8]>> {
        let asset = self.embedded.get(key)?;
        if key.as_ref() != "/index.html" {
            return Some(asset);
        }
        let template = std::str::from_utf8(&asset).ok()?.to_owned();
        Some(Cow::Owned(
            self.index(&template).unwrap_or(template).into_bytes(),
        ))
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        self.embedded.iter()
    }

    fn csp_hashes(&self, html_path: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        self.embedded.csp_hashes(html_path)
    }
}

/// What the page is served with: the start-up answer, for the chart's `width` and
/// `theme` (which the page checks against its own before using the chart).
#[derive(Debug, Serialize)]
struct Served {
    start: Start,
    width: u32,
    theme: &'static str,
    /// Whether the page asks for plain sans-serif from the start, as the page last found
    /// this computer's fonts (theme.js); None if it has not looked yet.
    plain_sans: Option<bool>,
    /// For the system's theme, the chart drawn in the other theme too: the page shows
    /// whichever the system asks for (app.css), however the window read the system.
    #[serde(skip)]
    other_chart: Option<String>,
}

/// The start-up answer for the window as it was made, if the data opened in time.
fn served_start<R: Runtime>(app: &AppHandle<R>, facts: Option<WindowFacts>) -> Option<Served> {
    let facts = facts?;
    let state = app.try_state::<AppState>()?;
    if !state.opened_within(OPEN_WAIT) {
        return None;
    }
    let width = chart_width(facts.width);
    let start = start_now(&state, Some(facts.system_dark), Some(width));
    let theme = chart_theme(start.appearance.theme, facts.system_dark);
    // The window reads the system's theme from GTK's settings, and WebKit's
    // `prefers-color-scheme` may read it otherwise (`GTK_THEME=Adwaita:dark` is dark to
    // WebKit only): both charts are served, and the style sheet picks.
    let other_chart = match (start.appearance.theme, &start.today) {
        (ThemeChoice::System, Some(today)) if today.today.cycles > 0 => {
            let other = match theme {
                Theme::Light => Theme::Dark,
                Theme::Dark => Theme::Light,
            };
            let spec = ChartSpec::new(other, Clock::system().today).at_width(Some(width));
            charts::render_evidence_chart(&today.evidence.evidence, spec).ok()
        }
        _ => None,
    };
    Some(Served {
        start,
        width,
        theme: match theme {
            Theme::Light => "light",
            Theme::Dark => "dark",
        },
        plain_sans: rebound_core::use_cases::plain_sans(state.data_dir()),
        other_chart,
    })
}

/// The width Today's chart is shown at in a page `page_width` CSS pixels wide, as
/// app.css lays it out: the sidebar (232 px, 200 at 960 and below), the main column's
/// padding (40 px a side, 24), the view's 860 px at most, and the chart card's border and
/// padding (13 px a side). The page measures it itself and asks again if this is off.
pub fn chart_width(page_width: f64) -> u32 {
    let (sidebar, padding) = if page_width <= 960.0 {
        (200.0, 48.0)
    } else {
        (232.0, 80.0)
    };
    let view = (page_width - sidebar - padding).min(860.0);
    (view - 26.0).max(1.0).round() as u32
}

/// The start-up answer as JSON fit to sit in a `<script type="application/json">`:
/// no `<` (so no `</script>`), `>` or `&` in it, whatever the person wrote.
fn json_for_page(served: &Served) -> Option<String> {
    let json = serde_json::to_string(served).ok()?;
    Some(
        json.replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026"),
    )
}

/// The page with Today drawn into it from `served`, or None if it cannot be: the data
/// not open, or anything about the chart or the template not as expected.
fn with_today(page: &str, served: &Served, words: &words::Words) -> Option<String> {
    let start = &served.start;
    let today = start.today.as_ref().filter(|_| start.status.ready)?;
    let json = json_for_page(served)?;
    // Today shown, and said to be the view shown, as app.js's `showView` says it.
    let edits = Edits::new(page.to_owned()).shown("app", true).attribute(
        "nav-today",
        "aria-current",
        "page",
    );
    let edits = if today.today.cycles == 0 {
        edits.shown("welcome", true)
    } else {
        let evidence = &today.evidence;
        let total = evidence.evidence.total;
        let svg = plain_drawing(&evidence.svg)?;
        let svg = match &served.other_chart {
            Some(other) => {
                let (this, that) = if served.theme == "dark" {
                    ("dark", "light")
                } else {
                    ("light", "dark")
                };
                let mark = |svg: &str, theme: &str| {
                    svg.replacen("<svg ", &format!("<svg class=\"for-{theme}\" "), 1)
                };
                format!("{}{}", mark(&svg, this), mark(&plain_drawing(other)?, that))
            }
            None => svg,
        };
        let label = words.fill("evidence_chart_alt", &[("sentence", &evidence.sentence)])?;
        edits
            .shown("evidence", true)
            .shown("headline", total > 0)
            .text("evidence-total", &words::number(total))
            .text("evidence-label", &words.plural("setbacks_survived", total)?)
            .text(
                "evidence-sub",
                &words.plural("setbacks_survived_sub", total)?,
            )
            .attribute("evidence-chart", "aria-label", &label)
            .markup("evidence-chart", &svg)
            .text("evidence-sentence", &evidence.sentence)
    };
    let edits = match served.plain_sans {
        Some(true) => edits.root("class", "plain-sans"),
        _ => edits,
    };
    // As theme.js's `useTheme` sets it: only a theme chosen in Settings is named.
    let edits = match start.appearance.theme {
        ThemeChoice::System => edits,
        _ => edits.root("data-theme", served.theme),
    };
    edits
        .before_body_end(&format!(
            "<script type=\"application/json\" id=\"served\">{json}</script>\n"
        ))
        .done()
}

/// Elements a chart drawn by Rebound is made of (plotters' SVG), as dom.js's
/// `chartElement` keeps them.
const CHART_PARTS: &[&str] = &[
    "svg", "g", "rect", "line", "polyline", "polygon", "path", "circle", "text",
];

/// The chart's SVG fit to be put in the page as it is, hidden from screen readers (the
/// chart's label and sentence say what it shows), or None if it holds anything but
/// plain drawing: another element, an attribute that could run or link anything,
/// a control character, or markup that is not plotters'.
fn plain_drawing(svg: &str) -> Option<String> {
    let svg = svg.trim();
    if !svg.starts_with("<svg ") || !svg.ends_with("</svg>") {
        return None;
    }
    if svg
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return None;
    }
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let name = rest.trim_start_matches('/');
        let len = name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len());
        if !CHART_PARTS.contains(&&name[..len]) {
            return None;
        }
        let tag = &rest[..rest.find('>')?];
        let lower = tag.to_ascii_lowercase();
        let unsafe_attribute =
            lower.contains(" on") || lower.contains("href") || lower.contains("style");
        if unsafe_attribute || tag.contains('<') {
            return None;
        }
    }
    Some(svg.replacen("<svg ", "<svg aria-hidden=\"true\" ", 1))
}

#[cfg(test)]
mod tests;
