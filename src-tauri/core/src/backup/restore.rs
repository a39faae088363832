//! Restoring a checked backup: what it would change (the preview), a snapshot of the
//! current data before anything changes, and the change itself, all or nothing.
//!
//! Two ways: **merge** (by id; the copy with the later `updated_at` wins, stored cycles
//! not in the file stay) and **replace** (the database becomes exactly the file). The
//! new content is computed in memory, and if it equals what is stored nothing is
//! written at all. Otherwise a plain snapshot of the current data is written to
//! `<data dir>/snapshots/`, then [`Store::replace_all`] switches to the new content
//! atomically. No Tauri types here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::spooled::Incoming;
use super::walk::{each_after, walk_together, Pair};
use crate::backup::{self, Backup};
use crate::cycle::Cycle;
use crate::error::{Error, Result};
use crate::journal::Base;
use crate::store::Store;
use crate::text::thousands;

/// Folder (in the data folder) of the snapshots taken before each restore.
pub const SNAPSHOT_FOLDER: &str = "snapshots";
/// How many of the newest snapshots are kept (the oldest one is always kept as well).
pub const SNAPSHOTS_KEPT: usize = 5;
const SNAPSHOT_PREFIX: &str = "pre-restore-";

/// How a backup is brought in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Add new cycles and take the newer copy of changed ones; keep the rest.
    Merge,
    /// Make the stored cycles exactly the backup's.
    Replace,
}

/// What a backup holds compared with what is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub exported_at: DateTime<Utc>,
    pub app_version: String,
    pub format_version: u64,
    /// Cycles in the file.
    pub in_file: usize,
    /// In the file, not stored.
    pub new: usize,
    /// In both, with different content.
    pub changed: usize,
    /// Of `changed`, how many are newer in the file (merge takes those).
    pub newer_in_file: usize,
    /// In both, the same.
    pub identical: usize,
    /// Stored, not in the file (replace removes them; merge keeps them).
    pub only_here: usize,
    /// Stored now.
    pub stored: usize,
    /// The attempt dates the file covers.
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
}

impl Preview {
    /// Whether restoring in `mode` would change nothing.
    pub fn changes_nothing(&self, mode: Mode) -> bool {
        match mode {
            Mode::Merge => self.new == 0 && self.newer_in_file == 0,
            Mode::Replace => self.new == 0 && self.changed == 0 && self.only_here == 0,
        }
    }
}

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreSummary {
    pub mode: Mode,
    pub exported_at: DateTime<Utc>,
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Cycles stored afterwards.
    pub total: usize,
    /// Whether anything was written (an identical backup writes nothing).
    pub changed: bool,
    /// The snapshot of the data as it was before, if one was taken.
    pub snapshot: Option<PathBuf>,
    /// One sentence for the person.
    pub message: String,
}

/// Compare a checked backup with the stored cycles.
pub fn preview<C: Incoming>(store: &Store, backup: &Backup<C>) -> Result<Preview> {
    compare(store.walk_by_id(), backup)
}

