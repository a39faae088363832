use proptest::prelude::*;
use rebound_core::cycle::{CycleDraft, Outcome};
use rebound_core::error::Error;
use rebound_core::store::Store;
use rebound_core::use_cases;
use serde_json::json;

use crate::util::{clock, clock_plus, content, day, draft, full_draft, temp_dir};

#[test]
fn saved_cycles_are_there_after_reopening() {
    let dir = temp_dir();
    let saved = {
        let store = Store::open(dir.path()).unwrap();
        use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
        use_cases::log_cycle(
            &store,
            draft("running", "10k", "success", 4, "2026-11-21"),
            clock(),
        )
        .unwrap();
        content(&store)
    };
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(content(&store), saved);
    assert_eq!(store.count().unwrap(), 2);
}

#[test]
fn recent_lists_the_newest_attempt_first_and_the_latest_logged_within_a_day() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let a = use_cases::log_cycle(
        &store,
        draft("a", "old", "failure", 4, "2026-11-01"),
        clock(),
    )
    .unwrap();
    let b = use_cases::log_cycle(
        &store,
        draft("a", "new", "failure", 4, "2026-11-20"),
        clock(),
    )
    .unwrap();
    let c = use_cases::log_cycle(
        &store,
        draft("a", "older", "failure", 4, "2026-10-01"),
        clock(),
    )
    .unwrap();
    let d = use_cases::log_cycle(
        &store,
        draft("a", "new too", "failure", 4, "2026-11-20"),
        clock(),
    )
    .unwrap();
    let order: Vec<_> = store
        .recent(10, 0)
        .unwrap()
        .0
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(order, [d.id, b.id, a.id, c.id]);
    let page: Vec<_> = store
        .recent(2, 1)
        .unwrap()
        .0
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(page, [b.id, a.id]);
}

#[test]
fn editing_keeps_the_id_and_creation_time_and_moves_the_cycle_in_the_list() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let first = use_cases::log_cycle(
        &store,
        draft("a", "first", "pending", 4, "2026-11-10"),
        clock(),
    )
    .unwrap();
    let second = use_cases::log_cycle(
        &store,
        draft("a", "second", "pending", 4, "2026-11-15"),
        clock(),
    )
    .unwrap();
    let mut changed = full_draft();
    changed["attempted_on"] = json!("2026-11-25");
    let edited =
        use_cases::edit_cycle(&store, &first.id.to_string(), changed, clock_plus(90)).unwrap();
    assert_eq!(edited.id, first.id);
    assert_eq!(edited.created_at, first.created_at);
    assert_eq!(edited.updated_at, clock_plus(90).now);
    assert_eq!(edited.fields.outcome, Outcome::Failure);
    let order: Vec<_> = store
        .recent(10, 0)
        .unwrap()
        .0
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        order,
        [first.id, second.id],
        "the edited date moved it to the top"
    );
    assert_eq!(store.count().unwrap(), 2, "an edit never duplicates");
}

#[test]
fn deleting_returns_the_cycle_and_adding_it_back_restores_it_exactly() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let kept = use_cases::log_cycle(
        &store,
        draft("a", "kept", "success", 4, "2026-11-02"),
        clock(),
    )
    .unwrap();
    let gone = use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    let before = content(&store);
    let deleted = use_cases::delete_cycle(&store, &gone.id.to_string()).unwrap();
    assert_eq!(deleted, gone);
    assert_eq!(content(&store), std::slice::from_ref(&kept));
    assert_eq!(
        store.areas().unwrap().len(),
        1,
        "the index entries went too"
    );
    let report = store.add_cycles(&[deleted]).unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(content(&store), before);
    assert!(matches!(
        use_cases::delete_cycle(&store, &kept.id.to_string())
            .and_then(|_| use_cases::delete_cycle(&store, &kept.id.to_string())),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn a_data_folder_that_is_a_file_or_below_one_is_a_usage_error() {
    let dir = temp_dir();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "my notes\n").unwrap();
    for data in [file.clone(), file.join("deeper").join("rebound")] {
        match Store::open(&data) {
            Err(Error::Usage(message)) => {
                assert!(message.contains("is a file, not a folder"), "{message}");
                assert_eq!(Error::Usage(message).kind(), "usage");
            }
            other => panic!("{:?}", other.err()),
        }
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my notes\n");
}

#[test]
fn a_second_open_of_the_same_folder_is_refused_as_already_open() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    let second = Store::open(dir.path());
    assert!(
        matches!(second, Err(Error::AlreadyOpen { .. })),
        "{:?}",
        second.err()
    );
    let message = Store::open(dir.path()).err().unwrap().to_string();
    assert!(message.contains("already open"), "{message}");
    assert_eq!(
        store.count().unwrap(),
        1,
        "the refused open changed nothing"
    );
    drop(store);
    assert_eq!(
        Store::open(dir.path()).unwrap().count().unwrap(),
        1,
        "the folder is free again"
    );
}

#[test]
fn areas_are_one_whatever_the_case_and_keep_their_first_spelling() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    for (area, n) in [
        ("Client pitches", 1),
        ("client PITCHES", 2),
        ("running", 3),
        ("  client   pitches ", 4),
    ] {
        use_cases::log_cycle(
            &store,
            draft(area, &format!("try {n}"), "success", 4, "2026-11-02"),
            clock(),
        )
        .unwrap();
    }
    let areas = store.areas().unwrap();
    let named: Vec<_> = areas.iter().map(|a| (a.name.as_str(), a.cycles)).collect();
    assert_eq!(named, [("Client pitches", 3), ("running", 1)]);
    assert!(store
        .all_by_id()
        .unwrap()
        .iter()
        .filter(|c| c.fields.area != "running")
        .all(|c| c.fields.area == "Client pitches"));
}

