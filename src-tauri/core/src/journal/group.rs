//! A change written as a group of lines as it streams in (`rebound log --jsonl` of any
//! size): its parts go to the log unsynced as they come, and the group counts only once
//! its commit line is written and fsync'd. A group abandoned, or cut short by a crash
//! or a power cut before its commit, is read as never written.

use std::io::{Seek, SeekFrom, Write};

use chrono::{DateTime, Utc};

use super::line::{self, Change, Position};
use super::Journal;
use crate::error::{Error, Result};

/// How much of a streamed group is gathered before it is written to the log.
const GROUP_BUFFER_BYTES: usize = 1 << 20;

/// A change being written as a group of lines (see [`Journal::begin_group`]).
pub struct Group {
    /// The sequence number of its first line, which names the group.
    first: u64,
    /// The sequence number of its next line.
    next: u64,
    /// Where the log ended before it.
    start: u64,
    /// Where what has been written of it ends.
    end: u64,
    when: DateTime<Utc>,
    buffer: Vec<u8>,
}

impl Journal {
    /// Start a change written line by line as it streams in (a batch too big to hold
    /// in memory): its parts go to the log as they come, unsynced, and count only once
    /// [`Journal::commit_group`] has written and fsync'd the commit line. Until then, or
    /// after [`Journal::abandon_group`], the journal stands where it stood.
    pub fn begin_group(&mut self, when: DateTime<Utc>) -> Group {
        Group {
            first: self.last + 1,
            next: self.last + 1,
            start: self.length,
            end: self.length,
            when,
            buffer: Vec::new(),
        }
    }

    /// Write one part of `group` (not yet synced; it counts with the group's commit).
    pub fn write_part(&mut self, group: &mut Group, change: &Change) -> Result<()> {
        let at = Position {
            epoch: self.epoch,
            seq: group.next,
        };
        let encoded = line::encode_grouped(at, group.when, change, group.first)
            .map_err(|e| Error::Storage(format!("could not encode a journal line: {e}")))?;
        group.next += 1;
        group.buffer.extend_from_slice(encoded.as_bytes());
        if group.buffer.len() >= GROUP_BUFFER_BYTES {
            self.flush_group(group)?;
        }
        Ok(())
    }

    /// [`Journal::write_part`] of the cycles whose public JSON is `cycles` (what
    /// `serde_json` writes for each cycle): the same line, written straight into the
    /// group's buffer.
    pub fn write_cycles_part(&mut self, group: &mut Group, cycles: &[&[u8]]) -> Result<()> {
        let at = Position {
            epoch: self.epoch,
            seq: group.next,
        };
        line::append_cycles_grouped(&mut group.buffer, at, group.when, cycles, group.first)
            .map_err(|e| Error::Storage(format!("could not encode a journal line: {e}")))?;
        group.next += 1;
        if group.buffer.len() >= GROUP_BUFFER_BYTES {
            self.flush_group(group)?;
        }
        Ok(())
    }

    fn flush_group(&mut self, group: &mut Group) -> Result<()> {
        if group.buffer.is_empty() {
            return Ok(());
        }
        self.file
            .seek(SeekFrom::Start(group.end))
            .and_then(|_| self.file.write_all(&group.buffer))
            .map_err(|e| Error::io("could not write to the recovery journal", e))?;
        group.end += group.buffer.len() as u64;
        group.buffer.clear();
        Ok(())
    }

    /// Close `group` with its commit line and fsync it: from here on it is saved (and
    /// may be acknowledged). Returns where its commit line is. If this fails, nothing
    /// of the group stays.
    pub fn commit_group(&mut self, mut group: Group) -> Result<Position> {
        let at = Position {
            epoch: self.epoch,
            seq: group.next,
        };
        group
            .buffer
            .extend_from_slice(line::encode_commit(at, group.when, group.first).as_bytes());
        let written = self.flush_group(&mut group).and_then(|()| {
            self.file
                .sync_data()
                .map_err(|e| Error::io("could not write to the recovery journal", e))
        });
        if let Err(e) = written {
            self.abandon_group(group);
            return Err(e);
        }
        self.before_last = Some((self.last, group.start));
        self.length = group.end;
        self.last = group.next;
        Ok(self.position())
    }

    /// Drop `group` unwritten: whatever of it reached the log is cut off again.
    pub fn abandon_group(&mut self, group: Group) {
        if group.end > group.start {
            let _ = self
                .file
                .set_len(group.start)
                .and_then(|()| self.file.sync_data());
        }
    }
}
