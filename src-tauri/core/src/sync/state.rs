//! This computer's side of syncing, in `<data dir>/sync/` (private, never in the synced
//! folder, never in a backup):
//!
//! - `state.json`: the device id it writes as, the sync keys, its segment count and
//!   clock, the replica (every change known), which files it has read, and the mark of
//!   the last sync applied. Written whole and atomically after each step that matters.
//! - `status.json`: what the last sync said, the conflicts and the computers seen, small,
//!   for the window to show without reading the replica.
//! - `resolve.json`: conflicts the person resolved, sent with the next sync.
//!
//! A state file that cannot be read is set aside (`state.damaged.json`) and syncing
//! starts again as a new computer: nothing is deleted on the strength of it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::format::is_device_id;
use super::hlc::Hlc;
use super::replica::Replica;
use super::report::Status;
use crate::cycle::CycleId;
use crate::error::{Error, Result};
use crate::files::{create_private_folder, write_atomic};
use crate::local_settings;

/// The folder in the data folder.
pub const LOCAL_FOLDER: &str = "sync";
const STATE_FILE: &str = "state.json";
const DAMAGED_FILE: &str = "state.damaged.json";
const STATUS_FILE: &str = "status.json";
const RESOLVE_FILE: &str = "resolve.json";
const STATE_FORMAT: &str = "rebound-sync-state";

/// A sync that worked out a merge and is applying it: the mark it puts in the store
/// last, and the batches it took in (not yet in the store until the mark is there).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub token: String,
    pub unapplied: Vec<(String, u64)>,
}

/// A file read from the sync folder: how it looked, and the SHA-256 of its bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Read {
    pub len: u64,
    pub modified: Option<u128>,
    pub hash: String,
}

/// Another computer (or this one), as its segments show it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub name: String,
    /// When it last wrote a segment this computer has read.
    pub last_change: Option<DateTime<Utc>>,
}

impl State {
    /// The name the person knows computer `id` by: its host name, with the end of its
    /// device id when another computer has the same host name (two data folders on one
    /// machine, or two machines both called "laptop").
    pub fn computer_name(&self, id: &str) -> String {
        let Some(device) = self.devices.get(id) else {
            return "another computer".to_string();
        };
        let shared = self
            .devices
            .iter()
            .any(|(other, d)| other != id && d.name == device.name);
        if shared {
            format!(
                "{} ({})",
                device.name,
                id.get(id.len().saturating_sub(6)..).unwrap_or(id)
            )
        } else {
            device.name.clone()
        }
    }
}

/// Everything this computer keeps about syncing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub format: String,
    pub device: String,
    pub keys: Vec<String>,
    pub last_seq: u64,
    pub hlc: Hlc,
    /// The mark the store holds after the last complete sync.
    pub token: Option<String>,
    pub pending: Option<Pending>,
    /// Segments this computer wrote, by exact name, with the SHA-256 of their bytes.
    pub own_files: BTreeMap<String, String>,
    /// Files read, by their path under `rebound-sync/`.
    pub read: BTreeMap<String, Read>,
    /// SHA-256 of every file whose changes are in the replica (or that is a key file).
    pub taken: BTreeSet<String>,
    pub devices: BTreeMap<String, Device>,
    /// Where the store's journal stood after the last sync (epoch, seq): unchanged means
    /// nothing was saved here since.
    pub position: Option<(u64, u64)>,
    pub replica: Replica,
}

fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join(LOCAL_FOLDER)
}

fn save_json<T: Serialize>(data_dir: &Path, name: &str, value: &T) -> Result<()> {
    let dir = folder(data_dir);
    create_private_folder(&dir)
        .map_err(|e| Error::io(format!("could not create {}", dir.display()), e))?;
    let bytes = serde_json::to_vec(value)
        .map_err(|e| Error::Storage(format!("could not encode the sync state: {e}")))?;
    write_atomic(&dir.join(name), &bytes)
}

