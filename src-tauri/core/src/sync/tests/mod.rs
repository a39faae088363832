//! The merge, tested without files or a store: computers as replicas and plain data,
//! exchanging segments through an in-memory folder in any order, some arriving late,
//! some replaced by checkpoints before another computer read them. The property: once
//! every computer has read everything, all hold the same data, and nothing that was
//! never deleted is missing. (tests/core/sync.rs runs the same through real stores and
//! folders.)

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};

use super::capture::capture;
use super::format::{Batch, Op, Segment, SEGMENT_FORMAT, SEGMENT_VERSION};
use super::hlc::Hlc;
use super::merge::{materialize, Merged};
use super::replica::Replica;
use crate::cycle::{Cycle, CycleFields, CycleId, Outcome};
use crate::journal::Base;

const AREAS: [&str; 3] = ["pitches", "running", "writing"];

/// One computer: what it knows and what its store holds.
#[derive(Clone, Debug)]
struct Computer {
    id: String,
    replica: Replica,
    data: Base,
    seq: u64,
    hlc: Hlc,
}

/// The sync folder: each computer's segments, as files are there now.
type Folder = BTreeMap<String, Vec<Segment>>;

fn device(n: usize) -> String {
    format!("{n:032x}")
}

fn now(step: usize) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + 60 * step as i64, 0).unwrap_or_default()
}

fn segment(
    computer: &Computer,
    seq: u64,
    covers: (u64, u64),
    batches: Vec<Batch>,
    at: DateTime<Utc>,
) -> Segment {
    Segment {
        format: SEGMENT_FORMAT.into(),
        version: SEGMENT_VERSION,
        device: computer.id.clone(),
        name: format!("computer {}", computer.id),
        seq,
        covers,
        made_at: at,
        batches,
    }
}

fn take(replica: &mut Replica, segment: &Segment) {
    for batch in &segment.batches {
        replica.add_batch(&segment.device, batch);
    }
    replica
        .known
        .entry(segment.device.clone())
        .or_default()
        .insert_range(segment.covers.0, segment.covers.1);
}

impl Computer {
    fn new(n: usize) -> Computer {
        Computer {
            id: device(n),
            replica: Replica::default(),
            data: Base::default(),
            seq: 0,
            hlc: Hlc::default(),
        }
    }

    /// A sync: send what changed here, read the segments `read` picks, apply the merge.
    fn sync(
        &mut self,
        folder: &mut Folder,
        read: &dyn Fn(usize) -> bool,
        at: DateTime<Utc>,
    ) -> Merged {
        let last = materialize(&self.replica);
        let found = capture(&self.data, &last.base, &last.base, &[], at);
        if !found.changes.is_empty() {
            self.seq += 1;
            let mut clock = self.hlc.observe(self.replica.latest());
            let ops = found
                .changes
                .iter()
                .enumerate()
                .map(|(i, (hint, body))| {
                    clock = clock.tick(*hint);
                    Op {
                        i: i as u32,
                        hlc: clock,
                        body: body.clone(),
                    }
                })
                .collect();
            self.hlc = clock;
            let batch = Batch {
                seg: self.seq,
                seen: self.replica.known.clone(),
                ops,
            };
            self.replica.add_batch(&self.id, &batch);
            let written = segment(self, self.seq, (self.seq, self.seq), vec![batch], at);
            folder.entry(self.id.clone()).or_default().push(written);
        }
        let mut n = 0;
        for (owner, segments) in folder.iter() {
            for segment in segments {
                n += 1;
                if *owner != self.id && read(n) {
                    take(&mut self.replica, segment);
                }
            }
        }
        let merged = materialize(&self.replica);
        let mut data = merged.base.clone();
        for cycle in &self.data.cycles {
            if merged.unmergeable.contains_key(&cycle.id) {
                data.cycles.push(cycle.clone());
            }
        }
        data.cycles.sort_by_key(|c| c.id);
        self.data = data;
        merged
    }

    /// A checkpoint: every change of this computer still in effect, replacing its files.
    fn checkpoint(&mut self, folder: &mut Folder, at: DateTime<Utc>) {
        self.replica.compact();
        self.seq += 1;
        let batches = self.replica.batches_of(&self.id);
        let written = segment(self, self.seq, (1, self.seq), batches, at);
        self.replica
            .known
            .entry(self.id.clone())
            .or_default()
            .insert_range(1, self.seq);
        folder.insert(self.id.clone(), vec![written]);
    }
}

/// What a person does on one computer.
#[derive(Clone, Debug)]
enum Act {
    Log {
        area: usize,
        text: u8,
    },
    Edit {
        pick: usize,
        field: usize,
        value: u8,
    },
    Delete {
        pick: usize,
    },
    Rename {
        from: usize,
        to: usize,
    },
    Pref {
        value: u8,
    },
    Archive {
        area: usize,
        on: bool,
    },
    /// An area's own rule set (`Some(up_after)`) or taken back to the default.
    Guide {
        area: usize,
        up: Option<u8>,
    },
    Checkin {
        day: u32,
        answer: u8,
    },
    Sync {
        mask: u32,
    },
    Checkpoint,
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        3 => (0..3usize, any::<u8>()).prop_map(|(area, text)| Act::Log { area, text }),
        4 => (any::<usize>(), 0..4usize, any::<u8>()).prop_map(|(pick, field, value)| Act::Edit { pick, field, value }),
        1 => any::<usize>().prop_map(|pick| Act::Delete { pick }),
        1 => (0..3usize, 0..3usize).prop_map(|(from, to)| Act::Rename { from, to }),
        1 => any::<u8>().prop_map(|value| Act::Pref { value }),
        1 => (0..3usize, any::<bool>()).prop_map(|(area, on)| Act::Archive { area, on }),
        1 => (0..3usize, proptest::option::of(1..5u8)).prop_map(|(area, up)| Act::Guide { area, up }),
        1 => (1..4u32, 1..6u8).prop_map(|(day, answer)| Act::Checkin { day, answer }),
        4 => any::<u32>().prop_map(|mask| Act::Sync { mask }),
        1 => Just(Act::Checkpoint),
    ]
}

