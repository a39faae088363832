//! Sync through real stores and one real shared folder: two and three data folders,
//! changes on each, syncs in every order, and the folder treated the way sync tools
//! and people treat folders (copies under other names, cut-short and flipped files, an
//! emptied folder, an old backup restored). Each test says what a person would notice.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rebound_core::insights::Band;
use rebound_core::journal::Base;
use rebound_core::prefs;
use rebound_core::store::Store;
use rebound_core::sync::{self, Options, StopAt, SyncReport};
use rebound_core::use_cases::{self, Clock};
use serde_json::json;

use crate::util::{clock_plus, draft, temp_dir};

const PASSPHRASE: &str = "four calm words here";

/// One computer: its data folder.
struct Computer {
    data: PathBuf,
    minute: i64,
}

impl Computer {
    fn new(root: &Path, name: &str) -> Computer {
        Computer {
            data: root.join(name),
            minute: 0,
        }
    }

    /// The clock a little later each time, as a person's day goes on.
    fn clock(&mut self) -> Clock {
        self.minute += 1;
        clock_plus(self.minute)
    }

    fn store(&self) -> Store {
        Store::open(&self.data).expect("the data opens")
    }

    fn sync(&mut self, folder: &Path) -> SyncReport {
        self.try_sync(folder, Some(PASSPHRASE))
            .expect("the sync works")
    }

    fn try_sync(
        &mut self,
        folder: &Path,
        passphrase: Option<&str>,
    ) -> rebound_core::Result<SyncReport> {
        let clock = self.clock();
        let store = self.store();
        let mut options = Options::new(folder, passphrase.map(String::from), clock);
        // A passphrase stretched for a second each time would only make the tests slow.
        options.work_factor = Some(1);
        sync::sync(&store, &self.data, &options)
    }

    /// A sync cut short at `at`, as if the process were killed there.
    fn sync_cut_short(&mut self, folder: &Path, at: StopAt) {
        assert!(
            self.sync_maybe_cut_short(folder, at),
            "the sync stopped at {at:?}"
        );
    }

    /// A sync that is cut short at `at` if it gets there (one with nothing to send never
    /// gets to `Sent`); whether it was.
    fn sync_maybe_cut_short(&mut self, folder: &Path, at: StopAt) -> bool {
        let clock = self.clock();
        let store = self.store();
        let mut options = Options::new(folder, Some(PASSPHRASE.into()), clock);
        options.work_factor = Some(1);
        options.stop_at = Some(at);
        match sync::sync(&store, &self.data, &options) {
            Ok(_) => false,
            Err(e) if e.to_string().contains("for a test") => true,
            Err(e) => panic!("the sync failed: {e}"),
        }
    }

    /// The texts of the conflict on `field`, the one shown first (none: no conflict).
    fn conflict_texts(&self, field: &str) -> Vec<String> {
        let status = sync::status(&self.data);
        let Some(conflict) = status.conflicts.iter().find(|c| c.field == field) else {
            return Vec::new();
        };
        let mut versions = conflict.versions.clone();
        versions.sort_by_key(|v| !v.shown);
        versions
            .into_iter()
            .map(|v| v.text.unwrap_or_default())
            .collect()
    }

    fn observation(&self) -> Option<String> {
        self.content().cycles[0].fields.observation.clone()
    }

    fn log(&mut self, area: &str, attempt: &str) -> String {
        let clock = self.clock();
        let draft = draft(area, attempt, "failure", 4, "2026-11-20");
        let cycle = use_cases::log_cycle(&self.store(), draft, clock).expect("a cycle is logged");
        cycle.id.to_string()
    }

    fn edit(&mut self, id: &str, patch: serde_json::Value) {
        let clock = self.clock();
        use_cases::patch_cycle(&self.store(), id, patch, clock).expect("the cycle is edited");
    }

    fn delete(&mut self, id: &str) {
        use_cases::delete_cycle(&self.store(), id).expect("the cycle is deleted");
    }