fn load_json<T: for<'de> Deserialize<'de>>(data_dir: &Path, name: &str) -> Option<T> {
    let bytes = std::fs::read(folder(data_dir).join(name)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl State {
    /// A new state for a computer writing as `device`.
    pub fn new(device: &str) -> State {
        State {
            format: STATE_FORMAT.into(),
            device: device.to_string(),
            ..State::default()
        }
    }

    /// The state in `data_dir`: None if there is none. One that cannot be read is set
    /// aside, and the sentence says so.
    pub fn load(data_dir: &Path) -> (Option<State>, Option<String>) {
        let path = folder(data_dir).join(STATE_FILE);
        let Ok(bytes) = std::fs::read(&path) else {
            return (None, None);
        };
        match serde_json::from_slice::<State>(&bytes) {
            Ok(state) if state.format == STATE_FORMAT => (Some(state), None),
            _ => {
                let _ = std::fs::rename(&path, folder(data_dir).join(DAMAGED_FILE));
                (
                    None,
                    Some(format!(
                        "this computer's sync state could not be read, so it was kept aside as \
                         {LOCAL_FOLDER}/{DAMAGED_FILE} and this computer joins again as new; \
                         nothing was deleted"
                    )),
                )
            }
        }
    }

    /// This computer's state, writing as the device id made for this machine and this data
    /// folder (a new one if the folder was copied or moved, keeping all it knows).
    pub fn for_this_computer(data_dir: &Path, notes: &mut Vec<String>) -> Result<State> {
        let (settings, _) = local_settings::load(data_dir);
        let fingerprint = fingerprint(data_dir);
        let (loaded, problem) = State::load(data_dir);
        notes.extend(problem);
        let known = match (&settings.sync.device, &settings.sync.fingerprint) {
            (Some(id), Some(print)) if *print == fingerprint && is_device_id(id) => {
                Some(id.clone())
            }
            _ => None,
        };
        let state = match (loaded, known) {
            (Some(state), Some(id)) if state.device == id => state,
            (Some(mut state), _) => {
                notes.push(
                    "this data folder was copied or moved since it last synced, so it now syncs as \
                     a computer of its own"
                        .into(),
                );
                state.device = new_device_id();
                state.last_seq = 0;
                state.own_files.clear();
                state
            }
            (None, _) => State::new(&new_device_id()),
        };
        if settings.sync.device.as_deref() != Some(&state.device)
            || settings.sync.fingerprint.as_deref() != Some(&fingerprint)
        {
            local_settings::update(data_dir, |s| {
                s.sync.device = Some(state.device.clone());
                s.sync.fingerprint = Some(fingerprint.clone());
            })?;
        }
        Ok(state)
    }

    /// Save durably.
    pub fn save(&self, data_dir: &Path) -> Result<()> {
        save_json(data_dir, STATE_FILE, self)
    }
}

/// Whether this computer has synced before (it has a sync key). Reads only the keys:
/// the window asks every few seconds, and the state can be large.
pub fn has_keys(data_dir: &Path) -> bool {
    #[derive(Deserialize)]
    struct Keys {
        #[serde(default)]
        keys: Vec<String>,
    }
    load_json::<Keys>(data_dir, STATE_FILE).is_some_and(|k| !k.keys.is_empty())
}

/// What the last sync said.
pub fn load_status(data_dir: &Path) -> Status {
    load_json(data_dir, STATUS_FILE).unwrap_or_default()
}

pub fn save_status(data_dir: &Path, status: &Status) -> Result<()> {
    save_json(data_dir, STATUS_FILE, status)
}

/// Conflicts resolved here and not yet sent.
pub fn load_resolved(data_dir: &Path) -> Vec<(CycleId, String)> {
    load_json::<Vec<(String, String)>>(data_dir, RESOLVE_FILE)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(id, field)| Some((id.parse().ok()?, field)))
        .collect()
}

pub fn save_resolved(data_dir: &Path, resolved: &[(CycleId, String)]) -> Result<()> {
    let list: Vec<(String, &String)> = resolved.iter().map(|(id, f)| (id.to_string(), f)).collect();
    save_json(data_dir, RESOLVE_FILE, &list)
}

/// Take `sent` off the list of conflicts chosen here (those chosen since stay).
pub fn forget_resolved(data_dir: &Path, sent: &[(CycleId, String)]) -> Result<()> {
    if sent.is_empty() {
        return Ok(());
    }
    let mut resolved = load_resolved(data_dir);
    resolved.retain(|r| !sent.contains(r));
    save_resolved(data_dir, &resolved)
}

/// SHA-256 of `bytes`, in hex.
pub fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new device id: 32 hex digits, time-ordered and unique.
pub fn new_device_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// What a device id is made for: this machine and this data folder. A data folder
/// copied to another computer (or another place) has another fingerprint there, and
/// gets a new device id, so two computers never write under one id.
pub fn fingerprint(data_dir: &Path) -> String {
    let place = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_path_buf());
    let machine = ["/etc/machine-id", "/var/lib/dbus/machine-id"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
        .unwrap_or_else(host_name);
    hash(format!("{machine}\n{}", place.display()).as_bytes())[..32].to_string()
}

/// This computer's name, as the person knows it.
pub fn host_name() -> String {
    let from_env = ["COMPUTERNAME", "HOSTNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok());
    let from_file = || {
        ["/etc/hostname", "/proc/sys/kernel/hostname"]
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok())
    };
    // macOS has no /etc/hostname: ask the system's own command.
    let from_command = || {
        std::process::Command::new("hostname")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
    };
    from_env
        .or_else(from_file)
        .or_else(from_command)
        .map(|name| crate::text::one_line(&name, 60))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "a computer".to_string())
}
