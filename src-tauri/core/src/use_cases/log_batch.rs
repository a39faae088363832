//! Logging a stream of drafts as one batch (`rebound log --jsonl`, of any length), with
//! the work on each line spread over the computer's cores.
//!
//! Reading the lines, and everything that must follow their order (each area's one
//! spelling, the link checks, the journal, the store), stays on the calling thread.
//! What each line needs on its own (parsing it, checking its fields, making its cycle
//! and encoding it) is done by worker threads, a block of lines at a time, a few blocks
//! ahead. The blocks' results are taken back in the order of the input, so the batch,
//! its ids and every message are exactly what one thread would give, and at most
//! [`AHEAD`] blocks are in the air: memory stays bounded however long the input.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::sync::Mutex;

use serde_json::Value;

use super::cycles::check_link;
use super::Clock;
use crate::cycle::{CycleDraft, CycleId};
use crate::error::{Error, FieldError, Result};
use crate::store::{Batch, Prepared, Store};

/// Lines in one block handed to a worker.
const BLOCK: usize = 256;
/// Blocks handed out and not yet taken back, at most.
const AHEAD: usize = 8;
/// Worker threads, at most.
const MOST_WORKERS: usize = 4;

/// What a line holds, read: its draft (or why it is not one), or nothing (a blank line).
pub type Parsed = Option<std::result::Result<CycleDraft, Vec<FieldError>>>;

/// How a line's own parse ends: what it holds, or an error that ends the whole stream (a
/// line that is not JSON, say).
pub type ParseLine<T> = dyn Fn(usize, T) -> Result<Parsed> + Sync;

/// Log a stream of drafts, each with the line it came from, as one batch of any size:
/// each is checked and written to the journal as it comes (memory stays bounded), and
/// the batch is saved whole at the end or not at all. The first bad line is reported
/// whole, with how many later lines also had problems; a line that is not JSON (or
/// cannot be read) is reported as soon as it is met. Returns the new ids, in order,
/// once they are saved.
pub fn log_stream(
    store: &Store,
    drafts: impl IntoIterator<Item = Result<(usize, Value)>>,
    clock: Clock,
) -> Result<Vec<CycleId>> {
    log_lines(
        store,
        drafts,
        &|_, draft| Ok(Some(CycleDraft::from_value(draft))),
        clock,
    )
}

/// [`log_stream`] of lines still to be parsed, each by `parse` on a worker thread.
pub fn log_lines<T: Send>(
    store: &Store,
    lines: impl IntoIterator<Item = Result<(usize, T)>>,
    parse: &ParseLine<T>,
    clock: Clock,
) -> Result<Vec<CycleId>> {
    let mut batch = store.begin_batch(clock.now);
    let mut tally = Tally::default();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(MOST_WORKERS));
    let now = batch.now();
    let (to_workers, jobs) = mpsc::channel::<(u64, Block<T>)>();
    let jobs = Mutex::new(jobs);
    let (to_caller, done) = mpsc::channel();
    std::thread::scope(|scope| {
        // Held here, so that returning drops it, which ends the workers before the
        // scope waits for them.
        let to_workers = to_workers;
        for _ in 0..workers {
            let (jobs, to_caller) = (&jobs, to_caller.clone());
            scope.spawn(move || loop {
                let next = jobs
                    .lock()
                    .map_err(drop)
                    .and_then(|j| j.recv().map_err(drop));
                let Ok((index, lines)) = next else { return };
                // A panic would leave the caller waiting for this block: it is
                // reported as the block's error instead.
                let made = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    lines
                        .into_iter()
                        .map(|(n, line, id)| (n, make(n, line, id, parse, clock, now)))
                        .collect()
                }))
                .unwrap_or_else(|_| vec![(0, Made::Broken(workers_gone()))]);
                if to_caller.send((index, made)).is_err() {
                    return;
                }
            });
        }
        drop(to_caller);
        let mut lines = lines.into_iter();
        let (mut unread, mut ended) = (None, false);
        let (mut sent, mut taken) = (0u64, 0u64);
        let mut early = BTreeMap::new();
        loop {
            while !ended && sent - taken < AHEAD as u64 {
                // A line that cannot be read is reported once every line before it is
                // taken back: an earlier line's error comes first, as on one thread.
                let (block, error) = read_block(&mut lines);
                ended = error.is_some() || block.len() < BLOCK;
                unread = error;
                if block.is_empty() {
                    break;
                }
                if to_workers.send((sent, block)).is_err() {
                    return Err(workers_gone());
                }
                sent += 1;
            }
            if taken == sent {
                break;
            }
            let made = loop {
                if let Some(made) = early.remove(&taken) {
                    break made;
                }
                let (index, made) = done.recv().map_err(|_| workers_gone())?;
                early.insert(index, made);
            };
            taken += 1;
            for (n, made) in made {
                tally.take(store, &mut batch, n, made)?;
            }
        }
        unread.map_or(Ok(()), Err)
    })?;
    tally.finish()?;
    batch.commit()
}

