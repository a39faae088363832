//! Files on disk, written so that they are whole, durable and private: a crash or a
//! power cut never leaves half of one, and on Unix nobody but the person can read what
//! Rebound writes (files 0600, folders 0700). No Tauri types here.
//!
//! Replacing a file goes through a temporary file in the same folder with an
//! unpredictable name, created exclusively and never through a symlink (the `tempfile`
//! crate), so another account sharing the folder can neither pre-create it nor redirect
//! the write.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Permission bits of every file Rebound writes (Unix).
pub const PRIVATE_FILE_MODE: u32 = 0o600;
/// Permission bits of every folder Rebound makes (Unix).
pub const PRIVATE_FOLDER_MODE: u32 = 0o700;

/// Write `bytes` to `path` so that `path` holds either its old content or all of the
/// new, never a part, and the new content survives a power cut once this returns:
/// write a private temporary file beside it, fsync it, rename it over `path`, then
/// fsync the folder so the rename itself is durable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_parts(path, &[bytes])
}

/// [`write_atomic`] of `parts` written one after the other.
pub fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> Result<()> {
    write_atomic_with(path, &mut |out| {
        parts.iter().try_for_each(|part| out.write_all(part))
    })
}

/// [`write_atomic`] of whatever `write` writes, a piece at a time (so content of any
/// size goes to the file without being held whole).
pub fn write_atomic_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let shown = path.display().to_string();
    if path.file_name().is_none() {
        return Err(Error::io(
            format!("{shown} is not a file name"),
            std::io::ErrorKind::InvalidInput.into(),
        ));
    }
    let dir = parent_folder(path);
    let written = (|| {
        let mut file = tempfile::Builder::new()
            .prefix(".rebound-")
            .suffix(".tmp")
            .tempfile_in(&dir)?;
        // tempfile creates it 0600 already; say so here, where the promise is made.
        make_private(file.path())?;
        {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file.as_file_mut());
            write(&mut out)?;
            out.flush()?;
        }
        file.as_file().sync_all()?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    })();
    written.map_err(|e: std::io::Error| Error::io(format!("could not write {shown}"), e))?;
    sync_folder(&dir).map_err(|e| Error::io(format!("could not sync the folder of {shown}"), e))
}

/// The folder `path` is in ("." for a bare file name).
pub fn parent_folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Make a folder's entries (new files, renames, removals) durable.
#[cfg(unix)]
pub fn sync_folder(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Make a folder's entries (new files, renames, removals) durable.
#[cfg(not(unix))]
pub fn sync_folder(_dir: &Path) -> std::io::Result<()> {
    // Windows cannot open a folder as a file; NTFS journals the rename itself.
    Ok(())
}

/// fsync every file directly in `dir`, then `dir` itself: what a database folder needs
/// before anything may point at it.
pub fn sync_folder_and_files(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            File::open(entry.path())?.sync_all()?;
        }
    }
    sync_folder(dir)
}

/// Create `dir` (and its parents) if missing, and make it private.
pub fn create_private_folder(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    make_private(dir)
}

/// Make the file or folder at `path` readable by its owner only (0600 / 0700).
#[cfg(unix)]
pub fn make_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::symlink_metadata(path)?;
    let mode = if metadata.is_dir() {
        PRIVATE_FOLDER_MODE
    } else {
        PRIVATE_FILE_MODE
    };
    if metadata.permissions().mode() & 0o777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

/// Make the file or folder at `path` readable by its owner only.
#[cfg(not(unix))]
pub fn make_private(_path: &Path) -> std::io::Result<()> {
    // On Windows the profile folder's ACL already keeps other accounts out.
    Ok(())
}

/// Make every file in `dir` (not below) and `dir` itself private.
pub fn make_folder_private(dir: &Path) -> std::io::Result<()> {
    make_private(dir)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            make_private(&entry.path())?;
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or_default()
    }

    #[test]
    fn a_replaced_file_stays_private_and_whole() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("out.json");
        std::fs::write(&path, b"old").unwrap_or_else(|e| panic!("{e}"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))
            .unwrap_or_else(|e| panic!("{e}"));
        write_atomic(&path, b"new").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(&path).unwrap_or_default(), b"new");
        assert_eq!(mode(&path), 0o600);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    }

    #[test]
    fn a_symlink_planted_where_a_temporary_file_might_go_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep me").unwrap_or_else(|e| panic!("{e}"));
        // The old predictable names: .NAME.PID.tmp. Plant links under every one of them
        // a guesser could try, and a link at the target's own name too.
        for pid in [std::process::id(), 1, 2] {
            let _ = std::os::unix::fs::symlink(
                &victim,
                dir.path().join(format!(".out.json.{pid}.tmp")),
            );
        }
        write_atomic(&dir.path().join("out.json"), b"journal").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(&victim).unwrap_or_default(), b"keep me");
    }
}
