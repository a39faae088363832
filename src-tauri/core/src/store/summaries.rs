//! Cycle summaries: one `CycleSummary` per cycle (its facts without the text, about 40
//! bytes as stored). Today, its evidence chart, the weekly review's plan, the lists and
//! the areas read these instead of decoding every whole cycle, which keeps opening the
//! window fast and small however many cycles there are.
//!
//! They are derived data, kept in the summaries' pack (pack.rs), a file beside the
//! database made at a journal position: believed only at the position sled has applied,
//! brought forward by the cycles changed since when those are known, and otherwise worked
//! out afresh from the cycles. sled holds no summary (schema 3): an entry per cycle in
//! sled costs memory for as long as the database is open (its page table), however
//! rarely it is read.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::engine::Handles;

use super::pack::{self, PackWriter, Tracker};
use super::{codec, keys, storage, Store};
use crate::cycle::{Cycle, CycleId, CycleSummary, Outcome, TestResult};
use crate::error::Result;

/// The layout of a summary value; a value in any other layout is rebuilt.
const LAYOUT: u8 = 1;

const OBSERVATION: u8 = 1;
const IN_MY_CONTROL: u8 = 1 << 1;
const EXTERNAL: u8 = 1 << 2;
const ADJUSTMENT: u8 = 1 << 3;
const TESTS_CYCLE: u8 = 1 << 4;
const RESULT: u8 = 1 << 5;

/// Bytes before the optional tested id and the area.
const FIXED: usize = 21;

fn outcome_code(o: Outcome) -> u8 {
    match o {
        Outcome::Success => 0,
        Outcome::Partial => 1,
        Outcome::Failure => 2,
        Outcome::Pending => 3,
    }
}

fn result_code(r: TestResult) -> u8 {
    match r {
        TestResult::Better => 0,
        TestResult::Same => 1,
        TestResult::Worse => 2,
        TestResult::Unclear => 3,
    }
}

/// The summary of `cycle`, as stored.
pub(super) fn encode(cycle: &Cycle) -> Vec<u8> {
    let f = &cycle.fields;
    let mut out = Vec::with_capacity(FIXED + 16 + f.area.len());
    out.push(LAYOUT);
    out.extend_from_slice(&cycle.created_at.timestamp().to_be_bytes());
    out.extend_from_slice(&cycle.created_at.timestamp_subsec_nanos().to_be_bytes());
    out.extend_from_slice(&f.attempted_on.num_days_from_ce().to_be_bytes());
    out.push(outcome_code(f.outcome));
    out.push(f.effort);
    let mut flags = 0;
    for (set, bit) in [
        (f.observation.is_some(), OBSERVATION),
        (f.in_my_control.is_some(), IN_MY_CONTROL),
        (f.external.is_some(), EXTERNAL),
        (f.adjustment.is_some(), ADJUSTMENT),
        (f.tests_cycle.is_some(), TESTS_CYCLE),
        (f.result.is_some(), RESULT),
    ] {
        if set {
            flags |= bit;
        }
    }
    out.push(flags);
    out.push(f.result.map_or(0, result_code));
    if let Some(tested) = f.tests_cycle {
        out.extend_from_slice(&tested.to_bytes());
    }
    out.extend_from_slice(f.area.as_bytes());
    out
}

/// The area names met while reading many summaries, so each is held once.
#[derive(Default)]
pub(super) struct Areas(HashMap<Box<[u8]>, Arc<str>>);

impl Areas {
    fn name(&mut self, bytes: &[u8]) -> Option<Arc<str>> {
        if let Some(name) = self.0.get(bytes) {
            return Some(Arc::clone(name));
        }
        let name: Arc<str> = Arc::from(std::str::from_utf8(bytes).ok()?);
        self.0.insert(bytes.into(), Arc::clone(&name));
        Some(name)
    }
}

/// Read a stored summary back; None when it is not one this Rebound wrote.
#[cfg(test)]
pub(super) fn decode(key: &[u8], value: &[u8]) -> Option<CycleSummary> {
    decode_among(key, value, &mut Areas::default())
}

