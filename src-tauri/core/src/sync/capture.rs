//! What changed here since the last sync, field by field: the store's content compared
//! with what the last sync left in it. The result is the changes this computer sends.
//!
//! Normally "what the last sync left" is one state (the merge it applied). After a sync
//! that was cut short while it applied the merge it is two, `before` and `after`: a
//! value equal to either is the sync's own doing, and only a value equal to neither was
//! typed here. When the data was replaced since (a restore, a recovery from a backup),
//! nothing is known of what the last sync left: `capture_join` then sends only what is
//! newer here or missing from the merge, and never takes a missing cycle for a
//! deletion. Pure.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::format::Body;
use super::merge::Merged;
use super::{is_local_pref, is_map_pref, is_set_pref};
use crate::cycle::{Cycle, CycleId};
use crate::journal::Base;

/// The changes found, each with the moment it is about (for its clock).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Captured {
    pub changes: Vec<(DateTime<Utc>, Body)>,
    pub summary: Summary,
}

/// How many of each kind of change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub cycles_added: usize,
    pub cycles_changed: usize,
    pub cycles_deleted: usize,
    pub checkins: usize,
    pub prefs: usize,
}

impl Summary {
    pub fn total(&self) -> usize {
        self.cycles_added + self.cycles_changed + self.cycles_deleted + self.checkins + self.prefs
    }
}

/// A cycle's fields as its public JSON has them, without the id and `updated_at`.
fn fields(cycle: &Cycle) -> Map<String, Value> {
    match serde_json::to_value(cycle) {
        Ok(Value::Object(mut map)) => {
            map.remove("id");
            map.remove("updated_at");
            map
        }
        _ => Map::new(),
    }
}

fn by_id(base: &Base) -> BTreeMap<CycleId, &Cycle> {
    base.cycles.iter().map(|c| (c.id, c)).collect()
}

