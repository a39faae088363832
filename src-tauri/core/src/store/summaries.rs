//! The `summaries` tree: one `CycleSummary` per cycle (id → its facts without the text,
//! about 40 bytes), written in the same sled transaction as the cycle itself, so the two
//! never disagree. Today, its evidence chart and the weekly review's plan read these
//! instead of decoding every whole cycle, which keeps opening the window fast and small
//! however many cycles there are.
//!
//! The tree is derived data: it can always be rebuilt from the `cycles` tree. The `meta`
//! key `summaries_at` says which journal position it is level with; it moves with
//! `journal_position` in one batch (see `recorded::set_applied`). A database whose
//! marker is missing or differs (made before this tree existed, or written by an older
//! Rebound that does not know it) has its summaries rebuilt when it opens.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::engine::Handles;

use super::pack::{self, PackWriter, Tracker};
use super::{codec, keys, storage, Store};
use crate::cycle::{Cycle, CycleId, CycleSummary, Outcome, TestResult};
use crate::error::Result;

/// The `meta` key of the journal position the summaries are level with.
pub(super) const MARKER_KEY: &[u8] = b"summaries_at";

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

/// The marker value for the journal position `applied` (empty before the journal).
pub(super) fn marker_for(applied: Option<&[u8]>) -> Vec<u8> {
    applied.map(<[u8]>::to_vec).unwrap_or_default()
}

/// Whether the summaries of `t` are level with its cycles.
pub(super) fn level(t: &Handles) -> Result<bool> {
    let marker = t.meta.get(MARKER_KEY).map_err(storage)?;
    let applied = t.meta.get(super::recorded::POSITION_KEY).map_err(storage)?;
    Ok(marker.is_some_and(|m| m.as_ref() == marker_for(applied.as_deref()).as_slice()))
}

/// Rebuild the summaries of `t` from its cycles and mark them level.
pub(super) fn rebuild(t: &Handles) -> Result<()> {
    t.summaries.clear().map_err(storage)?;
    let mut batch = sled::Batch::default();
    let mut pending = 0usize;
    for value in t.cycles.iter().values() {
        let cycle = codec::decode(&value.map_err(storage)?)?;
        batch.insert(&keys::cycle_key(cycle.id), encode(&cycle));
        pending += 1;
        // A batch at a time, so rebuilding 100,000 cycles never holds them all.
        if pending == 10_000 {
            t.summaries
                .apply_batch(std::mem::take(&mut batch))
                .map_err(storage)?;
            pending = 0;
        }
    }
    t.summaries.apply_batch(batch).map_err(storage)?;
    mark_level(t)
}

/// Mark the summaries of `t` as level with its cycles (they were all just written).
pub(super) fn mark_level(t: &Handles) -> Result<()> {
    let applied = t.meta.get(super::recorded::POSITION_KEY).map_err(storage)?;
    t.meta
        .insert(MARKER_KEY, marker_for(applied.as_deref()))
        .map(|_| ())
        .map_err(storage)
}

/// Rebuild the summaries of `t` unless they are level with its cycles. A cycle that
/// cannot be read leaves them marked not level (readers then use the whole cycles, and
/// meet the damage where they did before), and does not stop the store opening.
pub(super) fn ensure(t: &Handles) -> Result<()> {
    if level(t)? {
        return Ok(());
    }
    match rebuild(t) {
        Err(crate::error::Error::Corrupt(why)) => {
            eprintln!("rebound: the cycle summaries could not be rebuilt: {why}");
            Ok(())
        }
        done => done,
    }
}

