//! The merge: what the replica's changes add up to. A pure function of the set of
//! changes, so two computers holding the same changes hold the same journal, whatever
//! order the changes arrived in (the convergence property test checks it).
//!
//! Rules, field by field:
//! - A change has replaced another when the computer that made it had read the other
//!   (its batch's `seen` says so). The values in effect for a field are the changes to
//!   it that no other change to it replaced (its "heads").
//! - One head: its value. Several (made at the same time on different computers): the
//!   one with the later clock wins, the device id breaking ties. For the texts a person
//!   writes (the attempt and the reflections), different texts at the same time are a
//!   conflict: the winner is shown, and every text is kept for the person to resolve.
//! - A cycle is deleted when every change to it was seen by a deletion. An edit of its
//!   content made without seeing the deletion keeps the cycle (nothing written is lost
//!   to a delete on another computer); an area renamed at the same time does not.
//! - Check-ins by day and preferences by key: the later clock wins. The archived areas
//!   merge name by name, and each area's guide (band and rule) area by area.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::format::Body;
use super::hlc::Hlc;
use super::replica::{Located, Replica};
use super::{is_local_pref, is_map_entry, is_map_pref};
use crate::checkin::brs_score;
use crate::cycle::{Cycle, CycleId, FieldSpec, TextShape, FIELDS, FIELD_NAMES};
use crate::journal::Base;

/// Texts written at the same time on two computers, all kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub cycle: CycleId,
    pub field: String,
    /// One per different text, the one shown now first.
    pub versions: Vec<Version>,
}

/// One of the texts in a conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub device: String,
    pub hlc: Hlc,
    /// None when that computer emptied the field.
    pub text: Option<String>,
}

/// What the replica adds up to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    /// The cycles, check-ins and synced preferences.
    pub base: Base,
    pub conflicts: Vec<Conflict>,
    /// Cycles whose merged fields do not make a valid cycle (say its first segment is
    /// missing), with why: left as each computer has them.
    pub unmergeable: BTreeMap<CycleId, String>,
    /// Cycles with changes that a deletion has replaced, with the clock of the latest
    /// change to each.
    pub deleted: BTreeMap<CycleId, Hlc>,
}

/// The fields a computer may set on a cycle: every public field but the id and
/// `updated_at` (which follows the changes in effect).
fn settable(name: &str) -> bool {
    name != "id" && name != "updated_at" && FIELD_NAMES.contains(&name)
}

/// Whether different values at the same time are a conflict to resolve: the texts a
/// person writes in paragraphs.
pub fn is_conflict_field(name: &str) -> bool {
    FIELDS.iter().any(
        |f| matches!(f, FieldSpec::Text(t) if t.name == name && t.shape == TextShape::Paragraphs),
    )
}

/// Keep in `slot` whichever of the two changes ranks later.
fn latest<'a>(slot: &mut Located<'a>, new: Located<'a>) {
    if new.rank() > slot.rank() {
        *slot = new;
    }
}

/// Merge every change of `replica`.
pub fn materialize(replica: &Replica) -> Merged {
    let mut compacted = replica.clone();
    compacted.compact();
    merge_compacted(&compacted)
}

/// Compact `replica` in place, then merge it: `materialize` without a copy.
pub fn materialize_in_place(replica: &mut Replica) -> Merged {
    replica.compact();
    merge_compacted(replica)
}

/// Merge a compacted replica. What the merge gives must not depend on which changes
/// another computer has already compacted away: every merge is of a compacted replica.
fn merge_compacted(compacted: &Replica) -> Merged {
    let mut cycles: BTreeMap<&str, Vec<Located<'_>>> = BTreeMap::new();
    let mut checkins: BTreeMap<NaiveDate, Located<'_>> = BTreeMap::new();
    let mut whole: BTreeMap<&str, Located<'_>> = BTreeMap::new();
    let mut items: BTreeMap<&str, BTreeMap<&str, Located<'_>>> = BTreeMap::new();
    let mut merged = Merged::default();
    let changes: Vec<Located<'_>> = compacted.changes().collect();
    for change in &changes {
        match &change.op.body {
            Body::Cycle { cycle, .. } | Body::Delete { cycle } => {
                cycles.entry(cycle).or_default().push(*change);
            }
            // Answers out of range would stop the store taking the merge: left out.
            Body::Checkin { answers, .. } if brs_score(*answers).is_err() => {}
            // This computer's own preferences are never taken from another.
            Body::Pref { key, .. } if is_local_pref(key) => {}
            // An entry that would not decode would make the whole map unreadable.
            Body::Pref {
                key,
                item: Some(_),
                value,
            } if !is_map_entry(key, value) => {}
            Body::Checkin { day, .. } => match checkins.get_mut(day) {
                Some(slot) => latest(slot, *change),
                None => {
                    checkins.insert(*day, *change);
                }
            },
            Body::Pref {
                key,
                item: Some(item),
                ..
            } => match items.entry(key).or_default().get_mut(item.as_str()) {
                Some(slot) => latest(slot, *change),
                None => {
                    items.entry(key).or_default().insert(item, *change);
                }
            },
            Body::Pref {
                key, item: None, ..
            } => match whole.get_mut(key.as_str()) {
                Some(slot) => latest(slot, *change),
                None => {
                    whole.insert(key, *change);
                }
            },
        }
    }
    for (id, changes) in cycles {
        let Ok(id) = id.parse::<CycleId>() else {
            continue;
        };
        merge_cycle(id, &changes, &mut merged);
    }
    merged.base.cycles.sort_by_key(|c| c.id);
    merged.base.cycles.dedup_by_key(|c| c.id);
    for (day, change) in checkins {
        if let Body::Checkin { answers, .. } = &change.op.body {
            merged.base.checkins.insert(day, *answers);
        }
    }
    for (key, change) in whole {
        if let Body::Pref { value, .. } = &change.op.body {
            merged.base.prefs.insert(key.to_string(), value.clone());
        }
    }
    for (key, members) in items {
        let value = if is_map_pref(key) {
            let entries: Map<String, Value> = members
                .into_iter()
                .filter_map(|(name, c)| match &c.op.body {
                    Body::Pref { value, .. } if !value.is_null() => {
                        Some((name.to_string(), value.clone()))
                    }
                    _ => None,
                })
                .collect();
            Value::Object(entries)
        } else {
            let names: Vec<Value> = members
                .into_iter()
                .filter(|(_, c)| matches!(&c.op.body, Body::Pref { value, .. } if value == &Value::Bool(true)))
                .map(|(name, _)| Value::String(name.to_string()))
                .collect();
            Value::Array(names)
        };
        merged.base.prefs.insert(key.to_string(), value);
    }
    merged
}

