//! Writing this computer's segments: the changes found in a sync, and now and then a
//! checkpoint (compaction) that holds every change of this computer still in effect and
//! covers all its earlier segments, after which those earlier files (exact names it
//! wrote, never a sync tool's copies) are removed. A checkpoint is also how a computer
//! writes its changes again when its files went missing from the folder or were
//! damaged there: an emptied folder is filled again, never taken for "delete all".

use chrono::{DateTime, Utc};

use super::capture::Captured;
use super::folder::{self, exact_seq, segment_name, Layout};
use super::format::{Batch, Op, Segment, SEGMENT_FORMAT, SEGMENT_VERSION};
use super::keys;
use super::state::{hash, State};
use crate::error::{Error, Result};
use crate::files::sync_folder;

/// Seal and write `segment` in this computer's folder, once; record it.
fn write(state: &mut State, layout: &Layout, segment: &Segment) -> Result<String> {
    let plain = serde_json::to_vec(segment)
        .map_err(|e| Error::Storage(format!("could not encode a sync segment: {e}")))?;
    let sealed = keys::seal(&plain, &state.keys)?;
    let dir = layout.device_dir(&state.device);
    folder::make_dir(&dir)?;
    let name = segment_name(segment.seq);
    if !folder::write_once(&dir, &name, &sealed)? {
        return Err(Error::Sync(format!(
            "{name} is already in this computer's folder of the sync folder; nothing was \
             written over it, sync again"
        )));
    }
    let digest = hash(&sealed);
    state.own_files.insert(name.clone(), digest.clone());
    state.taken.insert(digest);
    state.last_seq = segment.seq;
    Ok(name)
}

fn segment(
    state: &State,
    name: &str,
    seq: u64,
    covers: (u64, u64),
    now: DateTime<Utc>,
    batches: Vec<Batch>,
) -> Segment {
    Segment {
        format: SEGMENT_FORMAT.into(),
        version: SEGMENT_VERSION,
        device: state.device.clone(),
        name: name.to_string(),
        seq,
        covers,
        made_at: now,
        batches,
    }
}

/// The next free number for this computer's segments: after its own count and after
/// any of its exact-named files already in the folder.
pub fn next_seq(state: &State, layout: &Layout) -> u64 {
    let on_disk = std::fs::read_dir(layout.device_dir(&state.device))
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| exact_seq(&e.file_name().to_string_lossy()))
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0);
    state.last_seq.max(on_disk) + 1
}

/// Write the changes captured here as this computer's next segment; returns its name.
///
/// The segment says which segments its changes were made after reading (`seen`: a
/// change there replaces those it read), leaving out `unseen`: segments this computer
/// has read but whose changes may never have reached its store (a sync cut short before
/// it applied them). A change typed meanwhile was made without seeing them, and must
/// not be taken as replacing them.
pub fn send(
    state: &mut State,
    layout: &Layout,
    host: &str,
    captured: &Captured,
    unseen: &[(String, u64)],
    now: DateTime<Utc>,
) -> Result<String> {
    let seq = next_seq(state, layout);
    let mut clock = state.hlc.observe(state.replica.latest());
    let mut ops = Vec::with_capacity(captured.changes.len());
    for (i, (hint, body)) in captured.changes.iter().enumerate() {
        clock = clock.tick(*hint);
        ops.push(Op {
            i: u32::try_from(i).unwrap_or(u32::MAX),
            hlc: clock,
            body: body.clone(),
        });
    }
    state.hlc = clock;
    let batch = Batch {
        seg: seq,
        seen: state.replica.known_without(unseen),
        ops,
    };
    state.replica.add_batch(&state.device.clone(), &batch);
    let device = state.devices.entry(state.device.clone()).or_default();
    device.last_change = Some(now);
    write_batch(state, layout, host, batch, now)
}

/// Write `batch` (its `seg` already set from `next_seq`) as a segment of its own.
pub fn write_batch(
    state: &mut State,
    layout: &Layout,
    name: &str,
    batch: Batch,
    now: DateTime<Utc>,
) -> Result<String> {
    let seq = batch.seg;
    let segment = segment(state, name, seq, (seq, seq), now, vec![batch]);
    write(state, layout, &segment)
}

/// Write a checkpoint: every change of this computer still in effect, covering all its
/// segments so far; then remove the files it replaces. Returns its name and how many
/// files were removed.
pub fn checkpoint(
    state: &mut State,
    layout: &Layout,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(String, usize)> {
    state.replica.compact();
    let seq = next_seq(state, layout);
    let batches = state.replica.batches_of(&state.device);
    let segment = segment(state, name, seq, (1, seq), now, batches);
    let written = write(state, layout, &segment)?;
    state
        .replica
        .known
        .entry(state.device.clone())
        .or_default()
        .insert_range(1, seq);
    // The checkpoint is durable (file and folder fsync'd); only now do the files it
    // replaces go, and only the exact names this computer wrote.
    let dir = layout.device_dir(&state.device);
    let replaced: Vec<String> = state
        .own_files
        .keys()
        .filter(|n| exact_seq(n).is_some_and(|s| s < seq))
        .cloned()
        .collect();
    let mut removed = 0;
    for old in &replaced {
        match std::fs::remove_file(dir.join(old)) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => continue,
        }
        state.own_files.remove(old);
    }
    let _ = sync_folder(&dir);
    Ok((written, removed))
}

/// How many of this computer's own segment files are in the folder.
pub fn own_count(state: &State) -> usize {
    state.own_files.len()
}
