//! Resolving a conflict: the person keeps one of the texts, or both (one after the
//! other). The cycle is edited here like any edit, and the field is marked so the next
//! sync sends it even when the kept text is the one already shown: a change made after
//! seeing every text replaces them all, on every computer.

use std::path::Path;

use serde_json::Value;

use super::format::Body;
use super::replica::Replica;
use super::report::Status;
use super::state;
use crate::clock::Clock;
use crate::cycle::{managed_fields, CycleDraft, CycleId, FIELDS};
use crate::error::{Error, Result};
use crate::store::Store;

/// What the person chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// The text at this place in the conflict's list.
    Keep(usize),
    /// Every text, one after the other.
    Both,
}

/// Resolve the conflict on `field` of cycle `cycle` with `choice`; returns what is left
/// waiting.
pub fn resolve(
    store: &Store,
    data_dir: &Path,
    cycle: &str,
    field: &str,
    choice: Choice,
    clock: Clock,
) -> Result<Status> {
    let mut status = state::load_status(data_dir);
    let gone = || {
        Error::Usage(
            "that conflict is no longer waiting (another sync resolved it); sync again to see \
             what is"
                .into(),
        )
    };
    let at = status
        .conflicts
        .iter()
        .position(|c| c.cycle == cycle && c.field == field)
        .ok_or_else(gone)?;
    let versions = &status.conflicts[at].versions;
    let text = match choice {
        Choice::Keep(i) => versions.get(i).ok_or_else(gone)?.text.clone(),
        Choice::Both => {
            let texts: Vec<&str> = versions.iter().filter_map(|v| v.text.as_deref()).collect();
            let joined = texts.join("\n\n");
            let limit = FIELDS
                .iter()
                .filter_map(|f| f.as_text())
                .find(|t| t.name == field)
                .map_or(usize::MAX, |t| t.max_chars);
            let length = joined.chars().count();
            if length > limit {
                return Err(Error::Usage(format!(
                    "the texts together are longer than the field holds ({length} of {limit} \
                     characters); keep one and copy what you need from the other"
                )));
            }
            (!texts.is_empty()).then_some(joined)
        }
    };
    let id: CycleId = cycle.parse()?;
    let stored = store
        .get(id)?
        .ok_or_else(|| Error::NotFound(id.to_string()))?;
    let mut draft = serde_json::to_value(&stored)
        .map_err(|e| Error::Storage(format!("could not read the cycle: {e}")))?;
    if let Value::Object(map) = &mut draft {
        for managed in managed_fields() {
            map.remove(managed);
        }
        map.insert(field.to_string(), text.map_or(Value::Null, Value::String));
    }
    let fields = CycleDraft::from_value(draft)?.check(clock.latest_backup_day())?;
    if fields != stored.fields {
        store.update(id, fields, clock.now)?;
    }
    let mut resolved = state::load_resolved(data_dir);
    resolved.push((id, field.to_string()));
    state::save_resolved(data_dir, &resolved)?;
    status.conflicts.remove(at);
    state::save_status(data_dir, &status)?;
    Ok(status)
}

/// The person set `fields` of `cycle` themselves (`rebound edit`): a conflict on any of
/// them is resolved by that, even when the text set is the one already shown.
pub fn chosen(data_dir: &Path, cycle: CycleId, fields: &[String]) -> Result<()> {
    let mut status = state::load_status(data_dir);
    let id = cycle.to_string();
    let before = status.conflicts.len();
    let mut resolved = state::load_resolved(data_dir);
    status.conflicts.retain(|c| {
        let chosen = c.cycle == id && fields.contains(&c.field);
        if chosen {
            resolved.push((cycle, c.field.clone()));
        }
        !chosen
    });
    if status.conflicts.len() == before {
        return Ok(());
    }
    state::save_resolved(data_dir, &resolved)?;
    state::save_status(data_dir, &status)
}

/// The conflicts chosen here (`resolved`) that `batches` of this computer's (written by
/// a sync cut short before it recorded them) already carry: sent, not to send again.
pub fn carried(
    resolved: &[(CycleId, String)],
    replica: &Replica,
    device: &str,
    batches: &[(String, u64)],
) -> Vec<(CycleId, String)> {
    let Some(own) = replica.batches.get(device) else {
        return Vec::new();
    };
    let set: Vec<(&str, &str)> = batches
        .iter()
        .filter(|(d, _)| d == device)
        .filter_map(|(_, seg)| own.get(seg))
        .flat_map(|kept| kept.ops.values())
        .flat_map(|op| match &op.body {
            Body::Cycle { cycle, set, .. } => set
                .keys()
                .map(|field| (cycle.as_str(), field.as_str()))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    resolved
        .iter()
        .filter(|(id, field)| {
            let id = id.to_string();
            set.iter().any(|(c, f)| *c == id && f == field)
        })
        .cloned()
        .collect()
}
