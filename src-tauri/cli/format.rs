//! What the command line prints: the list, one cycle, the stats, a restore preview, and
//! JSON. Pure functions from core values to text.

use std::io::Write;

use rebound_core::backup::restore::{self, Mode, Preview};
use rebound_core::cycle::Cycle;
use rebound_core::error::{Error, Result};
use rebound_core::insights::Dashboard;
use rebound_core::nudges::Nudge;
use rebound_core::text::one_line;

/// How much of an attempt one line of `rebound list` shows.
const LIST_ATTEMPT_CHARS: usize = 60;

pub fn write_out(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("could not write the output", e))
}

pub fn to_json_text<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|e| Error::Storage(format!("could not encode the output: {e}")))
}

/// What `rebound import --dry-run` prints.
pub fn format_preview(p: &Preview, mode: Mode) -> String {
    let range = match (p.first_day, p.last_day) {
        (Some(first), Some(last)) => format!(", attempts from {first} to {last}"),
        _ => String::new(),
    };
    let mut text = format!(
        "A backup from {} with {}{range}.\n  new: {}\n  changed: {} ({} newer in the backup)\n  \
         identical: {}\n  only here: {}\n",
        p.exported_at.format("%Y-%m-%d"),
        restore::cycles_word(p.in_file),
        p.new,
        p.changed,
        p.newer_in_file,
        p.identical,
        p.only_here,
    );
    text.push_str(if p.changes_nothing(mode) {
        "Restoring it would change nothing. (dry run: nothing was changed)\n"
    } else if mode == Mode::Replace {
        "Replace would make your cycles exactly the backup's. (dry run: nothing was changed)\n"
    } else {
        "Merge would add the new cycles and take the newer copy of changed ones. (dry run: nothing was changed)\n"
    });
    text
}

/// The table `rebound list` prints.
pub fn format_list(cycles: &[Cycle], total: usize) -> String {
    if cycles.is_empty() {
        return "No cycles yet. Log your first attempt in the window, or with rebound log \
                (see rebound log --help).\n"
            .to_string();
    }
    let area_width = cycles
        .iter()
        .map(|c| c.fields.area.chars().count().min(24))
        .max()
        .unwrap_or(4)
        .max(4);
    let mut text = format!(
        "{:<36}  {:<10}  {:<7}  {:<area_width$}  ATTEMPT\n",
        "ID", "DATE", "OUTCOME", "AREA"
    );
    for cycle in cycles {
        let f = &cycle.fields;
        text.push_str(&format!(
            "{}  {}  {:<7}  {:<area_width$}  {}\n",
            cycle.id,
            f.attempted_on,
            f.outcome,
            one_line(&f.area, 24),
            one_line(&f.attempt, LIST_ATTEMPT_CHARS),
        ));
    }
    if total > cycles.len() {
        text.push_str(&format!(
            "({} of {total} cycles; --limit N shows more)\n",
            cycles.len()
        ));
    }
    text
}