/// Merge the changes to one cycle into `merged`.
fn merge_cycle(id: CycleId, changes: &[Located<'_>], merged: &mut Merged) {
    let (deletes, writes): (Vec<&Located<'_>>, Vec<&Located<'_>>) = changes
        .iter()
        .partition(|c| matches!(c.op.body, Body::Delete { .. }));
    // Only an edit of what the cycle says keeps it from a deletion made at the same
    // time: an area renamed on another computer touches every cycle of the area, and
    // must not bring back one deleted here.
    let live = writes
        .iter()
        .filter(
            |w| matches!(&w.op.body, Body::Cycle { set, .. } if set.keys().any(|f| f != "area")),
        )
        .any(|w| deletes.iter().all(|d| !w.seen_by(d)));
    if !live {
        if let Some(last) = changes.iter().map(|c| c.op.hlc).max() {
            if !writes.is_empty() {
                merged.deleted.insert(id, last);
            }
        }
        return;
    }
    let mut by_field: BTreeMap<&str, Vec<(&Located<'_>, &Value)>> = BTreeMap::new();
    for write in &writes {
        if let Body::Cycle { set, .. } = &write.op.body {
            for (field, value) in set.iter().filter(|(f, _)| settable(f)) {
                by_field.entry(field).or_default().push((*write, value));
            }
        }
    }
    let mut object = Map::new();
    object.insert("id".into(), Value::String(id.to_string()));
    let mut updated_at: Option<DateTime<Utc>> = None;
    for (field, candidates) in by_field {
        let replaced = |i: usize| {
            (0..candidates.len()).any(|j| j != i && candidates[i].0.seen_by(candidates[j].0))
        };
        let mut heads: Vec<&(&Located<'_>, &Value)> = (0..candidates.len())
            .filter(|&i| !replaced(i))
            .map(|i| &candidates[i])
            .collect();
        heads.sort_by(|a, b| b.0.rank().cmp(&a.0.rank()));
        let Some((_, value)) = heads.first() else {
            continue;
        };
        object.insert(field.to_string(), (*value).clone());
        let mut versions: Vec<Version> = Vec::new();
        for (head, value) in &heads {
            if let Body::Cycle { updated_at: at, .. } = &head.op.body {
                updated_at = Some(updated_at.map_or(*at, |u| u.max(*at)));
            }
            if !versions.iter().any(|v| text_value(&v.text) == **value) {
                versions.push(Version {
                    device: head.device.to_string(),
                    hlc: head.op.hlc,
                    text: value.as_str().map(str::to_string),
                });
            }
        }
        if versions.len() > 1 && is_conflict_field(field) {
            merged.conflicts.push(Conflict {
                cycle: id,
                field: field.to_string(),
                versions,
            });
        }
    }
    let created_at = object
        .get("created_at")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.to_utc());
    let updated_at = match (updated_at, created_at) {
        (Some(u), Some(c)) => u.max(c),
        (u, c) => u.or(c).unwrap_or_default(),
    };
    object.insert(
        "updated_at".into(),
        Value::String(crate::cycle::format_timestamp(&updated_at)),
    );
    // Two computers may have set the tested adjustment and its answers apart: answers
    // without the cycle they are about would not be a valid cycle.
    if object.get("tests_cycle").is_none_or(Value::is_null) {
        object.insert("applied".into(), Value::Null);
        object.insert("result".into(), Value::Null);
    }
    match Cycle::from_json(Value::Object(object), NaiveDate::MAX) {
        Ok(cycle) => merged.base.cycles.push(cycle),
        Err(errors) => {
            let why = errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            merged.unmergeable.insert(id, why);
        }
    }
}

fn text_value(text: &Option<String>) -> Value {
    text.clone().map_or(Value::Null, Value::String)
}
