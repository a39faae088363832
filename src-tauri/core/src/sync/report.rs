//! What a sync says: what it sent and brought in, the conflicts waiting for the person,
//! the files it refused and why, and the computers it has seen. Serialised for the
//! window (camelCase) and printed by the CLI.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::capture::Summary;

/// What one sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// The sync folder.
    pub folder: String,
    /// What this computer sent, and the segment it wrote them in.
    pub sent: Summary,
    pub sent_file: Option<String>,
    /// What changed here from the other computers.
    pub received: Received,
    /// Texts written at the same time on two computers, both kept.
    pub conflicts: Vec<ConflictView>,
    /// Files not read, one sentence each (damaged, cut short, from a newer Rebound).
    pub refused: Vec<String>,
    /// Other things worth saying (a key to unlock, files written again, compaction).
    pub notes: Vec<String>,
    /// The copy of the data kept before changes from other computers were applied.
    pub snapshot: Option<String>,
    /// Whether the data here changed (the window redraws).
    pub changed_here: bool,
    /// One sentence for the person.
    pub message: String,
}

/// What changed here from the other computers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Received {
    /// Changes newly read from the sync folder.
    pub changes: usize,
    /// The computers they came from, by name.
    pub from: Vec<String>,
    pub cycles_added: usize,
    pub cycles_updated: usize,
    pub cycles_deleted: usize,
    pub checkins: usize,
    pub prefs: usize,
}

impl Received {
    /// How many things changed here.
    pub fn total(&self) -> usize {
        self.cycles_added + self.cycles_updated + self.cycles_deleted + self.checkins + self.prefs
    }
}

/// A conflict as the person sees it: which cycle, which field, and each text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    pub cycle: String,
    pub area: String,
    pub attempted_on: NaiveDate,
    pub attempt: String,
    pub field: String,
    pub versions: Vec<VersionView>,
}

/// One text of a conflict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
    /// The computer that wrote it, by name.
    pub computer: String,
    pub this_computer: bool,
    /// None when that computer emptied the field.
    pub text: Option<String>,
    /// Whether it is the text the cycle shows now.
    pub shown: bool,
}

/// A computer seen in the sync folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceView {
    pub id: String,
    pub name: String,
    pub this_computer: bool,
    /// When it last wrote changes this computer has read.
    pub last_change: Option<DateTime<Utc>>,
}

/// What the last sync left for the window, kept in `sync/status.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Status {
    /// Whether this computer has synced (it has its sync key).
    pub configured: bool,
    pub last_sync: Option<DateTime<Utc>>,
    pub last_message: Option<String>,
    /// Problems the last sync met (refused files, keys to unlock), one sentence each.
    pub problems: Vec<String>,
    pub conflicts: Vec<ConflictView>,
    pub devices: Vec<DeviceView>,
}

impl SyncReport {
    /// One sentence for the person.
    pub fn describe(&self) -> String {
        let sent = self.sent.total();
        let got = self.received.total();
        let from = match self.received.from.as_slice() {
            [] => String::new(),
            [one] => format!(" from {one}"),
            many => format!(" from {}", many.join(", ")),
        };
        let mut text = match (sent, got) {
            (0, 0) => "Nothing new to send or bring in.".to_string(),
            (s, 0) => format!("Sent {}.", changes(s)),
            (0, g) => format!("Brought in {}{from}.", changes(g)),
            (s, g) => format!("Sent {} and brought in {}{from}.", changes(s), changes(g)),
        };
        match self.conflicts.len() {
            0 => {}
            1 => text.push_str(
                " One text was written on two computers at once; both are kept for you to choose.",
            ),
            n => text.push_str(&format!(
                " {n} texts were written on two computers at once; both versions are kept for \
                 you to choose."
            )),
        }
        match self.refused.len() {
            0 => {}
            1 => text.push_str(" One file in the sync folder was refused; the rest was synced."),
            n => text.push_str(&format!(
                " {n} files in the sync folder were refused; the rest was synced."
            )),
        }
        text
    }
}

fn changes(n: usize) -> String {
    if n == 1 {
        "1 change".into()
    } else {
        format!("{n} changes")
    }
}
