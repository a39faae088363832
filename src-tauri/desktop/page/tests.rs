use rebound_core::charts::Theme;
use rebound_core::local_settings::Appearance;
use rebound_core::store::Store;
use rebound_core::use_cases::{self, Clock};
use serde_json::{json, Value};

use super::*;
use crate::desktop::state::{Problem, StartupStatus};

/// The window's page as Tauri embeds it.
const TEMPLATE: &str = include_str!("../../../ui/index.html");

fn words() -> &'static words::Words {
    words::english().unwrap()
}

fn status(ready: bool) -> StartupStatus {
    StartupStatus {
        ready,
        problem: (!ready).then(|| Problem {
            kind: "alreadyOpen",
            message: "in use".into(),
        }),
        data_dir: "/data".into(),
        version: "1",
        newest_backup: None,
        recoverable: false,
        settings_problem: None,
    }
}

fn served(store: &Store, theme: ThemeChoice) -> Served {
    let drawn = if theme == ThemeChoice::Dark {
        Theme::Dark
    } else {
        Theme::Light
    };
    let today = use_cases::today_start(store, 5, drawn, Some(762), Clock::system()).unwrap();
    Served {
        start: Start {
            appearance: Appearance { theme },
            status: status(true),
            today: Some(today),
        },
        width: 762,
        theme: if theme == ThemeChoice::Dark {
            "dark"
        } else {
            "light"
        },
        plain_sans: None,
        other_chart: None,
    }
}

fn log(store: &Store, area: &str, attempt: &str, outcome: &str, days_ago: i64) {
    let clock = Clock::system();
    let on = clock.today - chrono::Duration::days(days_ago);
    let draft = json!({
        "area": area, "attempt": attempt, "attempted_on": on.to_string(), "outcome": outcome,
        "difficulty": 5, "stakes": 3, "effort": 3, "safety": 3,
    });
    use_cases::log_cycle(store, draft, clock).unwrap();
}

/// A store holding one setback followed by another attempt (in its temporary folder).
fn one_setback_survived() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    log(&store, "pitches", "Pitched high", "failure", 3);
    log(&store, "pitches", "Pitched again", "success", 1);
    (dir, store)
}

/// What the page keeps in its `#served` script, parsed.
fn kept(page: &str) -> Value {
    let open = page
        .find("<script type=\"application/json\" id=\"served\">")
        .unwrap();
    let body = &page[open..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    serde_json::from_str(body).unwrap()
}

/// The start tag of the element with `id`.
fn tag<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page.find(&format!(" id=\"{id}\"")).unwrap();
    let open = page[..at].rfind('<').unwrap();
    &page[open..at + page[at..].find('>').unwrap() + 1]
}

#[test]
fn the_page_is_served_with_every_word_its_catalogue_has() {
    let page = markup::fill_words(TEMPLATE, words()).expect("index.html reads back");
    let mut rest = page.as_str();
    let mut filled = 0;
    while let Some(at) = rest.find(" data-t=\"") {
        let after = &rest[at + 9..];
        let key = &after[..after.find('"').unwrap()];
        let content = &after[after.find('>').unwrap() + 1..];
        assert!(words().get(key).is_some(), "no words for {key}");
        assert!(!content.starts_with("</"), "{key} left empty");
        filled += 1;
        rest = after;
    }
    assert!(filled > 200, "only {filled} filled");
    for (attribute, key) in [
        ("placeholder", "date_placeholder"),
        ("aria-label", "dismiss"),
        ("title", "close_esc"),
    ] {
        let said = markup::escape(words().get(key).unwrap());
        assert!(
            page.contains(&format!("{attribute}=\"{said}\"")),
            "{attribute} of {key}"
        );
    }
    assert!(
        !page.contains("placeholder=\"\""),
        "a placeholder left empty"
    );
}

#[test]
fn today_is_drawn_into_the_page_with_the_answer_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    log(&store, "pitches", "Pitched high", "failure", 3);
    log(
        &store,
        "pitches",
        "</script><script>window.__hit = 1</script> & more",
        "success",
        1,
    );
    let served = Served {
        plain_sans: Some(true),
        ..served(&store, ThemeChoice::Dark)
    };
    let page = markup::fill_words(TEMPLATE, words()).unwrap();
    let drawn = with_today(&page, &served, words()).expect("Today drawn in");

    assert!(!tag(&drawn, "app").contains("hidden"));
    assert!(tag(&drawn, "nav-today").contains("aria-current=\"page\""));
    assert!(!tag(&drawn, "evidence").contains("hidden"));
    assert!(tag(&drawn, "welcome").contains("hidden"));
    assert!(!tag(&drawn, "headline").contains("hidden"));
    assert!(drawn.contains("<html lang=\"en\" class=\"plain-sans\" data-theme=\"dark\">"));
    assert!(drawn.contains("id=\"evidence-total\" class=\"num\">1</span>"));
    assert!(drawn.contains(&format!(
        ">{}</p>",
        words().plural("setbacks_survived", 1).unwrap()
    )));
    let sentence = &served.start.today.as_ref().unwrap().evidence.sentence;
    assert!(drawn.contains(&format!(">{}</figcaption>", markup::escape(sentence))));
    assert!(tag(&drawn, "evidence-chart").contains(&markup::escape(sentence)));
    assert!(drawn.contains("<div id=\"evidence-chart\" class=\"chart drawing\" role=\"img\""));
    assert!(drawn.contains("><svg aria-hidden=\"true\" width=\"762\""));

    // The person's words are in the answer, and nowhere else: they cannot end its script.
    assert_eq!(
        drawn.matches("</script>").count(),
        2,
        "app.js's and the answer's"
    );
    assert!(!drawn.contains("__hit = 1</script>"));
    let answer = kept(&drawn);
    assert_eq!(
        answer,
        json!({
            "start": serde_json::to_value(&served.start).unwrap(), "width": 762, "theme": "dark",
            "plain_sans": true,
        })
    );
    assert_eq!(
        answer["start"]["today"]["recent"][0]["attempt"],
        "</script><script>window.__hit = 1</script> & more"
    );
}

