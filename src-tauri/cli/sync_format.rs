//! What `rebound sync`, `rebound edit` and `rebound delete` print. Pure functions from
//! core values to text.

use rebound_core::cycle::{label, Cycle};
use rebound_core::sync::{ConflictView, SyncReport};
use rebound_core::text::one_line;

/// How much of a text a conflict shows.
const CONFLICT_TEXT_CHARS: usize = 70;

fn cycle_line(cycle: &Cycle) -> String {
    format!(
        "{} · {} · {}",
        cycle.fields.attempted_on,
        one_line(&cycle.fields.area, 24),
        one_line(&cycle.fields.attempt, 50)
    )
}

/// What `rebound edit` prints.
pub fn format_edited(cycle: &Cycle, changed: &[&str]) -> String {
    if changed.is_empty() {
        return format!(
            "nothing to change: {} already holds those values\n",
            cycle.id
        );
    }
    format!(
        "edited {} ({}): {}\n",
        cycle.id,
        cycle_line(cycle),
        changed.join(", ")
    )
}

/// What `rebound delete` prints.
pub fn format_deleted(cycle: &Cycle) -> String {
    format!(
        "deleted {} ({}); your other computers delete it when they next sync\n",
        cycle.id,
        cycle_line(cycle)
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The kinds of change in a count, as "1 new cycle, 2 changed, 1 check-in".
fn kinds(added: usize, changed: usize, deleted: usize, checkins: usize, prefs: usize) -> String {
    let mut parts = Vec::new();
    if added > 0 {
        parts.push(plural(added, "new cycle", "new cycles"));
    }
    if changed > 0 {
        parts.push(format!("{changed} changed"));
    }
    if deleted > 0 {
        parts.push(format!("{deleted} deleted"));
    }
    if checkins > 0 {
        parts.push(plural(checkins, "check-in", "check-ins"));
    }
    if prefs > 0 {
        parts.push(plural(prefs, "setting", "settings"));
    }
    parts.join(", ")
}

fn format_conflict(conflict: &ConflictView) -> String {
    // The whole id: ids made in the same second share their first digits.
    let short = &conflict.cycle;
    let mut text = format!(
        "  {} · {} · {} · {}\n",
        short,
        conflict.attempted_on,
        one_line(&conflict.area, 24),
        label(&conflict.field)
    );
    for version in &conflict.versions {
        let who = if version.this_computer {
            "this computer".to_string()
        } else {
            version.computer.clone()
        };
        let what = version
            .text
            .as_deref()
            .map_or("(emptied)".to_string(), |t| {
                one_line(t, CONFLICT_TEXT_CHARS)
            });
        let shown = if version.shown { "shown" } else { "kept" };
        text.push_str(&format!("    {shown} ({who}): {what}\n"));
    }
    text.push_str(&format!(
        "    to choose, edit it: echo '{{\"{}\": \"…\"}}' | rebound edit {short}\n",
        conflict.field
    ));
    text
}

/// What `rebound sync` prints: the sentence, then what was sent and received, the
/// conflicts, refused files and notes, and the sync folder last.
pub fn format_sync(report: &SyncReport) -> String {
    let mut text = format!("{}\n", report.message);
    let sent = &report.sent;
    if sent.total() > 0 {
        text.push_str(&format!(
            "  sent: {} ({})\n",
            kinds(
                sent.cycles_added,
                sent.cycles_changed,
                sent.cycles_deleted,
                sent.checkins,
                sent.prefs
            ),
            report.sent_file.as_deref().unwrap_or("")
        ));
    }
    let got = &report.received;
    if got.total() > 0 {
        let from = if got.from.is_empty() {
            String::new()
        } else {
            format!(" from {}", got.from.join(", "))
        };
        text.push_str(&format!(
            "  received{from}: {}\n",
            kinds(
                got.cycles_added,
                got.cycles_updated,
                got.cycles_deleted,
                got.checkins,
                got.prefs
            )
        ));
    }
    if !report.conflicts.is_empty() {
        text.push_str(&format!(
            "conflicts: {} written on two computers at once, every text kept:\n",
            plural(report.conflicts.len(), "text", "texts")
        ));
        for conflict in &report.conflicts {
            text.push_str(&format_conflict(conflict));
        }
    }
    for refused in &report.refused {
        text.push_str(&format!("refused: {refused}\n"));
    }
    for note in &report.notes {
        text.push_str(&format!("note: {note}\n"));
    }
    if let Some(snapshot) = &report.snapshot {
        text.push_str(&format!(
            "  your data as it was before is kept in {snapshot}\n"
        ));
    }
    // Last, so a script reading up to this line has read the whole report.
    text.push_str(&format!("  sync folder: {}\n", report.folder));
    text
}
