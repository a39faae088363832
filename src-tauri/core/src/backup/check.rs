//! Reading a backup document back: every part checked (the header, the checksum, the
//! counts, each cycle field by field, each check-in and the preferences) before
//! anything in it is believed. Formats 1, 2 and 3 read; a newer one is refused.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::format::{
    checksum_text, upgrade, Backup, CheckinEntry, Header, FORMAT_NAME, FORMAT_VERSION,
};
use super::problems::{scan_problem, too_deep_error, Problems};
use super::scan::{scan, Visit};
use crate::checkin::brs_score;
use crate::cycle::{Cycle, CycleId};
use crate::error::{Error, Result};

/// The top-level fields `check` reads; any other is skipped unread.
const FIELDS: [&str; 11] = [
    "format",
    "format_version",
    "app_version",
    "exported_at",
    "cycle_count",
    "checkin_count",
    "pref_count",
    "checksum",
    "cycles",
    "checkins",
    "prefs",
];

type Top = BTreeMap<String, Vec<u8>>;

/// Where the checked cycles of a backup go, one by one, in the file's order.
pub(super) trait CycleSink {
    fn push(&mut self, cycle: Cycle) -> Result<()>;
}

impl CycleSink for Vec<Cycle> {
    fn push(&mut self, cycle: Cycle) -> Result<()> {
        Vec::push(self, cycle);
        Ok(())
    }
}

/// Check a whole plain backup document. `latest` is the last attempt date accepted (a
/// day after today leaves room for a backup made in another time zone).
pub fn parse(bytes: &[u8], latest: NaiveDate) -> Result<Backup> {
    let mut cycles = Vec::new();
    let read = check(bytes, latest, &mut cycles, &|e| {
        Error::BackupDamaged(format!("it could not be read ({e})"))
    })?;
    Ok(read.with(cycles))
}

/// Check a whole plain backup document read from `input`, a piece at a time: every
/// cycle is checked as it comes and handed to `sink` while none has failed, so memory
/// stays bounded whatever the file's size. Nothing it holds is to be believed unless
/// this returns `Ok`. `read_error` says what a failure to read `input` means.
pub(super) fn check(
    mut input: impl Read,
    latest: NaiveDate,
    sink: &mut dyn CycleSink,
    read_error: &dyn Fn(std::io::Error) -> Error,
) -> Result<Backup<()>> {
    let mut reading = Reading {
        top: Top::new(),
        latest,
        sink,
        count: 0,
        ids: Vec::new(),
        problems: Problems::default(),
        too_deep: false,
    };
    let scanned = match scan(&mut input, &mut reading) {
        Ok(scanned) => scanned,
        Err(problem) => return Err(scan_problem(problem, &mut input, read_error)),
    };
    let Reading {
        top,
        count,
        ids,
        mut problems,
        too_deep,
        ..
    } = reading;
    let version = read_version(&top)?;
    let header = read_header(&top, version)?;
    // A list of cycles was read as it came; anything else under that name is not one.
    let cycles_text = top.get("cycles");
    if scanned.cycles_hash.is_none() && cycles_text.is_none() {
        return Err(Error::BackupDamaged("it has no list of cycles".into()));
    }
    let (raw_checkins, raw_prefs) = if version >= 3 {
        let part = |name: &str| {
            top.get(name)
                .map(Vec::as_slice)
                .ok_or_else(|| Error::BackupDamaged(format!("it has no {name}")))
        };
        (Some(part("checkins")?), Some(part("prefs")?))
    } else {
        (None, None)
    };
    if let Some(expected) = &header.checksum {
        let mut digest = match (&scanned.cycles_hash, cycles_text) {
            (Some(hash), None) => hash.clone(),
            (_, Some(text)) => Sha256::new_with_prefix(text),
            (None, None) => Sha256::new(),
        };
        for part in raw_checkins.iter().chain(raw_prefs.iter()) {
            digest.update(b"\n");
            digest.update(part);
        }
        if *expected != checksum_text(digest) {
            return Err(Error::BackupDamaged(
                "its content does not match its checksum, so something changed it after it \
                 was written"
                    .into(),
            ));
        }
    }
    if cycles_text.is_some() {
        return Err(Error::BackupDamaged(if scanned.cycles_hash.is_some() {
            "it has two lists of cycles".into()
        } else {
            "its cycles are not a list".into()
        }));
    }
    if too_deep {
        return Err(too_deep_error());
    }
    says_holds("cycles", header.cycle_count, count)?;
    problems.repeated_ids(ids);
    problems.into_result()?;
    let checkins = match raw_checkins {
        Some(raw) => read_checkins(raw, count_field(&top, "checkin_count")?)?,
        None => BTreeMap::new(),
    };
    let prefs = match raw_prefs {
        Some(raw) => read_prefs(raw, count_field(&top, "pref_count")?)?,
        None => BTreeMap::new(),
    };
    Ok(Backup {
        format_version: version,
        app_version: header.app_version,
        exported_at: header.exported_at,
        cycles: (),
        checkins,
        prefs,
    })
}

/// What a reading has found so far.
struct Reading<'a> {
    top: Top,
    latest: NaiveDate,
    sink: &'a mut dyn CycleSink,
    /// Items in the cycles list.
    count: usize,
    /// Each good cycle's id and position, to find one id twice.
    ids: Vec<(CycleId, u32)>,
    problems: Problems,
    too_deep: bool,
}

