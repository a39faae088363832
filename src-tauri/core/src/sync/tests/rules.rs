//! The merge's rules, one case each (the property test in `mod.rs` covers any mix).

use super::*;

/// Two computers that both read the first one's cycle.
fn two_with_one_cycle() -> (Computer, Computer, Folder, CycleId) {
    let (mut a, mut b) = (Computer::new(1), Computer::new(2));
    let mut folder = Folder::new();
    let mut fields = CycleFields::sample(
        "pitches",
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
        Outcome::Failure,
    );
    fields.observation = Some("first words".into());
    let cycle = Cycle::new(fields, now(0));
    let id = cycle.id;
    a.data.cycles.push(cycle);
    a.sync(&mut folder, &|_| true, now(1));
    b.sync(&mut folder, &|_| true, now(2));
    (a, b, folder, id)
}

#[test]
fn the_same_text_field_changed_on_two_computers_keeps_both_texts() {
    let (mut a, mut b, mut folder, _) = two_with_one_cycle();
    a.data.cycles[0].fields.observation = Some("They went quiet at the pricing slide".into());
    a.data.cycles[0].updated_at = now(3);
    b.data.cycles[0].fields.observation = Some("The demo crashed before pricing".into());
    b.data.cycles[0].updated_at = now(4);
    a.sync(&mut folder, &|_| true, now(5));
    let merged = b.sync(&mut folder, &|_| true, now(6));
    a.sync(&mut folder, &|_| true, now(7));
    assert_eq!(a.data, b.data);
    assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
    let texts: Vec<Option<&str>> = merged.conflicts[0]
        .versions
        .iter()
        .map(|v| v.text.as_deref())
        .collect();
    // The later edit is shown; the other is kept.
    assert_eq!(
        texts,
        [
            Some("The demo crashed before pricing"),
            Some("They went quiet at the pricing slide")
        ]
    );
    assert_eq!(
        b.data.cycles[0].fields.observation.as_deref(),
        Some("The demo crashed before pricing")
    );

    // Choosing one (an edit made after seeing both) resolves it everywhere.
    b.data.cycles[0].fields.observation = Some("They went quiet at the pricing slide".into());
    let merged = b.sync(&mut folder, &|_| true, now(8));
    assert!(merged.conflicts.is_empty());
    let merged = a.sync(&mut folder, &|_| true, now(9));
    assert!(merged.conflicts.is_empty());
    assert_eq!(a.data, b.data);
}

#[test]
fn different_fields_changed_on_two_computers_both_stay_without_a_conflict() {
    let (mut a, mut b, mut folder, _) = two_with_one_cycle();
    a.data.cycles[0].fields.observation = Some("observed on a".into());
    b.data.cycles[0].fields.difficulty = 9;
    b.data.cycles[0].fields.adjustment = Some("adjusted on b".into());
    a.sync(&mut folder, &|_| true, now(5));
    let merged = b.sync(&mut folder, &|_| true, now(6));
    a.sync(&mut folder, &|_| true, now(7));
    assert!(merged.conflicts.is_empty());
    let f = &a.data.cycles[0].fields;
    assert_eq!(
        (
            f.observation.as_deref(),
            f.difficulty,
            f.adjustment.as_deref()
        ),
        (Some("observed on a"), 9, Some("adjusted on b"))
    );
    assert_eq!(a.data, b.data);
}

#[test]
fn an_edit_made_without_seeing_a_deletion_keeps_the_cycle_and_a_later_deletion_removes_it() {
    let (mut a, mut b, mut folder, id) = two_with_one_cycle();
    a.data.cycles.clear();
    b.data.cycles[0].fields.observation = Some("written while a deleted it".into());
    a.sync(&mut folder, &|_| true, now(5));
    b.sync(&mut folder, &|_| true, now(6));
    a.sync(&mut folder, &|_| true, now(7));
    assert_eq!(a.data, b.data);
    assert_eq!(
        a.data.cycles.len(),
        1,
        "the edit was not lost to the deletion"
    );
    assert_eq!(
        a.data.cycles[0].fields.observation.as_deref(),
        Some("written while a deleted it")
    );
    // Deleted again, having seen the edit: gone everywhere.
    a.data.cycles.retain(|c| c.id != id);
    a.sync(&mut folder, &|_| true, now(8));
    b.sync(&mut folder, &|_| true, now(9));
    assert!(b.data.cycles.is_empty());
}

