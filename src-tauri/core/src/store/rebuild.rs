//! After a crash: check sled against the recovery journal, and rebuild sled from the
//! journal when they differ, without holding either whole. The journal's cycles are
//! streamed from its base and log; what is kept of each is its id and a SHA-256 of its
//! JSON, so the check needs tens of bytes per cycle, not the cycles themselves.

use std::collections::BTreeMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::engine::{Engine, Handles};
use super::folder::{fresh_folder_name, point_to};
use super::recorded::{load_cycles, set_applied, LOAD_CHUNK};
use super::{keys, schema, storage, Store};
use crate::cycle::{Cycle, CycleId};
use crate::error::{Error, Result};
use crate::journal::{Journal, Replayed, Streamed};

/// A cycle's fingerprint: the SHA-256 of the JSON it is written as. Two cycles have the
/// same one exactly when they are the same.
fn fingerprint(cycle: &Cycle) -> Result<[u8; 32]> {
    let json = serde_json::to_vec(cycle)
        .map_err(|e| Error::Storage(format!("could not encode a cycle: {e}")))?;
    Ok(Sha256::digest(json).into())
}

impl Store {
    /// After a crash or damage, sled may have read back less than it held: check its
    /// content against the journal's (the epoch's base and every change after it) and
    /// rebuild from the journal if they differ. Only done when the folder was not closed
    /// cleanly, as it reads everything.
    pub(super) fn checked_against_journal(self) -> Result<Store> {
        if !Journal::has_history(self.dir()) {
            return Ok(self);
        }
        let mut expected: BTreeMap<CycleId, [u8; 32]> = BTreeMap::new();
        let rest = self.journal().replay_each(&mut |replayed| {
            match replayed {
                Replayed::Put(cycle) => {
                    expected.insert(cycle.id, fingerprint(&cycle)?);
                }
                Replayed::Deleted(id) => {
                    expected.remove(&id);
                }
            }
            Ok(())
        })?;
        if self.holds(&expected, &rest)? {
            Ok(self)
        } else {
            self.rebuilt()
        }
    }

    /// Whether sled holds exactly the cycles `expected` fingerprints, and the check-ins
    /// and preferences of `rest`. Each cycle is decoded and let go in turn.
    fn holds(&self, expected: &BTreeMap<CycleId, [u8; 32]>, rest: &Streamed) -> Result<bool> {
        let mut wanted = expected.iter();
        for cycle in self.walk_by_id() {
            let cycle = cycle?;
            match wanted.next() {
                Some((id, print)) if *id == cycle.id && *print == fingerprint(&cycle)? => {}
                _ => return Ok(false),
            }
        }
        if wanted.next().is_some() {
            return Ok(false);
        }
        let held = self.contents_but_cycles()?;
        Ok(held.checkins == rest.checkins && held.prefs == rest.prefs)
    }

    /// A new sled folder built from the journal alone, made live.
    pub(super) fn rebuilt(self) -> Result<Store> {
        let shared = Arc::clone(&self.shared);
        let name = fresh_folder_name();
        let folder = shared.dir.join(&name);
        {
            let fresh = Engine::open(&shared.dir, &folder)?;
            schema::prepare(fresh.handles(), &shared.dir)?;
            load_journal(fresh.handles(), &self.journal())?;
        }
        drop(self);
        crate::files::sync_folder_and_files(&folder)
            .map_err(|e| Error::io("could not sync the rebuilt database", e))?;
        // The summaries' pack was written from the old content, maybe at the very
        // position the rebuilt folder is marked with: it goes, for good, before the new
        // folder is live (the next read works the summaries out afresh).
        remove_pack(&shared.dir)?;
        point_to(&shared.dir, &name)?;
        let engine = Engine::open(&shared.dir, &folder)?;
        Ok(Store::with_engine(engine, shared))
    }
}

/// Remove the summaries' pack of `dir`, durably.
fn remove_pack(dir: &std::path::Path) -> Result<()> {
    match std::fs::remove_file(dir.join(super::pack::FILE)) {
        Ok(()) => crate::files::sync_folder(dir)
            .map_err(|e| Error::io("could not sync the data folder", e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("could not remove the old summaries", e)),
    }
}

/// Load everything `journal` holds into the empty sled of `t`, streamed: its base's
/// cycles a chunk at a time, then each change in order, then the check-ins and
/// preferences as they end up; and mark sled as having applied the journal's last change.
fn load_journal(t: &Handles, journal: &Journal) -> Result<()> {
    let mut chunk: Vec<Cycle> = Vec::with_capacity(LOAD_CHUNK);
    let rest = journal.replay_each(&mut |replayed| match replayed {
        Replayed::Put(cycle) => {
            chunk.push(*cycle);
            if chunk.len() == LOAD_CHUNK {
                load_cycles(t, &chunk)?;
                chunk.clear();
            }
            Ok(())
        }
        Replayed::Deleted(id) => {
            // What came before the deletion goes in first.
            load_cycles(t, &chunk)?;
            chunk.clear();
            t.cycles
                .remove(keys::cycle_key(id))
                .map(|_| ())
                .map_err(storage)
        }
    })?;
    load_cycles(t, &chunk)?;
    for (day, answers) in &rest.checkins {
        super::checkins::insert(t, *day, *answers)?;
    }
    for (key, value) in &rest.prefs {
        super::prefs::insert(t, key, value)?;
    }
    set_applied(t, rest.last)?;
    t.db.flush().map(|_| ()).map_err(storage)
}
