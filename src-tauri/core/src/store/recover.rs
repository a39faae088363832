//! Recovery: rebuild the database from Rebound's own records when sled's cannot be
//! read. The damaged folder is set aside byte for byte; the new one is built from the
//! recovery journal (its epoch's base and every change after it), and failing that
//! from the newest backup the caller hands in.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde::Serialize;

use super::folder::{fresh_folder_name, point_to, take_folder_lock};
use super::rebuild::{stage_journal, Expected};
use super::replace::{set_aside, stage};
use super::{codec, storage, Shared, Store};
use crate::cycle::Cycle;
use crate::error::{Error, Result};
use crate::files::create_private_folder;
use crate::journal::{Base, Journal, Position};

/// What a recovery did, for the person to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryReport {
    /// Cycles, check-ins and preferences in the rebuilt database.
    pub cycles: usize,
    pub checkins: usize,
    pub prefs: usize,
    /// Where they came from: "the recovery journal" or the backup's file name.
    pub source: String,
    /// How many changes were replayed on top of the journal's base.
    pub changes: usize,
    /// Journal lines that were damaged and skipped (each is one change).
    pub damaged_lines: usize,
    /// Where the damaged database was set aside, untouched.
    pub kept_aside: Option<PathBuf>,
}

impl RecoveryReport {
    /// One plain account of the recovery.
    pub fn sentence(&self) -> String {
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = vec![count(self.cycles, "cycle", "cycles")];
        if self.checkins > 0 {
            parts.push(count(self.checkins, "check-in", "check-ins"));
        }
        if self.prefs > 0 {
            parts.push(count(self.prefs, "setting", "settings"));
        }
        let what = match parts.as_slice() {
            [one] => one.clone(),
            [first @ .., last] => format!("{} and {last}", first.join(", ")),
            [] => String::new(),
        };
        let mut text = format!("Recovered {what} from {}", self.source);
        if self.changes > 0 {
            text.push_str(&format!(
                " ({} replayed)",
                count(self.changes, "saved change", "saved changes")
            ));
        }
        text.push('.');
        if self.damaged_lines > 0 {
            text.push_str(&format!(
                " {} of the journal could not be read and {} skipped.",
                count(self.damaged_lines, "damaged line", "damaged lines"),
                if self.damaged_lines == 1 {
                    "was"
                } else {
                    "were"
                }
            ));
        }
        if let Some(aside) = &self.kept_aside {
            text.push_str(&format!(
                " The damaged database is kept, unchanged, in {}.",
                aside.display()
            ));
        }
        text
    }
}

impl Store {
    /// Rebuild the database of `dir` from the recovery journal, or, when the journal
    /// holds nothing, from `fallback` (the newest backup, named). The database in use
    /// is set aside untouched first. Returns the rebuilt store and what was done.
    pub fn recover(
        dir: &Path,
        fallback: impl FnOnce() -> Result<Option<(String, Base)>>,
    ) -> Result<(Store, RecoveryReport)> {
        create_private_folder(dir)
            .map_err(|e| Error::io(format!("could not create {}", dir.display()), e))?;
        let lock = take_folder_lock(dir)?;
        let mut journal = Journal::open(dir)?;
        let next = Position {
            epoch: journal.position().epoch + 1,
            seq: 0,
        };
        let name = fresh_folder_name();
        let (engine, report) = if Journal::has_history(dir) {
            // Read whole once before anything moves: a journal that does not read
            // leaves everything as it was. Then rebuilt from it, streamed.
            let expected = Expected::of(&journal)?;
            let kept_aside = set_aside(dir)?.map(|name| dir.join(name));
            let engine = stage_journal(dir, &name, &journal, &expected, next)?;
            let rest = &expected.rest;
            journal.start_epoch_streamed(
                &rest.checkins,
                &rest.prefs,
                |each| {
                    for bytes in engine.handles().cycles.iter().values() {
                        each(&codec::decode(&bytes.map_err(storage)?)?)?;
                    }
                    Ok(())
                },
                Utc::now(),
            )?;
            let report = RecoveryReport {
                cycles: expected.cycles.len(),
                checkins: rest.checkins.len(),
                prefs: rest.prefs.len(),
                source: "the recovery journal".to_string(),
                changes: rest.changes,
                damaged_lines: rest.damaged_lines,
                kept_aside,
            };
            (engine, report)
        } else {
            let Some((source, base)) = fallback()? else {
                return Err(Error::Usage(
                    "there is nothing to recover from: the recovery journal is empty and \
                     there is no automatic backup; restore a backup file instead"
                        .into(),
                ));
            };
            let kept_aside = set_aside(dir)?.map(|name| dir.join(name));
            let cycles =
                |each: &mut dyn FnMut(&Cycle) -> Result<()>| base.cycles.iter().try_for_each(each);
            let engine = stage(dir, &name, (&base.checkins, &base.prefs, &cycles), next)?;
            journal.start_epoch(&base, Utc::now())?;
            let report = RecoveryReport {
                cycles: base.cycles.len(),
                checkins: base.checkins.len(),
                prefs: base.prefs.len(),
                source,
                changes: 0,
                damaged_lines: 0,
                kept_aside,
            };
            (engine, report)
        };
        point_to(dir, &name)?;
        let shared = Arc::new(Shared {
            dir: dir.to_path_buf(),
            journal: Mutex::new(journal),
            _lock: lock,
        });
        Ok((Store::with_engine(engine, shared), report))
    }
}
