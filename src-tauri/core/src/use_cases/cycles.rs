//! Logging, editing, deleting and finding cycles: the checks on untrusted drafts, the
//! link to a tested adjustment, and the views the hosts show.

use serde::Serialize;
use serde_json::Value;

use super::{Clock, CycleView};
use crate::cycle::{Cycle, CycleDraft, CycleFields, CycleId};
use crate::error::{Error, FieldError, Result};
use crate::nudges::{self, Nudge, NudgeInput};
use crate::store::Store;

/// Largest page of cycles a host asks for at once.
pub const MAX_PAGE: usize = 500;

/// Log a new cycle from a draft (untrusted JSON), dated today unless it says otherwise.
pub fn log_cycle(store: &Store, draft: Value, clock: Clock) -> Result<Cycle> {
    let fields = CycleDraft::from_value(draft)?.check(clock.today)?;
    check_link(store, &fields, None)?;
    store.create(fields, clock.now)
}

/// A cycle may test the adjustment of another stored cycle, never its own.
pub(super) fn check_link(store: &Store, fields: &CycleFields, own: Option<CycleId>) -> Result<()> {
    let Some(target) = fields.tests_cycle else {
        return Ok(());
    };
    let problem = if Some(target) == own {
        "can't be this cycle itself: an adjustment is tested by a later attempt"
    } else if store.get(target)?.is_none() {
        "names a cycle that is not stored; pick the cycle whose adjustment you tried"
    } else {
        return Ok(());
    };
    Err(vec![FieldError::new("tests_cycle", problem)].into())
}

/// Log several drafts at once, each with the line it came from: all are checked first,
/// then stored together or not at all. The first bad line is reported whole.
pub fn log_cycles(store: &Store, drafts: Vec<(usize, Value)>, clock: Clock) -> Result<Vec<Cycle>> {
    let mut all = Vec::with_capacity(drafts.len());
    let mut bad: Vec<(usize, Vec<FieldError>)> = Vec::new();
    for (line, draft) in drafts {
        match CycleDraft::from_value(draft).and_then(|d| d.check(clock.today)) {
            Ok(fields) => match check_link(store, &fields, None) {
                Ok(()) => all.push(fields),
                Err(Error::Invalid(errors)) => bad.push((line, errors)),
                Err(other) => return Err(other),
            },
            Err(errors) => bad.push((line, errors)),
        }
    }
    if let Some((line, errors)) = bad.first().cloned() {
        return Err(Error::InvalidLine {
            line,
            errors,
            more: bad.len() - 1,
        });
    }
    store.create_many(all, clock.now)
}

/// Replace the fields of the cycle with `id` from a draft.
pub fn edit_cycle(store: &Store, id: &str, draft: Value, clock: Clock) -> Result<Cycle> {
    let id = id.parse()?;
    let fields = CycleDraft::from_value(draft)?.check(clock.today)?;
    check_link(store, &fields, Some(id))?;
    store.update(id, fields, clock.now)
}

/// Change some fields of the cycle whose id is `id` (or starts with it): `patch` is a
/// JSON object of the fields to change, laid over the cycle and checked like any draft.
/// Returns the cycle and the names of the fields that changed; nothing is written when
/// none did.
pub fn patch_cycle(
    store: &Store,
    id: &str,
    patch: Value,
    clock: Clock,
) -> Result<(Cycle, Vec<&'static str>)> {
    let Value::Object(patch) = patch else {
        return Err(vec![FieldError::new(
            "cycle",
            "must be a JSON object of the fields to change, like {\"outcome\": \"failure\"}",
        )]
        .into());
    };
    let stored = store.find(id)?;
    let mut draft = match serde_json::to_value(&stored) {
        Ok(Value::Object(map)) => map,
        _ => return Err(Error::Storage("could not read the cycle".into())),
    };
    for managed in crate::cycle::managed_fields() {
        draft.remove(managed);
    }
    draft.extend(patch);
    let fields = CycleDraft::from_value(Value::Object(draft))?.check(clock.latest_backup_day())?;
    check_link(store, &fields, Some(stored.id))?;
    let changed: Vec<&'static str> = {
        let (before, after) = (
            serde_json::to_value(&stored).unwrap_or_default(),
            serde_json::to_value(Cycle {
                fields: fields.clone(),
                ..stored.clone()
            })
            .unwrap_or_default(),
        );
        crate::cycle::FIELD_NAMES
            .iter()
            .filter(|name| before.get(**name) != after.get(**name))
            .copied()
            .collect()
    };
    if changed.is_empty() {
        return Ok((stored, changed));
    }
    Ok((store.update(stored.id, fields, clock.now)?, changed))
}

/// Delete the cycle whose id is `id` (or starts with it) and return it whole, so it
/// can be put back.
pub fn delete_cycle(store: &Store, id: &str) -> Result<Cycle> {
    store.delete(store.find(id)?.id)
}

/// Put back a whole cycle (an undone delete), exactly as it was.
pub fn restore_cycle(store: &Store, cycle: Value, clock: Clock) -> Result<Cycle> {
    let cycle = Cycle::from_json(cycle, clock.latest_backup_day())?;
    store.add_cycles(std::slice::from_ref(&cycle))?;
    // If that id was already stored (with other content), the stored one stays.
    store
        .get(cycle.id)?
        .ok_or_else(|| Error::NotFound(cycle.id.to_string()))
}

/// Up to `limit` cycles (at most [`MAX_PAGE`]), newest attempt first, after `offset`.
pub fn recent_cycles(store: &Store, limit: usize, offset: usize) -> Result<Vec<CycleView>> {
    let (cycles, _) = store.recent(limit.min(MAX_PAGE), offset)?;
    Ok(cycles.into_iter().map(CycleView::from).collect())
}

/// The cycle whose id is `id`, or starts with it.
pub fn find_cycle(store: &Store, id: &str) -> Result<CycleView> {
    store.find(id).map(CycleView::from)
}

/// A cycle with the nudges that apply to it, as `rebound show --json` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CycleDetail {
    #[serde(flatten)]
    pub cycle: CycleView,
    pub nudges: Vec<Nudge>,
}

/// Find a cycle by id (or a unique start of one) with its nudges.
pub fn cycle_detail(store: &Store, id: &str) -> Result<CycleDetail> {
    let cycle = store.find(id)?;
    let nudges = nudges::nudges(&NudgeInput::from(&cycle.fields));
    Ok(CycleDetail {
        cycle: CycleView::from(cycle),
        nudges,
    })
}

/// The nudges for a half-filled form. Never an error: a draft that does not read is
/// simply a form with nothing to suggest yet.
pub fn draft_nudges(draft: &Value) -> Vec<Nudge> {
    nudges::nudges(&NudgeInput::from_draft(draft))
}
