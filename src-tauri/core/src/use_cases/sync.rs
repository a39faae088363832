//! Syncing as the person uses it: the folder (remembered on this computer), syncing now,
//! what the last sync said, and resolving a conflict. The work is `crate::sync`'s.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Clock;
use crate::cycle::Cycle;
use crate::error::{Error, Result};
use crate::local_settings;
use crate::store::Store;
use crate::sync::{self, Choice, ConflictView, DeviceView, Options, SyncReport};

/// Syncing as Settings → Sync shows it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncOverview {
    /// The sync folder, once chosen.
    pub folder: Option<String>,
    /// Whether the next sync needs the passphrase (this computer never synced).
    pub needs_passphrase: bool,
    /// Whether the folder holds no computer's sync files yet (this one chooses the
    /// passphrase).
    pub first_computer: bool,
    /// This computer's name.
    pub computer: String,
    pub last_sync: Option<DateTime<Utc>>,
    pub last_message: Option<String>,
    pub problems: Vec<String>,
    pub devices: Vec<DeviceView>,
    pub conflicts: Vec<ConflictView>,
}

/// The remembered sync folder of `data_dir`.
pub fn sync_folder(data_dir: &Path) -> Option<PathBuf> {
    local_settings::load(data_dir)
        .0
        .sync
        .folder
        .filter(|f| !f.as_os_str().is_empty())
}

/// Syncing as it stands.
pub fn sync_overview(data_dir: &Path) -> SyncOverview {
    let folder = sync_folder(data_dir);
    let status = sync::status(data_dir);
    SyncOverview {
        first_computer: folder.as_deref().is_some_and(sync::is_first_computer),
        folder: folder.map(|f| f.display().to_string()),
        needs_passphrase: sync::needs_passphrase(data_dir),
        computer: sync::host_name(),
        last_sync: status.last_sync,
        last_message: status.last_message,
        problems: status.problems,
        devices: status.devices,
        conflicts: status.conflicts,
    }
}

/// Sync through `folder` from now on (checked first; nothing is written there yet).
pub fn set_sync_folder(data_dir: &Path, folder: PathBuf) -> Result<SyncOverview> {
    if !folder.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder; choose the folder your sync tool keeps in step",
            folder.display()
        )));
    }
    local_settings::update(data_dir, |s| s.sync.folder = Some(folder))?;
    Ok(sync_overview(data_dir))
}

/// Sync now, through `folder` (remembered from then on) or the remembered one.
pub fn sync_now(
    store: &Store,
    data_dir: &Path,
    folder: Option<&Path>,
    passphrase: Option<String>,
    clock: Clock,
) -> Result<SyncReport> {
    let folder = match folder {
        Some(folder) => folder.to_path_buf(),
        None => sync_folder(data_dir).ok_or_else(|| {
            Error::Usage(
                "there is no sync folder yet; give one with --folder DIR (a folder your sync \
                 tool already keeps in step, such as ~/Dropbox)"
                    .into(),
            )
        })?,
    };
    let report = sync::sync(store, data_dir, &Options::new(&folder, passphrase, clock))?;
    if sync_folder(data_dir).as_deref() != Some(folder.as_path()) {
        local_settings::update(data_dir, |s| s.sync.folder = Some(folder))?;
    }
    Ok(report)
}

/// Change some fields of a cycle (`patch`, as `patch_cycle` takes it). A field in a
/// conflict that the person sets this way counts as their choice, even when they set
/// the text already shown.
pub fn edit_cycle_fields(
    store: &Store,
    data_dir: &Path,
    id: &str,
    patch: serde_json::Value,
    clock: Clock,
) -> Result<(Cycle, Vec<&'static str>)> {
    let named: Vec<String> = patch
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let (cycle, changed) = super::patch_cycle(store, id, patch, clock)?;
    sync::chosen(data_dir, cycle.id, &named)?;
    Ok((cycle, changed))
}

/// Resolve a conflict: keep the text at `keep` in its list, or (None) every text.
pub fn resolve_conflict(
    store: &Store,
    data_dir: &Path,
    cycle: &str,
    field: &str,
    keep: Option<usize>,
    clock: Clock,
) -> Result<SyncOverview> {
    let choice = keep.map_or(Choice::Both, Choice::Keep);
    sync::resolve(store, data_dir, cycle, field, choice, clock)?;
    Ok(sync_overview(data_dir))
}
