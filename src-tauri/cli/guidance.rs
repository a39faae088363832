//! The command line's guidance: `rebound list --waiting`, the reflect queue, printed
//! with what each cycle waits for. (`rebound stats` prints each area's next difficulty
//! through format.rs.)

use std::io::Write;
use std::path::Path;

use super::commands::open_store;
use super::format::{to_json_text, write_out};
use rebound_core::error::Result;
use rebound_core::search::FilterInput;
use rebound_core::text::one_line;
use rebound_core::use_cases::{self, Clock, CycleView};

/// How much of an attempt one line shows.
const ATTEMPT_CHARS: usize = 50;

/// `rebound list --waiting`: outcomes to record and reflections to finish, newest first.
pub fn waiting(
    data_dir: &Path,
    filter: &FilterInput,
    limit: usize,
    json: bool,
    clock: Clock,
    out: &mut dyn Write,
) -> Result<()> {
    // Check the filter before opening anything, so a typo costs nothing.
    filter.check()?;
    let store = open_store(data_dir, clock)?;
    let page = use_cases::search_cycles(&store, filter, limit, 0)?;
    if json {
        write_out(out, &to_json_text(&page.cycles)?)
    } else {
        write_out(out, &format_waiting(&page.cycles, page.total))
    }
}

/// "record the outcome", "observe, extract, adjust".
fn what_waits(view: &CycleView) -> String {
    let Some(waiting) = &view.waiting else {
        return String::new();
    };
    let words: Vec<&str> = waiting
        .missing
        .iter()
        .map(|m| match *m {
            "outcome" => "record the outcome",
            "observation" => "observe",
            "extraction" => "extract",
            "adjustment" => "adjust",
            other => other,
        })
        .collect();
    words.join(", ")
}

/// The table `rebound list --waiting` prints.
pub fn format_waiting(views: &[CycleView], total: usize) -> String {
    if views.is_empty() {
        return "Nothing is waiting: every outcome is recorded and every setback reflected on.\n"
            .to_string();
    }
    let area_width = views
        .iter()
        .map(|v| v.cycle.fields.area.chars().count().min(24))
        .max()
        .unwrap_or(4)
        .max(4);
    let todo_width = views
        .iter()
        .map(|v| what_waits(v).chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut text = format!(
        "{:<36}  {:<10}  {:<area_width$}  {:<todo_width$}  ATTEMPT\n",
        "ID", "DATE", "AREA", "TO DO"
    );
    for v in views {
        let f = &v.cycle.fields;
        text.push_str(&format!(
            "{}  {}  {:<area_width$}  {:<todo_width$}  {}\n",
            v.cycle.id,
            f.attempted_on,
            one_line(&f.area, 24),
            what_waits(v),
            one_line(&f.attempt, ATTEMPT_CHARS),
        ));
    }
    if total > views.len() {
        text.push_str(&format!(
            "({} of {total} waiting; --limit N shows more)\n",
            views.len()
        ));
    }
    text
}