    fn rename(&mut self, from: &str, to: &str) {
        let clock = self.clock();
        use_cases::rename_area(&self.store(), from, to, clock).expect("the area is renamed");
    }

    /// Everything that syncs: cycles, check-ins, and the preferences that follow the
    /// person (not this computer's own).
    fn content(&self) -> Base {
        let mut base = self.store().contents().expect("the data reads");
        base.prefs.retain(|key, _| !sync::is_local_pref(key));
        base
    }

    fn attempts(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .content()
            .cycles
            .into_iter()
            .map(|c| c.fields.attempt)
            .collect();
        all.sort();
        all
    }
}

/// A sync folder and two computers, a and b, under `root`.
fn two_computers(root: &Path) -> (PathBuf, Computer, Computer) {
    let folder = root.join("Sync");
    std::fs::create_dir_all(&folder).unwrap();
    (folder, Computer::new(root, "a"), Computer::new(root, "b"))
}

/// Everyone syncs, twice round: after that, everyone has read everything.
fn settle(all: &mut [&mut Computer], folder: &Path) {
    for _ in 0..2 {
        for c in all.iter_mut() {
            c.sync(folder);
        }
    }
}

fn assert_same(all: &[&Computer]) {
    let first = all[0].content();
    for c in &all[1..] {
        assert_eq!(
            c.content(),
            first,
            "{} differs from {}",
            c.data.display(),
            all[0].data.display()
        );
    }
}

/// Every file under `dir`, relative.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn segments(folder: &Path) -> Vec<PathBuf> {
    files(&folder.join(sync::ROOT))
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("seg-"))
        })
        .collect()
}

/// Logs, edits, deletes, renames, archives, check-ins and a reminder on three
/// computers, synced in the order `order` each round.
fn three_computers_in_order(order: [usize; 3]) {
    let root = temp_dir();
    let folder = root.path().join("Dropbox");
    std::fs::create_dir_all(&folder).unwrap();
    let mut a = Computer::new(root.path(), "laptop");
    let mut b = Computer::new(root.path(), "desktop");
    let mut c = Computer::new(root.path(), "work");
    let round = |all: [&mut Computer; 3], folder: &Path| {
        let mut all = all.map(Some);
        for i in order {
            all[i].take().expect("each once").sync(folder);
        }
    };
    let pitch = a.log("pitches", "Pitched above my rate");
    let spare = a.log("pitches", "A pitch to delete");
    b.log("running", "Hill 10k");
    c.log("writing", "Sent the essay to a journal");
    round([&mut a, &mut b, &mut c], &folder);
    settle(&mut [&mut a, &mut b, &mut c], &folder);

    // At the same time: an edit, a rename, a delete, an archive, a check-in, a reminder.
    a.edit(
        &pitch,
        json!({"observation": "They went quiet at the pricing slide"}),
    );
    use_cases::archive_area(&a.store(), "running", true).unwrap();
    b.rename("pitches", "Pitching");
    b.store()
        .put_checkin(crate::util::day(25), [4, 2, 4, 2, 4, 2])
        .unwrap();
    c.delete(&spare);
    let reminder = rebound_core::reminder::Reminder::parse(true, "07:30").unwrap();
    use_cases::set_reminder(&c.store(), reminder, c.clock()).unwrap();
    round([&mut a, &mut b, &mut c], &folder);

    // Another round of changes, some on what the others just changed.
    a.log("writing", "Pitched the essay to a second journal");
    b.edit(&pitch, json!({"outcome": "partial", "difficulty": 8}));
    c.rename("writing", "Essays");
    round([&mut a, &mut b, &mut c], &folder);
    settle(&mut [&mut a, &mut b, &mut c], &folder);

    assert_same(&[&a, &b, &c]);
    let content = a.content();
    assert_eq!(
        a.attempts(),
        [
            "Hill 10k",
            "Pitched above my rate",
            "Pitched the essay to a second journal",
            "Sent the essay to a journal"
        ],
        "the deleted cycle is gone everywhere, every other one is there"
    );
    let pitched = content
        .cycles
        .iter()
        .find(|c| c.id.to_string() == pitch)
        .unwrap();
    assert_eq!(pitched.fields.area, "Pitching");
    assert_eq!(
        pitched.fields.observation.as_deref(),
        Some("They went quiet at the pricing slide")
    );
    assert_eq!(
        (pitched.fields.outcome.as_str(), pitched.fields.difficulty),
        ("partial", 8)
    );
    assert!(content.cycles.iter().any(|c| c.fields.area == "Essays"));
    assert_eq!(content.checkins.len(), 1);
    assert_eq!(content.prefs["archived_areas"], json!(["running"]));
    assert_eq!(content.prefs["reminder"]["time"], "07:30");
}

