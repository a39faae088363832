//! Preferences kept in the `meta` tree beside the schema version, as JSON under
//! `pref:<key>`. A setting about the journal lives with it, so backups and restores carry
//! it. Each is typed (`Pref<T>`); the list of them is `crate::prefs`.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::engine::Handles;
use super::{storage, Store};
use crate::error::{Error, Result};
use crate::journal::Change;

/// One preference: its key in `meta` and the type its JSON holds.
pub struct Pref<T> {
    key: &'static str,
    kind: PhantomData<fn() -> T>,
}

impl<T> Pref<T> {
    pub const fn new(key: &'static str) -> Pref<T> {
        Pref {
            key,
            kind: PhantomData,
        }
    }

    pub fn key(&self) -> &'static str {
        self.key
    }
}

/// Every preference's key in `meta` starts with this.
const PREFIX: &[u8] = b"pref:";

fn pref_key(key: &str) -> Vec<u8> {
    let mut full = PREFIX.to_vec();
    full.extend_from_slice(key.as_bytes());
    full
}

impl Store {
    /// The value of `pref`, if set. A value that does not decode is treated as unset,
    /// so a damaged preference can never keep Rebound from opening.
    pub fn pref<T: DeserializeOwned>(&self, pref: &Pref<T>) -> Result<Option<T>> {
        let stored = self.t().meta.get(pref_key(pref.key)).map_err(storage)?;
        Ok(stored.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
    }

    /// Set `pref`, durably.
    pub fn set_pref<T: Serialize>(&self, pref: &Pref<T>, value: &T) -> Result<()> {
        let value = serde_json::to_value(value).map_err(|e| {
            Error::Storage(format!("could not encode the preference {}: {e}", pref.key))
        })?;
        let change = Change::SetPref {
            key: pref.key.to_string(),
            value: value.clone(),
        };
        self.record(change, || insert(self.t(), pref.key, &value))
    }

    /// Set a preference without recording it (a replay of the journal).
    pub(super) fn insert_pref(&self, key: &str, value: &Value) -> Result<()> {
        insert(self.t(), key, value)
    }
}

/// Every preference in the sled of `t`, by key.
pub(super) fn read_all(t: &Handles) -> Result<BTreeMap<String, Value>> {
    let mut all = BTreeMap::new();
    for entry in t.meta.scan_prefix(PREFIX) {
        let (key, bytes) = entry.map_err(storage)?;
        let name = String::from_utf8_lossy(&key[PREFIX.len()..]).to_string();
        if let Ok(value) = serde_json::from_slice(&bytes) {
            all.insert(name, value);
        }
    }
    Ok(all)
}

/// Write one preference into sled.
pub(super) fn insert(t: &Handles, key: &str, value: &Value) -> Result<()> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| Error::Storage(format!("could not encode the preference {key}: {e}")))?;
    t.meta
        .insert(pref_key(key), bytes)
        .map(|_| ())
        .map_err(storage)
}