impl Visit for Reading<'_> {
    fn wants(&self, key: &str) -> bool {
        FIELDS.contains(&key)
    }

    fn field(&mut self, key: String, text: Vec<u8>) {
        self.top.insert(key, text);
    }

    fn cycle(&mut self, position: usize, text: &[u8]) -> Result<()> {
        self.count += 1;
        if self.too_deep {
            return Ok(());
        }
        let parsed = match serde_json::from_slice::<Value>(text) {
            Ok(value) => Cycle::from_json(value, self.latest),
            Err(e) if is_too_deep(&e) => {
                self.too_deep = true;
                return Ok(());
            }
            Err(_) => {
                self.problems
                    .add(position, format!("cycle {position} is not valid JSON"));
                return Ok(());
            }
        };
        match parsed {
            Ok(cycle) => {
                self.ids
                    .push((cycle.id, u32::try_from(position).unwrap_or(u32::MAX)));
                if self.problems.count == 0 {
                    self.sink.push(cycle)?;
                }
            }
            Err(errors) => {
                let detail: Vec<String> = errors.iter().map(ToString::to_string).collect();
                self.problems
                    .add(position, format!("cycle {position}: {}", detail.join(", ")));
            }
        }
        Ok(())
    }
}

fn field(top: &Top, name: &str) -> Option<Value> {
    top.get(name)
        .and_then(|text| serde_json::from_slice(text).ok())
}

/// The format's name and version: ours, and one this Rebound reads.
fn read_version(top: &Top) -> Result<u64> {
    match field(top, "format") {
        Some(Value::String(name)) if name == FORMAT_NAME => {}
        _ => {
            return Err(Error::NotABackup(format!(
                "it has no \"format\": \"{FORMAT_NAME}\" field"
            )))
        }
    }
    let version = match field(top, "format_version") {
        Some(Value::Number(n)) => n.as_u64().filter(|v| *v >= 1),
        _ => None,
    }
    .ok_or_else(|| {
        Error::BackupDamaged("its format_version is not a whole number from 1".into())
    })?;
    if version > FORMAT_VERSION {
        return Err(Error::BackupFromNewer {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    Ok(version)
}

/// The header of a document in format `version`, upgraded to today's meaning.
fn read_header(top: &Top, version: u64) -> Result<Header> {
    let app_version = match field(top, "app_version") {
        Some(Value::String(v)) => v,
        _ => return Err(Error::BackupDamaged("its app_version is missing".into())),
    };
    let exported_at = match field(top, "exported_at") {
        Some(Value::String(at)) => DateTime::parse_from_rfc3339(&at).ok(),
        _ => None,
    }
    .ok_or_else(|| Error::BackupDamaged("its exported_at is not an RFC 3339 time".into()))?
    .with_timezone(&Utc);
    let cycle_count = match field(top, "cycle_count") {
        None if version == 1 => None,
        _ => Some(count_field(top, "cycle_count")?),
    };
    let checksum_found = match field(top, "checksum") {
        None if version == 1 => None,
        Some(Value::String(sum)) => Some(sum),
        _ => return Err(Error::BackupDamaged("its checksum is missing".into())),
    };
    Ok(upgrade(Header {
        format_version: version,
        app_version,
        exported_at,
        cycle_count,
        checksum: checksum_found,
    }))
}

/// A count the header must hold.
fn count_field(top: &Top, name: &str) -> Result<u64> {
    match field(top, name) {
        Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().unwrap_or_default()),
        _ => Err(Error::BackupDamaged(format!(
            "its {name} is missing or not a whole number"
        ))),
    }
}

fn says_holds(what: &str, said: Option<u64>, found: usize) -> Result<()> {
    match said {
        Some(said) if said != found as u64 => Err(Error::BackupDamaged(format!(
            "it says it holds {said} {what} but has {found}"
        ))),
        _ => Ok(()),
    }
}

/// Every check-in: a day and six answers from 1 to 5, one a day.
fn read_checkins(raw: &[u8], said: u64) -> Result<BTreeMap<NaiveDate, [u8; 6]>> {
    let list: Vec<CheckinEntry> = serde_json::from_slice(raw).map_err(|_| {
        Error::BackupDamaged("its check-ins are not a list of days with six answers each".into())
    })?;
    says_holds("check-ins", Some(said), list.len())?;
    let mut checkins = BTreeMap::new();
    let mut problems = Problems::default();
    for (n, entry) in list.into_iter().enumerate() {
        if let Err(why) = brs_score(entry.answers) {
            problems.add(n, format!("check-in {}: {why}", n + 1));
        } else if checkins.insert(entry.day, entry.answers).is_some() {
            problems.add(
                n,
                format!("check-in {} repeats the day {}", n + 1, entry.day),
            );
        }
    }
    problems.into_result().map(|()| checkins)
}

/// The preferences: one JSON object, a value by name.
fn read_prefs(raw: &[u8], said: u64) -> Result<BTreeMap<String, Value>> {
    let prefs: BTreeMap<String, Value> = serde_json::from_slice(raw)
        .map_err(|_| Error::BackupDamaged("its preferences are not an object".into()))?;
    says_holds("preferences", Some(said), prefs.len())?;
    Ok(prefs)
}

fn is_too_deep(e: &serde_json::Error) -> bool {
    e.to_string().starts_with("recursion limit exceeded")
}
