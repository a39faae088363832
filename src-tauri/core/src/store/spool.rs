//! The spool of a batch (see batch.rs): what sled will be given for each of its cycles,
//! kept until the batch's commit line is saved, in memory while it is small, then in a
//! private unnamed temporary file.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use super::batch::CHUNK;
use super::{keys, summaries};
use crate::cycle::Cycle;
use crate::error::{Error, Result};

/// Up to this many bytes of sled entries wait in memory; past it, in a temporary file.
const SPOOL_IN_MEMORY: usize = 32 * 1024 * 1024;

/// Each cycle as sled is given it: `u32` lengths of the area key, the value and the
/// summary (little endian), the 16-byte id key, the 20-byte date key, the area key, the
/// value, the summary (the `summaries` tree's entry, kept level with the cycle).
#[derive(Default)]
pub(super) struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    entries: usize,
}

/// One spooled entry, whole.
pub(super) struct Entry(Vec<u8>);

pub(super) struct Parts<'a> {
    pub id: &'a [u8],
    pub date: &'a [u8],
    pub area: &'a [u8],
    pub value: &'a [u8],
    pub summary: &'a [u8],
}

const HEAD: usize = 12 + 16 + 20;

impl Entry {
    pub(super) fn parts(&self) -> Result<Parts<'_>> {
        let bad = || Error::Storage("a spooled cycle does not read back".into());
        let b = &self.0;
        let len = |at: usize| -> Option<usize> {
            Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
        };
        let (area, value, summary) = (
            len(0).ok_or_else(bad)?,
            len(4).ok_or_else(bad)?,
            len(8).ok_or_else(bad)?,
        );
        if b.len() != HEAD + area + value + summary {
            return Err(bad());
        }
        Ok(Parts {
            id: &b[12..28],
            date: &b[28..48],
            area: &b[HEAD..HEAD + area],
            value: &b[HEAD + area..HEAD + area + value],
            summary: &b[HEAD + area + value..],
        })
    }
}

impl Spool {
    /// Add `cycle`, whose value for sled is `value`.
    pub(super) fn push(&mut self, dir: &Path, cycle: &Cycle, value: &[u8]) -> Result<()> {
        let area = keys::area_key(&cycle.fields.area, cycle.id);
        let summary = summaries::encode(cycle);
        let too_big = || Error::Storage("a cycle is too big to store".into());
        let length = |n: usize| u32::try_from(n).map_err(|_| too_big());
        let lengths = [
            length(area.len())?,
            length(value.len())?,
            length(summary.len())?,
        ];
        let [a, v, s] = lengths.map(u32::to_le_bytes);
        let (id, date) = (
            keys::cycle_key(cycle.id),
            keys::date_key(cycle.fields.attempted_on, cycle.id),
        );
        let parts: [&[u8]; 8] = [&a, &v, &s, &id, &date, &area, value, &summary];
        let size: usize = parts.iter().map(|part| part.len()).sum();
        self.entries += 1;
        if self.file.is_none() && self.memory.len() + size <= SPOOL_IN_MEMORY {
            for part in parts {
                self.memory.extend_from_slice(part);
            }
            return Ok(());
        }
        let io = |e| Error::io("could not write a temporary file in the data folder", e);
        if self.file.is_none() {
            // Unnamed where the system allows it, private, gone when closed.
            let file = tempfile::tempfile_in(dir).map_err(io)?;
            self.file = Some(BufWriter::with_capacity(1 << 20, file));
        }
        if let Some(file) = &mut self.file {
            for part in parts {
                file.write_all(part).map_err(io)?;
            }
        }
        Ok(())
    }

    /// Hand every entry back, in order, [`CHUNK`] at a time.
    pub(super) fn replay(self, mut each: impl FnMut(&[Entry]) -> Result<()>) -> Result<()> {
        let io = |e| Error::io("could not read a temporary file in the data folder", e);
        let file = match self.file {
            Some(file) => {
                let mut file = file.into_inner().map_err(|e| io(e.into_error()))?;
                std::io::Seek::rewind(&mut file).map_err(io)?;
                Some(BufReader::with_capacity(1 << 20, file))
            }
            None => None,
        };
        let mut readers: Vec<Box<dyn Read>> = vec![Box::new(self.memory.as_slice())];
        if let Some(file) = file {
            readers.push(Box::new(file));
        }
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut left = self.entries;
        for mut reader in readers {
            loop {
                let mut head = [0u8; 12];
                match reader.read_exact(&mut head) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                    Err(e) => return Err(io(e)),
                }
                let len = |at: usize| {
                    u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]])
                        as usize
                };
                let mut entry = vec![0u8; HEAD + len(0) + len(4) + len(8)];
                entry[..12].copy_from_slice(&head);
                reader.read_exact(&mut entry[12..]).map_err(io)?;
                chunk.push(Entry(entry));
                left = left.saturating_sub(1);
                if chunk.len() == CHUNK {
                    each(&chunk)?;
                    chunk.clear();
                }
            }
        }
        if !chunk.is_empty() {
            each(&chunk)?;
        }
        if left > 0 {
            return Err(Error::Storage(
                "the batch's temporary file was cut short".into(),
            ));
        }
        Ok(())
    }
}
