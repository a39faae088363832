//! Small preferences kept as JSON in the `meta` tree under `pref:<key>`: the dashboard's
//! target band, when the resilience check-in was last offered. Not settings of the
//! whole app (those live elsewhere); just what the dashboard needs to remember.

use serde_json::Value;

use super::{storage, Store};
use crate::error::{Error, Result};

const PREFIX: &[u8] = b"pref:";

fn key(name: &str) -> Vec<u8> {
    [PREFIX, name.as_bytes()].concat()
}

impl Store {
    /// The preference `name`, if one was set and is readable JSON.
    pub fn preference(&self, name: &str) -> Result<Option<Value>> {
        let Some(bytes) = self.meta.get(key(name)).map_err(storage)? else {
            return Ok(None);
        };
        // An unreadable preference is as good as none: it falls back to its default.
        Ok(serde_json::from_slice(&bytes).ok())
    }

    /// Set the preference `name` and flush.
    pub fn set_preference(&self, name: &str, value: &Value) -> Result<()> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::Storage(format!("could not encode a preference: {e}")))?;
        self.meta.insert(key(name), bytes).map_err(storage)?;
        self.flush()
    }
}
