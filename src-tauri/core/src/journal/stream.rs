//! Reading the journal back without holding it: the base's cycles handed over one at a
//! time (after its checksum is verified), then the log's whole changes, line by line.
//! An open after a crash checks sled against the journal this way, and rebuilds from it
//! this way, in memory that does not grow with the number of cycles. No sled here.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::base::{Checkin, FORMAT};
use super::line::{self, Change, Entry, Position};
use super::Journal;
use crate::cycle::{Cycle, CycleId};
use crate::error::{Error, Result};

/// What [`Journal::replay_each`] hands back once it has handed over every cycle and
/// change.
#[derive(Debug, Default)]
pub struct Streamed {
    /// Every check-in by day, as of the journal's last change.
    pub checkins: BTreeMap<NaiveDate, [u8; 6]>,
    /// Every preference that travels with the journal, as of its last change.
    pub prefs: BTreeMap<String, Value>,
    /// How many whole changes the log held after the base.
    pub changes: usize,
    /// Lines that did not read (damaged), skipped.
    pub damaged_lines: usize,
    /// Where the last change is.
    pub last: Position,
}

/// One cycle's state as the journal replays it: as it now is, or gone.
pub enum Replayed {
    Put(Box<Cycle>),
    Deleted(CycleId),
}

impl Journal {
    /// [`Journal::replay`] without holding it: hands `each` the base's cycles one at a
    /// time (in id order), then what every whole change after it did to the cycles, in
    /// order. Returns the check-ins and preferences as the journal has them at its end
    /// (the base's, with the changes applied), and where its last change is.
    pub fn replay_each(&self, each: &mut dyn FnMut(Replayed) -> Result<()>) -> Result<Streamed> {
        let (mut checkins, mut prefs) = match self.base_path()? {
            Some(path) => base_cycles(&path, self.epoch, &mut |cycle| {
                each(Replayed::Put(Box::new(cycle)))
            })?,
            None => Default::default(),
        };
        let log = self.dir.join(super::log_name(self.epoch));
        let mut changes = 0;
        let damaged_lines = log_changes(&log, &mut |entry| {
            changes += 1;
            match entry.change {
                Change::PutCycles(cycles) => cycles
                    .into_iter()
                    .try_for_each(|cycle| each(Replayed::Put(Box::new(cycle)))),
                Change::DeleteCycle(id) => each(Replayed::Deleted(id)),
                Change::PutCheckin { day, answers } => {
                    checkins.insert(day, answers);
                    Ok(())
                }
                Change::SetPref { key, value } => {
                    prefs.insert(key, value);
                    Ok(())
                }
            }
        })?;
        Ok(Streamed {
            checkins,
            prefs,
            changes,
            damaged_lines,
            last: self.position(),
        })
    }
}

impl Journal {
    /// The whole changes of this epoch after `seq`, handed to `each` one at a time, in
    /// order: what a replay into sled after a crash needs, however many there are.
    pub fn each_change_after(
        &self,
        seq: u64,
        each: &mut dyn FnMut(Entry) -> Result<()>,
    ) -> Result<()> {
        let log = self.dir.join(super::log_name(self.epoch));
        log_changes(&log, &mut |entry| {
            if entry.at.seq > seq {
                each(entry)
            } else {
                Ok(())
            }
        })
        .map(|_damaged| ())
    }
}

/// How much is read from the files at a time.
const CHUNK: usize = 1 << 16;

/// The check-ins and preferences of a base, handed back once its cycles are handed over.
pub type Rest = (BTreeMap<NaiveDate, [u8; 6]>, BTreeMap<String, Value>);

