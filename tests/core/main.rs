//! The core crate's integration tests (`cargo test -p rebound-core`): the store on disk,
//! backups, charts and the dashboard. They link only the core, never the window's stack,
//! so an edit to the domain is tested in seconds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Temporary folders, a fixed clock and sample drafts, shared with the app's tests.
#[path = "../util.rs"]
mod util;

/// The sled store on disk: writes, order, indexes, reopening, the folder lock.
mod store;

/// The backup file: round trips, atomic writes, and hostile files refused unchanged.
mod backup;

/// The cycles' summaries (what Today is drawn from) always agree with the cycles.
mod summaries;

/// Damaged sled files: kept byte for byte, and every saved change recovered.
mod damage;

/// Chart SVG: well-formed for any data, pinned by a snapshot.
mod charts;

/// The dashboard's insights and charts: snapshots, any data, large histories, order.
mod dashboard;

/// Every chart's sentence, table and picture agree and read, for odd small histories.
mod agreement;

/// Sync through one shared folder: every order, conflicts, copies, damage, an emptied
/// folder, a restored backup, compaction, and any interleaving through real stores.
mod sync;

/// The architecture: no window or CLI crate in the core, every arrow pointing down.
mod layering;