#[test]
fn three_computers_sharing_one_folder_end_up_with_the_same_journal_in_every_order() {
    let started = std::time::Instant::now();
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for order in orders {
        three_computers_in_order(order);
    }
    println!(
        "6 orders of 3 computers in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn two_computers_end_up_the_same_whoever_syncs_first_and_however_often() {
    for order in [vec![0, 1], vec![1, 0], vec![0, 0, 1, 1], vec![1, 1, 0]] {
        let root = temp_dir();
        let folder = root.path().join("Sync");
        std::fs::create_dir_all(&folder).unwrap();
        let mut pair = [
            Computer::new(root.path(), "a"),
            Computer::new(root.path(), "b"),
        ];
        let first = pair[0].log("pitches", "Pitched above my rate");
        pair[1].log("running", "Hill 10k");
        for &i in &order {
            pair[i].sync(&folder);
        }
        pair[0].edit(&first, json!({"adjustment": "Open with the result"}));
        pair[1].rename("running", "Trail running");
        let typo = pair[1].log("running", "A typo");
        pair[1].delete(&typo);
        for &i in &order {
            pair[i].sync(&folder);
        }
        let [a, b] = &mut pair;
        settle(&mut [a, b], &folder);
        assert_same(&[&pair[0], &pair[1]]);
        assert_eq!(
            pair[0].attempts(),
            ["Hill 10k", "Pitched above my rate"],
            "order {order:?}"
        );
    }
}

#[test]
fn two_areas_rules_set_on_two_computers_at_once_both_stay_and_the_review_follows_the_person() {
    // Regression: every area's band and rule is one preference (`area_guides`); synced
    // as a whole value, the computer that synced last undid the other's area.
    let root = temp_dir();
    let (folder, mut a, mut b) = two_computers(root.path());
    a.log("Pitches", "Pitched above my rate");
    b.log("Running", "Hill 10k");
    settle(&mut [&mut a, &mut b], &folder);

    use_cases::set_area_guide(&a.store(), "Pitches", Some((60, 80)), None).unwrap();
    use_cases::set_area_guide(&b.store(), "Running", None, Some((2, 1))).unwrap();
    // The review done on the laptop, with its plan; its notification went out there.
    let clock = a.clock();
    let plan = use_cases::save_plan(
        &a.store(),
        "Pitches",
        "Ask for 20% more",
        6,
        "2026-11-28",
        clock,
    )
    .unwrap();
    let notified = clock.local();
    a.store()
        .set_pref(&prefs::REVIEW_NOTIFIED, &notified)
        .unwrap();
    a.sync(&folder);
    b.sync(&folder);
    a.sync(&folder);
    assert_same(&[&a, &b]);

    for c in [&a, &b] {
        let guides = use_cases::area_guides(&c.store()).unwrap();
        assert_eq!(
            guides.band("pitches", Band::default()),
            Band { low: 60, high: 80 }
        );
        assert_eq!(guides.staircase("running").up_after, 2);
        let store = c.store();
        assert_eq!(
            use_cases::current_plan(&store, clock)
                .unwrap()
                .map(|p| p.plan),
            Some(plan.plan.clone()),
            "{}",
            c.data.display()
        );
        assert!(
            !use_cases::review_due(&store, clock).unwrap(),
            "done on the laptop"
        );
    }
    // Each computer tells the person once; the desktop's own record is untouched.
    assert_eq!(
        a.store().pref(&prefs::REVIEW_NOTIFIED).unwrap(),
        Some(notified)
    );
    assert_eq!(b.store().pref(&prefs::REVIEW_NOTIFIED).unwrap(), None);

    // Letting the plan go on the desktop lets it go on the laptop.
    use_cases::clear_plan(&b.store()).unwrap();
    settle(&mut [&mut a, &mut b], &folder);
    assert_eq!(use_cases::current_plan(&a.store(), clock).unwrap(), None);
    assert_same(&[&a, &b]);
}

#[test]
fn a_text_changed_on_two_computers_at_once_keeps_both_texts_until_the_person_chooses() {
    let root = temp_dir();
    let (folder, mut a, mut b) = two_computers(root.path());
    let id = a.log("pitches", "Pitched above my rate");
    settle(&mut [&mut a, &mut b], &folder);
    a.edit(
        &id,
        json!({"observation": "They went quiet at the pricing slide"}),
    );
    b.edit(
        &id,
        json!({"observation": "The demo crashed before pricing"}),
    );
    a.sync(&folder);
    let report = b.sync(&folder);
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    let conflict = &report.conflicts[0];
    assert_eq!(
        (conflict.cycle.as_str(), conflict.field.as_str()),
        (id.as_str(), "observation")
    );
    let texts: Vec<&str> = conflict
        .versions
        .iter()
        .filter_map(|v| v.text.as_deref())
        .collect();
    assert_eq!(texts.len(), 2);
    assert!(
        texts.contains(&"They went quiet at the pricing slide")
            && texts.contains(&"The demo crashed before pricing")
    );
    assert!(
        report.message.contains("both are kept"),
        "{}",
        report.message
    );
    let report = a.sync(&folder);
    assert_eq!(report.conflicts.len(), 1, "the other computer shows it too");
    assert_same(&[&a, &b]);

    // Keep both, on one computer: the cycle holds both texts everywhere, and the
    // conflict is gone everywhere.
    let clock = a.clock();
    let left =
        use_cases::resolve_conflict(&a.store(), &a.data, &id, "observation", None, clock).unwrap();
    assert!(left.conflicts.is_empty());
    a.sync(&folder);
    let report = b.sync(&folder);
    assert!(report.conflicts.is_empty(), "{report:?}");
    assert_same(&[&a, &b]);
    let kept = b.content().cycles[0].fields.observation.clone().unwrap();
    assert!(
        kept.contains("They went quiet") && kept.contains("The demo crashed"),
        "{kept}"
    );
}

/// A conflict chosen on a at minute 20, a's syncs then cut short at `at` twice (a new
/// cycle logged at minute 40 in between), b's text typed at minute 30: what a and b
/// show once all have synced, and the conflict's texts on b.
fn choice_then_cut_short_syncs(at: StopAt) -> (Option<String>, Vec<String>) {
    let root = temp_dir();
    let (folder, mut a, mut b) = two_computers(root.path());
    let id = a.log("pitches", "Pitched above my rate");
    settle(&mut [&mut a, &mut b], &folder);
    a.edit(&id, json!({"observation": "They went quiet"}));
    b.edit(&id, json!({"observation": "The demo crashed"}));
    settle(&mut [&mut a, &mut b], &folder);
    assert_eq!(a.conflict_texts("observation").len(), 2);

    a.minute = 20;
    let clock = a.clock();
    use_cases::resolve_conflict(&a.store(), &a.data, &id, "observation", None, clock).unwrap();
    a.sync_cut_short(&folder, at);
    b.minute = 30;
    b.edit(&id, json!({"observation": "Rewritten after the call"}));
    b.sync(&folder);
    a.minute = 40;
    a.log("running", "Hill 10k");
    a.sync_cut_short(&folder, at);
    settle(&mut [&mut a, &mut b], &folder);
    assert_same(&[&a, &b]);
    (a.observation(), b.conflict_texts("observation"))
}

#[test]
fn a_conflict_chosen_here_is_sent_once_so_a_later_edit_elsewhere_still_wins() {
    // a's syncs are cut short right after sending, or once the state is saved.
    for at in [StopAt::Sent, StopAt::Planned] {
        let (shown, texts) = choice_then_cut_short_syncs(at);
        // b's text is the later edit: it shows. a's choice was made without seeing it
        // (and b typed without seeing the choice), so both are kept for the person.
        assert_eq!(shown.as_deref(), Some("Rewritten after the call"), "{at:?}");
        assert_eq!(texts.len(), 2, "{at:?}: {texts:?}");
        assert_eq!(texts[0], "Rewritten after the call", "{at:?}");
        assert!(
            texts[1].contains("They went quiet") && texts[1].contains("The demo crashed"),
            "{at:?}: {texts:?}"
        );
    }
}

#[test]
fn a_text_typed_after_a_sync_cut_short_before_applying_does_not_replace_what_it_brought() {
    let root = temp_dir();
    let (folder, mut a, mut b) = two_computers(root.path());
    let id = a.log("pitches", "Pitched above my rate");
    settle(&mut [&mut a, &mut b], &folder);
    b.edit(&id, json!({"observation": "The demo crashed"}));
    b.sync(&folder);
    // a reads b's text, but the sync stops before its store shows it: the person on a
    // never saw it when they typed their own.
    a.sync_cut_short(&folder, StopAt::Planned);
    assert_eq!(a.observation(), None);
    a.edit(&id, json!({"observation": "They went quiet"}));
    settle(&mut [&mut a, &mut b], &folder);
    assert_same(&[&a, &b]);
    let mut texts = a.conflict_texts("observation");
    texts.sort();
    assert_eq!(texts, ["The demo crashed", "They went quiet"], "both kept");
}

#[test]
fn syncs_cut_short_after_sending_lose_nothing_and_send_nothing_twice_over() {
    let root = temp_dir();
    let (folder, mut a, mut b) = two_computers(root.path());
    let id = a.log("pitches", "Pitched above my rate");
    settle(&mut [&mut a, &mut b], &folder);
    a.edit(&id, json!({"observation": "They went quiet"}));
    a.log("running", "Hill 10k");
    a.sync_cut_short(&folder, StopAt::Sent);
    a.log("writing", "Sent the draft");
    a.sync_cut_short(&folder, StopAt::Sent);
    b.sync(&folder);
    assert_eq!(
        b.attempts().len(),
        3,
        "b read what a wrote before it was cut short"
    );
    b.edit(
        &id,
        json!({"observation": "Rewritten after reading a's note"}),
    );
    settle(&mut [&mut a, &mut b], &folder);
    assert_same(&[&a, &b]);
    assert_eq!(a.attempts().len(), 3);
    // b's edit came after it read a's text: it replaces it, with no conflict.
    assert_eq!(
        a.observation().as_deref(),
        Some("Rewritten after reading a's note")
    );
    assert!(a.conflict_texts("observation").is_empty());
}

#[test]
fn a_duplicate_segment_under_a_sync_tools_name_changes_nothing_and_is_never_deleted() {
    let root = temp_dir();
    let (folder, mut a, mut b) = two_computers(root.path());
    a.log("pitches", "Pitched above my rate");
    a.sync(&folder);
    b.sync(&folder);
    let before = b.content();
    let original = segments(&folder)[0].clone();
    let dir = original.parent().unwrap().to_path_buf();
    let copies = [
        "seg-00000001.sync-conflict-20261127-093000-ABCDEFG.age",
        "seg-00000001 (1).age",
        "seg-00000001_2.age",
    ];
    for name in copies {
        std::fs::copy(&original, dir.join(name)).unwrap();
    }
    let report = b.sync(&folder);
    assert_eq!(report.received.changes, 0, "{report:?}");
    assert!(report.refused.is_empty(), "{report:?}");
    assert_eq!(b.content(), before);
    // Many more syncs on the computer that wrote it, past compaction: the copies stay.
    for n in 0..(sync::COMPACT_AFTER + 2) {
        a.log("pitches", &format!("Pitch {n}"));
        a.sync(&folder);
    }
    for name in copies {
        assert!(dir.join(name).exists(), "{name} is never deleted");
    }
    b.sync(&folder);
    assert_same(&[&a, &b]);
}

#[test]
fn a_cut_short_or_flipped_segment_is_refused_by_name_while_the_rest_syncs() {
    let root = temp_dir();
    let folder = root.path().join("Sync");
    std::fs::create_dir_all(&folder).unwrap();
    let (mut a, mut b, mut c) = (
        Computer::new(root.path(), "a"),
        Computer::new(root.path(), "b"),
        Computer::new(root.path(), "c"),
    );
    a.log("pitches", "First pitch");
    a.sync(&folder);
    a.log("pitches", "Second pitch");
    a.sync(&folder);
    a.log("pitches", "Third pitch");
    a.sync(&folder);
    c.log("running", "Hill 10k");
    c.sync(&folder);
    let a_dir = folder.join(sync::ROOT).join(sync::DEVICES);
    let a_files: Vec<PathBuf> = segments(&folder)
        .into_iter()
        .filter(|p| std::fs::read_dir(p.parent().unwrap()).unwrap().count() > 2)
        .collect();
    assert_eq!(a_files.len(), 3, "{a_files:?} in {}", a_dir.display());
    // The second is cut short, the third has one flipped byte.
    let second = std::fs::read(&a_files[1]).unwrap();
    std::fs::write(&a_files[1], &second[..second.len() / 2]).unwrap();
    let mut third = std::fs::read(&a_files[2]).unwrap();
    let middle = third.len() - 20;
    third[middle] ^= 0x10;
    std::fs::write(&a_files[2], &third).unwrap();

    let report = b.sync(&folder);
    assert_eq!(report.refused.len(), 2, "{report:?}");
    for (refused, file) in report.refused.iter().zip(&a_files[1..]) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(
            refused.contains(&*name) && refused.contains("was refused"),
            "{refused}"
        );
    }
    assert!(
        report.message.contains("refused; the rest was synced"),
        "{}",
        report.message
    );
    assert_eq!(b.attempts(), ["First pitch", "Hill 10k"], "the rest synced");
    // The damaged files are left as they are.
    assert_eq!(
        std::fs::read(&a_files[1]).unwrap(),
        &second[..second.len() / 2]
    );

    // The computer that wrote them notices and writes its changes again.
    let report = a.sync(&folder);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("missing or damaged")),
        "{report:?}"
    );
    b.sync(&folder);
    assert_eq!(
        b.attempts(),
        ["First pitch", "Hill 10k", "Second pitch", "Third pitch"]
    );
}

