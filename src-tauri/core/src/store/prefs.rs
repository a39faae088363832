//! Small preferences kept in the `meta` tree beside the schema version, as JSON under
//! `pref:<key>`. They travel with the data (a setting about the data lives with it):
//! archived areas, the reminder, the dashboard's target band, when the check-in was offered.

use serde_json::Value;

use super::{storage, Store};
use crate::error::{Error, Result};

fn pref_key(key: &str) -> Vec<u8> {
    let mut full = b"pref:".to_vec();
    full.extend_from_slice(key.as_bytes());
    full
}

impl Store {
    /// The preference stored under `key`, if any. A value that does not parse is
    /// treated as unset, so a damaged preference can never keep Rebound from opening.
    pub fn preference(&self, key: &str) -> Result<Option<Value>> {
        let stored = self.meta.get(pref_key(key)).map_err(storage)?;
        Ok(stored.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
    }

    /// Store a preference and flush.
    pub fn set_preference(&self, key: &str, value: &Value) -> Result<()> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::Storage(format!("could not encode a preference: {e}")))?;
        self.meta.insert(pref_key(key), bytes).map_err(storage)?;
        self.flush()
    }
}