#[test]
fn a_cycle_is_found_by_its_id_or_a_unique_start_of_it() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let one = use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    let id = one.id.to_string();
    assert_eq!(store.find(&id).unwrap(), one);
    assert_eq!(store.find(&id.to_uppercase()).unwrap(), one);
    assert_eq!(store.find(&id[..13]).unwrap(), one);
    assert!(matches!(store.find("zz"), Err(Error::InvalidId(_))));
    assert!(matches!(store.find("ffffffff"), Err(Error::NotFound(_))));
    let two = use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    let shared = id
        .chars()
        .zip(two.id.to_string().chars())
        .take_while(|(a, b)| a == b)
        .count();
    if shared >= 4 {
        assert!(matches!(
            store.find(&id[..shared]),
            Err(Error::AmbiguousId { count: 2, .. })
        ));
    }
}

#[test]
fn invalid_input_stores_nothing_and_names_every_problem() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    let before = content(&store);
    let bad = json!({"area": "a", "attempt": "b", "difficulty": 11, "stakes": 0, "effort": "lots", "safety": null});
    let Err(Error::Invalid(fields)) = use_cases::log_cycle(&store, bad, clock()) else {
        panic!("an invalid draft must be refused");
    };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["difficulty", "stakes", "effort", "safety"]);
    let edit = use_cases::edit_cycle(
        &store,
        &before[0].id.to_string(),
        json!({"area": ""}),
        clock(),
    );
    assert!(matches!(edit, Err(Error::Invalid(_))));
    assert_eq!(content(&store), before, "nothing stored was changed");
}

/// A long batch streamed through the journal: a bad line near its end stores nothing
/// (and leaves the journal as it was); the same batch without it is stored whole, read
/// back from the journal when it is too big to keep in memory, and survives a reopen,
/// whose compaction of the long journal streams too.
#[test]
fn a_long_streamed_batch_is_all_or_nothing_and_survives_a_reopen() {
    const N: usize = 21_000;
    let dir = temp_dir();
    let journal = dir.path().join("journal");
    let lines = |bad_at: Option<usize>| {
        (1..=N).map(move |n| {
            let attempt = if Some(n) == bad_at {
                String::new()
            } else {
                format!("try {n}")
            };
            let mut d = draft(
                if n % 2 == 0 { "A" } else { "a" },
                &attempt,
                "success",
                4,
                "2026-11-02",
            );
            // Long enough that the batch's journal passes the size that compacts it, and
            // that what waits for sled passes the 32 MiB kept in memory (the rest waits
            // in a temporary file).
            d["observation"] = json!("so ".repeat(600));
            Ok((n, d))
        })
    };
    let journal_bytes = || -> u64 {
        std::fs::read_dir(&journal)
            .unwrap()
            .flatten()
            .map(|e| e.metadata().unwrap().len())
            .sum()
    };
    {
        let store = Store::open(dir.path()).unwrap();
        let before = journal_bytes();
        let err = use_cases::log_stream(&store, lines(Some(N - 1)), clock()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("line {}: attempt is required", N - 1)),
            "{err}"
        );
        assert!(err.to_string().ends_with("nothing was logged"), "{err}");
        assert_eq!(store.count().unwrap(), 0);
        assert_eq!(
            journal_bytes(),
            before,
            "nothing of the batch stays in the journal"
        );

        let ids = use_cases::log_stream(&store, lines(None), clock()).unwrap();
        assert_eq!(ids.len(), N);
        assert_eq!(store.count().unwrap(), N);
        let stored: Vec<_> = store.all_by_id().unwrap();
        assert!(
            stored.iter().all(|c| c.fields.area == "a"),
            "one spelling per area"
        );
        let mut wanted = ids.clone();
        wanted.sort();
        assert_eq!(stored.iter().map(|c| c.id).collect::<Vec<_>>(), wanted);
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.count().unwrap(), N);
    assert!(
        journal.join("base-000002.json").exists(),
        "the long journal compacted"
    );
    let stored = content(&store);
    drop(store);
    // The compacted base alone rebuilds everything.
    let replay = rebound_core::journal::Journal::open(dir.path())
        .unwrap()
        .replay()
        .unwrap();
    assert!(replay.had_base);
    assert_eq!(replay.base.cycles, stored);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        content(&store),
        stored,
        "the same after the journal compacted"
    );
}

