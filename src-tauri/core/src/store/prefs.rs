//! Preferences kept in the `meta` tree beside the schema version, as JSON under
//! `pref:<key>`. A setting about the journal lives with it, so backups and restores carry
//! it. Each is typed (`Pref<T>`); the list of them is `crate::prefs`.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{storage, Store};
use crate::error::{Error, Result};

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

fn pref_key(key: &str) -> Vec<u8> {
    let mut full = b"pref:".to_vec();
    full.extend_from_slice(key.as_bytes());
    full
}

impl Store {
    /// The value of `pref`, if set. A value that does not decode is treated as unset,
    /// so a damaged preference can never keep Rebound from opening.
    pub fn pref<T: DeserializeOwned>(&self, pref: &Pref<T>) -> Result<Option<T>> {
        let stored = self.meta.get(pref_key(pref.key)).map_err(storage)?;
        Ok(stored.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
    }

    /// Set `pref` and flush.
    pub fn set_pref<T: Serialize>(&self, pref: &Pref<T>, value: &T) -> Result<()> {
        let bytes = serde_json::to_vec(value).map_err(|e| {
            Error::Storage(format!("could not encode the preference {}: {e}", pref.key))
        })?;
        self.meta
            .insert(pref_key(pref.key), bytes)
            .map_err(storage)?;
        self.flush()
    }
}
