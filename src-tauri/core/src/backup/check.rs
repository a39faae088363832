//! Reading a backup document back: every part checked (the header, the checksum, the
//! counts, each cycle field by field, each check-in and the preferences) before
//! anything in it is believed. Formats 1, 2 and 3 read; a newer one is refused.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::value::RawValue;
use serde_json::Value;

use super::format::{checksum, upgrade, Backup, CheckinEntry, Header, FORMAT_NAME, FORMAT_VERSION};
use crate::checkin::brs_score;
use crate::cycle::Cycle;
use crate::error::{Error, Result};

/// How many problems one message lists before "and N more".
const PROBLEMS_SHOWN: usize = 3;

type Top<'a> = BTreeMap<&'a str, &'a RawValue>;

/// Check a whole plain backup document. `latest` is the last attempt date accepted (a
/// day after today leaves room for a backup made in another time zone).
pub fn parse(bytes: &[u8], latest: NaiveDate) -> Result<Backup> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::NotABackup("the file is empty".into()));
    }
    let top: Top = serde_json::from_slice(bytes).map_err(|e| json_problem(bytes, &e))?;
    let version = read_version(&top)?;
    let header = read_header(&top, version)?;
    let raw_cycles = top
        .get("cycles")
        .ok_or_else(|| Error::BackupDamaged("it has no list of cycles".into()))?;
    let (raw_checkins, raw_prefs) = if version >= 3 {
        let part = |name: &str| {
            top.get(name)
                .copied()
                .ok_or_else(|| Error::BackupDamaged(format!("it has no {name}")))
        };
        (Some(part("checkins")?), Some(part("prefs")?))
    } else {
        (None, None)
    };
    if let Some(expected) = &header.checksum {
        let mut parts = vec![raw_cycles.get()];
        parts.extend(raw_checkins.map(|r| r.get()));
        parts.extend(raw_prefs.map(|r| r.get()));
        if *expected != checksum(&parts) {
            return Err(Error::BackupDamaged(
                "its content does not match its checksum, so something changed it after it \
                 was written"
                    .into(),
            ));
        }
    }
    let cycles = read_cycles(raw_cycles, header.cycle_count, latest)?;
    let checkins = match raw_checkins {
        Some(raw) => read_checkins(raw, count(&top, "checkin_count")?)?,
        None => BTreeMap::new(),
    };
    let prefs = match raw_prefs {
        Some(raw) => read_prefs(raw, count(&top, "pref_count")?)?,
        None => BTreeMap::new(),
    };
    Ok(Backup {
        format_version: version,
        app_version: header.app_version,
        exported_at: header.exported_at,
        cycles,
        checkins,
        prefs,
    })
}

fn field(top: &Top, name: &str) -> Option<Value> {
    top.get(name)
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
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
        _ => Some(count(top, "cycle_count")?),
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
fn count(top: &Top, name: &str) -> Result<u64> {
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

/// Problems found item by item, as one message: the first few and how many more.
fn problems_message(problems: Vec<String>) -> Error {
    let more = problems.len().saturating_sub(PROBLEMS_SHOWN);
    let mut text = problems
        .into_iter()
        .take(PROBLEMS_SHOWN)
        .collect::<Vec<_>>()
        .join("; ");
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    Error::BackupDamaged(text)
}

/// Every cycle, each checked field by field, no id twice.
fn read_cycles(raw: &RawValue, said: Option<u64>, latest: NaiveDate) -> Result<Vec<Cycle>> {
    // Each cycle stays text until its turn (a list of 400,000 parsed JSON objects at
    // once took gigabytes).
    let raw_cycles = match serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
        Ok(list) => list,
        Err(e) if is_too_deep(&e) => return Err(too_deep()),
        Err(_) => return Err(Error::BackupDamaged("its cycles are not a list".into())),
    };
    says_holds("cycles", said, raw_cycles.len())?;
    let mut cycles = Vec::with_capacity(raw_cycles.len());
    let mut problems = Vec::new();
    let mut seen = HashSet::with_capacity(raw_cycles.len());
    for (n, raw) in raw_cycles.into_iter().enumerate() {
        let position = n + 1;
        let parsed = match serde_json::from_str::<Value>(raw.get()) {
            Ok(value) => Cycle::from_json(value, latest),
            Err(e) if is_too_deep(&e) => return Err(too_deep()),
            Err(_) => return Err(Error::BackupDamaged("its cycles are not a list".into())),
        };
        match parsed {
            Ok(cycle) if !seen.insert(cycle.id) => {
                problems.push(format!("cycle {position} repeats the id {}", cycle.id));
            }
            Ok(cycle) => cycles.push(cycle),
            Err(errors) => {
                let detail: Vec<String> = errors.iter().map(ToString::to_string).collect();
                problems.push(format!("cycle {position}: {}", detail.join(", ")));
            }
        }
    }
    if problems.is_empty() {
        Ok(cycles)
    } else {
        Err(problems_message(problems))
    }
}

/// Every check-in: a day and six answers from 1 to 5, one a day.
fn read_checkins(raw: &RawValue, said: u64) -> Result<BTreeMap<NaiveDate, [u8; 6]>> {
    let list: Vec<CheckinEntry> = serde_json::from_str(raw.get()).map_err(|_| {
        Error::BackupDamaged("its check-ins are not a list of days with six answers each".into())
    })?;
    says_holds("check-ins", Some(said), list.len())?;
    let mut checkins = BTreeMap::new();
    let mut problems = Vec::new();
    for (n, entry) in list.into_iter().enumerate() {
        if let Err(why) = brs_score(entry.answers) {
            problems.push(format!("check-in {}: {why}", n + 1));
        } else if checkins.insert(entry.day, entry.answers).is_some() {
            problems.push(format!("check-in {} repeats the day {}", n + 1, entry.day));
        }
    }
    if problems.is_empty() {
        Ok(checkins)
    } else {
        Err(problems_message(problems))
    }
}

/// The preferences: one JSON object, a value by name.
fn read_prefs(raw: &RawValue, said: u64) -> Result<BTreeMap<String, Value>> {
    let prefs: BTreeMap<String, Value> = serde_json::from_str(raw.get())
        .map_err(|_| Error::BackupDamaged("its preferences are not an object".into()))?;
    says_holds("preferences", Some(said), prefs.len())?;
    Ok(prefs)
}

fn is_too_deep(e: &serde_json::Error) -> bool {
    e.to_string().starts_with("recursion limit exceeded")
}

fn too_deep() -> Error {
    Error::BackupDamaged("it nests lists or objects far deeper than any Rebound backup".into())
}

fn json_problem(bytes: &[u8], e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let starts_like_ours = first == Some(b'{');
    if is_too_deep(e) {
        return too_deep();
    }
    match e.classify() {
        Category::Eof if starts_like_ours => {
            Error::BackupDamaged("it ends too early, as if cut short while being copied".into())
        }
        Category::Syntax | Category::Eof if starts_like_ours => Error::BackupDamaged(format!(
            "it is not valid JSON at line {}, column {}",
            e.line(),
            e.column()
        )),
        // Valid JSON, but the top is a list, a number or a string.
        Category::Data if serde_json::from_slice::<Value>(bytes).is_ok() => {
            Error::NotABackup("it is JSON, but not a JSON object".into())
        }
        Category::Data if starts_like_ours => Error::BackupDamaged(format!(
            "it is not valid JSON at line {}, column {}",
            e.line(),
            e.column()
        )),
        Category::Io => Error::BackupDamaged(format!("it could not be read ({e})")),
        _ => Error::NotABackup("it is not JSON text".into()),
    }
}
