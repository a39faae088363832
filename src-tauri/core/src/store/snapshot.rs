//! One decoded copy of every cycle, shared by every reader (Today, search, lessons, the
//! charts) until the next write drops it, or until no reader has asked for it a while.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Store;
use crate::cycle::Cycle;
use crate::error::Result;

/// The decoded cycles and the write generation they belong to.
#[derive(Default)]
pub(super) struct Snapshot {
    generation: u64,
    cycles: Option<Arc<Vec<Cycle>>>,
    /// When a reader last asked for it.
    used: Option<Instant>,
}

impl Store {
    /// Every cycle, in id order, decoded once and shared by every reader until the next
    /// write: Today, search, lessons and the charts all read the same snapshot.
    pub fn snapshot(&self) -> Result<Arc<Vec<Cycle>>> {
        let generation = {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            cache.used = Some(Instant::now());
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
            cache.used = Some(Instant::now());
        }
        Ok(cycles)
    }

    /// Let go of the shared snapshot if no reader has asked for it for `idle`, so a
    /// window left open (or in the tray) after its charts were looked at does not hold
    /// every cycle decoded for the rest of the day; the next reader decodes them again.
    /// Returns whether it let go of one.
    pub fn release_idle_snapshot(&self, idle: Duration) -> bool {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let idle_for = cache.used.map(|at| at.elapsed());
        if cache.cycles.is_some() && idle_for.is_some_and(|d| d >= idle) {
            cache.cycles = None;
            return true;
        }
        false
    }

    /// Drop the shared snapshot; called by every write.
    pub(super) fn invalidate(&self) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.generation += 1;
        cache.cycles = None;
    }
}