#[test]
fn logging_many_is_all_or_nothing() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let good = draft("a", "fine", "success", 4, "2026-11-02");
    let bad = draft("a", "", "success", 4, "2026-11-02");
    let lines = vec![
        (1, good.clone()),
        (2, bad.clone()),
        (3, good.clone()),
        (4, bad),
    ];
    let err = use_cases::log_cycles(&store, lines, clock()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2: attempt is required: say in a few words what you attempted \
         (and 1 more line with problems); nothing was logged"
    );
    assert_eq!(store.count().unwrap(), 0);
    let two = use_cases::log_cycles(&store, vec![(1, good.clone()), (2, good)], clock()).unwrap();
    assert_eq!(two.len(), 2);
    assert_eq!(store.count().unwrap(), 2);
}

#[test]
fn adding_never_changes_a_stored_cycle() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let stored = use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    let mut other = stored.clone();
    other.fields.attempt = "a different text under the same id".into();
    let report = store.add_cycles(&[stored.clone(), other]).unwrap();
    assert_eq!(
        (report.added, report.identical, report.kept_existing.len()),
        (0, 1, 1)
    );
    assert_eq!(content(&store), [stored]);
}

#[test]
fn a_future_date_is_refused_but_today_and_the_past_are_not() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let tomorrow = draft("a", "b", "pending", 4, "2026-11-28");
    assert!(use_cases::log_cycle(&store, tomorrow, clock()).is_err());
    let today =
        use_cases::log_cycle(&store, draft("a", "b", "pending", 4, "2026-11-27"), clock()).unwrap();
    assert_eq!(today.fields.attempted_on, day(27));
    let undated = CycleDraft::from_value(json!({"area": "a", "attempt": "b", "difficulty": 1, "stakes": 1, "effort": 1, "safety": 1})).unwrap();
    assert_eq!(undated.check(day(27)).unwrap().attempted_on, day(27));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The list order depends on the attempt days and the order logged, nothing else.
    #[test]
    fn recent_is_sorted_by_day_then_log_order(days in proptest::collection::vec(1u32..28, 1..20)) {
        let dir = temp_dir();
        let store = Store::open(dir.path()).unwrap();
        let mut logged = Vec::new();
        for (n, d) in days.iter().enumerate() {
            let on = format!("2026-11-{d:02}");
            logged.push(use_cases::log_cycle(&store, draft("a", &format!("{n}"), "success", 4, &on), clock()).unwrap());
        }
        let mut expected = logged.clone();
        expected.sort_by_key(|c| std::cmp::Reverse((c.fields.attempted_on, c.id)));
        prop_assert_eq!(store.recent(100, 0).unwrap().0, expected);
    }
}

#[test]
fn renaming_an_area_moves_every_cycle_and_a_bad_name_changes_nothing() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    for (area, day) in [
        ("chess", "2026-11-01"),
        ("Chess", "2026-11-02"),
        ("go", "2026-11-03"),
    ] {
        use_cases::log_cycle(&store, draft(area, "a game", "failure", 4, day), clock()).unwrap();
    }
    let before = content(&store);
    for bad in ["", "   ", &"x".repeat(200)] {
        let err = use_cases::rename_area(&store, "chess", bad, clock()).unwrap_err();
        assert_eq!(err.kind(), "invalid", "{bad:?}");
    }
    let err = use_cases::rename_area(&store, "nowhere", "x", clock()).unwrap_err();
    assert_eq!(err.kind(), "notFound");
    assert_eq!(content(&store), before, "refused renames change nothing");

    // A change of case only, then a merge into another area.
    assert_eq!(
        use_cases::rename_area(&store, "chess", "Chess", clock()).unwrap(),
        2
    );
    assert_eq!(
        use_cases::rename_area(&store, "GO", "chess", clock()).unwrap(),
        1
    );
    let areas = store.areas().unwrap();
    assert_eq!(areas.len(), 1);
    assert_eq!((areas[0].name.as_str(), areas[0].cycles), ("Chess", 3));
    drop(store);
    let reopened = Store::open(dir.path()).unwrap();
    assert!(content(&reopened).iter().all(|c| c.fields.area == "Chess"));
    // New cycles take the spelling the renames left: "go" is gone, so "Go" is new.
    for (area, spelled) in [("CHESS", "Chess"), ("Go", "Go")] {
        let made = use_cases::log_cycle(
            &reopened,
            draft(area, "one more", "failure", 4, "2026-11-04"),
            clock(),
        )
        .unwrap();
        assert_eq!(made.fields.area, spelled);
    }
}