#[test]
fn a_first_run_is_served_with_its_welcome_and_no_chart() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let page = markup::fill_words(TEMPLATE, words()).unwrap();
    let drawn = with_today(&page, &served(&store, ThemeChoice::System), words()).unwrap();
    assert!(!tag(&drawn, "welcome").contains("hidden"));
    assert!(tag(&drawn, "evidence").contains("hidden"));
    assert!(!drawn.contains("<svg"));
    // The system's theme is the page's own to follow; the fonts here are not known yet.
    assert!(drawn.contains("<html lang=\"en\">"));
    let known = Served {
        plain_sans: Some(false),
        ..served(&store, ThemeChoice::System)
    };
    let drawn = with_today(&page, &known, words()).unwrap();
    assert!(drawn.contains("<html lang=\"en\">"));
}

#[test]
fn on_the_systems_theme_the_chart_is_served_in_both_themes() {
    let (_dir, store) = one_setback_survived();
    let mut served = served(&store, ThemeChoice::System);
    let today = served.start.today.as_ref().unwrap();
    let spec = ChartSpec::new(Theme::Dark, Clock::system().today).at_width(Some(762));
    let dark = charts::render_evidence_chart(&today.evidence.evidence, spec).unwrap();
    served.other_chart = Some(dark.clone());
    let page = markup::fill_words(TEMPLATE, words()).unwrap();
    let drawn = with_today(&page, &served, words()).unwrap();
    let light = plain_drawing(&today.evidence.svg).unwrap();
    let both = format!(
        "{}{}",
        light.replacen("<svg ", "<svg class=\"for-light\" ", 1),
        plain_drawing(&dark)
            .unwrap()
            .replacen("<svg ", "<svg class=\"for-dark\" ", 1)
    );
    assert!(drawn.contains(&format!(
        "role=\"img\" aria-label=\"{}\">{both}</div>",
        markup::escape(
            &words()
                .fill(
                    "evidence_chart_alt",
                    &[("sentence", &today.evidence.sentence)]
                )
                .unwrap()
        )
    )));
    // Only the chart the page asked for goes in its answer.
    assert_eq!(
        kept(&drawn)["start"]["today"]["evidence"]["svg"],
        json!(today.evidence.svg)
    );
    // And only plain drawing, in either theme.
    served.other_chart = Some("<svg width=\"1\" onload=\"alert(1)\"></svg>".into());
    assert!(with_today(&page, &served, words()).is_none());
}

#[test]
fn without_open_data_or_with_a_changed_page_nothing_is_drawn_in() {
    let (_dir, store) = one_setback_survived();
    let page = markup::fill_words(TEMPLATE, words()).unwrap();
    let mut not_open = served(&store, ThemeChoice::Light);
    not_open.start.status = status(false);
    assert!(with_today(&page, &not_open, words()).is_none());
    let served = served(&store, ThemeChoice::Light);
    let changed = page.replace("id=\"evidence-sentence\"", "id=\"sentence\"");
    assert!(with_today(&changed, &served, words()).is_none());
    let twice = page.replace("</body>", "<p id=\"headline\"></p></body>");
    assert!(with_today(&twice, &served, words()).is_none());
    let mut scripted = served;
    scripted.start.today.as_mut().unwrap().evidence.svg = "<svg ><script>1</script></svg>".into();
    assert!(with_today(&page, &scripted, words()).is_none());
}

#[test]
fn only_plain_drawing_goes_into_the_page() {
    let (_dir, store) = one_setback_survived();
    let chart = served(&store, ThemeChoice::Light)
        .start
        .today
        .unwrap()
        .evidence
        .svg;
    assert!(plain_drawing(&chart).is_some(), "Rebound's own chart");
    let plain = "<svg width=\"10\"><rect x=\"0\"/><text x=\"1\">a &lt; b</text></svg>";
    assert!(plain_drawing(plain)
        .unwrap()
        .starts_with("<svg aria-hidden=\"true\" width"));
    for bad in [
        "<svg width=\"1\"><script>alert(1)</script></svg>",
        "<svg width=\"1\" onload=\"alert(1)\"></svg>",
        "<svg width=\"1\"><a href=\"javascript:1\"><text>x</text></a></svg>",
        "<svg width=\"1\"><use xlink:href=\"#a\"/></svg>",
        "<svg width=\"1\"><rect style=\"fill:red\"/></svg>",
        "<svg width=\"1\"><foreignObject></foreignObject></svg>",
        "<svg width=\"1\"><!-- x --></svg>",
        "<svg width=\"1\"><text>\u{1b}[31m</text></svg>",
        "<svg width=\"1\"><rect x=\"0\"</svg>",
        "<p>not a drawing</p>",
    ] {
        assert!(plain_drawing(bad).is_none(), "{bad}");
    }
}

#[test]
fn the_chart_width_follows_the_style_sheets_layout() {
    // app.css: sidebar 232 px and 40 px of padding a side above 960 px, 200 and 24 at
    // 960 and below; the view at most 860 px; the chart card 13 px a side.
    assert_eq!(chart_width(1100.0), 1100 - 232 - 80 - 26);
    assert_eq!(chart_width(1600.0), 860 - 26);
    assert_eq!(chart_width(960.0), 960 - 200 - 48 - 26);
    assert_eq!(chart_width(800.0), 800 - 200 - 48 - 26);
    assert_eq!(chart_width(10.0), 1);
}
