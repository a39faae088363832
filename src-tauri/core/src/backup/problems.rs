//! Saying what is wrong with a backup that is refused: problems found cycle by cycle
//! (the first few, and how many in all), and a document that is not one JSON object.

use std::io::Read;

use serde::de::IgnoredAny;

use super::scan::Problem;
use crate::cycle::CycleId;
use crate::error::{Error, Result};

/// How many problems one message lists before "and N more".
const PROBLEMS_SHOWN: usize = 3;

/// Problems found item by item: the first few in file order, and how many in all.
#[derive(Default)]
pub(super) struct Problems {
    shown: Vec<(usize, String)>,
    pub count: usize,
}

impl Problems {
    pub fn add(&mut self, position: usize, text: String) {
        self.count += 1;
        self.shown.push((position, text));
        self.shown.sort_by_key(|(at, _)| *at);
        self.shown.truncate(PROBLEMS_SHOWN);
    }

    /// Every good cycle whose id an earlier one already had.
    pub fn repeated_ids(&mut self, mut ids: Vec<(CycleId, u32)>) {
        ids.sort_unstable();
        for pair in ids.windows(2) {
            if pair[0].0 == pair[1].0 {
                let position = pair[1].1 as usize;
                self.add(
                    position,
                    format!("cycle {position} repeats the id {}", pair[1].0),
                );
            }
        }
    }

    /// The problems as one message: the first few and how many more.
    pub fn into_result(self) -> Result<()> {
        if self.count == 0 {
            return Ok(());
        }
        let more = self.count.saturating_sub(PROBLEMS_SHOWN);
        let mut text = self
            .shown
            .into_iter()
            .map(|(_, text)| text)
            .collect::<Vec<_>>()
            .join("; ");
        if more > 0 {
            text.push_str(&format!("; and {more} more"));
        }
        Err(Error::BackupDamaged(text))
    }
}

pub(super) fn too_deep_error() -> Error {
    Error::BackupDamaged("it nests lists or objects far deeper than any Rebound backup".into())
}

/// What a document that could not be read as one JSON object is, in words.
pub(super) fn scan_problem(
    problem: Problem,
    rest: &mut dyn Read,
    read_error: &dyn Fn(std::io::Error) -> Error,
) -> Error {
    match problem {
        Problem::Empty => Error::NotABackup("the file is empty".into()),
        Problem::NotObject(buffered) => {
            // Valid JSON, but the top is a list, a number or a string?
            let whole = std::io::Cursor::new(buffered).chain(rest);
            if serde_json::from_reader::<_, IgnoredAny>(whole).is_ok() {
                Error::NotABackup("it is JSON, but not a JSON object".into())
            } else {
                Error::NotABackup("it is not JSON text".into())
            }
        }
        Problem::Eof => {
            Error::BackupDamaged("it ends too early, as if cut short while being copied".into())
        }
        Problem::Syntax { line, column } => Error::BackupDamaged(format!(
            "it is not valid JSON at line {line}, column {column}"
        )),
        Problem::Oversized("nesting") => too_deep_error(),
        Problem::Oversized(what) => Error::BackupDamaged(format!(
            "it holds {what} far longer than any Rebound backup does"
        )),
        Problem::Io(e) => read_error(e),
        Problem::Stopped(e) => e,
    }
}
