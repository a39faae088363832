//! After a crash: check sled against the recovery journal, and rebuild sled from the
//! journal when they differ, without holding either whole. The journal's cycles are
//! streamed from its base and log; what is kept of each is its id and a SHA-256 of its
//! JSON, so the check needs tens of bytes per cycle, not the cycles themselves.
//! `rebound recover` builds its new database the same way.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::engine::{Engine, Handles};
use super::folder::{fresh_folder_name, point_to};
use super::recorded::{load_cycles, read_rest, set_applied, LOAD_CHUNK};
use super::{codec, keys, schema, storage, Store};
use crate::cycle::{Cycle, CycleId};
use crate::error::{Error, Result};
use crate::journal::{Journal, Position, Replayed, Streamed};

/// A cycle's fingerprint: the SHA-256 of the JSON it is written as. Two cycles have the
/// same one exactly when they are the same.
fn fingerprint(cycle: &Cycle) -> Result<[u8; 32]> {
    let json = serde_json::to_vec(cycle)
        .map_err(|e| Error::Storage(format!("could not encode a cycle: {e}")))?;
    Ok(Sha256::digest(json).into())
}

/// What the journal holds: each cycle's fingerprint by id, and the rest as streamed.
pub(super) struct Expected {
    pub(super) cycles: BTreeMap<CycleId, [u8; 32]>,
    pub(super) rest: Streamed,
}

impl Expected {
    /// Everything `journal` holds, read once, streamed.
    pub(super) fn of(journal: &Journal) -> Result<Expected> {
        let mut cycles: BTreeMap<CycleId, [u8; 32]> = BTreeMap::new();
        let rest = journal.replay_each(&mut |replayed| {
            match replayed {
                Replayed::Put(cycle) => {
                    cycles.insert(cycle.id, fingerprint(&cycle)?);
                }
                Replayed::Deleted(id) => {
                    cycles.remove(&id);
                }
            }
            Ok(())
        })?;
        Ok(Expected { cycles, rest })
    }

    /// Whether the sled of `t` holds exactly these cycles, check-ins and preferences.
    /// Each cycle is decoded and let go in turn.
    pub(super) fn held_by(&self, t: &Handles) -> Result<bool> {
        let mut wanted = self.cycles.iter();
        for bytes in t.cycles.iter().values() {
            let cycle = codec::decode(&bytes.map_err(storage)?)?;
            match wanted.next() {
                Some((id, print)) if *id == cycle.id && *print == fingerprint(&cycle)? => {}
                _ => return Ok(false),
            }
        }
        if wanted.next().is_some() {
            return Ok(false);
        }
        let held = read_rest(t, Vec::new())?;
        Ok(held.checkins == self.rest.checkins && held.prefs == self.rest.prefs)
    }
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
        let expected = Expected::of(&self.journal())?;
        if expected.held_by(self.t())? {
            Ok(self)
        } else {
            self.rebuilt()
        }
    }

    /// A new sled folder built from the journal alone, made live.
    pub(super) fn rebuilt(self) -> Result<Store> {
        let shared = Arc::clone(&self.shared);
        let name = fresh_folder_name();
        let folder = shared.dir.join(&name);
        {
            let fresh = Engine::open(&shared.dir, &folder)?;
            schema::prepare(fresh.handles(), &shared.dir)?;
            let journal = self.journal();
            load_journal(fresh.handles(), &journal, journal.position())?;
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
fn remove_pack(dir: &Path) -> Result<()> {
    match std::fs::remove_file(dir.join(super::pack::FILE)) {
        Ok(()) => crate::files::sync_folder(dir)
            .map_err(|e| Error::io("could not sync the data folder", e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("could not remove the old summaries", e)),
    }
}

/// Load everything `journal` holds into the empty sled of `t`, streamed: its base's
/// cycles a chunk at a time, then each change in order, then the check-ins and
/// preferences as they end up; and mark sled as having applied `at`. Returns what the
/// replay handed back.
pub(super) fn load_journal(t: &Handles, journal: &Journal, at: Position) -> Result<Streamed> {
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
    set_applied(t, at)?;
    t.db.flush().map_err(storage)?;
    Ok(rest)
}

/// Build a new sled folder `name` in `dir` from `journal`, marked as having applied `at`;
/// close it, fsync every file, reopen it and check it holds exactly what `expected`
/// (read from the same journal) says.
pub(super) fn stage_journal(
    dir: &Path,
    name: &str,
    journal: &Journal,
    expected: &Expected,
    at: Position,
) -> Result<Engine> {
    let folder = dir.join(name);
    {
        let engine = Engine::open(dir, &folder)?;
        schema::prepare(engine.handles(), dir)?;
        load_journal(engine.handles(), journal, at)?;
    }
    crate::files::sync_folder_and_files(&folder)
        .and_then(|()| crate::files::sync_folder(dir))
        .map_err(|e| Error::io("could not sync the new database", e))?;
    super::clean::mark_open(&folder)?;
    let engine = Engine::open(dir, &folder)?;
    if !expected.held_by(engine.handles())? {
        return Err(Error::Storage(
            "the new database did not read back what the recovery journal holds; the \
             journal is unchanged"
                .into(),
        ));
    }
    Ok(engine)
}
