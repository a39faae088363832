//! Readable exports for people who want to leave, print or open their cycles in a
//! spreadsheet: CSV and Markdown. They are for reading, not restoring (only the backup
//! file restores). Both are built from the cycle's public JSON and
//! [`cycle::FIELD_NAMES`], so a field added to the cycle appears here without a change.
//! No Tauri types here.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cycle::{self, label, Cycle};
use crate::error::{Error, Result};
use crate::files::write_atomic;
use crate::store::Store;

/// Which readable format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Markdown,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Markdown => "md",
        }
    }

    /// The name a save dialog suggests: `rebound-cycles-2026-11-27.csv`.
    pub fn default_file_name(self, today: chrono::NaiveDate) -> String {
        format!("rebound-cycles-{today}.{}", self.extension())
    }
}

/// What a readable export wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReadableSummary {
    pub path: PathBuf,
    pub cycles: usize,
    pub bytes: u64,
}

/// Write every stored cycle, newest attempt first, as `format` to `path`, atomically.
pub fn export(
    store: &Store,
    path: &Path,
    format: Format,
    now: DateTime<Utc>,
) -> Result<ReadableSummary> {
    let mut cycles = store.all_by_id()?;
    cycles.sort_by_key(|c| std::cmp::Reverse((c.fields.attempted_on, c.id)));
    let text = match format {
        Format::Csv => to_csv(&cycles)?,
        Format::Markdown => to_markdown(&cycles, now)?,
    };
    write_atomic(path, text.as_bytes())?;
    Ok(ReadableSummary {
        path: path.to_path_buf(),
        cycles: cycles.len(),
        bytes: text.len() as u64,
    })
}

/// A cycle's public JSON fields, by name.
fn fields(cycle: &Cycle) -> Result<serde_json::Map<String, Value>> {
    match serde_json::to_value(cycle) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::Storage("a cycle did not encode as an object".into())),
        Err(e) => Err(Error::Storage(format!("could not encode a cycle: {e}"))),
    }
}

/// A field's value as plain text; empty for a missing one.
fn plain(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// RFC 4180 CSV with a header row of the field names, CRLF line ends.
pub fn to_csv(cycles: &[Cycle]) -> Result<String> {
    let mut text = String::with_capacity(cycles.len() * 700 + 256);
    let header: Vec<String> = cycle::FIELD_NAMES.iter().map(|n| csv_cell(n)).collect();
    text.push_str(&header.join(","));
    text.push_str("\r\n");
    for cycle in cycles {
        let map = fields(cycle)?;
        let row: Vec<String> = cycle::FIELD_NAMES
            .iter()
            .map(|name| csv_cell(&plain(map.get(*name))))
            .collect();
        text.push_str(&row.join(","));
        text.push_str("\r\n");
    }
    Ok(text)
}

/// One CSV cell: quoted when it holds a comma, quote or line break. A cell a
/// spreadsheet would run as a formula (starting with =, +, - or @) gets a leading
/// apostrophe so opening the file cannot run anything.
fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@']) && value.parse::<f64>().is_err() {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Markdown: a title, then one section per cycle with its scores in a list and its
/// written fields as paragraphs.
pub fn to_markdown(cycles: &[Cycle], now: DateTime<Utc>) -> Result<String> {
    // Shown in the heading line, not repeated below.
    const HEADLINE: [&str; 4] = ["attempted_on", "area", "outcome", "attempt"];
    let mut text = format!(
        "# Rebound cycles\n\n{} exported on {}.\n",
        crate::backup::restore::cycles_word(cycles.len()),
        now.format("%Y-%m-%d")
    );
    for cycle in cycles {
        let map = fields(cycle)?;
        text.push_str(&format!(
            "\n## {} · {} · {}\n\n{}\n\n",
            plain(map.get("attempted_on")),
            markdown_inline(&plain(map.get("area"))),
            plain(map.get("outcome")),
            markdown_block(&plain(map.get("attempt"))),
        ));
        let mut long = Vec::new();
        for name in cycle::FIELD_NAMES {
            if HEADLINE.contains(&name) {
                continue;
            }
            match map.get(name) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.contains('\n') || s.chars().count() > 60 => {
                    long.push((name, s.clone()));
                }
                Some(value) => text.push_str(&format!(
                    "- {}: {}\n",
                    label(name),
                    markdown_inline(&plain(Some(value)))
                )),
            }
        }
        for (name, body) in long {
            text.push_str(&format!(
                "\n**{}**\n\n{}\n",
                label(name),
                markdown_block(&body)
            ));
        }
    }
    Ok(text)
}

/// Person-written text on one line, with Markdown's special characters escaped so it
/// reads as written.
fn markdown_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Person-written text as paragraphs, escaped, keeping its line breaks.
fn markdown_block(text: &str) -> String {
    text.lines()
        .map(|line| markdown_inline(line.trim_end()))
        .collect::<Vec<_>>()
        .join("  \n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("-3"), "-3");
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(label("in_my_control"), "In my control");
        assert_eq!(markdown_inline("# *hi*"), "\\# \\*hi\\*");
    }
}
