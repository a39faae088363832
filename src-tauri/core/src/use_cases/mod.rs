//! What a person can do with their journal, as plain functions over the store: the use
//! cases both hosts call (the CLI and the window's commands), so both behave the same
//! and neither holds logic of its own. One file per part of the app. No Tauri here.

mod areas;
mod backups;
mod cycles;
mod dashboard;
mod guidance;
mod log_batch;
mod reminder;
mod review;
mod search;
mod sync;
mod today;
mod window;

use serde::Serialize;

use crate::cycle::{Cycle, Stages};
use crate::today::{waiting_for, Waiting};

pub use crate::clock::Clock;
pub use areas::*;
pub use backups::*;
pub use cycles::*;
pub use dashboard::*;
pub use guidance::*;
pub use log_batch::*;
pub use reminder::*;
pub use review::*;
pub use search::*;
pub use sync::*;
pub use today::*;
pub use window::*;

/// A cycle as the window shows it: the public fields plus its stage marks and, when it
/// is in the reflect queue, what it waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CycleView {
    #[serde(flatten)]
    pub cycle: Cycle,
    pub stages: Stages,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<Waiting>,
}

impl From<Cycle> for CycleView {
    fn from(cycle: Cycle) -> CycleView {
        CycleView {
            stages: cycle.stages(),
            waiting: waiting_for(&cycle),
            cycle,
        }
    }
}
