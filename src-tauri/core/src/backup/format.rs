//! The backup document itself (format 2, see docs/backup-format.md): writing it, and
//! reading one of any shipped format back with every part checked. Plain bytes in,
//! plain bytes out; encryption and files are elsewhere.
//!
//! ```json
//! { "format": "rebound-backup", "format_version": 2, "app_version": "0.1.0",
//!   "exported_at": "2026-11-27T21:04:11.532Z", "cycle_count": 2,
//!   "checksum": "sha256:…", "cycles": [ {…}, {…} ] }
//! ```
//!
//! The checksum covers the bytes of the `cycles` array exactly as they stand in the
//! file, so it stays right when cycles gain fields in later versions.
//!
//! Invariant: never change what a shipped format means. A new field or meaning is the
//! next format, and reading an older one upgrades it with a pure function ([`upgrade`]).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::cycle::{format_timestamp, Cycle};
use crate::error::{Error, Result};

/// The `format` field every Rebound backup carries.
pub const FORMAT_NAME: &str = "rebound-backup";
/// The format this Rebound writes, and the newest it reads.
pub const FORMAT_VERSION: u64 = 2;
/// How many cycle problems one message lists before "and N more".
const PROBLEMS_SHOWN: usize = 3;

/// The top of a format-2 document as written. Field order is the order in the file.
#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    format_version: u64,
    app_version: &'static str,
    exported_at: String,
    cycle_count: usize,
    checksum: String,
    cycles: &'a RawValue,
}

/// A backup read back and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    /// The format the file was written in (older ones are upgraded when read).
    pub format_version: u64,
    pub app_version: String,
    pub exported_at: DateTime<Utc>,
    pub cycles: Vec<Cycle>,
}