fn compare<C: Incoming>(
    stored: impl Iterator<Item = Result<Cycle>>,
    backup: &Backup<C>,
) -> Result<Preview> {
    let mut preview = Preview {
        exported_at: backup.exported_at,
        app_version: backup.app_version.clone(),
        format_version: backup.format_version,
        in_file: backup.cycles.count(),
        new: 0,
        changed: 0,
        newer_in_file: 0,
        identical: 0,
        only_here: 0,
        stored: 0,
        first_day: None,
        last_day: None,
    };
    let day = |p: &mut Preview, cycle: &Cycle| {
        let on = cycle.fields.attempted_on;
        p.first_day = Some(p.first_day.map_or(on, |d| d.min(on)));
        p.last_day = Some(p.last_day.map_or(on, |d| d.max(on)));
    };
    walk_together(stored, &backup.cycles, &mut |pair| {
        match pair {
            Pair::Here(_) => {
                preview.stored += 1;
                preview.only_here += 1;
            }
            Pair::File(file) => {
                preview.new += 1;
                day(&mut preview, &file);
            }
            Pair::Both(here, file) => {
                preview.stored += 1;
                day(&mut preview, &file);
                if here == file {
                    preview.identical += 1;
                } else {
                    preview.changed += 1;
                    if file.updated_at > here.updated_at {
                        preview.newer_in_file += 1;
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(preview)
}

/// The cycles a restore leaves, in id order.
pub fn plan<C: Incoming>(stored: Vec<Cycle>, backup: &Backup<C>, mode: Mode) -> Result<Vec<Cycle>> {
    let mut after = Vec::new();
    each_after(stored.into_iter().map(Ok), &backup.cycles, mode, &mut |c| {
        after.push(c.clone());
        Ok(())
    })?;
    Ok(after)
}

/// Restore `backup` into `store` in `mode`. Returns the store to use from now on (the
/// same one when nothing changed) and what happened. `data_dir` is where snapshots go.
/// The stored cycles and the file's are walked side by side, a cycle at a time,
/// whatever their number.
pub fn apply<C: Incoming>(
    store: &Store,
    data_dir: &Path,
    backup: &Backup<C>,
    mode: Mode,
    now: DateTime<Utc>,
) -> Result<(Store, RestoreSummary)> {
    // The plan is made from what is stored at this position; if anything is saved
    // before the switch, the restore is refused rather than losing it.
    let planned_at = store.position();
    let rest = store.contents_but_cycles()?;
    let preview = compare(store.walk_by_id(), backup)?;
    let day = backup.exported_at.format("%Y-%m-%d");
    let mut summary = RestoreSummary {
        mode,
        exported_at: backup.exported_at,
        added: preview.new,
        updated: match mode {
            Mode::Merge => preview.newer_in_file,
            Mode::Replace => preview.changed,
        },
        removed: match mode {
            Mode::Merge => 0,
            Mode::Replace => preview.only_here,
        },
        unchanged: 0,
        total: 0,
        changed: false,
        snapshot: None,
        message: String::new(),
    };
    let checkins = plan_checkins(&rest.checkins, backup, mode);
    let prefs = plan_prefs(&rest.prefs, backup, mode);
    if preview.changes_nothing(mode) && checkins == rest.checkins && prefs == rest.prefs {
        summary.total = preview.stored;
        summary.unchanged = preview.stored;
        summary.message = format!(
            "Nothing to restore: your {} already match the backup from {day}. Nothing was changed.",
            cycles_word(preview.stored)
        );
        return Ok((store.clone(), summary));
    }
    let snapshot = if preview.stored == 0 && rest.checkins.is_empty() && rest.prefs.is_empty() {
        None
    } else {
        Some(snapshot_of(data_dir, store, now)?)
    };
    let fresh = store.replace_all_with(
        &checkins,
        &prefs,
        &|each| each_after(store.walk_by_id(), &backup.cycles, mode, each),
        planned_at,
    )?;
    summary.total = match mode {
        Mode::Merge => preview.stored + preview.new,
        Mode::Replace => preview.in_file,
    };
    summary.unchanged = summary.total - summary.added - summary.updated;
    summary.changed = true;
    summary.snapshot = snapshot;
    summary.message = describe(&summary, &day.to_string());
    Ok((fresh, summary))
}

fn describe(summary: &RestoreSummary, day: &str) -> String {
    match summary.mode {
        Mode::Replace => format!(
            "Restored {} (backup from {day}).",
            cycles_word(summary.total)
        ),
        Mode::Merge => {
            let mut parts = vec![format!("{} new", thousands(summary.added))];
            if summary.updated > 0 {
                parts.push(format!("{} updated", thousands(summary.updated)));
            }
            format!(
                "Restored {} (backup from {day}): {}; you now have {}.",
                cycles_word(summary.added + summary.updated),
                parts.join(", "),
                cycles_word(summary.total)
            )
        }
    }
}

/// "1 cycle", "1,204 cycles".
pub fn cycles_word(n: usize) -> String {
    if n == 1 {
        "1 cycle".to_string()
    } else {
        format!("{} cycles", thousands(n))
    }
}

/// The check-ins a restore leaves: a file that holds check-ins replaces them (replace)
/// or adds the days missing here (merge); an older file, which held none, leaves them.
fn plan_checkins<C>(
    here: &BTreeMap<NaiveDate, [u8; 6]>,
    backup: &Backup<C>,
    mode: Mode,
) -> BTreeMap<NaiveDate, [u8; 6]> {
    plan_map(
        here,
        &backup.checkins,
        backup.holds_more_than_cycles(),
        mode,
    )
}

/// The preferences a restore leaves, in the same way as the check-ins.
fn plan_prefs<C>(
    here: &BTreeMap<String, Value>,
    backup: &Backup<C>,
    mode: Mode,
) -> BTreeMap<String, Value> {
    plan_map(here, &backup.prefs, backup.holds_more_than_cycles(), mode)
}

fn plan_map<K: Ord + Clone, V: Clone>(
    here: &BTreeMap<K, V>,
    file: &BTreeMap<K, V>,
    file_holds_them: bool,
    mode: Mode,
) -> BTreeMap<K, V> {
    match mode {
        Mode::Replace if file_holds_them => file.clone(),
        Mode::Replace => here.clone(),
        Mode::Merge => {
            let mut all = file.clone();
            all.extend(here.iter().map(|(k, v)| (k.clone(), v.clone())));
            all
        }
    }
}

/// Write `content` as a plain backup into `<data dir>/snapshots/`, then prune old
/// snapshots. The snapshot stays inside the private data folder, so it is plain.
pub fn take_snapshot(data_dir: &Path, content: &Base, now: DateTime<Utc>) -> Result<PathBuf> {
    let path = snapshot_path(data_dir, now)?;
    backup::write_backup(content, &path, now, None)?;
    prune_snapshots(&data_dir.join(SNAPSHOT_FOLDER));
    Ok(path)
}

/// [`take_snapshot`] of everything `store` holds, its cycles written as stored.
fn snapshot_of(data_dir: &Path, store: &Store, now: DateTime<Utc>) -> Result<PathBuf> {
    let path = snapshot_path(data_dir, now)?;
    backup::export(store, &path, now, None)?;
    prune_snapshots(&data_dir.join(SNAPSHOT_FOLDER));
    Ok(path)
}

/// Where a snapshot taken `now` goes (its folder made if need be).
fn snapshot_path(data_dir: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    let folder = data_dir.join(SNAPSHOT_FOLDER);
    crate::files::create_private_folder(&folder)
        .map_err(|e| Error::io(format!("could not create {}", folder.display()), e))?;
    Ok(folder.join(format!(
        "{SNAPSHOT_PREFIX}{}.json",
        now.format("%Y-%m-%dT%H-%M-%S%.3fZ")
    )))
}

/// The snapshots in `data_dir`, oldest first.
pub fn snapshots(data_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data_dir.join(SNAPSHOT_FOLDER)) else {
        return Vec::new();
    };
    let mut all: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(SNAPSHOT_PREFIX) && n.ends_with(".json"))
        })
        .collect();
    // The names hold the time, so name order is time order.
    all.sort();
    all
}

/// Keep the oldest snapshot (the data as it was before the first restore) and the
/// newest [`SNAPSHOTS_KEPT`]; remove the ones in between.
fn prune_snapshots(folder: &Path) {
    let Some(data_dir) = folder.parent() else {
        return;
    };
    let all = snapshots(data_dir);
    if all.len() <= SNAPSHOTS_KEPT + 1 {
        return;
    }
    for path in &all[1..all.len() - SNAPSHOTS_KEPT] {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{CycleFields, CycleId, Outcome};

    fn cycle(n: u8, edited: i64) -> Cycle {
        let at = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        Cycle {
            id: CycleId::from_bytes([n; 16]),
            created_at: at,
            updated_at: at + chrono::Duration::seconds(edited),
            fields: CycleFields {
                attempt: format!("try {n} {edited}"),
                effort: 3,
                ..CycleFields::sample(
                    "a",
                    NaiveDate::from_ymd_opt(2026, 1, u32::from(n)).unwrap_or_default(),
                    Outcome::Failure,
                )
            },
        }
    }

    fn backup(cycles: Vec<Cycle>) -> Backup {
        Backup {
            format_version: 2,
            app_version: "0.1.0".into(),
            exported_at: DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap_or_default(),
            cycles,
            checkins: BTreeMap::new(),
            prefs: BTreeMap::new(),
        }
    }

    #[test]
    fn merge_takes_new_cycles_and_the_newer_copy_of_changed_ones() {
        let stored = vec![cycle(1, 0), cycle(2, 50), cycle(3, 0)];
        let file = backup(vec![cycle(2, 10), cycle(3, 20), cycle(4, 0), cycle(1, 0)]);
        let p = compare(stored.clone().into_iter().map(Ok), &file).unwrap();
        assert_eq!(
            (p.new, p.changed, p.newer_in_file, p.identical, p.only_here),
            (1, 2, 1, 1, 0)
        );
        let after = plan(stored, &file, Mode::Merge).unwrap();
        assert_eq!(
            after,
            vec![cycle(1, 0), cycle(2, 50), cycle(3, 20), cycle(4, 0)]
        );
    }

    #[test]
    fn replace_gives_exactly_the_file() {
        let stored = vec![cycle(1, 0), cycle(5, 0)];
        let file = backup(vec![cycle(3, 0), cycle(2, 0)]);
        let p = compare(stored.clone().into_iter().map(Ok), &file).unwrap();
        assert_eq!((p.new, p.only_here), (2, 2));
        assert!(!p.changes_nothing(Mode::Replace));
        assert_eq!(
            plan(stored, &file, Mode::Replace).unwrap(),
            vec![cycle(2, 0), cycle(3, 0)]
        );
    }

    #[test]
    fn an_identical_backup_changes_nothing_in_either_mode() {
        let stored = vec![cycle(1, 0), cycle(2, 0)];
        let p = compare(stored.clone().into_iter().map(Ok), &backup(stored.clone())).unwrap();
        assert!(p.changes_nothing(Mode::Merge) && p.changes_nothing(Mode::Replace));
        // An older copy of a cycle does not count as a change for merge.
        let p = compare(std::iter::once(Ok(cycle(1, 9))), &backup(vec![cycle(1, 0)])).unwrap();
        assert!(p.changes_nothing(Mode::Merge) && !p.changes_nothing(Mode::Replace));
    }

    #[test]
    fn the_oldest_snapshot_is_never_pruned() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let base = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        for n in 0..9 {
            take_snapshot(
                dir.path(),
                &Base {
                    cycles: vec![cycle(1, n)],
                    ..Base::default()
                },
                base + chrono::Duration::hours(n),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let kept = snapshots(dir.path());
        assert_eq!(kept.len(), SNAPSHOTS_KEPT + 1);
        let first = kept[0].file_name().map(|n| n.to_string_lossy().to_string());
        assert_eq!(
            first.as_deref(),
            Some("pre-restore-2027-01-15T08-00-00.000Z.json")
        );
    }
}