#[test]
fn an_emptied_sync_folder_deletes_nothing_and_is_filled_again() {
    let root = temp_dir();
    let (folder, mut a, mut b) = two_computers(root.path());
    a.log("pitches", "Pitched above my rate");
    b.log("running", "Hill 10k");
    settle(&mut [&mut a, &mut b], &folder);
    let before = a.content();
    assert_eq!(before.cycles.len(), 2);

    std::fs::remove_dir_all(folder.join(sync::ROOT)).unwrap();
    let report = a.sync(&folder);
    assert_eq!(a.content(), before, "{report:?}");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("nothing was deleted")),
        "{report:?}"
    );
    b.sync(&folder);
    assert_eq!(b.content(), before);
    // A new computer joining now gets everything back from the refilled folder.
    let mut c = Computer::new(root.path(), "c");
    c.sync(&folder);
    assert_eq!(c.content(), before);
}

#[test]
fn a_wrong_or_missing_passphrase_is_refused_and_changes_nothing() {
    let root = temp_dir();
    let (folder, mut a, mut b) = two_computers(root.path());
    a.log("pitches", "Pitched above my rate");
    let err = a.try_sync(&folder, None).unwrap_err();
    assert_eq!(err.kind(), "syncPassphrase");
    assert!(err.to_string().contains("choose one"), "{err}");
    assert!(
        !folder.join(sync::ROOT).exists(),
        "nothing written without a passphrase"
    );
    a.sync(&folder);
    b.log("running", "Hill 10k");
    let err = b
        .try_sync(&folder, Some("not the same passphrase"))
        .unwrap_err();
    assert_eq!(err.kind(), "syncPassphrase");
    assert!(
        err.to_string().contains("does not open the sync files"),
        "{err}"
    );
    assert_eq!(b.attempts(), ["Hill 10k"]);
    let short = Computer::new(root.path(), "c").try_sync(&root.path().join("Sync2"), Some("short"));
    assert!(short.is_err());
}

