//! Insights: what the person's cycles show, computed from them and never stored.
//! Pure functions over `&[Cycle]`; no storage, no drawing, no Tauri. The formulas are
//! written down in docs/insights.md.

pub mod evidence;

pub use evidence::{evidence, Evidence, EvidenceItem, EvidencePoint};

/// Effort at or above this marks a genuine attempt ("did I really try to win?").
/// Half-hearted attempts are kept but left out of the evidence: noise, not signal.
pub const GENUINE_EFFORT: u8 = 3;
