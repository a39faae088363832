//! The replica: every change this computer knows of, from every computer (its own
//! included), kept in `<data dir>/sync/state.json`. Changes are only ever added, by
//! their name (device, seg, i), so reading a segment twice, or a sync tool's copy of it
//! under another name, adds nothing. Nothing is ever taken away because a file went
//! missing: an emptied sync folder leaves the replica as it was.
//!
//! Compaction drops a change only when a later segment of the same computer changed
//! everything it changed (a later segment of one computer has always seen at least as
//! much as an earlier one), so what the replica merges to never depends on it. Pure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::format::{Batch, Body, Op};
use super::hlc::Hlc;
use super::ranges::Ranges;

/// A batch as the replica keeps it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub seen: BTreeMap<String, Ranges>,
    /// By index.
    pub ops: BTreeMap<u32, Op>,
}

/// Every change known, and every segment read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Replica {
    /// Device → segment number → its changes still in effect.
    pub batches: BTreeMap<String, BTreeMap<u64, Kept>>,
    /// Device → the segments of it this replica has taken in (held, or compacted away).
    pub known: BTreeMap<String, Ranges>,
}

/// One change with where it came from.
#[derive(Clone, Copy, Debug)]
pub struct Located<'a> {
    pub device: &'a str,
    pub seg: u64,
    pub seen: &'a BTreeMap<String, Ranges>,
    pub op: &'a Op,
}

impl Located<'_> {
    /// Whether the computer that made `later` had read this change when it made it.
    pub fn seen_by(&self, later: &Located<'_>) -> bool {
        later
            .seen
            .get(self.device)
            .is_some_and(|r| r.contains(self.seg))
    }

    /// The order that picks one winner among changes made at the same time: the later
    /// clock, then the device id, then the position (all the same on every computer).
    pub fn rank(&self) -> (Hlc, &str, u64, u32) {
        (self.op.hlc, self.device, self.seg, self.op.i)
    }
}

impl Replica {
    /// Take in one batch of `device`. Returns how many changes were new.
    pub fn add_batch(&mut self, device: &str, batch: &Batch) -> usize {
        let kept = self
            .batches
            .entry(device.to_string())
            .or_default()
            .entry(batch.seg)
            .or_insert_with(|| Kept {
                seen: batch.seen.clone(),
                ops: BTreeMap::new(),
            });
        // The same batch always carries the same `seen`; one that does not is not the
        // same batch, and its changes are not mixed in under another's name.
        if kept.seen != batch.seen {
            return 0;
        }
        let mut added = 0;
        for op in &batch.ops {
            if let std::collections::btree_map::Entry::Vacant(slot) = kept.ops.entry(op.i) {
                slot.insert(op.clone());
                added += 1;
            }
        }
        self.known
            .entry(device.to_string())
            .or_default()
            .insert(batch.seg);
        added
    }

    /// Every change, with where it came from.
    pub fn changes(&self) -> impl Iterator<Item = Located<'_>> {
        self.batches.iter().flat_map(|(device, batches)| {
            batches.iter().flat_map(move |(seg, kept)| {
                kept.ops.values().map(move |op| Located {
                    device,
                    seg: *seg,
                    seen: &kept.seen,
                    op,
                })
            })
        })
    }

    /// The latest clock of any change.
    pub fn latest(&self) -> Hlc {
        self.changes().map(|c| c.op.hlc).max().unwrap_or_default()
    }

    /// The segments taken in, leaving out the batches listed (device, seg).
    pub fn known_without(&self, batches: &[(String, u64)]) -> BTreeMap<String, Ranges> {
        let mut known = self.known.clone();
        for (device, seg) in batches {
            if let Some(ranges) = known.get_mut(device) {
                ranges.remove(*seg);
            }
        }
        known
    }

    /// The replica without the batches listed (device, seg): what it held before they
    /// arrived.
    pub fn without(&self, batches: &[(String, u64)]) -> Replica {
        let mut out = self.clone();
        for (device, seg) in batches {
            if let Some(held) = out.batches.get_mut(device) {
                held.remove(seg);
            }
        }
        out
    }

    /// The batches of `device` still in effect, for its checkpoint.
    pub fn batches_of(&self, device: &str) -> Vec<Batch> {
        self.batches
            .get(device)
            .map(|held| {
                held.iter()
                    .map(|(seg, kept)| Batch {
                        seg: *seg,
                        seen: kept.seen.clone(),
                        ops: kept.ops.values().cloned().collect(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Drop every change that a later segment of the same computer replaced in full,
    /// and batches left empty. Returns how many changes were dropped.
    pub fn compact(&mut self) -> usize {
        let mut dropped = 0;
        for held in self.batches.values_mut() {
            // For each thing a change touches, the last segment of this computer that
            // touched it.
            let mut last: BTreeMap<Target, u64> = BTreeMap::new();
            for (seg, kept) in held.iter() {
                for op in kept.ops.values() {
                    for target in targets(&op.body) {
                        let at = last.entry(target).or_insert(*seg);
                        *at = (*at).max(*seg);
                    }
                }
            }
            for (seg, kept) in held.iter_mut() {
                let before = kept.ops.len();
                kept.ops.retain(|_, op| {
                    targets(&op.body)
                        .into_iter()
                        .any(|t| last.get(&t).is_none_or(|at| at <= seg))
                });
                dropped += before - kept.ops.len();
            }
            held.retain(|_, kept| !kept.ops.is_empty());
        }
        self.batches.retain(|_, held| !held.is_empty());
        dropped
    }
}

/// What a change touches, one by one: each field of a cycle it sets, a cycle's deletion,
/// a day's check-in, a preference (or one name in it).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Field(String, String),
    Deletion(String),
    Checkin(chrono::NaiveDate),
    Pref(String, Option<String>),
}

fn targets(body: &Body) -> Vec<Target> {
    match body {
        Body::Cycle { cycle, set, .. } => set
            .keys()
            .map(|field| Target::Field(cycle.clone(), field.clone()))
            .collect(),
        Body::Delete { cycle } => vec![Target::Deletion(cycle.clone())],
        Body::Checkin { day, .. } => vec![Target::Checkin(*day)],
        Body::Pref { key, item, .. } => vec![Target::Pref(key.clone(), item.clone())],
    }
}
