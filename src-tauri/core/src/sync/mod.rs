//! Sync: one journal on several computers, through a folder the person already syncs
//! (Syncthing, Dropbox, iCloud Drive, OneDrive, a USB stick), with nothing lost.
//!
//! The live database never goes in that folder. Each computer writes only its own
//! files there (`rebound-sync/devices/<device id>/`), each segment once, encrypted with
//! the person's sync key (`keys`). A segment holds field-level changes: a cycle's
//! fields and their new values, a deletion (tombstone), a check-in, a preference, each
//! stamped with a hybrid logical clock (`hlc`) and with what its computer had read of
//! the others (`format`). A computer takes every segment it has not read into its
//! replica (`replica`), a union that only grows, and merges it (`merge`): a pure
//! function of the changes, so computers holding the same changes hold the same journal.
//! Texts written at the same time on two computers are both kept and shown as a
//! conflict to resolve (`resolve`).
//!
//! What changed here is found by comparing the store with what the last sync left in it
//! (`capture`); what arrives is applied through the store like any change (journal
//! first), after a snapshot (`apply`). A missing, emptied or damaged file never deletes
//! anything. `run` puts the steps in an order a kill or a power cut cannot break;
//! `state` is what this computer keeps in its own data folder; `folder`, `scan` and
//! `publish` are the sync folder's files. No Tauri here, and no network: the person's
//! sync tool carries the files.

mod apply;
mod capture;
mod folder;
mod format;
mod hlc;
mod keys;
mod merge;
mod publish;
mod ranges;
mod replica;
mod report;
mod resolve;
mod run;
mod scan;
mod state;

#[cfg(test)]
mod tests;

use std::path::Path;

use crate::insights::{AreaGuide, Band, Staircase};
use crate::prefs;

pub use capture::Summary;
pub use folder::{DEVICES, KEY_FILE, ROOT};
pub use report::{ConflictView, DeviceView, Received, Status, SyncReport, VersionView};
pub use resolve::{chosen, resolve, Choice};
pub use run::{sync, Options, StopAt, COMPACT_AFTER};
pub use state::{host_name, LOCAL_FOLDER};

/// Preferences that belong to this computer and are never synced: when the reminder
/// and the weekly review's notification last went out here (each computer running at
/// that time tells the person once; a review done anywhere stops the others, through
/// `weekly_review_done`), and the mark of the last sync applied here.
pub fn is_local_pref(key: &str) -> bool {
    [
        prefs::REMINDER_SHOWN.key(),
        prefs::REVIEW_NOTIFIED.key(),
        prefs::SYNC_APPLIED.key(),
    ]
    .contains(&key)
}

/// Preferences that are lists of names, merged name by name (two computers archiving
/// two areas at the same time both count).
pub fn is_set_pref(key: &str) -> bool {
    key == prefs::ARCHIVED_AREAS.key()
}

/// Preferences that are maps, merged entry by entry: each area's own band and rule,
/// so two computers changing two areas' guides at the same time both count (as a whole
/// value, the later would have undone the other). An entry's change carries its new
/// value, or null once it is removed.
pub fn is_map_pref(key: &str) -> bool {
    key == prefs::AREA_GUIDES.key()
}

/// Whether `value` can be an entry of the map preference `key` (or its removal): an
/// area's guide that does not decode, or that Settings would refuse, is left out of the
/// merge, so one bad entry from another computer cannot make every area's guide
/// unreadable.
fn is_map_entry(key: &str, value: &serde_json::Value) -> bool {
    if key != prefs::AREA_GUIDES.key() || value.is_null() {
        return true;
    }
    serde_json::from_value::<AreaGuide>(value.clone()).is_ok_and(|guide| {
        guide
            .band
            .is_none_or(|b| Band::checked(b.low, b.high).is_ok())
            && guide
                .staircase
                .is_none_or(|s| Staircase::checked(s.up_after, s.down_after).is_ok())
    })
}

/// Whether this computer needs the sync passphrase before it can sync: it has never
/// synced (it has no sync key yet).
pub fn needs_passphrase(data_dir: &Path) -> bool {
    // The small status file first: the window asks every few seconds.
    !state::load_status(data_dir).configured && !state::has_keys(data_dir)
}

/// Whether `folder` has no computer's sync files yet (a first computer chooses the
/// passphrase; the others give the same one).
pub fn is_first_computer(folder: &Path) -> bool {
    folder::Layout::new(folder)
        .list()
        .map(|files| files.iter().all(|f| f.kind != folder::Kind::Key))
        .unwrap_or(true)
}

/// What the last sync here left: its time and sentence, problems, conflicts, computers.
pub fn status(data_dir: &Path) -> Status {
    state::load_status(data_dir)
}
