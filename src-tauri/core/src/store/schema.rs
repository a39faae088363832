//! The database's schema version, kept in the `meta` tree, and the migrations between
//! versions. Migrations are append-only: never edit one that has shipped, add the next.
//! A database from a newer Rebound is refused, never guessed at.

use std::path::Path;

use crate::error::{Error, Result};

/// The schema this Rebound writes.
pub const SCHEMA_CURRENT: u32 = 2;

const SCHEMA_KEY: &[u8] = b"schema_version";

/// Check the stored schema version at open: stamp a new database, refuse one from the
/// future, and (when there are any) run migrations from an older one.
pub(super) fn prepare(meta: &sled::Tree, empty: bool, dir: &Path) -> Result<()> {
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
    Ok(())
}

/// Stamp the schema version. Public to the store so tests can fake an old or new one.
pub(super) fn write(meta: &sled::Tree, version: u32) -> Result<()> {
    meta.insert(SCHEMA_KEY, &version.to_be_bytes())
        .map(|_| ())
        .map_err(|e| Error::Storage(e.to_string()))
}