/// `sha256:` and the hex digest of `bytes`.
fn checksum(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut text = String::with_capacity(7 + 64);
    text.push_str("sha256:");
    for byte in digest {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

/// The `cycles` array as it is written: one cycle per line, so a backup reads (and
/// diffs) cycle by cycle.
fn cycles_text(cycles: &[Cycle]) -> Result<String> {
    if cycles.is_empty() {
        return Ok("[]".to_string());
    }
    let mut text = String::with_capacity(cycles.len() * 800);
    text.push_str("[\n");
    for (n, cycle) in cycles.iter().enumerate() {
        if n > 0 {
            text.push_str(",\n");
        }
        text.push_str("    ");
        let line = serde_json::to_string(cycle)
            .map_err(|e| Error::Storage(format!("could not encode the backup: {e}")))?;
        text.push_str(&line);
    }
    text.push_str("\n  ]");
    Ok(text)
}

/// Serialise `cycles` as a plain format-2 backup document.
pub fn to_json(cycles: &[Cycle], now: DateTime<Utc>) -> Result<Vec<u8>> {
    let encode = |e: serde_json::Error| Error::Storage(format!("could not encode the backup: {e}"));
    let text = cycles_text(cycles)?;
    let raw = RawValue::from_string(text).map_err(encode)?;
    let document = Document {
        format: FORMAT_NAME,
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION"),
        exported_at: format_timestamp(&now),
        cycle_count: cycles.len(),
        checksum: checksum(raw.get().as_bytes()),
        cycles: &raw,
    };
    let mut bytes = serde_json::to_vec_pretty(&document).map_err(encode)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The header of a backup of any format, as read, before its cycles are checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub format_version: u64,
    pub app_version: String,
    pub exported_at: DateTime<Utc>,
    pub cycle_count: Option<u64>,
    /// Format 2 on; `None` for format 1, which had none.
    pub checksum: Option<String>,
}

/// Bring a header of an older format up to the current one. Pure: it only says what
/// the older format meant in today's terms.
pub fn upgrade(header: Header) -> Header {
    match header.format_version {
        // Format 1 had no checksum and an optional count; its cycles mean the same.
        1 => Header {
            format_version: 2,
            ..header
        },
        _ => header,
    }
}

/// Check a whole plain backup document. `latest` is the last attempt date accepted (a
/// day after today leaves room for a backup made in another time zone).
pub fn parse(bytes: &[u8], latest: NaiveDate) -> Result<Backup> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::NotABackup("the file is empty".into()));
    }
    let top: BTreeMap<&str, &RawValue> =
        serde_json::from_slice(bytes).map_err(|e| json_problem(bytes, &e))?;
    let field = |name: &str| -> Option<Value> {
        top.get(name)
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
    };
    match field("format") {
        Some(Value::String(name)) if name == FORMAT_NAME => {}
        _ => {
            return Err(Error::NotABackup(format!(
                "it has no \"format\": \"{FORMAT_NAME}\" field"
            )))
        }
    }
    let version = match field("format_version") {
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
    let app_version = match field("app_version") {
        Some(Value::String(v)) => v,
        _ => return Err(Error::BackupDamaged("its app_version is missing".into())),
    };
    let exported_at = match field("exported_at") {
        Some(Value::String(at)) => DateTime::parse_from_rfc3339(&at).ok(),
        _ => None,
    }
    .ok_or_else(|| Error::BackupDamaged("its exported_at is not an RFC 3339 time".into()))?
    .with_timezone(&Utc);
    let cycle_count = match field("cycle_count") {
        None if version == 1 => None,
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
        _ => {
            return Err(Error::BackupDamaged(
                "its cycle_count is missing or not a whole number".into(),
            ))
        }
    };
    let checksum_found = match field("checksum") {
        None if version == 1 => None,
        Some(Value::String(sum)) => Some(sum),
        _ => return Err(Error::BackupDamaged("its checksum is missing".into())),
    };
    let header = upgrade(Header {
        format_version: version,
        app_version,
        exported_at,
        cycle_count,
        checksum: checksum_found,
    });

    let Some(raw_cycles) = top.get("cycles") else {
        return Err(Error::BackupDamaged("it has no list of cycles".into()));
    };
    if let Some(expected) = &header.checksum {
        if *expected != checksum(raw_cycles.get().as_bytes()) {
            return Err(Error::BackupDamaged(
                "its cycles do not match its checksum, so something changed them after it \
                 was written"
                    .into(),
            ));
        }
    }
    let raw_cycles = match serde_json::from_str::<Vec<Value>>(raw_cycles.get()) {
        Ok(list) => list,
        Err(e) if is_too_deep(&e) => return Err(too_deep()),
        Err(_) => return Err(Error::BackupDamaged("its cycles are not a list".into())),
    };
    if let Some(count) = header.cycle_count {
        if count != raw_cycles.len() as u64 {
            return Err(Error::BackupDamaged(format!(
                "it says it holds {count} cycles but has {}",
                raw_cycles.len()
            )));
        }
    }

    let mut cycles = Vec::with_capacity(raw_cycles.len());
    let mut problems = Vec::new();
    let mut seen = HashSet::with_capacity(raw_cycles.len());
    for (n, raw) in raw_cycles.into_iter().enumerate() {
        let position = n + 1;
        match Cycle::from_json(raw, latest) {
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
    if !problems.is_empty() {
        let more = problems.len().saturating_sub(PROBLEMS_SHOWN);
        let mut text = problems
            .into_iter()
            .take(PROBLEMS_SHOWN)
            .collect::<Vec<_>>()
            .join("; ");
        if more > 0 {
            text.push_str(&format!("; and {more} more"));
        }
        return Err(Error::BackupDamaged(text));
    }
    Ok(Backup {
        format_version: version,
        app_version: header.app_version,
        exported_at: header.exported_at,
        cycles,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_one_headers_upgrade_to_format_two_without_a_checksum() {
        let at = DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default();
        let old = Header {
            format_version: 1,
            app_version: "0.1.0".into(),
            exported_at: at,
            cycle_count: Some(3),
            checksum: None,
        };
        let new = upgrade(old.clone());
        assert_eq!(new.format_version, 2);
        assert_eq!((new.cycle_count, new.checksum.clone()), (Some(3), None));
        assert_eq!(upgrade(new.clone()), new);
    }

    #[test]
    fn the_checksum_is_sha256_in_hex() {
        assert_eq!(
            checksum(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