#[test]
fn an_emptied_folder_deletes_nothing() {
    let (mut a, mut b, mut folder, _) = two_with_one_cycle();
    folder.clear();
    a.sync(&mut folder, &|_| true, now(5));
    b.sync(&mut folder, &|_| true, now(6));
    assert_eq!(a.data.cycles.len(), 1);
    assert_eq!(b.data.cycles.len(), 1);
}

#[test]
fn a_checkpoint_carries_everything_still_in_effect_to_a_computer_that_missed_the_rest() {
    let (mut a, _, mut folder, _) = two_with_one_cycle();
    for n in 0..5 {
        a.data.cycles[0].fields.observation = Some(format!("edit {n}"));
        a.sync(&mut folder, &|_| true, now(3 + n));
    }
    a.checkpoint(&mut folder, now(10));
    assert_eq!(folder[&a.id].len(), 1, "one file replaces them all");
    let mut c = Computer::new(3);
    c.sync(&mut folder, &|_| true, now(11));
    assert_eq!(c.data, a.data);
    let ops: usize = a
        .replica
        .batches
        .values()
        .flat_map(|b| b.values())
        .map(|k| k.ops.len())
        .sum();
    assert_eq!(
        ops, 2,
        "the first log and the last edit are all that remain in effect"
    );
    let _ = Duration::zero();
}

#[test]
fn a_deletion_made_through_a_hole_in_what_was_read_merges_the_same_everywhere() {
    // A edits a cycle twice; C reads A's first and third segments but not the second,
    // and deletes the cycle. D read all of A's segments; E reads only A's checkpoint.
    // Merging compacts first, so both see the deletion of the version C saw.
    let (mut a, _, mut folder, _) = two_with_one_cycle();
    for n in 0..2 {
        a.data.cycles[0].fields.observation = Some(format!("edit {n}"));
        a.sync(&mut folder, &|_| true, now(3 + n));
    }
    let mut c = Computer::new(3);
    let a_files = folder[&a.id].clone();
    assert_eq!(a_files.len(), 3);
    take(&mut c.replica, &a_files[0]);
    take(&mut c.replica, &a_files[2]);
    c.data = materialize(&c.replica).base;
    c.data.cycles.clear();
    c.sync(&mut folder, &|_| false, now(6));
    let mut d = Computer::new(4);
    d.sync(&mut folder, &|_| true, now(7));
    a.checkpoint(&mut folder, now(8));
    let mut e = Computer::new(5);
    e.sync(&mut folder, &|_| true, now(9));
    assert_eq!(d.data, e.data);
    assert!(d.data.cycles.is_empty(), "{:?}", d.data.cycles);
}

#[test]
fn preferences_and_check_ins_take_the_later_change() {
    let (mut a, mut b, mut folder, _) = two_with_one_cycle();
    let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default();
    a.data
        .prefs
        .insert("calibration_band".into(), json!({"low": 60, "high": 80}));
    a.data.checkins.insert(day, [1; 6]);
    a.sync(&mut folder, &|_| true, now(5));
    b.data
        .prefs
        .insert("calibration_band".into(), json!({"low": 70, "high": 95}));
    b.data.checkins.insert(day, [5; 6]);
    b.sync(&mut folder, &|_| true, now(6));
    a.sync(&mut folder, &|_| true, now(7));
    assert_eq!(
        a.data.prefs["calibration_band"],
        json!({"low": 70, "high": 95})
    );
    assert_eq!(a.data.checkins[&day], [5; 6]);
    assert_eq!(a.data, b.data);
}

#[test]
fn an_area_renamed_while_a_cycle_in_it_was_deleted_does_not_bring_the_cycle_back() {
    let (mut a, mut b, mut folder, _) = two_with_one_cycle();
    a.data.cycles.clear();
    b.data.cycles[0].fields.area = "Pitching".into();
    a.sync(&mut folder, &|_| true, now(5));
    b.sync(&mut folder, &|_| true, now(6));
    a.sync(&mut folder, &|_| true, now(7));
    assert!(a.data.cycles.is_empty() && b.data.cycles.is_empty());
}

