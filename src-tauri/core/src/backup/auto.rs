//! Automatic backups: once a day, a backup of every cycle into a folder the person can
//! choose (default `<data dir>/backups`), keeping the newest N. They are plain JSON (a
//! daily background job cannot ask for a passphrase), in the same format as any backup,
//! named `rebound-auto-YYYY-MM-DD.json`. Only files with that name are ever removed.
//! No Tauri types here.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::backup::{self, ExportSummary};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::local_settings::{self, Settings};
use crate::store::Store;

const PREFIX: &str = "rebound-auto-";
const SUFFIX: &str = ".json";

/// One automatic backup on disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AutoBackup {
    /// The file name, which is also how the window asks to restore it.
    pub name: String,
    pub path: PathBuf,
    pub day: NaiveDate,
    pub bytes: u64,
}

/// The day in an automatic backup's file name.
fn day_of(name: &str) -> Option<NaiveDate> {
    let day = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// The automatic backups in `folder`, newest first.
pub fn list_in(folder: &Path) -> Vec<AutoBackup> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut all: Vec<AutoBackup> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            let day = day_of(&name)?;
            let meta = entry.metadata().ok().filter(std::fs::Metadata::is_file)?;
            Some(AutoBackup {
                path: entry.path(),
                name,
                day,
                bytes: meta.len(),
            })
        })
        .collect();
    all.sort_by_key(|b| std::cmp::Reverse(b.day));
    all
}

/// The automatic backups for the data in `data_dir`, newest first.
pub fn list(data_dir: &Path) -> Vec<AutoBackup> {
    let (settings, _) = local_settings::load(data_dir);
    list_in(&settings.backups.folder_in(data_dir))
}

/// The automatic backup called `name`, if it is one (a name, never a path).
pub fn find(data_dir: &Path, name: &str) -> Result<AutoBackup> {
    list(data_dir)
        .into_iter()
        .find(|b| b.name == name)
        .ok_or_else(|| {
            Error::Usage(format!(
                "there is no automatic backup called {name:?}; choose one from the list"
            ))
        })
}

/// Whether today's automatic backup is still to be made.
pub fn is_due(settings: &Settings, today: NaiveDate) -> bool {
    settings.backups.enabled && settings.last_auto_backup.is_none_or(|last| last != today)
}

/// Make today's automatic backup if it is due. An empty database is not backed up, so
/// a database that lost its data can never push good backups out of the folder.
pub fn run_if_due(store: &Store, data_dir: &Path, clock: Clock) -> Result<Option<ExportSummary>> {
    let (settings, _) = local_settings::load(data_dir);
    if !is_due(&settings, clock.today) || store.is_empty() {
        return Ok(None);
    }
    run_now(store, data_dir, clock).map(Some)
}

/// Make today's automatic backup now (replacing today's if there is one), remove the
/// oldest beyond the number kept, and remember the day.
pub fn run_now(store: &Store, data_dir: &Path, clock: Clock) -> Result<ExportSummary> {
    let (settings, _) = local_settings::load(data_dir);
    let folder = settings.backups.folder_in(data_dir);
    // A folder Rebound makes is private; one the person chose keeps its own mode (the
    // backups in it are private files either way).
    if !folder.exists() {
        crate::files::create_private_folder(&folder)
            .map_err(|e| Error::io(format!("could not create {}", folder.display()), e))?;
    }
    let path = folder.join(format!("{PREFIX}{}{SUFFIX}", clock.today));
    let summary = backup::export(store, &path, clock.now, None)?;
    prune(&folder, settings.backups.keep as usize);
    local_settings::update(data_dir, |s| s.last_auto_backup = Some(clock.today))?;
    Ok(summary)
}

/// Remove the oldest automatic backups in `folder` beyond the newest `keep`.
fn prune(folder: &Path, keep: usize) {
    for old in list_in(folder).into_iter().skip(keep.max(1)) {
        let _ = std::fs::remove_file(old.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dated_automatic_backup_names_count() {
        assert!(day_of("rebound-auto-2026-11-27.json").is_some());
        assert!(day_of("rebound-auto-2026-13-27.json").is_none());
        assert!(day_of("rebound-backup-2026-11-27.json").is_none());
        assert!(day_of("notes.txt").is_none());
    }
}
