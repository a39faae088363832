//! Every chart, for small and oddly shaped histories (none, one cycle, all on one day,
//! within a month, across two months, over a year, over years), in every range: the
//! sentence, the table and the picture agree, and the picture is readable.
//!
//! - every number the sentence says is in the table's summary;
//! - the table's rows are the marks the chart draws, and the chart draws a dot per row;
//! - loop quality never finds more adjustments better than it found tested;
//! - a chart with no rows says in words why, a chart with rows draws them;
//! - tick labels are unique and, by a generous estimate of text width, never overlap;
//!   the legend sits above the plot; no text is smaller than the labels' size.

use proptest::prelude::*;
use rebound_core::charts::axis::CHAR_EM;
use rebound_core::charts::frame::LABEL_PX;
use rebound_core::charts::{self, ChartSpec, Kind, Table, Theme};
use rebound_core::cycle::{Applied, Cycle, CycleId, Outcome, TestResult};
use rebound_core::demo;
use rebound_core::insights::loops::MIN_SETBACKS_TO_COMPARE;
use rebound_core::insights::{self, Band, BrsCheckin, Dashboard, DashboardParams, Range};

use crate::util::clock;

/// How the days of a generated history are spread.
const SHAPES: [i64; 7] = [
    0,    // all today
    1,    // all on one day, some weeks back (see `back`)
    28,   // within a month
    60,   // across two months
    365,  // a year
    1500, // years
    7,    // a week
];

fn back(shape: usize, raw: u16) -> i64 {
    match shape {
        0 => 0,
        1 => 45,
        _ => i64::from(raw) % (SHAPES[shape] + 1),
    }
}

type Row = (
    (usize, u16, usize, u8, u8, u8),
    (Option<u8>, Option<u8>, Option<u8>),
    (bool, bool, Option<usize>, usize, usize),
);

fn row() -> impl Strategy<Value = Row> {
    (
        (
            0usize..3,
            any::<u16>(),
            0usize..4,
            1u8..=5,
            1u8..=10,
            1u8..=5,
        ),
        (
            proptest::option::of(0u8..=10),
            proptest::option::of(0u8..=10),
            proptest::option::of(0u8..=100),
        ),
        (
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(0usize..14),
            0usize..3,
            0usize..5,
        ),
    )
}

/// A history of up to 14 cycles and up to 3 check-ins, spread by one of the shapes.
fn history() -> impl Strategy<Value = (Vec<Cycle>, Vec<BrsCheckin>)> {
    (
        0usize..SHAPES.len(),
        proptest::collection::vec(row(), 0..14),
        proptest::collection::vec((any::<u16>(), 1u8..=5), 0..3),
    )
        .prop_map(|(shape, rows, checkins)| {
            let (template, _) = demo::history(1, 1, clock());
            let base = template[0].clone();
            let today = clock().today;
            let mut cycles: Vec<Cycle> = Vec::new();
            for (n, ((area, raw, o, effort, difficulty, safety), ratings, reflection)) in
                rows.into_iter().enumerate()
            {
                let (stress, identity, predicted) = ratings;
                let (observed, adjusted, tests, applied, result) = reflection;
                let mut c = base.clone();
                c.id = CycleId::from_bytes((n as u128 + 1).to_be_bytes());
                c.created_at = base.created_at + chrono::Duration::minutes(n as i64);
                c.fields.area = ["pitches", "Running", "running"][area].to_string();
                c.fields.attempted_on = today - chrono::Duration::days(back(shape, raw));
                c.fields.outcome = Outcome::ALL[o];
                c.fields.effort = effort;
                c.fields.difficulty = difficulty;
                c.fields.safety = safety;
                c.fields.stress = stress;
                c.fields.identity = identity;
                c.fields.predicted_success = predicted;
                c.fields.observation = observed.then(|| "the pricing slide".to_string());
                c.fields.in_my_control = observed.then(|| "too long".to_string());
                c.fields.adjustment = adjusted.then(|| "cut it to ten minutes".to_string());
                c.fields.tests_cycle = tests
                    .filter(|&t| t < n)
                    .map(|t| CycleId::from_bytes((t as u128 + 1).to_be_bytes()));
                c.fields.applied = c.fields.tests_cycle.map(|_| Applied::ALL[applied]);
                c.fields.result = c
                    .fields
                    .tests_cycle
                    .and_then(|_| TestResult::ALL.get(result).copied());
                cycles.push(c);
            }
            let checkins = checkins
                .into_iter()
                .map(|(raw, a)| {
                    let answers = [a, 6 - a, a, 6 - a, a, 3];
                    BrsCheckin {
                        day: today - chrono::Duration::days(back(shape, raw)),
                        answers,
                        score: insights::brs_score(answers).unwrap(),
                    }
                })
                .collect();
            (cycles, checkins)
        })
}