/// Hand every cycle of the base at `path` (of `epoch`) to `each`, in the order written
/// (id order); then return its check-ins and preferences. The whole file is checked
/// against its checksum before the first cycle is handed over.
pub fn base_cycles(
    path: &Path,
    epoch: u64,
    each: &mut dyn FnMut(Cycle) -> Result<()>,
) -> Result<Rest> {
    let shown = path.display().to_string();
    let damaged = |why: &str| Error::Corrupt(format!("the journal's base {shown} {why}"));
    let open = || {
        File::open(path)
            .map(|f| BufReader::with_capacity(CHUNK, f))
            .map_err(|e| Error::io(format!("could not read {shown}"), e))
    };
    let io = |e: std::io::Error| Error::io(format!("could not read {shown}"), e);

    let mut file = open()?;
    let sum = checksum_field(&mut file).map_err(io)?;
    if sum.as_ref().is_none_or(|s| s.len() != 64) || json_checksum(&mut file).map_err(io)? != sum {
        return Err(damaged("does not match its checksum"));
    }

    let mut file = open()?;
    checksum_field(&mut file).map_err(io)?;
    let mut failed = None;
    let seed = DocumentSeed {
        each,
        failed: &mut failed,
    };
    let read = seed.deserialize(&mut serde_json::Deserializer::from_reader(file));
    if let Some(e) = failed {
        return Err(e);
    }
    let document = read.map_err(|_| damaged("is not a journal base"))?;
    if document.format != FORMAT || document.epoch != epoch {
        return Err(damaged("belongs to another epoch"));
    }
    if !document.cycles_read {
        return Err(damaged("is not a journal base"));
    }
    Ok(document.rest)
}

/// The checksum at the head of a base, up to the first space (consumed); None when
/// there is no space in the first 128 bytes.
fn checksum_field(file: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut head = Vec::new();
    file.take(128).read_until(b' ', &mut head)?;
    if head.pop() != Some(b' ') {
        return Ok(None);
    }
    Ok(Some(String::from_utf8_lossy(&head).into_owned()))
}

/// The SHA-256, in hex, of the rest of the file without its trailing whitespace (as
/// the base's checksum covers it).
fn json_checksum(file: &mut impl Read) -> std::io::Result<Option<String>> {
    let mut hash = Sha256::new();
    // Whitespace counts only if something follows it.
    let mut held: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = &buf[..n];
        match chunk.iter().rposition(|b| !b.is_ascii_whitespace()) {
            Some(last) => {
                hash.update(&held);
                hash.update(&chunk[..=last]);
                held.clear();
                held.extend_from_slice(&chunk[last + 1..]);
            }
            None => held.extend_from_slice(chunk),
        }
    }
    Ok(Some(
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect(),
    ))
}

/// What the base's document held besides its cycles, once read.
#[derive(Default)]
struct Document {
    format: String,
    epoch: u64,
    cycles_read: bool,
    rest: Rest,
}

struct DocumentSeed<'a> {
    each: &'a mut dyn FnMut(Cycle) -> Result<()>,
    failed: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_> {
    type Value = Document;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Document, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_> {
    type Value = Document;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a journal base")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Document, A::Error> {
        let mut document = Document::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => document.format = map.next_value()?,
                "epoch" => document.epoch = map.next_value()?,
                "cycles" => {
                    map.next_value_seed(CyclesSeed {
                        each: &mut *self.each,
                        failed: &mut *self.failed,
                    })?;
                    document.cycles_read = true;
                }
                "checkins" => {
                    let checkins: Vec<Checkin> = map.next_value()?;
                    document.rest.0 = checkins.into_iter().map(|c| (c.day, c.answers)).collect();
                }
                "prefs" => document.rest.1 = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(document)
    }
}