/// The error for a `log --jsonl` input without a single cycle.
pub fn log_stream_missing() -> Error {
    Error::Invalid(vec![FieldError::new(
        "cycle",
        "is missing: pipe one JSON object per line into rebound log --jsonl",
    )])
}

fn workers_gone() -> Error {
    Error::Storage("the batch's worker threads stopped; nothing was logged".into())
}

/// The next [`BLOCK`] lines, each with an id given out now, in the input's order, and
/// the error that ended them early, if any.
type Block<T> = Vec<(usize, T, CycleId)>;

fn read_block<T>(
    lines: &mut impl Iterator<Item = Result<(usize, T)>>,
) -> (Block<T>, Option<Error>) {
    let mut block = Vec::with_capacity(BLOCK);
    for line in lines.by_ref() {
        match line {
            Ok((n, line)) => block.push((n, line, CycleId::generate())),
            Err(e) => return (block, Some(e)),
        }
        if block.len() == BLOCK {
            break;
        }
    }
    (block, None)
}

/// What a worker made of one line.
enum Made {
    Blank,
    Ready(Box<Prepared>),
    Bad(Vec<FieldError>),
    /// Ends the stream (not JSON, or the cycle could not be encoded).
    Broken(Error),
}

fn make<T>(
    n: usize,
    line: T,
    id: CycleId,
    parse: &ParseLine<T>,
    clock: Clock,
    now: chrono::DateTime<chrono::Utc>,
) -> Made {
    let draft = match parse(n, line) {
        Ok(Some(draft)) => draft,
        Ok(None) => return Made::Blank,
        Err(e) => return Made::Broken(e),
    };
    match draft.and_then(|d| d.check(clock.today)) {
        Err(errors) => Made::Bad(errors),
        Ok(fields) => {
            Prepared::new(fields, id, now).map_or_else(Made::Broken, |p| Made::Ready(Box::new(p)))
        }
    }
}

/// The batch's lines, taken in order: the first bad one, how many more, whether any.
#[derive(Default)]
struct Tally {
    first_bad: Option<(usize, Vec<FieldError>)>,
    more: usize,
    seen: bool,
}