/// `decode`, sharing area names with the summaries read before it.
pub(super) fn decode_among(key: &[u8], value: &[u8], areas: &mut Areas) -> Option<CycleSummary> {
    let id = keys::decode_cycle_key(key)?;
    if value.len() < FIXED || value[0] != LAYOUT {
        return None;
    }
    let secs = i64::from_be_bytes(value[1..9].try_into().ok()?);
    let nanos = u32::from_be_bytes(value[9..13].try_into().ok()?);
    let created_at = DateTime::<Utc>::from_timestamp(secs, nanos)?;
    let days = i32::from_be_bytes(value[13..17].try_into().ok()?);
    let attempted_on = NaiveDate::from_num_days_from_ce_opt(days)?;
    let outcome = *Outcome::ALL.get(usize::from(value[17]))?;
    let effort = value[18];
    let flags = value[19];
    let result = if flags & RESULT != 0 {
        Some(*TestResult::ALL.get(usize::from(value[20]))?)
    } else {
        None
    };
    let mut rest = &value[FIXED..];
    let tests_cycle = if flags & TESTS_CYCLE != 0 {
        let (tested, after) = rest.split_at_checked(16)?;
        rest = after;
        Some(CycleId::from_bytes(tested.try_into().ok()?))
    } else {
        None
    };
    let area = areas.name(rest)?;
    Some(CycleSummary {
        id,
        created_at,
        attempted_on,
        area,
        outcome,
        effort,
        observation: flags & OBSERVATION != 0,
        in_my_control: flags & IN_MY_CONTROL != 0,
        external: flags & EXTERNAL != 0,
        adjustment: flags & ADJUSTMENT != 0,
        tests_cycle,
        result,
    })
}

/// The marker a pack current for `t` was made at: the journal position `t` has applied
/// (None before the journal, when no pack is believed).
pub(super) fn current_marker(t: &Handles) -> Option<Vec<u8>> {
    let applied = t.meta.get(super::recorded::POSITION_KEY).ok()??;
    Some(applied.to_vec()).filter(|m| !m.is_empty())
}

/// The summary of the cycle stored at `key`, as the pack holds it: Some(None) when no
/// cycle is stored there, None when it cannot be read.
fn summary_at(t: &Handles, key: &[u8]) -> Option<Option<Vec<u8>>> {
    match t.cycles.get(key).ok()? {
        None => Some(None),
        Some(bytes) => Some(Some(encode(&codec::decode(&bytes).ok()?))),
    }
}

/// Every cycle's summary worked out afresh from the cycles of `t`, packed at `marker`,
/// and (when `keep`) read back. Err when a cycle cannot be read.
fn afresh(t: &Handles, marker: &[u8], keep: bool) -> Result<(PackWriter, Vec<CycleSummary>)> {
    let too_big = || crate::error::Error::Storage("the summaries cannot be packed".into());
    let mut packing = PackWriter::new(marker, 0).ok_or_else(too_big)?;
    let mut out = Vec::new();
    let mut areas = Areas::default();
    for entry in t.cycles.iter() {
        let (key, value) = entry.map_err(storage)?;
        let cycle = codec::decode(&value)?;
        let summary = encode(&cycle);
        if !packing.push(&key, &summary) {
            return Err(too_big());
        }
        if keep {
            out.extend(decode_among(&key, &summary, &mut areas));
        }
    }
    Ok((packing, out))
}

/// Note whether the pack in `dir` is current for the database just opened.
pub(super) fn note_pack(t: &Handles, dir: &Path, tracker: &mut Tracker) {
    if let Some(marker) = current_marker(t) {
        if pack::marker_of(dir).as_deref() == Some(marker.as_slice()) {
            tracker.current(&marker);
        }
    }
}

/// Bring the pack in `dir` up to date with `t` when `tracker` knows every cycle changed
/// since it was current; true when the pack is current now.
pub(super) fn refresh_pack(t: &Handles, dir: &Path, tracker: &Tracker) -> bool {
    let (Some((base, touched)), Some(marker)) = (tracker.changes(), current_marker(t)) else {
        return false;
    };
    if base == marker.as_slice() {
        return true;
    }
    match pack::refreshed(dir, base, touched, &marker, |key| summary_at(t, key)) {
        Some(packing) => packing.write(dir).is_ok(),
        None => false,
    }
}

/// At close: bring the pack up to date with what changed (a preference or a check-in
/// moves the marker too), or, when that cannot be done and cycles changed (no current
/// pack at open, or a bulk change), pack every summary afresh.
pub(super) fn pack_at_close(t: &Handles, dir: &Path, tracker: &Tracker) {
    if refresh_pack(t, dir, tracker) || !tracker.changed() {
        return;
    }
    let Some(marker) = current_marker(t) else {
        return;
    };
    // A cycle that cannot be read leaves no pack: the next read meets the damage.
    if let Ok((packing, _)) = afresh(t, &marker, false) {
        if let Err(e) = packing.write(dir) {
            eprintln!("rebound: the summaries could not be packed for a faster start: {e}");
        }
    }
}

