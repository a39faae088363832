//! Whole-database changes: a restore, and starting again from a backup when the
//! database cannot be opened. They never edit the live database: the new content goes
//! into a fresh sled folder, which is closed, fsync'd file by file, reopened and checked
//! against what it should hold; then the journal begins a new epoch from that content,
//! and only then does the pointer file switch. The old folder stays until the next
//! open has opened the new one.

use std::path::Path;
use std::sync::Arc;

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use serde_json::Value;

use super::engine::Engine;
use super::folder::{fresh_folder_name, live_folder, point_to, DAMAGED_PREFIX};
use super::recorded::load_content;
use super::{checkins, clean, codec, schema, storage, Store};
use crate::cycle::Cycle;
use crate::error::{Error, Result};
use crate::files::{sync_folder, sync_folder_and_files};
use crate::journal::{Base, Position};

impl Store {
    /// Where the journal stands now: a restore planned from what the store holds at this
    /// position goes ahead only if nothing changed since.
    pub fn position(&self) -> Position {
        self.journal().position()
    }

    /// Replace everything stored (cycles, check-ins, preferences) with `base`,
    /// atomically, and return the store to use from now on (this one keeps reading the
    /// old data; drop it). `planned_at` is the position the new content was worked out
    /// from; if anything was saved since, nothing is replaced and the person is asked to
    /// try again.
    pub fn replace_all(&self, base: &Base, planned_at: Position) -> Result<Store> {
        self.replace_all_with(
            &base.checkins,
            &base.prefs,
            &|each| base.cycles.iter().try_for_each(each),
            planned_at,
        )
    }

    /// [`Store::replace_all`] with content too large to hold at once: the check-ins,
    /// the preferences, and `cycles`, which hands every cycle over in id order each time
    /// it is called (it is called three times: to load, to check, and for the journal).
    pub fn replace_all_with(
        &self,
        checkins: &BTreeMap<NaiveDate, [u8; 6]>,
        prefs: &BTreeMap<String, Value>,
        cycles: EachCycle<'_>,
        planned_at: Position,
    ) -> Result<Store> {
        let mut journal = self.journal();
        if journal.position() != planned_at {
            return Err(Error::Usage(
                "something was saved while the restore was being prepared; nothing was \
                 restored, try again"
                    .into(),
            ));
        }
        let next = Position {
            epoch: planned_at.epoch + 1,
            seq: 0,
        };
        let name = fresh_folder_name();
        let staged = stage(self.dir(), &name, (checkins, prefs, cycles), next);
        let engine = match staged {
            Ok(engine) => engine,
            Err(e) => {
                let _ = std::fs::remove_dir_all(self.dir().join(&name));
                return Err(e);
            }
        };
        journal.start_epoch_streamed(checkins, prefs, |each| cycles(each), Utc::now())?;
        point_to(self.dir(), &name)?;
        drop(journal);
        Ok(Store::with_engine(engine, Arc::clone(&self.shared)))
    }
}

/// Rename the live database folder of `dir` aside as `damaged-…`, untouched. The pointer
/// names the live folder first, so if the rename is cut short the next start says the
/// folder is missing instead of starting empty.
pub(super) fn set_aside(dir: &Path) -> Result<Option<String>> {
    let live = match live_folder(dir) {
        Ok(live) => live,
        // A pointer to a folder that is gone: nothing to set aside.
        Err(Error::Unopenable { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    point_to(dir, &live)?;
    if !dir.join(&live).exists() {
        return Ok(None);
    }
    let aside = format!(
        "{DAMAGED_PREFIX}{live}-{}",
        Utc::now().format("%Y%m%dT%H%M%S")
    );
    std::fs::rename(dir.join(&live), dir.join(&aside))
        .and_then(|()| sync_folder(dir))
        .map_err(|e| Error::io("could not move the damaged database aside", e))?;
    Ok(Some(aside))
}

/// Every cycle of some content, in id order, handed to the function given, as often as
/// asked.
pub type EachCycle<'a> = &'a dyn Fn(&mut dyn FnMut(&Cycle) -> Result<()>) -> Result<()>;

/// Content to stage: its check-ins, its preferences, and its cycles.
pub(super) type Content<'a> = (
    &'a BTreeMap<NaiveDate, [u8; 6]>,
    &'a BTreeMap<String, Value>,
    EachCycle<'a>,
);

/// Write `content` into a new sled folder `name` in `dir`, stamped as having applied
/// `at`; close it, fsync every file, reopen it and check it holds exactly `content`.
pub(super) fn stage(dir: &Path, name: &str, content: Content<'_>, at: Position) -> Result<Engine> {
    let (checkins, prefs, cycles) = content;
    let folder = dir.join(name);
    let engine = Engine::open(dir, &folder)?;
    schema::prepare(engine.handles(), dir)?;
    load_content(engine.handles(), content, at)?;
    drop(engine);
    sync_folder_and_files(&folder)
        .and_then(|()| sync_folder(dir))
        .map_err(|e| Error::io("could not sync the new database", e))?;
    // Reopened from disk, it must hold what was written: every cycle and check-in,
    // compared one cycle at a time, so a large restore never holds two copies.
    clean::mark_open(&folder)?;
    let engine = Engine::open(dir, &folder)?;
    let t = engine.handles();
    let mut stored = t.cycles.iter().values();
    let (mut read, mut written) = (0, 0);
    let mut same = true;
    cycles(&mut |cycle| {
        written += 1;
        match stored.next() {
            Some(bytes) => {
                read += 1;
                same &= codec::decode(&bytes.map_err(storage)?)? == *cycle;
            }
            None => same = false,
        }
        Ok(())
    })?;
    read += stored.count();
    let reread_checkins: BTreeMap<_, _> = checkins::read_all(t)?
        .into_iter()
        .map(|c| (c.day, c.answers))
        .collect();
    if !same || read != written || reread_checkins != *checkins {
        return Err(Error::Storage(format!(
            "the new database read back {read} cycles where {written} were written; nothing \
             was changed"
        )));
    }
    // Preferences are few and not compared: they are written in one batch with the
    // journal position, so they are there if it is.
    let _ = prefs;
    Ok(engine)
}
