//! One sync, start to end, in an order that loses nothing if it is cut short anywhere:
//!
//! 1. Find what changed here since the last sync (against what that sync left, and what
//!    a sync cut short had sent without recording it), and write it as a new segment:
//!    written once, fsync'd, renamed into place.
//! 2. Read every segment not read before, from every computer, into the replica.
//! 3. Merge the replica. If the merge differs from the store: keep a snapshot of the
//!    data, save the state (with the mark the store will hold), then make the changes
//!    through the store like any change (journal first, fsync'd), the mark last.
//! 4. Now and then write a checkpoint and remove the segments it replaces.
//!
//! Cut short before the mark reached the store, the next sync knows the store may hold
//! part of the merge, and tells those values from ones typed here by comparing with
//! both what the store held before and what the merge would make.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::Value;

use super::apply;
use super::capture::{capture, capture_join};
use super::folder::{Found, Kind, Layout};
use super::is_local_pref;
use super::merge::{materialize, materialize_in_place, Merged};
use super::publish;
use super::report::{Status, SyncReport};
use super::resolve;
use super::scan::{self, Scan};
use super::state::{self, Pending, State};
use crate::clock::Clock;
use crate::cycle::CycleId;
use crate::error::{Error, Result};
use crate::prefs;
use crate::store::Store;

/// How many of its own segments a computer keeps before it writes a checkpoint.
pub const COMPACT_AFTER: usize = 32;

/// How a sync runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The folder the person's sync tool carries between their computers.
    pub folder: PathBuf,
    /// The sync passphrase: needed the first time on a computer, and to read a
    /// computer that made its own key; otherwise unused.
    pub passphrase: Option<String>,
    pub clock: Clock,
    /// scrypt's work factor for key files (None: a backup's); tests use a low one.
    pub work_factor: Option<u8>,
    /// See [`COMPACT_AFTER`].
    pub compact_after: usize,
    /// Tests only: stop the sync there, as if the process were killed.
    #[doc(hidden)]
    pub stop_at: Option<StopAt>,
}

/// Where a test stops a sync, as if the process were killed there.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopAt {
    /// This computer's segment is written; nothing else is saved.
    Sent,
    /// The merge is worked out and the state saved, but nothing applied to the store.
    Planned,
}

fn stop(options: &Options, here: StopAt) -> Result<()> {
    match options.stop_at {
        Some(at) if at == here => Err(Error::Sync(format!("stopped at {here:?} for a test"))),
        _ => Ok(()),
    }
}

impl Options {
    pub fn new(folder: &Path, passphrase: Option<String>, clock: Clock) -> Options {
        Options {
            folder: folder.to_path_buf(),
            passphrase,
            clock,
            work_factor: None,
            compact_after: COMPACT_AFTER,
            stop_at: None,
        }
    }
}

/// One sync at a time in this process (the window's timer and its "Sync now").
static RUNNING: Mutex<()> = Mutex::new(());

/// What the last sync left in the store, as far as this sync can tell.
enum Reference {
    /// Exactly the merge of the replica.
    Merged,
    /// Perhaps part of the merge: these batches may or may not be in the store yet.
    Partial(Vec<(String, u64)>),
    /// Nothing known: the data was replaced (or this computer never synced).
    Unknown,
}

