//! Writing files so that a crash or kill never leaves half of one: the backup file,
//! the settings, the pointer to the live database, charts. No Tauri types here.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Write `bytes` to `path` so that `path` holds either its old content or all of the
/// new, never a part: write a temporary file in the same folder, fsync it, rename it
/// over `path`, then fsync the folder so the rename itself survives a power cut.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    let name = path.file_name().ok_or_else(|| {
        Error::io(
            format!("{shown} is not a file name"),
            std::io::ErrorKind::InvalidInput.into(),
        )
    })?;
    let dir = parent_folder(path);
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(format!("could not write {shown}"), e));
    }
    sync_folder(&dir).map_err(|e| Error::io(format!("could not sync the folder of {shown}"), e))
}

/// The folder `path` is in ("." for a bare file name).
pub fn parent_folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Make a folder's entries (new files, renames) durable.
#[cfg(unix)]
pub fn sync_folder(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Make a folder's entries (new files, renames) durable.
#[cfg(not(unix))]
pub fn sync_folder(_dir: &Path) -> std::io::Result<()> {
    // Windows cannot open a folder as a file; NTFS journals the rename itself.
    Ok(())
}
