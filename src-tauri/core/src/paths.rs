//! Where Rebound keeps its data. The window and the CLI resolve the folder the same
//! way, so `rebound list` reads what the window wrote.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The app identifier; must equal `identifier` in tauri.conf.json (a test checks).
/// The default data folder is named after it, as Tauri's own app-data folder is.
pub const IDENTIFIER: &str = "org.rebound.Rebound";

/// The folder inside the data folder that automatic backups default to.
pub const AUTOMATIC_BACKUP_FOLDER: &str = "backups";

/// Environment variable that sets the data folder, like `--data-dir`.
pub const DATA_DIR_ENV: &str = "REBOUND_DATA_DIR";

/// The platform's app-data folder for Rebound: `~/.local/share/org.rebound.Rebound` on
/// Linux, `~/Library/Application Support/org.rebound.Rebound` on macOS,
/// `%APPDATA%\org.rebound.Rebound` on Windows. The same folder Tauri's
/// `app_data_dir()` gives.
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(IDENTIFIER))
}

/// The data folder to use: the one asked for, or the platform default.
pub fn resolve_data_dir(asked: Option<PathBuf>) -> Result<PathBuf> {
    match asked {
        Some(dir) if dir.as_os_str().is_empty() => Err(Error::Usage(
            "the data folder is empty; give a folder with --data-dir DIR".into(),
        )),
        Some(dir) => Ok(dir),
        None => default_data_dir().ok_or_else(|| {
            Error::Usage("this system has no app-data folder; give one with --data-dir DIR".into())
        }),
    }
}

/// Where automatic backups go unless the person chooses another folder: inside the data
/// folder, so they are found beside the data they protect (and survive an uninstall).
pub fn automatic_backup_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(AUTOMATIC_BACKUP_FOLDER)
}
