//! Reading the recovery journal back: every whole change of a log (a group counts only
//! with its commit line), and the data they rebuild over their base. Reads only; the
//! writing side is `Journal` in the parent module. No sled and no Tauri here.

use std::path::Path;

use super::line::{self, Change, Entry};
use super::Base;
use crate::cycle::Cycle;
use crate::error::{Error, Result};

/// Every readable change in the log at `path`, whole groups only, and how many lines
/// did not read.
pub(super) fn read_log(path: &Path) -> Result<(Vec<Entry>, usize)> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(Error::io(format!("could not read {}", path.display()), e)),
    };
    let mut entries = Vec::new();
    let mut damaged = 0;
    let mut group: Option<(u64, Vec<Entry>)> = None;
    for raw in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let Some(read) = std::str::from_utf8(raw).ok().and_then(line::decode_any) else {
            damaged += 1;
            continue;
        };
        match read {
            line::Read::Single(entry) => {
                group = None;
                entries.push(entry);
            }
            line::Read::Part { group: id, entry } => match &mut group {
                Some((open, parts)) if *open == id => parts.push(entry),
                _ => group = Some((id, vec![entry])),
            },
            line::Read::Commit { group: id } => {
                if let Some((open, parts)) = group.take() {
                    if open == id {
                        entries.extend(parts);
                    }
                }
            }
        }
    }
    Ok((entries, damaged))
}

/// The cycles of a rebuild, applied in order to the base's.
pub fn apply(base: &Base, entries: &[Entry]) -> Base {
    let mut cycles: std::collections::BTreeMap<crate::cycle::CycleId, Cycle> =
        base.cycles.iter().map(|c| (c.id, c.clone())).collect();
    let mut out = base.clone();
    for entry in entries {
        match &entry.change {
            Change::PutCycles(put) => {
                for cycle in put {
                    cycles.insert(cycle.id, cycle.clone());
                }
            }
            Change::DeleteCycle(id) => {
                cycles.remove(id);
            }
            Change::PutCheckin { day, answers } => {
                out.checkins.insert(*day, *answers);
            }
            Change::SetPref { key, value } => {
                out.prefs.insert(key.clone(), value.clone());
            }
        }
    }
    out.cycles = cycles.into_values().collect();
    out
}
