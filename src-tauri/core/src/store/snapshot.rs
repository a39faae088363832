//! One decoded copy of every cycle, shared by every reader (Today, search, lessons, the
//! charts) until the next write drops it.

use std::sync::Arc;

use super::Store;
use crate::cycle::Cycle;
use crate::error::Result;

/// The decoded cycles and the write generation they belong to.
#[derive(Default)]
pub(super) struct Snapshot {
    generation: u64,
    cycles: Option<Arc<Vec<Cycle>>>,
}

impl Store {
    /// Every cycle, in id order, decoded once and shared by every reader until the next
    /// write: Today, search, lessons and the charts all read the same snapshot.
    pub fn snapshot(&self) -> Result<Arc<Vec<Cycle>>> {
        let generation = {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(cycles) = &cache.cycles {
                return Ok(Arc::clone(cycles));
            }
            cache.generation
        };
        let cycles = Arc::new(self.all_by_id()?);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        // A write since the read started makes this snapshot stale: use it, don't keep it.
        if cache.generation == generation {
            cache.cycles = Some(Arc::clone(&cycles));
        }
        Ok(cycles)
    }

    /// Drop the shared snapshot; called by every write.
    pub(super) fn invalidate(&self) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.generation += 1;
        cache.cycles = None;
    }
}
