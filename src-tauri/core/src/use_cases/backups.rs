//! Backups as the person uses them: export one (encrypted or plain) or a readable copy,
//! the automatic backups and their settings, and starting again from an automatic
//! backup when the database cannot be opened. Restoring a chosen file is
//! `backup::session::RestoreSession`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::Clock;
use crate::backup::auto::{self, AutoBackup};
use crate::backup::readable::{self, ReadableSummary};
use crate::backup::restore::SNAPSHOT_FOLDER;
use crate::backup::{self, ExportSummary};
use crate::error::Result;
use crate::journal::Journal;
use crate::local_settings;
use crate::store::{RecoveryReport, Store};

/// The automatic-backup settings and the backups made so far.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupOverview {
    pub enabled: bool,
    pub keep: u32,
    pub folder: String,
    pub last_auto_backup: Option<NaiveDate>,
    pub backups: Vec<AutoBackup>,
    pub snapshots_folder: String,
}

/// The automatic-backup settings of `data_dir` and the backups made so far.
pub fn backup_overview(data_dir: &Path) -> BackupOverview {
    let (settings, _) = local_settings::load(data_dir);
    BackupOverview {
        enabled: settings.backups.enabled,
        keep: settings.backups.keep,
        folder: settings.backups.folder_in(data_dir).display().to_string(),
        last_auto_backup: settings.last_auto_backup,
        backups: auto::list(data_dir),
        snapshots_folder: data_dir.join(SNAPSHOT_FOLDER).display().to_string(),
    }
}

/// Turn automatic backups on or off, and set how many are kept.
pub fn set_backup_settings(data_dir: &Path, enabled: bool, keep: u32) -> Result<BackupOverview> {
    local_settings::update(data_dir, |s| {
        s.backups.enabled = enabled;
        s.backups.keep = keep;
    })?;
    Ok(backup_overview(data_dir))
}

/// Send automatic backups to `folder` from now on.
pub fn set_backup_folder(data_dir: &Path, folder: PathBuf) -> Result<BackupOverview> {
    local_settings::update(data_dir, |s| s.backups.folder = Some(folder))?;
    Ok(backup_overview(data_dir))
}

/// Make today's automatic backup now.
pub fn backup_now(store: &Store, data_dir: &Path, clock: Clock) -> Result<BackupOverview> {
    auto::run_now(store, data_dir, clock)?;
    Ok(backup_overview(data_dir))
}

/// The file name a save dialog suggests for a backup made today.
pub fn backup_file_name(passphrase: Option<&str>, clock: Clock) -> String {
    backup::default_file_name(clock.today, passphrase.is_some())
}

/// Write every cycle to a backup at `path`: encrypted with `passphrase`, or plain.
pub fn export_backup(
    store: &Store,
    path: &Path,
    passphrase: Option<&str>,
    clock: Clock,
) -> Result<ExportSummary> {
    if let Some(passphrase) = passphrase {
        backup::check_new_passphrase(passphrase)?;
    }
    backup::export(store, path, clock.now, passphrase)
}

/// Write every cycle as a readable CSV or Markdown file at `path`.
pub fn export_readable(
    store: &Store,
    path: &Path,
    format: readable::Format,
    clock: Clock,
) -> Result<ReadableSummary> {
    readable::export(store, path, format, clock.now)
}

/// Whether Rebound's own records could rebuild the data of `data_dir`.
pub fn can_recover(data_dir: &Path) -> bool {
    Journal::has_history(data_dir) || !auto::list(data_dir).is_empty()
}

/// When the database in `data_dir` cannot be opened: rebuild it from Rebound's own
/// records (the recovery journal; failing that, the newest automatic backup), keeping
/// the damaged database aside untouched.
pub fn recover(data_dir: &Path, clock: Clock) -> Result<(Store, RecoveryReport)> {
    Store::recover(data_dir, || {
        let Some(newest) = auto::list(data_dir).into_iter().next() else {
            return Ok(None);
        };
        let checked = backup::read(&newest.path, None, clock.latest_backup_day())?;
        let name = format!("the automatic backup {}", newest.name);
        Ok(Some((name, checked.content())))
    })
}
