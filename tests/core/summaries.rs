//! The cycles' summaries the store keeps beside them (what Today and its evidence chart
//! are drawn from) always agree with the cycles: after any sequence of logs, edits,
//! deletes, undos, renames, sync merges, restores and reopenings; and Today and the
//! evidence worked out from them are the ones worked out from the whole cycles.

use proptest::prelude::*;
use rebound_core::cycle::{Cycle, CycleSummary};
use rebound_core::insights::{self, edge::edge_of};
use rebound_core::playbook;
use rebound_core::store::{Merge, Store};
use rebound_core::today;
use rebound_core::use_cases;
use serde_json::json;

use crate::util::{clock, clock_plus, temp_dir};

/// One thing done to the store; numbers pick among what is there.
#[derive(Clone, Debug)]
enum Op {
    Log {
        area: usize,
        outcome: usize,
        effort: u8,
        day: u32,
        reflect: [bool; 4],
        tests: Option<usize>,
    },
    Edit {
        which: usize,
        outcome: usize,
        reflect: [bool; 4],
        day: u32,
    },
    Delete(usize),
    /// Delete one, then put it back (the window's undo).
    DeleteAndUndo(usize),
    Rename {
        from: usize,
        to: usize,
    },
    /// A sync's merge: one cycle changed, one deleted.
    Merge {
        change: usize,
        delete: usize,
    },
    /// A restore: everything replaced by what was there, minus one cycle.
    Restore(usize),
    Reopen,
}

const AREAS: [&str; 4] = ["pitches", "Running", "running", "chess"];
const OUTCOMES: [&str; 4] = ["success", "partial", "failure", "pending"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..AREAS.len(), 0..4usize, 1u8..=5, 1u32..=27, prop::array::uniform4(any::<bool>()), prop::option::of(any::<usize>()))
            .prop_map(|(area, outcome, effort, day, reflect, tests)| Op::Log { area, outcome, effort, day, reflect, tests }),
        2 => (any::<usize>(), 0..4usize, prop::array::uniform4(any::<bool>()), 1u32..=27)
            .prop_map(|(which, outcome, reflect, day)| Op::Edit { which, outcome, reflect, day }),
        1 => any::<usize>().prop_map(Op::Delete),
        1 => any::<usize>().prop_map(Op::DeleteAndUndo),
        1 => (0..AREAS.len(), 0..AREAS.len()).prop_map(|(from, to)| Op::Rename { from, to }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(change, delete)| Op::Merge { change, delete }),
        1 => any::<usize>().prop_map(Op::Restore),
        1 => Just(Op::Reopen),
    ]
}

fn draft(
    area: &str,
    outcome: usize,
    effort: u8,
    day: u32,
    reflect: [bool; 4],
) -> serde_json::Value {
    let mut d = json!({
        "area": area,
        "attempt": "an attempt",
        "attempted_on": format!("2026-11-{day:02}"),
        "outcome": OUTCOMES[outcome],
        "difficulty": 5,
        "stakes": 2,
        "effort": effort,
        "safety": 3,
    });
    let setback = matches!(outcome, 1 | 2);
    for (on, field) in
        reflect
            .iter()
            .zip(["observation", "in_my_control", "external", "adjustment"])
    {
        // Reflection belongs to a known outcome.
        if *on && (setback || field == "adjustment") && outcome != 3 {
            d[field] = json!("written");
        }
    }
    d
}

fn pick(all: &[Cycle], n: usize) -> Option<&Cycle> {
    (!all.is_empty()).then(|| &all[n % all.len()])
}

fn apply(store: Store, dir: &std::path::Path, op: &Op, step: i64) -> Store {
    let all = store.all_by_id().unwrap();
    let at = clock_plus(step);
    match op {
        Op::Log {
            area,
            outcome,
            effort,
            day,
            reflect,
            tests,
        } => {
            let mut d = draft(AREAS[*area], *outcome, *effort, *day, *reflect);
            if let Some(target) = tests.and_then(|n| pick(&all, n)) {
                d["tests_cycle"] = json!(target.id.to_string());
                d["applied"] = json!("yes");
                d["result"] = json!("better");
            }
            use_cases::log_cycle(&store, d, at).unwrap();
        }
        Op::Edit {
            which,
            outcome,
            reflect,
            day,
        } => {
            if let Some(c) = pick(&all, *which) {
                let d = draft(&c.fields.area, *outcome, c.fields.effort, *day, *reflect);
                use_cases::edit_cycle(&store, &c.id.to_string(), d, at).unwrap();
            }
        }
        Op::Delete(n) => {
            if let Some(c) = pick(&all, *n) {
                store.delete(c.id).unwrap();
            }
        }
        Op::DeleteAndUndo(n) => {
            if let Some(c) = pick(&all, *n) {
                let gone = store.delete(c.id).unwrap();
                store.add_cycles(&[gone]).unwrap();
            }
        }
        Op::Rename { from, to } => {
            // Renaming an area that has no cycle is refused; that is fine here.
            let _ = use_cases::rename_area(&store, AREAS[*from], AREAS[*to], at);
        }
        Op::Merge { change, delete } => {
            let mut merge = Merge::default();
            if let Some(c) = pick(&all, *change) {
                let mut changed = c.clone();
                changed.fields.outcome = rebound_core::cycle::Outcome::Failure;
                changed.fields.observation = None;
                changed.fields.area = "from elsewhere".into();
                changed.updated_at = at.now;
                merge.put.push(changed);
            }
            if let Some(c) = pick(&all, *delete) {
                if merge.put.first().is_none_or(|p| p.id != c.id) {
                    merge.delete.push(c.id);
                }
            }
            store.apply_merge(&merge, store.position()).unwrap();
        }
        Op::Restore(n) => {
            let mut base = store.contents().unwrap();
            if !base.cycles.is_empty() {
                let gone = n % base.cycles.len();
                base.cycles.remove(gone);
            }
            let fresh = store.replace_all(&base, store.position()).unwrap();
            drop(store);
            return fresh;
        }
        Op::Reopen => {
            drop(store);
            return Store::open(dir).unwrap();
        }
    }
    store
}

