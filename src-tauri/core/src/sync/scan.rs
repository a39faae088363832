//! Reading the sync folder: the sync key (opened with the passphrase the first time),
//! and every segment not read before, from every computer. A file that cannot be read
//! (cut short, a flipped byte, from a newer Rebound) is refused with a sentence that
//! says so, and the rest is read as usual. A segment read twice, or under a sync tool's
//! name for a copy, adds nothing: files are known by the SHA-256 of their bytes and
//! changes by their name.

use std::collections::BTreeSet;
use std::path::Path;

use super::folder::{self, exact_seq, Found, Kind, Layout, KEY_FILE};
use super::format;
use super::keys::{self, Unreadable};
use super::state::{hash, Device, Read, State};
use crate::backup;
use crate::error::{Error, Result};
use crate::files::write_atomic;

/// What reading the folder found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Batches newly taken in (device, seg).
    pub added: Vec<(String, u64)>,
    /// Changes newly taken in.
    pub changes: usize,
    /// The computers they came from, by device id.
    pub from: BTreeSet<String>,
    /// Files refused, one sentence each.
    pub refused: Vec<String>,
    /// Segments encrypted to a key this computer does not have.
    pub unknown: Vec<Found>,
    /// This computer's own segments that are no longer as it wrote them.
    pub damaged_own: Vec<String>,
}