#[test]
fn the_live_database_never_goes_in_the_sync_folder_and_nothing_readable_does() {
    let root = temp_dir();
    let mut a = Computer::new(root.path(), "a");
    a.log("pitches", "Pitched above my rate, a secret");
    let inside = a.data.join("synced");
    std::fs::create_dir_all(&inside).unwrap();
    let err = a.try_sync(&inside, Some(PASSPHRASE)).unwrap_err();
    assert!(
        err.to_string().contains("never copy the live database"),
        "{err}"
    );
    let around = root.path();
    assert!(
        a.try_sync(around, Some(PASSPHRASE)).is_err(),
        "a folder holding the data is refused too"
    );
    let missing = a
        .try_sync(&root.path().join("unplugged"), Some(PASSPHRASE))
        .unwrap_err();
    assert!(missing.to_string().contains("is not there"), "{missing}");

    let folder = root.path().join("Sync");
    std::fs::create_dir_all(&folder).unwrap();
    a.sync(&folder);
    let written = files(&folder);
    assert!(written.len() >= 2, "{written:?}");
    for file in &written {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        assert!(name == "key.age" || name.starts_with("seg-"), "{name}");
        let bytes = std::fs::read(file).unwrap();
        assert!(
            bytes.starts_with(b"age-encryption.org/v1"),
            "{name} is an age file"
        );
        assert!(
            !String::from_utf8_lossy(&bytes).contains("secret"),
            "{name} hides the text"
        );
    }
}