impl Store {
    /// The facts of every cycle, in id (creation) order: what Today, its evidence chart,
    /// the lists and the areas need, without decoding a single whole cycle. They come
    /// from the summaries' pack when it is current, else are worked out from the cycles
    /// (those changed since the pack was current, or all of them) and packed again.
    pub fn summaries(&self) -> Result<Vec<CycleSummary>> {
        // Held while reading: no change can be half made in sled meanwhile, so what is
        // read, and packed, is exactly the state at the marker.
        let journal = self.journal();
        let t = self.t();
        let Some(marker) = current_marker(t) else {
            drop(journal);
            return self.summaries_from_cycles();
        };
        if let Some(packed) = pack::read(self.dir(), &marker) {
            self.engine.pack().current(&marker);
            return Ok(packed);
        }
        // Few cycles changed since the pack was current: change just those in it.
        if refresh_pack(t, self.dir(), &self.engine.pack()) {
            if let Some(packed) = pack::read(self.dir(), &marker) {
                self.engine.pack().current(&marker);
                return Ok(packed);
            }
        }
        let (packing, out) = afresh(t, &marker, true)?;
        match packing.write(self.dir()) {
            Ok(()) => self.engine.pack().current(&marker),
            Err(e) => {
                eprintln!("rebound: the summaries could not be packed for a faster start: {e}")
            }
        }
        Ok(out)
    }

    /// The summaries worked out from the whole cycles (what the pack must always hold).
    pub fn summaries_from_cycles(&self) -> Result<Vec<CycleSummary>> {
        Ok(self.all_by_id()?.iter().map(CycleSummary::from).collect())
    }

    /// The cycles whose ids are given, in that order (ids not stored are left out).
    pub fn get_many(&self, ids: &[CycleId]) -> Result<Vec<Cycle>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(cycle) = self.get(*id)? {
                out.push(cycle);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{Applied, CycleFields};
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn outcome() -> impl Strategy<Value = Outcome> {
        prop::sample::select(Outcome::ALL.to_vec())
    }

    fn result() -> impl Strategy<Value = Option<TestResult>> {
        prop::option::of(prop::sample::select(TestResult::ALL.to_vec()))
    }

    proptest! {
        #[test]
        fn a_summary_reads_back_as_the_cycle_summarised(
            area in "[^\\x00-\\x1f]{1,40}",
            days in 693_596i32..800_000,
            secs in 0i64..4_000_000_000,
            nanos in 0u32..1_000_000_000,
            outcome in outcome(),
            effort in 1u8..=5,
            texts in prop::array::uniform4(any::<bool>()),
            tested in prop::option::of(any::<u128>()),
            result in result(),
        ) {
            let on = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            let mut fields = CycleFields::sample(&area, on, outcome);
            fields.effort = effort;
            let text = |set: bool| set.then(|| "x".to_string());
            fields.observation = text(texts[0]);
            fields.in_my_control = text(texts[1]);
            fields.external = text(texts[2]);
            fields.adjustment = text(texts[3]);
            fields.tests_cycle = tested.map(|n| CycleId::from_bytes(n.to_be_bytes()));
            fields.applied = tested.map(|_| Applied::Yes);
            fields.result = result;
            let cycle = Cycle::new(fields, Utc.timestamp_opt(secs, nanos).unwrap());
            let back = decode(&keys::cycle_key(cycle.id), &encode(&cycle));
            prop_assert_eq!(back, Some(CycleSummary::from(&cycle)));
        }
    }

    fn sample(area: &str, day: u32, outcome: Outcome) -> CycleFields {
        CycleFields::sample(
            area,
            NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            outcome,
        )
    }

    /// Open the store in `dir`, make `change` after the summaries were packed, and close
    /// it; then put the older pack back, as a crash before the close leaves it.
    fn change_after_packing(dir: &Path, change: impl FnOnce(&Store)) {
        let older = dir.join("older.pack");
        {
            let store = Store::open(dir).unwrap();
            store
                .create(sample("a", 1, Outcome::Failure), Utc::now())
                .unwrap();
            assert_eq!(store.summaries().unwrap().len(), 1);
            std::fs::copy(dir.join(super::pack::FILE), &older).unwrap();
            change(&store);
        }
        std::fs::rename(&older, dir.join(super::pack::FILE)).unwrap();
    }

    #[test]
    fn a_pack_from_before_a_crash_is_not_believed() {
        let dir = tempfile::tempdir().unwrap();
        change_after_packing(dir.path(), |store| {
            store
                .create(sample("b", 2, Outcome::Pending), Utc::now())
                .unwrap();
        });
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.summaries().unwrap(),
            store.summaries_from_cycles().unwrap()
        );
        assert_eq!(store.summaries().unwrap().len(), 2);
    }

