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
    /// The window's size when it was last resized or closed.
    pub window: WindowSettings,
    /// Light, dark, or following the system.
    pub appearance: Appearance,
    /// The tray and start at login.
    pub desktop: DesktopSettings,
    /// Syncing through a shared folder (`crate::sync` reads and writes this).
    pub sync: SyncSettings,
    /// What the window's page found of this computer's fonts.
    pub fonts: FontSettings,
}

/// What the window's page found of this computer's fonts, so that the page can be
/// served asking for them from its first paint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FontSettings {
    /// Whether `system-ui` draws the very same letters as `sans-serif` here (not a
    /// family of its own), so the page asks for plain sans-serif (ui/js/theme.js);
    /// None until the page has looked.
    pub plain_sans: Option<bool>,
}

/// How Rebound lives on this desktop. Off by default: Rebound runs only while its
/// window is open, unless the person asks for more.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DesktopSettings {
    /// Start at login, in the tray, and keep running in the tray when the window is
    /// closed, so the daily reminder and the weekly review reach a closed window.
    pub in_tray: bool,
}

/// The window's size, in logical pixels (CSS pixels: the same on a high-density screen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WindowSettings {
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The smallest window Rebound's layout is made for (UX.md).
pub const MIN_WINDOW: (u32, u32) = (800, 600);

impl WindowSettings {
    /// The size to open the window at on a screen of `screen` (logical pixels): the one
    /// saved, else `default`, never smaller than [`MIN_WINDOW`] and never larger than
    /// the screen (a size saved on a bigger monitor, or the default on a small screen,
    /// still fits this one).
    pub fn fitted(&self, default: (u32, u32), screen: Option<(u32, u32)>) -> (u32, u32) {
        let (width, height) = self.width.zip(self.height).unwrap_or(default);
        let (max_w, max_h) = screen.unwrap_or((u32::MAX, u32::MAX));
        let fit = |value: u32, min: u32, max: u32| value.min(max).max(min.min(max));
        (
            fit(width, MIN_WINDOW.0, max_w),
            fit(height, MIN_WINDOW.1, max_h),
        )
    }
}

/// How the window looks: its theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Appearance {
    pub theme: ThemeChoice,
}

/// The theme the person chose in Settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    /// Light or dark as the operating system says.
    #[default]
    System,
    Light,
    Dark,
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
        // A size from a hand-edited file: nothing under the minimum, nothing absurd.
        let sane = |v: Option<u32>, min: u32| v.map(|v| v.clamp(min, 100_000));
        self.window.width = sane(self.window.width, MIN_WINDOW.0);
        self.window.height = sane(self.window.height, MIN_WINDOW.1);
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
    fn the_tray_is_off_until_asked_for_and_older_files_read_without_it() {
        let dir = temp();
        assert!(!load(dir.path()).0.desktop.in_tray);
        std::fs::write(
            dir.path().join(SETTINGS_FILE),
            r#"{"backups": {"keep": 3}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(!load(dir.path()).0.desktop.in_tray);
        let saved =
            update(dir.path(), |s| s.desktop.in_tray = true).unwrap_or_else(|e| panic!("{e}"));
        assert!(load(dir.path()).0.desktop.in_tray);
        assert_eq!(load(dir.path()).0, saved);
    }

    #[test]
    fn a_saved_window_size_fits_the_screen_and_the_minimum() {
        let saved = WindowSettings {
            width: Some(2400),
            height: Some(500),
        };
        let default = (1100, 760);
        assert_eq!(saved.fitted(default, Some((1920, 1080))), (1920, 600));
        assert_eq!(saved.fitted(default, None), (2400, 600));
        // A screen smaller than the minimum: the screen wins.
        assert_eq!(saved.fitted(default, Some((700, 500))), (700, 500));
    }

    #[test]
    fn with_no_size_saved_the_default_fits_the_screen() {
        let none = WindowSettings::default();
        let default = (1100, 760);
        assert_eq!(none.fitted(default, Some((1920, 1080))), default);
        assert_eq!(none.fitted(default, None), default);
        // An 800 x 600 screen (less the panels): the first window fits on it whole.
        assert_eq!(none.fitted(default, Some((800, 600))), (800, 600));
        assert_eq!(none.fitted(default, Some((1024, 552))), (1024, 552));
        // Half a size saved (a hand-edited file) is no size: the default.
        let half = WindowSettings {
            width: Some(900),
            height: None,
        };
        assert_eq!(half.fitted(default, Some((1920, 1080))), default);
    }

    #[test]
    fn older_files_without_the_window_or_theme_still_read() {
        let dir = temp();
        std::fs::write(
            dir.path().join(SETTINGS_FILE),
            r#"{"backups": {"keep": 3}, "window": {"width": 10}, "appearance": {"theme": "dark"}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (settings, problem) = load(dir.path());
        assert_eq!(problem, None);
        assert_eq!(settings.window.width, Some(MIN_WINDOW.0));
        assert_eq!(settings.window.height, None);
        assert_eq!(settings.appearance.theme, ThemeChoice::Dark);
    }

    #[test]
    fn updates_are_saved_and_kept_in_range() {
        let dir = temp();
        let saved = update(dir.path(), |s| s.backups.keep = 0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(saved.backups.keep, 1);
        assert_eq!(load(dir.path()).0, saved);
    }
}