#[test]
fn an_old_backup_restored_on_one_computer_deletes_nothing_on_the_others() {
    let root = temp_dir();
    let (folder, mut a, mut b) = two_computers(root.path());
    a.log("pitches", "Pitched above my rate");
    settle(&mut [&mut a, &mut b], &folder);
    let backup = root.path().join("old.json");
    rebound_core::backup::export(&a.store(), &backup, clock_plus(30).now, None).unwrap();
    b.log("running", "Hill 10k, after the backup");
    settle(&mut [&mut a, &mut b], &folder);
    // A restores the old backup, replacing everything: the newer cycle is gone there.
    {
        let store = a.store();
        let checked = rebound_core::backup::read(&backup, None, crate::util::day(28)).unwrap();
        rebound_core::backup::restore::apply(
            &store,
            &a.data,
            &checked,
            rebound_core::backup::restore::Mode::Replace,
            clock_plus(40).now,
        )
        .unwrap();
    }
    assert_eq!(a.attempts(), ["Pitched above my rate"]);
    let report = a.sync(&folder);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("was replaced since the last sync")),
        "{report:?}"
    );
    b.sync(&folder);
    assert_eq!(
        b.attempts(),
        ["Hill 10k, after the backup", "Pitched above my rate"]
    );
    assert_eq!(
        a.attempts(),
        b.attempts(),
        "the cycle comes back to the computer that restored"
    );
}