/// The page `rebound show` prints.
pub fn format_cycle(cycle: &Cycle, nudges: &[Nudge]) -> String {
    let f = &cycle.fields;
    let scale = |v: Option<u8>, max: u8| v.map_or("-".to_string(), |v| format!("{v}/{max}"));
    let mark = |done: bool| if done { "done" } else { "not yet" };
    let stages = cycle.stages();
    let mut text = format!(
        "{}\n\n  id          {}\n  area        {}\n  attempted   {}\n  outcome     {}\n  \
         difficulty  {}   stakes {}   effort {}   safety {}\n  \
         aftermath   stress {}   identity {}\n  \
         stages      attempt {} · observe {} · extract {} · adjust {}\n  \
         logged      {}   updated {}\n",
        f.attempt,
        cycle.id,
        f.area,
        f.attempted_on,
        f.outcome,
        scale(Some(f.difficulty), 10),
        scale(Some(f.stakes), 5),
        scale(Some(f.effort), 5),
        scale(Some(f.safety), 5),
        scale(f.stress, 10),
        scale(f.identity, 10),
        mark(stages.attempt),
        mark(stages.observe),
        mark(stages.extract),
        mark(stages.adjust),
        cycle.created_at.format("%Y-%m-%d %H:%M UTC"),
        cycle.updated_at.format("%Y-%m-%d %H:%M UTC"),
    );
    if let Some(p) = f.predicted_success {
        text.push_str(&format!("  predicted   {p}% chance of success\n"));
    }
    if let Some(tested) = f.tests_cycle {
        let answer = |v: Option<&str>| v.unwrap_or("-").to_string();
        text.push_str(&format!(
            "  tests       the adjustment of {tested}   applied {}   result {}\n",
            answer(f.applied.map(|a| a.as_str())),
            answer(f.result.map(|r| r.as_str())),
        ));
    }
    for (note, body) in f.notes() {
        text.push_str(&format!("\n{}\n", note.label()));
        for line in body.lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
    if !nudges.is_empty() {
        text.push_str("\nSuggestions\n");
        for nudge in nudges {
            text.push_str(&format!(
                "  [{} · {}] {}\n",
                nudge.field,
                nudge.rule.name(),
                one_line(&nudge.message, 2000)
            ));
        }
    }
    text
}

/// The summary `rebound stats` prints: each measure's sentence and its key numbers.
pub fn format_stats(d: &Dashboard) -> String {
    let s = &d.sentences;
    let pct = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.0}%"));
    let mut text = format!(
        "Rebound: {} cycles, {} (today {})\n\n",
        d.cycles,
        d.range.phrase(),
        d.today
    );
    let mut section = |title: &str, lines: &[String]| {
        text.push_str(title);
        text.push('\n');
        for line in lines {
            text.push_str("  ");
            text.push_str(line);
            text.push('\n');
        }
        text.push('\n');
    };
    section(
        "Evidence",
        &[
            s.evidence.clone(),
            format!("total {} · open {}", d.evidence.total, d.evidence.open),
        ],
    );
    section(
        "Recovery time",
        &[
            s.recovery.clone(),
            format!(
                "median {} days over {} returns · {} setbacks waiting",
                d.recovery
                    .median_days
                    .map_or("–".to_string(), |m| format!("{m:.1}")),
                d.recovery.returns,
                d.recovery.open_count
            ),
        ],
    );
    let mut aftermath = vec![s.aftermath.clone()];
    for c in &d.aftermath.changes {
        let one = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.1}"));
        aftermath.push(format!(
            "last {} days against the {} before: stress {} → {}, verdict {} → {}",
            c.days,
            c.days,
            one(c.stress_before),
            one(c.stress_recent),
            one(c.identity_before),
            one(c.identity_recent)
        ));
    }
    section("Aftermath", &aftermath);
    let mut loops = vec![s.loops.clone(), s.safety.clone()];
    for g in &d.loops.safety {
        loops.push(format!(
            "{}: loop closed {} · tested {} · better {}",
            g.label,
            pct(g.completed.percent),
            pct(g.tested.percent),
            pct(g.better.percent)
        ));
    }
    section("Loop quality", &loops);
    let mut calibration: Vec<String> = d
        .calibration
        .iter()
        .map(|c| one_line(&c.sentence(), 400))
        .collect();
    if calibration.is_empty() {
        calibration.push("No areas yet.".to_string());
    }
    calibration.push(format!(
        "target band {}–{}% (change it in the window's dashboard)",
        d.band.low, d.band.high
    ));
    section("Calibration", &calibration);
    let mut next: Vec<String> = d
        .areas
        .iter()
        .map(|e| one_line(&format!("{}: {}", e.area, e.sentence), 400))
        .collect();
    if next.is_empty() {
        next.push("No finished genuine attempts yet.".to_string());
    }
    next.push("each area's rule: rebound stats --json (areas[].rule)".to_string());
    section("Next difficulty", &next);
    section("Predictions", std::slice::from_ref(&s.prediction));
    section("Practice", std::slice::from_ref(&s.practice));
    section("Brief Resilience Scale", std::slice::from_ref(&s.brs));
    text
}
