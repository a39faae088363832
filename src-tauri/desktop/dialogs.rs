//! Native file dialogs, and the scripted stand-in the end-to-end tests switch on.
//!
//! Dialogs are rfd's async ones, awaited inside async commands: a blocking rfd dialog
//! in a sync command deadlocks the GTK main loop.

use std::path::PathBuf;

use tauri::{Runtime, WebviewWindow};

/// When set, the save dialog is not shown: the file goes into this folder under the
/// suggested name. Only the end-to-end tests set it (a WebDriver test cannot click a
/// native GTK dialog).
pub const TEST_SAVE_DIR_ENV: &str = "REBOUND_TEST_SAVE_DIR";

/// How the app asks the person for a file.
#[derive(Clone, Debug)]
pub enum Dialogs {
    Native,
    Scripted { save_dir: PathBuf },
}

impl Dialogs {
    /// Native dialogs, unless a test asked for scripted ones.
    pub fn from_env() -> Dialogs {
        match std::env::var_os(TEST_SAVE_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Dialogs::Scripted {
                save_dir: PathBuf::from(dir),
            },
            _ => Dialogs::Native,
        }
    }

    /// Ask where to save a backup; None when the person cancels.
    pub async fn save_backup_path<R: Runtime>(
        &self,
        window: &WebviewWindow<R>,
        suggested_name: &str,
    ) -> Option<PathBuf> {
        match self {
            Dialogs::Scripted { save_dir } => Some(save_dir.join(suggested_name)),
            Dialogs::Native => {
                let start = dirs::document_dir().or_else(dirs::home_dir);
                let mut dialog = rfd::AsyncFileDialog::new()
                    .set_title("Save a Rebound backup")
                    .set_file_name(suggested_name)
                    .add_filter("Rebound backup", &["json"])
                    .set_parent(window);
                if let Some(dir) = start {
                    dialog = dialog.set_directory(dir);
                }
                dialog
                    .save_file()
                    .await
                    .map(|file| file.path().to_path_buf())
            }
        }
    }
}
