//! This computer's settings, kept as `settings.json` in the data folder, beside (not
//! in) the database: they can be read even when the database cannot be opened, and they
//! stay with this computer (a restore or another computer's journal never brings them).
//! What travels with the journal itself is in `prefs`.
//!
//! Read tolerantly: a missing field takes its default, an unknown one is ignored, and a
//! damaged file is set aside as `settings.damaged.json` and the defaults used, with a
//! message; never a crash. Written atomically. A plain struct, meant to grow: add a
//! section with `#[serde(default)]` and older files keep working. No Tauri types here.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::files::write_atomic;

/// The settings file, in the data folder.
pub const SETTINGS_FILE: &str = "settings.json";
/// Where a settings file that could not be read is moved.
const DAMAGED_FILE: &str = "settings.damaged.json";
/// Settings files are tiny; anything bigger is not ours.
const MAX_SETTINGS_BYTES: u64 = 1_000_000;
/// The most automatic backups one can ask to keep.
pub const MAX_KEEP: u32 = 365;

/// Every setting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub backups: BackupSettings,
    /// The day of the last automatic backup, in the person's time zone.
    pub last_auto_backup: Option<NaiveDate>,
    /// Syncing through a shared folder (`crate::sync` reads and writes this).
    pub sync: SyncSettings,
}

/// This computer's side of syncing: never in the synced folder, never in a backup.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncSettings {
    /// The folder a sync tool already syncs, remembered after the first sync.
    pub folder: Option<PathBuf>,
    /// This computer's device id in the sync folder (its own files live under it).
    pub device: Option<String>,
    /// What the device id was made for (this machine and this data folder): a data
    /// folder copied to another computer or place gets a new id, so two computers
    /// never write as one.
    pub fingerprint: Option<String>,
}

/// Automatic backups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupSettings {
    /// Whether Rebound makes one a day.
    pub enabled: bool,
    /// Where they go; `None` means `<data dir>/backups`.
    pub folder: Option<PathBuf>,
    /// How many are kept (the newest).
    pub keep: u32,
}

impl Default for BackupSettings {
    fn default() -> BackupSettings {
        BackupSettings {
            enabled: true,
            folder: None,
            keep: 7,
        }
    }
}

impl BackupSettings {
    /// The folder automatic backups go into.
    pub fn folder_in(&self, data_dir: &Path) -> PathBuf {
        match &self.folder {
            Some(folder) if !folder.as_os_str().is_empty() => folder.clone(),
            _ => crate::paths::automatic_backup_dir(data_dir),
        }
    }
}

/// Serialises read-modify-write of the settings file within this process (the daily
/// backup and the window can both update it).
static WRITING: Mutex<()> = Mutex::new(());

/// Read the settings in `data_dir`. Never fails: problems give the defaults and a
/// sentence saying what happened.
pub fn load(data_dir: &Path) -> (Settings, Option<String>) {
    let path = data_dir.join(SETTINGS_FILE);
    let bytes = match std::fs::metadata(&path) {
        Err(_) => return (Settings::default(), None),
        Ok(meta) if meta.len() > MAX_SETTINGS_BYTES => None,
        Ok(_) => std::fs::read(&path).ok(),
    };
    let parsed = bytes.and_then(|b| serde_json::from_slice::<Settings>(&b).ok());
    match parsed {
        Some(settings) => (settings.tidy(), None),
        None => {
            let _ = std::fs::rename(&path, data_dir.join(DAMAGED_FILE));
            (
                Settings::default(),
                Some(format!(
                    "Your settings file could not be read, so Rebound is using its defaults. \
                     The old file was kept as {DAMAGED_FILE}."
                )),
            )
        }
    }
}

/// Change the settings with `change` and save them, returning the new settings.
pub fn update(data_dir: &Path, change: impl FnOnce(&mut Settings)) -> Result<Settings> {
    let _guard = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    let (mut settings, _) = load(data_dir);
    change(&mut settings);
    let settings = settings.tidy();
    save(data_dir, &settings)?;
    Ok(settings)
}

fn save(data_dir: &Path, settings: &Settings) -> Result<()> {
    crate::files::create_private_folder(data_dir)
        .map_err(|e| Error::io(format!("could not create {}", data_dir.display()), e))?;
    let mut bytes = serde_json::to_vec_pretty(settings)
        .map_err(|e| Error::Storage(format!("could not encode the settings: {e}")))?;
    bytes.push(b'\n');
    write_atomic(&data_dir.join(SETTINGS_FILE), &bytes)
}

impl Settings {
    /// Bring values read from a file into range.
    fn tidy(mut self) -> Settings {
        self.backups.keep = self.backups.keep.clamp(1, MAX_KEEP);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn missing_and_partial_files_take_the_defaults() {
        let dir = temp();
        assert_eq!(load(dir.path()), (Settings::default(), None));
        std::fs::write(
            dir.path().join(SETTINGS_FILE),
            r#"{"backups": {"keep": 3}, "later": 1}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (settings, problem) = load(dir.path());
        assert_eq!(problem, None);
        assert_eq!(settings.backups.keep, 3);
        assert!(settings.backups.enabled);
    }

    #[test]
    fn a_damaged_file_gives_defaults_and_a_message_and_is_kept_aside() {
        let dir = temp();
        std::fs::write(dir.path().join(SETTINGS_FILE), b"{\"backups\": [}")
            .unwrap_or_else(|e| panic!("{e}"));
        let (settings, problem) = load(dir.path());
        assert_eq!(settings, Settings::default());
        assert!(problem.is_some_and(|p| p.contains("could not be read")));
        assert!(dir.path().join(DAMAGED_FILE).exists());
    }

    #[test]
    fn updates_are_saved_and_kept_in_range() {
        let dir = temp();
        let saved = update(dir.path(), |s| s.backups.keep = 0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(saved.backups.keep, 1);
        assert_eq!(load(dir.path()).0, saved);
    }
}