fn apply_act(
    c: &mut Computer,
    act: &Act,
    folder: &mut Folder,
    at: DateTime<Utc>,
    logged: &mut BTreeSet<CycleId>,
    deleted: &mut BTreeSet<CycleId>,
) {
    let on = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
    match act {
        Act::Log { area, text } => {
            let mut fields = CycleFields::sample(AREAS[*area], on, Outcome::Failure);
            fields.attempt = format!("attempt {text} on {}", c.id.get(28..).unwrap_or(""));
            let cycle = Cycle::new(fields, at);
            logged.insert(cycle.id);
            c.data.cycles.push(cycle);
            c.data.cycles.sort_by_key(|c| c.id);
        }
        Act::Edit { pick, field, value } => {
            if c.data.cycles.is_empty() {
                return;
            }
            let n = pick % c.data.cycles.len();
            let cycle = &mut c.data.cycles[n];
            let text = format!("{} wrote {value}", c.id.get(28..).unwrap_or(""));
            match field {
                0 => cycle.fields.observation = Some(text),
                1 => cycle.fields.attempt = text,
                2 => cycle.fields.difficulty = 1 + value % 10,
                _ => cycle.fields.outcome = Outcome::ALL[usize::from(*value) % 4],
            }
            cycle.updated_at = at.max(cycle.updated_at);
        }
        Act::Delete { pick } => {
            if !c.data.cycles.is_empty() {
                let n = pick % c.data.cycles.len();
                deleted.insert(c.data.cycles.remove(n).id);
            }
        }
        Act::Rename { from, to } => {
            for cycle in c
                .data
                .cycles
                .iter_mut()
                .filter(|x| x.fields.area == AREAS[*from])
            {
                cycle.fields.area = AREAS[*to].to_string();
                cycle.updated_at = at.max(cycle.updated_at);
            }
        }
        Act::Pref { value } => {
            c.data.prefs.insert(
                "reminder".into(),
                json!({"enabled": value % 2 == 0, "time": format!("{:02}:00", value % 24)}),
            );
        }
        Act::Archive { area, on } => {
            let mut names: BTreeSet<String> = c
                .data
                .prefs
                .get("archived_areas")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            if *on {
                names.insert(AREAS[*area].into());
            } else {
                names.remove(AREAS[*area]);
            }
            c.data.prefs.insert("archived_areas".into(), json!(names));
        }
        Act::Guide { area, up } => {
            let mut guides = guides_of(&c.data);
            match up {
                Some(up) => {
                    let guide =
                        json!({"band": null, "staircase": {"up_after": up, "down_after": 1}});
                    guides.insert(AREAS[*area].into(), guide);
                }
                None => {
                    guides.remove(AREAS[*area]);
                }
            }
            c.data
                .prefs
                .insert("area_guides".into(), Value::Object(guides));
        }
        Act::Checkin { day, answer } => {
            let day = NaiveDate::from_ymd_opt(2026, 11, *day).unwrap_or_default();
            c.data.checkins.insert(day, [*answer; 6]);
        }
        Act::Sync { mask } => {
            let mask = *mask;
            c.sync(folder, &|n| mask & (1 << (n % 32)) != 0, at);
        }
        Act::Checkpoint => c.checkpoint(folder, at),
    }
}

/// The areas' guides a computer holds (the preference `area_guides`).
fn guides_of(data: &Base) -> serde_json::Map<String, Value> {
    data.prefs
        .get("area_guides")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_interleaving_on_any_number_of_computers_converges(
        computers in 2..5usize,
        script in proptest::collection::vec((0..4usize, act()), 1..60),
    ) {
        let mut all: Vec<Computer> = (0..computers).map(Computer::new).collect();
        let mut folder = Folder::new();
        let (mut logged, mut deleted) = (BTreeSet::new(), BTreeSet::new());
        for (step, (who, act)) in script.iter().enumerate() {
            let c = &mut all[who % computers];
            apply_act(c, act, &mut folder, now(step), &mut logged, &mut deleted);
        }
        // Everyone syncs, reading everything, until nothing moves: twice round is enough.
        let end = now(script.len() + 1);
        for _ in 0..2 {
            for c in all.iter_mut() {
                c.sync(&mut folder, &|_| true, end);
            }
        }
        let first = all[0].data.clone();
        for c in &all[1..] {
            prop_assert_eq!(&c.data, &first, "computer {} differs from computer {}", c.id, all[0].id);
        }
        let held: BTreeSet<CycleId> = first.cycles.iter().map(|c| c.id).collect();
        for id in logged.difference(&deleted) {
            prop_assert!(held.contains(id), "cycle {} was never deleted and is gone", id);
        }
    }
}

/// The rules one by one: conflicts, deletions, emptied folders, checkpoints, preferences.
mod rules;