    /// Log 1,201 cycles in one batch (more than one chunk of the spool, in several
    /// areas, one of them spelled "B", and outcomes); how many were committed.
    fn log_a_batch(store: &Store) -> usize {
        let mut batch = store.begin_batch(Utc::now());
        for i in 0..1_201u32 {
            let outcome = [Outcome::Success, Outcome::Partial, Outcome::Failure][i as usize % 3];
            batch
                .add(sample(["a", "B", "c"][i as usize % 3], 1 + i % 28, outcome))
                .unwrap();
        }
        batch.commit().unwrap().len()
    }

    #[test]
    fn a_streamed_batch_keeps_the_summaries_level_with_its_cycles() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .create(sample("a", 1, Outcome::Failure), Utc::now())
            .unwrap();
        assert_eq!(log_a_batch(&store), 1_201);
        assert_eq!(store.summaries().unwrap().len(), 1_202);
        assert_eq!(
            store.summaries().unwrap(),
            store.summaries_from_cycles().unwrap()
        );
        assert_eq!(store.canonical_area("b").unwrap(), "B");
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.summaries().unwrap(),
            store.summaries_from_cycles().unwrap()
        );
    }

    #[test]
    fn a_batch_into_an_empty_database_leaves_its_pack_current() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(log_a_batch(&store), 1_201);
        // Packed from the batch as it was committed: current at once, and whole.
        let marker = current_marker(store.t()).unwrap();
        let truth = store.summaries_from_cycles().unwrap();
        assert_eq!(pack::read(dir.path(), &marker).as_ref(), Some(&truth));
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.summaries().unwrap(), truth);
    }

    #[test]
    fn a_database_of_schema_2_loses_its_index_trees_and_keeps_every_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let cycles: Vec<Cycle> = {
            let store = Store::open(dir.path()).unwrap();
            let made = ["Work", "work", "Home"].map(|area| {
                store
                    .create(sample(area, 3, Outcome::Failure), Utc::now())
                    .unwrap()
            });
            // As schema 2 kept it: no `areas` tree, an entry per cycle in three more.
            let t = store.t();
            t.areas.clear().unwrap();
            for name in ["by_date", "by_area", "summaries"] {
                let tree = t.db.open_tree(name).unwrap();
                for c in &made {
                    tree.insert(keys::cycle_key(c.id), b"".as_slice()).unwrap();
                }
            }
            t.meta.insert(b"summaries_at", b"x".as_slice()).unwrap();
            super::super::schema::write(&t.meta, 2).unwrap();
            store.flush().unwrap();
            made.to_vec()
        };
        let store = Store::open(dir.path()).unwrap();
        let t = store.t();
        let names: Vec<Vec<u8>> = t.db.tree_names().into_iter().map(|n| n.to_vec()).collect();
        for gone in ["by_date", "by_area", "summaries"] {
            assert!(
                !names.contains(&gone.as_bytes().to_vec()),
                "{gone} is still there"
            );
        }
        assert_eq!(t.meta.get(b"summaries_at").unwrap(), None);
        // "Work" was logged before "work": the first spelling stays the area's.
        assert_eq!(store.canonical_area("WORK").unwrap(), "Work");
        assert_eq!(store.canonical_area("home").unwrap(), "Home");
        assert_eq!(
            store
                .get_many(&cycles.iter().map(|c| c.id).collect::<Vec<_>>())
                .unwrap(),
            cycles
        );
        assert_eq!(
            store.summaries().unwrap(),
            store.summaries_from_cycles().unwrap()
        );
    }

    #[test]
    fn a_damaged_cycle_is_met_when_the_summaries_are_worked_out_afresh() {
        let dir = tempfile::tempdir().unwrap();
        change_after_packing(dir.path(), |store| {
            let b = store
                .create(sample("b", 2, Outcome::Pending), Utc::now())
                .unwrap();
            store
                .t()
                .cycles
                .insert(keys::cycle_key(b.id), b"\x01{not json".as_slice())
                .unwrap();
        });
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.summaries().unwrap_err().kind(), "corrupt");
    }

    #[test]
    fn a_value_from_another_layout_is_not_read() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let cycle = Cycle::new(CycleFields::sample("a", on, Outcome::Success), Utc::now());
        let mut value = encode(&cycle);
        value[0] = LAYOUT + 1;
        assert_eq!(decode(&keys::cycle_key(cycle.id), &value), None);
        assert_eq!(decode(&keys::cycle_key(cycle.id), &value[..10]), None);
    }
}