/// The sync keys in every key file of the folder that `passphrase` opens, and how many
/// key files it did not open.
fn keys_in(listing: &[Found], passphrase: &str) -> (Vec<String>, usize) {
    let mut keys: Vec<String> = Vec::new();
    let mut wrong = 0;
    for found in listing.iter().filter(|f| f.kind == Kind::Key) {
        let Ok(bytes) = folder::read(&found.path) else {
            continue;
        };
        match keys::read_key_file(&bytes, passphrase) {
            Ok(more) => {
                for key in more {
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
            Err(Error::WrongPassphrase) => wrong += 1,
            Err(_) => {}
        }
    }
    (keys, wrong)
}

/// Give `state` the sync key the first time: from the folder's key files, opened with
/// `passphrase`, or a new one when the folder has none. Writes this computer's key file.
pub fn set_up_keys(
    state: &mut State,
    layout: &Layout,
    listing: &[Found],
    passphrase: &str,
    work_factor: Option<u8>,
) -> Result<()> {
    let (keys, wrong) = keys_in(listing, passphrase);
    if keys.is_empty() {
        if wrong > 0 {
            return Err(Error::SyncPassphrase(format!(
                "that passphrase does not open the sync files already in {}; use the sync \
                 passphrase you chose on your other computer (nothing was changed)",
                layout.folder.display()
            )));
        }
        backup::check_new_passphrase(passphrase)
            .map_err(|e| Error::SyncPassphrase(e.to_string()))?;
        state.keys = vec![keys::new_identity()];
    } else {
        state.keys = keys;
    }
    write_key_file(state, layout, passphrase, work_factor)
}

/// Learn keys this computer lacks from the folder's key files (the passphrase was
/// given again). Returns whether any was new; the key file is rewritten with all.
pub fn learn_keys(
    state: &mut State,
    layout: &Layout,
    listing: &[Found],
    passphrase: &str,
    work_factor: Option<u8>,
) -> Result<bool> {
    let (keys, _) = keys_in(listing, passphrase);
    let before = state.keys.len();
    for key in keys {
        if !state.keys.contains(&key) {
            state.keys.push(key);
        }
    }
    if state.keys.len() == before {
        return Ok(false);
    }
    write_key_file(state, layout, passphrase, work_factor)?;
    Ok(true)
}

/// Write this computer's key file (its own, so replacing it is allowed).
pub fn write_key_file(
    state: &State,
    layout: &Layout,
    passphrase: &str,
    work_factor: Option<u8>,
) -> Result<()> {
    let dir = layout.device_dir(&state.device);
    folder::make_dir(&dir)?;
    write_atomic(
        &dir.join(KEY_FILE),
        &keys::key_file(&state.keys, passphrase, work_factor)?,
    )
}

/// Whether this computer's key file is in the folder.
pub fn has_key_file(layout: &Layout, device: &str) -> bool {
    layout.device_dir(device).join(KEY_FILE).is_file()
}

/// Read every segment in `files` not read before into the replica.
pub fn read_segments(state: &mut State, files: &[Found], scan: &mut Scan) {
    for found in files.iter().filter(|f| f.kind == Kind::Segment) {
        let modified = found
            .modified
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos());
        let mine = found.folder == state.device && exact_seq(&found.name).is_some();
        // Unchanged since it was read, and taken in (or written here): nothing to do.
        if let Some(seen) = state.read.get(&found.shown) {
            let same = seen.len == found.len && seen.modified == modified;
            if same
                && (state.taken.contains(&seen.hash)
                    || (mine && state.own_files.get(&found.name) == Some(&seen.hash)))
            {
                continue;
            }
        }
        let bytes = match folder::read(&found.path) {
            Ok(bytes) => bytes,
            Err(e) => {
                scan.refused.push(format!(
                    "{} could not be read ({e}); it was skipped",
                    found.shown
                ));
                continue;
            }
        };
        let digest = hash(&bytes);
        state.read.insert(
            found.shown.clone(),
            Read {
                len: found.len,
                modified,
                hash: digest.clone(),
            },
        );
        if mine {
            match state.own_files.get(&found.name) {
                Some(wrote) if *wrote == digest => continue,
                Some(_) => {
                    scan.damaged_own.push(found.name.clone());
                    continue;
                }
                None => {}
            }
        }
        if state.taken.contains(&digest) {
            continue;
        }
        let refuse = |why: &str| {
            format!(
                "{} was refused: {why}. The rest was synced; syncing {} again writes its \
                 changes anew",
                found.shown,
                state.computer_name(&found.folder)
            )
        };
        let plain = match keys::open(&bytes, &state.keys) {
            Ok(plain) => plain,
            Err(Unreadable::UnknownKey) => {
                scan.unknown.push(found.clone());
                continue;
            }
            Err(Unreadable::Damaged(why)) => {
                scan.refused.push(refuse(&why));
                continue;
            }
        };
        let segment = match format::parse(&plain) {
            Ok(segment) => segment,
            Err(why) => {
                scan.refused.push(refuse(&why));
                continue;
            }
        };
        let mut added = 0;
        for batch in &segment.batches {
            let n = state.replica.add_batch(&segment.device, batch);
            if n > 0 {
                scan.added.push((segment.device.clone(), batch.seg));
                added += n;
            }
            if let Some(latest) = batch.ops.iter().map(|op| op.hlc).max() {
                state.hlc = state.hlc.observe(latest);
            }
        }
        let (first, last) = segment.covers;
        state
            .replica
            .known
            .entry(segment.device.clone())
            .or_default()
            .insert_range(first, last);
        if segment.device == state.device {
            // Written here before this computer's state was last saved (a crash, or a
            // data folder put back from a copy): number on after it, and count it as
            // written here (a checkpoint replaces it like the others).
            state.last_seq = state.last_seq.max(segment.seq);
            if mine {
                state.own_files.insert(found.name.clone(), digest.clone());
            }
        }
        state.taken.insert(digest);
        let device = state
            .devices
            .entry(segment.device.clone())
            .or_insert(Device {
                name: segment.name.clone(),
                last_change: None,
            });
        device.name = segment.name.clone();
        device.last_change = Some(
            device
                .last_change
                .map_or(segment.made_at, |t| t.max(segment.made_at)),
        );
        if added > 0 {
            scan.changes += added;
            scan.from.insert(segment.device.clone());
        }
    }
}

/// Take in this computer's own segments in `listing` that its state does not record:
/// written by a sync cut short before it saved the state.
pub fn read_unrecorded_own(state: &mut State, listing: &[Found]) -> Scan {
    let unrecorded: Vec<Found> = listing
        .iter()
        .filter(|f| {
            f.kind == Kind::Segment
                && f.folder == state.device
                && exact_seq(&f.name).is_some()
                && !state.own_files.contains_key(&f.name)
        })
        .cloned()
        .collect();
    let mut scan = Scan::default();
    read_segments(state, &unrecorded, &mut scan);
    scan
}

/// What to say when the first sync here has no passphrase.
pub fn passphrase_needed(listing: &[Found]) -> String {
    if listing.iter().any(|f| f.kind == Kind::Key) {
        "this computer has not synced before: give the sync passphrase you chose on your other \
         computer (nothing was changed)"
            .into()
    } else {
        "the first sync needs a sync passphrase: choose one (at least 8 characters) and use it \
         on every computer (nothing was changed)"
            .into()
    }
}

/// Refuse a sync folder that cannot work: one that is not there (an unplugged drive),
/// or one inside the data folder or holding it (a sync tool copying the live database
/// while it is written damages it).
pub fn check_folder(data_dir: &Path, folder: &Path) -> Result<std::path::PathBuf> {
    if !folder.is_dir() {
        return Err(Error::Sync(format!(
            "the sync folder {} is not there; connect its drive, or choose the folder again \
             (nothing was changed)",
            folder.display()
        )));
    }
    let folder = folder
        .canonicalize()
        .map_err(|e| Error::io(format!("could not open {}", folder.display()), e))?;
    let data = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_path_buf());
    if folder.starts_with(&data) || data.starts_with(&folder) {
        return Err(Error::Sync(format!(
            "the sync folder {} and Rebound's data folder {} are one inside the other; a sync \
             tool must never copy the live database. Choose a sync folder outside it (nothing \
             was changed)",
            folder.display(),
            data.display()
        )));
    }
    Ok(folder)
}