#[test]
fn another_computer_cannot_set_answers_out_of_range_or_this_computers_own_preferences() {
    let mut replica = Replica::default();
    let other = device(9);
    let ops = vec![
        Op {
            i: 0,
            hlc: Hlc(1, 0),
            body: crate::sync::format::Body::Checkin {
                day: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
                answers: [9; 6],
            },
        },
        Op {
            i: 1,
            hlc: Hlc(1, 1),
            body: crate::sync::format::Body::Pref {
                key: "sync_applied".into(),
                item: None,
                value: json!("not yours"),
            },
        },
        Op {
            i: 2,
            hlc: Hlc(1, 2),
            body: crate::sync::format::Body::Pref {
                key: "reminder_last_shown".into(),
                item: None,
                value: json!("2026-11-27T09:30:00"),
            },
        },
        Op {
            i: 3,
            hlc: Hlc(1, 3),
            body: crate::sync::format::Body::Pref {
                key: "reminder".into(),
                item: None,
                value: json!({"enabled": true, "time": "07:30"}),
            },
        },
    ];
    replica.add_batch(
        &other,
        &Batch {
            seg: 1,
            seen: BTreeMap::new(),
            ops,
        },
    );
    let merged = materialize(&replica);
    assert!(merged.base.checkins.is_empty());
    assert_eq!(merged.base.prefs.keys().collect::<Vec<_>>(), ["reminder"]);
}

#[test]
fn two_areas_guides_changed_on_two_computers_at_once_both_stay() {
    // Regression: `area_guides` is one map of every area's band and rule; merged as a
    // whole value, the later computer's map undid the other's change to another area.
    let (mut a, mut b, mut folder, _) = two_with_one_cycle();
    let rule = |up: u8| json!({"band": null, "staircase": {"up_after": up, "down_after": 1}});
    let band = json!({"band": {"low": 60, "high": 80}, "staircase": null});
    a.data.prefs.insert(
        "area_guides".into(),
        json!({"running": rule(2), "writing": rule(3)}),
    );
    a.sync(&mut folder, &|_| true, now(3));
    b.sync(&mut folder, &|_| true, now(4));
    assert_eq!(guides_of(&b.data).len(), 2);

    // At the same time: the laptop gives pitches a band and changes running's rule;
    // the desktop changes writing's rule and takes running's back to the default.
    a.data.prefs.insert(
        "area_guides".into(),
        json!({"pitches": band, "running": rule(4), "writing": rule(3)}),
    );
    b.data
        .prefs
        .insert("area_guides".into(), json!({"writing": rule(1)}));
    a.sync(&mut folder, &|_| true, now(5));
    b.sync(&mut folder, &|_| true, now(6));
    a.sync(&mut folder, &|_| true, now(7));

    let guides = guides_of(&a.data);
    assert_eq!(guides["pitches"], band, "the laptop's new area guide stays");
    assert_eq!(guides["writing"], rule(1), "the desktop's change stays");
    // The same area changed on both at once: the later clock (the desktop's) wins.
    assert!(!guides.contains_key("running"), "{guides:?}");
    assert_eq!(a.data, b.data);
}

#[test]
fn an_area_guide_that_would_not_decode_is_left_out_and_the_others_stay() {
    let mut replica = Replica::default();
    let entry = |i: u32, area: &str, value: Value| Op {
        i,
        hlc: Hlc(1, i),
        body: crate::sync::format::Body::Pref {
            key: "area_guides".into(),
            item: Some(area.into()),
            value,
        },
    };
    let good = json!({"band": {"low": 60, "high": 80}});
    let ops = vec![
        entry(0, "pitches", good.clone()),
        entry(1, "running", json!("not a guide")),
        entry(
            2,
            "writing",
            json!({"staircase": {"up_after": 2, "down_after": 1}}),
        ),
        entry(3, "writing", Value::Null),
        entry(
            4,
            "client calls",
            json!({"staircase": {"up_after": 0, "down_after": 1}}),
        ),
    ];
    replica.add_batch(
        &device(9),
        &Batch {
            seg: 1,
            seen: BTreeMap::new(),
            ops,
        },
    );
    let merged = materialize(&replica);
    assert_eq!(merged.base.prefs["area_guides"], json!({"pitches": good}));
}
