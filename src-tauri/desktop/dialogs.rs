//! Native file dialogs, and the scripted stand-in the end-to-end tests switch on.
//!
//! Dialogs are rfd's async ones, awaited inside async commands: a blocking rfd dialog
//! in a sync command deadlocks the GTK main loop.

use std::path::PathBuf;

use tauri::{Runtime, WebviewWindow};

/// When set, the save dialog is not shown: the file goes into this folder under the
/// suggested name (and "choose a folder" picks this folder). Only the end-to-end tests
/// set it (a WebDriver test cannot click a native GTK dialog).
pub const TEST_SAVE_DIR_ENV: &str = "REBOUND_TEST_SAVE_DIR";
/// With [`TEST_SAVE_DIR_ENV`]: the file the open dialog picks, a name in that folder.
/// Unset, it picks the newest backup in that folder (the one the test just saved, whose
/// dated name the test need not work out).
pub const TEST_OPEN_FILE_ENV: &str = "REBOUND_TEST_OPEN_FILE";

/// What a backup file is called in the dialogs, and the endings it may have.
const BACKUP_FILTER: &str = "Rebound backup";
const BACKUP_EXTENSIONS: &[&str] = &["json", "age"];

/// How the app asks the person for a file.
#[derive(Clone, Debug)]
pub enum Dialogs {
    Native,
    Scripted {
        save_dir: PathBuf,
        open_file: Option<String>,
    },
}

/// A native file dialog titled `title`, over `window`, opening in the person's
/// documents folder (or home), showing only files with one of `extensions`.
fn file_dialog<R: Runtime>(
    window: &WebviewWindow<R>,
    title: &str,
    filter: &str,
    extensions: &[&str],
) -> rfd::AsyncFileDialog {
    let dialog = rfd::AsyncFileDialog::new()
        .set_title(title)
        .add_filter(filter, extensions)
        .set_parent(window);
    match dirs::document_dir().or_else(dirs::home_dir) {
        Some(dir) => dialog.set_directory(dir),
        None => dialog,
    }
}

impl Dialogs {
    /// Native dialogs, unless a test asked for scripted ones.
    pub fn from_env() -> Dialogs {
        match std::env::var_os(TEST_SAVE_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Dialogs::Scripted {
                save_dir: PathBuf::from(dir),
                open_file: std::env::var(TEST_OPEN_FILE_ENV)
                    .ok()
                    .filter(|f| !f.is_empty()),
            },
            _ => Dialogs::Native,
        }
    }

    /// Ask where to save a readable export; None when the person cancels.
    pub async fn save_readable_path<R: Runtime>(
        &self,
        window: &WebviewWindow<R>,
        suggested_name: &str,
        extension: &str,
    ) -> Option<PathBuf> {
        match self {
            Dialogs::Scripted { save_dir, .. } => Some(save_dir.join(suggested_name)),
            Dialogs::Native => file_dialog(window, "Save your cycles", extension, &[extension])
                .set_file_name(suggested_name)
                .save_file()
                .await
                .map(|file| file.path().to_path_buf()),
        }
    }

    /// Ask which backup file to restore; None when the person cancels.
    pub async fn open_backup_path<R: Runtime>(&self, window: &WebviewWindow<R>) -> Option<PathBuf> {
        match self {
            Dialogs::Scripted {
                save_dir,
                open_file,
            } => match open_file {
                Some(name) => Some(save_dir.join(name)),
                None => newest_backup_in(save_dir),
            },
            Dialogs::Native => file_dialog(
                window,
                "Choose a Rebound backup to restore",
                BACKUP_FILTER,
                BACKUP_EXTENSIONS,
            )
            .pick_file()
            .await
            .map(|file| file.path().to_path_buf()),
        }
    }

    /// Ask for the folder automatic backups go into; None when the person cancels.
    pub async fn pick_folder<R: Runtime>(
        &self,
        window: &WebviewWindow<R>,
        current: &std::path::Path,
    ) -> Option<PathBuf> {
        match self {
            Dialogs::Scripted { save_dir, .. } => Some(save_dir.clone()),
            Dialogs::Native => rfd::AsyncFileDialog::new()
                .set_title("Choose where automatic backups go")
                .set_directory(current)
                .set_parent(window)
                .pick_folder()
                .await
                .map(|folder| folder.path().to_path_buf()),
        }
    }

    /// Ask for the folder the person's sync tool keeps in step; None when they cancel.
    pub async fn pick_sync_folder<R: Runtime>(&self, window: &WebviewWindow<R>) -> Option<PathBuf> {
        match self {
            Dialogs::Scripted { save_dir, .. } => Some(save_dir.clone()),
            Dialogs::Native => {
                let dialog = rfd::AsyncFileDialog::new()
                    .set_title("Choose the folder your sync tool keeps in step")
                    .set_parent(window);
                let dialog = match dirs::home_dir() {
                    Some(home) => dialog.set_directory(home),
                    None => dialog,
                };
                dialog
                    .pick_folder()
                    .await
                    .map(|folder| folder.path().to_path_buf())
            }
        }
    }

    /// Ask where to save a backup; None when the person cancels.
    pub async fn save_backup_path<R: Runtime>(
        &self,
        window: &WebviewWindow<R>,
        suggested_name: &str,
    ) -> Option<PathBuf> {
        match self {
            Dialogs::Scripted { save_dir, .. } => Some(save_dir.join(suggested_name)),
            Dialogs::Native => file_dialog(
                window,
                "Save a Rebound backup",
                BACKUP_FILTER,
                BACKUP_EXTENSIONS,
            )
            .set_file_name(suggested_name)
            .save_file()
            .await
            .map(|file| file.path().to_path_buf()),
        }
    }
}

/// The most recently written backup file in `dir`, for the scripted open dialog.
fn newest_backup_in(dir: &std::path::Path) -> Option<PathBuf> {
    let is_backup = |path: &std::path::Path| {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| BACKUP_EXTENSIONS.contains(&e))
    };
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|entry| is_backup(&entry.path()))
        .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
        .max()
        .map(|(_, path)| path)
}