/// The names in a list-of-names preference.
fn names(value: Option<&Value>) -> BTreeSet<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The entries of a map preference.
fn entries(value: Option<&Value>) -> Map<String, Value> {
    value
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// What changed in `now` since the last sync left `before` (and, if it was cut short,
/// perhaps part of `after`). `forced` fields are sent even if unchanged: a person chose
/// that text in a conflict, and sending it resolves the conflict everywhere.
pub fn capture(
    now: &Base,
    before: &Base,
    after: &Base,
    forced: &[(CycleId, String)],
    at: DateTime<Utc>,
) -> Captured {
    let mut out = Captured::default();
    let (was, will) = (by_id(before), by_id(after));
    for cycle in &now.cycles {
        let mine = fields(cycle);
        let (b, a) = (
            was.get(&cycle.id).map(|c| fields(c)),
            will.get(&cycle.id).map(|c| fields(c)),
        );
        let new = b.is_none() && a.is_none();
        let set: BTreeMap<String, Value> = mine
            .iter()
            .filter(|(name, value)| {
                let differs = |m: &Option<Map<String, Value>>| {
                    m.as_ref().and_then(|m| m.get(*name)) != Some(*value)
                };
                let chosen = forced
                    .iter()
                    .any(|(id, field)| *id == cycle.id && field == *name);
                new || chosen || (differs(&b) && differs(&a))
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if set.is_empty() {
            continue;
        }
        if new {
            out.summary.cycles_added += 1;
        } else {
            out.summary.cycles_changed += 1;
        }
        out.changes.push((
            cycle.updated_at,
            Body::Cycle {
                cycle: cycle.id.to_string(),
                updated_at: cycle.updated_at,
                set,
            },
        ));
    }
    let here: BTreeSet<CycleId> = now.cycles.iter().map(|c| c.id).collect();
    for id in was
        .keys()
        .filter(|id| will.contains_key(id) && !here.contains(id))
    {
        out.summary.cycles_deleted += 1;
        out.changes.push((
            at,
            Body::Delete {
                cycle: id.to_string(),
            },
        ));
    }
    for (day, answers) in &now.checkins {
        if before.checkins.get(day) != Some(answers) && after.checkins.get(day) != Some(answers) {
            out.summary.checkins += 1;
            out.changes.push((
                at,
                Body::Checkin {
                    day: *day,
                    answers: *answers,
                },
            ));
        }
    }
    for (key, value) in now.prefs.iter().filter(|(k, _)| !is_local_pref(k)) {
        if is_set_pref(key) {
            let (mine, b, a) = (
                names(Some(value)),
                names(before.prefs.get(key)),
                names(after.prefs.get(key)),
            );
            for name in mine.iter().filter(|n| !b.contains(*n) && !a.contains(*n)) {
                out.changes.push((at, set_item(key, name, true)));
                out.summary.prefs += 1;
            }
            for name in b.iter().filter(|n| a.contains(*n) && !mine.contains(*n)) {
                out.changes.push((at, set_item(key, name, false)));
                out.summary.prefs += 1;
            }
        } else if is_map_pref(key) {
            let (mine, b, a) = (
                entries(Some(value)),
                entries(before.prefs.get(key)),
                entries(after.prefs.get(key)),
            );
            for (name, entry) in mine
                .iter()
                .filter(|(n, v)| b.get(*n) != Some(*v) && a.get(*n) != Some(*v))
            {
                out.changes.push((at, map_entry(key, name, entry.clone())));
                out.summary.prefs += 1;
            }
            for name in b
                .keys()
                .filter(|n| a.contains_key(*n) && !mine.contains_key(*n))
            {
                out.changes.push((at, map_entry(key, name, Value::Null)));
                out.summary.prefs += 1;
            }
        } else if before.prefs.get(key) != Some(value) && after.prefs.get(key) != Some(value) {
            out.summary.prefs += 1;
            out.changes.push((
                at,
                Body::Pref {
                    key: key.clone(),
                    item: None,
                    value: value.clone(),
                },
            ));
        }
    }
    out
}

fn set_item(key: &str, name: &str, present: bool) -> Body {
    Body::Pref {
        key: key.to_string(),
        item: Some(name.to_string()),
        value: Value::Bool(present),
    }
}

/// One entry of a map preference: its new value, or null once removed.
fn map_entry(key: &str, name: &str, value: Value) -> Body {
    Body::Pref {
        key: key.to_string(),
        item: Some(name.to_string()),
        value,
    }
}

/// What to send when the data here was replaced since the last sync (or this computer
/// never synced): every cycle the merge does not have, or has older; check-ins and
/// preferences (and a map preference's entries) it does not have. Nothing here is taken as deleted, and a cycle the
/// merge deleted comes back only if it was changed here after that.
pub fn capture_join(now: &Base, merged: &Merged, at: DateTime<Utc>) -> Captured {
    let mut out = Captured::default();
    let theirs = by_id(&merged.base);
    for cycle in &now.cycles {
        let mine = fields(cycle);
        let set: BTreeMap<String, Value> = match theirs.get(&cycle.id) {
            None => match merged.deleted.get(&cycle.id) {
                Some(deleted) if cycle.updated_at <= deleted.wall() => continue,
                _ => mine.into_iter().collect(),
            },
            Some(other) if cycle.updated_at > other.updated_at => {
                let other = fields(other);
                mine.into_iter()
                    .filter(|(name, value)| other.get(name) != Some(value))
                    .collect()
            }
            Some(_) => continue,
        };
        if set.is_empty() {
            continue;
        }
        if theirs.contains_key(&cycle.id) {
            out.summary.cycles_changed += 1;
        } else {
            out.summary.cycles_added += 1;
        }
        out.changes.push((
            cycle.updated_at,
            Body::Cycle {
                cycle: cycle.id.to_string(),
                updated_at: cycle.updated_at,
                set,
            },
        ));
    }
    for (day, answers) in &now.checkins {
        if !merged.base.checkins.contains_key(day) {
            out.summary.checkins += 1;
            out.changes.push((
                at,
                Body::Checkin {
                    day: *day,
                    answers: *answers,
                },
            ));
        }
    }
    for (key, value) in now.prefs.iter().filter(|(k, _)| !is_local_pref(k)) {
        if is_map_pref(key) {
            // Entry by entry: an area's guide the merge does not have is sent.
            let theirs = entries(merged.base.prefs.get(key));
            for (name, entry) in entries(Some(value))
                .into_iter()
                .filter(|(n, _)| !theirs.contains_key(n))
            {
                out.summary.prefs += 1;
                out.changes.push((at, map_entry(key, &name, entry)));
            }
            continue;
        }
        if merged.base.prefs.contains_key(key) {
            continue;
        }
        if is_set_pref(key) {
            for name in names(Some(value)) {
                out.summary.prefs += 1;
                out.changes.push((at, set_item(key, &name, true)));
            }
        } else {
            out.summary.prefs += 1;
            out.changes.push((
                at,
                Body::Pref {
                    key: key.clone(),
                    item: None,
                    value: value.clone(),
                },
            ));
        }
    }
    out
}
