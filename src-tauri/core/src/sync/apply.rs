//! Bringing the merge into the store: what differs between the merge and the store (the
//! changes from the other computers), a snapshot of the data before any of it is made,
//! and the conflicts and computers as the person sees them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::merge::Merged;
use super::report::{ConflictView, DeviceView, Received, VersionView};
use super::state::State;
use crate::backup;
use crate::error::{Error, Result};
use crate::journal::Base;
use crate::store::Merge;

/// The snapshots taken before a sync changes the data, in `<data dir>/snapshots/`.
const SNAPSHOT_PREFIX: &str = "pre-sync-";
/// How many are kept (the newest).
const SNAPSHOTS_KEPT: usize = 3;

/// What the store must change to hold the merge, and the counts for the report.
/// `here` holds only the synced preferences. Cycles the merge could not make are left.
pub fn plan(here: &Base, merged: &Merged) -> (Merge, Received) {
    let mut merge = Merge::default();
    let mut received = Received::default();
    let stored: BTreeMap<_, _> = here.cycles.iter().map(|c| (c.id, c)).collect();
    for cycle in &merged.base.cycles {
        match stored.get(&cycle.id) {
            None => received.cycles_added += 1,
            Some(old) if *old == cycle => continue,
            Some(_) => received.cycles_updated += 1,
        }
        merge.put.push(cycle.clone());
    }
    let kept: std::collections::BTreeSet<_> = merged.base.cycles.iter().map(|c| c.id).collect();
    for cycle in &here.cycles {
        if !kept.contains(&cycle.id) && !merged.unmergeable.contains_key(&cycle.id) {
            received.cycles_deleted += 1;
            merge.delete.push(cycle.id);
        }
    }
    for (day, answers) in &merged.base.checkins {
        if here.checkins.get(day) != Some(answers) {
            received.checkins += 1;
            merge.checkins.push((*day, *answers));
        }
    }
    for (key, value) in &merged.base.prefs {
        if here.prefs.get(key) != Some(value) {
            received.prefs += 1;
            merge.prefs.push((key.clone(), value.clone()));
        }
    }
    (merge, received)
}

/// Keep a plain copy of everything in `content` before a sync changes it, and remove
/// the oldest such copies beyond the newest few. It stays in the private data folder.
pub fn snapshot(data_dir: &Path, content: &Base, now: DateTime<Utc>) -> Result<PathBuf> {
    let folder = data_dir.join(backup::restore::SNAPSHOT_FOLDER);
    crate::files::create_private_folder(&folder)
        .map_err(|e| Error::io(format!("could not create {}", folder.display()), e))?;
    let path = folder.join(format!(
        "{SNAPSHOT_PREFIX}{}.json",
        now.format("%Y-%m-%dT%H-%M-%S%.3fZ")
    ));
    backup::write_backup(content, &path, now, None)?;
    let mut old: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(SNAPSHOT_PREFIX) && n.ends_with(".json"))
                })
                .collect()
        })
        .unwrap_or_default();
    // The names hold the time, so name order is time order.
    old.sort();
    let extra = old.len().saturating_sub(SNAPSHOTS_KEPT);
    for path in &old[..extra] {
        let _ = std::fs::remove_file(path);
    }
    Ok(path)
}

/// The conflicts of `merged` as the person sees them.
pub fn conflict_views(merged: &Merged, state: &State) -> Vec<ConflictView> {
    let cycles: BTreeMap<_, _> = merged.base.cycles.iter().map(|c| (c.id, c)).collect();
    merged
        .conflicts
        .iter()
        .filter_map(|conflict| {
            let cycle = cycles.get(&conflict.cycle)?;
            Some(ConflictView {
                cycle: conflict.cycle.to_string(),
                area: cycle.fields.area.clone(),
                attempted_on: cycle.fields.attempted_on,
                attempt: cycle.fields.attempt.clone(),
                field: conflict.field.clone(),
                versions: conflict
                    .versions
                    .iter()
                    .enumerate()
                    .map(|(i, v)| VersionView {
                        computer: state.computer_name(&v.device),
                        this_computer: v.device == state.device,
                        text: v.text.clone(),
                        shown: i == 0,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The computers seen in the sync folder, this one first, then by name.
pub fn device_views(state: &State) -> Vec<DeviceView> {
    let mut all: Vec<DeviceView> = state
        .devices
        .iter()
        .map(|(id, d)| DeviceView {
            id: id.clone(),
            name: state.computer_name(id),
            this_computer: *id == state.device,
            last_change: d.last_change,
        })
        .collect();
    all.sort_by(|a, b| (!a.this_computer, &a.name).cmp(&(!b.this_computer, &b.name)));
    all
}