/// The summaries' marker of `t`, when they are level with its cycles.
pub(super) fn current_marker(t: &Handles) -> Option<Vec<u8>> {
    let marker = t.meta.get(MARKER_KEY).ok()??;
    level(t).unwrap_or(false).then(|| marker.to_vec())
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
    let now = |key: &[u8]| -> Option<Option<Vec<u8>>> {
        Some(t.summaries.get(key).ok()?.map(|v| v.to_vec()))
    };
    match pack::refreshed(dir, base, touched, &marker, now) {
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
    let Some(mut packing) = PackWriter::new(&marker, 0) else {
        return;
    };
    for entry in t.summaries.iter() {
        match entry {
            Ok((key, value)) if packing.push(&key, &value) => {}
            _ => return,
        }
    }
    if let Err(e) = packing.write(dir) {
        eprintln!("rebound: the summaries could not be packed for a faster start: {e}");
    }
}

impl Store {
    /// The facts of every cycle, in id (creation) order, read from the summaries kept
    /// beside the cycles: what Today and its evidence chart need, without decoding a
    /// single whole cycle. A summary that cannot be read (damage) makes this fall back
    /// to summarising the whole cycles, so the answer is always the same.
    pub fn summaries(&self) -> Result<Vec<CycleSummary>> {
        // Held while reading: no change can be half made in sled meanwhile, so what is
        // read, and packed, is exactly the state at the marker.
        let journal = self.journal();
        let t = self.t();
        let marker = t.meta.get(MARKER_KEY).map_err(storage)?;
        let Some(marker) = marker.filter(|_| level(t).unwrap_or(false)) else {
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
        let mut packing = PackWriter::new(&marker, 0);
        let mut out = Vec::new();
        let mut areas = Areas::default();
        for entry in t.summaries.iter() {
            let (key, value) = entry.map_err(storage)?;
            let Some(summary) = decode_among(&key, &value, &mut areas) else {
                eprintln!("rebound: a cycle summary could not be read; reading whole cycles");
                drop(journal);
                return self.summaries_from_cycles();
            };
            if packing.as_mut().is_some_and(|p| !p.push(&key, &value)) {
                packing = None;
            }
            out.push(summary);
        }
        if let Some(packing) = packing {
            match packing.write(self.dir()) {
                Ok(()) => self.engine.pack().current(&marker),
                Err(e) => {
                    eprintln!("rebound: the summaries could not be packed for a faster start: {e}")
                }
            }
        }
        Ok(out)
    }

    /// The summaries worked out from the whole cycles (what the tree must always hold).
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

    /// Whether any attempt was made between `from` and `to` (both included), from the
    /// date index alone.
    pub fn any_attempt_between(&self, from: NaiveDate, to: NaiveDate) -> Result<bool> {
        if from > to {
            return Ok(false);
        }
        let start = keys::date_key(from, CycleId::from_bytes([0; 16]));
        let end = keys::date_key(to, CycleId::from_bytes([0xff; 16]));
        match self.t().by_date.range(start..=end).keys().next() {
            Some(key) => key.map(|_| true).map_err(storage),
            None => Ok(false),
        }
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

    /// What an older Rebound does: write a cycle and move the journal position, without
    /// a summary or the marker.
    fn write_as_an_older_rebound(store: &Store, cycle: &Cycle) {
        let t = store.t();
        t.cycles
            .insert(keys::cycle_key(cycle.id), codec::encode(cycle).unwrap())
            .unwrap();
        t.by_date
            .insert(keys::date_key(cycle.fields.attempted_on, cycle.id), &[])
            .unwrap();
        t.by_area
            .insert(keys::area_key(&cycle.fields.area, cycle.id), &[])
            .unwrap();
        let mut position = t
            .meta
            .get(super::super::recorded::POSITION_KEY)
            .unwrap()
            .unwrap()
            .to_vec();
        position[15] = position[15].wrapping_add(1);
        t.meta
            .insert(super::super::recorded::POSITION_KEY, position)
            .unwrap();
    }

    #[test]
    fn summaries_written_by_an_older_rebound_are_rebuilt_at_open() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store
                .create(sample("a", 1, Outcome::Failure), Utc::now())
                .unwrap();
            let older = Cycle::new(sample("b", 2, Outcome::Pending), Utc::now());
            write_as_an_older_rebound(&store, &older);
            assert!(!level(store.t()).unwrap());
            // Not level: readers use the whole cycles, and a new change keeps it so.
            assert_eq!(
                store.summaries().unwrap(),
                store.summaries_from_cycles().unwrap()
            );
            store
                .create(sample("c", 3, Outcome::Success), Utc::now())
                .unwrap();
            assert!(!level(store.t()).unwrap());
            assert_eq!(
                store.t().summaries.len(),
                2,
                "the older write has no summary"
            );
            store.flush().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert!(level(store.t()).unwrap());
        assert_eq!(store.t().summaries.len(), 3);
        assert_eq!(
            store.summaries().unwrap(),
            store.summaries_from_cycles().unwrap()
        );
    }

    #[test]
    fn a_streamed_batch_keeps_the_summaries_level_with_its_cycles() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .create(sample("a", 1, Outcome::Failure), Utc::now())
            .unwrap();
        let mut batch = store.begin_batch(Utc::now());
        // More than one chunk of the spool, in several areas and outcomes.
        for i in 0..1_201u32 {
            let outcome = [Outcome::Success, Outcome::Partial, Outcome::Failure][i as usize % 3];
            batch
                .add(sample(["a", "b", "c"][i as usize % 3], 1 + i % 28, outcome))
                .unwrap();
        }
        assert_eq!(batch.commit().unwrap().len(), 1_201);
        assert!(level(store.t()).unwrap());
        assert_eq!(store.t().summaries.len(), 1_202);
        assert_eq!(
            store.summaries().unwrap(),
            store.summaries_from_cycles().unwrap()
        );
    }

    #[test]
    fn a_database_from_before_the_summaries_gets_them_at_open() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            for day in 1..=3 {
                store
                    .create(sample("a", day, Outcome::Failure), Utc::now())
                    .unwrap();
            }
            store.t().summaries.clear().unwrap();
            store.t().meta.remove(MARKER_KEY).unwrap();
            store.flush().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert!(level(store.t()).unwrap());
        assert_eq!(store.summaries().unwrap().len(), 3);
        assert_eq!(
            store.summaries().unwrap(),
            store.summaries_from_cycles().unwrap()
        );
    }

    #[test]
    fn a_damaged_summary_is_read_from_its_cycle() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cycle = store
            .create(sample("a", 1, Outcome::Failure), Utc::now())
            .unwrap();
        store
            .t()
            .summaries
            .insert(keys::cycle_key(cycle.id), b"\x09junk".as_slice())
            .unwrap();
        assert_eq!(store.summaries().unwrap(), vec![CycleSummary::from(&cycle)]);
    }

    #[test]
    fn a_week_with_an_attempt_is_found_from_the_date_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .create(sample("a", 10, Outcome::Success), Utc::now())
            .unwrap();
        let d = |n| NaiveDate::from_ymd_opt(2026, 11, n).unwrap();
        assert!(store.any_attempt_between(d(10), d(10)).unwrap());
        assert!(store.any_attempt_between(d(4), d(10)).unwrap());
        assert!(store.any_attempt_between(d(10), d(16)).unwrap());
        assert!(!store.any_attempt_between(d(11), d(17)).unwrap());
        assert!(!store.any_attempt_between(d(3), d(9)).unwrap());
        assert!(!store.any_attempt_between(d(12), d(10)).unwrap());
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
