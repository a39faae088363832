//! The cycles a restore brings in, in id order, as often as the restore asks for them:
//! held whole for a backup read into memory, or for a restore of any size spooled as
//! they were checked into a private, unnamed temporary file in the data folder, with
//! only each cycle's id and place kept in memory (about 32 bytes a cycle).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::check::CycleSink;
use crate::cycle::{Cycle, CycleId};
use crate::error::{Error, Result};
use crate::store::codec;

/// The cycles of a backup being restored.
pub trait Incoming {
    /// How many there are.
    fn count(&self) -> usize;
    /// Hand each to `each`, in id order.
    fn each_by_id(&self, each: &mut dyn FnMut(Cycle) -> Result<()>) -> Result<()>;
}

impl Incoming for Vec<Cycle> {
    fn count(&self) -> usize {
        self.len()
    }

    fn each_by_id(&self, each: &mut dyn FnMut(Cycle) -> Result<()>) -> Result<()> {
        let mut sorted: Vec<&Cycle> = self.iter().collect();
        sorted.sort_by_key(|c| c.id);
        sorted.into_iter().try_for_each(|c| each(c.clone()))
    }
}

/// Checked cycles in a private temporary file, found by id.
pub struct Spooled {
    file: File,
    /// Each cycle's id, where its stored form starts in `file` and how long it is, in id
    /// order once the spool is finished.
    index: Vec<(CycleId, u64, u32)>,
}

/// A spool being filled, one checked cycle at a time.
pub(super) struct SpoolWriter {
    out: BufWriter<File>,
    at: u64,
    index: Vec<(CycleId, u64, u32)>,
}

fn spool_error(e: std::io::Error) -> Error {
    Error::io("could not write the backup's cycles to a temporary file", e)
}

impl SpoolWriter {
    /// A new spool in `folder` (the data folder: private, and on the disk the restored
    /// data will go to). The file has no name and goes when it is closed.
    pub(super) fn new_in(folder: &Path) -> Result<SpoolWriter> {
        crate::files::create_private_folder(folder)
            .map_err(|e| Error::io(format!("could not create {}", folder.display()), e))?;
        let file = tempfile::tempfile_in(folder).map_err(spool_error)?;
        Ok(SpoolWriter {
            out: BufWriter::with_capacity(1 << 20, file),
            at: 0,
            index: Vec::new(),
        })
    }

    /// Every cycle written and put in id order.
    pub(super) fn finish(self) -> Result<Spooled> {
        let SpoolWriter { out, mut index, .. } = self;
        let file = out.into_inner().map_err(|e| spool_error(e.into_error()))?;
        index.sort_unstable_by_key(|(id, _, _)| *id);
        Ok(Spooled { file, index })
    }
}

impl CycleSink for SpoolWriter {
    fn push(&mut self, cycle: Cycle) -> Result<()> {
        let bytes = codec::encode(&cycle)?;
        let len = u32::try_from(bytes.len())
            .map_err(|_| Error::Storage("a cycle is too large to spool".into()))?;
        self.out.write_all(&bytes).map_err(spool_error)?;
        self.index.push((cycle.id, self.at, len));
        self.at += u64::from(len);
        Ok(())
    }
}

impl Incoming for Spooled {
    fn count(&self) -> usize {
        self.index.len()
    }

    fn each_by_id(&self, each: &mut dyn FnMut(Cycle) -> Result<()>) -> Result<()> {
        let read_error =
            |e: std::io::Error| Error::io("could not read the backup's cycles back", e);
        let mut reader = BufReader::with_capacity(1 << 16, &self.file);
        let mut buf = Vec::new();
        // Where the reader stands: cycles spooled in id order (as Rebound writes them)
        // are read straight through; others with a seek each.
        let mut at = None;
        for &(_, start, len) in &self.index {
            if at != Some(start) {
                reader.seek(SeekFrom::Start(start)).map_err(read_error)?;
            }
            buf.resize(len as usize, 0);
            reader.read_exact(&mut buf).map_err(read_error)?;
            at = Some(start + u64::from(len));
            each(codec::decode(&buf)?)?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for Spooled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Spooled({} cycles)", self.index.len())
    }
}
