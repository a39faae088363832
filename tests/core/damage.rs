//! Damage is never made worse, and every acknowledged change comes back: sled's files
//! are damaged in many ways at many offsets (a flipped byte, a cut-short file, a zeroed
//! block, a deleted file), then the data is opened and, if it will not open, recovered.
//! Each time the damaged files are byte for byte as the damage left them, and the data
//! that comes back holds every cycle, check-in and preference that was saved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rebound_core::journal::Base;
use rebound_core::store::Store;
use rebound_core::use_cases;
use sha2::{Digest, Sha256};

use crate::util::{clock, draft, temp_dir};

/// Every file under `dir` with the SHA-256 of its bytes, by path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<PathBuf, String> {
    contents(dir)
        .into_iter()
        .map(|(path, bytes)| (path, format!("{:x}", Sha256::digest(bytes))))
        .collect()
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                found.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

fn copy_tree(from: &Path, to: &Path) {
    for (relative, bytes) in contents(from) {
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

/// A data folder with saved cycles (some edited, one deleted), a check-in and a
/// preference, closed cleanly; and everything it holds.
fn saved_journal() -> (tempfile::TempDir, Base) {
    let dir = temp_dir();
    let data = dir.path().join("data");
    let store = Store::open(&data).unwrap();
    let mut ids = Vec::new();
    for n in 0..40 {
        let area = ["pitches", "running", "writing"][n % 3];
        let on = format!("2026-11-{:02}", 1 + n % 26);
        let cycle = use_cases::log_cycle(
            &store,
            draft(area, &format!("try {n}"), "failure", 4, &on),
            clock(),
        )
        .unwrap();
        ids.push(cycle.id.to_string());
    }
    let edited = draft("pitches", "try 3, edited", "success", 5, "2026-11-04");
    use_cases::edit_cycle(&store, &ids[3], edited, clock()).unwrap();
    use_cases::delete_cycle(&store, &ids[7]).unwrap();
    use_cases::save_checkin(&store, &[4, 2, 4, 2, 4, 2], clock()).unwrap();
    use_cases::set_target_band(&store, 60, 80).unwrap();
    let expected = store.contents().unwrap();
    drop(store);
    (dir, expected)
}

/// The live sled folder of `data`.
fn live(data: &Path) -> PathBuf {
    match std::fs::read_to_string(data.join("current-db")) {
        Ok(name) => data.join(name.trim()),
        Err(_) => data.join("db"),
    }
}

/// What one case does to sled's files.
#[derive(Clone, Debug)]
enum Damage {
    Flip { file: &'static str, at: f64 },
    Truncate { file: &'static str, keep: f64 },
    ZeroBlock { file: &'static str, at: f64 },
    Delete { file: &'static str },
}

impl Damage {
    fn apply(&self, folder: &Path) {
        let offset = |path: &Path, at: f64| {
            let len = std::fs::metadata(path).unwrap().len();
            ((len as f64 * at) as u64).min(len.saturating_sub(1)) as usize
        };
        match *self {
            Damage::Flip { file, at } => {
                let path = folder.join(file);
                let mut bytes = std::fs::read(&path).unwrap();
                let i = offset(&path, at);
                bytes[i] ^= 0x5a;
                std::fs::write(&path, bytes).unwrap();
            }
            Damage::Truncate { file, keep } => {
                let path = folder.join(file);
                let len = std::fs::metadata(&path).unwrap().len();
                let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                file.set_len((len as f64 * keep) as u64).unwrap();
            }
            Damage::ZeroBlock { file, at } => {
                let path = folder.join(file);
                let mut bytes = std::fs::read(&path).unwrap();
                let start = offset(&path, at);
                let end = (start + 4096).min(bytes.len());
                bytes[start..end].fill(0);
                std::fs::write(&path, bytes).unwrap();
            }
            Damage::Delete { file } => std::fs::remove_file(folder.join(file)).unwrap(),
        }
    }
}

fn cases() -> Vec<Damage> {
    let mut all = Vec::new();
    for i in 0..24 {
        all.push(Damage::Flip {
            file: "db",
            at: f64::from(i) / 24.0,
        });
    }
    for keep in [0.0, 0.1, 0.5, 0.9, 0.999] {
        all.push(Damage::Truncate { file: "db", keep });
    }
    for at in [0.0, 0.25, 0.5, 0.75] {
        all.push(Damage::ZeroBlock { file: "db", at });
    }
    for at in [0.0, 0.3, 0.6, 0.99] {
        all.push(Damage::Flip { file: "conf", at });
    }
    all.push(Damage::Truncate {
        file: "conf",
        keep: 0.5,
    });
    all.push(Damage::Delete { file: "db" });
    all.push(Damage::Delete { file: "conf" });
    all
}

#[test]
fn damaged_sled_files_are_kept_byte_for_byte_and_every_saved_change_comes_back() {
    let (pristine, expected) = saved_journal();
    let (mut refused, mut opened) = (0, 0);
    for damage in cases() {
        let case = temp_dir();
        copy_tree(pristine.path(), case.path());
        let data = case.path().join("data");
        let folder = live(&data);
        damage.apply(&folder);
        let damaged = files(&folder);
        let name = folder.file_name().unwrap().to_string_lossy().to_string();

        match Store::open(&data) {
            Ok(store) => {
                // sled read a copy (the original folder was not as Rebound closed it):
                // what it holds, with the journal, is everything saved.
                opened += 1;
                assert_eq!(store.contents().unwrap(), expected, "{damage:?}");
                drop(store);
                let aside = std::fs::read_dir(&data)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .find(|p| {
                        let n = p.file_name().unwrap().to_string_lossy().to_string();
                        n.starts_with("unclean-") && n.contains(&name)
                    })
                    .unwrap_or_else(|| panic!("{damage:?}: the original was not kept aside"));
                assert_eq!(files(&aside), damaged, "{damage:?}: the original changed");
            }
            Err(e) => {
                refused += 1;
                assert_eq!(e.kind(), "unopenable", "{damage:?}: {e}");
                assert!(e.to_string().contains("rebound recover"), "{damage:?}: {e}");
                assert_eq!(
                    files(&folder),
                    damaged,
                    "{damage:?}: a failed open changed the files"
                );
                let (store, report) = Store::recover(&data, || Ok(None)).unwrap();
                assert_eq!(store.contents().unwrap(), expected, "{damage:?}");
                let kept = report.kept_aside.expect("the damaged folder is kept aside");
                assert_eq!(
                    files(&kept),
                    damaged,
                    "{damage:?}: recovery changed the files"
                );
                drop(store);
                // And the recovered data opens as usual from now on.
                assert_eq!(Store::open(&data).unwrap().contents().unwrap(), expected);
            }
        }
    }
    println!("damage cases: {refused} refused to open and were recovered, {opened} opened through a copy");
    assert!(refused > 0, "at least some damage must stop sled");
}

/// Log a failure in "pitches" on each of the first `days` days of November; their ids.
fn a_failure_a_day(store: &Store, days: u32) -> Vec<String> {
    (1..=days)
        .map(|day| {
            let d = draft(
                "pitches",
                "a try",
                "failure",
                4,
                &format!("2026-11-{day:02}"),
            );
            let cycle = use_cases::log_cycle(store, d, clock()).unwrap();
            cycle.id.to_string()
        })
        .collect()
}

/// sled holding other cycles than the journal at the same position (damage that left
/// its marker alone) is rebuilt from the journal; the summaries' pack, written from
/// the old content at that same position, must not be believed after the rebuild.
#[test]
fn a_database_rebuilt_from_the_journal_is_not_read_through_the_old_pack() {
    let dir = temp_dir();
    let (here, there) = (dir.path().join("here"), dir.path().join("there"));
    let store = Store::open(&here).unwrap();
    let ids = a_failure_a_day(&store, 6);
    drop(store);
    copy_tree(&here, &there);
    // Here the newest is deleted (the pack is written without it as the store closes);
    // there, another one, at the same journal position.
    for (data, gone) in [(&here, &ids[5]), (&there, &ids[4])] {
        let store = Store::open(data).unwrap();
        use_cases::delete_cycle(&store, gone).unwrap();
        assert_eq!(store.summaries().unwrap().len(), 5);
    }
    // Here's sled with there's journal, and here not closed cleanly.
    std::fs::remove_dir_all(here.join("journal")).unwrap();
    copy_tree(&there.join("journal"), &here.join("journal"));
    for entry in std::fs::read_dir(live(&here)).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .contains("closed-cleanly")
        {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }

    let store = Store::open(&here).unwrap();
    let held: Vec<String> = store
        .all_by_id()
        .unwrap()
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    let mut expected = ids.clone();
    expected.remove(4);
    assert_eq!(held, expected, "the journal's content");
    assert_eq!(
        store.summaries().unwrap(),
        store.summaries_from_cycles().unwrap()
    );
    let (newest, total) = store.recent(1, 0).unwrap();
    assert_eq!((newest[0].id.to_string(), total), (ids[5].clone(), 5));
}

/// `recover` rebuilds from an epoch's base and the changes after it (an edit, a
/// deletion, a check-in, a preference), streamed, and says how many changes it replayed.
#[test]
fn recovery_from_a_base_and_its_changes_brings_back_everything_and_counts_them() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    let store = Store::open(&data).unwrap();
    let ids = a_failure_a_day(&store, 8);
    // A restore starts a new epoch: its base holds these eight.
    let base = store.contents().unwrap();
    let fresh = store.replace_all(&base, store.position()).unwrap();
    drop(store);
    let store = fresh;
    let edited = draft("running", "edited", "success", 5, "2026-11-09");
    use_cases::edit_cycle(&store, &ids[2], edited, clock()).unwrap();
    use_cases::delete_cycle(&store, &ids[5]).unwrap();
    use_cases::save_checkin(&store, &[4, 2, 4, 2, 4, 2], clock()).unwrap();
    use_cases::set_target_band(&store, 60, 80).unwrap();
    let expected = store.contents().unwrap();
    assert_eq!(expected.cycles.len(), 7);
    drop(store);

    std::fs::remove_file(live(&data).join("db")).unwrap();
    let (store, report) = Store::recover(&data, || Ok(None)).unwrap();
    assert_eq!(store.contents().unwrap(), expected);
    assert_eq!((report.cycles, report.checkins), (7, 1));
    assert_eq!(report.changes, 4, "{report:?}");
    assert_eq!(report.damaged_lines, 0);
    assert_eq!(
        store.summaries().unwrap(),
        store.summaries_from_cycles().unwrap()
    );
    drop(store);
    assert_eq!(Store::open(&data).unwrap().contents().unwrap(), expected);
}

/// sled a batch behind the journal (as a power cut can leave it, its last writes never
/// on disk) opens in place and replays what it missed, the batch's group of lines
/// included, one change at a time.
#[test]
fn sled_a_batch_behind_the_journal_replays_it_at_open() {
    let dir = temp_dir();
    let data = dir.path().join("data");
    let store = Store::open(&data).unwrap();
    a_failure_a_day(&store, 3);
    drop(store);
    let behind = dir.path().join("behind");
    let cp = |from: &Path, to: &Path| {
        let ok = std::process::Command::new("cp")
            .arg("-a")
            .arg(from)
            .arg(to)
            .status()
            .unwrap();
        assert!(ok.success());
    };
    cp(&live(&data), &behind);

    let store = Store::open(&data).unwrap();
    let lines = (1..=1_200).map(|n| {
        let d = draft("running", &format!("run {n}"), "partial", 3, "2026-11-05");
        Ok((n, d))
    });
    let ids = use_cases::log_stream(&store, lines, clock()).unwrap();
    use_cases::delete_cycle(&store, &ids[7].to_string()).unwrap();
    use_cases::save_checkin(&store, &[4, 2, 4, 2, 4, 2], clock()).unwrap();
    let expected = store.contents().unwrap();
    assert_eq!(expected.cycles.len(), 3 + 1_199);
    drop(store);

    // sled as it was before the batch, closed cleanly then: it opens in place.
    std::fs::remove_dir_all(live(&data)).unwrap();
    cp(&behind, &live(&data));
    let store = Store::open(&data).unwrap();
    assert_eq!(store.contents().unwrap(), expected);
    assert_eq!(
        store.summaries().unwrap(),
        store.summaries_from_cycles().unwrap()
    );
    let unclean = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("unclean-"));
    assert!(!unclean, "opened in place, not through a copy");
}
