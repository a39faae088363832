//! The dashboard: every chart for fixed data (snapshots), for any data (well-formed
//! XML), for 0 to 100,000 cycles (readable and small), measures that do not depend on
//! the order cycles come in, and check-ins and preferences in the store.

use proptest::prelude::*;
use rebound_core::charts::{self, ChartSpec, Kind, Theme};
use rebound_core::cycle::{Cycle, CycleId, Outcome};
use rebound_core::demo;
use rebound_core::insights::{self, Band, Dashboard, DashboardParams, Range};
use rebound_core::store::Store;
use rebound_core::use_cases;

use crate::util::{clock, temp_dir};

fn params(range: Range) -> DashboardParams {
    DashboardParams {
        today: clock().today,
        range,
        band: Band::default(),
        area: None,
        guides: Default::default(),
    }
}

fn spec(theme: Theme) -> ChartSpec {
    ChartSpec::new(theme, clock().today)
}

fn parses_as_xml(svg: &str) -> bool {
    roxmltree::Document::parse(svg).is_ok()
}

fn dashboard_of(cycles: &[Cycle], range: Range) -> Dashboard {
    let (_, checkins) = demo::history(cycles.len(), 1, clock());
    let checkins: Vec<_> = checkins
        .into_iter()
        .map(|(day, answers)| insights::BrsCheckin {
            day,
            answers,
            score: insights::brs_score(answers).unwrap(),
        })
        .collect();
    insights::dashboard(cycles, &checkins, &params(range))
}

#[test]
fn every_chart_is_titled_labelled_and_pinned_for_a_fixed_history() {
    let (cycles, _) = demo::history(60, 3, clock());
    let d = dashboard_of(&cycles, Range::All);
    for kind in Kind::ALL {
        let svg = charts::render(kind, &d, spec(Theme::Light)).unwrap();
        assert!(parses_as_xml(&svg), "{kind:?}");
        assert!(svg.contains(kind.title()), "{kind:?} has its title");
        insta::assert_snapshot!(format!("dashboard_{}_light", kind.as_str()), svg);
    }
}

