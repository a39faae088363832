//! The `cycles` list of a backup as it is written: one cycle's JSON after another, its
//! SHA-256 taken as it grows, and past [`SPILL_AT`] its text moved to a private unnamed
//! temporary file, so a backup of any size is written in bounded memory.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::format::encode_error;
use crate::cycle::Cycle;
use crate::error::{Error, Result};

/// Past this many bytes, a [`CycleList`] made with [`CycleList::spilling_into`] moves its
/// text to a temporary file, so a backup of any size is written in bounded memory.
const SPILL_AT: usize = 16 << 20;

/// The `cycles` list of a backup as `format::list_text` writes it, built one cycle's JSON at
/// a time: from cycles, or from JSON the store holds already (see
/// `Store::each_cycle_json`), which is then copied, not decoded and encoded again. Its
/// SHA-256 is taken as it grows.
pub struct CycleList {
    /// The text not yet moved to `spill`.
    text: Vec<u8>,
    /// Where text goes past [`SPILL_AT`]: a private unnamed temporary file in this folder.
    spill_into: Option<PathBuf>,
    pub(super) spill_at: usize,
    pub(super) spill: Option<File>,
    hash: Sha256,
    len: u64,
    count: usize,
}

impl CycleList {
    /// An empty list, held in memory, with room for `bytes` of cycles.
    pub fn with_capacity(bytes: usize) -> CycleList {
        CycleList {
            text: Vec::with_capacity(bytes),
            spill_into: None,
            spill_at: SPILL_AT,
            spill: None,
            hash: Sha256::new(),
            len: 0,
            count: 0,
        }
    }

    /// An empty list that moves its text to a temporary file in `folder` once it grows
    /// past [`SPILL_AT`] (the folder the backup goes to: private, or chosen for it).
    pub fn spilling_into(folder: &Path) -> CycleList {
        CycleList {
            spill_into: Some(folder.to_path_buf()),
            ..CycleList::with_capacity(1 << 20)
        }
    }

    /// Add one cycle, given as the JSON `serde_json` writes for a [`Cycle`].
    pub fn push(&mut self, json: &[u8]) -> Result<()> {
        self.next_line();
        self.text.extend_from_slice(json);
        self.spill_if_large()
    }

    /// The list of `cycles`.
    pub fn of(cycles: &[Cycle]) -> Result<CycleList> {
        let mut list = CycleList::with_capacity(cycles.len() * 800);
        for cycle in cycles {
            list.next_line();
            serde_json::to_writer(&mut list.text, cycle).map_err(encode_error)?;
        }
        Ok(list)
    }

    /// How many cycles it holds.
    pub fn count(&self) -> usize {
        self.count
    }

    fn next_line(&mut self) {
        let before: &[u8] = if self.count == 0 {
            b"[\n    "
        } else {
            b",\n    "
        };
        self.text.extend_from_slice(before);
        self.count += 1;
    }

    /// Hash the text held and, when it is large and may spill, move it to the file.
    fn spill_if_large(&mut self) -> Result<()> {
        let Some(folder) = &self.spill_into else {
            return Ok(());
        };
        if self.text.len() < self.spill_at {
            return Ok(());
        }
        let failed = |e| {
            Error::io(
                format!("could not write a temporary file in {}", folder.display()),
                e,
            )
        };
        if self.spill.is_none() {
            self.spill = Some(tempfile::tempfile_in(folder).map_err(failed)?);
        }
        if let Some(file) = &mut self.spill {
            file.write_all(&self.text).map_err(failed)?;
        }
        self.hash.update(&self.text);
        self.len += self.text.len() as u64;
        self.text.clear();
        Ok(())
    }

    /// The list's text, closed.
    pub(super) fn finish(mut self) -> Result<ListText> {
        if self.count == 0 {
            self.text.extend_from_slice(b"[]");
        } else {
            self.text.extend_from_slice(b"\n  ]");
        }
        self.hash.update(&self.text);
        self.len += self.text.len() as u64;
        if let Some(file) = &mut self.spill {
            file.seek(SeekFrom::Start(0))
                .map_err(|e| Error::io("could not read back a temporary file", e))?;
        }
        Ok(ListText {
            spilled: self.spill,
            text: self.text,
            hash: self.hash,
            len: self.len,
        })
    }
}

/// A closed [`CycleList`]: its text (its start in a temporary file when it spilled),
/// and the SHA-256 of all of it.
pub(super) struct ListText {
    pub spilled: Option<File>,
    pub text: Vec<u8>,
    pub hash: Sha256,
    pub len: u64,
}
