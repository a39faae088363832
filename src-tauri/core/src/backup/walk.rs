//! A restore walks the stored cycles and the backup's side by side by id, one cycle at a
//! time, so that neither side is ever held whole: to compare them (the preview) and to
//! hand over the cycles the restore leaves.

use super::restore::Mode;
use super::spooled::Incoming;
use crate::cycle::Cycle;
use crate::error::Result;

/// A cycle as the walk through the stored cycles and a backup's, side by side by id,
/// finds it. (Handed straight on, never kept, so its size does not matter.)
#[allow(clippy::large_enum_variant)]
pub(super) enum Pair {
    /// Stored only.
    Here(Cycle),
    /// In the file only.
    File(Cycle),
    /// Both: the stored copy, then the file's.
    Both(Cycle, Cycle),
}

/// Walk `stored` (in id order) and `incoming` together by id, one cycle at a time, so
/// neither side is ever held whole.
pub(super) fn walk_together(
    mut stored: impl Iterator<Item = Result<Cycle>>,
    incoming: &dyn Incoming,
    each: &mut dyn FnMut(Pair) -> Result<()>,
) -> Result<()> {
    let mut here = stored.next().transpose()?;
    incoming.each_by_id(&mut |file| {
        while let Some(older) = here.take_if(|h| h.id < file.id) {
            each(Pair::Here(older))?;
            here = stored.next().transpose()?;
        }
        match here.take_if(|h| h.id == file.id) {
            Some(same_id) => {
                each(Pair::Both(same_id, file))?;
                here = stored.next().transpose()?;
            }
            None => each(Pair::File(file))?,
        }
        Ok(())
    })?;
    while let Some(rest) = here {
        each(Pair::Here(rest))?;
        here = stored.next().transpose()?;
    }
    Ok(())
}

/// Hand each cycle a restore leaves to `each`, in id order: `stored` (in id order) and
/// the file's cycles walked together.
pub(super) fn each_after(
    stored: impl Iterator<Item = Result<Cycle>>,
    incoming: &dyn Incoming,
    mode: Mode,
    each: &mut dyn FnMut(&Cycle) -> Result<()>,
) -> Result<()> {
    walk_together(stored, incoming, &mut |pair| match (pair, mode) {
        (Pair::Here(here), Mode::Merge) => each(&here),
        (Pair::Here(_), Mode::Replace) => Ok(()),
        (Pair::File(file), _) | (Pair::Both(_, file), Mode::Replace) => each(&file),
        // Merge keeps the stored copy unless the file's is newer.
        (Pair::Both(here, file), Mode::Merge) => each(if here.updated_at >= file.updated_at {
            &here
        } else {
            &file
        }),
    })
}