#[test]
fn compaction_keeps_few_files_and_a_new_computer_still_gets_everything() {
    let root = temp_dir();
    let folder = root.path().join("Sync");
    std::fs::create_dir_all(&folder).unwrap();
    let mut a = Computer::new(root.path(), "a");
    let id = a.log("pitches", "Pitched above my rate");
    for n in 0..(2 * sync::COMPACT_AFTER) {
        a.edit(&id, json!({"observation": format!("note {n}")}));
        a.sync(&folder);
    }
    let count = segments(&folder).len();
    assert!(count <= sync::COMPACT_AFTER + 1, "{count} segment files");
    let mut b = Computer::new(root.path(), "b");
    b.sync(&folder);
    assert_same(&[&a, &b]);
    let note = format!("note {}", 2 * sync::COMPACT_AFTER - 1);
    assert_eq!(
        b.content().cycles[0].fields.observation.as_deref(),
        Some(note.as_str())
    );
}

/// One thing a person does on one of the computers.
#[derive(Clone, Debug)]
enum Step {
    Log(usize),
    Edit(usize, u8),
    Delete(usize),
    Rename(usize),
    Sync,
    /// A sync cut short right after sending (true) or before applying (false).
    CutShort(bool),
}

fn step() -> impl Strategy<Value = (usize, Step)> {
    let what = prop_oneof![
        3 => (0..3usize).prop_map(Step::Log),
        3 => (any::<usize>(), any::<u8>()).prop_map(|(p, v)| Step::Edit(p, v)),
        1 => any::<usize>().prop_map(Step::Delete),
        1 => (0..3usize).prop_map(Step::Rename),
        4 => Just(Step::Sync),
        2 => any::<bool>().prop_map(Step::CutShort),
    ];
    (0..3usize, what)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Through real stores and a real folder: any interleaving of logs, edits, deletes,
    /// renames and syncs (some cut short) on three computers ends with the same journal
    /// everywhere, holding every cycle logged and never deleted.
    #[test]
    fn any_interleaving_through_real_stores_converges(steps in proptest::collection::vec(step(), 1..14)) {
        const AREAS: [&str; 3] = ["pitches", "running", "writing"];
        let root = temp_dir();
        let folder = root.path().join("Sync");
        std::fs::create_dir_all(&folder).unwrap();
        let mut all = [Computer::new(root.path(), "a"), Computer::new(root.path(), "b"), Computer::new(root.path(), "c")];
        let (mut logged, mut deleted) = (Vec::new(), Vec::new());
        for (n, (who, step)) in steps.iter().enumerate() {
            let c = &mut all[*who];
            let ids: Vec<String> = c.content().cycles.iter().map(|x| x.id.to_string()).collect();
            match step {
                Step::Log(area) => logged.push(c.log(AREAS[*area], &format!("attempt {n}"))),
                Step::Edit(pick, v) if !ids.is_empty() => c.edit(&ids[pick % ids.len()], json!({"observation": format!("note {v} from {who}"), "difficulty": 1 + v % 10})),
                Step::Delete(pick) if !ids.is_empty() => {
                    let id = &ids[pick % ids.len()];
                    c.delete(id);
                    deleted.push(id.clone());
                }
                Step::Rename(area) => {
                    let from = AREAS[*area];
                    if c.content().cycles.iter().any(|x| x.fields.area == from) {
                        c.rename(from, AREAS[(area + 1) % 3]);
                    }
                }
                Step::Sync => { c.sync(&folder); }
                Step::CutShort(sent) => {
                    c.sync_maybe_cut_short(&folder, if *sent { StopAt::Sent } else { StopAt::Planned });
                }
                _ => {}
            }
        }
        let [a, b, c] = &mut all;
        settle(&mut [a, b, c], &folder);
        let first = all[0].content();
        prop_assert_eq!(&all[1].content(), &first);
        prop_assert_eq!(&all[2].content(), &first);
        let held: Vec<String> = first.cycles.iter().map(|x| x.id.to_string()).collect();
        for id in logged.iter().filter(|id| !deleted.contains(id)) {
            prop_assert!(held.contains(id), "cycle {} was lost", id);
        }
    }
}