#[test]
fn every_chart_reads_with_0_1_and_10_cycles_in_both_themes() {
    for n in [0, 1, 10] {
        let (cycles, _) = demo::history(n, 5, clock());
        for range in Range::ALL {
            let d = dashboard_of(&cycles, range);
            for kind in Kind::ALL {
                assert!(!kind.sentence(&d).is_empty());
                for theme in [Theme::Light, Theme::Dark] {
                    let svg = charts::render(kind, &d, spec(theme)).unwrap();
                    assert!(parses_as_xml(&svg), "{kind:?} {n} {range:?}");
                    if theme == Theme::Dark {
                        assert!(
                            !svg.contains(r##"fill="#FFFFFF""##),
                            "{kind:?} glares white"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn ten_thousand_and_a_hundred_thousand_cycles_give_small_charts_and_tables() {
    for n in [10_000, 100_000] {
        let (cycles, _) = demo::history(n, 11, clock());
        let d = dashboard_of(&cycles, Range::All);
        for kind in Kind::ALL {
            let svg = charts::render(kind, &d, spec(Theme::Dark)).unwrap();
            assert!(parses_as_xml(&svg), "{kind:?}");
            assert!(svg.len() < 200_000, "{kind:?} at {n}: {} bytes", svg.len());
            assert!(charts::table(kind, &d).rows.len() <= charts::tables::MAX_ROWS);
        }
    }
}

#[test]
fn area_names_with_control_characters_are_cleaned_in_labels() {
    let (mut cycles, _) = demo::history(30, 2, clock());
    for c in &mut cycles {
        c.fields.area = "pitches\u{1}\u{7}<b>&\u{1b}[31m".into();
    }
    let d = dashboard_of(&cycles, Range::All);
    let svg = charts::render(Kind::Ladder, &d, spec(Theme::Light)).unwrap();
    assert!(parses_as_xml(&svg));
    assert!(!svg.chars().any(|c| c.is_control() && c != '\n'));
    assert!(svg.contains("pitches&lt;b&gt;&amp;[31m") || svg.contains("pitches"));
}

fn arbitrary_cycles() -> impl Strategy<Value = Vec<Cycle>> {
    let outcomes = [
        Outcome::Success,
        Outcome::Partial,
        Outcome::Failure,
        Outcome::Pending,
    ];
    proptest::collection::vec(
        (
            0usize..3,
            0i64..400,
            0usize..4,
            (1u8..=5, 1u8..=10, 1u8..=5),
            (
                proptest::option::of(0u8..=10),
                proptest::option::of(0u8..=100),
            ),
            proptest::option::of(0usize..40),
        ),
        0..40,
    )
    .prop_map(move |rows| {
        let (template, _) = demo::history(1, 1, clock());
        let base = template[0].clone();
        let mut cycles: Vec<Cycle> = Vec::new();
        for (n, (area, back, o, (effort, difficulty, safety), (stress, predicted), tests)) in
            rows.into_iter().enumerate()
        {
            let mut c = base.clone();
            c.id = CycleId::from_bytes((n as u128 + 1).to_be_bytes());
            c.created_at = base.created_at - chrono::Duration::minutes(n as i64);
            c.fields.area = ["a", "B", "b"][area].to_string();
            c.fields.attempted_on = clock().today - chrono::Duration::days(back);
            c.fields.outcome = outcomes[o];
            c.fields.effort = effort;
            c.fields.difficulty = difficulty;
            c.fields.safety = safety;
            c.fields.stress = stress;
            c.fields.identity = stress.map(|s| 10 - s);
            c.fields.predicted_success = predicted;
            c.fields.adjustment = (n % 3 == 0).then(|| "try x".to_string());
            c.fields.tests_cycle = tests
                .filter(|&t| t < n)
                .map(|t| CycleId::from_bytes((t as u128 + 1).to_be_bytes()));
            c.fields.result = c
                .fields
                .tests_cycle
                .map(|_| rebound_core::cycle::TestResult::Better);
            cycles.push(c);
        }
        cycles
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any history gives well-formed charts, in both themes and every range.
    #[test]
    fn any_history_gives_well_formed_charts(cycles in arbitrary_cycles(), r in 0usize..4) {
        let d = dashboard_of(&cycles, Range::ALL[r]);
        for kind in Kind::ALL {
            for theme in [Theme::Light, Theme::Dark] {
                let svg = charts::render(kind, &d, spec(theme)).unwrap();
                prop_assert!(parses_as_xml(&svg), "{:?}", kind);
            }
        }
    }

    /// The measures do not depend on the order the cycles come in.
    #[test]
    fn measures_do_not_depend_on_insertion_order(cycles in arbitrary_cycles(), seed in any::<u64>()) {
        let before = serde_json::to_value(dashboard_of(&cycles, Range::All)).unwrap();
        let mut shuffled = cycles.clone();
        // A cheap deterministic shuffle.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let after = serde_json::to_value(dashboard_of(&shuffled, Range::All)).unwrap();
        prop_assert_eq!(before, after);
    }
}

#[test]
fn check_ins_and_preferences_survive_reopening() {
    let dir = temp_dir();
    {
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(use_cases::target_band(&store).unwrap(), Band::default());
        use_cases::set_target_band(&store, 60, 80).unwrap();
        assert!(use_cases::set_target_band(&store, 80, 60).is_err());
        let c = use_cases::save_checkin(&store, &[4, 2, 4, 2, 4, 2], clock()).unwrap();
        assert_eq!(c.score, 4.0);
        assert!(use_cases::save_checkin(&store, &[4, 2, 4], clock()).is_err());
        assert!(use_cases::save_checkin(&store, &[9, 2, 4, 2, 4, 2], clock()).is_err());
        use_cases::checkin_later(&store, clock()).unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        use_cases::target_band(&store).unwrap(),
        Band { low: 60, high: 80 }
    );
    let checkins = store.checkins().unwrap();
    assert_eq!(checkins.len(), 1);
    assert_eq!(checkins[0].day, clock().today);
    let ask = use_cases::DashboardAsk {
        kinds: vec![Kind::Brs],
        ..Default::default()
    };
    let view = use_cases::dashboard_view(&store, ask, clock()).unwrap();
    assert!(!view.checkin_due);
    assert_eq!(view.charts.len(), 1);
    assert_eq!(view.band, Band { low: 60, high: 80 });
}

#[test]
fn a_demo_goes_only_into_an_empty_database() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let summary = demo::write_demo(&store, 120, 4, clock()).unwrap();
    assert_eq!(store.count().unwrap(), 120);
    assert_eq!(summary.areas, 4);
    assert!(summary.checkins > 0);
    let err = demo::write_demo(&store, 10, 4, clock()).unwrap_err();
    assert!(
        err.to_string().contains("already holds 120 cycles"),
        "{err}"
    );
    assert_eq!(store.count().unwrap(), 120);
}