fn dashboard(cycles: &[Cycle], checkins: &[BrsCheckin], range: Range) -> Dashboard {
    let params = DashboardParams {
        today: clock().today,
        range,
        band: Band::default(),
        area: None,
        guides: Default::default(),
    };
    insights::dashboard(cycles, checkins, &params)
}

/// Fixed words of the sentences that hold numbers of their own (a scale, a span, the
/// Brier score's reading guide), removed before the sentence's numbers are read. The
/// safety comparison's gate is one too ([`gate`]).
const FIXED: [&str; 9] = [
    "(0 is perfect; always guessing 50% scores 0.25)",
    "in the last 30 days",
    "in the last 90 days",
    "in the last 52 weeks",
    "on a scale of 0 to 10",
    "(1–5)",
    "(0–10)",
    "(0–100%)",
    " of 5.",
];

/// The numbers written in `text`: runs of digits, with a decimal point inside.
fn numbers(text: &str) -> Vec<f64> {
    let mut found = Vec::new();
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) {
            current.push(c);
        } else if !current.is_empty() {
            if let Ok(v) = current.trim_end_matches('.').parse::<f64>() {
                found.push(v);
            }
            current.clear();
        }
    }
    found
}

/// The words that say when loop quality compares safe and unsafe contexts: a rule, not
/// a count of the data.
fn gate() -> String {
    format!("compared once each has {MIN_SETBACKS_TO_COMPARE} setbacks")
}

fn sentence_numbers(sentence: &str) -> Vec<f64> {
    let mut text = sentence.replace(&gate(), " ");
    for fixed in FIXED {
        text = text.replace(fixed, " ");
    }
    numbers(&text)
}

/// Every number of the sentence is in the table's summary.
fn sentence_agrees(kind: Kind, sentence: &str, table: &Table) -> Result<(), String> {
    let said: Vec<f64> = table
        .summary
        .iter()
        .flat_map(|[_, value]| numbers(value))
        .collect();
    for n in sentence_numbers(sentence) {
        if !said.iter().any(|v| (v - n).abs() < 1e-9) {
            return Err(format!(
                "{kind:?}: {n} in {sentence:?} is not in the summary {:?}",
                table.summary
            ));
        }
    }
    Ok(())
}

/// "40% (2/5)" → (2, 5).
fn counts(cell: &str) -> (usize, usize) {
    let inner = cell
        .split('(')
        .nth(1)
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or("0/0");
    let (a, b) = inner.split_once('/').unwrap_or(("0", "0"));
    (a.parse().unwrap_or(0), b.parse().unwrap_or(0))
}

/// The table's rows are the insight's marks, and loop quality is self-consistent.
fn rows_agree(kind: Kind, d: &Dashboard, table: &Table) -> Result<(), String> {
    let marks = match kind {
        Kind::Evidence => d.evidence.series.len() + usize::from(d.evidence.before > 0),
        Kind::Recovery => d.recovery.points.len() + charts::recovery::waiting(d).count(),
        Kind::Aftermath => d.aftermath.points.len(),
        Kind::Ladder => d.ladder.points.len(),
        Kind::Calendar if d.practice.attempts == 0 => 0,
        Kind::Calendar => d.practice.days.len().div_ceil(7),
        Kind::Loops => d.loops.months.len(),
        Kind::Brs => d.checkins.len(),
        Kind::Prediction => {
            d.prediction.bands.iter().filter(|b| b.count > 0).count() + d.prediction.series.len()
        }
    };
    if table.rows.len() + table.omitted != marks {
        return Err(format!(
            "{kind:?}: {} rows for {marks} marks",
            table.rows.len()
        ));
    }
    if kind == Kind::Loops {
        for (row, month) in table.rows.iter().zip(&d.loops.months) {
            let r = &month.rolling;
            let drawn = [r.completed, r.tested, r.better].map(|s| (s.part, s.whole));
            let shown = [counts(&row[1]), counts(&row[2]), counts(&row[3])];
            if drawn != shown {
                return Err(format!("loops: row {row:?} is not the drawn {drawn:?}"));
            }
        }
        let q = &d.loops;
        let pairs = std::iter::once((q.tested, q.better))
            .chain(q.safety.iter().map(|g| (g.tested, g.better)))
            .chain(q.months.iter().map(|m| (m.tested, m.better)))
            .chain(
                q.months
                    .iter()
                    .map(|m| (m.rolling.tested, m.rolling.better)),
            );
        for (tested, better) in pairs {
            if better.whole > tested.part {
                return Err(format!("loops: {better:?} better of {tested:?} tested"));
            }
        }
    }
    Ok(())
}