/// The summaries agree with the cycles, and so do Today and the evidence.
fn check(store: &Store) -> Result<(), TestCaseError> {
    let cycles = store.all_by_id().unwrap();
    let summaries = store.summaries().unwrap();
    let expected: Vec<CycleSummary> = cycles.iter().map(CycleSummary::from).collect();
    prop_assert_eq!(&summaries, &expected);

    let ids = |list: &[&Cycle]| list.iter().map(|c| c.id).collect::<Vec<_>>();
    let sids = |list: &[&CycleSummary]| list.iter().map(|c| c.id).collect::<Vec<_>>();
    let whole = today::today(&cycles, &[], clock().today);
    let facts = today::today(&summaries, &[], clock().today);
    prop_assert_eq!(ids(&whole.pending), sids(&facts.pending));
    prop_assert_eq!(ids(&whole.untested), sids(&facts.untested));
    prop_assert_eq!(
        whole
            .unfinished
            .iter()
            .map(|u| (u.cycle.id, u.missing.clone()))
            .collect::<Vec<_>>(),
        facts
            .unfinished
            .iter()
            .map(|u| (u.cycle.id, u.missing.clone()))
            .collect::<Vec<_>>()
    );
    prop_assert_eq!(whole.lesson.map(|c| c.id), facts.lesson.map(|c| c.id));
    prop_assert_eq!(
        whole
            .on_this_day
            .iter()
            .map(|d| (d.cycle.id, d.months_ago))
            .collect::<Vec<_>>(),
        facts
            .on_this_day
            .iter()
            .map(|d| (d.cycle.id, d.months_ago))
            .collect::<Vec<_>>()
    );
    prop_assert_eq!(insights::evidence(&cycles), insights::evidence(&summaries));

    // What the window shows is the whole cycles behind those summaries.
    let view = use_cases::today_view(store, clock()).unwrap();
    prop_assert_eq!(view.cycles, cycles.len());
    prop_assert_eq!(view.totals.pending, whole.pending.len());
    let shown: Vec<Cycle> = view.pending.iter().map(|v| v.cycle.clone()).collect();
    let expected: Vec<Cycle> = whole.pending.iter().take(3).map(|c| (*c).clone()).collect();
    prop_assert_eq!(shown, expected);
    prop_assert_eq!(view.lesson.map(|v| v.cycle), whole.lesson.cloned());
    check_editor(store, &cycles)
}

/// The editor's guide and open adjustment, read from the summaries and the area's own
/// cycles, are what the whole cycles give.
fn check_editor(store: &Store, cycles: &[Cycle]) -> Result<(), TestCaseError> {
    let groups = insights::by_area(cycles);
    let guides = use_cases::area_guides(store).unwrap();
    let band = use_cases::target_band(store).unwrap();
    for asked in ["", "PITCHES", "running", "chess", "nowhere"] {
        let guide = use_cases::attempt_guide(store, asked).unwrap();
        let name = if asked.is_empty() {
            let last = cycles
                .iter()
                .max_by_key(|c| (c.fields.attempted_on, c.created_at, c.id));
            last.map(|c| c.fields.area.to_lowercase())
                .unwrap_or_default()
        } else {
            asked.to_lowercase()
        };
        let history = groups.get(&name);
        prop_assert_eq!(guide.known, history.is_some(), "known, {}", asked);
        if let Some(history) = history {
            let last = history.last().unwrap();
            prop_assert_eq!(&guide.area, &last.fields.area);
            prop_assert_eq!(
                guide.last.map(|l| l.attempted_on),
                Some(last.fields.attempted_on)
            );
            prop_assert_eq!(guide.edge, edge_of(history, &guides, band));
            prop_assert_eq!(guide.proven, playbook::proven_in(cycles, &name));
        }
        let open = use_cases::open_adjustment(store, asked).unwrap();
        let expected = history
            .and_then(|h| today::open_adjustment(cycles, &h[0].fields.area))
            .filter(|_| !asked.is_empty());
        prop_assert_eq!(
            open.map(|v| v.cycle.id),
            expected.map(|c| c.id),
            "open, {}",
            asked
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn summaries_always_agree_with_the_cycles(ops in prop::collection::vec(op(), 1..24)) {
        let dir = temp_dir();
        let mut store = Store::open(dir.path()).unwrap();
        for (step, op) in ops.iter().enumerate() {
            store = apply(store, dir.path(), op, step as i64);
            check(&store)?;
        }
    }
}

#[test]
fn a_recovered_database_has_its_summaries() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    {
        let store = Store::open(&data).unwrap();
        for day in 1..=5 {
            let d = draft("pitches", 2, 4, day, [true, false, false, true]);
            use_cases::log_cycle(&store, d, clock()).unwrap();
        }
    }
    crate::util::damage(&data);
    assert!(Store::open(&data).is_err());
    let (store, _) = use_cases::recover(&data, clock()).unwrap();
    check(&store).unwrap();
    assert_eq!(store.summaries().unwrap().len(), 5);
}