/// Sync the data in `store` (of `data_dir`) through `options.folder`.
pub fn sync(store: &Store, data_dir: &Path, options: &Options) -> Result<SyncReport> {
    let _one = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    let folder = scan::check_folder(data_dir, &options.folder)?;
    let layout = Layout::new(&folder);
    let now = options.clock.now;
    let host = state::host_name();
    let mut report = SyncReport {
        folder: folder.display().to_string(),
        ..SyncReport::default()
    };
    let mut state = State::for_this_computer(data_dir, &mut report.notes)?;
    let listing = layout.list()?;
    let passphrase = options.passphrase.as_deref();
    if state.keys.is_empty() {
        let Some(passphrase) = passphrase else {
            return Err(Error::SyncPassphrase(scan::passphrase_needed(&listing)));
        };
        scan::set_up_keys(
            &mut state,
            &layout,
            &listing,
            passphrase,
            options.work_factor,
        )?;
    } else if let Some(passphrase) = passphrase {
        if !scan::has_key_file(&layout, &state.device) {
            scan::write_key_file(&state, &layout, passphrase, options.work_factor)?;
        }
    }
    state.devices.entry(state.device.clone()).or_default().name = host.clone();

    let token = store.pref(&prefs::SYNC_APPLIED)?;
    let resolved = state::load_resolved(data_dir);
    if nothing_new(&state, store, &listing, token.as_deref(), &resolved) {
        // The common case, every few minutes: no merge to work out.
        let mut status = state::load_status(data_dir);
        report.message = "Nothing new to send or bring in.".into();
        report.conflicts = status.conflicts.clone();
        status.configured = true;
        status.last_sync = Some(now);
        status.last_message = Some(report.message.clone());
        status.problems.clear();
        status.devices = apply::device_views(&state);
        state::save_status(data_dir, &status)?;
        return Ok(report);
    }
    let reference = reference(&mut state, token.as_deref());
    let contents = store.contents()?;
    let planned_at = store.position();
    let mut here = contents.clone();
    here.prefs.retain(|key, _| !is_local_pref(key));

    // 1. What changed here. First this computer's own segments written by a sync cut
    // short before it saved its state: what they hold was sent, and is not sent again
    // (later, and as if made after whatever was read since).
    let own = scan::read_unrecorded_own(&mut state, &listing);
    let carried = resolve::carried(&resolved, &state.replica, &state.device, &own.added);
    let resolved = if carried.is_empty() {
        resolved
    } else {
        state::forget_resolved(data_dir, &carried)?;
        state::load_resolved(data_dir)
    };
    let mut unseen: &[(String, u64)] = &[];
    let captured = match &reference {
        Reference::Merged => {
            let last = materialize_in_place(&mut state.replica);
            capture(&here, &last.base, &last.base, &resolved, now)
        }
        Reference::Partial(unapplied) => {
            unseen = unapplied;
            let before = materialize(&state.replica.without(unapplied));
            let after = materialize_in_place(&mut state.replica);
            capture(&here, &before.base, &after.base, &resolved, now)
        }
        Reference::Unknown => {
            if state.token.is_some() {
                report.notes.push(
                    "the data here was replaced since the last sync (a restore or a recovery), \
                     so only what is new here was sent, and nothing missing here was taken for \
                     a deletion"
                        .into(),
                );
            }
            capture_join(&here, &materialize_in_place(&mut state.replica), now)
        }
    };
    if !captured.changes.is_empty() {
        let sent = publish::send(&mut state, &layout, &host, &captured, unseen, now)?;
        report.sent_file = Some(sent);
        report.sent = captured.summary;
        stop(options, StopAt::Sent)?;
        // The conflicts chosen here went with it: sending them again at a later sync
        // would stamp them anew, later than edits made meanwhile on other computers.
        state::forget_resolved(data_dir, &resolved)?;
    }

    // 2. What the other computers changed.
    let listing = layout.list()?;
    let mut scan = Scan {
        refused: own.refused,
        ..Scan::default()
    };
    scan::read_segments(&mut state, &listing, &mut scan);
    if !scan.unknown.is_empty() {
        if let Some(passphrase) = passphrase {
            if scan::learn_keys(
                &mut state,
                &layout,
                &listing,
                passphrase,
                options.work_factor,
            )? {
                let retry: Vec<Found> = std::mem::take(&mut scan.unknown);
                scan::read_segments(&mut state, &retry, &mut scan);
            }
        }
        for found in &scan.unknown {
            report.notes.push(format!(
                "{} was made with a sync key this computer does not have yet (two computers \
                 started syncing at the same moment); sync once with the sync passphrase to \
                 read it",
                found.shown
            ));
        }
    }
    report.refused = std::mem::take(&mut scan.refused);
    forget_gone_files(&mut state, &listing);

    // 3. The merge, into the store.
    let target = materialize_in_place(&mut state.replica);
    let (merge, mut received) = apply::plan(&here, &target);
    received.changes = scan.changes;
    received.from = scan.from.iter().map(|id| state.computer_name(id)).collect();
    let mark = !captured.changes.is_empty()
        || !merge.is_empty()
        || !matches!(reference, Reference::Merged);
    if mark {
        if !merge.is_empty() {
            let kept = apply::snapshot(data_dir, &contents, now)?;
            report.snapshot = Some(kept.display().to_string());
        }
        let token = uuid::Uuid::now_v7().simple().to_string();
        let mut unapplied = scan.added.clone();
        if let Reference::Partial(before) = &reference {
            unapplied.extend(before.iter().cloned());
        }
        state.pending = Some(Pending {
            token: token.clone(),
            unapplied,
        });
        state.save(data_dir)?;
        stop(options, StopAt::Planned)?;
        let mut all = merge.clone();
        all.prefs.push((
            prefs::SYNC_APPLIED.key().to_string(),
            Value::String(token.clone()),
        ));
        let at = store.apply_merge(&all, planned_at)?;
        state.token = Some(token);
        state.pending = None;
        state.position = Some((at.epoch, at.seq));
        report.changed_here = !merge.is_empty();
    } else {
        state.position = Some((planned_at.epoch, planned_at.seq));
    }
    report.received = received;

    // 4. Checkpoint: to compact, or to write this computer's changes again where its
    // files went missing or were damaged.
    let own_dir = layout.device_dir(&state.device);
    let missing = state
        .own_files
        .keys()
        .any(|name| !own_dir.join(name).is_file());
    if missing || !scan.damaged_own.is_empty() || publish::own_count(&state) > options.compact_after
    {
        let (name, removed) = publish::checkpoint(&mut state, &layout, &host, now)?;
        if missing || !scan.damaged_own.is_empty() {
            report.notes.push(format!(
                "this computer's files in the sync folder were missing or damaged, so it wrote \
                 all its changes there again ({name}); nothing was deleted"
            ));
        } else {
            report.notes.push(format!(
                "compacted this computer's segments into {name} ({removed} older files removed)"
            ));
        }
    }
    // Kept compacted (the merge above compacted it), so the state grows with what is in
    // effect, not with every edit.
    state.save(data_dir)?;
    report.conflicts = apply::conflict_views(&target, &state);
    report.message = report.describe();
    finish(data_dir, &state, &target, &mut report, now)?;
    Ok(report)
}