/// One `<text>` of an SVG, with what the checks need.
struct Text {
    x: f64,
    y: f64,
    size: f64,
    anchor: String,
    dy: String,
    rotated: bool,
    words: String,
}

fn texts(svg: &str) -> Vec<Text> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let num = |a: &str| n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            Text {
                x: num("x"),
                y: num("y"),
                size: num("font-size"),
                anchor: n.attribute("text-anchor").unwrap_or("").to_string(),
                dy: n.attribute("dy").unwrap_or("").to_string(),
                rotated: n.attribute("transform").is_some(),
                words: n.text().unwrap_or("").trim().to_string(),
            }
        })
        .collect()
}

fn width_of(t: &Text) -> f64 {
    t.words.chars().count() as f64 * CHAR_EM * t.size
}

/// Tick labels unique and apart, the legend above the plot, no tiny text, and either
/// marks or a sentence saying why there are none.
fn picture_readable(kind: Kind, svg: &str, table: &Table, spec: ChartSpec) -> Result<(), String> {
    let all = texts(svg);
    if let Some(t) = all.iter().find(|t| t.size + 0.01 < LABEL_PX) {
        return Err(format!("{kind:?}: {:?} at {} px", t.words, t.size));
    }
    let x_ticks: Vec<&Text> = all
        .iter()
        .filter(|t| t.anchor == "middle" && t.dy == "0.76em" && !t.rotated && !t.words.is_empty())
        .collect();
    let y_ticks: Vec<&Text> = all
        .iter()
        .filter(|t| t.anchor == "end" && !t.rotated && !t.words.is_empty())
        .collect();
    if table.rows.is_empty() {
        // Nothing drawn: no axes, and words saying why.
        let words: usize = all.iter().map(|t| t.words.split_whitespace().count()).sum();
        if !x_ticks.is_empty() || words < 6 {
            return Err(format!("{kind:?}: no rows, yet no sentence saying why"));
        }
        return Ok(());
    }
    let marks = svg.matches("<circle").count()
        + svg.matches("<polyline").count()
        + svg.matches("<rect").count().saturating_sub(1);
    if marks == 0 {
        return Err(format!("{kind:?}: rows, but nothing drawn"));
    }
    let mut rows: Vec<Vec<&Text>> = Vec::new();
    for t in &x_ticks {
        match rows.iter_mut().find(|r| (r[0].y - t.y).abs() < 0.5) {
            Some(r) => r.push(t),
            None => rows.push(vec![t]),
        }
    }
    for row in &mut rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        for pair in row.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.words == b.words {
                return Err(format!("{kind:?}: the label {:?} twice", a.words));
            }
            if b.x - a.x < (width_of(a) + width_of(b)) / 2.0 {
                return Err(format!("{kind:?}: {:?} and {:?} overlap", a.words, b.words));
            }
        }
        for t in row.iter() {
            let half = width_of(t) / 2.0;
            if t.x - half < 0.0 || t.x + half > f64::from(spec.width) {
                return Err(format!("{kind:?}: {:?} leaves the picture", t.words));
            }
        }
    }
    let mut columns: Vec<Vec<&Text>> = Vec::new();
    for t in &y_ticks {
        match columns.iter_mut().find(|c| (c[0].x - t.x).abs() < 0.5) {
            Some(c) => c.push(t),
            None => columns.push(vec![t]),
        }
    }
    for column in &mut columns {
        column.sort_by(|a, b| a.y.total_cmp(&b.y));
        for pair in column.windows(2) {
            if pair[0].words == pair[1].words || pair[1].y - pair[0].y < pair[0].size {
                return Err(format!(
                    "{kind:?}: y labels {:?} {:?}",
                    pair[0].words, pair[1].words
                ));
            }
        }
    }
    // The legend (labels beside their swatches) sits above the plot's top label.
    let plot_top = y_ticks.iter().map(|t| t.y).fold(f64::MAX, f64::min);
    let plot_bottom = y_ticks.iter().map(|t| t.y).fold(0.0, f64::max);
    let legend: Vec<&Text> = all
        .iter()
        .filter(|t| t.anchor == "start" && t.dy == "0.5ex")
        .collect();
    for t in &legend {
        if t.y + t.size / 2.0 > plot_top - t.size / 2.0 {
            return Err(format!(
                "{kind:?}: legend {:?} reaches into the plot",
                t.words
            ));
        }
    }
    // An axis name runs along its axis, clear of the title and the legend above it.
    let above = legend
        .iter()
        .map(|t| t.y + t.size)
        .fold(12.0 + 17.0, f64::max);
    for t in all.iter().filter(|t| t.rotated) {
        let half = width_of(t) / 2.0;
        if t.y - half < above || t.y + half > plot_bottom + t.size {
            return Err(format!(
                "{kind:?}: the axis name {:?} is longer than the axis",
                t.words
            ));
        }
    }
    Ok(())
}