impl Tally {
    fn take(&mut self, store: &Store, batch: &mut Batch<'_>, n: usize, made: Made) -> Result<()> {
        let checked = match made {
            Made::Blank => return Ok(()),
            Made::Broken(e) => return Err(e),
            Made::Bad(errors) => Err(errors),
            Made::Ready(prepared) => match check_link(store, prepared.fields(), None) {
                Ok(()) => Ok(prepared),
                Err(Error::Invalid(errors)) => Err(errors),
                Err(other) => return Err(other),
            },
        };
        self.seen = true;
        match checked {
            Ok(prepared) if self.first_bad.is_none() => {
                batch.add_prepared(*prepared)?;
            }
            Ok(_) => {}
            Err(errors) if self.first_bad.is_none() => self.first_bad = Some((n, errors)),
            Err(_) => self.more += 1,
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        if let Some((line, errors)) = self.first_bad {
            return Err(Error::InvalidLine {
                line,
                errors,
                more: self.more,
            });
        }
        if !self.seen {
            return Err(log_stream_missing());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn clock() -> Clock {
        Clock::for_tests()
    }

    fn draft(area: &str, n: usize) -> String {
        json!({"area": area, "attempt": format!("try {n}"), "attempted_on": "2026-11-02",
               "difficulty": 5, "stakes": 2, "effort": 4, "safety": 3})
        .to_string()
    }

    /// Lines as text, parsed on the workers as the command line parses them.
    fn parse(n: usize, line: String) -> Result<Parsed> {
        if line.trim().is_empty() {
            return Ok(None);
        }
        CycleDraft::from_json_text(&line)
            .map(Some)
            .map_err(|_| Error::Usage(format!("line {n} is not JSON")))
    }

    /// `None` stands for a line that cannot be read.
    fn log(store: &Store, lines: Vec<Option<String>>) -> Result<Vec<CycleId>> {
        let numbered = lines.into_iter().enumerate().map(|(i, l)| {
            l.map(|l| (i + 1, l))
                .ok_or_else(|| Error::Usage("unreadable".into()))
        });
        log_lines(store, numbered, &parse, clock())
    }

    #[test]
    fn many_blocks_are_stored_in_the_order_of_the_input_with_one_spelling_per_area() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // Many blocks; blank lines among them; the area spelled three ways, the first
        // in the first block, the others in later blocks (re-encoded there).
        let lines: Vec<_> = (1..=BLOCK * AHEAD * 2 + 7)
            .map(|n| match n % 97 {
                0 => Some(String::new()),
                _ if n % 3 == 0 => Some(draft("WORK", n)),
                _ if n % 3 == 1 => Some(draft("Work", n)),
                _ => Some(draft("work", n)),
            })
            .collect();
        let wanted: Vec<String> = lines
            .iter()
            .flatten()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["attempt"].to_string())
            .collect();
        let ids = log(&store, lines).unwrap();
        assert_eq!(ids.len(), wanted.len());
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "ids rise with the input"
        );
        let stored = store.all_by_id().unwrap();
        let attempts: Vec<String> = stored
            .iter()
            .map(|c| format!("{:?}", c.fields.attempt))
            .collect();
        assert_eq!(attempts, wanted, "stored in the input's order");
        assert!(
            stored.iter().all(|c| c.fields.area == "Work"),
            "the first spelling"
        );
        drop(store);
        // As saved: read back from the journal-backed store after reopening.
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.count().unwrap(), wanted.len());
        assert!(store
            .all_by_id()
            .unwrap()
            .iter()
            .all(|c| c.fields.area == "Work"));
    }

    #[test]
    fn the_first_error_in_the_input_s_order_is_the_one_reported_and_nothing_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let good = |n| Some(draft("a", n));
        let far = BLOCK * 3 + 5;
        // Bad fields early, then a line that is not JSON: the stream ends at the
        // latter, as it would on one thread.
        let mut lines: Vec<_> = (1..=far + 100).map(good).collect();
        lines[9] = Some(json!({"area": "a"}).to_string());
        lines[far - 1] = Some("{not json".into());
        let err = log(&store, lines.clone()).unwrap_err();
        assert_eq!(
            err.to_string(),
            Error::Usage(format!("line {far} is not JSON")).to_string()
        );
        // A line that cannot be read after it: the earlier line still comes first.
        lines[far + 50] = None;
        let err = log(&store, lines.clone()).unwrap_err();
        assert!(
            err.to_string().contains(&format!("line {far} is not JSON")),
            "{err}"
        );
        // Only the line that cannot be read: it is reported.
        lines[far - 1] = good(far);
        let err = log(&store, lines.clone()).unwrap_err();
        assert!(err.to_string().contains("unreadable"), "{err}");
        // Only bad fields: the first bad line, and how many more.
        lines[far + 50] = good(far + 51);
        lines[far + 60] = Some(json!({"area": "a", "attempt": "x", "difficulty": 9}).to_string());
        let Error::InvalidLine { line, more, .. } = log(&store, lines).unwrap_err() else {
            panic!("not a bad line");
        };
        assert_eq!((line, more), (10, 1));
        assert_eq!(store.count().unwrap(), 0, "nothing stored by any of them");
        // Blank lines only: no cycle.
        let err = log(&store, vec![Some(String::new()), Some("  ".into())]).unwrap_err();
        assert_eq!(err.to_string(), log_stream_missing().to_string());
    }
}