/// Record the outcome for the window: the time, the sentence, problems, conflicts and
/// computers.
fn finish(
    data_dir: &Path,
    state: &State,
    merged: &Merged,
    report: &mut SyncReport,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    if report.conflicts.is_empty() {
        report.conflicts = apply::conflict_views(merged, state);
    }
    let status = Status {
        configured: true,
        last_sync: Some(now),
        last_message: Some(report.message.clone()),
        problems: report
            .refused
            .iter()
            .chain(&report.notes)
            .cloned()
            .collect(),
        conflicts: report.conflicts.clone(),
        devices: apply::device_views(state),
    };
    state::save_status(data_dir, &status)
}

/// What the last sync left in the store, from the mark the store holds.
fn reference(state: &mut State, token: Option<&str>) -> Reference {
    let last = state.token.as_deref();
    match (&state.pending, token) {
        (Some(pending), Some(mark)) if pending.token == mark => {
            state.token = Some(pending.token.clone());
            state.pending = None;
            Reference::Merged
        }
        (Some(pending), Some(mark)) if Some(mark) == last => {
            Reference::Partial(pending.unapplied.clone())
        }
        (None, Some(mark)) if Some(mark) == last => Reference::Merged,
        _ => Reference::Unknown,
    }
}

/// Forget files no longer in the folder (compacted away, or removed): if one comes back,
/// reading it again adds nothing, since changes are known by name.
fn forget_gone_files(state: &mut State, listing: &[Found]) {
    let shown: std::collections::BTreeSet<&str> =
        listing.iter().map(|f| f.shown.as_str()).collect();
    state.read.retain(|path, _| shown.contains(path.as_str()));
    let live: std::collections::BTreeSet<String> = state
        .read
        .values()
        .map(|r| r.hash.clone())
        .chain(state.own_files.values().cloned())
        .collect();
    state.taken.retain(|hash| live.contains(hash));
}

/// Whether nothing can have changed since the last sync: nothing saved here, nothing new
/// in the folder, nothing resolved, no sync half done.
fn nothing_new(
    state: &State,
    store: &Store,
    listing: &[Found],
    token: Option<&str>,
    resolved: &[(CycleId, String)],
) -> bool {
    let at = store.position();
    let unchanged_here = state.position == Some((at.epoch, at.seq))
        && state.pending.is_none()
        && token.is_some()
        && token == state.token.as_deref()
        && resolved.is_empty();
    let own_dir_ok = state.own_files.len()
        == listing
            .iter()
            .filter(|f| f.folder == state.device && super::folder::exact_seq(&f.name).is_some())
            .count();
    let folder_unchanged = listing.iter().filter(|f| f.kind == Kind::Segment).all(|f| {
        let modified = f
            .modified
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos());
        state.read.get(&f.shown).is_some_and(|seen| {
            seen.len == f.len
                && seen.modified == modified
                && (state.taken.contains(&seen.hash)
                    || state.own_files.values().any(|h| *h == seen.hash))
        })
    });
    unchanged_here && own_dir_ok && folder_unchanged
}
