//! What a person can do with their journal, as plain functions over the store: the use
//! cases both hosts call (the CLI and the window's commands), so both behave the same
//! and neither holds logic of its own. One file per part of the app. No Tauri here.

mod areas;
mod backups;
mod cycles;
mod dashboard;
mod reminder;
mod search;
mod sync;
mod today;

use serde::Serialize;

use crate::cycle::{Cycle, Stages};

pub use crate::clock::Clock;
pub use areas::*;
pub use backups::*;
pub use cycles::*;
pub use dashboard::*;
pub use reminder::*;
pub use search::*;
pub use sync::*;
pub use today::*;

/// A cycle as the window shows it: the public fields plus its stage marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CycleView {
    #[serde(flatten)]
    pub cycle: Cycle,
    pub stages: Stages,
}

impl From<Cycle> for CycleView {
    fn from(cycle: Cycle) -> CycleView {
        CycleView {
            stages: cycle.stages(),
            cycle,
        }
    }
}
