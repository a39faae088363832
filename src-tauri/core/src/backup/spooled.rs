//! The cycles a restore brings in, in id order, as often as the restore asks for them.
//! A restore's checked cycles are held in memory while they are few (up to about
//! [`HELD_AT_MOST`] bytes); past that, all of them go as they come into a private,
//! unnamed temporary file in the data folder, with only each cycle's id and place kept
//! in memory (about 32 bytes a cycle), so a restore of any size fits.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

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

/// About this many bytes of cycles are held in memory before they go to a file.
const HELD_AT_MOST: usize = 32 << 20;

/// A restore's checked cycles: in memory, or in a private temporary file, found by id.
pub enum Spooled {
    /// Few: held, in id order.
    Held(Vec<Cycle>),
    /// Many: in `file`, each found by its id, where its stored form starts and how long
    /// it is, in id order.
    Spilled {
        file: File,
        index: Vec<(CycleId, u64, u32)>,
    },
}

/// A spool being filled, one checked cycle at a time.
pub(super) struct SpoolWriter {
    folder: PathBuf,
    held: Vec<Cycle>,
    held_bytes: usize,
    held_at_most: usize,
    out: Option<BufWriter<File>>,
    at: u64,
    index: Vec<(CycleId, u64, u32)>,
}

fn spool_error(e: std::io::Error) -> Error {
    Error::io("could not write the backup's cycles to a temporary file", e)
}

impl SpoolWriter {
    /// A new spool in `folder` (the data folder: private, and on the disk the restored
    /// data will go to). The file has no name and goes when it is closed.
    pub(super) fn new_in(folder: &Path) -> SpoolWriter {
        SpoolWriter {
            folder: folder.to_path_buf(),
            held: Vec::new(),
            held_bytes: 0,
            held_at_most: HELD_AT_MOST,
            out: None,
            at: 0,
            index: Vec::new(),
        }
    }

    /// Every cycle written and put in id order.
    pub(super) fn finish(self) -> Result<Spooled> {
        let SpoolWriter {
            mut held,
            out,
            mut index,
            ..
        } = self;
        let Some(out) = out else {
            held.sort_unstable_by_key(|c| c.id);
            return Ok(Spooled::Held(held));
        };
        let file = out.into_inner().map_err(|e| spool_error(e.into_error()))?;
        index.sort_unstable_by_key(|(id, _, _)| *id);
        Ok(Spooled::Spilled { file, index })
    }

    /// Move the cycles held so far to a new temporary file; the rest go there too.
    fn spill(&mut self) -> Result<()> {
        crate::files::create_private_folder(&self.folder)
            .map_err(|e| Error::io(format!("could not create {}", self.folder.display()), e))?;
        let file = tempfile::tempfile_in(&self.folder).map_err(spool_error)?;
        self.out = Some(BufWriter::with_capacity(1 << 20, file));
        std::mem::take(&mut self.held)
            .into_iter()
            .try_for_each(|cycle| self.write(&cycle))
    }

    fn write(&mut self, cycle: &Cycle) -> Result<()> {
        let Some(out) = &mut self.out else {
            return Err(Error::Storage("the spool has no file".into()));
        };
        let bytes = codec::encode(cycle)?;
        let len = u32::try_from(bytes.len())
            .map_err(|_| Error::Storage("a cycle is too large to spool".into()))?;
        out.write_all(&bytes).map_err(spool_error)?;
        self.index.push((cycle.id, self.at, len));
        self.at += u64::from(len);
        Ok(())
    }
}

/// About how many bytes `cycle` takes in memory.
fn held_size(cycle: &Cycle) -> usize {
    let f = &cycle.fields;
    let notes = [
        &f.reframe,
        &f.observation,
        &f.in_my_control,
        &f.external,
        &f.adjustment,
        &f.check,
    ];
    std::mem::size_of::<Cycle>()
        + f.area.len()
        + f.attempt.len()
        + notes
            .iter()
            .map(|n| n.as_ref().map_or(0, String::len))
            .sum::<usize>()
}

impl CycleSink for SpoolWriter {
    fn push(&mut self, cycle: Cycle) -> Result<()> {
        if self.out.is_none() {
            self.held_bytes += held_size(&cycle);
            self.held.push(cycle);
            if self.held_bytes > self.held_at_most {
                self.spill()?;
            }
            return Ok(());
        }
        self.write(&cycle)
    }
}

impl Incoming for Spooled {
    fn count(&self) -> usize {
        match self {
            Spooled::Held(cycles) => cycles.len(),
            Spooled::Spilled { index, .. } => index.len(),
        }
    }

    fn each_by_id(&self, each: &mut dyn FnMut(Cycle) -> Result<()>) -> Result<()> {
        let (file, index) = match self {
            Spooled::Held(cycles) => return cycles.iter().try_for_each(|c| each(c.clone())),
            Spooled::Spilled { file, index } => (file, index),
        };
        let read_error =
            |e: std::io::Error| Error::io("could not read the backup's cycles back", e);
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut buf = Vec::new();
        // Where the reader stands: cycles spooled in id order (as Rebound writes them)
        // are read straight through; others with a seek each.
        let mut at = None;
        for &(_, start, len) in index {
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
        write!(f, "Spooled({} cycles)", self.count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{CycleFields, Outcome};
    use chrono::{DateTime, NaiveDate, Utc};

    fn cycle(n: u32) -> Cycle {
        let at =
            DateTime::<Utc>::from_timestamp(1_800_000_000 + i64::from(n), 0).unwrap_or_default();
        let day = NaiveDate::from_ymd_opt(2026, 1, 1 + n % 28).unwrap_or_default();
        let mut fields = CycleFields::sample("a", day, Outcome::Partial);
        fields.attempt = format!("attempt {n}");
        Cycle::new(fields, at)
    }

    fn spooled(cycles: &[Cycle], held_at_most: usize, folder: &Path) -> Spooled {
        let mut writer = SpoolWriter::new_in(folder);
        writer.held_at_most = held_at_most;
        for c in cycles {
            writer.push(c.clone()).unwrap_or_else(|e| panic!("{e}"));
        }
        writer.finish().unwrap_or_else(|e| panic!("{e}"))
    }

    fn in_order(spool: &Spooled) -> Vec<Cycle> {
        let mut out = Vec::new();
        spool
            .each_by_id(&mut |c| {
                out.push(c);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
        out
    }

    #[test]
    fn held_or_spilled_the_cycles_come_back_whole_in_id_order() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        // Out of id order, as a backup edited by hand may be.
        let mut cycles: Vec<Cycle> = (0..50).map(cycle).collect();
        cycles.reverse();
        cycles.swap(3, 30);
        let mut sorted = cycles.clone();
        sorted.sort_by_key(|c| c.id);

        let held = spooled(&cycles, HELD_AT_MOST, dir.path());
        assert!(matches!(held, Spooled::Held(_)));
        assert_eq!(in_order(&held), sorted);

        // A few cycles' worth held at most: the rest, and those, go to the file.
        let spilled = spooled(&cycles, 2_000, dir.path());
        assert!(matches!(spilled, Spooled::Spilled { .. }));
        assert_eq!(spilled.count(), 50);
        assert_eq!(in_order(&spilled), sorted);
        // Asked twice (a restore walks them more than once), the same again.
        assert_eq!(in_order(&spilled), sorted);
        // The file has no name: nothing shows in the folder.
        let names = std::fs::read_dir(dir.path()).map_or(0, Iterator::count);
        assert_eq!(names, 0);
    }
}
