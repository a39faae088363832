//! The spool of a batch (see batch.rs): what sled will be given for each of its cycles,
//! kept until the batch's commit line is saved, in memory while it is small, then in a
//! private unnamed temporary file.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use super::batch::CHUNK;
use super::keys;
use crate::cycle::Cycle;
use crate::error::{Error, Result};

/// Up to this many bytes of sled entries wait in memory; past it, in a temporary file.
const SPOOL_IN_MEMORY: usize = 32 * 1024 * 1024;

/// Each cycle as sled is given it: the value's `u32` length (little endian), the
/// 16-byte id key, the value.
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
    pub value: &'a [u8],
}

const HEAD: usize = 4 + 16;

impl Entry {
    pub(super) fn parts(&self) -> Result<Parts<'_>> {
        let bad = || Error::Storage("a spooled cycle does not read back".into());
        let b = &self.0;
        let value = b
            .get(0..4)
            .and_then(|len| Some(u32::from_le_bytes(len.try_into().ok()?) as usize))
            .ok_or_else(bad)?;
        if b.len() != HEAD + value {
            return Err(bad());
        }
        Ok(Parts {
            id: &b[4..HEAD],
            value: &b[HEAD..],
        })
    }
}

impl Spool {
    /// Add `cycle`, whose value for sled is `value`.
    pub(super) fn push(&mut self, dir: &Path, cycle: &Cycle, value: &[u8]) -> Result<()> {
        let length = u32::try_from(value.len())
            .map_err(|_| Error::Storage("a cycle is too big to store".into()))?
            .to_le_bytes();
        let id = keys::cycle_key(cycle.id);
        let parts: [&[u8]; 3] = [&length, &id, value];
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
                let mut head = [0u8; 4];
                match reader.read_exact(&mut head) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                    Err(e) => return Err(io(e)),
                }
                let mut entry = vec![0u8; HEAD + u32::from_le_bytes(head) as usize];
                entry[..4].copy_from_slice(&head);
                reader.read_exact(&mut entry[4..]).map_err(io)?;
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