struct CyclesSeed<'a> {
    each: &'a mut dyn FnMut(Cycle) -> Result<()>,
    failed: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for CyclesSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for CyclesSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of cycles")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            let cycle = Cycle::from_json(value, NaiveDate::MAX)
                .map_err(|_| de::Error::custom("holds a cycle that does not read"))?;
            if let Err(e) = (self.each)(cycle) {
                *self.failed = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// Hand every whole change of the log at `path` to `each`, in order (a group's lines
/// only if its commit follows them, as [`super::read::read_log`] counts them); return
/// how many lines did not read. Two passes over the file: the first finds the groups
/// that count, so a group of many thousand cycles is never held whole.
pub fn log_changes(path: &Path, each: &mut dyn FnMut(Entry) -> Result<()>) -> Result<usize> {
    // Pass 1: the runs of lines (first, last line number) that are committed groups.
    let mut committed: Vec<(usize, usize)> = Vec::new();
    let mut open_group: Option<(u64, usize)> = None;
    let mut damaged = 0;
    each_line(path, &mut |n, text| {
        // Decoded whole, as the changes are read next: a line counts as damaged here
        // exactly when it does there.
        match std::str::from_utf8(text).ok().and_then(line::decode_any) {
            None => damaged += 1,
            Some(line::Read::Single(_)) => open_group = None,
            Some(line::Read::Part { group: id, .. }) => match open_group {
                Some((open, _)) if open == id => {}
                _ => open_group = Some((id, n)),
            },
            Some(line::Read::Commit { group: id }) => {
                if let Some((open, first)) = open_group.take() {
                    if open == id {
                        committed.push((first, n));
                    }
                }
            }
        }
        Ok(())
    })?;

    // Pass 2: the changes, in order.
    let mut runs = committed.into_iter().peekable();
    each_line(path, &mut |n, text| {
        while runs.peek().is_some_and(|&(_, last)| last < n) {
            runs.next();
        }
        let in_run = runs.peek().is_some_and(|&(first, _)| first <= n);
        match std::str::from_utf8(text).ok().and_then(line::decode_any) {
            Some(line::Read::Single(entry)) => each(entry),
            Some(line::Read::Part { entry, .. }) if in_run => each(entry),
            _ => Ok(()),
        }
    })?;
    Ok(damaged)
}

/// A line's number (among the non-empty lines) and its text, without its newline.
type EachLine<'a> = &'a mut dyn FnMut(usize, &[u8]) -> Result<()>;

/// Call `each` with every non-empty line of the file at `path` (none if there is no
/// file); stop at the first error it returns, and return that.
fn each_line(path: &Path, each: EachLine<'_>) -> Result<()> {
    let io = |e: std::io::Error| Error::io(format!("could not read {}", path.display()), e);
    let mut file = match File::open(path) {
        Ok(f) => BufReader::with_capacity(CHUNK, f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(e)),
    };
    let mut text = Vec::new();
    let mut n = 0;
    loop {
        text.clear();
        if file.read_until(b'\n', &mut text).map_err(io)? == 0 {
            return Ok(());
        }
        if text.last() == Some(&b'\n') {
            text.pop();
        }
        if text.is_empty() {
            continue;
        }
        each(n, &text)?;
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use chrono::{DateTime, Utc};

    use super::*;
    use crate::cycle::{CycleFields, Outcome};
    use crate::journal::{apply, Base};

    fn when() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    fn cycles(n: usize, area: &str) -> Vec<Cycle> {
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default();
        (0..n)
            .map(|i| {
                let mut fields = CycleFields::sample(area, day, Outcome::Partial);
                // Spaces, quotes, escapes and text beyond ASCII, across read chunks.
                fields.observation = Some(format!("{i}: \"so\" \\ naïve € ").repeat(300));
                Cycle::new(fields, when())
            })
            .collect()
    }

    /// Everything the streamed replay hands over, applied as `apply` applies a replay.
    fn streamed(journal: &Journal) -> (Base, usize, Position) {
        let mut held: BTreeMap<CycleId, Cycle> = BTreeMap::new();
        let rest = journal
            .replay_each(&mut |replayed| {
                match replayed {
                    Replayed::Put(c) => held.insert(c.id, *c),
                    Replayed::Deleted(id) => held.remove(&id),
                };
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let base = Base {
            cycles: held.into_values().collect(),
            checkins: rest.checkins,
            prefs: rest.prefs,
        };
        (base, rest.damaged_lines, rest.last)
    }

    fn append_raw(dir: &Path, epoch: u64, text: &str) {
        let path = dir
            .join(super::super::FOLDER)
            .join(super::super::log_name(epoch));
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .unwrap_or_else(|e| panic!("{e}"));
        file.write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_streamed_replay_is_the_replay_groups_deletions_damage_and_all() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let ok = |r: Result<Position>| r.unwrap_or_else(|e| panic!("{e}"));
        let mut journal = Journal::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        ok(journal.append(Change::PutCycles(cycles(3, "before")), when()));
        let day = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap_or_default();
        let mut base = Base {
            cycles: cycles(40, "work"),
            ..Base::default()
        };
        base.cycles.sort_by_key(|c| c.id);
        base.checkins.insert(day, [1, 2, 3, 4, 5, 1]);
        base.prefs
            .insert("reminder".into(), serde_json::json!({"time": "19:30"}));
        let epoch = ok(journal.start_epoch(&base, when())).epoch;

        let mut edited = base.cycles[5].clone();
        edited.fields.area = "elsewhere".into();
        ok(journal.append(Change::PutCycles(vec![edited]), when()));
        ok(journal.append(Change::DeleteCycle(base.cycles[7].id), when()));
        ok(journal.append(
            Change::PutCheckin {
                day,
                answers: [5; 6],
            },
            when(),
        ));
        let pref = serde_json::json!(["a"]);
        ok(journal.append(
            Change::SetPref {
                key: "archived".into(),
                value: pref,
            },
            when(),
        ));
        let mut group = journal.begin_group(when());
        for part in [cycles(4, "batch"), cycles(3, "batch")] {
            journal
                .write_part(&mut group, &Change::PutCycles(part))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let at = ok(journal.commit_group(group));
        // A group whose commit never came, a damaged line, then one more change.
        let mut seq = at.seq;
        let mut next = || {
            seq += 1;
            Position { epoch, seq }
        };
        let lost = Change::PutCycles(cycles(2, "lost"));
        let mut raw = String::new();
        for _ in 0..2 {
            raw += &line::encode_grouped(next(), when(), &lost, at.seq + 1).unwrap_or_default();
        }
        raw += "0badc0de {\"epoch\":2}\n";
        raw += &line::encode(next(), when(), &Change::DeleteCycle(base.cycles[0].id))
            .unwrap_or_default();
        append_raw(dir.path(), epoch, &raw);
        drop(journal);

        let journal = Journal::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let replay = journal.replay().unwrap_or_else(|e| panic!("{e}"));
        let expected = apply(&replay.base, &replay.entries);
        let (got, damaged, last) = streamed(&journal);
        assert_eq!(got, expected);
        assert_eq!((damaged, last), (replay.damaged_lines, replay.last));
        assert_eq!(damaged, 1);
        assert!(got.cycles.iter().all(|c| c.fields.area != "lost"));
        assert_eq!(got.cycles.len(), 40 - 2 + 7);
    }

    #[test]
    fn a_base_with_one_byte_changed_hands_over_no_cycle() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("base.json");
        let base = Base {
            cycles: cycles(30, "work"),
            ..Base::default()
        };
        super::super::base::write(&path, 4, &base, when()).unwrap_or_else(|e| panic!("{e}"));
        let good = std::fs::read(&path).unwrap_or_default();
        let mut count = 0;
        let rest = base_cycles(&path, 4, &mut |_| {
            count += 1;
            Ok(())
        });
        assert!(rest.is_ok() && count == 30);
        assert!(
            base_cycles(&path, 5, &mut |_| Ok(())).is_err(),
            "another epoch"
        );
        for at in [0, 70, good.len() / 2, good.len() - 2] {
            let mut bad = good.clone();
            bad[at] ^= 0x01;
            std::fs::write(&path, &bad).unwrap_or_default();
            let mut handed = 0;
            let read = base_cycles(&path, 4, &mut |_| {
                handed += 1;
                Ok(())
            });
            assert!(read.is_err() && handed == 0, "byte {at}");
        }
    }
}