#[test]
fn the_shared_snapshot_follows_every_write() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.snapshot().unwrap().is_empty());
    let made = use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    let first = store.snapshot().unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        std::sync::Arc::ptr_eq(&first, &store.snapshot().unwrap()),
        "shared, not re-read"
    );
    use_cases::edit_cycle(
        &store,
        &made.id.to_string(),
        draft("x", "y", "success", 4, "2026-11-20"),
        clock_plus(1),
    )
    .unwrap();
    assert_eq!(store.snapshot().unwrap()[0].fields.area, "x");
    use_cases::rename_area(&store, "x", "z", clock_plus(2)).unwrap();
    assert_eq!(store.snapshot().unwrap()[0].fields.area, "z");
    use_cases::delete_cycle(&store, &made.id.to_string()).unwrap();
    assert!(store.snapshot().unwrap().is_empty());
}

#[test]
fn a_snapshot_no_reader_asked_for_a_while_is_let_go_and_read_again() {
    use std::time::Duration;
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    assert!(
        !store.release_idle_snapshot(Duration::ZERO),
        "none to let go of"
    );
    use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    let first = store.snapshot().unwrap();
    assert!(
        !store.release_idle_snapshot(Duration::from_secs(3600)),
        "kept while in use"
    );
    assert!(std::sync::Arc::ptr_eq(&first, &store.snapshot().unwrap()));
    assert!(store.release_idle_snapshot(Duration::ZERO));
    let again = store.snapshot().unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &again), "read again");
    assert_eq!(*first, *again);
}

#[test]
fn a_snapshot_cut_short_by_a_kill_does_not_stop_the_next_open() {
    let dir = temp_dir();
    let store = Store::open(dir.path()).unwrap();
    let made = use_cases::log_cycle(&store, full_draft(), clock()).unwrap();
    drop(store);
    // What a kill in the middle of sled's snapshot leaves: a partial `.generating` file,
    // named so that it sorts after every real snapshot.
    let sled_dir = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().starts_with("db"))
        .expect("sled's folder");
    std::fs::write(
        sled_dir.join("snap.FFFFFFFFFFFFFFFF.generating"),
        b"half a snapshot, cut",
    )
    .unwrap();
    let reopened = Store::open(dir.path()).expect("the database opens");
    assert_eq!(reopened.get(made.id).unwrap().as_ref(), Some(&made));
    assert!(!sled_dir.join("snap.FFFFFFFFFFFFFFFF.generating").exists());
}

/// Copy every file under `from` to `to`, keeping each one's modification time (as `cp
/// -a`, `rsync -a` or a restored backup of the whole folder do) or not.
fn copy_folder(from: &std::path::Path, to: &std::path::Path, keep_times: bool) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target, keep_times);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            if keep_times {
                let modified = entry.metadata().unwrap().modified().unwrap();
                let file = std::fs::File::options().write(true).open(&target).unwrap();
                file.set_modified(modified).unwrap();
            }
        }
    }
}

fn set_aside(data: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(data)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with("unclean-"))
        .collect()
}

#[test]
fn a_data_folder_copied_with_its_times_opens_in_place_and_every_copy_holds_everything() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    let saved = {
        let store = Store::open(&data).unwrap();
        for n in 0..30 {
            let on = format!("2026-11-{:02}", 1 + n % 26);
            use_cases::log_cycle(
                &store,
                draft("a", &format!("try {n}"), "failure", 4, &on),
                clock(),
            )
            .unwrap();
        }
        content(&store)
    };
    for keep_times in [true, false] {
        let copy = dir.path().join(format!("copy-{keep_times}"));
        copy_folder(&data, &copy, keep_times);
        let store = Store::open(&copy).unwrap();
        assert_eq!(content(&store), saved);
        assert_eq!(store.count().unwrap(), saved.len());
        drop(store);
        if keep_times {
            // The same bytes as Rebound closed them: opened in place, nothing set aside.
            assert_eq!(set_aside(&copy), Vec::<String>::new());
        }
        // Closed cleanly by this Rebound now: it opens in place from here on.
        let before = set_aside(&copy);
        let store = Store::open(&copy).unwrap();
        assert_eq!(content(&store), saved);
        drop(store);
        assert_eq!(set_aside(&copy), before);
    }
    // The original is as it was, and still opens in place.
    let store = Store::open(&data).unwrap();
    assert_eq!(content(&store), saved);
    drop(store);
    assert_eq!(set_aside(&data), Vec::<String>::new());
}
