use chrono::{DateTime, Utc};
use proptest::prelude::*;
use rebound_core::charts::{render_evidence_chart, ChartSpec, Theme};
use rebound_core::cycle::{Cycle, CycleDraft};
use rebound_core::insights::evidence;
use rebound_core::text::one_line;
use serde_json::json;

use crate::util::{clock, day};

/// A cycle in `area` on November `d`, logged at minute `d` (fixed, for snapshots).
fn cycle(n: u128, area: &str, d: u32, outcome: &str) -> Cycle {
    let draft = json!({
        "area": area, "attempt": format!("attempt {n}"), "attempted_on": format!("2026-11-{d:02}"),
        "outcome": outcome, "difficulty": 5, "stakes": 2, "effort": 4, "safety": 3,
    });
    let at = DateTime::<Utc>::from_timestamp(1_790_000_000 + i64::from(d) * 60, 0).unwrap();
    Cycle {
        id: rebound_core::cycle::CycleId::from_bytes(n.to_be_bytes()),
        created_at: at,
        updated_at: at,
        fields: CycleDraft::from_value(draft)
            .unwrap()
            .check(clock().today)
            .unwrap(),
    }
}

fn history() -> Vec<Cycle> {
    vec![
        cycle(1, "client pitches", 2, "failure"),
        cycle(2, "client pitches", 6, "partial"),
        cycle(3, "running", 9, "failure"),
        cycle(4, "client pitches", 14, "success"),
        cycle(5, "running", 20, "pending"),
    ]
}

fn spec(theme: Theme) -> ChartSpec {
    ChartSpec::new(theme, day(27))
}

fn parses_as_xml(svg: &str) -> bool {
    roxmltree::Document::parse(svg).is_ok()
}

#[test]
fn the_evidence_chart_is_titled_labelled_and_pinned() {
    let svg = render_evidence_chart(&evidence(&history()), spec(Theme::Light)).unwrap();
    assert!(parses_as_xml(&svg));
    for words in [
        "Evidence of recovery",
        "Day of the next attempt",
        "Running total",
    ] {
        assert!(svg.contains(words), "missing {words:?}");
    }
    insta::assert_snapshot!("evidence_chart_light", svg);
}

#[test]
fn the_dark_theme_draws_on_a_dark_surface() {
    let svg = render_evidence_chart(&evidence(&history()), spec(Theme::Dark)).unwrap();
    assert!(
        svg.contains(r##"fill="#1F2528""##),
        "the background is the dark surface"
    );
    assert!(!svg.contains(r##"fill="#FFFFFF""##), "nothing glares white");
}

#[test]
fn with_no_evidence_the_chart_says_what_starts_it() {
    for cycles in [vec![], vec![cycle(1, "a", 3, "failure")]] {
        let svg = render_evidence_chart(&evidence(&cycles), spec(Theme::Light)).unwrap();
        assert!(parses_as_xml(&svg));
        assert!(svg.contains("No evidence yet"));
    }
}

#[test]
fn a_long_history_draws_a_line_without_a_dot_per_day() {
    let cycles: Vec<Cycle> = (0..600u128)
        .map(|n| {
            let mut c = cycle(
                n + 1,
                "a",
                1,
                if n % 2 == 0 { "failure" } else { "success" },
            );
            c.fields.attempted_on = day(1) - chrono::Duration::days(600 - n as i64);
            c
        })
        .collect();
    let svg = render_evidence_chart(&evidence(&cycles), spec(Theme::Light)).unwrap();
    assert!(parses_as_xml(&svg));
    assert_eq!(svg.matches("<circle").count(), 0);
    assert!(svg.len() < 200_000, "{} bytes", svg.len());
}

proptest! {
    /// Whatever a person types, a label is safe inside SVG text.
    #[test]
    fn a_cleaned_label_has_no_control_characters(text in any::<String>(), max in 1usize..80) {
        let label = one_line(&text, max);
        prop_assert!(!label.chars().any(char::is_control));
        prop_assert!(label.chars().count() <= max);
    }

    /// Any history gives a well-formed chart.
    #[test]
    fn any_history_gives_well_formed_svg(
        rows in proptest::collection::vec((0usize..3, 1u32..28, 0usize..4, 1u8..=5), 0..30),
    ) {
        let outcomes = ["success", "partial", "failure", "pending"];
        let cycles: Vec<Cycle> = rows.iter().enumerate().map(|(n, (area, d, o, effort))| {
            let mut c = cycle(n as u128 + 1, ["a", "b", "c"][*area], *d, outcomes[*o]);
            c.fields.effort = *effort;
            c
        }).collect();
        for theme in [Theme::Light, Theme::Dark] {
            let svg = render_evidence_chart(&evidence(&cycles), spec(theme)).unwrap();
            prop_assert!(parses_as_xml(&svg));
        }
    }
}
