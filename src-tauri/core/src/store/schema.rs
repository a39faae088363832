//! The database's schema version, kept in the `meta` tree, and the migrations between
//! versions. Migrations are append-only: never edit one that has shipped, add the next.
//! A database from a newer Rebound is refused, never guessed at.

use std::path::Path;

use super::engine::Handles;
use super::{areas, codec, storage};
use crate::error::{Error, Result};

/// The schema this Rebound writes.
pub const SCHEMA_CURRENT: u32 = 3;

const SCHEMA_KEY: &[u8] = b"schema_version";

/// The trees schema 2 kept beside the cycles: an entry per cycle in each.
const DROPPED_IN_3: [&str; 3] = ["by_date", "by_area", "summaries"];

/// Check the stored schema version at open: stamp a new database, refuse one from the
/// future, and (when there are any) run migrations from an older one.
pub(super) fn prepare(t: &Handles, dir: &Path) -> Result<()> {
    let meta = &t.meta;
    let empty = t.cycles.is_empty();
    let stored = meta
        .get(SCHEMA_KEY)
        .map_err(|e| Error::Storage(e.to_string()))?;
    let found = match stored {
        None if empty => {
            write(meta, SCHEMA_CURRENT)?;
            return Ok(());
        }
        // Cycles but no version stamp cannot come from any Rebound; do not touch it.
        None => {
            return Err(Error::Unopenable {
                path: dir.to_path_buf(),
                reason: "it holds data but no schema version".to_string(),
            })
        }
        Some(bytes) => {
            let raw: [u8; 4] = bytes.as_ref().try_into().map_err(|_| Error::Unopenable {
                path: dir.to_path_buf(),
                reason: "its schema version is unreadable".to_string(),
            })?;
            u32::from_be_bytes(raw)
        }
    };
    if found > SCHEMA_CURRENT {
        return Err(Error::FutureSchema {
            path: dir.to_path_buf(),
            found,
            supported: SCHEMA_CURRENT,
        });
    }
    // Migrations, one per version step, each bumping the stamp last.
    if found < 2 {
        // Schema 2 adds cycle layout 2 (prediction, carried-forward adjustment).
        // Layout-1 values stay readable as they are, so only the stamp moves: from
        // here on an older Rebound refuses this database instead of misreading it.
        write(meta, 2)?;
    }
    if found < 3 {
        // Schema 3 keeps one entry per cycle in sled instead of four: the date and area
        // indexes and the summaries tree go (what they answered is read from the
        // summaries' pack, see summaries.rs), and the `areas` tree holds each area's
        // spelling, noted here from the cycles in id order (the first one logged spells
        // its area). Each step can run again if a crash cuts this short: the stamp moves
        // last.
        for cycle in t.cycles.iter().values() {
            let cycle = codec::decode(&cycle.map_err(storage)?)?;
            areas::note_each(t, [(cycle.id, cycle.fields.area.as_str())])?;
        }
        for tree in DROPPED_IN_3 {
            t.db.drop_tree(tree).map_err(storage)?;
        }
        meta.remove(b"summaries_at").map_err(storage)?;
        write(meta, 3)?;
    }
    Ok(())
}

/// Stamp the schema version. Public to the store so tests can fake an old or new one.
pub(super) fn write(meta: &sled::Tree, version: u32) -> Result<()> {
    meta.insert(SCHEMA_KEY, &version.to_be_bytes())
        .map(|_| ())
        .map_err(|e| Error::Storage(e.to_string()))
}