/// A dot per drawn mark, for the charts whose marks are dots.
fn dots_agree(kind: Kind, d: &Dashboard, svg: &str) -> Result<(), String> {
    let expected = match kind {
        Kind::Evidence => d.evidence.series.len(),
        Kind::Brs => d.checkins.len(),
        Kind::Aftermath => d
            .aftermath
            .points
            .iter()
            .map(|p| usize::from(p.stress.is_some()) + usize::from(p.identity.is_some()))
            .sum(),
        // The legend's dot and ring count too.
        Kind::Recovery => {
            let open = charts::recovery::waiting(d).count();
            let points = d.recovery.points.len();
            points + open + usize::from(points > 0) + usize::from(open > 0)
        }
        // Loop closed is drawn with dots (the other lines with triangles and squares),
        // and the legend shows one.
        Kind::Loops if d.loops.months.is_empty() => 0,
        Kind::Loops => {
            let closed = d.loops.months.iter();
            closed.filter(|m| m.rolling.completed.whole > 0).count() + 1
        }
        _ => return Ok(()),
    };
    let drawn = svg.matches("<circle").count();
    if drawn != expected {
        return Err(format!("{kind:?}: {drawn} dots for {expected} marks"));
    }
    Ok(())
}

fn check_everything(cycles: &[Cycle], checkins: &[BrsCheckin]) -> Result<(), String> {
    check(cycles, checkins, &Range::ALL, &[526, 836], true)
}

/// Every chart for `cycles` in each of `ranges`, drawn at each of `widths` (the window's
/// narrowest card and its widest); with `dots`, a dot per mark is checked too (histories
/// small enough for every mark to get one).
fn check(
    cycles: &[Cycle],
    checkins: &[BrsCheckin],
    ranges: &[Range],
    widths: &[u32],
    dots: bool,
) -> Result<(), String> {
    for &range in ranges {
        let d = dashboard(cycles, checkins, range);
        for kind in Kind::ALL {
            let table = charts::table(kind, &d);
            sentence_agrees(kind, &kind.sentence(&d), &table)?;
            rows_agree(kind, &d, &table)?;
            for &width in widths {
                let spec = ChartSpec::new(Theme::Light, d.today).at_width(Some(width));
                let svg = charts::render(kind, &d, spec).map_err(|e| e.to_string())?;
                picture_readable(kind, &svg, &table, spec)
                    .map_err(|e| format!("{e} ({range:?}, {width} px)"))?;
                if dots {
                    dots_agree(kind, &d, &svg)?;
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Small and oddly shaped histories: every chart agrees with its words and table,
    /// and reads.
    #[test]
    fn every_chart_agrees_with_its_sentence_and_table((cycles, checkins) in history()) {
        if let Err(why) = check_everything(&cycles, &checkins) {
            prop_assert!(false, "{}", why);
        }
    }
}

#[test]
fn none_one_two_and_three_cycles_and_a_long_demo_agree_and_read() {
    for n in [0, 1, 2, 3, 60, 400] {
        let (cycles, checkins) = demo::history(n, 5, clock());
        let checkins: Vec<BrsCheckin> = checkins
            .into_iter()
            .map(|(day, answers)| BrsCheckin {
                day,
                answers,
                score: insights::brs_score(answers).unwrap(),
            })
            .collect();
        check_everything(&cycles, &checkins).unwrap_or_else(|why| panic!("{n} cycles: {why}"));
    }
}

#[test]
fn a_hundred_thousand_cycles_over_years_agree_and_read() {
    let (cycles, checkins) = demo::history(100_000, 11, clock());
    let checkins: Vec<BrsCheckin> = checkins
        .into_iter()
        .map(|(day, answers)| BrsCheckin {
            day,
            answers,
            score: insights::brs_score(answers).unwrap(),
        })
        .collect();
    check(
        &cycles,
        &checkins,
        &[Range::All, Range::Days30],
        &[526],
        false,
    )
    .unwrap_or_else(|why| panic!("100,000 cycles: {why}"));
}

#[test]
fn numbers_are_read_from_sentences() {
    assert_eq!(numbers("2 of 3 went 66.5% well."), [2.0, 3.0, 66.5]);
    assert_eq!(
        sentence_numbers(
            "It went from 0.30 to 0.20 (0 is perfect; always guessing 50% scores 0.25)."
        ),
        [0.3, 0.2]
    );
}
